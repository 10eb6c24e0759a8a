#include "sign/openssl.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace cst::sign::ossl {

Bio readBio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

Bio writeBio() { return Bio(BIO_new(BIO_s_mem())); }

std::string bioBytes(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

Result<Certificate> certificateFromPem(std::string_view pem, std::string_view what) {
  Bio in = readBio(pem);
  Certificate cert(in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    ERR_clear_error();
    return failField(std::string(what), "non è un certificato X.509 in formato PEM");
  }
  return cert;
}

Result<Key> keyFromPem(std::string_view pem) {
  // Decoding a PEM key and setting up its RSA blinding took a seventh of an ingest's CPU when
  // done for every signature: each key (the service has one or two) is decoded once, and every
  // caller gets a reference to it (an EVP_PKEY is safe to sign with from several threads).
  static std::mutex mutex;
  static std::map<std::string, Key, std::less<>> decoded;
  std::lock_guard lock(mutex);
  auto it = decoded.find(pem);
  if (it == decoded.end()) {
    Bio in = readBio(pem);
    Key key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) return fail(ErrorCode::kInternal, "cannot read the private key: " + errorText());
    it = decoded.emplace(std::string(pem), std::move(key)).first;
  }
  EVP_PKEY_up_ref(it->second.get());
  return Key(it->second.get());
}

std::string certificateToPem(X509* certificate) {
  Bio out = writeBio();
  if (!out || !PEM_write_bio_X509(out.get(), certificate)) return {};
  return bioBytes(out.get());
}

Certificates certificatesOf(X509* certificate) {
  Certificates stack(sk_X509_new_null());
  if (stack && X509_up_ref(certificate) == 1 && !sk_X509_push(stack.get(), certificate))
    X509_free(certificate);
  return stack;
}

Integer randomInteger(int bits) {
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> n(BN_new());
  if (!n || !BN_rand(n.get(), bits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)) return nullptr;
  return Integer(BN_to_ASN1_INTEGER(n.get(), nullptr));
}

std::string integerHex(const ASN1_INTEGER* value) {
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> n(ASN1_INTEGER_to_BN(value, nullptr));
  if (!n) return {};
  char* hex = BN_bn2hex(n.get());
  if (!hex) return {};
  std::string out(hex);
  OPENSSL_free(hex);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // BN_bn2hex pads to whole bytes ("0A"); a serial reads better without the padding.
  const auto first = out.find_first_not_of('0');
  return first == std::string::npos ? "0" : out.substr(first);
}

std::optional<std::time_t> epochOf(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  return ::timegm(&tm);
}

std::string errorText() {
  std::string text;
  const char* data = nullptr;
  int flags = 0;
  while (const unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    const char* reason = ERR_reason_error_string(e);
    if (!text.empty()) text += "; ";
    text += reason ? reason : "error " + std::to_string(ERR_GET_REASON(e));
    // The detail OpenSSL attaches, e.g. "Verify error:unable to get local issuer certificate".
    if ((flags & ERR_TXT_STRING) && data && *data) text += std::string(": ") + data;
  }
  return text;
}

}  // namespace cst::sign::ossl
