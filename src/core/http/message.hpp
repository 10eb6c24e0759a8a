#pragma once
// HTTP request and response as the rest of the platform sees them: plain values, no Beast types
// (only core/http includes Beast). Handlers are pure functions Request -> Response run on the
// worker pool.
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace cst::auth {
struct Principal;
}

namespace cst::http {

using Json = nlohmann::json;

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view methodName(Method m);
Method parseMethod(std::string_view name);

struct Request {
  Method method = Method::kGet;
  std::string path;                            // decoded, without the query string
  std::map<std::string, std::string> query;    // decoded; last value wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::map<std::string, std::string> params;   // path parameters of the matched route
  std::string body;                            // JSON routes
  std::filesystem::path body_file;             // upload routes: the streamed body on disk
  std::string body_sha256;  // upload routes: SHA-256 (hex) of body_file, taken as it arrived
  std::string request_id;
  std::string remote_address;
  bool secure = false;  // the client reached us over TLS (config or X-Forwarded-Proto)
  std::shared_ptr<const auth::Principal> principal;  // set by authentication, null if anonymous

  std::optional<std::string> header(const std::string& lower_name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  std::optional<std::string> queryParam(const std::string& name) const;
  const std::string& param(const std::string& name) const { return params.at(name); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::filesystem::path file;  // when set, the body is streamed from this file
  // The file was made for this response (a DIP): removed once opened for sending, so that it is
  // gone however the connection ends (Linux keeps an unlinked file readable while it is open).
  bool remove_file = false;
  std::vector<std::pair<std::string, std::string>> headers;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Response json(int status, const Json& body);
Response noContent();
// RFC 9457 problem+json for an error value; the one place where error codes become statuses.
Response problem(const Error& error);
int statusFor(ErrorCode code);

// Parses the request body as a JSON object, or a kBadInput error naming the body.
Result<Json> parseJsonObject(const Request& req);

std::string urlDecode(std::string_view in, bool plus_is_space);
std::map<std::string, std::string> parseQuery(std::string_view query);

}  // namespace cst::http
