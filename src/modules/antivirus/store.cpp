#include "store.hpp"

#include "db/ente_scope.hpp"

namespace cst::antivirus::store {

using db::Params;
using db::Row;
using db::Value;

namespace {

Value optInt(const std::optional<std::int64_t>& v) { return v ? Value{*v} : db::null(); }
Value optTime(const std::optional<TimePoint>& v) {
  return v ? Value{formatTimestamp(*v)} : db::null();
}
std::optional<TimePoint> timeOf(const Row& r, std::size_t i) {
  auto t = r.optText(i);
  return t ? parseTimestamp(*t) : std::nullopt;
}

// " WHERE 1=1 AND <scope> [AND id < before]": false when nothing is visible.
bool whereScope(const Scope& s, const std::string& alias, std::string& sql, Params& p) {
  sql += " WHERE 1 = 1";
  if (!db::appendEnteScope(sql, p, alias + "ente", s.all_enti, s.enti, s.ente)) return false;
  if (s.before) {
    sql += " AND " + alias + "id < ?";
    p.emplace_back(*s.before);
  }
  return true;
}

std::string page(const Scope& s, const std::string& alias) {
  return " ORDER BY " + alias + "id DESC LIMIT " + std::to_string(s.limit);
}

template <class T, class Map>
Result<std::vector<T>> rowsOf(Result<db::Rows> rows, Map map) {
  if (!rows) return tl::unexpected(rows.error());
  std::vector<T> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(map(r));
  return out;
}

const char* kQuarantineColumns =
    "id, ente, owner_id, actor, source, filename, content_type, size, sha256, signature, "
    "detected_at, status, decided_by, decided_at, reason, released_upload_id, ticket_id";

QuarantineRecord quarantineOf(const Row& r) {
  QuarantineRecord q;
  q.id = r.integer(0);
  q.ente = r.text(1);
  q.owner_id = r.optInteger(2);
  q.actor = r.text(3);
  q.source = r.text(4);
  q.filename = r.text(5);
  q.content_type = r.text(6);
  q.size = r.integer(7);
  q.sha256 = r.text(8);
  q.signature = r.text(9);
  q.detected_at = r.text(10);
  q.status = parseQuarantineStatus(r.text(11)).value_or(QuarantineStatus::kHeld);
  q.decided_by = r.optText(12);
  q.decided_at = r.optText(13);
  q.reason = r.optText(14);
  q.released_upload_id = r.optText(15);
  q.ticket_id = r.optInteger(16);
  return q;
}

const char* kEndpointColumns =
    "id, ente, hostname, os, product, engine_version, signature_version, signature_updated_at, "
    "last_full_scan_at, detections, realtime_protection, first_seen_at, last_report_at, alert";

Endpoint endpointOf(const Row& r) {
  Endpoint e;
  e.id = r.integer(0);
  e.ente = r.text(1);
  e.report.hostname = r.text(2);
  e.report.os = r.optText(3);
  e.report.product = r.optText(4);
  e.report.engine_version = r.optText(5);
  e.report.signature_version = r.optText(6);
  e.report.signature_updated_at = timeOf(r, 7);
  e.report.last_full_scan_at = timeOf(r, 8);
  e.report.detections = r.optInteger(9);
  if (auto v = r.optInteger(10)) e.report.realtime_protection = *v != 0;
  e.first_seen_at = timeOf(r, 11).value_or(TimePoint{});
  e.last_report_at = timeOf(r, 12).value_or(TimePoint{});
  e.alert = r.text(13);
  return e;
}

// The status of an endpoint as a SQL expression over its columns, with the cutoffs (timestamps
// compare as text: they are all fixed-width RFC 3339 UTC) as its two parameters.
struct StatusSql {
  std::string expr;
  Params params;
};
StatusSql statusSql(const Settings& s, TimePoint now) {
  return {
      "CASE WHEN last_report_at < ? THEN 'silent' "
      "WHEN signature_updated_at IS NULL OR signature_updated_at < ? THEN 'outdated' "
      "ELSE 'protected' END",
      {formatTimestamp(now - std::chrono::hours(s.silent_after_hours)),
       formatTimestamp(now - std::chrono::hours(s.outdated_after_hours))}};
}

}  // namespace

Result<std::int64_t> insertQuarantine(db::Tx& tx, const QuarantineRecord& q) {
  auto row = tx.one(
      "INSERT INTO antivirus_quarantine (ente, owner_id, actor, source, filename, content_type, "
      "size, sha256, signature, detected_at, status) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {q.ente, optInt(q.owner_id), q.actor, q.source, q.filename, q.content_type, q.size, q.sha256,
       q.signature, q.detected_at, std::string(statusName(q.status))});
  if (!row) return tl::unexpected(row.error());
  return row->integer(0);
}

