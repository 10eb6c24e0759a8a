// The creditor side of pagoPA: answering the node's verify and get-payment requests from the
// stored positions, and recording its receipts. Fault mapping per reference §4.3 (pagoPA's own
// GPD and GovPay agree on it); the receipt policy is in docs/payments.md.
#include <spdlog/spdlog.h>

#include "platform/platform.hpp"
#include "position_lifecycle.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::payments {

namespace {

tl::unexpected<Error> nodeFail(const char* code, std::string text) {
  return tl::unexpected(nodeFault(code, std::move(text)));
}

// The creditor the request is for, after checking that the node addressed us: our intermediary,
// our station, a creditor we serve. Its ente.
Result<std::string> addressedEnte(db::Tx& tx, const NodeCaller& c) {
  auto broker = store::broker(tx);
  if (!broker) return tl::unexpected(broker.error());
  if (!*broker)
    return nodeFail(fault::kWrongBroker,
                    "intermediario non configurato: registrare il codice fiscale e la stazione");
  if (c.broker_fiscal_code != (*broker)->fiscal_code)
    return nodeFail(fault::kWrongBroker, "idBrokerPA " + c.broker_fiscal_code +
                                             " non è l'intermediario di questa stazione");
  if (c.station_id != (*broker)->station_id)
    return nodeFail(fault::kWrongStation, "idStation " + c.station_id + " sconosciuta");
  auto ente = store::enteWithFiscalCode(tx, c.creditor_fiscal_code);
  if (!ente) return tl::unexpected(ente.error());
  if (!*ente)
    return nodeFail(fault::kWrongCreditor,
                    "idPA " + c.creditor_fiscal_code + " non è un ente creditore servito");
  return **ente;
}

const PaymentOption* optionWithId(const DebtPosition& p, std::int64_t id) {
  for (const PaymentOption& o : p.options)
    if (o.id == id) return &o;
  return nullptr;
}

// What a successful receipt for `option` does to the position: the last instalment (or the single
// payment) pays it in full.
PositionEvent paymentEvent(const DebtPosition& p, const PaymentOption& option,
                           const PaidOptions& paid_before) {
  if (!option.instalment) return PositionEvent::kFullPayment;
  for (const PaymentOption& o : p.options)
    if (o.instalment && o.id != option.id && paid_before.count(o.id) == 0)
      return PositionEvent::kPartialPayment;
  return PositionEvent::kFullPayment;
}

audit::Entry nodeActor() {
  audit::Entry who;
  who.actor = "pagopa";  // the node, through our station
  return who;
}

// A refused receipt leaves a trace with what identifies it: the node will retry it, and the office
// must be able to tell what was refused and why.
Status auditRefusal(db::Tx& tx, const std::string& ente, const Receipt& r, const Error& why,
                    TimePoint now) {
  audit::Entry e = nodeActor();
  e.ente = ente;
  e.action = "payments.receipt.refuse";
  e.object_type = "payments_receipt";
  e.object_id = r.receipt_id;
  e.detail = {{"fault", faultCodeOf(why)},        {"reason", why.detail},
              {"notice_number", r.notice_number}, {"iuv", r.iuv},
              {"amount_cents", r.amount_cents},   {"psp", r.psp_id}};
  return audit::append(tx, e, now);
}

}  // namespace

Status payableOption(const DebtPosition& p, const PaymentOption& option, const PaidOptions& paid,
                     const std::string& today) {
  switch (p.status) {
    case PositionStatus::kDraft:  // not published: the node must not know it (GPD does the same)
      return nodeFail(fault::kUnknown, "avviso sconosciuto");
    case PositionStatus::kExpired:
      return nodeFail(fault::kExpired, "avviso scaduto");
    case PositionStatus::kInvalid:
      return nodeFail(fault::kCancelled, "avviso annullato dall'ente");
    case PositionStatus::kPaid:
    case PositionStatus::kReported:
      return nodeFail(fault::kAlreadyPaid, "avviso già pagato");
    case PositionStatus::kValid:
    case PositionStatus::kPartiallyPaid:
      break;
  }
  // The hourly job may not have run yet: the stored last day decides.
  if (p.valid_until && *p.valid_until < today) return nodeFail(fault::kExpired, "avviso scaduto");
  if (paid.count(option.id) != 0) return nodeFail(fault::kAlreadyPaid, "avviso già pagato");
  for (const PaymentOption& o : p.options)
    if (paid.count(o.id) != 0 && o.instalment != option.instalment)
      return nodeFail(fault::kAlreadyPaid, option.instalment
                                               ? "posizione già pagata in un'unica soluzione"
                                               : "posizione in pagamento a rate: pagare le rate");
  return {};
}

void EventHub::publish(const PaymentReceived& payment) {
  std::vector<Listener> listeners;
  {
    std::lock_guard lock(mutex_);
    listeners = listeners_;
  }
  for (const Listener& l : listeners) try {
      l(payment);
    } catch (const std::exception& e) {
      spdlog::error("PaymentReceived listener failed on receipt {}: {}", payment.receipt_id,
                    e.what());
    }
}

