#pragma once
// The segnatura di protocollo (AgID guidelines, Allegato 6; schema v3 in schemas/): the signed XML
// that binds a registration's identifier, subject, classification, correspondents and the SHA-256
// of its documents. Made once, when the registration is recorded, and kept as it was made.
#include <memory>
#include <string>

#include "common/result.hpp"
#include "model.hpp"
#include "xml/signature.hpp"
#include "xml/xml.hpp"

namespace cst::protocol {

// Who the AOO is, as the segnatura names it.
struct AooIdentity {
  Aoo aoo;
  std::string ente_name;         // "Comune di Cremona"
  std::string ente_ipa_code;     // "c_d150"
  std::string ente_fiscal_code;  // 11 digits
};

// The signed segnatura of `r` (its documents included), valid against the official schema:
// checked here before it is returned (kInternal otherwise: a defect, the registration fails).
Result<std::string> makeSegnatura(const Registration& r, const AooIdentity& who,
                                  const xml::SealKey& seal);

// The official schema, compiled into cst (schemas/README.md).
Result<std::shared_ptr<const xml::Schema>> segnaturaSchema();

}  // namespace cst::protocol
