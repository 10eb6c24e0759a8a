#pragma once
// SQL of the preservation module: receipts (preservation_sips), AIPs and their files.
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/db.hpp"
#include "model.hpp"

namespace cst::preservation::store {

Status insertReceipt(db::Tx& tx, const Receipt& r);
Status insertAip(db::Tx& tx, const Aip& a);  // with its files
Result<std::optional<Receipt>> receipt(db::Tx& tx, const std::string& id);
// The accepted receipt of a module's object (source, source_ref), if it was ingested.
Result<std::optional<Receipt>> acceptedFrom(db::Tx& tx, const std::string& source,
                                            const std::string& source_ref);
// The ente's receipts, newest first, `limit` of them after `before` (a PageCursor's time and id).
Result<std::vector<Receipt>> receipts(
    db::Tx& tx, const std::string& ente, int limit,
    const std::optional<std::pair<std::string, std::string>>& before);
Result<std::optional<Aip>> aip(db::Tx& tx, const std::string& id);
Result<std::vector<Aip>> aips(db::Tx& tx, const std::string& ente, int limit);

// How far the intake from another module's objects (`source`) has gone: 0 before the first.
Result<std::int64_t> intakePosition(db::Tx& tx, const std::string& source);
Status setIntakePosition(db::Tx& tx, const std::string& source, std::int64_t position);

}  // namespace cst::preservation::store
