// The antivirus domain without I/O: endpoint reports validated field by field, an endpoint's
// status at the thresholds' edges, the engine's freshness, clamd's date format, the settings.
#include "model.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cst::antivirus {
namespace {

TimePoint at(const std::string& rfc3339) { return *parseTimestamp(rfc3339); }

TEST(EndpointReport, AFullReportIsRead) {
  auto r = reportFromJson({{"hostname", "ragioneria-pc01"},
                           {"os", "Windows 11 Pro"},
                           {"product", "Microsoft Defender"},
                           {"engine_version", "1.1.24090.11"},
                           {"signature_version", "1.419.512.0"},
                           {"signature_updated_at", "2026-11-26T22:10:00Z"},
                           {"last_full_scan_at", "2026-11-24T02:00:00+01:00"},
                           {"detections", 2},
                           {"realtime_protection", true}});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->hostname, "ragioneria-pc01");
  EXPECT_EQ(r->product, "Microsoft Defender");
  EXPECT_EQ(formatTimestamp(*r->signature_updated_at), "2026-11-26T22:10:00.000Z");
  EXPECT_EQ(formatTimestamp(*r->last_full_scan_at), "2026-11-24T01:00:00.000Z");
  EXPECT_EQ(r->detections, 2);
  EXPECT_EQ(r->realtime_protection, true);
}

TEST(EndpointReport, EveryBadFieldIsNamedAtOnce) {
  auto r = reportFromJson({{"hostname", "pc con spazi"},
                           {"signature_updated_at", "ieri"},
                           {"detections", -1},
                           {"realtime_protection", "sì"},
                           {"os", std::string(201, 'x')}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"hostname", "os", "signature_updated_at",
                                              "detections", "realtime_protection"}));
  EXPECT_EQ(reportFromJson(nlohmann::json::object()).error().fields.at(0).field, "hostname");
  EXPECT_EQ(reportFromJson({{"hostname", std::string(254, 'a')}}).error().fields.at(0).field,
            "hostname");
  EXPECT_FALSE(reportFromJson(nlohmann::json::array()));
}

TEST(EndpointStatus, SilentBeforeOutdatedAndEachAtItsThreshold) {
  const Settings s;  // outdated after 72 h, silent after 48 h
  const TimePoint now = at("2026-11-27T12:00:00Z");
  Endpoint e;
  e.last_report_at = now;
  e.report.signature_updated_at = now - std::chrono::hours(72);
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kProtected) << "72 h is not over 72 h";
  e.report.signature_updated_at = now - std::chrono::hours(72) - std::chrono::milliseconds(1);
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kOutdated);
  e.report.signature_updated_at.reset();
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kOutdated) << "unknown signatures are outdated";
  e.report.signature_updated_at = now;
  e.last_report_at = now - std::chrono::hours(48);
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kProtected);
  e.last_report_at = now - std::chrono::hours(49);
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kSilent);
  e.report.signature_updated_at.reset();
  EXPECT_EQ(statusOf(e, s, now), EndpointStatus::kSilent) << "silence says more than age";

  const auto j = toJson(e, s, now);
  EXPECT_EQ(j["status"], "silent");
  EXPECT_TRUE(j["signature_age_hours"].is_null());
}

TEST(Freshness, UnknownWithoutADailyDatabaseStaleAfterTheLimit) {
  const TimePoint now = at("2026-11-27T12:00:00Z");
  EXPECT_EQ(freshnessOf(std::nullopt, 24, now), Freshness::kUnknown);
  EXPECT_EQ(freshnessOf(now - std::chrono::hours(24), 24, now), Freshness::kFresh);
  EXPECT_EQ(freshnessOf(now - std::chrono::hours(25), 24, now), Freshness::kStale);
  EXPECT_DOUBLE_EQ(ageHours(now - std::chrono::minutes(90), now), 1.5);
  EXPECT_DOUBLE_EQ(ageHours(now + std::chrono::hours(2), now), 0.0) << "a clock ahead says 0";
}

TEST(ClamdDate, CtimeInTheLocalZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "Europe/Rome", 1);
  ::tzset();
  auto t = parseClamdDate("Sun Nov 22 00:50:56 2026");
  ASSERT_TRUE(t);
  EXPECT_EQ(formatTimestamp(*t), "2026-11-21T23:50:56.000Z") << "CET is UTC+1 in November";
  EXPECT_FALSE(parseClamdDate("22/11/2026"));
  EXPECT_FALSE(parseClamdDate("Sun Nov 22 00:50:56 2026 extra"));
  if (old)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  ::tzset();
}

TEST(Settings, ThresholdsAreCheckedAndKeptWhenAbsent) {
  Settings current;
  auto next = settingsFromJson({{"silent_after_hours", 24}}, current);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->silent_after_hours, 24);
  EXPECT_EQ(next->outdated_after_hours, 72);
  auto bad =
      settingsFromJson({{"outdated_after_hours", 0}, {"engine_max_age_hours", "24"}}, current);
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "outdated_after_hours");
  EXPECT_EQ(bad.error().fields[1].field, "engine_max_age_hours");
}

TEST(Names, RoundTrip) {
  for (auto s :
       {QuarantineStatus::kHeld, QuarantineStatus::kReleased, QuarantineStatus::kDiscarded})
    EXPECT_EQ(parseQuarantineStatus(statusName(s)), s);
  for (auto v : {Verdict::kClean, Verdict::kInfected, Verdict::kError})
    EXPECT_EQ(parseVerdict(verdictName(v)), v);
  for (auto s : {EndpointStatus::kProtected, EndpointStatus::kOutdated, EndpointStatus::kSilent})
    EXPECT_EQ(parseEndpointStatus(endpointStatusName(s)), s);
  EXPECT_FALSE(parseVerdict("pulito"));
}

}  // namespace
}  // namespace cst::antivirus
