#include "common/json_fields.hpp"

namespace cst {

JsonFields::JsonFields(const nlohmann::json& body, std::string what)
    : body_(body), error_(Error::make(ErrorCode::kBadInput, std::move(what))) {}

bool JsonFields::has(const char* key) const {
  return body_.is_object() && body_.contains(key) && !body_[key].is_null();
}

bool JsonFields::isNull(const char* key) const {
  return body_.is_object() && body_.contains(key) && body_[key].is_null();
}

void JsonFields::bad(std::string field, std::string message) {
  error_.fields.push_back({std::move(field), std::move(message)});
}

std::optional<std::string> JsonFields::text(const char* key, Need need, bool empty_is_absent) {
  const bool empty =
      has(key) && body_[key].is_string() && body_[key].get_ref<const std::string&>().empty();
  if (!has(key) || (empty && empty_is_absent)) {
    if (need == Need::kRequired) bad(key, "campo obbligatorio");
    return std::nullopt;
  }
  if (!body_[key].is_string()) {
    bad(key, "deve essere una stringa");
    return std::nullopt;
  }
  return body_[key].get<std::string>();
}

std::optional<std::int64_t> JsonFields::integer(const char* key, Need need) {
  if (!has(key)) {
    if (need == Need::kRequired) bad(key, "campo obbligatorio");
    return std::nullopt;
  }
  if (!body_[key].is_number_integer()) {
    bad(key, "deve essere un numero intero");
    return std::nullopt;
  }
  return body_[key].get<std::int64_t>();
}

std::optional<bool> JsonFields::boolean(const char* key) {
  if (!has(key)) return std::nullopt;
  if (!body_[key].is_boolean()) {
    bad(key, "deve essere true o false");
    return std::nullopt;
  }
  return body_[key].get<bool>();
}

Status JsonFields::result() const {
  if (ok()) return {};
  Error e = error_;
  e.detail = e.fields.front().field + ": " + e.fields.front().message;
  return tl::unexpected(std::move(e));
}

}  // namespace cst
