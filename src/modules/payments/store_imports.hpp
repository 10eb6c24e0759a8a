#pragma once
// SQL of the tax-roll imports' reports (portable: SQLite and PostgreSQL alike). Every function
// runs inside the caller's transaction.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "import_csv.hpp"

namespace cst::payments::store {

// Inserts the report (its listed errors as JSON) and sets r.id.
Status insertImport(db::Tx& tx, roll::ImportReport& r);
// Rewrites the report of r.id: an import's row is inserted when it starts, so that the positions
// it creates can name it, and completed when it ends.
Status updateImport(db::Tx& tx, const roll::ImportReport& r);
// The whole report, nullopt when there is none.
Result<std::optional<roll::ImportReport>> import(db::Tx& tx, std::int64_t id);

// Which reports a list returns: the enti the caller sees (all, or `enti`), the ente asked for,
// and the page (ids below `before`, newest first).
struct ImportFilter {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<std::int64_t> before;
  int limit = 50;
};
// Without their errors (the totals say how many).
Result<std::vector<roll::ImportReport>> listImports(db::Tx& tx, const ImportFilter& f);

}  // namespace cst::payments::store
