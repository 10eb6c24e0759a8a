#pragma once
// The metadata of what is offered for preservation, as JSON following Allegato 5 of the AgID
// guidelines (reference §2): a documento informatico (DI), a documento amministrativo informatico
// (DAI) or an aggregazione documentale informatica (fascicolo, serie). Checked whole before a SIP
// is accepted: every problem is reported, each naming its field by JSON path.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::preservation {

enum class ObjectKind { kDocumentoInformatico, kDocumentoAmministrativoInformatico, kAggregazione };

struct MetadataProblem {
  // JSON path inside the metadata: names joined by ".", list items by zero-based index, e.g.
  // "Soggetti.Ruolo[0].TipoRuolo"; "" for the metadata as a whole.
  std::string field;
  std::string message;  // Italian, for the user
};

// "documento_informatico", "documento_amministrativo_informatico", "aggregazione" (the SIP's
// "tipo"); nullopt for anything else.
std::optional<ObjectKind> kindFromName(std::string_view name);
std::string_view nameOf(ObjectKind kind);

// Every problem of `metadati` (the Allegato 5 fields, by their names in the annex's schema:
// IdDoc, ModalitaDiFormazione, TipologiaDocumentale, DatiDiRegistrazione, Soggetti,
// ChiaveDescrittiva, Allegati, Classificazione, Riservato, IdentificativoDelFormato, Verifica,
// NomeDelDocumento, VersioneDelDocumento, TempoDiConservazione, ...) for a `kind`: mandatory
// fields missing, values not of their type or enumeration, dates and hashes malformed. Each
// problem's field is its JSON path under "metadati". Empty: acceptable. Fields not in Allegato 5
// are allowed. docs/preservation.md describes the JSON and the checks.
std::vector<MetadataProblem> checkMetadata(ObjectKind kind, const nlohmann::json& metadati);

// The primary document's hash the metadata declare (IdDoc.ImprontaCrittograficaDelDocumento.
// Impronta, SHA-256, given as hex or base64), lowercase hex; empty when absent, malformed or of
// another algorithm.
std::string declaredSha256(const nlohmann::json& metadati);

}  // namespace cst::preservation
