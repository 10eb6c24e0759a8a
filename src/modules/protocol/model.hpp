#pragma once
// The protocol register's records (DPR 445/2000 art. 53-57; facts in ../shared/reference/suap.md
// §3 and the AgID guidelines): a registration, its correspondents and documents, the AOO's
// configuration, and how a registration request is read and checked. No I/O.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::protocol {

// Incoming (arrivo), outgoing (partenza), internal (interno).
enum class Flow { kIncoming, kOutgoing, kInternal };
std::string_view flowName(Flow f);  // "incoming", ...
std::optional<Flow> parseFlow(std::string_view text);

// A sender or a recipient: a person, a company (or a sole trader) or a public administration,
// as the segnatura's SoggettoType distinguishes them.
struct Correspondent {
  enum class Kind { kPerson, kCompany, kAdministration };
  Kind kind = Kind::kPerson;
  std::string name;                        // company or administration name
  std::string first_name, last_name;       // a person's
  std::optional<std::string> fiscal_code;  // a person's (16) or a company's VAT/CF (11 digits)
  std::optional<std::string> ipa_code;     // an administration's IPA code (required for one)
  std::optional<std::string> email;        // PEC or e-mail
  // How the register shows it: "Mario Rossi", "Edilizia Padana S.r.l.".
  std::string displayName() const;
};
nlohmann::json toJson(const Correspondent& c);

// A document of a registration: the primary one (seq 0) or an attachment, from an upload.
struct Document {
  int seq = 0;
  std::string upload_id, filename, content_type, sha256;  // sha256: hex
  std::int64_t size = 0;
  std::optional<std::string> description;
};

// What the register is asked to record (the API's body, or another module's request).
struct NewRegistration {
  std::string ente;
  Flow flow = Flow::kIncoming;
  std::string subject;  // oggetto
  // Incoming: one sender. Outgoing: one or more recipients. Internal: none (the AOO itself).
  std::vector<Correspondent> correspondents;
  std::optional<std::string> sender_date, sender_number;  // art. 53 e), incoming only
  std::optional<std::string> channel;                     // "pec", "email", "sportello", ...
  std::string class_code;                                 // titolario
  std::optional<std::string> folder_code;                 // fascicolo
  bool reserved = false;
  std::string primary_upload;  // upload id of the primary document
  std::optional<std::string> primary_description;
  struct Attachment {
    std::string upload_id;
    std::string description;
  };
  std::vector<Attachment> attachments;
};

// Limits of what one registration holds.
constexpr std::size_t kMaxSubject = 2000;
constexpr std::size_t kMaxCorrespondents = 200;
constexpr std::size_t kMaxAttachments = 200;

// Reads and checks a registration request; every problem is named by field ("subject",
// "correspondents[1].fiscal_code", "attachments[0].description", ...).
Result<NewRegistration> registrationFromJson(const nlohmann::json& body);

// A recorded registration, never changed except by an annulment.
struct Registration {
  std::int64_t id = 0;
  std::string ente;
  int year = 0;
  std::int64_t number = 0;
  std::string registry_code;
  std::string registered_at;  // UTC
  std::string registered_on;  // Europe/Rome date
  Flow flow = Flow::kIncoming;
  std::string subject;
  std::vector<Correspondent> correspondents;
  std::optional<std::string> sender_date, sender_number, channel;
  std::string class_code, class_description;
  std::optional<std::string> folder_code, folder_subject;
  bool reserved = false;
  std::vector<Document> documents;  // the primary first (not loaded by lists)
  int attachments_count = 0;
  std::string segnatura_sha256;
  std::string registered_by;
  std::optional<std::string> annulled_at, annulled_by, annulment_reason, annulment_authorisation;
  bool annulled() const { return annulled_at.has_value(); }
};
nlohmann::json toJson(const Registration& r);

// The registration number as the law writes it: at least seven digits (art. 57), "0000042".
std::string formatNumber(std::int64_t number);

// The AOO of an ente: its IPA codes and the register's code as the segnatura names them.
struct Aoo {
  std::string ente;
  std::string aoo_code;       // IPA code of the AOO, e.g. "AOO_CR" ([A-Za-z0-9_.-])
  std::string aoo_name;       // "Area organizzativa omogenea del Comune di Cremona"
  std::string registry_code;  // the register's code, e.g. "PG" (1-16 of [A-Za-z0-9_.-])
  std::string updated_at, updated_by;
};
nlohmann::json toJson(const Aoo& a);
Result<Aoo> aooFromJson(const std::string& ente, const nlohmann::json& body);

// A class of the titolario.
struct ProtocolClass {
  std::string code;  // "6.3"
  std::string description;
  bool active = true;
};
nlohmann::json toJson(const ProtocolClass& c);
Result<ProtocolClass> classFromJson(const nlohmann::json& body);

// A fascicolo.
struct Folder {
  std::string ente, code, subject, class_code, opened_on;
  std::optional<std::string> closed_on;
};
nlohmann::json toJson(const Folder& f);
Result<Folder> folderFromJson(const std::string& ente, const nlohmann::json& body);

// An annulment request (art. 54): the reason and the act that authorised it.
struct Annulment {
  std::string reason, authorisation;
};
Result<Annulment> annulmentFromJson(const nlohmann::json& body);

}  // namespace cst::protocol
