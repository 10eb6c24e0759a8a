#include "xml/signature.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

namespace cst::xml {

namespace fs = std::filesystem;

namespace {

// xmlsec and its OpenSSL engine are initialised once per process and never shut down (other
// threads may be signing when the process ends).
Status initXmlsec() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    ok = xmlSecInit() >= 0 && xmlSecCheckVersion() == 1 && xmlSecCryptoAppInit(nullptr) >= 0 &&
         xmlSecCryptoInit() >= 0;
  });
  if (!ok) return fail(ErrorCode::kInternal, "xmlsec: initialisation failed");
  return {};
}

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Freer<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Freer<BIO, BIO_free_all>>;
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, Freer<xmlSecDSigCtx, xmlSecDSigCtxDestroy>>;

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

Result<SealKey> newSeal(const std::string& subject_cn) {
  Pkey key(EVP_RSA_gen(3072));
  Cert cert(X509_new());
  if (!key || !cert) return fail(ErrorCode::kInternal, "seal: cannot create a key");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("IT"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return fail(ErrorCode::kInternal, "seal: cannot sign the certificate");
  Bio key_out(BIO_new(BIO_s_mem()));
  Bio cert_out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ||
      !PEM_write_bio_X509(cert_out.get(), cert.get()))
    return fail(ErrorCode::kInternal, "seal: cannot write PEM");
  return SealKey{bioText(key_out.get()), bioText(cert_out.get())};
}

std::optional<std::string> readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` through a temporary file and a rename: a crash leaves the old file or
// the new one, never half of one.
bool writeAtomically(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    out.flush();
    if (!out) return false;
  }
  ::chmod(temp.c_str(), mode);
  std::error_code ec;
  fs::rename(temp, path, ec);
  return !ec;
}

}  // namespace

Result<SealKey> loadOrCreateSeal(const fs::path& dir, const std::string& subject_cn) {
  const fs::path key_path = dir / "seal-key.pem";
  const fs::path cert_path = dir / "seal-certificate.pem";
  auto key = readFile(key_path);
  auto cert = readFile(cert_path);
  if (key && cert) return SealKey{*key, *cert};
  // The certificate is written last: a key without one is replaced, never paired with another.
  static std::mutex creating;
  std::lock_guard lock(creating);
  key = readFile(key_path);
  cert = readFile(cert_path);
  if (key && cert) return SealKey{*key, *cert};
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto fresh = newSeal(subject_cn);
  if (!fresh) return fresh;
  if (!writeAtomically(key_path, fresh->key_pem, 0600) ||
      !writeAtomically(cert_path, fresh->certificate_pem, 0644))
    return fail(ErrorCode::kUnavailable, "seal: cannot write " + dir.string());
  return fresh;
}

Status signEnveloped(xmlDoc* doc, const SealKey& seal) {
  if (auto s = initXmlsec(); !s) return s;
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!root) return fail(ErrorCode::kInternal, "xmlsec: empty document");
  xmlNode* signature = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId,
                                                 xmlSecTransformRsaSha256Id, nullptr);
  if (!signature) return fail(ErrorCode::kInternal, "xmlsec: cannot create the signature");
  xmlAddChild(root, signature);
  xmlNode* ref = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                 BAD_CAST "", nullptr);
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) || !key_info ||
      !xmlSecTmplKeyInfoAddX509Data(key_info))
    return fail(ErrorCode::kInternal, "xmlsec: cannot build the signature template");
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return fail(ErrorCode::kInternal, "xmlsec: no context");
  ctx->signKey =
      xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(seal.key_pem.data()),
                                   static_cast<xmlSecSize>(seal.key_pem.size()),
                                   xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
  if (!ctx->signKey ||
      xmlSecCryptoAppKeyCertLoadMemory(
          ctx->signKey, reinterpret_cast<const xmlSecByte*>(seal.certificate_pem.data()),
          static_cast<xmlSecSize>(seal.certificate_pem.size()), xmlSecKeyDataFormatPem) < 0)
    return fail(ErrorCode::kInternal, "xmlsec: cannot load the seal");
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0)
    return fail(ErrorCode::kInternal, "xmlsec: signing failed");
  return {};
}

Status verifyEnveloped(xmlDoc* doc, std::string_view certificate_pem) {
  if (auto s = initXmlsec(); !s) return s;
  xmlNode* signature = xmlSecFindNode(xmlDocGetRootElement(doc), xmlSecNodeSignature, xmlSecDSigNs);
  if (!signature) return failField("signature", "nessuna firma nel documento");
  DsigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return fail(ErrorCode::kInternal, "xmlsec: no context");
  ctx->signKey =
      xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(certificate_pem.data()),
                                   static_cast<xmlSecSize>(certificate_pem.size()),
                                   xmlSecKeyDataFormatCertPem, nullptr, nullptr, nullptr);
  if (!ctx->signKey) return fail(ErrorCode::kInternal, "xmlsec: cannot load the certificate");
  if (xmlSecDSigCtxVerify(ctx.get(), signature) < 0)
    return failField("signature", "firma non verificabile");
  if (ctx->status != xmlSecDSigStatusSucceeded)
    return failField("signature", "firma non valida: il documento è stato modificato");
  return {};
}

}  // namespace cst::xml
