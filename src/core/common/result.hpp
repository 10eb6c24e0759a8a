#pragma once
// Errors as values: every fallible operation of the platform returns Result<T>. The error codes are
// a small closed set; core/http maps each one to exactly one HTTP status (problem.cpp), so a module
// never chooses a status code by itself.
#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace cst {

enum class ErrorCode {
  kBadInput,         // 400: malformed or invalid input; `fields` names what is wrong
  kUnauthenticated,  // 401: no valid session or token
  kForbidden,        // 403: authenticated but not allowed
  kNotFound,         // 404: absent, or not visible to the caller (never reveal another ente's data)
  kConflict,         // 409: duplicate or concurrent change
  kTooLarge,         // 413: body or file over its limit
  kRuleViolated,     // 422: well-formed but refused by a domain rule (e.g. infected upload)
  kRateLimited,      // 429: throttled (login attempts)
  kUnavailable,      // 503: a required service (database, scanner) is not reachable
  kInternal,         // 500: a bug or an unexpected failure; details go to the log, not the client
};

struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::vector<FieldError> fields;
  // Optional problem type slug, for errors a client must tell apart without parsing text
  // (e.g. "totp-required"); becomes the problem+json `type` URI.
  std::string type;

  static Error badInput(std::string field, std::string message) {
    Error e{ErrorCode::kBadInput, message, {}, {}};
    e.fields.push_back({std::move(field), std::move(message)});
    return e;
  }
  static Error make(ErrorCode code, std::string detail) {
    return Error{code, std::move(detail), {}, {}};
  }
};

template <class T>
using Result = tl::expected<T, Error>;

// For functions that return nothing on success.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string detail) {
  return tl::unexpected<Error>(Error::make(code, std::move(detail)));
}
inline tl::unexpected<Error> failField(std::string field, std::string message) {
  return tl::unexpected<Error>(Error::badInput(std::move(field), std::move(message)));
}
// 409 naming the field whose value is already taken (a duplicate key).
inline tl::unexpected<Error> conflictField(std::string field, std::string message) {
  Error e = Error::badInput(std::move(field), std::move(message));
  e.code = ErrorCode::kConflict;
  return tl::unexpected<Error>(std::move(e));
}
inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace cst
