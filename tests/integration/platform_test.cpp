// Integration tests of the core through its public interfaces: the real `cst serve` on a free
// port, HTTP, and the CLI. Run on SQLite, and on PostgreSQL when CST_TEST_POSTGRES_URL is set.
#include "platform/platform.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/crypto.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/sample_enti.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

class Platform : public DemoServerSuite<Platform> {};

TEST_F(Platform, HealthReadinessAndMetrics) {
  HttpClient c(server_->port());
  EXPECT_EQ(c.get("/healthz").status, 200);
  auto ready = c.get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["database"], "ok");
  c.get("/api/v1/enti");
  auto metrics = c.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(
                "cst_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\""),
            std::string::npos);
  EXPECT_NE(metrics.body.find("cst_db_pool_size"), std::string::npos);
  EXPECT_NE(metrics.body.find("cst_jobs_runs_total"), std::string::npos);
}

TEST_F(Platform, FailedRequestsAreLoggedWithTheirRequestId) {
  HttpClient c(server_->port());
  auto missing = c.get("/api/v1/enti/999999");
  ASSERT_EQ(missing.status, 401);
  const std::string failed_id = missing.header("x-request-id");
  auto ok = c.get("/healthz");
  const std::string ok_id = ok.header("x-request-id");
  ASSERT_FALSE(failed_id.empty());
  ASSERT_FALSE(ok_id.empty());
  ASSERT_NE(failed_id, ok_id);
  // The log is written by another process: give it a moment to reach the file.
  std::string log;
  for (int i = 0; i < 50 && log.find(failed_id) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = server_->log();
  }
  EXPECT_NE(log.find(failed_id + " GET /api/v1/enti/999999 401"), std::string::npos) << log;
  EXPECT_EQ(log.find(ok_id), std::string::npos) << "successful requests are logged at debug";
}

TEST_F(Platform, OpenApiListsEveryRegisteredRoute) {
  // The route table of a platform built in-process, exactly as `cst serve` builds it.
  Config config;
  config.data_dir = std::filesystem::temp_directory_path() / "cst-openapi-routes";
  config.database_url = freshDatabaseUrl();
  auto p = cst::Platform::open(config, {});
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_TRUE((*p)->install());
  HttpClient c(server_->port());
  auto doc = c.get("/api/v1/openapi.json").json();
  ASSERT_TRUE(doc.contains("paths"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  int checked = 0;
  for (const auto& route : (*p)->router.routes()) {
    std::string method(http::methodName(route.method));
    for (char& ch : method) ch = static_cast<char>(std::tolower(ch));
    EXPECT_TRUE(doc["paths"].contains(route.pattern) &&
                doc["paths"][route.pattern].contains(method))
        << "missing from OpenAPI: " << method << " " << route.pattern;
    ++checked;
  }
  EXPECT_GT(checked, 20);
  std::filesystem::remove_all(config.data_dir);
}

TEST_F(Platform, EnteNamesFollowAnUpdateAtOnceAndUnknownCodesNameThemselves) {
  // Registry::name caches names for messages; an update through this instance must show at once.
  Config config;
  config.data_dir = std::filesystem::temp_directory_path() / ("cst-ente-names-" + randomToken(6));
  config.database_url = freshDatabaseUrl();
  auto p = cst::Platform::open(config, {});
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_TRUE((*p)->install());
  auto& enti = *(*p)->enti;
  ASSERT_TRUE(enti.ensure(testkit::provinciaDiCremona()));
  EXPECT_EQ(enti.name("019"), "Provincia di Cremona");
  audit::Entry who;
  who.actor = "test";
  ASSERT_TRUE(enti.update("019", {{"name", "Provincia di Cremona (CST)"}}, who));
  EXPECT_EQ(enti.name("019"), "Provincia di Cremona (CST)") << "not the cached old name";
  EXPECT_EQ(enti.name("999999"), "999999");
  std::filesystem::remove_all(config.data_dir);
}

TEST_F(Platform, LoginLogoutAndSessionRules) {
  HttpClient anon(server_->port());
  auto denied = anon.get("/api/v1/enti");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.header("content-type"), "application/problem+json");

  auto bad = anon.login("admin", "wrong-password");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json()["status"], 401);

  HttpClient admin(server_->port());
  auto ok = admin.login("admin", kDemoPassword);
  ASSERT_EQ(ok.status, 200);
  EXPECT_NE(ok.header("set-cookie").find("HttpOnly"), std::string::npos);
  EXPECT_NE(ok.header("set-cookie").find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(ok.json()["user"]["grants"][0]["role"], "cst_admin");
  EXPECT_EQ(admin.get("/api/v1/auth/me").json()["username"], "admin");

  // The token of the login answer works as a bearer token on every endpoint.
  HttpClient bearer(server_->port());
  bearer.useBearer(ok.json()["token"]);
  EXPECT_EQ(bearer.get("/api/v1/enti/019036").status, 200);

  // Cookie-authenticated writes need the CSRF header.
  admin.setCsrf(false);
  auto no_csrf = admin.post("/api/v1/auth/logout", Json::object());
  EXPECT_EQ(no_csrf.status, 403);
  admin.setCsrf(true);
  EXPECT_EQ(admin.post("/api/v1/auth/logout", Json::object()).status, 204);
  EXPECT_EQ(bearer.get("/api/v1/enti/019036").status, 401) << "logout ends the session everywhere";
}

TEST_F(Platform, RepeatedFailuresLockTheAccount) {
  HttpClient c(server_->port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.login("revisore", "not-the-password").status, 401);
  auto locked = c.login("revisore", kDemoPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_NE(locked.json()["detail"].get<std::string>().find("bloccato"), std::string::npos);
}

TEST_F(Platform, EntiRegistryHasTheDemoProvince) {
  HttpClient c = as("impiegato.cremona");
  auto list = c.get("/api/v1/enti?limit=200");
  ASSERT_EQ(list.status, 200);
  std::set<std::string> codes;
  const Json items = list.json()["items"];
  for (const auto& e : items) codes.insert(e["istat"]);
  EXPECT_TRUE(codes.count("019")) << "Provincia di Cremona";
  EXPECT_TRUE(codes.count("019036"));
  EXPECT_TRUE(codes.count("019035"));
  EXPECT_GE(codes.size(), 11u);
  auto cremona = c.get("/api/v1/enti/019036").json();
  EXPECT_EQ(cremona["name"], "Cremona");
  EXPECT_EQ(cremona["kind"], "comune");
  EXPECT_EQ(cremona["parent"], "019");
  EXPECT_EQ(cremona["patron"]["month"], 11);
  EXPECT_EQ(cremona["patron"]["day"], 13);
  EXPECT_GT(cremona["population"].get<int>(), 60000);

  auto page = c.get("/api/v1/enti?limit=5").json();
  ASSERT_EQ(page["items"].size(), 5u);
  auto next = c.get("/api/v1/enti?limit=5&cursor=" + page["next_cursor"].get<std::string>()).json();
  EXPECT_GT(next["items"][0]["istat"].get<std::string>(),
            page["items"][4]["istat"].get<std::string>());

  EXPECT_EQ(c.get("/api/v1/enti/999999").status, 404);
  auto bad = c.get("/api/v1/enti/12ab");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["errors"][0]["field"], "istat");
  EXPECT_EQ(c.get("/api/v1/enti/01903").status, 400) << "3 or 6 digits, nothing between";
  EXPECT_EQ(c.get("/api/v1/enti/019").json()["name"], "Provincia di Cremona");
  EXPECT_EQ(c.get("/api/v1/enti?limit=0").json()["errors"][0]["field"], "limit");
}

TEST_F(Platform, OnlyTheCstAdminRegistersEnti) {
  Json comune{{"istat", "019062"},
              {"name", "Offanengo"},
              {"kind", "comune"},
              {"parent", "019"},
              {"codice_fiscale", "00299140194"},
              {"population", 5874}};
  HttpClient ref = as("ref.cremona");
  EXPECT_EQ(ref.post("/api/v1/enti", comune).status, 403);

  HttpClient admin = as("admin");
  Json invalid{
      {"istat", "19"}, {"kind", "comune"}, {"codice_fiscale", "00299140195"}, {"population", -1}};
  auto r = admin.post("/api/v1/enti", invalid);
  ASSERT_EQ(r.status, 400);
  std::set<std::string> fields;
  const Json errors = r.json()["errors"];
  for (const auto& e : errors) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"istat", "name", "codice_fiscale", "population"}));
}

