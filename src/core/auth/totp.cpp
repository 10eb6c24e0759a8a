#include "auth/totp.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <cstdlib>
#include <mutex>

namespace cst::auth {

namespace {
void initOath() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

Result<std::string> decodeSecret(const std::string& base32) {
  char* raw = nullptr;
  size_t len = 0;
  if (oath_base32_decode(base32.c_str(), base32.size(), &raw, &len) != OATH_OK)
    return failField("totp_secret", "invalid base32 secret");
  std::string out(raw, len);
  std::free(raw);
  return out;
}
}  // namespace

std::string newTotpSecret() {
  initOath();
  unsigned char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* b32 = nullptr;
  size_t len = 0;
  oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &b32, &len);
  std::string out(b32, len);
  std::free(b32);
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string totpUri(const std::string& secret_base32, const std::string& account) {
  return "otpauth://totp/CST:" + account + "?secret=" + secret_base32 +
         "&issuer=CST&digits=6&period=30";
}

std::optional<std::int64_t> matchTotpStep(const std::string& secret_base32, const std::string& code,
                                          std::chrono::system_clock::time_point now) {
  initOath();
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  auto secret = decodeSecret(secret_base32);
  if (!secret) return std::nullopt;
  const time_t t = std::chrono::system_clock::to_time_t(now);
  int position = 0;
  const int rc =
      oath_totp_validate2(secret->data(), secret->size(), t, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                          OATH_TOTP_DEFAULT_START_TIME, 1, &position, code.c_str());
  if (rc < 0) return std::nullopt;
  return static_cast<std::int64_t>(t / OATH_TOTP_DEFAULT_TIME_STEP_SIZE) + position;
}

Result<std::string> totpCode(const std::string& secret_base32,
                             std::chrono::system_clock::time_point at) {
  initOath();
  auto secret = decodeSecret(secret_base32);
  if (!secret) return tl::unexpected(secret.error());
  char out[7] = {0};
  if (oath_totp_generate(secret->data(), secret->size(), std::chrono::system_clock::to_time_t(at),
                         OATH_TOTP_DEFAULT_TIME_STEP_SIZE, OATH_TOTP_DEFAULT_START_TIME, 6,
                         out) != OATH_OK)
    return fail(ErrorCode::kInternal, "TOTP generation failed");
  return std::string(out);
}

}  // namespace cst::auth
