#pragma once
// TOTP second factor (RFC 6238, 30 s steps, 6 digits, SHA-1: what authenticator apps support),
// through liboath.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace cst::auth {

// A new random secret, base32 (for the otpauth:// URI shown to the user).
std::string newTotpSecret();
std::string totpUri(const std::string& secret_base32, const std::string& account);
// The time step (Unix time / 30 s) whose code `code` is: the current step or one either side
// (clock drift); nullopt when the code matches none. The caller accepts each step once
// (RFC 6238 §5.2: a code must not be replayed).
std::optional<std::int64_t> matchTotpStep(const std::string& secret_base32, const std::string& code,
                                          std::chrono::system_clock::time_point now);
// The code for a time (tests and the CLI).
Result<std::string> totpCode(const std::string& secret_base32,
                             std::chrono::system_clock::time_point at);

}  // namespace cst::auth
