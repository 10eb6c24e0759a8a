// The background jobs as operators see them: GET /api/v1/jobs lists the core's recurring jobs to
// the CST staff only, and "run now" (cst_admin only, audited) makes a job run at once.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

class JobsApi : public DemoServerSuite<JobsApi> {
 protected:
  static std::map<std::string, Json> jobsByName(HttpClient& c) {
    auto r = c.get("/api/v1/jobs");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, Json> out;
    const Json items = r.json()["items"];
    for (const auto& j : items) out[j["name"]] = j;
    return out;
  }
};

TEST_F(JobsApi, TheCoreJobsAreListedForTheCstStaff) {
  HttpClient admin = as("admin");
  auto jobs = jobsByName(admin);
  ASSERT_TRUE(jobs.count("core.sessions.purge")) << Json(jobs).dump();
  ASSERT_TRUE(jobs.count("core.audit.verify")) << Json(jobs).dump();
  EXPECT_EQ(jobs["core.sessions.purge"]["schedule"], "@hourly");
  EXPECT_EQ(jobs["core.audit.verify"]["schedule"], "@daily 02:30");
  EXPECT_EQ(jobs["core.audit.verify"]["kind"], "audit.verify");
  for (const auto& [name, j] : jobs) {
    EXPECT_TRUE(j["state"] == "scheduled" || j["state"] == "running" || j["state"] == "retrying")
        << j.dump();
    EXPECT_TRUE(j["next_run_at"].is_string()) << j.dump();
  }

  HttpClient agent = as("operatore");
  EXPECT_EQ(agent.get("/api/v1/jobs").status, 200);
  HttpClient auditor = as("revisore");
  EXPECT_EQ(auditor.get("/api/v1/jobs").status, 200);
}

TEST_F(JobsApi, OtherRolesAreRefused) {
  for (const char* user : {"impiegato.cremona", "ref.cremona", "cittadino.bianchi", "comitato"}) {
    HttpClient c = as(user);
    auto r = c.get("/api/v1/jobs");
    EXPECT_EQ(r.status, 403) << user << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
  }
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get("/api/v1/jobs").status, 401);
}

TEST_F(JobsApi, RunNowRunsTheJobAndIsAudited) {
  HttpClient admin = as("admin");
  const Json job = jobsByName(admin)["core.audit.verify"];
  const std::string id = std::to_string(job["id"].get<std::int64_t>());

  HttpClient agent = as("operatore");
  EXPECT_EQ(agent.post("/api/v1/jobs/" + id + "/run", Json::object()).status, 403);
  HttpClient clerk = as("impiegato.cremona");
  EXPECT_EQ(clerk.post("/api/v1/jobs/" + id + "/run", Json::object()).status, 403);

  auto r = admin.post("/api/v1/jobs/" + id + "/run", Json::object());
  ASSERT_EQ(r.status, 202) << r.body;

  // The scheduler polls every second; the nightly verification runs now and succeeds.
  Json after;
  for (int i = 0; i < 100; ++i) {
    after = jobsByName(admin)["core.audit.verify"];
    if (after["last_run_at"].is_string() && after["state"] == "scheduled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(after["last_run_at"].is_string()) << after.dump();
  EXPECT_EQ(after["state"], "scheduled") << after.dump();
  EXPECT_TRUE(after["last_error"].is_null()) << after.dump();
  EXPECT_EQ(after["attempts"], 0);
  EXPECT_GT(after["next_run_at"].get<std::string>(), after["last_run_at"].get<std::string>())
      << "a recurring job is scheduled again after its run";

  const Json audit = admin.get("/api/v1/audit?action=job.run_now").json()["items"];
  ASSERT_EQ(audit.size(), 1u) << audit.dump();
  EXPECT_EQ(audit[0]["object_id"], id);
  EXPECT_EQ(audit[0]["actor"], "admin");

  EXPECT_EQ(admin.post("/api/v1/jobs/987654321/run", Json::object()).status, 404);
  auto bad = admin.post("/api/v1/jobs/abc/run", Json::object());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["errors"][0]["field"], "id");
}

}  // namespace
}  // namespace cst::testkit
