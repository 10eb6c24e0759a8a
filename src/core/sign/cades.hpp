#pragma once
// CAdES-BES signatures (ETSI EN 319 122-1, baseline B) as CMS SignedData through OpenSSL's CMS
// API: what the preservation service puts on each AIP index (AgID guidelines; UNI 11386 SInCRO).
// Detached (.p7s): the signed content stays a file of its own in the package. Only this file's
// implementation includes OpenSSL's CMS headers.
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "xml/signature.hpp"  // SealKey: a key and its certificate, PEM

namespace cst::sign {

// A detached CAdES-BES signature of `content`, DER: SHA-256, the signed attributes content-type,
// message-digest, signing-time and ESS signing-certificate-v2 (no S/MIME capabilities), the
// signer's certificate included. kInternal when OpenSSL refuses the key or certificate.
Result<std::string> signDetached(std::string_view content, const xml::SealKey& signer);

// Checks a detached CAdES signature over `content`: well-formed CMS, the message digest, the
// signature value, the signing-certificate-v2 attribute, and a signer certificate that is
// `trusted_certificate_pem` or issued by it. kBadInput with a message naming what failed.
Status verifyDetached(std::string_view signature_der, std::string_view content,
                      std::string_view trusted_certificate_pem);

}  // namespace cst::sign
