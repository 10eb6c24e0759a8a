#include "xml/signature.hpp"

#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>
#include <mutex>

#include "sign/key_pair.hpp"

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
using DsigCtx = std::unique_ptr<xmlSecDSigCtx, Freer<xmlSecDSigCtx, xmlSecDSigCtxDestroy>>;

}  // namespace

Result<SealKey> loadOrCreateSeal(const fs::path& dir, const std::string& subject_cn) {
  // No extensions: the seal signs XML (and CAdES through sign/cades), whose verifiers check the
  // key and the certificate's identity, not key usages.
  return sign::loadOrCreateKeyPair(dir / "seal-key.pem", dir / "seal-certificate.pem", subject_cn);
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
