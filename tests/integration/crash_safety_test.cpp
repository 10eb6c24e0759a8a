// Crash safety: what the API acknowledged survives SIGKILL of `cst serve`. The server is killed
// right after the acknowledgements, restarted on the same data dir (and database), and every
// acknowledged write is found again, with an intact audit chain.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

TEST(CrashSafety, AcknowledgedWritesSurviveKill9) {
  ServerProcess server;
  server.start();
  HttpClient admin = loggedIn(server, "admin");
  HttpClient clerk = loggedIn(server, "impiegato.cremona");

  std::vector<std::int64_t> users;
  for (int i = 0; i < 5; ++i) {
    auto r = admin.post("/api/v1/users",
                        {{"username", "sopravvissuto." + std::to_string(i)},
                         {"display_name", "Utente creato prima del crash"},
                         {"password", "password-di-prova-1"},
                         {"grants", {{{"role", "ente_operator"}, {"ente", "019036"}}}}});
    ASSERT_EQ(r.status, 201) << r.body;
    users.push_back(r.json()["id"]);
  }
  const std::string content = "Protocollo in entrata n. 1234/2026\n" + std::string(100000, 'p');
  auto up = clerk.request("POST", "/api/v1/uploads?ente=019036&filename=protocollo.txt", content,
                          "text/plain");
  ASSERT_EQ(up.status, 201) << up.body << "\n" << server.log();
  const std::string upload_id = up.json()["id"];
  auto patched = admin.patch("/api/v1/enti/019036", {{"population", 71234}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  const std::string admin_token = admin.login("admin", kDemoPassword).json()["token"];

  server.kill9();
  server.start();

  HttpClient after = loggedIn(server, "admin");
  for (std::int64_t id : users) {
    auto r = after.get("/api/v1/users/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << "user " << id << " was acknowledged and is gone";
  }
  HttpClient survivor(server.port());
  EXPECT_EQ(survivor.login("sopravvissuto.4", "password-di-prova-1").status, 200);
  EXPECT_EQ(after.get("/api/v1/enti/019036").json()["population"], 71234);

  HttpClient clerk_after = loggedIn(server, "impiegato.cremona");
  auto meta = clerk_after.get("/api/v1/uploads/" + upload_id);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(meta.json()["sha256"], sha256Hex(content));
  auto body = clerk_after.get("/api/v1/uploads/" + upload_id + "/content");
  EXPECT_EQ(body.status, 200);
  EXPECT_TRUE(body.body == content)
      << "content differs after the crash (" << body.body.size() << " bytes)";

  // Sessions are durable too: the token from before the crash still works.
  HttpClient bearer(server.port());
  bearer.useBearer(admin_token);
  EXPECT_EQ(bearer.get("/api/v1/auth/me").status, 200);

  // The audit chain is intact across the crash, both through the CLI and the API.
  auto verify =
      runCli({"audit", "verify", "--data", server.dataDir().string()}, "", server.cliEnv());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto api = after.get("/api/v1/audit/verify");
  EXPECT_EQ(api.json()["intact"], true) << api.body;

  // The restarted server keeps working and keeps the chain.
  auto more =
      after.post("/api/v1/users", {{"username", "dopo.il.crash"},
                                   {"display_name", "Utente creato dopo il crash"},
                                   {"password", "password-di-prova-1"},
                                   {"grants", {{{"role", "citizen"}, {"ente", "019036"}}}}});
  EXPECT_EQ(more.status, 201) << more.body;
  EXPECT_EQ(server.stop(), 0);
  auto final_verify =
      runCli({"audit", "verify", "--data", server.dataDir().string()}, "", server.cliEnv());
  EXPECT_EQ(final_verify.exit_code, 0) << final_verify.out << final_verify.err;
}

}  // namespace
}  // namespace cst::testkit
