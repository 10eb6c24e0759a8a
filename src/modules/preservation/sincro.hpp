#pragma once
// The AIP index: UNI 11386:2020 SInCRO v2 (namespace http://www.uni.com/U3011/sincro-v2/, every
// attribute namespace-qualified: reference §4). Written from the package's facts, read back by the
// offline verifier, and checked against the structure the standard gives (our own XSD,
// schemas/sincro-v2-structure.xsd, written from the reference's description: the UNI schema
// itself is not free to redistribute).
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::preservation {

struct SincroAgent {
  bool legal_person = true;                     // agentType "legal person" / "natural person"
  std::string agent_id;                         // "VATIT-00297960197", "TINIT-RSSMRA80A01H501U"
  std::string formal_name;                      // legal person
  std::string first_name;                       // natural person
  std::string last_name;                        // natural person
  std::string role;                             // holderRole / signerRole, when the element has one
  std::vector<std::string> relevant_documents;  // at least one
  friend bool operator==(const SincroAgent&, const SincroAgent&) = default;
};

struct SincroFile {
  std::string id;         // urn of the file
  std::string path;       // relative to the index, e.g. "file/1-registro.pdf"
  std::string sha256;     // lowercase hex
  std::string mime;       // sincro:format
  std::string extension;  // sincro:extension, without the dot
  friend bool operator==(const SincroFile&, const SincroFile&) = default;
};

struct SincroFileGroup {
  std::string id;
  std::string label;
  std::vector<SincroFile> files;  // at least one
  friend bool operator==(const SincroFileGroup&, const SincroFileGroup&) = default;
};

struct SincroIndex {
  std::string id;  // SelfDescription/ID, scheme "local"
  std::string application_name, application_version, producer;
  std::string volume_id, volume_label;
  std::string volume_group_id, volume_group_label;  // empty: no PVolumeGroup
  std::vector<SincroFileGroup> file_groups;         // at least one
  SincroAgent submitter;
  SincroAgent holder;                // role "soggetto produttore"
  std::vector<SincroAgent> signers;  // AuthorizedSigner, at least one
  std::string time_info;             // UTC xs:dateTime, TimeInfo attachedTimeStamp=false
  std::string laws_and_regulations;
  friend bool operator==(const SincroIndex&, const SincroIndex&) = default;
};

// The index as UTF-8 XML (language "it", sincroVersion "2.0"), byte for byte the same for the
// same index: it is hashed and signed. Empty optional fields are left out; a holder without a
// role is "soggetto produttore". Nothing is checked here: run checkSincroStructure on the result
// before signing it.
std::string sincroXml(const SincroIndex& index);

// Reads an index back (for the verifier). kBadInput naming what is missing or malformed.
Result<SincroIndex> parseSincro(std::string_view xml);

// Checks `xml` against schemas/sincro-v2-structure.xsd; kBadInput with the validator's messages.
Status checkSincroStructure(std::string_view xml);

}  // namespace cst::preservation
