#pragma once
// SQL of retention and scarto (migrations/0004_disposal.sql).
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/db.hpp"
#include "disposal.hpp"

namespace cst::preservation::store {

Result<RetentionTable> retention(db::Tx& tx, const std::string& ente);
Status replaceRetention(db::Tx& tx, const std::string& ente,
                        const std::vector<RetentionRule>& rules, const std::string& at,
                        const std::string& by);

// The ente's AIPs of the class not yet disposed whose document date is on or before `cutoff`
// (YYYY-MM-DD), oldest first, with the open disposal listing each (in_disposal), if any.
// `documents` and `expired_on` are left to the caller.
Result<std::vector<DisposalItem>> expiredAips(db::Tx& tx, const std::string& ente,
                                              const std::string& document_class,
                                              const std::string& cutoff);

Status insertDisposal(db::Tx& tx, const Disposal& d);                         // with its items
Result<std::optional<Disposal>> disposal(db::Tx& tx, const std::string& id);  // with its items
Result<std::vector<Disposal>> disposals(db::Tx& tx, const std::string& ente, int limit);

// The steps of the workflow, each applied only while the disposal is still in `from` (the state
// it was read in): false when it changed meanwhile.
Result<bool> approveDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                             const std::string& at, const std::string& by, const std::string& note);
Result<bool> authoriseDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                               const Authorisation& a, const std::string& by,
                               const std::string& at);
Result<bool> executeDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                             const std::string& at, const std::string& by);
Result<bool> cancelDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                            const std::string& at, const std::string& by,
                            const std::string& reason);
// Frees the items of a cancelled disposal for later proposals.
Status releaseItems(db::Tx& tx, const std::string& disposal_id);

// Marks the disposal's AIPs disposed, then answers the objects of their files that no package
// outside any executed disposal holds and that are not receipts or certificates: the objects to
// delete from the copies. Each item's deleted_objects is recorded.
Result<std::vector<std::string>> disposeAips(db::Tx& tx, const std::string& disposal_id,
                                             const std::string& at);

}  // namespace cst::preservation::store
