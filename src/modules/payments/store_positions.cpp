#include "store_positions.hpp"

#include <algorithm>

#include "db/ente_scope.hpp"

namespace cst::payments::store {

using db::Params;
using db::Row;
using db::Value;

namespace {

constexpr std::int64_t kLastIuvBase = 9'999'999'999'999;  // 13 digits

const char* kPositionColumns =
    "p.id, p.ente, p.reference, p.status, p.debtor_type, p.debtor_fiscal_code, p.debtor_name, "
    "p.debtor_street, p.debtor_civic_number, p.debtor_postal_code, p.debtor_city, "
    "p.debtor_province, p.debtor_country, p.debtor_email, p.description, p.service_code, "
    "p.valid_until, p.invalid_reason, p.created_at, p.created_by, p.updated_at, p.updated_by";

DebtPosition positionOf(const Row& r) {
  DebtPosition p;
  p.id = r.integer(0);
  p.ente = r.text(1);
  p.reference = r.text(2);
  p.status = parsePositionStatus(r.text(3)).value_or(PositionStatus::kDraft);
  const std::string type = r.text(4);
  p.debtor.type = type.empty() ? 'F' : type[0];
  p.debtor.fiscal_code = r.text(5);
  p.debtor.name = r.text(6);
  p.debtor.street = r.optText(7);
  p.debtor.civic_number = r.optText(8);
  p.debtor.postal_code = r.optText(9);
  p.debtor.city = r.optText(10);
  p.debtor.province = r.optText(11);
  p.debtor.country = r.optText(12);
  p.debtor.email = r.optText(13);
  p.description = r.text(14);
  p.service_code = r.text(15);
  p.valid_until = r.optText(16);
  p.invalid_reason = r.optText(17);
  p.created_at = r.text(18);
  p.created_by = r.text(19);
  p.updated_at = r.text(20);
  p.updated_by = r.text(21);
  return p;
}

}  // namespace

Result<std::int64_t> allocateIuvBases(db::Tx& tx, const std::string& ente,
                                      const std::string& segregation_code, std::int64_t count) {
  // Two transactions creating the row at once: PostgreSQL makes the second wait for the first
  // and then do nothing; both then increment the one row in turn.
  auto created = tx.exec(
      "INSERT INTO payments_iuv_counters (ente, segregation_code, next_base) VALUES (?, ?, 1) "
      "ON CONFLICT (ente, segregation_code) DO NOTHING",
      {ente, segregation_code});
  if (!created) return tl::unexpected(created.error());
  auto row = tx.one(
      "UPDATE payments_iuv_counters SET next_base = next_base + ? "
      "WHERE ente = ? AND segregation_code = ? RETURNING next_base",
      {count, ente, segregation_code});
  if (!row) return tl::unexpected(row.error());
  const std::int64_t after = row->integer(0);
  if (after - 1 > kLastIuvBase)
    return fail(ErrorCode::kRuleViolated,
                "numeri di avviso esauriti per il codice di segregazione " + segregation_code);
  return after - count;
}

Result<std::int64_t> nextIuvBase(db::Tx& tx, const std::string& ente,
                                 const std::string& segregation_code) {
  auto rows = tx.query(
      "SELECT next_base FROM payments_iuv_counters WHERE ente = ? AND segregation_code = ?",
      {ente, segregation_code});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? std::int64_t{1} : rows->front().integer(0);
}

Result<bool> referenceTaken(db::Tx& tx, const std::string& ente, const std::string& reference) {
  auto rows = tx.query("SELECT 1 FROM payments_positions WHERE ente = ? AND reference = ?",
                       {ente, reference});
  if (!rows) return tl::unexpected(rows.error());
  return !rows->empty();
}

Status insertPosition(db::Tx& tx, DebtPosition& p) {
  const Debtor& d = p.debtor;
  auto id = tx.one(
      "INSERT INTO payments_positions (ente, reference, status, debtor_type, debtor_fiscal_code, "
      "debtor_name, debtor_street, debtor_civic_number, debtor_postal_code, debtor_city, "
      "debtor_province, debtor_country, debtor_email, description, service_code, valid_until, "
      "invalid_reason, created_at, created_by, updated_at, updated_by) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {p.ente,
       p.reference,
       std::string(statusName(p.status)),
       std::string(1, d.type),
       d.fiscal_code,
       d.name,
       db::optionalText(d.street),
       db::optionalText(d.civic_number),
       db::optionalText(d.postal_code),
       db::optionalText(d.city),
       db::optionalText(d.province),
       db::optionalText(d.country),
       db::optionalText(d.email),
       p.description,
       p.service_code,
       db::optionalText(p.valid_until),
       db::optionalText(p.invalid_reason),
       p.created_at,
       p.created_by,
       p.updated_at,
       p.updated_by});
  if (!id) return tl::unexpected(id.error());
  p.id = id->integer(0);
  for (PaymentOption& o : p.options) {
    auto oid = tx.one(
        "INSERT INTO payments_options (position_id, ente, seq, instalment, amount_cents, "
        "due_date, description, iuv, notice_number) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
        {p.id, p.ente, std::int64_t{o.seq}, std::int64_t{o.instalment ? 1 : 0}, o.amount_cents,
         o.due_date, db::optionalText(o.description), o.iuv, o.notice_number});
    if (!oid) return tl::unexpected(oid.error());
    o.id = oid->integer(0);
    for (const Transfer& t : o.transfers) {
      auto r = tx.exec(
          "INSERT INTO payments_transfers (option_id, ente, seq, amount_cents, iban, remittance, "
          "beneficiary_fiscal_code) VALUES (?,?,?,?,?,?,?)",
          {o.id, p.ente, std::int64_t{t.seq}, t.amount_cents, t.iban, t.remittance,
           db::optionalText(t.beneficiary_fiscal_code)});
      if (!r) return tl::unexpected(r.error());
    }
  }
  return {};
}

