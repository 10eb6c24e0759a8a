// Fixity audits end to end on the real `cst serve`: bytes flipped or files deleted in the copies
// on disk are found, repaired from the good copy, or alarmed (a service desk ticket) when no good
// copy is left; the reports and an ente's standing through the API; isolation between enti.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "sample_sips.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

const std::string kAudits = "/api/v1/preservation/audits";

class Fixity : public DemoServerSuite<Fixity> {
 protected:
  fs::path objectIn(int copy, const std::string& sha) const {
    return objectInCopy(*server_, copy, sha);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void write(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
  }
  static std::string flipped(std::string s) {
    s[s.size() / 2] = static_cast<char>(s[s.size() / 2] ^ 0x20);
    return s;
  }
  // The SHA-256 of the AIP's primary document.
  static std::string primaryOf(HttpClient& c, const std::string& aip) {
    return c.get("/api/v1/preservation/aips/" + aip).json()["files"][0]["sha256"];
  }
  static Json audit(HttpClient& c, const Json& body, int expected = 201) {
    auto r = c.post(kAudits, body);
    EXPECT_EQ(r.status, expected) << r.body;
    return r.json();
  }
};

TEST_F(Fixity, AnIntactPackageIsVerifiedInEveryCopy) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string aip = offerRegisterAip(clerk, "019036");
  HttpClient ref = as("ref.cremona");
  const Json r = audit(ref, {{"aip", aip}});
  // Six package files, the two certificates and the receipt, each in two copies.
  EXPECT_EQ(r["objects"], 9);
  EXPECT_EQ(r["copies_checked"], 18);
  EXPECT_EQ(r["intact"], 9);
  EXPECT_EQ(r["repaired"], 0);
  EXPECT_EQ(r["lost"], 0);
  EXPECT_TRUE(r["findings"].empty());
  EXPECT_EQ(r["kind"], "on_demand");
  EXPECT_EQ(r["scope"]["ente"], "019036");
  EXPECT_EQ(r["requested_by"], "ref.cremona");
  EXPECT_GT(r["bytes"].get<std::int64_t>(), 1000);

  auto got = ref.get(kAudits + "/" + r["id"].get<std::string>());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["objects"], 9);
}

TEST_F(Fixity, ADamagedOrMissingCopyIsRepairedFromTheGoodOne) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string aip = offerRegisterAip(clerk, "019036");
  const std::string sha = primaryOf(clerk, aip);
  const std::string good = read(objectIn(1, sha));
  ASSERT_FALSE(good.empty());
  write(objectIn(1, sha), flipped(good));  // a flipped bit in copy 1
  const Json aip_json = clerk.get("/api/v1/preservation/aips/" + aip).json();
  const std::string index_sha = aip_json["files"][3]["sha256"];
  fs::remove(objectIn(2, index_sha));  // the index gone from copy 2

  HttpClient ref = as("ref.cremona");
  const Json r = audit(ref, {{"aip", aip}});
  EXPECT_EQ(r["repaired"], 2) << r.dump(2);
  EXPECT_EQ(r["lost"], 0);
  ASSERT_EQ(r["findings"].size(), 2u) << r.dump(2);
  for (const Json& f : r["findings"]) {
    EXPECT_EQ(f["ente"], "019036");
    EXPECT_EQ(f["outcome"], "repaired");
    EXPECT_TRUE(f["ticket_id"].is_null());
    if (f["sha256"] == sha) {
      EXPECT_EQ(f["copy"], 1);
      EXPECT_EQ(f["problem"], "damaged");
    } else {
      EXPECT_EQ(f["sha256"], index_sha);
      EXPECT_EQ(f["copy"], 2);
      EXPECT_EQ(f["problem"], "missing");
    }
  }
  // Both copies hold the right bytes again, and the next audit finds nothing.
  EXPECT_EQ(read(objectIn(1, sha)), good);
  EXPECT_EQ(read(objectIn(2, index_sha)), read(objectIn(1, index_sha)));
  EXPECT_EQ(audit(ref, {{"aip", aip}})["intact"], 9);
  // The DIP, read from either copy, still verifies as the package.
  EXPECT_EQ(clerk.get("/api/v1/preservation/aips/" + aip + "/dip").status, 200);
}

