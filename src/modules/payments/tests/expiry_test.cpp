// The positions service through the real platform wiring (SQLite in a temporary directory, or a
// fresh PostgreSQL schema when the suite runs on it) with a clock the test moves: expiry at the
// end of the last valid day, and the IUV allocator's counter across deletions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "payments/module.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "testkit/sample_enti.hpp"
#include "testkit/server_process.hpp"

namespace cst::payments {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class PositionsService : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cst-pay-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
    fs::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    config.database_url = testkit::freshDatabaseUrl();
    // 27 November 2026, 10:00 in Rome.
    auto clock = std::make_unique<ManualClock>(*parseTimestamp("2026-11-27T09:00:00.000Z"));
    clock_ = clock.get();
    auto p = Platform::open(config, {makeModule()}, std::move(clock));
    ASSERT_TRUE(p) << p.error().detail;
    platform_ = std::move(*p);
    for (const enti::Ente& e : {testkit::provinciaDiCremona(), testkit::comuneDiCremona()})
      ASSERT_TRUE(platform_->enti->ensure(e));
    service_ = std::make_unique<Service>(*platform_);
    who_.actor = "tester";
    auto saved = service_->saveCreditor(
        "019036",
        json{{"fiscal_code", "00297960197"},
             {"segregation_code", "01"},
             {"ibans", {{{"iban", "IT60X0542811101000000123456"}}}},
             {"service_codes", {{{"code", "9/0101002IM/"}, {"label", "Diritti di segreteria"}}}}},
        who_);
    ASSERT_TRUE(saved) << saved.error().detail;
  }
  void TearDown() override {
    service_.reset();
    platform_.reset();
    fs::remove_all(dir_);
  }

  json body(const std::string& reference, const std::string& valid_until) {
    return {
        {"reference", reference},
        {"description", "Diritti di segreteria"},
        {"service_code", "9/0101002IM/"},
        {"valid_until", valid_until},
        {"debtor", {{"type", "F"}, {"fiscal_code", "RSSMRA85T10A562S"}, {"name", "Mario Rossi"}}},
        {"options",
         {{{"amount_cents", 1600},
           {"due_date", "2026-12-15"},
           {"transfers", {{{"amount_cents", 1600}, {"remittance", "Diritti"}}}}}}}};
  }

  static inline int counter_ = 0;
  fs::path dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Service> service_;
  audit::Entry who_;
  const auth::EnteScope every_{true, {}, false};
};

TEST_F(PositionsService, AValidPositionExpiresAfterItsLastDayInRome) {
  auto valid = service_->createPosition("019036", body("A-1", "2026-12-31"), who_);
  ASSERT_TRUE(valid) << valid.error().detail;
  ASSERT_TRUE(service_->publishPosition(valid->id, every_, who_));
  auto draft = service_->createPosition("019036", body("A-2", "2026-12-31"), who_);
  ASSERT_TRUE(draft) << draft.error().detail;

  // 31 December, 23:30 in Rome (22:30 UTC): still its last day.
  clock_->advance(*parseTimestamp("2026-12-31T22:30:00.000Z") - clock_->now());
  auto none = service_->expirePositions();
  ASSERT_TRUE(none) << none.error().detail;
  EXPECT_EQ(*none, 0);

  // 1 January, 00:30 in Rome, still 31 December in UTC.
  clock_->advance(1h);
  auto one = service_->expirePositions();
  ASSERT_TRUE(one) << one.error().detail;
  EXPECT_EQ(*one, 1);
  auto expired = service_->position(valid->id, every_);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, PositionStatus::kExpired);
  ASSERT_EQ(expired->timeline.size(), 3u);
  EXPECT_EQ(expired->timeline.back().event, "expire");
  EXPECT_EQ(expired->timeline.back().actor, "system");
  EXPECT_EQ(expired->timeline.back().from_status.value_or(""), "VALID");
  EXPECT_EQ(service_->position(draft->id, every_)->status, PositionStatus::kDraft)
      << "a draft is not payable, so it does not expire";
  EXPECT_EQ(*service_->expirePositions(), 0) << "once";
  auto invalidate = service_->invalidatePosition(valid->id, "errore", every_, who_);
  ASSERT_FALSE(invalidate);
  EXPECT_EQ(invalidate.error().code, ErrorCode::kConflict);
}

TEST_F(PositionsService, TheAllocatorNeverReusesANumber) {
  EXPECT_EQ(*service_->nextIuvBase("019036", "01"), 1);
  auto first = service_->createPosition("019036", body("B-1", "2026-12-31"), who_);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(first->options[0].notice_number, "301000000000000144");
  EXPECT_EQ(*service_->nextIuvBase("019036", "01"), 2);
  ASSERT_TRUE(service_->deletePosition(first->id, every_, who_));
  EXPECT_FALSE(service_->position(first->id, every_));

  // A refused request allocates nothing either.
  json bad = body("B-2", "2026-12-31");
  bad["options"][0]["amount_cents"] = 1599;
  EXPECT_FALSE(service_->createPosition("019036", bad, who_));
  EXPECT_EQ(*service_->nextIuvBase("019036", "01"), 2);

  auto second = service_->createPosition("019036", body("B-1", "2026-12-31"), who_);
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_NE(second->options[0].notice_number, first->options[0].notice_number);
  EXPECT_EQ(second->options[0].iuv.substr(2, 13), "0000000000002");
  EXPECT_EQ(*service_->nextIuvBase("019036", "01"), 3);
}

}  // namespace
}  // namespace cst::payments
