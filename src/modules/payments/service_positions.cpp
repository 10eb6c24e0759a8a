// Debt positions: creation with the IUV allocator, the lifecycle (publish, invalidate, delete,
// expire), each change with its timeline event and audit entry in one transaction.
#include "calendar/calendar.hpp"
#include "platform/platform.hpp"
#include "position_lifecycle.hpp"
#include "service.hpp"
#include "store.hpp"
#include "store_positions.hpp"

namespace cst::payments {

namespace {

constexpr int kExpiryBatch = 200;

std::string actorOf(const audit::Entry& who) { return who.actor.empty() ? "system" : who.actor; }

tl::unexpected<Error> notFound() {
  return fail(ErrorCode::kNotFound, "posizione debitoria non trovata");
}

nlohmann::json noticeNumbersOf(const DebtPosition& p) {
  nlohmann::json out = nlohmann::json::array();
  for (const PaymentOption& o : p.options) out.push_back(o.notice_number);
  return out;
}

}  // namespace

Result<DebtPosition> visiblePosition(db::Tx& tx, std::int64_t id, const auth::EnteScope& scope) {
  auto p = store::position(tx, id);
  if (!p) return tl::unexpected(p.error());
  if (!*p || !scope.contains((*p)->ente)) return notFound();
  return std::move(**p);
}

audit::Entry positionAudit(const audit::Entry& who, const DebtPosition& p,
                           const std::string& action, nlohmann::json detail) {
  audit::Entry e = who;
  if (e.actor.empty()) e.actor = "system";
  e.ente = p.ente;
  e.action = action;
  e.object_type = "payments_position";
  e.object_id = std::to_string(p.id);
  detail["reference"] = p.reference;
  e.detail = std::move(detail);
  return e;
}

Result<DebtPosition> applyTransition(db::Tx& tx, std::int64_t id, PositionEvent event,
                                     const std::optional<std::string>& reason,
                                     const auth::EnteScope& scope, const audit::Entry& who,
                                     TimePoint now) {
  auto p = visiblePosition(tx, id, scope);
  if (!p) return p;
  const PositionStatus from = p->status;
  const auto to = nextStatus(from, event);
  if (!to)
    return fail(ErrorCode::kConflict, "operazione " + std::string(eventName(event)) +
                                          " non ammessa su una posizione nello stato " +
                                          std::string(statusName(from)));
  const std::string at = formatTimestamp(now);
  auto changed = store::changeStatus(tx, id, from, *to, at, actorOf(who), reason);
  if (!changed) return tl::unexpected(changed.error());
  if (!*changed)
    return fail(ErrorCode::kConflict, "la posizione è cambiata nel frattempo: riprovare");
  const PositionEventRecord record{at,
                                   actorOf(who),
                                   std::string(eventName(event)),
                                   std::string(statusName(from)),
                                   std::string(statusName(*to)),
                                   reason};
  if (auto s = store::insertEvent(tx, id, p->ente, record); !s) return tl::unexpected(s.error());
  nlohmann::json detail{{"from", std::string(statusName(from))},
                        {"to", std::string(statusName(*to))}};
  if (reason) detail["reason"] = *reason;
  if (auto s = audit::append(
          tx, positionAudit(who, *p, "payments.position." + record.event, detail), now);
      !s)
    return tl::unexpected(s.error());
  return visiblePosition(tx, id, scope);
}

Result<DebtPosition> Service::createPosition(const std::string& ente, const nlohmann::json& body,
                                             const audit::Entry& who) {
  if (auto e = p_.enti->get(ente); !e) return tl::unexpected(e.error());
  const TimePoint now = p_.clock->now();
  const std::string today = romeToday(now);
  return p_.db->transact<DebtPosition>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<DebtPosition> {
    auto creditor = requireCreditor(tx, ente);
    if (!creditor) return tl::unexpected(creditor.error());
    auto p = positionFromJson(body, *creditor, today);
    if (!p) return p;
    IuvBases bases;  // none reserved: exactly the options' are allocated
    if (auto s = storeNewPosition(tx, *p, creditor->segregation_code, bases, who, now); !s)
      return tl::unexpected(s.error());
    auto stored = store::position(tx, p->id);
    if (!stored) return tl::unexpected(stored.error());
    return std::move(**stored);
  });
}

Result<DebtPosition> Service::position(std::int64_t id, const auth::EnteScope& scope) {
  return p_.db->transact<DebtPosition>(db::TxMode::kRead,
                                       [&](db::Tx& tx) { return visiblePosition(tx, id, scope); });
}

Result<std::vector<DebtPosition>> Service::positions(const store::PositionFilter& filter) {
  return p_.db->transact<std::vector<DebtPosition>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listPositions(tx, filter); });
}

Result<DebtPosition> Service::publishPosition(std::int64_t id, const auth::EnteScope& scope,
                                              const audit::Entry& who) {
  const TimePoint now = p_.clock->now();
  return p_.db->transact<DebtPosition>(db::TxMode::kWrite, [&](db::Tx& tx) {
    return applyTransition(tx, id, PositionEvent::kPublish, std::nullopt, scope, who, now);
  });
}