Result<std::optional<DebtPosition>> position(db::Tx& tx, std::int64_t id) {
  auto head = tx.query(
      std::string("SELECT ") + kPositionColumns + " FROM payments_positions p WHERE p.id = ?",
      {id});
  if (!head) return tl::unexpected(head.error());
  if (head->empty()) return std::optional<DebtPosition>{};
  DebtPosition p = positionOf(head->front());
  auto options = tx.query(
      "SELECT id, seq, instalment, amount_cents, due_date, description, iuv, notice_number "
      "FROM payments_options WHERE position_id = ? ORDER BY seq",
      {id});
  if (!options) return tl::unexpected(options.error());
  for (const Row& r : *options) {
    PaymentOption o;
    o.id = r.integer(0);
    o.seq = static_cast<int>(r.integer(1));
    o.instalment = r.boolean(2);
    o.amount_cents = r.integer(3);
    o.due_date = r.text(4);
    o.description = r.optText(5);
    o.iuv = r.text(6);
    o.notice_number = r.text(7);
    p.options.push_back(std::move(o));
  }
  p.options_count = static_cast<std::int64_t>(p.options.size());
  // The single payment's amount, else the plan's total (the same rule as the list's).
  const auto single = std::find_if(p.options.begin(), p.options.end(),
                                   [](const PaymentOption& o) { return !o.instalment; });
  if (single != p.options.end()) {
    p.amount_cents = single->amount_cents;
  } else {
    for (const PaymentOption& o : p.options) p.amount_cents += o.amount_cents;
  }
  auto transfers = tx.query(
      "SELECT t.option_id, t.seq, t.amount_cents, t.iban, t.remittance, "
      "t.beneficiary_fiscal_code FROM payments_transfers t JOIN payments_options o ON "
      "o.id = t.option_id WHERE o.position_id = ? ORDER BY o.seq, t.seq",
      {id});
  if (!transfers) return tl::unexpected(transfers.error());
  for (const Row& r : *transfers)
    for (PaymentOption& o : p.options)
      if (o.id == r.integer(0))
        o.transfers.push_back(
            {static_cast<int>(r.integer(1)), r.integer(2), r.text(3), r.text(4), r.optText(5)});
  auto events = tx.query(
      "SELECT at, actor, event, from_status, to_status, reason FROM payments_position_events "
      "WHERE position_id = ? ORDER BY id",
      {id});
  if (!events) return tl::unexpected(events.error());
  for (const Row& r : *events)
    p.timeline.push_back({r.text(0), r.text(1), r.text(2), r.optText(3), r.text(4), r.optText(5)});
  return std::optional(std::move(p));
}

