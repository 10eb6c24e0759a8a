#include "disposal_store.hpp"

#include <map>
#include <set>

namespace cst::preservation::store {

namespace {

constexpr const char* kDisposalColumns =
    "id, ente, state, reason, created_at, created_by, approved_at, approved_by, approval_note, "
    "authority, authority_reference, authorisation_date, authorisation_recorded_by, "
    "authorisation_recorded_at, executed_at, executed_by, cancelled_at, cancelled_by, "
    "cancel_reason";

Disposal disposalOf(const db::Row& row) {
  Disposal d;
  d.id = row.text(0);
  d.ente = row.text(1);
  d.state = row.text(2);
  d.reason = row.text(3);
  d.created_at = row.text(4);
  d.created_by = row.text(5);
  d.approved_at = row.optText(6).value_or("");
  d.approved_by = row.optText(7).value_or("");
  d.approval_note = row.optText(8).value_or("");
  if (!row.isNull(9))
    d.authorisation =
        Authorisation{row.text(9), row.optText(10).value_or(""), row.optText(11).value_or(""),
                      row.optText(12).value_or(""), row.optText(13).value_or("")};
  d.executed_at = row.optText(14).value_or("");
  d.executed_by = row.optText(15).value_or("");
  d.cancelled_at = row.optText(16).value_or("");
  d.cancelled_by = row.optText(17).value_or("");
  d.cancel_reason = row.optText(18).value_or("");
  return d;
}

// The items of a disposal, in proposal order, each with its documents.
Status loadItems(db::Tx& tx, Disposal& d) {
  auto rows = tx.query(
      "SELECT i.aip_id, a.title, i.document_class, a.kind, i.document_date, i.retention_years, "
      "i.expired_on, a.index_sha256, a.package_bytes, i.deleted_objects "
      "FROM preservation_disposal_items i JOIN preservation_aips a ON a.id = i.aip_id "
      "WHERE i.disposal_id = ? ORDER BY i.position",
      {d.id});
  if (!rows) return tl::unexpected(rows.error());
  std::map<std::string, std::size_t> at;
  for (const db::Row& r : *rows) {
    DisposalItem i;
    i.aip_id = r.text(0);
    i.title = r.text(1);
    i.document_class = r.text(2);
    i.kind = r.text(3);
    i.document_date = r.text(4);
    i.retention_years = static_cast<int>(r.integer(5));
    i.expired_on = r.text(6);
    i.index_sha256 = r.text(7);
    i.package_bytes = r.integer(8);
    i.deleted_objects = r.optInteger(9);
    at[i.aip_id] = d.items.size();
    d.items.push_back(std::move(i));
  }
  auto files = tx.query(
      "SELECT f.aip_id, f.path, f.sha256, f.size FROM preservation_files f "
      "JOIN preservation_disposal_items i ON i.aip_id = f.aip_id "
      "WHERE i.disposal_id = ? AND f.role IN ('principale', 'allegato') "
      "ORDER BY f.aip_id, f.position",
      {d.id});
  if (!files) return tl::unexpected(files.error());
  for (const db::Row& f : *files)
    if (auto it = at.find(f.text(0)); it != at.end())
      d.items[it->second].documents.push_back({f.text(1), f.text(2), f.integer(3)});
  return {};
}

Result<std::vector<DisposalDocument>> documentsOf(db::Tx& tx, const std::string& aip_id) {
  auto rows = tx.query(
      "SELECT path, sha256, size FROM preservation_files WHERE aip_id = ? "
      "AND role IN ('principale', 'allegato') ORDER BY position",
      {aip_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<DisposalDocument> out;
  for (const db::Row& r : *rows) out.push_back({r.text(0), r.text(1), r.integer(2)});
  return out;
}

}  // namespace

Result<RetentionTable> retention(db::Tx& tx, const std::string& ente) {
  auto rows = tx.query(
      "SELECT document_class, years, note, updated_at, updated_by FROM preservation_retention "
      "WHERE ente = ? ORDER BY document_class",
      {ente});
  if (!rows) return tl::unexpected(rows.error());
  RetentionTable t;
  t.ente = ente;
  for (const db::Row& r : *rows) {
    auto years = r.optInteger(1);
    t.rules.push_back({r.text(0),
                       years ? std::optional<int>(static_cast<int>(*years)) : std::nullopt,
                       r.text(2)});
    // The table is replaced whole: every row carries the same time and author.
    t.updated_at = r.text(3);
    t.updated_by = r.text(4);
  }
  return t;
}

Status replaceRetention(db::Tx& tx, const std::string& ente,
                        const std::vector<RetentionRule>& rules, const std::string& at,
                        const std::string& by) {
  auto d = tx.exec("DELETE FROM preservation_retention WHERE ente = ?", {ente});
  if (!d) return tl::unexpected(d.error());
  for (const RetentionRule& r : rules) {
    auto w = tx.exec(
        "INSERT INTO preservation_retention (ente, document_class, years, note, updated_at, "
        "updated_by) VALUES (?,?,?,?,?,?)",
        {ente, r.document_class, r.years ? db::Value{std::int64_t{*r.years}} : db::null(), r.note,
         at, by});
    if (!w) return tl::unexpected(w.error());
  }
  return {};
}

Result<std::vector<DisposalItem>> expiredAips(db::Tx& tx, const std::string& ente,
                                              const std::string& document_class,
                                              const std::string& cutoff) {
  auto rows = tx.query(
      "SELECT a.id, a.title, a.kind, a.document_date, a.index_sha256, a.package_bytes, "
      "(SELECT i.disposal_id FROM preservation_disposal_items i WHERE i.aip_id = a.id "
      "AND i.active = 1) FROM preservation_aips a WHERE a.ente = ? AND a.document_class = ? "
      "AND a.disposal_id IS NULL AND a.document_date <= ? ORDER BY a.document_date, a.id",
      {ente, document_class, cutoff});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<DisposalItem> out;
  for (const db::Row& r : *rows) {
    DisposalItem i;
    i.aip_id = r.text(0);
    i.title = r.text(1);
    i.document_class = document_class;
    i.kind = r.text(2);
    i.document_date = r.text(3);
    i.index_sha256 = r.text(4);
    i.package_bytes = r.integer(5);
    i.in_disposal = r.optText(6).value_or("");
    auto docs = documentsOf(tx, i.aip_id);
    if (!docs) return tl::unexpected(docs.error());
    i.documents = std::move(*docs);
    out.push_back(std::move(i));
  }
  return out;
}

Status insertDisposal(db::Tx& tx, const Disposal& d) {
  auto w = tx.exec(
      "INSERT INTO preservation_disposals (id, ente, state, reason, created_at, created_by) "
      "VALUES (?,?,?,?,?,?)",
      {d.id, d.ente, d.state, d.reason, d.created_at, d.created_by});
  if (!w) return tl::unexpected(w.error());
  for (std::size_t n = 0; n < d.items.size(); ++n) {
    const DisposalItem& i = d.items[n];
    auto iw = tx.exec(
        "INSERT INTO preservation_disposal_items (disposal_id, aip_id, position, document_class, "
        "document_date, retention_years, expired_on) VALUES (?,?,?,?,?,?,?)",
        {d.id, i.aip_id, static_cast<std::int64_t>(n), i.document_class, i.document_date,
         std::int64_t{i.retention_years}, i.expired_on});
    if (!iw) return tl::unexpected(iw.error());
  }
  return {};
}

Result<std::optional<Disposal>> disposal(db::Tx& tx, const std::string& id) {
  auto rows = tx.query(
      std::string("SELECT ") + kDisposalColumns + " FROM preservation_disposals WHERE id = ?",
      {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Disposal>{};
  Disposal d = disposalOf(rows->front());
  if (auto s = loadItems(tx, d); !s) return tl::unexpected(s.error());
  return std::optional<Disposal>{std::move(d)};
}

Result<std::vector<Disposal>> disposals(db::Tx& tx, const std::string& ente, int limit) {
  auto rows = tx.query(std::string("SELECT ") + kDisposalColumns +
                           " FROM preservation_disposals WHERE ente = ? "
                           "ORDER BY created_at DESC, id LIMIT ?",
                       {ente, static_cast<std::int64_t>(limit)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Disposal> out;
  for (const db::Row& r : *rows) {
    Disposal d = disposalOf(r);
    if (auto s = loadItems(tx, d); !s) return tl::unexpected(s.error());
    out.push_back(std::move(d));
  }
  return out;
}

namespace {
// `set` is the step's SET clause (this file's constants only).
Result<bool> updateDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                            const char* set, db::Params params) {
  params.emplace_back(id);
  params.emplace_back(from);
  auto n = tx.exec(
      std::string("UPDATE preservation_disposals SET ") + set + " WHERE id = ? AND state = ?",
      params);
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}
}  // namespace

Result<bool> approveDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                             const std::string& at, const std::string& by,
                             const std::string& note) {
  return updateDisposal(tx, id, from,
                        "state = 'approved', approved_at = ?, approved_by = ?, approval_note = ?",
                        {at, by, note.empty() ? db::null() : db::Value{note}});
}

Result<bool> authoriseDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                               const Authorisation& a, const std::string& by,
                               const std::string& at) {
  return updateDisposal(tx, id, from,
                        "state = 'authorised', authority = ?, authority_reference = ?, "
                        "authorisation_date = ?, authorisation_recorded_by = ?, "
                        "authorisation_recorded_at = ?",
                        {a.authority, a.reference, a.date, by, at});
}

Result<bool> executeDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                             const std::string& at, const std::string& by) {
  return updateDisposal(tx, id, from, "state = 'executed', executed_at = ?, executed_by = ?",
                        {at, by});
}

Result<bool> cancelDisposal(db::Tx& tx, const std::string& id, const std::string& from,
                            const std::string& at, const std::string& by,
                            const std::string& reason) {
  return updateDisposal(
      tx, id, from, "state = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?",
      {at, by, reason});
}

Status releaseItems(db::Tx& tx, const std::string& disposal_id) {
  auto w = tx.exec("UPDATE preservation_disposal_items SET active = 0 WHERE disposal_id = ?",
                   {disposal_id});
  if (!w) return tl::unexpected(w.error());
  return {};
}

Result<std::vector<std::string>> disposeAips(db::Tx& tx, const std::string& disposal_id,
                                             const std::string& at) {
  auto marked = tx.exec(
      "UPDATE preservation_aips SET disposal_id = ?, disposed_at = ? WHERE disposal_id IS NULL "
      "AND id IN (SELECT aip_id FROM preservation_disposal_items WHERE disposal_id = ?)",
      {disposal_id, at, disposal_id});
  if (!marked) return tl::unexpected(marked.error());
  // Content-addressed objects are shared: a document offered twice, by one ente or two, is one
  // object. Only what no live package holds goes; receipts and certificates stay with the record.
  auto rows = tx.query(
      "SELECT DISTINCT f.sha256 FROM preservation_files f "
      "JOIN preservation_disposal_items i ON i.aip_id = f.aip_id AND i.disposal_id = ? "
      "WHERE NOT EXISTS (SELECT 1 FROM preservation_files g "
      "  JOIN preservation_aips b ON b.id = g.aip_id "
      "  WHERE g.sha256 = f.sha256 AND b.disposal_id IS NULL) "
      "AND f.sha256 NOT IN (SELECT receipt_sha256 FROM preservation_sips) "
      "AND f.sha256 NOT IN (SELECT seal_certificate_sha256 FROM preservation_aips "
      "  WHERE seal_certificate_sha256 IS NOT NULL) "
      "AND f.sha256 NOT IN (SELECT tsa_certificate_sha256 FROM preservation_aips "
      "  WHERE tsa_certificate_sha256 IS NOT NULL) "
      "ORDER BY f.sha256",
      {disposal_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<std::string> deletable;
  for (const db::Row& r : *rows) deletable.push_back(r.text(0));
  const std::set<std::string> gone(deletable.begin(), deletable.end());

  auto files = tx.query(
      "SELECT DISTINCT f.aip_id, f.sha256 FROM preservation_files f "
      "JOIN preservation_disposal_items i ON i.aip_id = f.aip_id WHERE i.disposal_id = ?",
      {disposal_id});
  if (!files) return tl::unexpected(files.error());
  std::map<std::string, std::int64_t> per_aip;
  for (const db::Row& f : *files) per_aip[f.text(0)] += gone.count(f.text(1)) ? 1 : 0;
  for (const auto& [aip, n] : per_aip) {
    auto w = tx.exec(
        "UPDATE preservation_disposal_items SET deleted_objects = ? WHERE disposal_id = ? AND "
        "aip_id = ?",
        {n, disposal_id, aip});
    if (!w) return tl::unexpected(w.error());
  }
  return deletable;
}

}  // namespace cst::preservation::store
