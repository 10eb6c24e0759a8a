#pragma once
// SQL of the fixity audits (migrations/0003_fixity.sql): the inventory of kept objects, the runs
// and their findings.
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/db.hpp"
#include "fixity.hpp"

namespace cst::preservation::store {

// Lists an object kept in the copies (a no-op when it is listed already).
Status registerObject(db::Tx& tx, const std::string& sha256, std::optional<std::int64_t> size,
                      const std::string& at);
// Removes an object from the inventory once its content is deleted from every copy (scarto).
Status forgetObject(db::Tx& tx, const std::string& sha256);
// An object of the inventory and what the last audit found of it.
struct KeptObject {
  std::string sha256;
  std::string state;  // "unchecked", "intact", "repaired", "lost"
};
// Whether the object is still in the inventory (a scarto removes it).
Result<bool> objectListed(db::Tx& tx, const std::string& sha256);
// Objects not verified since `before`, never-verified first, then oldest.
Result<std::vector<KeptObject>> objectsDue(db::Tx& tx, const std::string& before, int limit);
// Every object of the inventory, of the ente's packages and receipts, or of one AIP (its files
// and certificates).
Result<std::vector<KeptObject>> allObjects(db::Tx& tx);
Result<std::vector<KeptObject>> objectsOfEnte(db::Tx& tx, const std::string& ente);
Result<std::vector<KeptObject>> objectsOfAip(db::Tx& tx, const std::string& aip_id);
// The ente of an AIP, if it exists.
Result<std::optional<std::string>> enteOfAip(db::Tx& tx, const std::string& aip_id);
// The enti whose packages or receipts hold the object.
Result<std::vector<std::string>> entiHolding(db::Tx& tx, const std::string& sha256);
// The ente's AIPs that hold the object ("id «title»"), for the alarm.
Result<std::vector<std::string>> aipsHolding(db::Tx& tx, const std::string& sha256,
                                             const std::string& ente);
// Records what an audit found of each object at `at`: one statement per state and few hundred
// objects (a row at a time was a quarter of an audit's time).
Status setObjectStates(db::Tx& tx, const std::vector<KeptObject>& objects, const std::string& at);

Status insertFixityRun(db::Tx& tx, const FixityReport& r);
// Runs that looked at the ente's objects (its own on-demand runs and every scheduled or
// archive-wide one), newest first, with the ente's findings only.
Result<std::vector<FixityReport>> fixityRuns(db::Tx& tx, const std::string& ente, int limit);
// A run with all its findings.
Result<std::optional<FixityReport>> fixityRun(db::Tx& tx, const std::string& id);
Result<FixityStatus> fixityStatus(db::Tx& tx, const std::string& ente,
                                  const std::string& cycle_start);

}  // namespace cst::preservation::store
