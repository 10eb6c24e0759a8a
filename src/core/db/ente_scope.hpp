#pragma once
// The tenant filter every module's list queries share: the enti a caller may see (from the
// policy's EnteScope) and the one they asked for (?ente=), as SQL conditions.
#include <optional>
#include <set>
#include <string>

#include "db/db.hpp"

namespace cst::db {

// Appends " AND <column> IN (?, ...)" unless `all`, and " AND <column> = ?" for `ente`, with
// their parameters. False when the caller may see no ente at all (the query would find nothing).
bool appendEnteScope(std::string& sql, Params& params, const std::string& column, bool all,
                     const std::set<std::string>& visible, const std::optional<std::string>& ente);

}  // namespace cst::db
