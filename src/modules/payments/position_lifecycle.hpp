#pragma once
// The steps every change of a debt position is made of, inside the caller's transaction: the
// state change with its timeline event and audit entry. Shared by the operators' use cases
// (service_positions.cpp) and the node's receipts (service_node.cpp), so that a position moves the
// same way whoever moves it.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "common/clock.hpp"
#include "db/db.hpp"
#include "model_position.hpp"

namespace cst::payments {

// The position, or kNotFound when it does not exist or its ente is outside `scope`.
Result<DebtPosition> visiblePosition(db::Tx& tx, std::int64_t id, const auth::EnteScope& scope);

// An audit entry about position `p` (object payments_position, its reference in the detail);
// actor "system" when `who` has none.
audit::Entry positionAudit(const audit::Entry& who, const DebtPosition& p,
                           const std::string& action, nlohmann::json detail);

// One state change of a visible position: the conditional update, its timeline event and its
// audit entry ("payments.position.<event>"). kConflict when the transition table does not allow
// `event` from the current state, or the position changed meanwhile.
Result<DebtPosition> applyTransition(db::Tx& tx, std::int64_t id, PositionEvent event,
                                     const std::optional<std::string>& reason,
                                     const auth::EnteScope& scope, const audit::Entry& who,
                                     TimePoint now);

// option id -> the receiptId of the successful receipt that paid it (store::paidOptions).
using PaidOptions = std::map<std::int64_t, std::string>;

// Whether `option` of `p` may still be paid on `today` (YYYY-MM-DD, Europe/Rome), as the node's
// fault when not (model_node.hpp: an Error whose type is the PAA_ code): DRAFT unknown, EXPIRED or
// past valid_until expired, INVALID cancelled, PAID/REPORTED or this option paid already paid,
// and a plan is paid either whole or by instalments: once one way was used, the other is paid.
Status payableOption(const DebtPosition& p, const PaymentOption& option, const PaidOptions& paid,
                     const std::string& today);

}  // namespace cst::payments
