#pragma once
// The rapporto di versamento as a document: XML (namespace urn:cst:conservazione:rapporto:1) with
// the receipt's id, UTC time, ente, outcome, every object offered with its SHA-256 and size, the
// problems of a rejected SIP and the AIP of an accepted one, signed with the preservation
// service's seal (XMLDSig enveloped, as the segnatura di protocollo): the producer keeps it as
// proof of what was handed over and when.
#include <string>

#include "common/result.hpp"
#include "model.hpp"
#include "xml/signature.hpp"

namespace cst::preservation {

Result<std::string> receiptXml(const Receipt& r, const std::string& ente_name,
                               const xml::SealKey& seal);

}  // namespace cst::preservation
