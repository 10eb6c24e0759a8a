// The TOTP second factor (RFC 6238): enrolment through the API, login that then needs the code
// (each time step accepted once: enrolment uses the current one, so the next login uses the next
// step's code, which the one-step drift window accepts), and the gate that keeps staff without a
// second factor out of everything but /api/v1/auth/ on a production server (the demo relaxes it).
#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>

#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

using std::chrono::seconds;
using SysTime = std::chrono::system_clock::time_point;

std::string codeAt(const std::string& secret, SysTime at) {
  auto code = auth::totpCode(secret, at);
  EXPECT_TRUE(code) << code.error().detail;
  return code.value_or("");
}

// A six-digit code that is valid in no step the server could accept right now (it allows one
// step of drift either side; two steps of margin cover a step change during the test).
std::string wrongCode(const std::string& secret) {
  const SysTime now = std::chrono::system_clock::now();
  std::set<std::string> valid;
  for (int step = -2; step <= 2; ++step) valid.insert(codeAt(secret, now + seconds(30 * step)));
  for (int n = 123456;; n = (n + 111111) % 1000000) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06d", n);
    if (!valid.count(buf)) return buf;
  }
}

// A code for a step after every step used so far: enrolment and logins consume the current step,
// and the server accepts the next one as clock drift.
std::string nextStepCode(const std::string& secret) {
  return codeAt(secret, std::chrono::system_clock::now() + seconds(30));
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Enrolment {
  std::string secret;
  std::string code;  // the code that confirmed it: its time step is used up
};

// Enrols the logged-in client.
Enrolment enrol(HttpClient& c) {
  auto setup = c.post("/api/v1/auth/totp/setup", Json::object());
  EXPECT_EQ(setup.status, 200) << setup.body;
  const std::string secret = setup.json().value("secret", "");
  EXPECT_GE(secret.size(), 16u) << setup.body;
  EXPECT_EQ(setup.json().value("uri", "").rfind("otpauth://totp/", 0), 0u) << setup.body;
  auto wrong =
      c.post("/api/v1/auth/totp/confirm", {{"secret", secret}, {"code", wrongCode(secret)}});
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.json()["errors"][0]["field"], "code");
  EXPECT_EQ(c.get("/api/v1/auth/me").json()["totp_enabled"], false)
      << "a wrong confirmation code enables nothing";
  const std::string code = codeAt(secret, std::chrono::system_clock::now());
  auto ok = c.post("/api/v1/auth/totp/confirm", {{"secret", secret}, {"code", code}});
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(c.get("/api/v1/auth/me").json()["totp_enabled"], true);
  return {secret, code};
}

TEST(Totp, OnceEnrolledTheLoginNeedsTheCode) {
  ServerProcess server;
  server.start();
  HttpClient first(server.port());
  ASSERT_EQ(first.login("operatore", kDemoPassword).status, 200);
  const auto [secret, confirm_code] = enrol(first);

  HttpClient c(server.port());
  auto missing = c.login("operatore", kDemoPassword);
  EXPECT_EQ(missing.status, 401) << missing.body;
  EXPECT_TRUE(endsWith(missing.json().value("type", ""), "/totp-required")) << missing.body;
  EXPECT_TRUE(missing.json().value("token", "").empty());

  auto wrong = c.login("operatore", kDemoPassword, wrongCode(secret));
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 401) << "no session from a wrong code";

  // The right code without the right password is no use either.
  const std::string now_code = codeAt(secret, std::chrono::system_clock::now());
  EXPECT_EQ(c.login("operatore", "password-sbagliata", now_code).status, 401);

  // The code that confirmed the enrolment is spent.
  auto spent = c.login("operatore", kDemoPassword, confirm_code);
  EXPECT_EQ(spent.status, 401) << spent.body;

  const std::string code = nextStepCode(secret);
  auto ok = c.login("operatore", kDemoPassword, code);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["user"]["totp_enabled"], true);
  EXPECT_EQ(c.get("/api/v1/auth/me").json()["username"], "operatore");

  // An observed code cannot be replayed, even with the right password.
  HttpClient replay(server.port());
  auto replayed = replay.login("operatore", kDemoPassword, code);
  EXPECT_EQ(replayed.status, 401) << replayed.body;
  EXPECT_EQ(replay.get("/api/v1/auth/me").status, 401);

  // The failed attempts are in the audit log as denied logins.
  auto audit = c.get("/api/v1/audit?action=auth.login&actor=operatore&limit=20");
  ASSERT_EQ(audit.status, 403) << "a cst_agent does not read the audit log";
  HttpClient admin(server.port());
  ASSERT_EQ(admin.login("admin", kDemoPassword).status, 200);
  const Json entries =
      admin.get("/api/v1/audit?action=auth.login&actor=operatore&limit=20").json()["items"];
  std::set<std::string> reasons;
  for (const auto& e : entries)
    if (e["outcome"] == "denied") reasons.insert(e["detail"].value("reason", ""));
  EXPECT_TRUE(reasons.count("totp missing")) << entries.dump();
  EXPECT_TRUE(reasons.count("bad totp")) << entries.dump();
}

