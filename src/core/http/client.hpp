#pragma once
// A small blocking HTTP client (libcurl) for the CLI verbs that talk to a running `cst serve`
// (`cst av scan`, `cst av report`): the body is streamed from a file or sent from memory, the
// answer read whole. TLS is verified against the system's CA store.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  std::string bearer_token;  // empty: no Authorization header
  std::string content_type;
  std::string body;                   // sent when body_file is empty
  std::filesystem::path body_file;    // streamed, never loaded whole
  std::chrono::seconds timeout{600};  // the whole exchange (a large scan takes minutes)
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Keeps its connection open between requests (HTTP keep-alive): a verb that sends many files to
// one server pays for the connection once. Not thread-safe: one Client per thread.
class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // kUnavailable when the server cannot be reached (the detail says why), kBadInput (field
  // "url") for a malformed URL, kInternal when body_file cannot be opened. Any HTTP status is a
  // response, not an error.
  Result<ClientResponse> send(const ClientRequest& request);

 private:
  void* curl_;  // CURL*, kept out of this header
};

// One request on a connection of its own.
Result<ClientResponse> send(const ClientRequest& request);

// Percent-encodes everything but RFC 3986 unreserved characters: a query value.
std::string urlEncode(std::string_view value);

// curl_global_init once per process (it is not thread-safe): every libcurl user calls this first.
void initCurl();

}  // namespace cst::http