Service::Service(Platform& p)
    : p_(p), events_(std::make_shared<EventHub>([this](std::int64_t sequence, int limit) {
        return p_.db->transact<std::vector<PaymentReceived>>(db::TxMode::kRead, [&](db::Tx& tx) {
          return store::paymentsAfter(tx, sequence, limit);
        });
      })) {}

Result<std::optional<Broker>> Service::broker() {
  return p_.db->transact<std::optional<Broker>>(db::TxMode::kRead,
                                                [](db::Tx& tx) { return store::broker(tx); });
}

Result<Broker> Service::saveBroker(const nlohmann::json& body, const audit::Entry& who) {
  auto b = brokerFromJson(body);
  if (!b) return b;
  const TimePoint now = p_.clock->now();
  b->updated_at = formatTimestamp(now);
  b->updated_by = who.actor.empty() ? "system" : who.actor;
  return p_.db->transact<Broker>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Broker> {
    if (auto s = store::saveBroker(tx, *b); !s) return tl::unexpected(s.error());
    audit::Entry e = who;
    e.action = "payments.broker.update";
    e.object_type = "payments_broker";
    e.object_id = b->fiscal_code;
    e.detail = {{"fiscal_code", b->fiscal_code}, {"station_id", b->station_id}};
    if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
    return *b;
  });
}

std::string Service::faultId(const std::string& fallback) {
  auto b = broker();
  return b && *b ? (*b)->fiscal_code : fallback;
}

Result<NodeNotice> Service::noticeForNode(const NoticeQuery& q) {
  const std::string today = romeToday(p_.clock->now());
  std::string ente_code;
  auto notice =
      p_.db->transact<NodeNotice>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<NodeNotice> {
        auto ente = addressedEnte(tx, q.caller);
        if (!ente) return tl::unexpected(ente.error());
        if (q.fiscal_code != q.caller.creditor_fiscal_code)
          return nodeFail(fault::kWrongCreditor,
                          "il codice fiscale dell'avviso non è quello dell'ente (idPA)");
        auto ref = store::optionOfNotice(tx, *ente, q.notice_number);
        if (!ref) return tl::unexpected(ref.error());
        if (!*ref) return nodeFail(fault::kUnknown, "avviso sconosciuto");
        auto position = store::position(tx, (*ref)->position_id);
        if (!position) return tl::unexpected(position.error());
        if (!*position) return nodeFail(fault::kUnknown, "avviso sconosciuto");
        const DebtPosition& p = **position;
        const PaymentOption* option = optionWithId(p, (*ref)->option_id);
        if (option == nullptr) return nodeFail(fault::kUnknown, "avviso sconosciuto");
        auto paid = store::paidOptions(tx, p.id);
        if (!paid) return tl::unexpected(paid.error());
        if (auto s = payableOption(p, *option, *paid, today); !s) return tl::unexpected(s.error());
        if (q.amount_cents && *q.amount_cents != option->amount_cents)
          return nodeFail(fault::kWrongAmount, "importo " + wireAmount(*q.amount_cents) +
                                                   " diverso da quello dell'avviso (" +
                                                   wireAmount(option->amount_cents) + ")");
        NodeNotice n;
        n.creditor_fiscal_code = q.caller.creditor_fiscal_code;
        ente_code = *ente;
        n.notice_number = option->notice_number;
        n.iuv = option->iuv;
        n.due_date = option->due_date;
        n.amount_cents = option->amount_cents;
        n.description = p.description;
        n.option_description = option->description;
        n.service_code = p.service_code;
        n.debtor = p.debtor;
        n.transfers = option->transfers;
        return n;
      });
  // Outside the transaction: the registry may read the database itself, and a worker holding one
  // connection while it waits for another would starve the pool under load.
  if (notice) notice->company_name = p_.enti->formalName(ente_code);
  return notice;
}

