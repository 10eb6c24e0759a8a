#pragma once
// TOTP second factor (RFC 6238, 30 s steps, 6 digits, SHA-1: what authenticator apps support),
// through liboath.
#include <chrono>
#include <string>

#include "common/result.hpp"

namespace cst::auth {

// A new random secret, base32 (for the otpauth:// URI shown to the user).
std::string newTotpSecret();
std::string totpUri(const std::string& secret_base32, const std::string& account);
// Accepts the code of the current step and one step either side (clock drift).
bool verifyTotp(const std::string& secret_base32, const std::string& code,
                std::chrono::system_clock::time_point now);
// The code for a time (tests and the CLI).
Result<std::string> totpCode(const std::string& secret_base32,
                             std::chrono::system_clock::time_point at);

}  // namespace cst::auth
