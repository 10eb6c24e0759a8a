// The register's numbering through the real platform wiring (SQLite in a temporary directory, or
// a fresh PostgreSQL schema when the suite runs on it) with a clock the test moves: the number
// restarts at 1 when the year turns in Rome, not in UTC.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "platform/platform.hpp"
#include "protocol/module.hpp"
#include "service.hpp"
#include "testkit/sample_enti.hpp"
#include "testkit/server_process.hpp"

namespace cst::protocol {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class Numbering : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cst-protocol-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    config.database_url = testkit::freshDatabaseUrl();
    // 31 December 2026, 23:59:58 in Rome (22:59:58 UTC).
    auto clock = std::make_unique<ManualClock>(*parseTimestamp("2026-12-31T22:59:58.000Z"));
    clock_ = clock.get();
    auto p = Platform::open(config, {makeModule()}, std::move(clock));
    ASSERT_TRUE(p) << p.error().detail;
    platform_ = std::move(*p);
    for (const enti::Ente& e : {testkit::provinciaDiCremona(), testkit::comuneDiCremona()})
      ASSERT_TRUE(platform_->enti->ensure(e));
    service_ = std::make_unique<Service>(*platform_);
    who_.actor = "tester";
    ASSERT_TRUE(service_->saveAoo(
        "019036", {{"aoo_code", "AOO_CR"}, {"aoo_name", "AOO"}, {"registry_code", "PG"}}, who_));
    ASSERT_TRUE(
        service_->addClass("019036", {{"code", "1.6"}, {"description", "Protocollo"}}, who_));
    // A document the antivirus passed (no clamd here: the upload is stored as screened).
    const fs::path temp = dir_ / "doc.pdf";
    std::ofstream(temp, std::ios::binary) << "%PDF-1.4 prova";
    auto u =
        platform_->uploads->store({{"019036", 0, "doc.pdf", "application/pdf", temp}, {}}, who_);
    ASSERT_TRUE(u) << u.error().detail;
    upload_ = u->id;
  }
  void TearDown() override {
    service_.reset();
    platform_.reset();
    fs::remove_all(dir_);
  }

  Result<Registration> registerOne() {
    auto in = registrationFromJson({{"ente", "019036"},
                                    {"flow", "internal"},
                                    {"subject", "Nota interna"},
                                    {"class_code", "1.6"},
                                    {"primary_document", {{"upload_id", upload_}}}});
    EXPECT_TRUE(in);
    return service_->registerDocument(*in, who_, [](const uploads::Upload&) { return true; });
  }

  fs::path dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Service> service_;
  audit::Entry who_;
  std::string upload_;
};

TEST_F(Numbering, RestartsAtOneWhenTheYearTurnsInRome) {
  auto a = registerOne();
  ASSERT_TRUE(a) << a.error().detail;
  auto b = registerOne();
  ASSERT_TRUE(b);
  EXPECT_EQ(a->year, 2026);
  EXPECT_EQ(a->number, 1);
  EXPECT_EQ(b->number, 2);
  EXPECT_EQ(b->registered_on, "2026-12-31");
  // 00:00:00 of 1 January in Rome is still 31 December in UTC.
  clock_->advance(2s);
  auto c = registerOne();
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->year, 2027);
  EXPECT_EQ(c->number, 1);
  EXPECT_EQ(c->registered_on, "2027-01-01");
  EXPECT_EQ(c->registered_at.substr(0, 10), "2026-12-31");
  auto d = registerOne();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->number, 2);
  // The earlier year's registrations keep their numbers.
  auto first = service_->registration(a->id, auth::EnteScope{true, {}, false});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->year, 2026);
  EXPECT_EQ(first->number, 1);
}

}  // namespace
}  // namespace cst::protocol