Result<std::optional<QuarantineRecord>> quarantine(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      std::string("SELECT ") + kQuarantineColumns + " FROM antivirus_quarantine WHERE id = ?",
      {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<QuarantineRecord>{};
  return std::optional(quarantineOf(rows->front()));
}

Result<std::vector<QuarantineRecord>> listQuarantine(db::Tx& tx, const Scope& s,
                                                     std::optional<QuarantineStatus> status) {
  std::string sql = std::string("SELECT ") + kQuarantineColumns + " FROM antivirus_quarantine";
  Params p;
  if (!whereScope(s, "", sql, p)) return std::vector<QuarantineRecord>{};
  if (status) {
    sql += " AND status = ?";
    p.emplace_back(std::string(statusName(*status)));
  }
  return rowsOf<QuarantineRecord>(tx.query(sql + page(s, ""), p), quarantineOf);
}

Status setQuarantineTicket(db::Tx& tx, std::int64_t id, std::int64_t ticket_id) {
  auto r = tx.exec("UPDATE antivirus_quarantine SET ticket_id = ? WHERE id = ?", {ticket_id, id});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Status decideQuarantine(db::Tx& tx, const QuarantineRecord& q) {
  auto n = tx.exec(
      "UPDATE antivirus_quarantine SET status = ?, decided_by = ?, decided_at = ?, reason = ?, "
      "released_upload_id = ? WHERE id = ? AND status = 'held'",
      {std::string(statusName(q.status)), db::optionalText(q.decided_by),
       db::optionalText(q.decided_at), db::optionalText(q.reason),
       db::optionalText(q.released_upload_id), q.id});
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return fail(ErrorCode::kConflict, "il file è già stato rilasciato o eliminato");
  return {};
}

Result<std::int64_t> otherHolders(db::Tx& tx, const std::string& sha256, std::int64_t except) {
  auto row = tx.one(
      "SELECT COUNT(*) FROM antivirus_quarantine WHERE sha256 = ? AND status = 'held' AND id <> ?",
      {sha256, except});
  if (!row) return tl::unexpected(row.error());
  return row->integer(0);
}

Result<std::int64_t> insertScan(db::Tx& tx, const ScanRecord& r) {
  auto row = tx.one(
      "INSERT INTO antivirus_scans (ente, actor, filename, size, sha256, verdict, signature, "
      "reason, scanned_at, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {r.ente, r.actor, r.filename, r.size, r.sha256, std::string(verdictName(r.verdict)),
       db::optionalText(r.signature), db::optionalText(r.reason), r.scanned_at, r.duration_ms});
  if (!row) return tl::unexpected(row.error());
  return row->integer(0);
}

Result<std::vector<ScanRecord>> listScans(db::Tx& tx, const Scope& s,
                                          std::optional<Verdict> verdict) {
  std::string sql =
      "SELECT id, ente, actor, filename, size, sha256, verdict, signature, reason, scanned_at, "
      "duration_ms FROM antivirus_scans";
  Params p;
  if (!whereScope(s, "", sql, p)) return std::vector<ScanRecord>{};
  if (verdict) {
    sql += " AND verdict = ?";
    p.emplace_back(std::string(verdictName(*verdict)));
  }
  return rowsOf<ScanRecord>(tx.query(sql + page(s, ""), p), [](const Row& r) {
    ScanRecord s;
    s.id = r.integer(0);
    s.ente = r.text(1);
    s.actor = r.text(2);
    s.filename = r.text(3);
    s.size = r.integer(4);
    s.sha256 = r.text(5);
    s.verdict = parseVerdict(r.text(6)).value_or(Verdict::kError);
    s.signature = r.optText(7);
    s.reason = r.optText(8);
    s.scanned_at = r.text(9);
    s.duration_ms = r.integer(10);
    return s;
  });
}

Result<Settings> settings(db::Tx& tx) {
  auto row = tx.one(
      "SELECT outdated_after_hours, silent_after_hours, engine_max_age_hours, updated_at "
      "FROM antivirus_settings WHERE id = 1");
  if (!row) return tl::unexpected(row.error());
  return Settings{static_cast<int>(row->integer(0)), static_cast<int>(row->integer(1)),
                  static_cast<int>(row->integer(2)), row->text(3)};
}

Status saveSettings(db::Tx& tx, const Settings& s) {
  auto r = tx.exec(
      "UPDATE antivirus_settings SET outdated_after_hours = ?, silent_after_hours = ?, "
      "engine_max_age_hours = ?, updated_at = ? WHERE id = 1",
      {std::int64_t{s.outdated_after_hours}, std::int64_t{s.silent_after_hours},
       std::int64_t{s.engine_max_age_hours}, s.updated_at});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<std::string> engineAlert(db::Tx& tx) {
  auto row = tx.one("SELECT engine_alert FROM antivirus_settings WHERE id = 1");
  if (!row) return tl::unexpected(row.error());
  return row->text(0);
}

Status setEngineAlert(db::Tx& tx, const std::string& alert) {
  auto r = tx.exec("UPDATE antivirus_settings SET engine_alert = ? WHERE id = 1", {alert});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<std::int64_t> insertEvent(db::Tx& tx, const Event& e) {
  auto row = tx.one(
      "INSERT INTO antivirus_events (ente, kind, subject, detail, ticket_id, created_at) "
      "VALUES (?,?,?,?,?,?) RETURNING id",
      {e.ente, std::string(eventKindName(e.kind)), e.subject, e.detail, optInt(e.ticket_id),
       e.created_at});
  if (!row) return tl::unexpected(row.error());
  return row->integer(0);
}

Result<std::vector<Event>> listEvents(db::Tx& tx, const Scope& s) {
  std::string sql =
      "SELECT id, ente, kind, subject, detail, ticket_id, created_at FROM antivirus_events";
  Params p;
  if (!whereScope(s, "", sql, p)) return std::vector<Event>{};
  return rowsOf<Event>(tx.query(sql + page(s, ""), p), [](const Row& r) {
    Event e;
    e.id = r.integer(0);
    e.ente = r.text(1);
    e.kind = parseEventKind(r.text(2)).value_or(EventKind::kQuarantine);
    e.subject = r.text(3);
    e.detail = r.text(4);
    e.ticket_id = r.optInteger(5);
    e.created_at = r.text(6);
    return e;
  });
}

Result<Endpoint> saveReport(db::Tx& tx, const std::string& ente, const EndpointReport& r,
                            TimePoint now) {
  const std::string at = formatTimestamp(now);
  const Value realtime =
      r.realtime_protection ? Value{std::int64_t{*r.realtime_protection}} : db::null();
  // A portable upsert: the unique (ente, hostname) index decides between the two statements.
  auto n = tx.exec(
      "UPDATE antivirus_endpoints SET os = ?, product = ?, engine_version = ?, "
      "signature_version = ?, signature_updated_at = ?, last_full_scan_at = ?, detections = ?, "
      "realtime_protection = ?, last_report_at = ? WHERE ente = ? AND hostname = ?",
      {db::optionalText(r.os), db::optionalText(r.product), db::optionalText(r.engine_version),
       db::optionalText(r.signature_version), optTime(r.signature_updated_at),
       optTime(r.last_full_scan_at), optInt(r.detections), realtime, at, ente, r.hostname});
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) {
    auto ins = tx.exec(
        "INSERT INTO antivirus_endpoints (ente, hostname, os, product, engine_version, "
        "signature_version, signature_updated_at, last_full_scan_at, detections, "
        "realtime_protection, first_seen_at, last_report_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        {ente, r.hostname, db::optionalText(r.os), db::optionalText(r.product),
         db::optionalText(r.engine_version), db::optionalText(r.signature_version),
         optTime(r.signature_updated_at), optTime(r.last_full_scan_at), optInt(r.detections),
         realtime, at, at});
    if (!ins) return tl::unexpected(ins.error());
  }
  auto row = tx.one(std::string("SELECT ") + kEndpointColumns +
                        " FROM antivirus_endpoints WHERE ente = ? AND hostname = ?",
                    {ente, r.hostname});
  if (!row) return tl::unexpected(row.error());
  return endpointOf(*row);
}

Result<std::optional<Endpoint>> endpoint(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      std::string("SELECT ") + kEndpointColumns + " FROM antivirus_endpoints WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Endpoint>{};
  return std::optional(endpointOf(rows->front()));
}

Result<std::vector<Endpoint>> listEndpoints(db::Tx& tx, const Scope& s,
                                            std::optional<EndpointStatus> status,
                                            const Settings& settings, TimePoint now) {
  std::string sql = std::string("SELECT ") + kEndpointColumns + " FROM antivirus_endpoints";
  Params p;
  if (!whereScope(s, "", sql, p)) return std::vector<Endpoint>{};
  if (status) {
    StatusSql st = statusSql(settings, now);
    sql += " AND " + st.expr + " = ?";
    p.insert(p.end(), st.params.begin(), st.params.end());
    p.emplace_back(std::string(endpointStatusName(*status)));
  }
  return rowsOf<Endpoint>(tx.query(sql + page(s, ""), p), endpointOf);
}

Result<std::vector<EnteCounts>> countByEnte(db::Tx& tx, const Scope& s, const Settings& settings,
                                            TimePoint now) {
  StatusSql st = statusSql(settings, now);
  std::string sql =
      "SELECT ente, st, COUNT(*) FROM (SELECT ente, " + st.expr + " AS st FROM antivirus_endpoints";
  Params p = st.params;
  Scope all = s;
  all.before.reset();
  if (!whereScope(all, "", sql, p)) return std::vector<EnteCounts>{};
  sql += ") counted GROUP BY ente, st ORDER BY ente";
  auto rows = tx.query(sql, p);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<EnteCounts> out;
  for (const Row& r : *rows) {
    if (out.empty() || out.back().ente != r.text(0)) out.push_back({r.text(0)});
    const std::string st_name = r.text(1);
    std::int64_t& slot = st_name == "silent"     ? out.back().silent
                         : st_name == "outdated" ? out.back().outdated
                                                 : out.back().protected_;
    slot = r.integer(2);
  }
  return out;
}

Result<std::vector<Endpoint>> endpointsToWatch(db::Tx& tx, const Settings& settings,
                                               TimePoint now) {
  StatusSql st = statusSql(settings, now);
  std::string sql = std::string("SELECT ") + kEndpointColumns +
                    " FROM antivirus_endpoints WHERE alert <> '' OR " + st.expr +
                    " <> 'protected' ORDER BY id";
  return rowsOf<Endpoint>(tx.query(sql, st.params), endpointOf);
}

Status setEndpointAlert(db::Tx& tx, std::int64_t id, const std::string& alert) {
  auto r = tx.exec("UPDATE antivirus_endpoints SET alert = ? WHERE id = ?", {alert, id});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Status deleteEndpoint(db::Tx& tx, std::int64_t id) {
  auto r = tx.exec("DELETE FROM antivirus_endpoints WHERE id = ?", {id});
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace cst::antivirus::store
