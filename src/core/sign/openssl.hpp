#pragma once
// What the signing code (CAdES, RFC 3161, the platform's own keys) shares on top of OpenSSL:
// owning handles, PEM and DER in and out of memory, random integers, the error queue as text.
// Included only by .cpp files: it pulls OpenSSL's headers, which the public headers keep out.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::sign::ossl {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
inline void freeCertificates(STACK_OF(X509) * certs) { sk_X509_pop_free(certs, X509_free); }

using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Certificates = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), freeCertificates>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Integer = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using Object = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT, ASN1_OBJECT_free>>;

// A read-only memory BIO over `bytes`, which must outlive it.
Bio readBio(std::string_view bytes);
// An empty memory BIO to write into, and what was written to it.
Bio writeBio();
std::string bioBytes(BIO* bio);

// The first certificate of a PEM text; kBadInput naming `what` when there is none.
Result<Certificate> certificateFromPem(std::string_view pem, std::string_view what);
// The private key of a PEM, decoded once per process and shared (a new reference each call).
Result<Key> keyFromPem(std::string_view pem);
std::string certificateToPem(X509* certificate);
// A stack holding one more reference to `certificate`: what OpenSSL wants for "untrusted" lists.
Certificates certificatesOf(X509* certificate);

// `bits` random bits from OpenSSL's CSPRNG as a non-negative INTEGER: certificate and time-stamp
// serials, nonces. Null when the generator fails.
Integer randomInteger(int bits);
// An INTEGER as lower-case hex without leading zeros ("0" for zero).
std::string integerHex(const ASN1_INTEGER* value);

// Seconds since the epoch of an ASN.1 UTCTime or GeneralizedTime; nullopt when malformed.
std::optional<std::time_t> epochOf(const ASN1_TIME* time);

// The reasons queued by OpenSSL on this thread, "; "-separated, and the queue emptied: what a
// message says after "why". Empty when OpenSSL queued nothing.
std::string errorText();

}  // namespace cst::sign::ossl