TEST_F(Fixity, AnObjectWithNoGoodCopyRaisesATicketClosedWhenItIsRestored) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string aip = offerRegisterAip(clerk, "019036");
  const std::string sha = primaryOf(clerk, aip);
  const std::string good = read(objectIn(1, sha));
  write(objectIn(1, sha), flipped(good));
  write(objectIn(2, sha), flipped(flipped(good) + "x"));

  HttpClient ref = as("ref.cremona");
  const Json r = audit(ref, {{"ente", "019036"}});
  EXPECT_EQ(r["lost"], 1) << r.dump(2);
  EXPECT_EQ(r["repaired"], 0);
  ASSERT_EQ(r["findings"].size(), 2u);
  const Json f = r["findings"][0];
  EXPECT_EQ(f["outcome"], "lost");
  EXPECT_EQ(f["problem"], "damaged");
  ASSERT_TRUE(f["ticket_id"].is_number()) << r.dump(2);
  const std::string ticket = std::to_string(f["ticket_id"].get<std::int64_t>());
  // Nothing was "repaired" from a damaged copy.
  EXPECT_EQ(read(objectIn(1, sha)), flipped(good));

  HttpClient admin = as("admin");
  auto t = admin.get("/api/v1/helpdesk/tickets/" + ticket);
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json()["ente"], "019036");
  EXPECT_GE(t.json()["priority"].get<int>(), 4) << "a lost object is urgent";
  EXPECT_NE(t.json().dump().find(sha), std::string::npos);
  EXPECT_NE(t.json().dump().find(aip), std::string::npos) << "the ticket names the package";
  // A second audit does not open a second ticket.
  const Json again = audit(ref, {{"aip", aip}});
  EXPECT_EQ(again["findings"][0]["ticket_id"], f["ticket_id"]);

  auto status = ref.get(kAudits + "/status?ente=019036");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.json()["lost"], 1);

  // An operator restores the object from a backup: the next audit closes the alarm.
  write(objectIn(2, sha), good);
  const Json restored = audit(ref, {{"aip", aip}});
  EXPECT_EQ(restored["lost"], 0);
  EXPECT_EQ(restored["repaired"], 1);
  EXPECT_EQ(read(objectIn(1, sha)), good);
  EXPECT_EQ(ref.get(kAudits + "/status?ente=019036").json()["lost"], 0);
  const Json closed = admin.get("/api/v1/helpdesk/tickets/" + ticket).json();
  EXPECT_EQ(closed["state"], "solved") << closed.dump(2).substr(0, 1500);
}

TEST_F(Fixity, TheScheduledAuditVerifiesWhatIsDueAndReportsIt) {
  HttpClient clerk = as("impiegato.cremona");
  offerRegisterAip(clerk, "019036");
  HttpClient admin = as("admin");
  const Json jobs = admin.get("/api/v1/jobs").json();
  std::string id;
  for (const Json& j : jobs["items"])
    if (j["kind"] == "preservation.fixity") id = std::to_string(j["id"].get<std::int64_t>());
  ASSERT_FALSE(id.empty()) << jobs.dump(2).substr(0, 2000);
  const std::string before = admin.get(kAudits + "?ente=019036&limit=1").body;
  ASSERT_EQ(admin.post("/api/v1/jobs/" + id + "/run", Json::object()).status / 100, 2);
  // The job runs in the background: wait for its report.
  Json latest;
  for (int i = 0; i < 100; ++i) {
    latest = admin.get(kAudits + "?ente=019036&limit=1").json();
    if (!latest["items"].empty() && latest["items"][0]["kind"] == "scheduled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(latest["items"].empty()) << before;
  const Json r = latest["items"][0];
  EXPECT_EQ(r["kind"], "scheduled");
  EXPECT_EQ(r["requested_by"], "system");
  EXPECT_TRUE(r["scope"]["ente"].is_null());
  // At least the new package's own files and receipt (certificates may have been verified by an
  // earlier test's audit).
  EXPECT_GE(r["objects"].get<int>(), 7);
  const Json status = clerk.get(kAudits + "/status?ente=019036").json();
  EXPECT_EQ(status["never_verified"], 0) << status.dump(2);
  EXPECT_EQ(status["verified_in_cycle"], status["objects"]);
  EXPECT_EQ(status["cycle_days"], 90);
  EXPECT_FALSE(status["last_run_at"].is_null());
}

TEST_F(Fixity, EntiAuditAndSeeOnlyTheirOwn) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string aip = offerRegisterAip(clerk, "019036");
  HttpClient crema = as("ref.crema");
  // Another ente's package or ente: 404; the whole archive: the CST's only.
  EXPECT_EQ(crema.post(kAudits, {{"aip", aip}}).status, 404);
  EXPECT_EQ(crema.post(kAudits, {{"ente", "019036"}}).status, 404);
  auto whole = crema.post(kAudits, Json::object());
  EXPECT_EQ(whole.status, 400);
  EXPECT_NE(whole.body.find("\"ente\""), std::string::npos) << whole.body;
  EXPECT_EQ(crema.get(kAudits + "?ente=019036").status, 404);
  EXPECT_EQ(crema.get(kAudits + "/status?ente=019036").status, 404);
  HttpClient ref = as("ref.cremona");
  const Json cremona_run = audit(ref, {{"aip", aip}});
  EXPECT_EQ(crema.get(kAudits + "/" + cremona_run["id"].get<std::string>()).status, 404);
  // A clerk reads but does not run audits.
  EXPECT_EQ(clerk.post(kAudits, {{"aip", aip}}).status, 403);
  // Bad input names the field.
  HttpClient admin = as("admin");
  auto bad = admin.post(kAudits, {{"ente", 19036}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"ente\""), std::string::npos) << bad.body;
  EXPECT_EQ(admin.post(kAudits, {{"aip", "nessuno"}}).status, 404);

  // The CST audits the whole archive, Crema's findings never in Cremona's view.
  const Json all = audit(admin, Json::object());
  EXPECT_GE(all["objects"].get<int>(), 9);
  EXPECT_TRUE(all["scope"]["ente"].is_null());
}

}  // namespace
}  // namespace cst::testkit
