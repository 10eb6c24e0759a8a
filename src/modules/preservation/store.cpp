#include "store.hpp"

#include "fixity_store.hpp"

namespace cst::preservation::store {

namespace {

constexpr const char* kReceiptColumns =
    "id, ente, received_at, outcome, source, source_ref, submitted_by, objects, problems, aip_id, "
    "receipt_sha256";
constexpr const char* kAipColumns =
    "id, ente, sip_id, kind, document_class, title, created_at, index_sha256, signature_sha256, "
    "timestamp_sha256, timestamp_time, tsa, documents_bytes, package_bytes, "
    "seal_certificate_sha256, tsa_certificate_sha256, document_date, disposal_id, disposed_at";

Receipt receiptOf(const db::Row& row) {
  Receipt r;
  r.id = row.text(0);
  r.ente = row.text(1);
  r.received_at = row.text(2);
  r.accepted = row.text(3) == "accepted";
  r.source = row.text(4);
  r.source_ref = row.optText(5).value_or("");
  r.submitted_by = row.text(6);
  for (const Json& o : Json::parse(row.text(7), nullptr, false))
    r.objects.push_back(objectFromJson(o));
  for (const Json& p : Json::parse(row.text(8), nullptr, false))
    r.problems.push_back({p.value("field", ""), p.value("message", "")});
  r.aip_id = row.optText(9).value_or("");
  r.receipt_sha256 = row.text(10);
  return r;
}

Aip aipOf(const db::Row& row) {
  Aip a;
  a.id = row.text(0);
  a.ente = row.text(1);
  a.sip_id = row.text(2);
  a.kind = row.text(3);
  a.document_class = row.optText(4).value_or("");
  a.title = row.text(5);
  a.created_at = row.text(6);
  a.index_sha256 = row.text(7);
  a.signature_sha256 = row.text(8);
  a.timestamp_sha256 = row.text(9);
  a.timestamp_time = row.text(10);
  a.tsa = row.text(11);
  a.documents_bytes = row.integer(12);
  a.package_bytes = row.integer(13);
  a.seal_certificate_sha256 = row.optText(14).value_or("");
  a.tsa_certificate_sha256 = row.optText(15).value_or("");
  a.document_date = row.optText(16).value_or(a.created_at.substr(0, 10));
  a.disposal_id = row.optText(17).value_or("");
  a.disposed_at = row.optText(18).value_or("");
  return a;
}

Result<std::optional<Receipt>> oneReceipt(db::Tx& tx, const std::string& where,
                                          const db::Params& params) {
  auto rows = tx.query(
      std::string("SELECT ") + kReceiptColumns + " FROM preservation_sips WHERE " + where, params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Receipt>{};
  return std::optional<Receipt>{receiptOf(rows->front())};
}

}  // namespace

Status insertReceipt(db::Tx& tx, const Receipt& r) {
  Json objects = Json::array();
  for (const ObjectFacts& o : r.objects) objects.push_back(toJson(o));
  Json problems = Json::array();
  for (const MetadataProblem& p : r.problems)
    problems.push_back({{"field", p.field}, {"message", p.message}});
  auto w = tx.exec(
      std::string("INSERT INTO preservation_sips (") + kReceiptColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      {r.id, r.ente, r.received_at, std::string(r.accepted ? "accepted" : "rejected"), r.source,
       r.source_ref.empty() ? db::null() : db::Value{r.source_ref}, r.submitted_by, objects.dump(),
       problems.dump(), r.aip_id.empty() ? db::null() : db::Value{r.aip_id}, r.receipt_sha256});
  if (!w) return tl::unexpected(w.error());
  // The receipt is kept in the copies like preserved content, and audited like it.
  return registerObject(tx, r.receipt_sha256, std::nullopt, r.received_at);
}

Status insertAip(db::Tx& tx, const Aip& a) {
  auto w = tx.exec(
      std::string("INSERT INTO preservation_aips (") + kAipColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {a.id, a.ente, a.sip_id, a.kind,
       a.document_class.empty() ? db::null() : db::Value{a.document_class}, a.title, a.created_at,
       a.index_sha256, a.signature_sha256, a.timestamp_sha256, a.timestamp_time, a.tsa,
       a.documents_bytes, a.package_bytes, a.seal_certificate_sha256, a.tsa_certificate_sha256,
       a.document_date.empty() ? a.created_at.substr(0, 10) : a.document_date, db::null(),
       db::null()});
  if (!w) return tl::unexpected(w.error());
  for (std::size_t i = 0; i < a.files.size(); ++i) {
    const ObjectFacts& f = a.files[i];
    auto fw = tx.exec(
        "INSERT INTO preservation_files (aip_id, position, role, path, sha256, size, format, "
        "mime) VALUES (?,?,?,?,?,?,?,?)",
        {a.id, static_cast<std::int64_t>(i), f.role, f.path, f.sha256, f.size, f.format, f.mime});
    if (!fw) return tl::unexpected(fw.error());
    if (auto s = registerObject(tx, f.sha256, f.size, a.created_at); !s) return s;
  }
  for (const std::string* cert : {&a.seal_certificate_sha256, &a.tsa_certificate_sha256})
    if (!cert->empty())
      if (auto s = registerObject(tx, *cert, std::nullopt, a.created_at); !s) return s;
  return {};
}

Result<std::optional<Receipt>> receipt(db::Tx& tx, const std::string& id) {
  return oneReceipt(tx, "id = ?", {id});
}

Result<std::optional<Receipt>> acceptedFrom(db::Tx& tx, const std::string& source,
                                            const std::string& source_ref) {
  return oneReceipt(tx, "source = ? AND source_ref = ? AND outcome = 'accepted'",
                    {source, source_ref});
}

Result<std::vector<Receipt>> receipts(
    db::Tx& tx, const std::string& ente, int limit,
    const std::optional<std::pair<std::string, std::string>>& before) {
  std::string sql =
      std::string("SELECT ") + kReceiptColumns + " FROM preservation_sips WHERE ente = ?";
  db::Params params{ente};
  if (before) {
    sql += " AND (received_at < ? OR (received_at = ? AND id > ?))";
    params.insert(params.end(), {before->first, before->first, before->second});
  }
  params.push_back(static_cast<std::int64_t>(limit));
  auto rows = tx.query(sql + " ORDER BY received_at DESC, id LIMIT ?", params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Receipt> out;
  for (const db::Row& row : *rows) out.push_back(receiptOf(row));
  return out;
}

Result<std::optional<Aip>> aip(db::Tx& tx, const std::string& id) {
  auto rows =
      tx.query(std::string("SELECT ") + kAipColumns + " FROM preservation_aips WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Aip>{};
  Aip a = aipOf(rows->front());
  auto files = tx.query(
      "SELECT role, path, sha256, size, format, mime FROM preservation_files WHERE aip_id = ? "
      "ORDER BY position",
      {id});
  if (!files) return tl::unexpected(files.error());
  for (const db::Row& f : *files) {
    const std::string path = f.text(1);
    a.files.push_back({path.substr(path.rfind('/') + 1), f.text(0), f.text(2), f.integer(3),
                       f.text(4), f.text(5), path});
  }
  return std::optional<Aip>{a};
}

Result<std::vector<Aip>> aips(db::Tx& tx, const std::string& ente, int limit) {
  auto rows = tx.query(std::string("SELECT ") + kAipColumns +
                           " FROM preservation_aips WHERE ente = ? ORDER BY created_at DESC, id "
                           "LIMIT ?",
                       {ente, static_cast<std::int64_t>(limit)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Aip> out;
  for (const db::Row& row : *rows) out.push_back(aipOf(row));
  return out;
}

Result<std::int64_t> intakePosition(db::Tx& tx, const std::string& source) {
  auto rows = tx.query("SELECT position FROM preservation_intake WHERE source = ?", {source});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? 0 : rows->front().integer(0);
}

Status setIntakePosition(db::Tx& tx, const std::string& source, std::int64_t position) {
  auto w = tx.exec(
      "INSERT INTO preservation_intake (source, position) VALUES (?, ?) "
      "ON CONFLICT (source) DO UPDATE SET position = excluded.position",
      {source, position});
  if (!w) return tl::unexpected(w.error());
  return {};
}

}  // namespace cst::preservation::store