Status insertEvent(db::Tx& tx, std::int64_t position_id, const std::string& ente,
                   const PositionEventRecord& e) {
  auto r = tx.exec(
      "INSERT INTO payments_position_events (position_id, ente, at, actor, event, from_status, "
      "to_status, reason) VALUES (?,?,?,?,?,?,?,?)",
      {position_id, ente, e.at, e.actor, e.event, db::optionalText(e.from_status), e.to_status,
       db::optionalText(e.reason)});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<bool> changeStatus(db::Tx& tx, std::int64_t id, PositionStatus from, PositionStatus to,
                          const std::string& at, const std::string& by,
                          const std::optional<std::string>& reason) {
  auto changed = tx.exec(
      "UPDATE payments_positions SET status = ?, updated_at = ?, updated_by = ?, "
      "invalid_reason = COALESCE(?, invalid_reason) WHERE id = ? AND status = ?",
      {std::string(statusName(to)), at, by, db::optionalText(reason), id,
       std::string(statusName(from))});
  if (!changed) return tl::unexpected(changed.error());
  return *changed == 1;
}

Status deletePosition(db::Tx& tx, std::int64_t id) {
  for (const char* sql : {"DELETE FROM payments_transfers WHERE option_id IN "
                          "(SELECT id FROM payments_options WHERE position_id = ?)",
                          "DELETE FROM payments_options WHERE position_id = ?",
                          "DELETE FROM payments_position_events WHERE position_id = ?",
                          "DELETE FROM payments_positions WHERE id = ?"})
    if (auto r = tx.exec(sql, {id}); !r) return tl::unexpected(r.error());
  return {};
}

Result<std::vector<DebtPosition>> listPositions(db::Tx& tx, const PositionFilter& f) {
  // The single payment's amount, else the plan's total: what the debtor is asked for.
  std::string sql = std::string("SELECT ") + kPositionColumns +
                    ", (SELECT COUNT(*) FROM payments_options o WHERE o.position_id = p.id), "
                    "COALESCE((SELECT MIN(o.amount_cents) FROM payments_options o WHERE "
                    "o.position_id = p.id AND o.instalment = 0), (SELECT SUM(o.amount_cents) "
                    "FROM payments_options o WHERE o.position_id = p.id), 0) "
                    "FROM payments_positions p WHERE 1 = 1";
  Params params;
  if (!db::appendEnteScope(sql, params, "p.ente", f.all_enti, f.enti, f.ente))
    return std::vector<DebtPosition>{};
  if (f.status) {
    sql += " AND p.status = ?";
    params.emplace_back(std::string(statusName(*f.status)));
  }
  if (f.debtor_fiscal_code) {
    sql += " AND p.debtor_fiscal_code = ?";
    params.emplace_back(*f.debtor_fiscal_code);
  }
  if (f.notice_number) {
    sql +=
        " AND EXISTS (SELECT 1 FROM payments_options o WHERE o.position_id = p.id AND "
        "o.notice_number = ?)";
    params.emplace_back(*f.notice_number);
  }
  if (f.text) {
    sql +=
        " AND (LOWER(p.description) LIKE ? ESCAPE '\\' OR LOWER(p.debtor_name) LIKE ? "
        "ESCAPE '\\' OR LOWER(p.reference) LIKE ? ESCAPE '\\')";
    for (int i = 0; i < 3; ++i) params.emplace_back(db::containsPattern(*f.text));
  }
  if (f.before) {
    sql += " AND p.id < ?";
    params.emplace_back(*f.before);
  }
  sql += " ORDER BY p.id DESC LIMIT " + std::to_string(f.limit);
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<DebtPosition> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) {
    DebtPosition p = positionOf(r);
    p.options_count = r.integer(22);
    p.amount_cents = r.integer(23);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<ExpiringPosition>> positionsToExpire(db::Tx& tx, const std::string& today,
                                                        int limit) {
  auto rows = tx.query(
      "SELECT id, ente FROM payments_positions WHERE status = 'VALID' AND valid_until IS NOT NULL "
      "AND valid_until < ? ORDER BY id LIMIT " +
          std::to_string(limit),
      {today});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ExpiringPosition> out;
  for (const Row& r : *rows) out.push_back({r.integer(0), r.text(1)});
  return out;
}

}  // namespace cst::payments::store
