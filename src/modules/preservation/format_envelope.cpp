// Signed envelopes (CAdES .p7m): Allegato 2 judges the document inside (reference §3.3), and the
// Comuni sign most of their acts this way. The envelope is opened with OpenSSL's CMS API, its
// signatures checked against the content, and the content identified like any document.
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "format.hpp"
#include "sign/openssl.hpp"

namespace cst::preservation {

namespace fs = std::filesystem;

namespace {

using Cms =
    std::unique_ptr<CMS_ContentInfo, sign::ossl::Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;

// The envelope in DER/BER, PEM or bare base64 (as some signing applications save .p7m).
Cms readCms(const std::string& bytes) {
  sign::ossl::Bio der = sign::ossl::readBio(bytes);
  Cms cms(d2i_CMS_bio(der.get(), nullptr));
  ERR_clear_error();
  if (cms) return cms;
  // PEM is base64 between its BEGIN and END lines.
  std::string_view text = bytes;
  if (text.starts_with("-----BEGIN")) {
    const std::size_t eol = text.find('\n');
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    text = text.substr(0, text.find("-----END"));
  }
  sign::ossl::Bio encoded = sign::ossl::readBio(text);
  BIO* b64 = BIO_new(BIO_f_base64());
  if (b64 == nullptr || !encoded) return cms;
  if (text.find('\n') == std::string_view::npos) BIO_set_flags(b64, BIO_FLAGS_BASE64_NO_NL);
  BIO* chain = BIO_push(b64, encoded.release());
  cms.reset(d2i_CMS_bio(chain, nullptr));
  BIO_free_all(chain);
  ERR_clear_error();
  return cms;
}

std::string signerNames(CMS_ContentInfo* cms) {
  std::string names;
  STACK_OF(X509)* certs = CMS_get1_certs(cms);
  for (int i = 0; certs != nullptr && i < sk_X509_num(certs); ++i) {
    char cn[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(sk_X509_value(certs, i)), NID_commonName, cn,
                              sizeof cn);
    if (cn[0] != '\0') names += (names.empty() ? "" : ", ") + std::string(cn);
  }
  sk_X509_pop_free(certs, X509_free);
  return names;
}

}  // namespace

Result<Judged> judge(const fs::path& file, const FormatPolicy& policy) {
  auto format = identify(file);
  if (!format) return tl::unexpected(format.error());
  Judged j{*format, format->id, policy.accepts(*format), ""};
  if (format->id != "p7m") {
    if (!j.accepted)
      j.problem = "formato " + format->name + " non ammesso in conservazione (Allegato 2)";
    return j;
  }
  // An envelope in an envelope (a countersigned act) is opened layer by layer.
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<std::string> layers;
  FileFormat inner = *format;
  const fs::path content = file.parent_path() / (file.filename().string() + ".contenuto");
  for (int depth = 0; inner.id == "p7m" && depth < 4; ++depth) {
    Cms cms = readCms(bytes);
    const ASN1_OCTET_STRING* const* octets = cms ? CMS_get0_content(cms.get()) : nullptr;
    if (octets == nullptr || *octets == nullptr) {
      j.accepted = false;
      j.problem = "busta P7M non leggibile: nessun documento firmato al suo interno";
      return j;
    }
    // The signatures must match the content they sign (the signers' certificates are kept and
    // named, not validated against the trusted list: that is the signer's qualified provider's).
    sign::ossl::Bio out = sign::ossl::writeBio();
    if (CMS_verify(cms.get(), nullptr, nullptr, nullptr, out.get(),
                   CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
      ERR_clear_error();
      j.accepted = false;
      j.problem =
          "busta P7M con firma non valida: il documento firmato è stato alterato o la "
          "firma è corrotta";
      return j;
    }
    layers.push_back(signerNames(cms.get()));
    bytes = sign::ossl::bioBytes(out.get());
    std::ofstream(content, std::ios::binary | std::ios::trunc) << bytes;
    auto identified = identify(content);
    std::error_code ec;
    fs::remove(content, ec);
    if (!identified) return tl::unexpected(identified.error());
    inner = *identified;
  }
  j.id = "p7m:" + inner.id;
  j.accepted = inner.id != "p7m" && policy.accepts(inner);
  j.signers = layers;
  if (!j.accepted)
    j.problem = "documento firmato (P7M) in formato " + inner.name +
                " non ammesso in conservazione (Allegato 2)";
  return j;
}

}  // namespace cst::preservation
