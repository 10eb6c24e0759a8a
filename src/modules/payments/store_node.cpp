#include "store_node.hpp"

#include "db/ente_scope.hpp"

namespace cst::payments::store {

using db::Params;
using db::Row;
using db::Value;

namespace {

// xml last: lists leave it out (it can be large, and is downloaded on its own).
const char* kReceiptColumns =
    "id, ente, receipt_id, position_id, option_id, creditor_fiscal_code, notice_number, iuv, "
    "outcome, amount_cents, fee_cents, description, debtor_fiscal_code, debtor_name, "
    "payer_fiscal_code, payer_name, psp_id, psp_name, channel_id, payment_method, "
    "payment_date_time, application_date, transfer_date, stand_in, transfers, anomaly, "
    "received_at, debtor_type";

StoredReceipt receiptOf(const Row& row, bool with_xml) {
  StoredReceipt s;
  s.id = row.integer(0);
  s.ente = row.text(1);
  Receipt& r = s.receipt;
  r.receipt_id = row.text(2);
  s.position_id = row.optInteger(3);
  s.option_id = row.optInteger(4);
  r.fiscal_code = row.text(5);
  r.notice_number = row.text(6);
  r.iuv = row.text(7);
  r.outcome = row.text(8);
  r.amount_cents = row.integer(9);
  r.fee_cents = row.optInteger(10);
  r.description = row.text(11);
  r.debtor.fiscal_code = row.text(12);
  r.debtor.name = row.text(13);
  if (auto payer = row.optText(14)) r.payer = Subject{'F', *payer, row.optText(15).value_or("")};
  r.psp_id = row.text(16);
  r.psp_name = row.text(17);
  r.channel_id = row.text(18);
  r.payment_method = row.optText(19);
  r.payment_date_time = row.optText(20);
  r.application_date = row.optText(21);
  r.transfer_date = row.optText(22);
  r.stand_in = row.boolean(23);
  r.transfers = receiptTransfersFromJson(nlohmann::json::parse(row.text(24), nullptr, false));
  s.anomaly = row.optText(25);
  s.received_at = row.text(26);
  const std::string type = row.text(27);
  r.debtor.type = type.empty() ? 'F' : type[0];
  if (with_xml) r.xml = row.text(28);
  return s;
}

Value optionalInt(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : Value{std::monostate{}};
}

Result<std::optional<StoredReceipt>> oneReceipt(db::Tx& tx, const std::string& where,
                                                const Params& params) {
  auto rows = tx.query(
      std::string("SELECT ") + kReceiptColumns + ", xml FROM payments_receipts WHERE " + where,
      params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<StoredReceipt>{};
  return std::optional(receiptOf(rows->front(), true));
}

}  // namespace

Result<std::optional<Broker>> broker(db::Tx& tx) {
  auto rows = tx.query(
      "SELECT broker_fiscal_code, station_id, updated_at, updated_by FROM payments_broker "
      "WHERE id = 1");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Broker>{};
  const Row& r = rows->front();
  return std::optional(Broker{r.text(0), r.text(1), r.text(2), r.text(3)});
}

Status saveBroker(db::Tx& tx, const Broker& b) {
  auto done = tx.exec(
      "INSERT INTO payments_broker (id, broker_fiscal_code, station_id, updated_at, updated_by) "
      "VALUES (1,?,?,?,?) ON CONFLICT (id) DO UPDATE SET broker_fiscal_code = "
      "excluded.broker_fiscal_code, station_id = excluded.station_id, updated_at = "
      "excluded.updated_at, updated_by = excluded.updated_by",
      {b.fiscal_code, b.station_id, b.updated_at, b.updated_by});
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<std::optional<OptionRef>> optionOfNotice(db::Tx& tx, const std::string& ente,
                                                const std::string& notice_number) {
  auto rows =
      tx.query("SELECT position_id, id FROM payments_options WHERE ente = ? AND notice_number = ?",
               {ente, notice_number});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<OptionRef>{};
  return std::optional(OptionRef{rows->front().integer(0), rows->front().integer(1)});
}

Result<std::vector<DebtorOption>> optionsOfDebtor(db::Tx& tx,
                                                  const std::optional<std::string>& notice_number,
                                                  const std::string& debtor_fiscal_code,
                                                  std::size_t limit) {
  std::string sql =
      "SELECT p.ente, o.position_id, o.id FROM payments_options o JOIN payments_positions p ON "
      "p.id = o.position_id WHERE p.debtor_fiscal_code = ?";
  Params args{debtor_fiscal_code};
  if (notice_number) {
    sql += " AND o.notice_number = ?";
    args.emplace_back(*notice_number);
  }
  sql += " ORDER BY p.id DESC, o.seq LIMIT ?";
  args.emplace_back(static_cast<std::int64_t>(limit));
  auto rows = tx.query(sql, args);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<DebtorOption> out;
  for (const Row& r : *rows) out.push_back({r.text(0), r.integer(1), r.integer(2)});
  return out;
}

Result<std::map<std::int64_t, std::string>> paidOptions(db::Tx& tx, std::int64_t position_id) {
  auto rows = tx.query(
      "SELECT option_id, receipt_id FROM payments_receipts WHERE position_id = ? AND "
      "outcome = 'OK' AND option_id IS NOT NULL",
      {position_id});
  if (!rows) return tl::unexpected(rows.error());
  std::map<std::int64_t, std::string> out;
  for (const Row& r : *rows) out.emplace(r.integer(0), r.text(1));
  return out;
}

Result<std::optional<StoredReceipt>> receiptByReceiptId(db::Tx& tx, const std::string& ente,
                                                        const std::string& receipt_id) {
  return oneReceipt(tx, "ente = ? AND receipt_id = ?", {ente, receipt_id});
}

Result<std::optional<StoredReceipt>> receipt(db::Tx& tx, std::int64_t id) {
  return oneReceipt(tx, "id = ?", {id});
}

Status insertReceipt(db::Tx& tx, StoredReceipt& s) {
  const Receipt& r = s.receipt;
  nlohmann::json transfers = nlohmann::json::array();
  for (const ReceiptTransfer& t : r.transfers) transfers.push_back(toJson(t));
  auto row = tx.one(
      "INSERT INTO payments_receipts (ente, receipt_id, position_id, option_id, "
      "creditor_fiscal_code, notice_number, iuv, outcome, amount_cents, fee_cents, description, "
      "debtor_fiscal_code, debtor_name, payer_fiscal_code, payer_name, psp_id, psp_name, "
      "channel_id, payment_method, payment_date_time, application_date, transfer_date, "
      "stand_in, transfers, anomaly, xml, received_at, debtor_type) VALUES "
      "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {s.ente,
       r.receipt_id,
       optionalInt(s.position_id),
       optionalInt(s.option_id),
       r.fiscal_code,
       r.notice_number,
       r.iuv,
       r.outcome,
       r.amount_cents,
       optionalInt(r.fee_cents),
       r.description,
       r.debtor.fiscal_code,
       r.debtor.name,
       r.payer ? Value{r.payer->fiscal_code} : db::null(),
       r.payer ? Value{r.payer->name} : db::null(),
       r.psp_id,
       r.psp_name,
       r.channel_id,
       db::optionalText(r.payment_method),
       db::optionalText(r.payment_date_time),
       db::optionalText(r.application_date),
       db::optionalText(r.transfer_date),
       std::int64_t{r.stand_in ? 1 : 0},
       transfers.dump(),
       db::optionalText(s.anomaly),
       r.xml,
       s.received_at,
       std::string(1, r.debtor.type == 'G' ? 'G' : 'F')});
  if (!row) return tl::unexpected(row.error());
  s.id = row->integer(0);
  return {};
}

Result<std::vector<StoredReceipt>> listReceipts(db::Tx& tx, const ReceiptFilter& f) {
  std::string sql =
      std::string("SELECT ") + kReceiptColumns + " FROM payments_receipts WHERE 1 = 1";
  Params params;
  if (!db::appendEnteScope(sql, params, "ente", f.all_enti, f.enti, f.ente))
    return std::vector<StoredReceipt>{};
  if (f.position_id) {
    sql += " AND position_id = ?";
    params.emplace_back(*f.position_id);
  }
  if (f.notice_number) {
    sql += " AND notice_number = ?";
    params.emplace_back(*f.notice_number);
  }
  if (f.before) {
    sql += " AND id < ?";
    params.emplace_back(*f.before);
  }
  if (f.after) {
    sql += " AND id > ?";
    params.emplace_back(*f.after);
  }
  sql += f.after ? " ORDER BY id" : " ORDER BY id DESC";
  sql += " LIMIT " + std::to_string(f.limit);
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<StoredReceipt> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(receiptOf(r, false));
  return out;
}

Result<std::vector<PaymentReceived>> paymentsAfter(db::Tx& tx, std::int64_t sequence, int limit) {
  // Paid in full: the single payment, or an instalment after which none of the plan's
  // instalments is left without a successful receipt recorded up to this one.
  auto rows = tx.query(
      "SELECT r.id, r.ente, r.position_id, p.reference, r.notice_number, r.iuv, r.receipt_id, "
      "r.amount_cents, COALESCE(r.payment_date_time, r.received_at), o.instalment, "
      "(SELECT COUNT(*) FROM payments_options o2 WHERE o2.position_id = r.position_id AND "
      "o2.instalment = 1 AND NOT EXISTS (SELECT 1 FROM payments_receipts r2 WHERE r2.option_id = "
      "o2.id AND r2.outcome = 'OK' AND r2.id <= r.id)) "
      "FROM payments_receipts r JOIN payments_options o ON o.id = r.option_id "
      "JOIN payments_positions p ON p.id = r.position_id "
      "WHERE r.id > ? AND r.outcome = 'OK' AND r.anomaly IS NULL ORDER BY r.id LIMIT " +
          std::to_string(limit),
      {sequence});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<PaymentReceived> out;
  out.reserve(rows->size());
  for (const Row& r : *rows)
    out.push_back({r.integer(0), r.text(1), r.integer(2), r.text(3), r.text(4), r.text(5),
                   r.text(6), r.integer(7), r.text(8), !r.boolean(9) || r.integer(10) == 0});
  return out;
}

}  // namespace cst::payments::store
