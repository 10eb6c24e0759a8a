#pragma once
// Reads the fields of a JSON request body one by one, collecting every problem, so that a single
// 400 names all the wrong fields at once (problem+json "errors").
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace cst {

class JsonFields {
 public:
  // `body` must outlive the reader; `what` is the problem's detail when there are errors.
  JsonFields(const nlohmann::json& body, std::string what);

  enum class Need { kOptional, kRequired };
  // A string field; an empty string counts as absent when `empty_is_absent`.
  std::optional<std::string> text(const char* key, Need need = Need::kOptional,
                                  bool empty_is_absent = false);
  std::optional<std::int64_t> integer(const char* key, Need need = Need::kOptional);
  std::optional<bool> boolean(const char* key);
  // Present and not null.
  bool has(const char* key) const;
  // Present with an explicit null (to clear a value in a PATCH).
  bool isNull(const char* key) const;

  void bad(std::string field, std::string message);
  bool ok() const { return error_.fields.empty(); }
  // Success, or kBadInput with every field error (the detail names the first).
  Status result() const;

 private:
  const nlohmann::json& body_;
  Error error_;
};

}  // namespace cst