Status Service::acceptReceipt(const ReceiptDelivery& d) {
  const TimePoint now = p_.clock->now();
  const Receipt& r = d.receipt;
  std::optional<PaymentReceived> payment;
  auto record = [&](db::Tx& tx) -> Status {
    payment.reset();
    auto ente = addressedEnte(tx, d.caller);
    if (!ente) return tl::unexpected(ente.error());
    auto existing = store::receiptByReceiptId(tx, *ente, r.receipt_id);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      // The node retries until it hears OK: the same receipt again changes nothing.
      if ((*existing)->receipt.notice_number == r.notice_number) return {};
      return nodeFail(fault::kDuplicateReceipt,
                      "receiptId " + r.receipt_id + " già ricevuto per un altro avviso");
    }
    StoredReceipt stored{0, *ente,        std::nullopt,        std::nullopt,
                         r, std::nullopt, formatTimestamp(now)};
    if (r.fiscal_code != d.caller.creditor_fiscal_code) {
      // Multi-beneficiary: every creditor of a transfer gets the receipt of the primary's notice.
      bool beneficiary = false;
      for (const ReceiptTransfer& t : r.transfers)
        beneficiary = beneficiary || t.fiscal_code == d.caller.creditor_fiscal_code;
      if (!beneficiary)
        return nodeFail(fault::kSemantic,
                        "ricevuta di un altro ente senza trasferimenti a favore di idPA");
      return store::insertReceipt(tx, stored);
    }
    auto ref = store::optionOfNotice(tx, *ente, r.notice_number);
    if (!ref) return tl::unexpected(ref.error());
    if (!*ref) return nodeFail(fault::kUnknown, "avviso " + r.notice_number + " sconosciuto");
    auto position = store::position(tx, (*ref)->position_id);
    if (!position) return tl::unexpected(position.error());
    if (!*position) return nodeFail(fault::kUnknown, "avviso sconosciuto");
    const DebtPosition& p = **position;
    const PaymentOption* option = optionWithId(p, (*ref)->option_id);
    if (option == nullptr) return nodeFail(fault::kUnknown, "avviso sconosciuto");
    if (r.iuv != option->iuv)
      return nodeFail(fault::kSemantic, "creditorReferenceId " + r.iuv +
                                            " diverso dallo IUV dell'avviso (" + option->iuv + ")");
    stored.position_id = p.id;
    stored.option_id = option->id;
    if (r.outcome != "OK") return store::insertReceipt(tx, stored);  // kept; moves nothing
    if (r.amount_cents != option->amount_cents)
      return nodeFail(fault::kSemantic, "importo pagato " + wireAmount(r.amount_cents) +
                                            " diverso da quello dell'avviso (" +
                                            wireAmount(option->amount_cents) + ")");
    auto paid = store::paidOptions(tx, p.id);
    if (!paid) return tl::unexpected(paid.error());
    if (auto by = paid->find(option->id); by != paid->end()) {
      // Read committed: the same receipt may have been committed by a concurrent delivery
      // between the lookup above and this one.
      if (by->second == r.receipt_id) return {};
      return nodeFail(fault::kDuplicateReceipt, "avviso già pagato con un'altra ricevuta");
    }

    const PositionEvent event = paymentEvent(p, *option, *paid);
    const auto next = nextStatus(p.status, event);
    const bool other_way = std::any_of(p.options.begin(), p.options.end(), [&](const auto& o) {
      return paid->count(o.id) != 0 && o.instalment != option->instalment;
    });
    if (!next || other_way)
      stored.anomaly =
          other_way ? "pagamento ulteriore: la posizione era già pagata in un altro "
                      "modo (rate o unica soluzione)"
                    : "ricevuta per una posizione nello stato " + std::string(statusName(p.status));
    if (auto s = store::insertReceipt(tx, stored); !s) return s;
    const auth::EnteScope every{true, {}, false};
    if (stored.anomaly) {
      audit::Entry e = positionAudit(nodeActor(), p, "payments.receipt.anomaly",
                                     {{"receipt_id", r.receipt_id},
                                      {"notice_number", r.notice_number},
                                      {"amount_cents", r.amount_cents},
                                      {"anomaly", *stored.anomaly}});
      return audit::append(tx, e, now);
    }
    auto moved =
        applyTransition(tx, p.id, event, "ricevuta " + r.receipt_id + " (" + r.psp_name + ")",
                        every, nodeActor(), now);
    if (!moved) return tl::unexpected(moved.error());
    payment = PaymentReceived{stored.id,
                              p.ente,
                              p.id,
                              p.reference,
                              r.notice_number,
                              r.iuv,
                              r.receipt_id,
                              r.amount_cents,
                              r.payment_date_time.value_or(stored.received_at),
                              event == PositionEvent::kFullPayment};
    return {};
  };
  Status s = p_.db->transactStatus(db::TxMode::kWrite, record);
  // Two deliveries of receipts for one option at once (two instances): the unique index stops the
  // second, which on a second look is either the same receipt or a duplicate.
  if (!s && s.error().code == ErrorCode::kConflict && s.error().type.empty())
    s = p_.db->transactStatus(db::TxMode::kWrite, record);
  if (!s && !s.error().type.empty()) {
    // Refused: leave the trace (its own transaction: the refused one was rolled back).
    const Error why = s.error();
    auto traced = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      auto ente = store::enteWithFiscalCode(tx, d.caller.creditor_fiscal_code);
      if (!ente) return tl::unexpected(ente.error());
      if (!*ente) return {};  // not ours at all: nothing to attach it to
      return auditRefusal(tx, **ente, r, why, now);
    });
    if (!traced)
      spdlog::error("cannot audit refused receipt {}: {}", r.receipt_id, traced.error().detail);
    return s;
  }
  if (s && payment) events_->publish(*payment);
  return s;
}

Result<std::vector<StoredReceipt>> Service::receipts(const store::ReceiptFilter& filter) {
  return p_.db->transact<std::vector<StoredReceipt>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listReceipts(tx, filter); });
}

Result<StoredReceipt> Service::receipt(std::int64_t id, const auth::EnteScope& scope) {
  return p_.db->transact<StoredReceipt>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<StoredReceipt> {
        auto r = store::receipt(tx, id);
        if (!r) return tl::unexpected(r.error());
        if (!*r || !scope.contains((*r)->ente))
          return fail(ErrorCode::kNotFound, "ricevuta non trovata");
        return std::move(**r);
      });
}

}  // namespace cst::payments