TEST_F(Platform, ATakenIstatCodeIsAConflictAndAMissingProvinciaIsBadInput) {
  HttpClient admin = as("admin");
  const Json before = admin.get("/api/v1/enti/019036").json();
  Json dup{{"istat", "019036"}, {"name", "Doppione"}, {"kind", "comune"},
           {"parent", "019"},   {"population", 1},    {"codice_fiscale", "00297960197"}};
  auto r = admin.post("/api/v1/enti", dup);
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.json()["errors"][0]["field"], "istat");
  EXPECT_EQ(admin.get("/api/v1/enti/019036").json(), before) << "the existing ente was not touched";

  Json orphan{{"istat", "098001"}, {"name", "Senza provincia"}, {"kind", "comune"},
              {"parent", "098"},   {"population", 1},           {"codice_fiscale", "00297960197"}};
  auto o = admin.post("/api/v1/enti", orphan);
  ASSERT_EQ(o.status, 400) << o.body;
  EXPECT_EQ(o.json()["errors"][0]["field"], "parent");
  EXPECT_EQ(admin.get("/api/v1/enti/098001").status, 404);
}

TEST_F(Platform, MalformedInputIsRefusedAndNamed) {
  HttpClient admin = as("admin");
  auto count_users = [&] { return admin.get("/api/v1/users?limit=200").json()["items"].size(); };
  const auto before = count_users();
  auto malformed = admin.request("POST", "/api/v1/users", "{\"username\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json()["errors"][0]["field"], "body");
  auto wrong_type =
      admin.post("/api/v1/users", {{"username", 42},
                                   {"display_name", "X"},
                                   {"password", "abcdefghijkl"},
                                   {"grants", {{{"role", "citizen"}, {"ente", "019036"}}}}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.json()["errors"][0]["field"], "username");
  auto bad_role =
      admin.post("/api/v1/users", {{"username", "x.y"},
                                   {"display_name", "X"},
                                   {"password", "abcdefghijkl"},
                                   {"grants", {{{"role", "emperor"}, {"ente", "019036"}}}}});
  EXPECT_EQ(bad_role.json()["errors"][0]["field"], "grants[0].role");
  std::string huge(2 * 1024 * 1024, 'x');
  auto too_big = admin.request("POST", "/api/v1/users", "{\"username\":\"" + huge + "\"}");
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(admin.get("/api/v1/users/abc").json()["errors"][0]["field"], "id");
  EXPECT_EQ(count_users(), before) << "a rejected request changes nothing";
}

}  // namespace
}  // namespace cst::testkit