Result<DebtPosition> Service::invalidatePosition(std::int64_t id, const std::string& reason,
                                                 const auth::EnteScope& scope,
                                                 const audit::Entry& who) {
  const TimePoint now = p_.clock->now();
  return p_.db->transact<DebtPosition>(db::TxMode::kWrite, [&](db::Tx& tx) {
    return applyTransition(tx, id, PositionEvent::kInvalidate, reason, scope, who, now);
  });
}

Status Service::deletePosition(std::int64_t id, const auth::EnteScope& scope,
                               const audit::Entry& who) {
  const TimePoint now = p_.clock->now();
  return p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto p = visiblePosition(tx, id, scope);
    if (!p) return tl::unexpected(p.error());
    if (!isEditable(p->status))
      return fail(ErrorCode::kConflict,
                  "si eliminano solo le posizioni in bozza (DRAFT): questa è " +
                      std::string(statusName(p->status)) +
                      (p->status == PositionStatus::kValid ? "; annullarla invece" : ""));
    if (auto s = store::deletePosition(tx, id); !s) return s;
    return audit::append(tx,
                         positionAudit(who, *p, "payments.position.delete",
                                       {{"notice_numbers", noticeNumbersOf(*p)}}),
                         now);
  });
}

Result<int> Service::expirePositions() {
  const TimePoint now = p_.clock->now();
  const std::string today = romeToday(now);
  const auth::EnteScope every{true, {}, false};
  audit::Entry system;
  system.actor = "system";
  int expired = 0;
  // In batches, each its own transaction: a long backlog does not hold the writers' queue.
  for (;;) {
    auto batch = p_.db->transact<int>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<int> {
      auto due = store::positionsToExpire(tx, today, kExpiryBatch);
      if (!due) return tl::unexpected(due.error());
      for (const store::ExpiringPosition& e : *due) {
        auto r =
            applyTransition(tx, e.id, PositionEvent::kExpire, std::nullopt, every, system, now);
        if (!r) return tl::unexpected(r.error());
      }
      return static_cast<int>(due->size());
    });
    if (!batch) return tl::unexpected(batch.error());
    expired += *batch;
    if (*batch < kExpiryBatch) return expired;
  }
}

Result<std::int64_t> Service::nextIuvBase(const std::string& ente,
                                          const std::string& segregation_code) {
  return p_.db->transact<std::int64_t>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::nextIuvBase(tx, ente, segregation_code);
  });
}

// ---- Shared with the tax-roll import (service_import.cpp) ----

std::string romeToday(TimePoint now) {
  return calendar::formatDate(
      calendar::romeDate(std::chrono::time_point_cast<std::chrono::seconds>(now)));
}

Result<Creditor> requireCreditor(db::Tx& tx, const std::string& ente) {
  auto creditor = store::creditor(tx, ente);
  if (!creditor) return tl::unexpected(creditor.error());
  if (*creditor) return std::move(**creditor);
  Error e = Error::make(ErrorCode::kRuleViolated,
                        "l'ente " + ente +
                            " non ha la configurazione di creditore pagoPA: configurarla "
                            "prima di creare posizioni debitorie");
  e.fields.push_back({"ente", "ente senza configurazione di creditore"});
  e.type = "creditor-not-configured";
  return fail(std::move(e));
}

Status storeNewPosition(db::Tx& tx, DebtPosition& p, const std::string& segregation_code,
                        IuvBases& bases, const audit::Entry& who, TimePoint now,
                        const nlohmann::json& audit_detail) {
  auto taken = store::referenceTaken(tx, p.ente, p.reference);
  if (!taken) return tl::unexpected(taken.error());
  if (*taken) return conflictField("reference", "codice della posizione già usato dall'ente");

  // The allocator: consecutive bases for the options, in this transaction (see
  // store::allocateIuvBases for why two requests can never get the same ones).
  const auto needed = static_cast<std::int64_t>(p.options.size());
  if (bases.left < needed) {
    auto first = store::allocateIuvBases(tx, p.ente, segregation_code, needed);
    if (!first) return tl::unexpected(first.error());
    bases = {*first, needed};
  }
  for (PaymentOption& o : p.options) {
    auto nav = makeNoticeNumber(segregation_code, iuvBaseOf(bases.next++));
    --bases.left;
    if (!nav) return tl::unexpected(nav.error());
    o.iuv = nav->iuv;
    o.notice_number = nav->digits;
  }
  p.status = PositionStatus::kDraft;
  p.created_at = p.updated_at = formatTimestamp(now);
  p.created_by = p.updated_by = actorOf(who);
  if (auto s = store::insertPosition(tx, p); !s) return s;
  const PositionEventRecord created{p.created_at, p.created_by, "create",
                                    std::nullopt, "DRAFT",      std::nullopt};
  if (auto s = store::insertEvent(tx, p.id, p.ente, created); !s) return s;
  nlohmann::json detail = audit_detail;
  detail["status"] = "DRAFT";
  detail["debtor_fiscal_code"] = p.debtor.fiscal_code;
  detail["notice_numbers"] = noticeNumbersOf(p);
  return audit::append(tx, positionAudit(who, p, "payments.position.create", detail), now);
}

}  // namespace cst::payments
