#pragma once
// The protocol module's SQL: the only place that knows its tables (migrations/). Every function
// runs inside the caller's transaction.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model.hpp"

namespace cst::protocol::store {

Result<std::optional<Aoo>> aoo(db::Tx& tx, const std::string& ente);
Status saveAoo(db::Tx& tx, const Aoo& a);

Result<std::vector<ProtocolClass>> classes(db::Tx& tx, const std::string& ente);
Result<std::optional<ProtocolClass>> classByCode(db::Tx& tx, const std::string& ente,
                                                 const std::string& code);
// kConflict (field `code`) when the ente already has the code.
Status insertClass(db::Tx& tx, const std::string& ente, const ProtocolClass& c,
                   const std::string& now);

Result<std::vector<Folder>> folders(db::Tx& tx, const std::string& ente);
Result<std::optional<Folder>> folderByCode(db::Tx& tx, const std::string& ente,
                                           const std::string& code);
// kConflict (field `code`) when the ente already has the code.
Status insertFolder(db::Tx& tx, const Folder& f, const std::string& by);

// The next number of the ente's register for `year`: the counter row is created or incremented
// in the caller's transaction and stays locked until it ends (PostgreSQL: the row lock; SQLite:
// the one writer), so numbers are consecutive and a rollback gives the number back.
Result<std::int64_t> nextNumber(db::Tx& tx, const std::string& ente, int year);

// Inserts `r`, its signed segnatura and its documents; sets r.id.
Status insertRegistration(db::Tx& tx, Registration& r, const std::string& segnatura);
// With its documents.
Result<std::optional<Registration>> registration(db::Tx& tx, std::int64_t id);
// The signed segnatura stored with registration `id` (empty when there is none).
Result<std::string> segnatura(db::Tx& tx, std::int64_t id);

struct Filter {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<int> year;
  std::optional<Flow> flow;
  std::optional<std::string> from, to;  // registration dates (Rome), inclusive
  std::optional<std::string> text;      // in the subject or a correspondent's name, any case
  std::optional<std::string> class_code;
  std::optional<bool> annulled;
  std::optional<std::int64_t> before;  // id cursor
  int limit = 50;
};
// Newest first; without documents (attachments_count only).
Result<std::vector<Registration>> search(db::Tx& tx, const Filter& f);

// The registrations of one ente and Rome day, in number order, without documents.
Result<std::vector<Registration>> ofDay(db::Tx& tx, const std::string& ente,
                                        const std::string& day);

// Records the annulment; false when the registration was annulled already (nothing changed).
Result<bool> annul(db::Tx& tx, std::int64_t id, const Annulment& a, const std::string& by,
                   const std::string& at);

}  // namespace cst::protocol::store
