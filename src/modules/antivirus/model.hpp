#pragma once
// The antivirus service's domain: quarantine records, scan requests, the engine's signature
// freshness, endpoint reports and their status. No I/O: everything here is pure and tested without
// a database or a clamd.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "scan/scanner.hpp"

namespace cst::antivirus {

// A quarantined file waits for a cst_admin's decision: released (a false positive, stored as an
// upload) or discarded (content deleted). Both are final.
enum class QuarantineStatus { kHeld, kReleased, kDiscarded };
std::string_view statusName(QuarantineStatus s);
std::optional<QuarantineStatus> parseQuarantineStatus(std::string_view s);

struct QuarantineRecord {
  std::int64_t id = 0;
  std::string ente;
  std::optional<std::int64_t> owner_id;
  std::string actor;   // who uploaded it ("system" for e-mail received by the platform)
  std::string source;  // the upload path: "uploads", "helpdesk.attachment", "helpdesk.mail-in"
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string signature;
  std::string detected_at;
  QuarantineStatus status = QuarantineStatus::kHeld;
  std::optional<std::string> decided_by, decided_at, reason, released_upload_id;
  std::optional<std::int64_t> ticket_id;
};
nlohmann::json toJson(const QuarantineRecord& r);

// The verdict of the scan service: clean, infected (signature), or error (reason) when the file
// could not be scanned whole. Never clean without a whole scan.
enum class Verdict { kClean, kInfected, kError };
std::string_view verdictName(Verdict v);
std::optional<Verdict> parseVerdict(std::string_view s);

struct ScanRecord {
  std::int64_t id = 0;
  std::string ente;
  std::string filename;
  std::int64_t size = 0;
  std::string sha256;
  Verdict verdict = Verdict::kError;
  std::optional<std::string> signature;
  std::optional<std::string> reason;  // "too_large", "not_fully_scanned"
  std::string actor;
  std::string scanned_at;
  std::int64_t duration_ms = 0;
};
nlohmann::json toJson(const ScanRecord& r);

// Thresholds of the console and of the engine alarm, in hours.
struct Settings {
  int outdated_after_hours = 72;  // endpoint signatures older than this: outdated
  int silent_after_hours = 48;    // no report for this long: silent
  int engine_max_age_hours = 24;  // the centre's clamd signatures older than this: stale
  std::string updated_at;
};
nlohmann::json toJson(const Settings& s);
// A PUT body over the current settings; each threshold 1..8760 hours, every problem named.
Result<Settings> settingsFromJson(const nlohmann::json& body, Settings current);

// What an endpoint says of itself (POST /endpoints/report).
struct EndpointReport {
  std::string hostname;
  std::optional<std::string> os, product, engine_version, signature_version;
  std::optional<TimePoint> signature_updated_at, last_full_scan_at;
  std::optional<std::int64_t> detections;
  std::optional<bool> realtime_protection;
};
// Every problem named by field: hostname 1..253 printable characters without spaces, texts up to
// 200, timestamps RFC 3339, detections >= 0.
Result<EndpointReport> reportFromJson(const nlohmann::json& body);

enum class EndpointStatus { kProtected, kOutdated, kSilent };
std::string_view endpointStatusName(EndpointStatus s);
std::optional<EndpointStatus> parseEndpointStatus(std::string_view s);

struct Endpoint {
  std::int64_t id = 0;
  std::string ente;
  EndpointReport report;
  TimePoint first_seen_at{};
  TimePoint last_report_at{};
  // The condition a ticket is open for ("outdated", "silent"), "" when none: the watch job's
  // memory, so that a ticket is raised once and its recovery noted once.
  std::string alert;
};
// Silent when the last report is older than silent_after_hours; otherwise outdated when the
// signatures are older than outdated_after_hours or unknown; otherwise protected.
EndpointStatus statusOf(const Endpoint& e, const Settings& s, TimePoint now);
nlohmann::json toJson(const Endpoint& e, const Settings& s, TimePoint now);

enum class EventKind {
  kQuarantine,
  kEngineDown,
  kEngineUp,
  kEngineStale,
  kEngineFresh,
  kEndpointOutdated,
  kEndpointSilent,
  kEndpointOk,
};
std::string_view eventKindName(EventKind k);
std::optional<EventKind> parseEventKind(std::string_view s);

struct Event {
  std::int64_t id = 0;
  std::string ente;
  EventKind kind = EventKind::kQuarantine;
  std::string subject;  // Italian
  std::string detail;   // Italian
  std::optional<std::int64_t> ticket_id;
  std::string created_at;
};
nlohmann::json toJson(const Event& e);

// Hours from `then` to `now`, one decimal, never negative (a clock ahead of ours says 0).
double ageHours(TimePoint then, TimePoint now);

// clamd prints the daily database's build time with ctime(3) in its own local time zone:
// "Sun Nov 22 00:50:56 2026". Read in this process's time zone (clamd runs beside it).
std::optional<TimePoint> parseClamdDate(std::string_view text);

enum class Freshness { kFresh, kStale, kUnknown };
std::string_view freshnessName(Freshness f);
// Unknown without a daily database (test signatures); stale past max_age.
Freshness freshnessOf(const std::optional<TimePoint>& signature_date, int max_age_hours,
                      TimePoint now);

}  // namespace cst::antivirus
