#include "store_imports.hpp"

#include "db/ente_scope.hpp"

namespace cst::payments::store {

using db::Params;
using db::Row;

namespace {

constexpr const char* kColumns =
    "id, ente, mode, publish, outcome, file_bytes, file_sha256, lines, rows_read, rows_accepted, "
    "rows_rejected, positions_created, positions_rejected, errors_total, started_at, "
    "finished_at, created_by";

roll::ImportReport reportOf(const Row& r) {
  roll::ImportReport out;
  out.id = r.integer(0);
  out.ente = r.text(1);
  out.mode = roll::parseImportMode(r.text(2)).value_or(roll::ImportMode::kAllOrNothing);
  out.publish = r.boolean(3);
  out.outcome = r.text(4);
  out.file_bytes = r.integer(5);
  out.file_sha256 = r.text(6);
  out.lines = r.integer(7);
  out.rows = r.integer(8);
  out.rows_accepted = r.integer(9);
  out.rows_rejected = r.integer(10);
  out.positions_created = r.integer(11);
  out.positions_rejected = r.integer(12);
  out.errors_total = r.integer(13);
  out.started_at = r.text(14);
  out.finished_at = r.text(15);
  out.by = r.text(16);
  return out;
}

// The values of every column but id, in kColumns' order, then the errors.
Params valuesOf(const roll::ImportReport& r) {
  return {r.ente,
          std::string(roll::modeName(r.mode)),
          std::int64_t{r.publish ? 1 : 0},
          r.outcome,
          r.file_bytes,
          r.file_sha256,
          r.lines,
          r.rows,
          r.rows_accepted,
          r.rows_rejected,
          r.positions_created,
          r.positions_rejected,
          r.errors_total,
          r.started_at,
          r.finished_at,
          r.by,
          roll::errorsJson(r.errors).dump()};
}

}  // namespace

Status insertImport(db::Tx& tx, roll::ImportReport& r) {
  auto id = tx.one(
      "INSERT INTO payments_imports (ente, mode, publish, outcome, file_bytes, file_sha256, "
      "lines, rows_read, rows_accepted, rows_rejected, positions_created, positions_rejected, "
      "errors_total, started_at, finished_at, created_by, errors) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      valuesOf(r));
  if (!id) return tl::unexpected(id.error());
  r.id = id->integer(0);
  return {};
}

Status updateImport(db::Tx& tx, const roll::ImportReport& r) {
  Params params = valuesOf(r);
  params.emplace_back(r.id);
  auto changed = tx.exec(
      "UPDATE payments_imports SET ente = ?, mode = ?, publish = ?, outcome = ?, file_bytes = ?, "
      "file_sha256 = ?, lines = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ?, "
      "positions_created = ?, positions_rejected = ?, errors_total = ?, started_at = ?, "
      "finished_at = ?, created_by = ?, errors = ? WHERE id = ?",
      params);
  if (!changed) return tl::unexpected(changed.error());
  return {};
}

Result<std::optional<roll::ImportReport>> import(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      std::string("SELECT ") + kColumns + ", errors FROM payments_imports WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<roll::ImportReport>{};
  roll::ImportReport r = reportOf(rows->front());
  r.errors = roll::errorsFromJson(nlohmann::json::parse(rows->front().text(17), nullptr, false));
  return std::optional(std::move(r));
}

Result<std::vector<roll::ImportReport>> listImports(db::Tx& tx, const ImportFilter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM payments_imports WHERE 1 = 1";
  Params params;
  if (!db::appendEnteScope(sql, params, "ente", f.all_enti, f.enti, f.ente))
    return std::vector<roll::ImportReport>{};
  if (f.before) {
    sql += " AND id < ?";
    params.emplace_back(*f.before);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(f.limit);
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<roll::ImportReport> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(reportOf(r));
  return out;
}

}  // namespace cst::payments::store
