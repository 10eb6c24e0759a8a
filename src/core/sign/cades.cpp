#include "sign/cades.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "sign/openssl.hpp"

namespace cst::sign {

namespace {

using Cms = std::unique_ptr<CMS_ContentInfo, ossl::Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

// CMS_CADES adds the ESS signing-certificate-v2 attribute when signing and checks it against the
// signer when verifying; CMS_NOSMIMECAP leaves out the S/MIME capabilities attribute, which
// means nothing outside e-mail; CMS_BINARY keeps the bytes as they are (no MIME canonical form).
constexpr unsigned kSignFlags = CMS_DETACHED | CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP;

Status badSignature(std::string what) {
  const std::string why = ossl::errorText();
  return failField("signature", why.empty() ? what : what + " (" + why + ")");
}

// When the signer says it signed, from the signed signing-time attribute; nullopt when absent.
std::optional<std::time_t> signingTime(CMS_SignerInfo* si) {
  const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return std::nullopt;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
  if (!value || (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME))
    return std::nullopt;
  return ossl::epochOf(value->value.asn1_string);
}

// What the signer's certificate must chain to: `trusted` alone, a trust anchor even when it is not
// self-signed (X509_V_FLAG_PARTIAL_CHAIN: a seal issued by a qualified CA can be trusted by
// configuring the seal's own certificate). Purpose "any": CMS would ask for S/MIME signing, which
// a self-signed seal without extended key usages happens to pass but a qualified seal certificate
// with, say, only clientAuth would not, and a seal on a preservation index is no e-mail
// certificate. Validity is checked at the signing time the signature states (now when it states
// none): an index signed years ago stays verifiable after its certificate expired, and its
// RFC 3161 time-stamp is what proves that time independently.
ossl::Store trustIn(X509* trusted, std::optional<std::time_t> at) {
  ossl::Store store(X509_STORE_new());
  if (!store || X509_STORE_add_cert(store.get(), trusted) != 1) return nullptr;
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  // Set on the store, it wins over the "smime_sign" defaults CMS_verify adds.
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  if (at) X509_VERIFY_PARAM_set_time(param, *at);
  return store;
}

}  // namespace

Result<std::string> signDetached(std::string_view content, const xml::SealKey& signer) {
  ERR_clear_error();
  auto cert = ossl::certificateFromPem(signer.certificate_pem, "certificate");
  if (!cert) return fail(ErrorCode::kInternal, "cades: the signer's certificate is not PEM");
  auto key = ossl::keyFromPem(signer.key_pem);
  if (!key) return fail(key.error());
  ossl::Bio data = ossl::readBio(content);
  // CMS_PARTIAL, then one signer: the only way to name the digest (SHA-256) instead of taking
  // the key's default.
  Cms cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, kSignFlags | CMS_PARTIAL));
  if (!data || !cms ||
      !CMS_add1_signer(cms.get(), cert->get(), key->get(), EVP_sha256(), kSignFlags) ||
      CMS_final(cms.get(), data.get(), nullptr, kSignFlags) != 1)
    return fail(ErrorCode::kInternal, "cades: signing failed: " + ossl::errorText());
  ossl::Bio out = ossl::writeBio();
  if (!out || i2d_CMS_bio(out.get(), cms.get()) != 1)
    return fail(ErrorCode::kInternal, "cades: cannot encode the signature");
  return ossl::bioBytes(out.get());
}

Status verifyDetached(std::string_view signature_der, std::string_view content,
                      std::string_view trusted_certificate_pem) {
  ERR_clear_error();
  auto trusted = ossl::certificateFromPem(trusted_certificate_pem, "certificate");
  if (!trusted) return fail(trusted.error());
  ossl::Bio in = ossl::readBio(signature_der);
  Cms cms(in ? d2i_CMS_bio(in.get(), nullptr) : nullptr);
  if (!cms) return badSignature("la firma non è un CMS in DER");
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed)
    return badSignature("la firma non è un CMS SignedData");
  if (CMS_is_detached(cms.get()) != 1)
    return badSignature("la firma contiene il documento: se ne attende una separata (.p7s)");
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  if (sk_CMS_SignerInfo_num(signers) != 1)
    return badSignature("la firma deve avere un solo firmatario");
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  // Checked here rather than trusting CMS_CADES to insist on it: CAdES-BES without the
  // attribute would be a plain CMS signature whose certificate could be swapped.
  if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0)
    return badSignature("manca l'attributo ESS signing-certificate-v2 (non è CAdES-BES)");
  // The trusted certificate goes in as a candidate too, for a signature that does not embed
  // its signer's certificate.
  ossl::Certificates candidates = ossl::certificatesOf(trusted->get());
  ossl::Store store = trustIn(trusted->get(), signingTime(si));
  ossl::Bio data = ossl::readBio(content);
  if (!candidates || !store || !data)
    return fail(ErrorCode::kInternal, "cades: cannot prepare the verification");
  // CMS_CADES: the ESS signing-certificate-v2 must name the signer's certificate, which OpenSSL
  // checks on the verified chain.
  if (CMS_verify(cms.get(), candidates.get(), store.get(), data.get(), nullptr,
                 CMS_BINARY | CMS_CADES | CMS_DETACHED) == 1)
    return {};
  const unsigned long e = ERR_peek_last_error();
  if (ERR_GET_LIB(e) == ERR_LIB_CMS && ERR_GET_REASON(e) == CMS_R_CERTIFICATE_VERIFY_ERROR)
    return badSignature("il firmatario non è il certificato fidato né emesso da esso");
  return badSignature("firma CAdES non valida per questo contenuto");
}

}  // namespace cst::sign
