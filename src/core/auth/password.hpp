#pragma once
// Password hashing with Argon2id (libsodium crypto_pwhash_str): deliberately slow (~64 MiB, a few
// tens of ms), so it always runs on the worker pool and logins are throttled.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::auth {

Result<std::string> hashPassword(std::string_view password);
bool verifyPassword(std::string_view password, const std::string& stored_hash);
// Minimum rules for a new password; the error names the field "password".
Status checkPasswordRules(std::string_view password);

}  // namespace cst::auth
