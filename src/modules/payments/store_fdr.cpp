#include "store_fdr.hpp"

#include "db/ente_scope.hpp"

namespace cst::payments::store {

using db::Params;
using db::Row;
using db::Value;

namespace {

constexpr const char* kFlowColumns =
    "id, ente, flow_id, flow_date_time, version, settlement_ref, settlement_date, psp_id_type, "
    "psp_id, psp_name, bic, receiver_fiscal_code, receiver_name, declared_count, "
    "declared_total_cents, rows_count, total_cents, rows_ok, rows_anomalous, rows_other, "
    "positions_reported, state, anomalies, superseded_by, xml_sha256, imported_at, imported_by";

constexpr const char* kRowColumns =
    "id, seq, iuv, iur, transfer_index, amount_cents, outcome_code, outcome_date, state, "
    "anomaly_code, anomaly_message, receipt_id, position_id";

// Flows no later revision replaced.
constexpr const char* kCurrent = "superseded_by IS NULL";

Value optionalInt(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : Value{std::monostate{}};
}

fdr::StoredFlow flowOf(const Row& r) {
  fdr::StoredFlow s;
  s.id = r.integer(0);
  s.ente = r.text(1);
  fdr::Flow& f = s.flow;
  f.flow_id = r.text(2);
  f.flow_date_time = r.text(3);
  f.version = r.text(4);
  f.settlement_ref = r.text(5);
  f.settlement_date = r.text(6);
  const std::string type = r.text(7);
  f.psp_id_type = type.empty() ? 'B' : type[0];
  f.psp_id = r.text(8);
  f.psp_name = r.optText(9);
  f.bic = r.optText(10);
  f.receiver_fiscal_code = r.text(11);
  f.receiver_name = r.optText(12);
  f.declared_count = r.integer(13);
  f.declared_total_cents = r.integer(14);
  s.rows_count = r.integer(15);
  s.total_cents = r.integer(16);
  s.rows_ok = r.integer(17);
  s.rows_anomalous = r.integer(18);
  s.rows_other = r.integer(19);
  s.positions_reported = r.integer(20);
  s.state = r.text(21) == "ANOMALOUS" ? fdr::FlowState::kAnomalous : fdr::FlowState::kAcquired;
  const auto anomalies = nlohmann::json::parse(r.text(22), nullptr, false);
  if (anomalies.is_array())
    for (const auto& a : anomalies)
      s.anomalies.push_back({a.value("code", ""), a.value("message", "")});
  s.superseded_by = r.optInteger(23);
  s.xml_sha256 = r.text(24);
  s.imported_at = r.text(25);
  s.imported_by = r.text(26);
  return s;
}

// kRowColumns from column `at` on.
fdr::StoredRow rowOf(const Row& r, std::size_t at = 0) {
  fdr::StoredRow s;
  s.id = r.integer(at);
  fdr::FlowRow& row = s.row;
  row.seq = static_cast<int>(r.integer(at + 1));
  row.iuv = r.text(at + 2);
  row.iur = r.text(at + 3);
  row.transfer_index = static_cast<int>(r.integer(at + 4));
  row.amount_cents = r.integer(at + 5);
  row.outcome_code = static_cast<int>(r.integer(at + 6));
  row.outcome_date = r.text(at + 7);
  s.verdict.state = fdr::parseRowState(r.text(at + 8)).value_or(fdr::RowState::kAnomalous);
  if (auto code = r.optText(at + 9)) s.verdict.anomaly = fdr::Anomaly{*code, r.text(at + 10)};
  s.verdict.receipt_id = r.optInteger(at + 11);
  s.verdict.position_id = r.optInteger(at + 12);
  return s;
}

Result<std::optional<fdr::StoredFlow>> oneFlow(db::Tx& tx, const std::string& where,
                                               const Params& params) {
  auto rows = tx.query(std::string("SELECT ") + kFlowColumns + " FROM payments_fdr_flows WHERE " +
                           where + " ORDER BY flow_date_time DESC, id DESC LIMIT 1",
                       params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<fdr::StoredFlow>{};
  return std::optional(flowOf(rows->front()));
}

Result<std::vector<fdr::StoredFlow>> flows(db::Tx& tx, std::string sql, Params params) {
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<fdr::StoredFlow> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(flowOf(r));
  return out;
}

// The scope and paging of a list, on the alias `t` (flows or rows: both have ente and id).
bool appendScope(std::string& sql, Params& params, const FlowFilter& f, const std::string& t) {
  if (!db::appendEnteScope(sql, params, t + "ente", f.all_enti, f.enti, f.ente)) return false;
  if (f.before) {
    sql += " AND " + t + "id < ?";
    params.emplace_back(*f.before);
  }
  return true;
}

}  // namespace

Result<std::optional<fdr::StoredFlow>> flowRevision(db::Tx& tx, const std::string& ente,
                                                    const fdr::Flow& f) {
  return oneFlow(tx, "ente = ? AND flow_id = ? AND psp_id = ? AND flow_date_time = ?",
                 {ente, f.flow_id, f.psp_id, f.flow_date_time});
}

Result<std::optional<fdr::StoredFlow>> currentRevision(db::Tx& tx, const std::string& ente,
                                                       const fdr::Flow& f) {
  return oneFlow(tx, std::string("ente = ? AND flow_id = ? AND psp_id = ? AND ") + kCurrent,
                 {ente, f.flow_id, f.psp_id});
}

Status insertFlow(db::Tx& tx, fdr::StoredFlow& s) {
  const fdr::Flow& f = s.flow;
  nlohmann::json anomalies = nlohmann::json::array();
  for (const fdr::Anomaly& a : s.anomalies) anomalies.push_back(fdr::toJson(a));
  auto id = tx.one(
      "INSERT INTO payments_fdr_flows (ente, flow_id, flow_date_time, version, settlement_ref, "
      "settlement_date, psp_id_type, psp_id, psp_name, bic, receiver_fiscal_code, receiver_name, "
      "declared_count, declared_total_cents, rows_count, total_cents, rows_ok, rows_anomalous, "
      "rows_other, positions_reported, state, anomalies, superseded_by, xml_sha256, imported_at, "
      "imported_by, xml) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "RETURNING id",
      {s.ente,
       f.flow_id,
       f.flow_date_time,
       f.version,
       f.settlement_ref,
       f.settlement_date,
       std::string(1, f.psp_id_type),
       f.psp_id,
       db::optionalText(f.psp_name),
       db::optionalText(f.bic),
       f.receiver_fiscal_code,
       db::optionalText(f.receiver_name),
       f.declared_count,
       f.declared_total_cents,
       s.rows_count,
       s.total_cents,
       s.rows_ok,
       s.rows_anomalous,
       s.rows_other,
       s.positions_reported,
       std::string(fdr::flowStateName(s.state)),
       anomalies.dump(),
       optionalInt(s.superseded_by),
       s.xml_sha256,
       s.imported_at,
       s.imported_by,
       s.xml});
  if (!id) return tl::unexpected(id.error());
  s.id = id->integer(0);
  for (fdr::StoredRow& r : s.rows) {
    const fdr::RowVerdict& v = r.verdict;
    auto row = tx.one(
        "INSERT INTO payments_fdr_rows (flow, ente, seq, iuv, iur, transfer_index, amount_cents, "
        "outcome_code, outcome_date, state, anomaly_code, anomaly_message, receipt_id, "
        "position_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        {s.id, s.ente, std::int64_t{r.row.seq}, r.row.iuv, r.row.iur,
         std::int64_t{r.row.transfer_index}, r.row.amount_cents, std::int64_t{r.row.outcome_code},
         r.row.outcome_date, std::string(fdr::rowStateName(v.state)),
         v.anomaly ? Value{v.anomaly->code} : db::null(),
         v.anomaly ? Value{v.anomaly->message} : db::null(), optionalInt(v.receipt_id),
         optionalInt(v.position_id)});
    if (!row) return tl::unexpected(row.error());
    r.id = row->integer(0);
  }
  return {};
}

Status supersedeOlderRevisions(db::Tx& tx, const fdr::StoredFlow& s) {
  auto done = tx.exec(std::string("UPDATE payments_fdr_flows SET superseded_by = ? WHERE ente = ? "
                                  "AND flow_id = ? AND psp_id = ? AND id <> ? AND ") +
                          kCurrent,
                      {s.id, s.ente, s.flow.flow_id, s.flow.psp_id, s.id});
  if (!done) return tl::unexpected(done.error());
  return {};
}

Status setPositionsReported(db::Tx& tx, std::int64_t flow, std::int64_t count) {
  auto done =
      tx.exec("UPDATE payments_fdr_flows SET positions_reported = ? WHERE id = ?", {count, flow});
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<std::optional<fdr::ReceiptEvidence>> receiptForRow(db::Tx& tx, const std::string& ente,
                                                          const std::string& iur,
                                                          const std::string& iuv) {
  auto rows = tx.query(
      "SELECT id, position_id, transfers FROM payments_receipts WHERE ente = ? AND receipt_id = ? "
      "AND iuv = ? AND outcome = 'OK'",
      {ente, iur, iuv});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<fdr::ReceiptEvidence>{};
  const Row& r = rows->front();
  return std::optional(fdr::ReceiptEvidence{
      r.integer(0), r.optInteger(1),
      receiptTransfersFromJson(nlohmann::json::parse(r.text(2), nullptr, false))});
}

Result<std::optional<std::int64_t>> positionWithIuv(db::Tx& tx, const std::string& ente,
                                                    const std::string& iuv) {
  auto rows =
      tx.query("SELECT position_id FROM payments_options WHERE ente = ? AND iuv = ?", {ente, iuv});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<std::int64_t>{};
  return std::optional(rows->front().integer(0));
}

Result<std::optional<std::string>> reportedElsewhere(db::Tx& tx, const std::string& ente,
                                                     const fdr::Flow& f, const fdr::FlowRow& row) {
  auto rows = tx.query(
      "SELECT fl.flow_id FROM payments_fdr_rows r JOIN payments_fdr_flows fl ON fl.id = r.flow "
      "WHERE r.ente = ? AND r.iuv = ? AND r.iur = ? AND r.transfer_index = ? AND r.state = 'OK' "
      "AND r.outcome_code IN (0, 4, 8, 9) AND fl.superseded_by IS NULL AND "
      "NOT (fl.flow_id = ? AND fl.psp_id = ?) ORDER BY fl.id LIMIT 1",
      {ente, row.iuv, row.iur, std::int64_t{row.transfer_index}, f.flow_id, f.psp_id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional(rows->front().text(0));
}

Result<std::set<int>> reportedTransfers(db::Tx& tx, std::int64_t receipt_id) {
  auto rows = tx.query(
      "SELECT DISTINCT r.transfer_index FROM payments_fdr_rows r JOIN payments_fdr_flows fl ON "
      "fl.id = r.flow WHERE r.receipt_id = ? AND r.state = 'OK' AND r.outcome_code IN "
      "(0, 4, 8, 9) AND fl.superseded_by IS NULL",
      {receipt_id});
  if (!rows) return tl::unexpected(rows.error());
  std::set<int> out;
  for (const Row& r : *rows) out.insert(static_cast<int>(r.integer(0)));
  return out;
}

Result<std::optional<fdr::StoredFlow>> flow(db::Tx& tx, std::int64_t id, bool rows, bool xml) {
  auto found = oneFlow(tx, "id = ?", {id});
  if (!found || !*found) return found;
  fdr::StoredFlow& s = **found;
  if (rows) {
    auto list = tx.query(std::string("SELECT ") + kRowColumns +
                             " FROM payments_fdr_rows WHERE flow = ? ORDER BY seq",
                         {id});
    if (!list) return tl::unexpected(list.error());
    for (const Row& r : *list) s.rows.push_back(rowOf(r));
  }
  if (xml) {
    auto text = tx.one("SELECT xml FROM payments_fdr_flows WHERE id = ?", {id});
    if (!text) return tl::unexpected(text.error());
    s.xml = text->text(0);
  }
  return found;
}

Result<std::vector<fdr::StoredFlow>> listFlows(db::Tx& tx, const FlowFilter& f) {
  std::string sql = std::string("SELECT ") + kFlowColumns + " FROM payments_fdr_flows WHERE 1 = 1";
  Params params;
  if (!appendScope(sql, params, f, "")) return std::vector<fdr::StoredFlow>{};
  sql += " ORDER BY id DESC LIMIT " + std::to_string(f.limit);
  return flows(tx, sql, params);
}

Result<std::vector<OpenAnomaly>> openAnomalies(db::Tx& tx, const FlowFilter& f) {
  std::string sql =
      "SELECT r.id, r.seq, r.iuv, r.iur, r.transfer_index, r.amount_cents, r.outcome_code, "
      "r.outcome_date, r.state, r.anomaly_code, r.anomaly_message, r.receipt_id, r.position_id, "
      "fl.id, fl.ente, fl.flow_id, fl.psp_id, fl.settlement_date FROM payments_fdr_rows r JOIN "
      "payments_fdr_flows fl ON fl.id = r.flow WHERE r.state = 'ANOMALOUS' AND "
      "fl.superseded_by IS NULL";
  Params params;
  if (!appendScope(sql, params, f, "r.")) return std::vector<OpenAnomaly>{};
  sql += " ORDER BY r.id DESC LIMIT " + std::to_string(f.limit);
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<OpenAnomaly> out;
  out.reserve(rows->size());
  for (const Row& r : *rows)
    out.push_back({r.integer(13), r.text(14), r.text(15), r.text(16), r.text(17), rowOf(r)});
  return out;
}

Result<std::vector<fdr::StoredFlow>> anomalousFlows(db::Tx& tx, const FlowFilter& f) {
  std::string sql = std::string("SELECT ") + kFlowColumns +
                    " FROM payments_fdr_flows WHERE anomalies <> '[]' AND " + kCurrent;
  Params params;
  if (!appendScope(sql, params, f, "")) return std::vector<fdr::StoredFlow>{};
  sql += " ORDER BY id DESC LIMIT " + std::to_string(f.limit);
  return flows(tx, sql, params);
}

Result<std::vector<fdr::ExportLine>> exportLines(db::Tx& tx, const std::string& ente,
                                                 const std::optional<std::string>& from,
                                                 const std::optional<std::string>& to) {
  std::string sql =
      "SELECT fl.settlement_date, fl.flow_id, r.iuv, r.iur, r.transfer_index, r.amount_cents, "
      "r.outcome_code, r.state, r.anomaly_code, rc.debtor_fiscal_code, rc.description, "
      "rc.transfers FROM payments_fdr_rows r JOIN payments_fdr_flows fl ON fl.id = r.flow "
      "LEFT JOIN payments_receipts rc ON rc.id = r.receipt_id WHERE fl.ente = ? AND "
      "fl.superseded_by IS NULL";
  Params params{ente};
  if (from) {
    sql += " AND fl.settlement_date >= ?";
    params.emplace_back(*from);
  }
  if (to) {
    sql += " AND fl.settlement_date <= ?";
    params.emplace_back(*to);
  }
  sql += " ORDER BY fl.settlement_date, fl.id, r.seq";
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<fdr::ExportLine> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) {
    fdr::ExportLine l;
    l.settlement_date = r.text(0);
    l.flow_id = r.text(1);
    l.iuv = r.text(2);
    l.iur = r.text(3);
    l.transfer_index = static_cast<int>(r.integer(4));
    l.amount_cents = r.integer(5);
    l.outcome_code = static_cast<int>(r.integer(6));
    l.state = fdr::parseRowState(r.text(7)).value_or(fdr::RowState::kAnomalous);
    l.anomaly_code = r.optText(8);
    if (!r.isNull(9)) {
      l.debtor_fiscal_code = r.text(9);
      l.remittance = r.text(10);
      // The transfer the row reports: its own remittance and taxonomy, the receipt's description
      // when it has none.
      for (const ReceiptTransfer& t :
           receiptTransfersFromJson(nlohmann::json::parse(r.text(11), nullptr, false)))
        if (t.id == l.transfer_index) {
          if (!t.remittance.empty()) l.remittance = t.remittance;
          l.category = t.category;
        }
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace cst::payments::store
