#include "sign/timestamp.hpp"

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include "common/crypto.hpp"
#include "http/client.hpp"
#include "sign/key_pair.hpp"
#include "sign/openssl.hpp"

namespace cst::sign {

namespace fs = std::filesystem;

namespace {

using Request = std::unique_ptr<TS_REQ, ossl::Deleter<TS_REQ, TS_REQ_free>>;
using Response = std::unique_ptr<TS_RESP, ossl::Deleter<TS_RESP, TS_RESP_free>>;
using VerifyCtx = std::unique_ptr<TS_VERIFY_CTX, ossl::Deleter<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;
using ResponderCtx = std::unique_ptr<TS_RESP_CTX, ossl::Deleter<TS_RESP_CTX, TS_RESP_CTX_free>>;
using Imprint = std::unique_ptr<TS_MSG_IMPRINT, ossl::Deleter<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>>;
using Algorithm = std::unique_ptr<X509_ALGOR, ossl::Deleter<X509_ALGOR, X509_ALGOR_free>>;

std::string sha256(std::string_view data) { return fromHex(sha256Hex(data)); }

// A TimeStampReq as sent, and what its reply must match.
struct PreparedRequest {
  std::string digest;  // SHA-256 of the data, raw
  ossl::Integer nonce;
  std::string der;
};

// RFC 3161 §2.4.1: version 1, the imprint, a 64-bit random nonce (a replayed old reply cannot
// pass for a new one), certReq true (the reply carries the TSA certificate, so a verifier years
// later needs nothing else). No reqPolicy: the TSA's default policy is the one it is trusted for.
Result<PreparedRequest> makeRequest(std::string_view data) {
  PreparedRequest out{sha256(data), ossl::randomInteger(64), {}};
  Request req(TS_REQ_new());
  Imprint imprint(TS_MSG_IMPRINT_new());
  Algorithm algorithm(X509_ALGOR_new());
  // Every TS_*_set_* below copies its argument.
  if (!out.nonce || !req || !imprint || !algorithm ||
      !X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) ||
      !TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) ||
      !TS_MSG_IMPRINT_set_msg(imprint.get(), reinterpret_cast<unsigned char*>(out.digest.data()),
                              static_cast<int>(out.digest.size())) ||
      !TS_REQ_set_version(req.get(), 1) || !TS_REQ_set_msg_imprint(req.get(), imprint.get()) ||
      !TS_REQ_set_nonce(req.get(), out.nonce.get()) || !TS_REQ_set_cert_req(req.get(), 1))
    return fail(ErrorCode::kInternal, "timestamp: cannot build the request: " + ossl::errorText());
  unsigned char* der = nullptr;
  const int n = i2d_TS_REQ(req.get(), &der);
  if (n <= 0) return fail(ErrorCode::kInternal, "timestamp: cannot encode the request");
  out.der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

// "2026-11-27T14:30:00Z" from the DER GeneralizedTime "20261127143000Z" (RFC 3161 §2.4.2: UTC,
// "Z", fractions without trailing zeros); nullopt for anything else.
std::optional<std::string> isoTime(const ASN1_GENERALIZEDTIME* time) {
  if (!time) return std::nullopt;
  const std::string_view s(reinterpret_cast<const char*>(ASN1_STRING_get0_data(time)),
                           static_cast<std::size_t>(ASN1_STRING_length(time)));
  const auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (s.size() < 15 || s.back() != 'Z' || !digits(s.substr(0, 14))) return std::nullopt;
  const std::string_view fraction = s.substr(14, s.size() - 15);
  if (!fraction.empty() &&
      (fraction.size() < 2 || fraction[0] != '.' || !digits(fraction.substr(1))))
    return std::nullopt;
  std::string out;
  out.append(s.substr(0, 4)).append("-").append(s.substr(4, 2)).append("-");
  out.append(s.substr(6, 2)).append("T").append(s.substr(8, 2)).append(":");
  out.append(s.substr(10, 2)).append(":").append(s.substr(12, 2));
  out.append(fraction).append("Z");
  return out;
}

// The PKIStatusInfo of a refusal, readable: status, failure reasons, the TSA's own text.
std::string statusText(TS_STATUS_INFO* info) {
  static constexpr std::pair<int, const char*> kFailures[] = {
      {TS_INFO_BAD_ALG, "badAlg"},
      {TS_INFO_BAD_REQUEST, "badRequest"},
      {TS_INFO_BAD_DATA_FORMAT, "badDataFormat"},
      {TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable"},
      {TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy"},
      {TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension"},
      {TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
      {TS_INFO_SYSTEM_FAILURE, "systemFailure"},
  };
  std::string text = "status " + std::to_string(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info)));
  if (const ASN1_BIT_STRING* bits = TS_STATUS_INFO_get0_failure_info(info))
    for (const auto& [bit, name] : kFailures)
      if (ASN1_BIT_STRING_get_bit(bits, bit)) text += std::string(", ") + name;
  if (const STACK_OF(ASN1_UTF8STRING)* notes = TS_STATUS_INFO_get0_text(info))
    for (int i = 0; i < sk_ASN1_UTF8STRING_num(notes); ++i) {
      const ASN1_UTF8STRING* note = sk_ASN1_UTF8STRING_value(notes, i);
      text += ", \"";
      text.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(note)),
                  static_cast<std::size_t>(ASN1_STRING_length(note)));
      text += "\"";
    }
  return text;
}

// Checks a TimeStampResp: status granted, SHA-256 imprint = `digest`, the nonce when one was
// sent, version 1, and a signature by exactly `tsa_certificate_pem`, whose EKU OpenSSL requires
// to be timeStamping (critical). The certificate is a trust anchor as given, even when not
// self-signed (X509_V_FLAG_PARTIAL_CHAIN: a real TSA is trusted by configuring its certificate),
// and it must have been valid at genTime, not now: a token stays verifiable after the TSA
// certificate expired. Failures carry `code` and the field "timestamp".
Result<TimeStamp> checkResponse(std::string_view response_der, std::string_view digest,
                                const ASN1_INTEGER* nonce, std::string_view tsa_certificate_pem,
                                ErrorCode code) {
  ERR_clear_error();
  const auto refuse = [code](const std::string& what) {
    const std::string why = ossl::errorText();
    Error e = Error::badInput("timestamp", why.empty() ? what : what + " (" + why + ")");
    e.code = code;
    return tl::unexpected<Error>(std::move(e));
  };
  auto tsa = ossl::certificateFromPem(tsa_certificate_pem, "tsa_certificate");
  if (!tsa) return refuse("il certificato della TSA non è un certificato PEM");
  const auto* p = reinterpret_cast<const unsigned char*>(response_der.data());
  Response resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response_der.size())));
  if (!resp) return refuse("la risposta non è un TimeStampResp in DER");
  TS_STATUS_INFO* status = TS_RESP_get_status_info(resp.get());
  const long granted = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status));
  if (granted != TS_STATUS_GRANTED && granted != TS_STATUS_GRANTED_WITH_MODS)
    return refuse("la TSA ha rifiutato la richiesta: " + statusText(status));
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  PKCS7* token = TS_RESP_get_token(resp.get());
  if (!info || !token) return refuse("la risposta non contiene una marca temporale");
  const ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR_get0(&algorithm, nullptr, nullptr,
                  TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(info)));
  if (OBJ_obj2nid(algorithm) != NID_sha256) return refuse("l'impronta non è SHA-256");
  const ASN1_GENERALIZEDTIME* gen_time = TS_TST_INFO_get_time(info);
  const auto when = ossl::epochOf(gen_time);
  auto iso = isoTime(gen_time);
  if (!when || !iso) return refuse("genTime non è un GeneralizedTime UTC");

  VerifyCtx ctx(TS_VERIFY_CTX_new());
  ossl::Store store(X509_STORE_new());
  ossl::Certificates untrusted = ossl::certificatesOf(tsa->get());
  auto* imprint = static_cast<unsigned char*>(OPENSSL_malloc(digest.size()));
  if (!ctx || !store || !untrusted || !imprint ||
      X509_STORE_add_cert(store.get(), tsa->get()) != 1) {
    OPENSSL_free(imprint);
    return fail(ErrorCode::kInternal, "timestamp: cannot prepare the verification");
  }
  std::memcpy(imprint, digest.data(), digest.size());
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time(param, *when);
  // OpenSSL 3.0: the context takes ownership of what is set in it (3.4 names these set0_*).
  TS_VERIFY_CTX_set_imprint(ctx.get(), imprint, static_cast<long>(digest.size()));
  TS_VERIFY_CTX_set_store(ctx.get(), store.release());
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted.release());
  // TS_VFY_SIGNER: a TSA name in the token must be the signer's.
  TS_VERIFY_CTX_set_flags(ctx.get(),
                          TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT | TS_VFY_SIGNER);
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1)
    return refuse("marca temporale non valida per questi dati o per questa TSA");
  // Compared here: OpenSSL 3.0 has no setter for the nonce of TS_VFY_NONCE.
  if (nonce) {
    const ASN1_INTEGER* echoed = TS_TST_INFO_get_nonce(info);
    if (!echoed || ASN1_INTEGER_cmp(echoed, nonce) != 0)
      return refuse("il nonce della risposta non è quello della richiesta");
  }
  // The signature is by a certificate that chains to the configured one; the contract is that
  // it IS the configured one (a TSA certificate that happens to be a CA vouches for no other).
  ossl::Certificates lookup = ossl::certificatesOf(tsa->get());
  STACK_OF(X509)* signers = PKCS7_get0_signers(token, lookup.get(), 0);
  const bool by_tsa =
      signers && sk_X509_num(signers) == 1 && X509_cmp(sk_X509_value(signers, 0), tsa->get()) == 0;
  sk_X509_free(signers);
  if (!by_tsa) return refuse("la marca non è firmata dal certificato della TSA configurata");

  char policy[128] = "";
  OBJ_obj2txt(policy, sizeof policy, TS_TST_INFO_get_policy_id(info), 1);
  return TimeStamp{std::string(response_der), std::move(*iso),
                   ossl::integerHex(TS_TST_INFO_get_serial(info)), policy};
}

