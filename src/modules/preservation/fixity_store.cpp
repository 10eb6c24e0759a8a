#include "fixity_store.hpp"

#include <algorithm>

namespace cst::preservation::store {

namespace {

// The objects of an ente: its packages' files, the certificates that signed them and its
// receipts. Four bound parameters, all the ente.
constexpr const char* kObjectsOfEnte =
    "SELECT f.sha256 FROM preservation_files f JOIN preservation_aips a ON a.id = f.aip_id "
    "WHERE a.ente = ? "
    "UNION SELECT seal_certificate_sha256 FROM preservation_aips WHERE ente = ? "
    "UNION SELECT tsa_certificate_sha256 FROM preservation_aips WHERE ente = ? "
    "UNION SELECT receipt_sha256 FROM preservation_sips WHERE ente = ?";

constexpr const char* kRunColumns =
    "id, kind, scope_ente, scope_aip, requested_by, started_at, finished_at, objects, bytes, "
    "copies_checked, intact, repaired, lost";

Result<std::vector<KeptObject>> keptObjects(db::Tx& tx, const std::string& where,
                                            const db::Params& params,
                                            const std::string& tail = "ORDER BY o.sha256") {
  auto rows = tx.query("SELECT o.sha256, o.state FROM preservation_objects o " + where + " " + tail,
                       params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<KeptObject> out;
  out.reserve(rows->size());
  for (const db::Row& r : *rows) out.push_back({r.text(0), r.text(1)});
  return out;
}

FixityReport runOf(const db::Row& r) {
  FixityReport x;
  x.id = r.text(0);
  x.kind = r.text(1);
  x.scope_ente = r.optText(2).value_or("");
  x.scope_aip = r.optText(3).value_or("");
  x.requested_by = r.text(4);
  x.started_at = r.text(5);
  x.finished_at = r.text(6);
  x.objects = r.integer(7);
  x.bytes = r.integer(8);
  x.copies_checked = r.integer(9);
  x.intact = r.integer(10);
  x.repaired = r.integer(11);
  x.lost = r.integer(12);
  return x;
}

Status addFindings(db::Tx& tx, FixityReport& run, const std::optional<std::string>& ente) {
  std::string sql =
      "SELECT sha256, ente, copy_number, problem, outcome, ticket_id FROM "
      "preservation_fixity_findings WHERE run_id = ?";
  db::Params params{run.id};
  if (ente) {
    sql += " AND ente = ?";
    params.push_back(*ente);
  }
  auto rows = tx.query(sql + " ORDER BY ente, sha256, copy_number", params);
  if (!rows) return tl::unexpected(rows.error());
  for (const db::Row& r : *rows)
    run.findings.push_back({r.text(0), r.text(1), static_cast<int>(r.integer(2)), r.text(3),
                            r.text(4), r.optInteger(5)});
  return {};
}

}  // namespace

Status registerObject(db::Tx& tx, const std::string& sha256, std::optional<std::int64_t> size,
                      const std::string& at) {
  auto w = tx.exec(
      "INSERT INTO preservation_objects (sha256, size, registered_at) VALUES (?,?,?) "
      "ON CONFLICT (sha256) DO NOTHING",
      {sha256, size ? db::Value{*size} : db::null(), at});
  if (!w) return tl::unexpected(w.error());
  return {};
}

Status forgetObject(db::Tx& tx, const std::string& sha256) {
  auto w = tx.exec("DELETE FROM preservation_objects WHERE sha256 = ?", {sha256});
  if (!w) return tl::unexpected(w.error());
  return {};
}

Result<bool> objectListed(db::Tx& tx, const std::string& sha256) {
  auto rows = tx.query("SELECT 1 FROM preservation_objects WHERE sha256 = ?", {sha256});
  if (!rows) return tl::unexpected(rows.error());
  return !rows->empty();
}

Result<std::vector<KeptObject>> objectsDue(db::Tx& tx, const std::string& before, int limit) {
  return keptObjects(
      tx, "WHERE o.checked_at IS NULL OR o.checked_at < ?", {before},
      "ORDER BY COALESCE(o.checked_at, ''), o.sha256 LIMIT " + std::to_string(limit));
}

Result<std::vector<KeptObject>> allObjects(db::Tx& tx) { return keptObjects(tx, "", {}); }

Result<std::vector<KeptObject>> objectsOfEnte(db::Tx& tx, const std::string& ente) {
  return keptObjects(tx, std::string("WHERE o.sha256 IN (") + kObjectsOfEnte + ")",
                     {ente, ente, ente, ente});
}

Result<std::vector<KeptObject>> objectsOfAip(db::Tx& tx, const std::string& aip_id) {
  return keptObjects(
      tx,
      "WHERE o.sha256 IN (SELECT sha256 FROM preservation_files WHERE aip_id = ? "
      "UNION SELECT seal_certificate_sha256 FROM preservation_aips WHERE id = ? "
      "UNION SELECT tsa_certificate_sha256 FROM preservation_aips WHERE id = ? "
      "UNION SELECT s.receipt_sha256 FROM preservation_sips s JOIN preservation_aips a "
      "ON a.sip_id = s.id WHERE a.id = ?)",
      {aip_id, aip_id, aip_id, aip_id});
}

Result<std::optional<std::string>> enteOfAip(db::Tx& tx, const std::string& aip_id) {
  auto rows = tx.query("SELECT ente FROM preservation_aips WHERE id = ?", {aip_id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional(rows->front().text(0));
}

Result<std::vector<std::string>> entiHolding(db::Tx& tx, const std::string& sha256) {
  auto rows = tx.query(
      "SELECT a.ente FROM preservation_files f JOIN preservation_aips a ON a.id = f.aip_id "
      "WHERE f.sha256 = ? "
      "UNION SELECT ente FROM preservation_aips WHERE seal_certificate_sha256 = ? "
      "OR tsa_certificate_sha256 = ? "
      "UNION SELECT ente FROM preservation_sips WHERE receipt_sha256 = ? ORDER BY 1",
      {sha256, sha256, sha256, sha256});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<std::string> out;
  for (const db::Row& r : *rows) out.push_back(r.text(0));
  return out;
}

Result<std::vector<std::string>> aipsHolding(db::Tx& tx, const std::string& sha256,
                                             const std::string& ente) {
  auto rows = tx.query(
      "SELECT DISTINCT a.id, a.title FROM preservation_files f JOIN preservation_aips a ON "
      "a.id = f.aip_id WHERE f.sha256 = ? AND a.ente = ? ORDER BY a.id",
      {sha256, ente});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<std::string> out;
  for (const db::Row& r : *rows) out.push_back(r.text(0) + " «" + r.text(1) + "»");
  return out;
}

Status setObjectStates(db::Tx& tx, const std::vector<KeptObject>& objects, const std::string& at) {
  constexpr std::size_t kChunk = 200;
  for (const char* state : {"intact", "repaired", "lost"}) {
    std::vector<const std::string*> shas;
    for (const KeptObject& o : objects)
      if (o.state == state) shas.push_back(&o.sha256);
    for (std::size_t from = 0; from < shas.size(); from += kChunk) {
      const std::size_t n = std::min(kChunk, shas.size() - from);
      std::string sql =
          "UPDATE preservation_objects SET state = ?, checked_at = ? WHERE sha256 IN (";
      db::Params params{std::string(state), at};
      for (std::size_t i = 0; i < n; ++i) {
        sql += i == 0 ? "?" : ",?";
        params.push_back(*shas[from + i]);
      }
      if (auto w = tx.exec(sql + ")", params); !w) return tl::unexpected(w.error());
    }
  }
  return {};
}

Status insertFixityRun(db::Tx& tx, const FixityReport& r) {
  auto w = tx.exec(
      std::string("INSERT INTO preservation_fixity_runs (") + kRunColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {r.id, r.kind, r.scope_ente.empty() ? db::null() : db::Value{r.scope_ente},
       r.scope_aip.empty() ? db::null() : db::Value{r.scope_aip}, r.requested_by, r.started_at,
       r.finished_at, r.objects, r.bytes, r.copies_checked, r.intact, r.repaired, r.lost});
  if (!w) return tl::unexpected(w.error());
  for (const FixityFinding& f : r.findings) {
    auto fw = tx.exec(
        "INSERT INTO preservation_fixity_findings (run_id, sha256, ente, copy_number, problem, "
        "outcome, ticket_id) VALUES (?,?,?,?,?,?,?)",
        {r.id, f.sha256, f.ente, static_cast<std::int64_t>(f.copy), f.problem, f.outcome,
         f.ticket_id ? db::Value{*f.ticket_id} : db::null()});
    if (!fw) return tl::unexpected(fw.error());
  }
  return {};
}

Result<std::vector<FixityReport>> fixityRuns(db::Tx& tx, const std::string& ente, int limit) {
  auto rows = tx.query(std::string("SELECT ") + kRunColumns +
                           " FROM preservation_fixity_runs WHERE scope_ente = ? OR scope_ente IS "
                           "NULL ORDER BY started_at DESC, id DESC LIMIT ?",
                       {ente, static_cast<std::int64_t>(limit)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<FixityReport> out;
  for (const db::Row& r : *rows) {
    out.push_back(runOf(r));
    if (auto s = addFindings(tx, out.back(), ente); !s) return tl::unexpected(s.error());
  }
  return out;
}

Result<std::optional<FixityReport>> fixityRun(db::Tx& tx, const std::string& id) {
  auto rows = tx.query(
      std::string("SELECT ") + kRunColumns + " FROM preservation_fixity_runs WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<FixityReport>{};
  FixityReport r = runOf(rows->front());
  if (auto s = addFindings(tx, r, std::nullopt); !s) return tl::unexpected(s.error());
  return std::optional(std::move(r));
}

Result<FixityStatus> fixityStatus(db::Tx& tx, const std::string& ente,
                                  const std::string& cycle_start) {
  auto rows =
      tx.query(std::string("SELECT COUNT(*), "
                           "COALESCE(SUM(CASE WHEN o.checked_at >= ? THEN 1 ELSE 0 END), 0), "
                           "COALESCE(SUM(CASE WHEN o.checked_at IS NULL THEN 1 ELSE 0 END), 0), "
                           "COALESCE(SUM(CASE WHEN o.state = 'lost' THEN 1 ELSE 0 END), 0), "
                           "MIN(o.checked_at) FROM preservation_objects o WHERE o.sha256 IN (") +
                   kObjectsOfEnte + ")",
               {cycle_start, ente, ente, ente, ente});
  if (!rows) return tl::unexpected(rows.error());
  FixityStatus s;
  s.ente = ente;
  const db::Row& r = rows->front();
  s.objects = r.integer(0);
  s.verified_in_cycle = r.integer(1);
  s.never_verified = r.integer(2);
  s.lost = r.integer(3);
  s.oldest_check = r.optText(4);
  auto last = tx.query(
      "SELECT MAX(finished_at) FROM preservation_fixity_runs WHERE scope_ente = ? OR "
      "scope_ente IS NULL",
      {ente});
  if (!last) return tl::unexpected(last.error());
  s.last_run_at = last->front().optText(0);
  return s;
}

}  // namespace cst::preservation::store
