#pragma once
// Hashing and secrets shared by the core: SHA-256 (OpenSSL) for content addresses and the audit
// chain, random tokens and constant-time comparison (libsodium) for sessions and CSRF.
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst {

std::string sha256Hex(std::string_view data);
// Streams the file in chunks; never loads it whole.
Result<std::string> sha256File(const std::filesystem::path& file);

// Incremental SHA-256 for data that is written as it is hashed.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hexDigest();  // finishes the hash

 private:
  void* ctx_;
};

// `bytes` random bytes from the OS CSPRNG, as URL-safe base64 without padding.
std::string randomToken(std::size_t bytes = 32);
bool constantTimeEquals(std::string_view a, std::string_view b);
std::string toHex(std::string_view bytes);
// Standard base64 with padding (RFC 4648 §4), as XML's base64Binary wants it.
std::string base64(std::string_view bytes);
// The bytes a lower- or upper-case hex string stands for; empty for odd length or a non-hex digit.
std::string fromHex(std::string_view hex);

}  // namespace cst