// 128 random bits per token: unique without a counter file to keep, lock and back up.
ASN1_INTEGER* randomSerial(TS_RESP_CTX* ctx, void*) {
  ossl::Integer serial = ossl::randomInteger(128);
  if (!serial) {
    TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "no serial number");
    TS_RESP_CTX_add_failure_info(ctx, TS_INFO_ADD_INFO_NOT_AVAILABLE);
  }
  return serial.release();  // OpenSSL frees it
}

class HttpTsa final : public TimeStampAuthority {
 public:
  HttpTsa(std::string url, std::string certificate_pem, std::string username, std::string password)
      : url_(std::move(url)),
        certificate_pem_(std::move(certificate_pem)),
        username_(std::move(username)),
        password_(std::move(password)) {}

  Result<TimeStamp> stamp(std::string_view data) override {
    auto request = makeRequest(data);
    if (!request) return fail(request.error());
    http::ClientRequest call;
    call.method = "POST";
    call.url = urlWithCredentials();
    call.content_type = "application/timestamp-query";
    call.body = request->der;
    call.timeout = std::chrono::seconds(30);
    // One connection per stamp: stamp() may be called from several threads, and a Client
    // serves one; an AIP index is stamped once, so keep-alive would save nothing.
    auto answer = http::send(call);
    if (!answer) return fail(ErrorCode::kUnavailable, "TSA " + url_ + ": " + answer.error().detail);
    if (answer->status != 200)
      return fail(ErrorCode::kUnavailable,
                  "TSA " + url_ + ": risposta HTTP " + std::to_string(answer->status));
    auto checked = checkResponse(answer->body, request->digest, request->nonce.get(),
                                 certificate_pem_, ErrorCode::kUnavailable);
    if (!checked) checked.error().detail = "TSA " + url_ + ": " + checked.error().detail;
    return checked;
  }
  std::string certificatePem() const override { return certificate_pem_; }
  std::string name() const override { return url_; }
  // The operator configures a TSA as the qualified one (eIDAS trusted list): the platform cannot
  // check that offline, and a non-qualified TSA belongs in the local one's place.
  bool qualified() const override { return true; }

