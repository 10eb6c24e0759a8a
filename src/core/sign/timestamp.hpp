#pragma once
// RFC 3161 time-stamps: the time reference of every AIP index. A TimeStampAuthority is either the
// configured one over HTTP (a qualified TSA in production: eIDAS "validazione temporale") or the
// built-in local TSA for the demo and tests, with its own key and certificate made at first use
// (documented as NOT qualified). Only this file's implementation includes OpenSSL's TS headers.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::sign {

struct TimeStamp {
  std::string response_der;  // the whole TimeStampResp (.tsr), as the TSA sent it
  std::string gen_time;      // genTime, "2026-11-27T14:30:00Z" (UTC, with fractions if given)
  std::string serial;        // the token's serial number, hex
  std::string policy;        // the TSA policy OID, dotted
};

class TimeStampAuthority {
 public:
  virtual ~TimeStampAuthority() = default;
  // A time-stamp over SHA-256(data), with a fresh random nonce and the TSA certificate requested;
  // the reply is checked (status granted, imprint and nonce, signature by certificatePem()) before
  // it is returned. kUnavailable when the TSA cannot be reached or refuses.
  virtual Result<TimeStamp> stamp(std::string_view data) = 0;
  // The TSA's signing certificate, PEM: what a verifier trusts (kept in every DIP).
  virtual std::string certificatePem() const = 0;
  // "local" or the URL: recorded with every time-stamp.
  virtual std::string name() const = 0;
  virtual bool qualified() const = 0;
};

// The built-in TSA: tsa-key.pem (0600) and tsa-certificate.pem in `dir` (a self-signed RSA-3072
// certificate for `subject_cn`, 10 years, extended key usage id-kp-timeStamping marked critical,
// as RFC 3161 §2.3 requires), created when absent; serial numbers are 128 random bits. Thread-safe.
Result<std::unique_ptr<TimeStampAuthority>> openLocalTsa(const std::filesystem::path& dir,
                                                         const std::string& subject_cn);

// The policy OID of the local TSA's tokens: under 1.3.6.1.4.1.99999, a private arc that is not
// registered to anyone, so nobody can mistake the tokens for those of a real TSA's policy.
inline constexpr std::string_view kLocalTsaPolicy = "1.3.6.1.4.1.99999.1.1";

// The built-in TSA itself, for what needs it as a server (tests answering an HTTP TSA's
// requests). genTime in whole seconds, accuracy 1 s, SHA-256/384/512 imprints accepted, the TSA
// name and an ESS signing-certificate-v2 (SHA-256) in every token.
class LocalTsa final : public TimeStampAuthority {
 public:
  // As openLocalTsa. kUnavailable when the files cannot be written, kInternal when OpenSSL
  // refuses them (e.g. a certificate without the time-stamping usage put there by hand).
  static Result<std::unique_ptr<LocalTsa>> open(const std::filesystem::path& dir,
                                                const std::string& subject_cn);
  ~LocalTsa() override;

  // What a TSA server answers to a DER TimeStampReq: a DER TimeStampResp, granted or a rejection
  // stating why (malformed request, unsupported hash). kInternal only when OpenSSL fails.
  Result<std::string> reply(std::string_view request_der);

  Result<TimeStamp> stamp(std::string_view data) override;
  std::string certificatePem() const override;
  std::string name() const override { return "local"; }
  bool qualified() const override { return false; }

 private:
  struct Responder;  // OpenSSL's TS_RESP_CTX and the mutex guarding it
  explicit LocalTsa(std::unique_ptr<Responder> responder);
  std::unique_ptr<Responder> responder_;
};

// A TSA reached over HTTP(S): POST of the DER request as application/timestamp-query, reply
// application/timestamp-reply; `certificate_pem` is the TSA's certificate the replies must be
// signed by. `username`/`password`: HTTP Basic when the TSA wants it (empty: none).
std::unique_ptr<TimeStampAuthority> httpTsa(std::string url, std::string certificate_pem,
                                            std::string username = {}, std::string password = {});

// Checks a TimeStampResp over `data` offline: status granted, message imprint = SHA-256(data),
// signature by `tsa_certificate_pem` (trusted as given; its EKU must be timeStamping). Returns the
// token's facts; kBadInput naming what failed.
Result<TimeStamp> verifyTimeStamp(std::string_view response_der, std::string_view data,
                                  std::string_view tsa_certificate_pem);

}  // namespace cst::sign
