// The antivirus service through the real platform wiring (SQLite in a temporary directory, or a
// fresh PostgreSQL schema when the suite runs on it), a real clamd (Debian's, supervised here with
// the project's test signatures and a daily database of a chosen age) and a clock the test moves:
// the watch job's engine and endpoint alarms, and the quarantine's life cycle.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "antivirus/module.hpp"
#include "helpdesk/api.hpp"
#include "helpdesk/module.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "signatures.hpp"
#include "testkit/sample_enti.hpp"
#include "testkit/samples.hpp"
#include "testkit/server_process.hpp"

namespace cst::antivirus {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Watch : public ::testing::Test {
 protected:
  void SetUp() override {
    // Short: clamd's socket path must fit in 107 bytes.
    dir_ = fs::path("/tmp") /
           ("cst-av-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
    fs::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    config.database_url = testkit::freshDatabaseUrl();
    auto clock = std::make_unique<ManualClock>(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    clock_ = clock.get();
    auto p = Platform::open(config, {helpdesk::makeModule(), makeModule()}, std::move(clock));
    ASSERT_TRUE(p) << p.error().detail;
    platform_ = std::move(*p);
    ASSERT_TRUE(platform_->install());
    for (const enti::Ente& e : {testkit::provinciaDiCremona(), testkit::comuneDiCremona()})
      ASSERT_TRUE(platform_->enti->ensure(e));
    service_ = std::make_unique<Service>(*platform_);
  }
  void TearDown() override {
    service_.reset();
    if (clamd_) clamd_->stop();
    platform_.reset();
    fs::remove_all(dir_);
  }

  // A real clamd with a daily database built `age` ago, used by the platform.
  void startClamd(std::chrono::hours age) {
    testing::writeSignatures(dir_ / "sigs", std::chrono::system_clock::now() - age, 27001);
    scan::ClamdSupervisorOptions o;
    o.work_dir = dir_ / "clamd";
    o.database_dir = dir_ / "sigs";
    clamd_ = std::make_unique<scan::ClamdSupervisor>(o);
    ASSERT_TRUE(clamd_->start());
    auto scanner = scan::ClamdScanner::create(clamd_->scannerOptions());
    ASSERT_TRUE(scanner);
    platform_->scanner = std::shared_ptr<scan::Scanner>(std::move(*scanner));
    platform_->uploads->setScanner(platform_->scanner);
  }

  std::vector<Event> events() {
    auto e = service_->events(Visibility{true, {}}, {});
    EXPECT_TRUE(e) << e.error().detail;
    return e ? *e : std::vector<Event>{};
  }

  Endpoint report(const std::string& host, std::optional<TimePoint> signatures) {
    EndpointReport r;
    r.hostname = host;
    r.product = "ClamAV";
    r.signature_updated_at = signatures;
    auto e = service_->report("019036", r, {});
    EXPECT_TRUE(e) << e.error().detail;
    return e ? *e : Endpoint{};
  }

  inline static int counter_ = 0;
  fs::path dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<scan::ClamdSupervisor> clamd_;
};

TEST_F(Watch, StaleSignaturesOfTheRealEngineRaiseOneTicketAndTheirUpdateNotesIt) {
  startClamd(5 * 24h);
  const EngineStatus engine = service_->engine();
  ASSERT_TRUE(engine.reachable) << engine.error.value_or("");
  EXPECT_EQ(engine.signature_version, 27001) << "clamd reads our daily.cud like the official one";
  ASSERT_TRUE(engine.signature_date);
  EXPECT_NEAR(ageHours(*engine.signature_date, clock_->now()), 120.0, 0.2);
  EXPECT_EQ(engine.signatures, Freshness::kStale);
  EXPECT_TRUE(engine.supervisor.is_null()) << "this clamd is not the platform's own";

  auto run = service_->watch();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->engine_alert, "stale");
  EXPECT_EQ(run->raised, 1);
  auto again = service_->watch();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->raised, 0) << "a condition already reported is not reported again";
  auto seen = events();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, EventKind::kEngineStale);
  EXPECT_EQ(seen[0].ente, "019") << "the centre's engine is the Province's concern";
  ASSERT_TRUE(seen[0].ticket_id);

  // The committee decides that five days are acceptable: the condition is over.
  ASSERT_TRUE(service_->updateSettings({{"engine_max_age_hours", 200}}, {}));
  auto fresh = service_->watch();
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->engine_alert, "");
  EXPECT_EQ(fresh->recovered, 1);
  seen = events();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, EventKind::kEngineFresh);
  EXPECT_EQ(seen[0].ticket_id, seen[1].ticket_id) << "the recovery is noted on the same ticket";
}