 private:
  // HTTP Basic through userinfo in the URL, which libcurl turns into the Authorization header
  // (the shared client speaks Bearer only). Never shown: name() is the plain URL.
  std::string urlWithCredentials() const {
    const auto scheme_end = url_.find("://");
    if (username_.empty() || scheme_end == std::string::npos) return url_;
    return url_.substr(0, scheme_end + 3) + http::urlEncode(username_) + ":" +
           http::urlEncode(password_) + "@" + url_.substr(scheme_end + 3);
  }

  const std::string url_;
  const std::string certificate_pem_;
  const std::string username_;
  const std::string password_;
};

}  // namespace

struct LocalTsa::Responder {
  std::string certificate_pem;
  std::mutex mutex;
  // TS_RESP_create_response keeps the request and the reply it is building inside the context:
  // one at a time.
  ResponderCtx ctx;
};

LocalTsa::LocalTsa(std::unique_ptr<Responder> responder) : responder_(std::move(responder)) {}
LocalTsa::~LocalTsa() = default;

Result<std::unique_ptr<LocalTsa>> LocalTsa::open(const fs::path& dir,
                                                 const std::string& subject_cn) {
  // RFC 3161 §2.3: the TSA certificate has exactly one extended key usage, id-kp-timeStamping,
  // marked critical. The key signs tokens only.
  auto pair = loadOrCreateKeyPair(dir / "tsa-key.pem", dir / "tsa-certificate.pem", subject_cn,
                                  {{"basicConstraints", "critical,CA:FALSE"},
                                   {"keyUsage", "critical,digitalSignature,nonRepudiation"},
                                   {"extendedKeyUsage", "critical,timeStamping"},
                                   {"subjectKeyIdentifier", "hash"}});
  if (!pair) return fail(pair.error());
  ERR_clear_error();
  auto cert = ossl::certificateFromPem(pair->certificate_pem, "tsa_certificate");
  if (!cert) return fail(ErrorCode::kInternal, "local TSA: tsa-certificate.pem is not PEM");
  auto key = ossl::keyFromPem(pair->key_pem);
  if (!key) return fail(key.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1)
    return fail(ErrorCode::kInternal, "local TSA: the key does not match the certificate");
  auto responder = std::make_unique<Responder>();
  responder->certificate_pem = pair->certificate_pem;
  responder->ctx.reset(TS_RESP_CTX_new());
  ossl::Object policy(OBJ_txt2obj(std::string(kLocalTsaPolicy).c_str(), 1));
  TS_RESP_CTX* ctx = responder->ctx.get();
  // set_signer_cert refuses a certificate without the time-stamping purpose.
  if (!ctx || !policy || !TS_RESP_CTX_set_signer_cert(ctx, cert->get()) ||
      !TS_RESP_CTX_set_signer_key(ctx, key->get()) ||
      !TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256()) ||
      !TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) ||
      !TS_RESP_CTX_set_def_policy(ctx, policy.get()) || !TS_RESP_CTX_add_md(ctx, EVP_sha256()) ||
      !TS_RESP_CTX_add_md(ctx, EVP_sha384()) || !TS_RESP_CTX_add_md(ctx, EVP_sha512()) ||
      !TS_RESP_CTX_set_accuracy(ctx, 1, 0, 0) || !TS_RESP_CTX_set_clock_precision_digits(ctx, 0))
    return fail(ErrorCode::kInternal, "local TSA: " + ossl::errorText());
  TS_RESP_CTX_add_flags(ctx, TS_TSA_NAME);
  TS_RESP_CTX_set_serial_cb(ctx, randomSerial, nullptr);
  return std::unique_ptr<LocalTsa>(new LocalTsa(std::move(responder)));
}

