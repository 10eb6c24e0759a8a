#include "testkit/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <utility>

namespace cst::testkit {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;

Json HttpResponse::json() const { return Json::parse(body, nullptr, false); }

std::string HttpResponse::header(const std::string& lower) const {
  auto it = headers.find(lower);
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body, const std::string& content_type,
                                 std::map<std::string, std::string> headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port_)));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    req.set(bhttp::field::content_type, content_type);
    req.body() = body;
  }
  if (!bearer_.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer_);
  if (!cookies_.empty()) {
    std::string c;
    for (const auto& [k, v] : cookies_) c += (c.empty() ? "" : "; ") + k + "=" + v;
    req.set(bhttp::field::cookie, c);
    if (send_csrf_ && cookies_.count("cst_csrf")) req.set("X-CSRF-Token", cookies_["cst_csrf"]);
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  req.prepare_payload();
  // The server may answer (413) before reading the whole body and stop reading: a failed write
  // is not the end, the answer may be waiting.
  beast::error_code write_ec;
  bhttp::write(stream, req, write_ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  bhttp::read(stream, buffer, parser);
  auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto& slot = out.headers[name];
    slot += (slot.empty() ? "" : "\n") + std::string(f.value());
    if (name == "set-cookie") {
      std::string v(f.value());
      auto eq = v.find('='), semi = v.find(';');
      std::string key = v.substr(0, eq), val = v.substr(eq + 1, semi - eq - 1);
      if (v.find("Max-Age=0") != std::string::npos)
        cookies_.erase(key);
      else
        cookies_[key] = val;
    }
  }
  out.body = std::move(res.body());
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

HttpResponse HttpClient::login(const std::string& username, const std::string& password,
                               const std::optional<std::string>& totp) {
  Json body{{"username", username}, {"password", password}};
  if (totp) body["totp"] = *totp;
  return post("/api/v1/auth/login", body);
}

void HttpClient::useBearer(const std::string& token) {
  bearer_ = token;
  cookies_.clear();
}

}  // namespace cst::testkit
