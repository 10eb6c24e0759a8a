#pragma once
// What other modules may ask of the protocol register (DPR 445/2000; docs/protocol.md): register a
// document and read a registration (SUAP/SUE, the service desk), and the daily registers as they
// are produced (preservation ingests each by the next working day). A subscriber hears about each
// register after it is stored and catches up with dailyRegistersAfter for what it missed.
// Obtain it with `platform.interfaces.find<protocol::ProtocolRegister>()`; null when the protocol
// module is not installed.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.hpp"
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
// A daily register (registro giornaliero di protocollo), stored: the day's registrations and the
// annulments made that day, as a PDF and as JSON, each in the blob store by its SHA-256.
struct DailyRegisterProduced {
  std::int64_t sequence = 0;  // increasing in the order the registers were stored
  std::string ente;
  std::string day;  // Europe/Rome, YYYY-MM-DD
  int registrations = 0;
  int annulments = 0;
  std::string pdf_sha256, json_sha256;  // blob store keys
  std::int64_t pdf_size = 0, json_size = 0;
  std::string produced_at;  // UTC
};

class ProtocolRegister {
 public:
  using Listener = std::function<void(const DailyRegisterProduced&)>;
  virtual ~ProtocolRegister() = default;
  // Registers `in` as the API does (number, segnatura, record, audit in one transaction); the
  // documents are uploads of in.ente that the antivirus found clean. Errors as the API's.
  virtual Result<Registration> registerDocument(const NewRegistration& in,
                                                const audit::Entry& who) = 0;
  // Any ente's registration (the calling module checks its own permissions); kNotFound if none.
  virtual Result<Registration> registration(std::int64_t id) = 0;
  // `listener` runs after each daily register is stored, on the job's thread: quick, no throw.
  virtual void subscribe(Listener listener) = 0;
  // The registers stored after `sequence` (0: from the first), oldest first, at most `limit`.
  virtual Result<std::vector<DailyRegisterProduced>> dailyRegistersAfter(std::int64_t sequence,
                                                                         int limit) = 0;
};

}  // namespace cst::protocol
