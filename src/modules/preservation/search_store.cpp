// SQL of the metadata index, the search and the volumes (migrations/0005_search.sql). Portable:
// `?` parameters always, LIKE with db::containsPattern and ESCAPE '\'.
#include <map>

#include "db/ente_scope.hpp"
#include "search.hpp"
#include "store.hpp"

namespace cst::preservation::store {

namespace {

// Rows of one multi-row INSERT: 5 parameters each stays far below SQLite's oldest limit (999).
constexpr std::size_t kRowsPerInsert = 100;

std::string asciiLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

Status insertValues(db::Tx& tx, const std::string& aip_id, const std::string& ente,
                    const std::vector<MetadataValue>& values) {
  for (std::size_t from = 0; from < values.size(); from += kRowsPerInsert) {
    const std::size_t to = std::min(values.size(), from + kRowsPerInsert);
    std::string sql =
        "INSERT INTO preservation_metadata (aip_id, ente, path, value, value_lower) VALUES ";
    db::Params params;
    for (std::size_t i = from; i < to; ++i) {
      sql += i == from ? "(?,?,?,?,?)" : ",(?,?,?,?,?)";
      params.insert(params.end(),
                    {aip_id, ente, values[i].path, values[i].value, asciiLower(values[i].value)});
    }
    if (auto w = tx.exec(sql, params); !w) return tl::unexpected(w.error());
  }
  return {};
}

}  // namespace

Status indexMetadata(db::Tx& tx, const std::string& aip_id, const std::string& ente,
                     const Json& metadati) {
  return insertValues(tx, aip_id, ente, flattenMetadata(metadati));
}

Result<std::vector<UnindexedAip>> unindexedAips(db::Tx& tx, const std::string& after_id,
                                                int limit) {
  auto rows = tx.query(
      "SELECT p.aip_id, a.ente, f.sha256 FROM preservation_metadata_pending p "
      "JOIN preservation_aips a ON a.id = p.aip_id "
      "LEFT JOIN preservation_files f ON f.aip_id = p.aip_id AND f.role = 'metadati' "
      "WHERE p.aip_id > ? ORDER BY p.aip_id LIMIT ?",
      {after_id, static_cast<std::int64_t>(limit)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<UnindexedAip> out;
  for (const db::Row& r : *rows) out.push_back({r.text(0), r.text(1), r.optText(2).value_or("")});
  return out;
}

Result<bool> indexEarlierAip(db::Tx& tx, const UnindexedAip& aip, const Json& metadati) {
  // The delete claims the AIP: a concurrent pass (another instance) finds nothing to delete.
  auto claimed = tx.exec("DELETE FROM preservation_metadata_pending WHERE aip_id = ?", {aip.id});
  if (!claimed) return tl::unexpected(claimed.error());
  if (*claimed == 0) return false;
  if (auto s = insertValues(tx, aip.id, aip.ente, flattenMetadata(metadati)); !s)
    return tl::unexpected(s.error());
  return true;
}

Result<AipPage> searchAips(db::Tx& tx, const AipQuery& q) {
  std::string sql = "SELECT id, created_at FROM preservation_aips WHERE ente = ?";
  db::Params params{q.ente};
  if (q.document_class) sql += " AND document_class = ?", params.emplace_back(*q.document_class);
  if (q.kind) sql += " AND kind = ?", params.emplace_back(*q.kind);
  // UTC days, as the audit log's from/to: created_at is UTC with milliseconds.
  if (q.from_date)
    sql += " AND created_at >= ?", params.emplace_back(*q.from_date + "T00:00:00.000Z");
  if (q.to_date) sql += " AND created_at <= ?", params.emplace_back(*q.to_date + "T23:59:59.999Z");
  if (q.text) {
    const std::string pattern = db::containsPattern(*q.text);
    sql +=
        " AND (LOWER(title) LIKE ? ESCAPE '\\' OR id IN (SELECT aip_id FROM preservation_metadata "
        "WHERE ente = ? AND value_lower LIKE ? ESCAPE '\\'))";
    params.insert(params.end(), {pattern, q.ente, pattern});
  }
  for (const MetadataValue& m : q.metadata) {
    sql +=
        " AND id IN (SELECT aip_id FROM preservation_metadata WHERE ente = ? AND path = ? AND "
        "value = ?)";
    params.insert(params.end(), {q.ente, m.path, m.value});
  }
  // The list's order is newest first, then by id: the next page starts after the cursor in it.
  if (q.before) {
    sql += " AND (created_at < ? OR (created_at = ? AND id > ?))";
    params.insert(params.end(), {q.before->at, q.before->at, q.before->id});
  }
  sql += " ORDER BY created_at DESC, id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());

  AipPage page;
  const std::size_t n = std::min(rows->size(), static_cast<std::size_t>(q.limit));
  // Each AIP through store::aip, the one place that maps its row (and its files): one query more
  // per item, within a page of at most 200.
  for (std::size_t i = 0; i < n; ++i) {
    auto a = aip(tx, (*rows)[i].text(0));
    if (!a) return tl::unexpected(a.error());
    if (*a) page.items.push_back(std::move(**a));
  }
  if (rows->size() > n) page.next = PageCursor{(*rows)[n - 1].text(1), (*rows)[n - 1].text(0)};
  return page;
}

Result<std::vector<EnteVolume>> volumes(db::Tx& tx, const auth::EnteScope& scope,
                                        const std::optional<std::string>& ente) {
  std::map<std::string, EnteVolume> by_ente;

  // What the copies hold now: a package disposed of (scarto) keeps its row, not its content.
  std::string sql =
      "SELECT a.ente, COUNT(*), SUM(COALESCE(d.n, 0)), SUM(a.documents_bytes), "
      "SUM(a.package_bytes) FROM preservation_aips a "
      "LEFT JOIN (SELECT aip_id, COUNT(*) AS n FROM preservation_files "
      "WHERE role IN ('principale', 'allegato') GROUP BY aip_id) d ON d.aip_id = a.id "
      "WHERE a.disposed_at IS NULL";
  db::Params params;
  if (!db::appendEnteScope(sql, params, "a.ente", scope.all, scope.enti, ente))
    return std::vector<EnteVolume>{};
  auto rows = tx.query(sql + " GROUP BY a.ente", params);
  if (!rows) return tl::unexpected(rows.error());
  for (const db::Row& r : *rows) {
    EnteVolume& v = by_ente[r.text(0)];
    v.aips = r.integer(1);
    v.documents = r.integer(2);
    v.documents_bytes = r.integer(3);
    v.package_bytes = r.integer(4);
  }

  sql =
      "SELECT ente, SUM(CASE WHEN outcome = 'accepted' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN outcome = 'rejected' THEN 1 ELSE 0 END), MAX(received_at) "
      "FROM preservation_sips WHERE 1 = 1";
  params.clear();
  db::appendEnteScope(sql, params, "ente", scope.all, scope.enti, ente);
  rows = tx.query(sql + " GROUP BY ente", params);
  if (!rows) return tl::unexpected(rows.error());
  for (const db::Row& r : *rows) {
    EnteVolume& v = by_ente[r.text(0)];
    v.sips_accepted = r.integer(1);
    v.sips_rejected = r.integer(2);
    v.last_ingest_at = r.optText(3);
  }

  std::vector<EnteVolume> out;
  for (auto& [istat, v] : by_ente) {
    v.ente = istat;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cst::preservation::store
