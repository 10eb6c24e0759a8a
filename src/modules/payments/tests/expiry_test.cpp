// The positions service through the real platform wiring (SQLite in a temporary directory, or a
// fresh PostgreSQL schema when the suite runs on it) with a clock the test moves: expiry at the
// end of the last valid day, and the IUV allocator's counter across deletions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

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

TEST_F(PositionsService, PaymentsReachSubscribersOnceAndStayReadable) {
  ASSERT_TRUE(service_->saveBroker({{"fiscal_code", "80002130195"}, {"station_id", "S_01"}}, who_));
  auto p = service_->createPosition("019036", body("E-1", "2026-12-31"), who_);
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_TRUE(service_->publishPosition(p->id, every_, who_));
  std::vector<PaymentReceived> heard;
  service_->events()->subscribe([&](const PaymentReceived& e) { heard.push_back(e); });
  service_->events()->subscribe([](const PaymentReceived&) { throw std::runtime_error("boom"); });

  const PaymentOption& o = p->options[0];
  ReceiptDelivery d;
  d.caller = {"00297960197", "80002130195", "S_01"};
  d.receipt.receipt_id = "R-E-1";
  d.receipt.notice_number = o.notice_number;
  d.receipt.fiscal_code = "00297960197";
  d.receipt.outcome = "OK";
  d.receipt.iuv = o.iuv;
  d.receipt.amount_cents = o.amount_cents;
  d.receipt.payment_date_time = "2026-11-27T10:05:00Z";
  d.receipt.transfers = {{1, o.amount_cents, "00297960197", o.transfers[0].iban, "Diritti", "x"}};
  ASSERT_TRUE(service_->acceptReceipt(d));
  ASSERT_TRUE(service_->acceptReceipt(d)) << "a repeat is a success";
  ASSERT_EQ(heard.size(), 1U) << "a subscriber that throws does not stop the others; a repeat "
                                 "is not a second payment";
  EXPECT_EQ(heard[0].ente, "019036");
  EXPECT_EQ(heard[0].position_reference, "E-1");
  EXPECT_EQ(heard[0].amount_cents, 1600);
  EXPECT_EQ(heard[0].paid_at, "2026-11-27T10:05:00Z");
  EXPECT_TRUE(heard[0].position_paid);

  // The durable stream gives the same payment to a consumer that was not listening.
  auto stream = service_->events()->paymentsAfter(0, 10);
  ASSERT_TRUE(stream) << stream.error().detail;
  ASSERT_EQ(stream->size(), 1U);
  EXPECT_EQ((*stream)[0].sequence, heard[0].sequence);
  EXPECT_EQ((*stream)[0].receipt_id, "R-E-1");
  EXPECT_TRUE((*stream)[0].position_paid);
  EXPECT_TRUE(service_->events()->paymentsAfter(heard[0].sequence, 10)->empty());
  EXPECT_EQ(service_->position(p->id, every_)->status, PositionStatus::kPaid);
}

}  // namespace
}  // namespace cst::payments
