#pragma once
// The preservation module's records: the SIP as offered (its envelope: what it is, its documents
// with their declared hashes, its Allegato 5 metadata), the outcome of its ingest (the rapporto di
// versamento) and the AIP kept for it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "metadata.hpp"

namespace cst::preservation {

using Json = nlohmann::json;

// One document of a SIP as its envelope declares it.
struct DeclaredDocument {
  std::string name;      // the multipart file name
  bool primary = false;  // "ruolo": "principale" / "allegato"
  std::string sha256;    // "impronta", lowercase hex
};

// The SIP's "metadata" part: {"ente", "tipo", "classe_documentale"?, "titolo"?, "documenti":
// [{"nome", "ruolo", "impronta"}], "metadati": {Allegato 5}}. Shape problems are collected, not
// thrown, so that the report names them all.
struct SipEnvelope {
  std::string ente;
  std::optional<ObjectKind> kind;
  std::string document_class;
  std::string title;
  std::vector<DeclaredDocument> documents;
  Json metadati = Json::object();
};
SipEnvelope parseEnvelope(const Json& j, std::vector<MetadataProblem>& problems);

// A file as received or kept: its name, hash, size and identified format.
struct ObjectFacts {
  std::string name;
  std::string role;  // "principale", "allegato"; in an AIP also "metadati", "indice", "firma",
                     // "marca_temporale"
  std::string sha256;
  std::int64_t size = 0;
  std::string format;  // FileFormat::id
  std::string mime;
  std::string path;  // in the package (AIP files only)
};
Json toJson(const ObjectFacts& o);
ObjectFacts objectFromJson(const Json& j);

// The rapporto di versamento: issued for every SIP, accepted or rejected.
struct Receipt {
  std::string id;
  std::string ente;
  std::string received_at;  // UTC
  bool accepted = false;
  std::string source;  // "api", "protocol.daily_register"
  std::string source_ref;
  std::string submitted_by;
  std::vector<ObjectFacts> objects;
  std::vector<MetadataProblem> problems;
  std::string aip_id;  // accepted only
  std::string receipt_sha256;
};
Json toJson(const Receipt& r);

struct Aip {
  std::string id;
  std::string ente;
  std::string sip_id;
  std::string kind;
  std::string document_class;
  std::string title;
  std::string created_at;
  std::string index_sha256, signature_sha256, timestamp_sha256;
  std::string timestamp_time;
  std::string tsa;
  // The certificates of the seal and of the TSA that signed, kept in the copies.
  std::string seal_certificate_sha256, tsa_certificate_sha256;
  std::int64_t documents_bytes = 0;
  std::int64_t package_bytes = 0;
  std::vector<ObjectFacts> files;
  // The date its retention runs from (disposal.hpp: documentDate), YYYY-MM-DD.
  std::string document_date;
  // Set once a scarto destroyed its content: the rows stay as the record of what was destroyed.
  std::string disposal_id, disposed_at;
};
Json toJson(const Aip& a);

}  // namespace cst::preservation
