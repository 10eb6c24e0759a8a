#include "auth/password.hpp"

#include <sodium.h>

namespace cst::auth {

Result<std::string> hashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fail(ErrorCode::kInternal, "password hashing ran out of memory");
  return std::string(out);
}

bool verifyPassword(std::string_view password, const std::string& stored_hash) {
  if (stored_hash.empty()) return false;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

Status checkPasswordRules(std::string_view password) {
  if (password.size() < 10) return failField("password", "deve contenere almeno 10 caratteri");
  if (password.size() > 256) return failField("password", "troppo lunga (massimo 256 caratteri)");
  return {};
}

}  // namespace cst::auth