TEST(Totp, StaffMustEnrolBeforeUsingAProductionServer) {
  ServerProcess server(ServerOptions{.demo = false});
  server.start();
  std::vector<std::string> args{"user",
                                "add",
                                "--username",
                                "primo.admin",
                                "--role",
                                "cst_admin",
                                "--display-name",
                                "Primo amministratore",
                                "--password-stdin"};
  for (const auto& a : server.cliArgs()) args.push_back(a);
  auto added = runCli(args, "una-password-robusta-2026\n", server.cliEnv());
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  EXPECT_NE(added.out.find("primo.admin"), std::string::npos) << added.out;

  HttpClient c(server.port());
  auto login = c.login("primo.admin", "una-password-robusta-2026");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["totp_enrollment_required"], true);

  auto gated = c.get("/api/v1/enti");
  EXPECT_EQ(gated.status, 403) << gated.body;
  EXPECT_TRUE(endsWith(gated.json().value("type", ""), "/totp-enrollment-required")) << gated.body;
  EXPECT_EQ(c.post("/api/v1/users", Json::object()).status, 403) << "writes are gated too";
  auto me = c.get("/api/v1/auth/me");
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["totp_enrollment_required"], true);

  const std::string secret = enrol(c).secret;
  EXPECT_EQ(c.get("/api/v1/auth/me").json()["totp_enrollment_required"], false);
  auto open = c.get("/api/v1/enti");
  EXPECT_EQ(open.status, 200) << open.body;

  // From now on the password alone is not enough.
  HttpClient next(server.port());
  EXPECT_EQ(next.login("primo.admin", "una-password-robusta-2026").status, 401);
  EXPECT_EQ(next.login("primo.admin", "una-password-robusta-2026", nextStepCode(secret)).status,
            200);
  EXPECT_EQ(next.get("/api/v1/enti").status, 200);
}

TEST(Totp, NonStaffRolesAreNotGated) {
  ServerProcess server(ServerOptions{.demo = false});
  server.start();
  // The registry of a fresh server is empty, so the non-staff user is a CST-wide one.
  std::vector<std::string> args{"user",   "add",       "--username",      "membro.comitato",
                                "--role", "committee", "--password-stdin"};
  for (const auto& a : server.cliArgs()) args.push_back(a);
  auto added = runCli(args, "una-password-robusta-2026\n", server.cliEnv());
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  HttpClient c(server.port());
  auto login = c.login("membro.comitato", "una-password-robusta-2026");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json()["totp_enrollment_required"], false);
  EXPECT_EQ(c.get("/api/v1/enti").status, 200);
}

}  // namespace
}  // namespace cst::testkit
