#include "model.hpp"

#include <ctime>

#include "common/json_fields.hpp"

namespace cst::antivirus {

using nlohmann::json;

namespace {

json orNull(const std::optional<std::string>& v) { return v ? json(*v) : json(); }
json orNull(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }
json orNull(const std::optional<TimePoint>& v) { return v ? json(formatTimestamp(*v)) : json(); }

bool olderThan(TimePoint then, int hours, TimePoint now) {
  return now - then > std::chrono::hours(hours);
}

}  // namespace

std::string_view statusName(QuarantineStatus s) {
  switch (s) {
    case QuarantineStatus::kHeld:
      return "held";
    case QuarantineStatus::kReleased:
      return "released";
    case QuarantineStatus::kDiscarded:
      return "discarded";
  }
  return "held";
}

std::optional<QuarantineStatus> parseQuarantineStatus(std::string_view s) {
  for (auto v :
       {QuarantineStatus::kHeld, QuarantineStatus::kReleased, QuarantineStatus::kDiscarded})
    if (statusName(v) == s) return v;
  return std::nullopt;
}

json toJson(const QuarantineRecord& r) {
  return {{"id", r.id},
          {"ente", r.ente},
          {"owner_id", orNull(r.owner_id)},
          {"actor", r.actor},
          {"source", r.source},
          {"filename", r.filename},
          {"content_type", r.content_type},
          {"size", r.size},
          {"sha256", r.sha256},
          {"signature", r.signature},
          {"detected_at", r.detected_at},
          {"status", statusName(r.status)},
          {"decided_by", orNull(r.decided_by)},
          {"decided_at", orNull(r.decided_at)},
          {"reason", orNull(r.reason)},
          {"released_upload_id", orNull(r.released_upload_id)},
          {"ticket_id", orNull(r.ticket_id)}};
}

std::string_view verdictName(Verdict v) {
  switch (v) {
    case Verdict::kClean:
      return "clean";
    case Verdict::kInfected:
      return "infected";
    case Verdict::kError:
      return "error";
  }
  return "error";
}

std::optional<Verdict> parseVerdict(std::string_view s) {
  for (auto v : {Verdict::kClean, Verdict::kInfected, Verdict::kError})
    if (verdictName(v) == s) return v;
  return std::nullopt;
}

json toJson(const ScanRecord& r) {
  return {{"id", r.id},
          {"ente", r.ente},
          {"filename", r.filename},
          {"size", r.size},
          {"sha256", r.sha256},
          {"verdict", verdictName(r.verdict)},
          {"signature", orNull(r.signature)},
          {"reason", orNull(r.reason)},
          {"actor", r.actor},
          {"scanned_at", r.scanned_at},
          {"duration_ms", r.duration_ms}};
}

json toJson(const Settings& s) {
  return {{"outdated_after_hours", s.outdated_after_hours},
          {"silent_after_hours", s.silent_after_hours},
          {"engine_max_age_hours", s.engine_max_age_hours},
          {"updated_at", s.updated_at}};
}

Result<Settings> settingsFromJson(const json& body, Settings current) {
  if (!body.is_object()) return failField("body", "atteso un oggetto JSON");
  JsonFields f(body, "soglie non valide");
  auto hours = [&](const char* key, int& into) {
    auto v = f.integer(key);
    if (!v) return;
    if (*v < 1 || *v > 8760)
      f.bad(key, "da 1 a 8760 ore");
    else
      into = static_cast<int>(*v);
  };
  hours("outdated_after_hours", current.outdated_after_hours);
  hours("silent_after_hours", current.silent_after_hours);
  hours("engine_max_age_hours", current.engine_max_age_hours);
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return current;
}

Result<EndpointReport> reportFromJson(const json& body) {
  if (!body.is_object()) return failField("body", "atteso un oggetto JSON");
  JsonFields f(body, "rapporto della postazione non valido");
  EndpointReport r;
  if (auto h = f.text("hostname", JsonFields::Need::kRequired, true)) {
    bool printable = h->size() <= 253;
    for (unsigned char c : *h)
      if (c <= 0x20 || c == 0x7f) printable = false;
    if (printable)
      r.hostname = *h;
    else
      f.bad("hostname", "da 1 a 253 caratteri, senza spazi né caratteri di controllo");
  }
  auto text = [&](const char* key, std::optional<std::string>& into) {
    auto v = f.text(key, JsonFields::Need::kOptional, true);
    if (!v) return;
    bool ok = v->size() <= 200;
    for (unsigned char c : *v)
      if (c < 0x20 || c == 0x7f) ok = false;
    if (ok)
      into = *v;
    else
      f.bad(key, "al massimo 200 caratteri, senza caratteri di controllo");
  };
  text("os", r.os);
  text("product", r.product);
  text("engine_version", r.engine_version);
  text("signature_version", r.signature_version);
  auto when = [&](const char* key, std::optional<TimePoint>& into) {
    auto v = f.text(key, JsonFields::Need::kOptional, true);
    if (!v) return;
    into = parseTimestamp(*v);
    if (!into) f.bad(key, "data e ora RFC 3339, per esempio 2026-11-26T22:10:00Z");
  };
  when("signature_updated_at", r.signature_updated_at);
  when("last_full_scan_at", r.last_full_scan_at);
  if (auto d = f.integer("detections")) {
    if (*d < 0)
      f.bad("detections", "non può essere negativo");
    else
      r.detections = *d;
  }
  r.realtime_protection = f.boolean("realtime_protection");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return r;
}

std::string_view endpointStatusName(EndpointStatus s) {
  switch (s) {
    case EndpointStatus::kProtected:
      return "protected";
    case EndpointStatus::kOutdated:
      return "outdated";
    case EndpointStatus::kSilent:
      return "silent";
  }
  return "silent";
}

std::optional<EndpointStatus> parseEndpointStatus(std::string_view s) {
  for (auto v : {EndpointStatus::kProtected, EndpointStatus::kOutdated, EndpointStatus::kSilent})
    if (endpointStatusName(v) == s) return v;
  return std::nullopt;
}

EndpointStatus statusOf(const Endpoint& e, const Settings& s, TimePoint now) {
  if (olderThan(e.last_report_at, s.silent_after_hours, now)) return EndpointStatus::kSilent;
  const auto& sig = e.report.signature_updated_at;
  if (!sig || olderThan(*sig, s.outdated_after_hours, now)) return EndpointStatus::kOutdated;
  return EndpointStatus::kProtected;
}

json toJson(const Endpoint& e, const Settings& s, TimePoint now) {
  const EndpointReport& r = e.report;
  return {{"id", e.id},
          {"ente", e.ente},
          {"hostname", r.hostname},
          {"os", orNull(r.os)},
          {"product", orNull(r.product)},
          {"engine_version", orNull(r.engine_version)},
          {"signature_version", orNull(r.signature_version)},
          {"signature_updated_at", orNull(r.signature_updated_at)},
          {"signature_age_hours",
           r.signature_updated_at ? json(ageHours(*r.signature_updated_at, now)) : json()},
          {"last_full_scan_at", orNull(r.last_full_scan_at)},
          {"detections", orNull(r.detections)},
          {"realtime_protection", r.realtime_protection ? json(*r.realtime_protection) : json()},
          {"first_seen_at", formatTimestamp(e.first_seen_at)},
          {"last_report_at", formatTimestamp(e.last_report_at)},
          {"status", endpointStatusName(statusOf(e, s, now))}};
}

std::string_view eventKindName(EventKind k) {
  switch (k) {
    case EventKind::kQuarantine:
      return "quarantine";
    case EventKind::kEngineDown:
      return "engine_down";
    case EventKind::kEngineUp:
      return "engine_up";
    case EventKind::kEngineStale:
      return "engine_stale";
    case EventKind::kEngineFresh:
      return "engine_fresh";
    case EventKind::kEndpointOutdated:
      return "endpoint_outdated";
    case EventKind::kEndpointSilent:
      return "endpoint_silent";
    case EventKind::kEndpointOk:
      return "endpoint_ok";
  }
  return "quarantine";
}

std::optional<EventKind> parseEventKind(std::string_view s) {
  for (auto k : {EventKind::kQuarantine, EventKind::kEngineDown, EventKind::kEngineUp,
                 EventKind::kEngineStale, EventKind::kEngineFresh, EventKind::kEndpointOutdated,
                 EventKind::kEndpointSilent, EventKind::kEndpointOk})
    if (eventKindName(k) == s) return k;
  return std::nullopt;
}

json toJson(const Event& e) {
  return {{"id", e.id},
          {"ente", e.ente},
          {"kind", eventKindName(e.kind)},
          {"subject", e.subject},
          {"detail", e.detail},
          {"ticket_id", orNull(e.ticket_id)},
          {"created_at", e.created_at}};
}

double ageHours(TimePoint then, TimePoint now) {
  const auto ms = std::max<std::int64_t>(0, (now - then).count());
  return static_cast<double>(ms / 360000) / 10.0;
}

std::optional<TimePoint> parseClamdDate(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = ::strptime(s.c_str(), "%a %b %d %H:%M:%S %Y", &tm);
  if (!end || *end != '\0') return std::nullopt;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::from_time_t(t));
}

std::string_view freshnessName(Freshness f) {
  switch (f) {
    case Freshness::kFresh:
      return "fresh";
    case Freshness::kStale:
      return "stale";
    case Freshness::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Freshness freshnessOf(const std::optional<TimePoint>& signature_date, int max_age_hours,
                      TimePoint now) {
  if (!signature_date) return Freshness::kUnknown;
  return olderThan(*signature_date, max_age_hours, now) ? Freshness::kStale : Freshness::kFresh;
}

}  // namespace cst::antivirus