TEST_F(Watch, AnEngineThatDoesNotAnswerIsReportedOnce) {
  // No clamd at all: the platform has no scanner.
  EXPECT_FALSE(service_->engine().reachable);
  auto run = service_->watch();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->engine_alert, "down");
  ASSERT_TRUE(service_->watch());
  auto seen = events();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, EventKind::kEngineDown);
  // clamd comes (back): recovered, and the signatures are fresh.
  startClamd(2h);
  auto back = service_->watch();
  ASSERT_TRUE(back);
  EXPECT_EQ(back->engine_alert, "");
  EXPECT_EQ(events().front().kind, EventKind::kEngineUp);
}

TEST_F(Watch, EndpointsOutdatedOrSilentOpenTicketsOnceAndRecover) {
  startClamd(1h);
  // The clock moves two days: the engine's signatures must not be what this test sees.
  ASSERT_TRUE(service_->updateSettings({{"engine_max_age_hours", 8760}}, {}));
  const Endpoint fresh = report("anagrafe-pc01", clock_->now() - 2h);
  const Endpoint old = report("ragioneria-pc02", clock_->now() - 100h);
  auto run = service_->watch();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->raised, 1) << "only the outdated one";
  auto seen = events();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, EventKind::kEndpointOutdated);
  EXPECT_NE(seen[0].subject.find("ragioneria-pc02"), std::string::npos);
  const auto outdated_ticket = seen[0].ticket_id;
  ASSERT_TRUE(outdated_ticket);

  // Two days and one hour without reports: both are silent; the outdated one changes condition.
  clock_->advance(49h);
  run = service_->watch();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->raised, 2);
  EXPECT_EQ(run->recovered, 1) << "outdated -> silent closes the outdated ticket";
  auto summary = service_->summary(Visibility{true, {}});
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->size(), 1u);
  EXPECT_EQ((*summary)[0].silent, 2);

  // Both report again, fresh: two recoveries, and nothing more on the next run.
  report("anagrafe-pc01", clock_->now());
  report("ragioneria-pc02", clock_->now());
  run = service_->watch();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->recovered, 2);
  EXPECT_EQ(run->raised, 0);
  run = service_->watch();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->recovered + run->raised, 0);
  auto listed = service_->endpoints(Visibility{true, {}}, {}, EndpointStatus::kProtected);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_EQ(fresh.first_seen_at, listed->back().first_seen_at);
  (void)old;
}

TEST_F(Watch, AQuarantinedFileIsKeptReleasedOrDiscardedAndItsContentGoesWhenNobodyHoldsIt) {
  startClamd(1h);
  auto upload = [&](const std::string& name) {
    const fs::path temp = platform_->blobs->tempDir() / ("t-" + name);
    fs::create_directories(temp.parent_path());
    std::ofstream(temp, std::ios::binary) << testkit::eicar();
    audit::Entry who;
    who.actor = "impiegato.cremona";
    return platform_->uploads->accept({"019036", 0, name, "text/plain", temp, "uploads"}, who);
  };
  auto first = upload("fattura.txt");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kRuleViolated);
  EXPECT_NE(first.error().detail.find("quarantena"), std::string::npos) << first.error().detail;
  ASSERT_FALSE(upload("copia.txt"));
  auto held = service_->quarantine(Visibility{true, {}}, {}, QuarantineStatus::kHeld);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u);
  const QuarantineRecord copy = (*held)[0], original = (*held)[1];
  EXPECT_EQ(original.filename, "fattura.txt");
  EXPECT_EQ(original.sha256, copy.sha256);
  EXPECT_EQ(original.size, 68);
  EXPECT_EQ(original.signature.rfind("Cst.Test.EICAR", 0), 0u) << original.signature;
  EXPECT_EQ(original.actor, "impiegato.cremona");
  EXPECT_TRUE(original.ticket_id) << "the desk opened a ticket";
  auto content = service_->quarantineContent(original, {});
  ASSERT_TRUE(content);
  const fs::path kept = *content;
  EXPECT_EQ(fs::file_size(kept), 68u);

  audit::Entry admin;
  admin.actor = "admin";
  EXPECT_EQ(service_->release(original.id, "", admin).error().fields.at(0).field, "reason");
  auto released = service_->release(original.id, "Falso positivo: file di prova atteso", admin);
  ASSERT_TRUE(released) << released.error().detail;
  EXPECT_EQ(released->status, QuarantineStatus::kReleased);
  ASSERT_TRUE(released->released_upload_id);
  auto stored = platform_->uploads->get(*released->released_upload_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->scan, uploads::ScanState::kReleased);
  EXPECT_EQ(stored->sha256, original.sha256);
  EXPECT_TRUE(fs::exists(kept)) << "the copy still holds the same content";
  EXPECT_EQ(service_->release(original.id, "di nuovo", admin).error().code, ErrorCode::kConflict);

  ASSERT_TRUE(service_->discard(copy.id, "Copia non necessaria", admin));
  EXPECT_FALSE(fs::exists(kept)) << "nobody holds it any more";
  EXPECT_EQ(
      service_->quarantineContent(*service_->quarantined(copy.id, {true, {}}), {}).error().code,
      ErrorCode::kNotFound);
}

}  // namespace
}  // namespace cst::antivirus
