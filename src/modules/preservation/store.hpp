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
Result<std::vector<Receipt>> receipts(db::Tx& tx, const std::string& ente, int limit);
Result<std::optional<Aip>> aip(db::Tx& tx, const std::string& id);
Result<std::vector<Aip>> aips(db::Tx& tx, const std::string& ente, int limit);

}  // namespace cst::preservation::store
