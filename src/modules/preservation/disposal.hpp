#pragma once
// Retention and scarto (reference §1.7, RODA's disposal model): each ente's retention period per
// document class; a disposal proposal listing the packages whose retention has expired, approved
// by the ente, authorised by the Soprintendenza archivistica (the authorisation recorded), then
// carried out: the packages' content deleted from every copy, their rows kept as the permanent
// record of what was destroyed, when, why and on whose authority.
//
// States: proposed → approved → authorised → executed; proposed or approved → cancelled. A wrong
// step is kConflict naming the state; another ente's disposal is kNotFound.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "common/result.hpp"
#include "copies.hpp"
#include "db/db.hpp"
#include "model.hpp"

namespace cst {
class Platform;
}

namespace cst::preservation {

// A line of the piano di conservazione: documents of the class are kept `years` after their date,
// or for ever ("permanente") when `years` is empty.
struct RetentionRule {
  std::string document_class;
  std::optional<int> years;
  std::string note;
};

struct RetentionTable {
  std::string ente;
  std::vector<RetentionRule> rules;    // by class
  std::string updated_at, updated_by;  // empty until first set
};
Json toJson(const RetentionTable& t);
// {"rules": [{"document_class", "years", "note"?}]}: classes non-empty (≤ 100 characters, spaces
// around them dropped) and unique, years null or 1..100. Every problem is named (rules[i].years).
Result<std::vector<RetentionRule>> parseRetentionRules(const Json& body);

// The date retention runs from (Allegato 5): a document's registration date (DataDocumento,
// DataProtocollazioneDocumento or DataRegistrazioneDocumento, whichever its TipoRegistro holds);
// an aggregation's DataChiusura; otherwise the Rome date of `created_at` (the ingest).
std::string documentDate(const std::string& kind, const Json& metadati,
                         const std::string& created_at);

struct DisposalDocument {
  std::string path, sha256;
  std::int64_t size = 0;
};

// An AIP listed by a disposal, with the rule that made it due as it was when proposed.
struct DisposalItem {
  std::string aip_id, title, document_class, kind;
  std::string document_date, expired_on;  // expired_on = document_date + retention_years
  int retention_years = 0;
  std::string index_sha256;
  std::int64_t package_bytes = 0;
  std::vector<DisposalDocument> documents;
  std::optional<std::int64_t> deleted_objects;  // once executed
  std::string in_disposal;  // due(): the open disposal already listing it, if any
};
Json toJson(const DisposalItem& i);

// The Soprintendenza archivistica's authorisation (D.Lgs. 42/2004 art. 21 c.1 lett. d).
struct Authorisation {
  std::string authority;  // "Soprintendenza archivistica e bibliografica della Lombardia"
  std::string reference;  // their protocol number
  std::string date;       // YYYY-MM-DD
  std::string recorded_by, recorded_at;
};

struct Disposal {
  std::string id, ente, state, reason;
  std::string created_at, created_by;
  std::string approved_at, approved_by, approval_note;
  std::optional<Authorisation> authorisation;
  std::string executed_at, executed_by;
  std::string cancelled_at, cancelled_by, cancel_reason;
  std::vector<DisposalItem> items;
  std::int64_t totalBytes() const;
};
Json toJson(const Disposal& d);

class Disposals {
 public:
  Disposals(Platform& p, Copies& copies);

  // The ente's table (empty rules when never set).
  Result<RetentionTable> retention(const std::string& ente);
  // Replaces the ente's table; kNotFound for an unknown ente.
  Result<RetentionTable> setRetention(const std::string& ente, std::vector<RetentionRule> rules,
                                      const audit::Entry& who);
  // The ente's AIPs whose retention has expired today, not yet disposed (those already in an
  // open disposal name it).
  Result<std::vector<DisposalItem>> due(const std::string& ente);

  // A proposal listing every due AIP of the ente not in another open disposal; kRuleViolated when
  // none is due.
  Result<Disposal> propose(const std::string& ente, const std::string& reason,
                           const audit::Entry& who);
  Result<std::vector<Disposal>> list(const std::string& ente, int limit);  // newest first
  Result<Disposal> get(const std::string& id, const auth::EnteScope& scope);
  // Each step checks that `scope` (the caller's, for the step's action) holds the disposal's
  // ente (kNotFound otherwise) and the state it starts from (kConflict otherwise).
  Result<Disposal> approve(const std::string& id, const auth::EnteScope& scope,
                           const std::string& note, const audit::Entry& who);
  // kBadInput naming authority, reference or date (YYYY-MM-DD, not in the future nor before the
  // proposal).
  Result<Disposal> authorise(const std::string& id, const auth::EnteScope& scope, Authorisation a,
                             const audit::Entry& who);
  // Marks the AIPs disposed in one transaction, then deletes from every copy the objects no
  // other live package holds (never receipts nor certificates).
  Result<Disposal> execute(const std::string& id, const auth::EnteScope& scope,
                           const audit::Entry& who);
  Result<Disposal> cancel(const std::string& id, const auth::EnteScope& scope,
                          const std::string& reason, const audit::Entry& who);

 private:
  std::string today() const;  // Europe/Rome
  // Runs `step` on the disposal in one write transaction after the scope and state checks, then
  // answers the disposal as it is afterwards.
  Result<Disposal> transition(const std::string& id, const auth::EnteScope& scope,
                              const std::vector<std::string>& from,
                              const std::function<Status(db::Tx&, const Disposal&)>& step);

  Platform& p_;
  Copies& copies_;
};

}  // namespace cst::preservation
