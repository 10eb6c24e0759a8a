#include "audit/audit.hpp"

#include "auth/principal.hpp"
#include "common/crypto.hpp"

namespace cst::audit {

Entry Entry::by(const auth::Principal& p, std::string request_id) {
  Entry e;
  e.actor = p.username;
  e.actor_id = p.user_id;
  e.request_id = std::move(request_id);
  return e;
}

std::string chainHash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                      const Entry& e) {
  // A JSON array is an unambiguous serialisation: no field can forge a separator.
  nlohmann::json canon = nlohmann::json::array(
      {prev_hash, seq, at, e.actor, e.actor_id ? nlohmann::json(*e.actor_id) : nlohmann::json(),
       e.ente ? nlohmann::json(*e.ente) : nlohmann::json(), e.action, e.object_type, e.object_id,
       e.outcome, e.detail.dump(), e.request_id});
  return sha256Hex(canon.dump());
}

Status append(db::Tx& tx, const Entry& e, TimePoint at_time) {
  // Lock the chain head: appends are serialised so the chain has one order. On SQLite the write
  // transaction (BEGIN IMMEDIATE) already serialises writers.
  const char* head_sql = tx.dialect() == db::Dialect::kPostgres
                             ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                             : "SELECT seq, hash FROM audit_head WHERE id = 1";
  auto head = tx.one(head_sql);
  if (!head) return tl::unexpected(head.error());
  const std::int64_t seq = head->integer(0) + 1;
  const std::string prev = head->text(1);
  const std::string at = formatTimestamp(at_time);
  const std::string hash = chainHash(prev, seq, at, e);
  auto ins = tx.exec(
      "INSERT INTO audit_log (seq, at, actor, actor_id, ente, action, object_type, object_id, "
      "outcome, detail, request_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {seq, at, e.actor, e.actor_id ? db::Value{*e.actor_id} : db::null(), db::optionalText(e.ente),
       e.action, e.object_type, e.object_id, e.outcome, e.detail.dump(), e.request_id, prev, hash});
  if (!ins) return tl::unexpected(ins.error());
  auto upd = tx.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {seq, hash});
  if (!upd) return tl::unexpected(upd.error());
  return {};
}

Status appendAlone(db::Database& db, const Entry& entry, TimePoint at) {
  return db.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) { return append(tx, entry, at); });
}

namespace {
constexpr const char* kColumns =
    "seq, at, actor, actor_id, ente, action, object_type, object_id, outcome, detail, request_id, "
    "prev_hash, hash";

Record fromRow(const db::Row& r) {
  Record rec;
  rec.seq = r.integer(0);
  rec.at = r.text(1);
  rec.entry.actor = r.text(2);
  rec.entry.actor_id = r.optInteger(3);
  rec.entry.ente = r.optText(4);
  rec.entry.action = r.text(5);
  rec.entry.object_type = r.text(6);
  rec.entry.object_id = r.text(7);
  rec.entry.outcome = r.text(8);
  rec.entry.detail = nlohmann::json::parse(r.text(9), nullptr, false);
  rec.entry.request_id = r.text(10);
  rec.prev_hash = r.text(11);
  rec.hash = r.text(12);
  return rec;
}
}  // namespace

Result<VerifyReport> verify(db::Database& db) {
  VerifyReport report;
  std::string prev(64, '0');
  std::int64_t expected_seq = 1;
  for (;;) {
    auto rows = db.query(std::string("SELECT ") + kColumns +
                             " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 1000",
                         {expected_seq});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) break;
    for (const db::Row& row : *rows) {
      Record rec = fromRow(row);
      auto bad = [&](std::string problem) {
        report.intact = false;
        report.first_bad_seq = rec.seq;
        report.problem = std::move(problem);
      };
      if (rec.seq != expected_seq)
        bad("entry " + std::to_string(expected_seq) + " is missing (next present is " +
            std::to_string(rec.seq) + ")");
      else if (rec.prev_hash != prev)
        bad("link to the previous entry is broken (removed or reordered entries)");
      else if (rec.entry.detail.is_discarded() ||
               chainHash(prev, rec.seq, rec.at, rec.entry) != rec.hash)
        bad("content does not match its hash (entry altered)");
      if (!report.intact) {
        if (rec.seq != expected_seq) report.first_bad_seq = expected_seq;
        return report;
      }
      prev = rec.hash;
      ++expected_seq;
      ++report.checked;
    }
  }
  auto head = db.query("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head) return tl::unexpected(head.error());
  if (head->empty() || head->front().integer(0) != report.checked ||
      head->front().text(1) != prev) {
    report.intact = false;
    report.first_bad_seq = report.checked + 1;
    report.problem = "the newest entries were removed (the chain head is at entry " +
                     (head->empty() ? std::string("?") : std::to_string(head->front().integer(0))) +
                     ")";
  }
  return report;
}

Result<Page> list(db::Database& db, const Filter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1=1";
  db::Params params;
  if (!f.all_enti) {
    if (f.enti.empty()) return Page{};
    sql += " AND ente IN (";
    bool first = true;
    for (const std::string& e : f.enti) {
      sql += first ? "?" : ",?";
      first = false;
      params.push_back(e);
    }
    sql += ")";
  }
  if (f.ente) sql += " AND ente = ?", params.push_back(*f.ente);
  if (f.action) sql += " AND action = ?", params.push_back(*f.action);
  if (f.actor) sql += " AND actor = ?", params.push_back(*f.actor);
  if (f.from_date) sql += " AND at >= ?", params.push_back(*f.from_date + "T00:00:00.000Z");
  if (f.to_date) sql += " AND at <= ?", params.push_back(*f.to_date + "T23:59:59.999Z");
  if (f.before_seq) sql += " AND seq < ?", params.push_back(*f.before_seq);
  sql += " ORDER BY seq DESC LIMIT ?";
  params.push_back(static_cast<std::int64_t>(f.limit + 1));
  auto rows = db.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  Page page;
  for (const db::Row& r : *rows) page.items.push_back(fromRow(r));
  if (static_cast<int>(page.items.size()) > f.limit) {
    page.items.pop_back();
    page.next_before_seq = page.items.back().seq;
  }
  return page;
}

nlohmann::json toJson(const Record& r) {
  return {{"seq", r.seq},
          {"time", r.at},
          {"actor", r.entry.actor},
          {"ente", r.entry.ente ? nlohmann::json(*r.entry.ente) : nlohmann::json()},
          {"action", r.entry.action},
          {"object_type", r.entry.object_type},
          {"object_id", r.entry.object_id},
          {"outcome", r.entry.outcome},
          {"detail", r.entry.detail},
          {"request_id", r.entry.request_id},
          {"hash", r.hash}};
}

}  // namespace cst::audit
