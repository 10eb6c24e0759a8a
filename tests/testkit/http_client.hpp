#pragma once
// A small synchronous HTTP/1.1 client for integration tests (Boost.Beast), with a cookie jar and
// the CSRF header handled the way the browser UI does, or bearer-token authentication.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cst::testkit {

using Json = nlohmann::json;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; Set-Cookie values joined by '\n'
  std::string body;
  Json json() const;
  std::string header(const std::string& lower) const;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       const std::string& content_type = "application/json",
                       std::map<std::string, std::string> headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const Json& body) {
    return request("POST", target, body.dump());
  }
  HttpResponse patch(const std::string& target, const Json& body) {
    return request("PATCH", target, body.dump());
  }

  // Logs in with the password; keeps the session cookie and CSRF token (browser style).
  HttpResponse login(const std::string& username, const std::string& password,
                     const std::optional<std::string>& totp = std::nullopt);
  // Switches to bearer authentication with this token (machine style), dropping cookies.
  void useBearer(const std::string& token);
  void setCsrf(bool send) { send_csrf_ = send; }

 private:
  int port_;
  std::map<std::string, std::string> cookies_;
  std::string bearer_;
  bool send_csrf_ = true;
};

// The demo password of every demo user.
inline constexpr const char* kDemoPassword = "cst-demo-2026";

}  // namespace cst::testkit
