// The protocol's daily registers go into preservation by themselves: the real `cst serve` with
// demo data (Cremona's and Crema's AOOs count as configured a week ago, with their PEC), the
// protocol's job makes the registers, the preservation job ingests each one once.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <thread>

#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

class Intake : public DemoServerSuite<Intake> {
 protected:
  // Runs the job of `kind` now and waits until it has run once more.
  static void runJob(HttpClient& admin, const std::string& kind) {
    const auto find = [&]() -> std::optional<Json> {
      const Json jobs = admin.get("/api/v1/jobs").json();
      for (const auto& j : jobs["items"])
        if (j["kind"] == kind) return j;
      return std::nullopt;
    };
    auto job = find();
    ASSERT_TRUE(job) << kind;
    const Json before = (*job)["last_run_at"];
    ASSERT_LT(
        admin.request("POST", "/api/v1/jobs/" + std::to_string((*job)["id"].get<int>()) + "/run")
            .status,
        300);
    for (int i = 0; i < 300; ++i) {
      job = find();
      if (job && (*job)["last_run_at"] != before && (*job)["state"] != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE((*job)["last_error"].is_null()) << job->dump();
  }
  static Json aipsOf(HttpClient& c, const std::string& ente) {
    auto r = c.get("/api/v1/preservation/aips?ente=" + ente + "&limit=200");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }
};

TEST_F(Intake, EveryDailyRegisterIsIngestedOnceAsAnAip) {
  HttpClient admin = as("admin");
  runJob(admin, "protocol.daily-register");
  runJob(admin, "preservation.protocol-registers");

  HttpClient clerk = as("impiegato.cremona");
  const Json registers =
      clerk.get("/api/v1/protocol/daily-registers?ente=019036&limit=200").json()["items"];
  ASSERT_GE(registers.size(), 7u);
  const Json aips = aipsOf(clerk, "019036");
  ASSERT_EQ(aips.size(), registers.size()) << aips.dump(2);
  for (const Json& a : aips) {
    EXPECT_EQ(a["kind"], "documento_amministrativo_informatico");
    EXPECT_EQ(a["document_class"], "registro-giornaliero-protocollo");
    EXPECT_EQ(a["title"].get<std::string>().rfind("Registro giornaliero di protocollo del ", 0),
              0u);
  }
  // The newest register is the newest AIP's primary document, byte for byte, as PDF/A.
  auto aip = clerk.get("/api/v1/preservation/aips/" + aips[0]["id"].get<std::string>());
  ASSERT_EQ(aip.status, 200);
  const Json files = aip.json()["files"];
  bool found = false;
  for (const Json& r : registers) found = found || r["pdf_sha256"] == files[0]["sha256"];
  EXPECT_TRUE(found) << files.dump(2);
  EXPECT_EQ(files[0]["format"], "pdfa-2b");
  EXPECT_EQ(files[1]["format"], "json");
  const Json receipts =
      clerk.get("/api/v1/preservation/sips?ente=019036&limit=200").json()["items"];
  for (const Json& r : receipts) {
    EXPECT_EQ(r["outcome"], "accepted") << r.dump(2);
    EXPECT_EQ(r["source"], "protocol.daily_register");
  }
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(
      aipsOf(crema, "019035").size(),
      crema.get("/api/v1/protocol/daily-registers?ente=019035&limit=200").json()["items"].size());

  // Once only: the job again takes nothing new.
  runJob(admin, "preservation.protocol-registers");
  EXPECT_EQ(aipsOf(clerk, "019036").size(), aips.size());
}

}  // namespace
}  // namespace cst::testkit
