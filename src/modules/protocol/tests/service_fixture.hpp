#pragma once
// The protocol service through the real platform wiring (SQLite in a temporary directory, or a
// fresh PostgreSQL schema when the suite runs on it) with a clock the test moves: Cremona with its
// AOO, a class 1.6 and one clean document to register.
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

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class ProtocolService : public ::testing::Test {
 protected:
  // The clock's first reading (UTC).
  virtual std::string start() const = 0;

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cst-protocol-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    config.database_url = testkit::freshDatabaseUrl();
    auto clock = std::make_unique<ManualClock>(*parseTimestamp(start()));
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

  Result<Registration> registerOne(const std::string& subject = "Nota interna") {
    auto in = registrationFromJson({{"ente", "019036"},
                                    {"flow", "internal"},
                                    {"subject", subject},
                                    {"class_code", "1.6"},
                                    {"primary_document", {{"upload_id", upload_}}}});
    EXPECT_TRUE(in);
    return service_->registerDocument(*in, who_);
  }

  fs::path dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Service> service_;
  audit::Entry who_;
  std::string upload_;
};

}  // namespace cst::protocol
