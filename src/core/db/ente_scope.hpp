#pragma once
// What every module's list queries share: the tenant filter (the enti a caller may see, from the
// policy's EnteScope, and the one they asked for, ?ente=) as SQL conditions, and text search.
#include <optional>
#include <set>
#include <string>

#include "db/db.hpp"

namespace cst::db {

// Appends " AND <column> IN (?, ...)" unless `all`, and " AND <column> = ?" for `ente`, with
// their parameters. False when the caller may see no ente at all (the query would find nothing).
bool appendEnteScope(std::string& sql, Params& params, const std::string& column, bool all,
                     const std::set<std::string>& visible, const std::optional<std::string>& ente);

// The LIKE pattern of a case-insensitive "contains" search of `text` in a LOWER(column), to use
// with ESCAPE '\\': % _ and \\ in the text match themselves; ASCII letters are lowered.
std::string containsPattern(const std::string& text);

}  // namespace cst::db
