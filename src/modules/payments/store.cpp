#include "store.hpp"

namespace cst::payments::store {

using db::Row;

Result<std::optional<Creditor>> creditor(db::Tx& tx, const std::string& ente) {
  auto head = tx.query(
      "SELECT fiscal_code, segregation_code, updated_at, updated_by FROM payments_creditors "
      "WHERE ente = ?",
      {ente});
  if (!head) return tl::unexpected(head.error());
  if (head->empty()) return std::optional<Creditor>{};
  const Row& h = head->front();
  Creditor c{ente, h.text(0), h.text(1), {}, {}, h.text(2), h.text(3)};
  auto ibans = tx.query(
      "SELECT iban, label, is_primary FROM payments_creditor_ibans WHERE ente = ? ORDER BY seq",
      {ente});
  if (!ibans) return tl::unexpected(ibans.error());
  for (const Row& r : *ibans) c.ibans.push_back({r.text(0), r.optText(1), r.boolean(2)});
  auto codes = tx.query(
      "SELECT code, label FROM payments_service_codes WHERE ente = ? ORDER BY seq", {ente});
  if (!codes) return tl::unexpected(codes.error());
  for (const Row& r : *codes) c.service_codes.push_back({r.text(0), r.text(1)});
  return std::optional(std::move(c));
}

Result<std::optional<std::string>> enteWithFiscalCode(db::Tx& tx, const std::string& fiscal_code) {
  auto rows = tx.query("SELECT ente FROM payments_creditors WHERE fiscal_code = ?", {fiscal_code});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional(rows->front().text(0));
}

Status saveCreditor(db::Tx& tx, const Creditor& c) {
  // ON CONFLICT ... DO UPDATE: the same text on SQLite (3.24+) and PostgreSQL.
  auto head = tx.exec(
      "INSERT INTO payments_creditors (ente, fiscal_code, segregation_code, updated_at, "
      "updated_by) VALUES (?,?,?,?,?) ON CONFLICT (ente) DO UPDATE SET "
      "fiscal_code = excluded.fiscal_code, segregation_code = excluded.segregation_code, "
      "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
      {c.ente, c.fiscal_code, c.segregation_code, c.updated_at, c.updated_by});
  if (!head) return tl::unexpected(head.error());
  for (const char* sql : {"DELETE FROM payments_creditor_ibans WHERE ente = ?",
                          "DELETE FROM payments_service_codes WHERE ente = ?"})
    if (auto r = tx.exec(sql, {c.ente}); !r) return tl::unexpected(r.error());
  std::int64_t seq = 0;
  for (const CreditorIban& i : c.ibans) {
    auto r = tx.exec(
        "INSERT INTO payments_creditor_ibans (ente, seq, iban, label, is_primary) "
        "VALUES (?,?,?,?,?)",
        {c.ente, ++seq, i.iban, db::optionalText(i.label), std::int64_t{i.primary ? 1 : 0}});
    if (!r) return tl::unexpected(r.error());
  }
  seq = 0;
  for (const ServiceCode& s : c.service_codes) {
    auto r = tx.exec("INSERT INTO payments_service_codes (ente, seq, code, label) VALUES (?,?,?,?)",
                     {c.ente, ++seq, s.code, s.label});
    if (!r) return tl::unexpected(r.error());
  }
  return {};
}

}  // namespace cst::payments::store