Result<std::string> LocalTsa::reply(std::string_view request_der) {
  ossl::Bio in = ossl::readBio(request_der);
  if (!in) return fail(ErrorCode::kInternal, "local TSA: out of memory");
  Response resp;
  {
    std::lock_guard lock(responder_->mutex);
    ERR_clear_error();
    resp.reset(TS_RESP_create_response(responder_->ctx.get(), in.get()));
  }
  unsigned char* der = nullptr;
  const int n = resp ? i2d_TS_RESP(resp.get(), &der) : 0;
  if (n <= 0) return fail(ErrorCode::kInternal, "local TSA: no response: " + ossl::errorText());
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

Result<TimeStamp> LocalTsa::stamp(std::string_view data) {
  auto request = makeRequest(data);
  if (!request) return fail(request.error());
  auto response = reply(request->der);
  if (!response) return fail(response.error());
  return checkResponse(*response, request->digest, request->nonce.get(),
                       responder_->certificate_pem, ErrorCode::kUnavailable);
}

std::string LocalTsa::certificatePem() const { return responder_->certificate_pem; }

Result<std::unique_ptr<TimeStampAuthority>> openLocalTsa(const fs::path& dir,
                                                         const std::string& subject_cn) {
  auto tsa = LocalTsa::open(dir, subject_cn);
  if (!tsa) return fail(tsa.error());
  return std::unique_ptr<TimeStampAuthority>(std::move(*tsa));
}

std::unique_ptr<TimeStampAuthority> httpTsa(std::string url, std::string certificate_pem,
                                            std::string username, std::string password) {
  return std::make_unique<HttpTsa>(std::move(url), std::move(certificate_pem), std::move(username),
                                   std::move(password));
}

Result<TimeStamp> verifyTimeStamp(std::string_view response_der, std::string_view data,
                                  std::string_view tsa_certificate_pem) {
  return checkResponse(response_der, sha256(data), nullptr, tsa_certificate_pem,
                       ErrorCode::kBadInput);
}

}  // namespace cst::sign
