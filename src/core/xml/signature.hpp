#pragma once
// XML signatures (W3C XMLDSig, enveloped) with the platform's electronic seal, through xmlsec1 on
// OpenSSL: the segnatura di protocollo and the preservation receipts carry one (AgID guidelines,
// Allegato 6: a seal of the AOO). Only this file's implementation includes xmlsec.
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "xml/xml.hpp"

namespace cst::xml {

// A signing key and its certificate, PEM. In production the AOO's (qualified) electronic seal;
// by default one the platform creates for itself (loadOrCreateSeal).
struct SealKey {
  std::string key_pem;
  std::string certificate_pem;
};

// The seal in `dir` (seal-key.pem, seal-certificate.pem); when absent, a new RSA-3072 key and a
// self-signed certificate for `subject_cn`, valid 10 years, written there first (the key 0600).
// Replacing the two files with the AOO's own seal makes every later signature theirs.
Result<SealKey> loadOrCreateSeal(const std::filesystem::path& dir, const std::string& subject_cn);

// Appends to the root element of `doc` an enveloped signature of the whole document: exclusive
// C14N, RSA-SHA256 over a SHA-256 reference to URI "", and the certificate in KeyInfo/X509Data.
Status signEnveloped(xmlDoc* doc, const SealKey& seal);

// Checks the enveloped signature of `doc` with the key of `certificate_pem` (the certificate in
// the document is not trusted by itself). kBadInput naming what failed.
Status verifyEnveloped(xmlDoc* doc, std::string_view certificate_pem);

}  // namespace cst::xml
