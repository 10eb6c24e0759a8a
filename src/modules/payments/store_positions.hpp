#pragma once
// SQL of debt positions and of the IUV allocator (portable: SQLite and PostgreSQL alike). Every
// function runs inside the caller's transaction.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model_position.hpp"

namespace cst::payments::store {

// Reserves `count` consecutive IUV bases of (ente, segregation code) and returns the first. The
// counter row is created at the first use and only ever increased. The increment is one
// `UPDATE ... SET next_base = next_base + n ... RETURNING`: on PostgreSQL it takes the row's lock
// until the caller's transaction ends, so concurrent transactions (of any instance) get disjoint
// ranges; SQLite serialises writers anyway. A rolled-back transaction gives its range back, and
// those numbers were never seen by anyone. kRuleViolated when the 13 digits are exhausted.
Result<std::int64_t> allocateIuvBases(db::Tx& tx, const std::string& ente,
                                      const std::string& segregation_code, std::int64_t count);
// The counter's next base (1 when none was allocated yet): for tests and the operator.
Result<std::int64_t> nextIuvBase(db::Tx& tx, const std::string& ente,
                                 const std::string& segregation_code);

Result<bool> referenceTaken(db::Tx& tx, const std::string& ente, const std::string& reference);
// Inserts the position with its options (IUVs and notice numbers already assigned) and transfers;
// sets p.id and the options' ids.
Status insertPosition(db::Tx& tx, DebtPosition& p);
// The whole position (options, transfers, timeline), nullopt when there is none.
Result<std::optional<DebtPosition>> position(db::Tx& tx, std::int64_t id);
Status insertEvent(db::Tx& tx, std::int64_t position_id, const std::string& ente,
                   const PositionEventRecord& e);
// Moves the position from `from` to `to` unless it changed meanwhile: false then (the caller
// answers 409).
Result<bool> changeStatus(db::Tx& tx, std::int64_t id, PositionStatus from, PositionStatus to,
                          const std::string& at, const std::string& by,
                          const std::optional<std::string>& reason);
// Removes a position with its options, transfers and timeline (drafts only: the caller checks).
Status deletePosition(db::Tx& tx, std::int64_t id);

// Which positions a list returns: the enti the caller sees (all, or `enti`), the filters, and the
// page (ids below `before`, newest first).
struct PositionFilter {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<PositionStatus> status;
  std::optional<std::string> debtor_fiscal_code;
  std::optional<std::string> notice_number;
  std::optional<std::string>
      text;  // in the description, the debtor's name or the reference, any case
  std::optional<std::int64_t> before;
  int limit = 50;
};
// Headers with amount_cents and options_count; no options.
Result<std::vector<DebtPosition>> listPositions(db::Tx& tx, const PositionFilter& f);

// VALID positions whose valid_until is before `today` (YYYY-MM-DD), oldest first, at most `limit`.
struct ExpiringPosition {
  std::int64_t id = 0;
  std::string ente;
};
Result<std::vector<ExpiringPosition>> positionsToExpire(db::Tx& tx, const std::string& today,
                                                        int limit);

}  // namespace cst::payments::store
