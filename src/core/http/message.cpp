#include "http/message.hpp"

#include <array>

namespace cst::http {

namespace {
constexpr std::array<std::pair<Method, std::string_view>, 7> kMethods{
    {{Method::kGet, "GET"},
     {Method::kHead, "HEAD"},
     {Method::kPost, "POST"},
     {Method::kPut, "PUT"},
     {Method::kPatch, "PATCH"},
     {Method::kDelete, "DELETE"},
     {Method::kOptions, "OPTIONS"}}};
}

std::string_view methodName(Method m) {
  for (auto [method, name] : kMethods)
    if (method == m) return name;
  return "OTHER";
}

Method parseMethod(std::string_view name) {
  for (auto [method, n] : kMethods)
    if (n == name) return method;
  return Method::kOther;
}

std::optional<std::string> Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(const std::string& name) const {
  auto all = header("cookie");
  if (!all) return std::nullopt;
  std::string_view rest = *all;
  while (!rest.empty()) {
    auto end = rest.find(';');
    std::string_view item = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name)
      return std::string(item.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<std::string> Request::queryParam(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Response json(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response noContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int statusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadInput:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kRuleViolated:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {
std::string_view titleFor(int status) {
  switch (status) {
    case 400:
      return "Richiesta non valida";
    case 401:
      return "Autenticazione richiesta";
    case 403:
      return "Operazione non consentita";
    case 404:
      return "Risorsa non trovata";
    case 405:
      return "Metodo non consentito";
    case 409:
      return "Conflitto";
    case 413:
      return "Contenuto troppo grande";
    case 422:
      return "Regola non rispettata";
    case 429:
      return "Troppe richieste";
    case 503:
      return "Servizio non disponibile";
    default:
      return "Errore interno";
  }
}
}  // namespace

Response problem(const Error& error) {
  const int status = statusFor(error.code);
  Json body{{"type", "about:blank"},
            {"title", titleFor(status)},
            {"status", status},
            {"detail",
             status == 500 ? "errore interno: riprovare o contattare l'assistenza" : error.detail}};
  if (!error.type.empty()) body["type"] = "/problems/" + error.type;
  Json errors = Json::array();
  for (const FieldError& f : error.fields)
    errors.push_back({{"field", f.field}, {"message", f.message}});
  body["errors"] = errors;
  Response r = json(status, body);
  r.content_type = "application/problem+json";
  return r;
}

Result<Json> parseJsonObject(const Request& req) {
  if (req.body.empty()) return failField("body", "a JSON object is required");
  Json parsed = Json::parse(req.body, nullptr, false);
  if (parsed.is_discarded()) return failField("body", "malformed JSON");
  if (!parsed.is_object()) return failField("body", "must be a JSON object");
  return parsed;
}

std::string urlDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < in.size() &&
               std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = urlDecode(pair.substr(0, eq), true);
    out[key] = eq == std::string_view::npos ? "" : urlDecode(pair.substr(eq + 1), true);
  }
  return out;
}

}  // namespace cst::http
