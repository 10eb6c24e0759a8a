#pragma once
// The protocol module's SQL: the only place that knows its tables (migrations/). Every function
// runs inside the caller's transaction.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model.hpp"

namespace cst::protocol::store {

Result<std::optional<Aoo>> aoo(db::Tx& tx, const std::string& ente);
Status saveAoo(db::Tx& tx, const Aoo& a);
// Sets the day the AOO counts as configured from (the demo's, a week back).
Status setConfiguredOn(db::Tx& tx, const std::string& ente, const std::string& day);

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
// The ente of registration `id` and the signed segnatura stored with it; nullopt when none.
struct StoredSegnatura {
  std::string ente, xml;
};
Result<std::optional<StoredSegnatura>> segnatura(db::Tx& tx, std::int64_t id);

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

// The documents of the registrations of one ente and Rome day, by registration id.
Result<std::map<std::int64_t, std::vector<Document>>> documentsOfDay(db::Tx& tx,
                                                                     const std::string& ente,
                                                                     const std::string& day);
// The registrations of the ente annulled at [from, to) (UTC timestamps), in annulment order.
Result<std::vector<Registration>> annulledBetween(db::Tx& tx, const std::string& ente,
                                                  const std::string& from, const std::string& to);

// The enti whose AOO is configured, with the Rome day it was.
struct ConfiguredAoo {
  std::string ente, configured_on;
};
Result<std::vector<ConfiguredAoo>> configuredAoos(db::Tx& tx);
// The last day with a daily register for the ente, if any.
Result<std::optional<std::string>> lastDailyRegisterDay(db::Tx& tx, const std::string& ente);
// Inserts the register; false when one for the ente and day exists (another instance made it).
Result<bool> insertDailyRegister(db::Tx& tx, DailyRegisterProduced& d);
// The ente's registers, newest day first, before id `before` when given.
Result<std::vector<DailyRegisterProduced>> dailyRegisters(db::Tx& tx, const std::string& ente,
                                                          std::optional<std::int64_t> before,
                                                          int limit);
Result<std::optional<DailyRegisterProduced>> dailyRegister(db::Tx& tx, std::int64_t id);
Result<std::vector<DailyRegisterProduced>> dailyRegistersAfter(db::Tx& tx, std::int64_t sequence,
                                                               int limit);
// The days in [from, to] that have a register for the ente.
Result<std::set<std::string>> daysWithRegister(db::Tx& tx, const std::string& ente,
                                               const std::string& from, const std::string& to);

// Records the annulment; false when the registration was annulled already (nothing changed).
Result<bool> annul(db::Tx& tx, std::int64_t id, const Annulment& a, const std::string& by,
                   const std::string& at);

}  // namespace cst::protocol::store
