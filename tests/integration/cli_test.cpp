// The `cst` command line as an operator uses it: results alone on stdout (the calendar verbs print
// only ISO dates), errors on stderr naming the argument, exit code 2 for bad input, and nothing
// written when the input is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "platform/platform.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Cli, VersionAndHelp) {
  auto v = runCli({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "cst " + platformVersion() + "\n");

  const std::vector<std::vector<std::string>> verbs{{"serve"},
                                                    {"migrate"},
                                                    {"user", "add"},
                                                    {"audit", "verify"},
                                                    {"ente", "list"},
                                                    {"calendar", "holidays"},
                                                    {"calendar", "deadline"},
                                                    {"calendar", "add-hours"}};
  for (auto verb : verbs) {
    std::string name;
    for (const auto& w : verb) name += w + " ";
    verb.push_back("--help");
    auto h = runCli(verb);
    EXPECT_EQ(h.exit_code, 0) << name << h.err;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << name << h.out;
  }
  auto unknown = runCli({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2) << "a usage error exits 2";
  auto missing = runCli({"calendar", "deadline", "--from", "2026-02-04"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--days"), std::string::npos) << missing.err;
}

TEST(Cli, LegalDeadlinePrintsOnlyTheDate) {
  auto r = runCli({"calendar", "deadline", "--from", "2026-02-04", "--days", "60"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-04-07\n") << "60 days from 4 Feb 2026 end on Easter Monday (6 Apr)";
  // A term ending on a Sunday moves to Monday: 1 Mar 2026 is a Sunday.
  auto sunday = runCli({"calendar", "deadline", "--from", "2026-02-01", "--days", "28"});
  EXPECT_EQ(sunday.out, "2026-03-02\n");
}

TEST(Cli, AddHoursStaysInsideOpeningHours) {
  // Friday 27 Nov 2026, 16:30: one hour left that day (to 17:30), then Monday 08:30 + 1 h.
  auto r = runCli({"calendar", "add-hours", "--from", "2026-11-27T16:30", "--hours", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-11-30T09:30:00+01:00\n");
  static const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}\n)");
  EXPECT_TRUE(std::regex_match(r.out, kRfc3339)) << r.out;
  // Summer time carries +02:00; the lunch break is skipped.
  auto summer = runCli({"calendar", "add-hours", "--from", "2026-07-01T12:30", "--hours", "1"});
  EXPECT_EQ(summer.out, "2026-07-01T14:30:00+02:00\n") << summer.err;
}

TEST(Cli, BadArgumentsExit2NamingTheArgument) {
  auto date = runCli({"calendar", "deadline", "--from", "2026-02-30", "--days", "10"});
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_TRUE(date.out.empty()) << date.out;
  EXPECT_NE(date.err.find("from"), std::string::npos) << date.err;

  auto garbage = runCli({"calendar", "deadline", "--from", "4 febbraio", "--days", "10"});
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_NE(garbage.err.find("from"), std::string::npos) << garbage.err;

  auto when = runCli({"calendar", "add-hours", "--from", "2026-11-27T25:00", "--hours", "1"});
  EXPECT_EQ(when.exit_code, 2);
  EXPECT_TRUE(when.out.empty());
  EXPECT_NE(when.err.find("from"), std::string::npos) << when.err;

  auto hours = runCli({"calendar", "add-hours", "--from", "2026-11-27T10:00", "--hours", "tre"});
  EXPECT_EQ(hours.exit_code, 2);
  EXPECT_NE(hours.err.find("hours"), std::string::npos) << hours.err;

  auto opening = runCli({"calendar", "add-hours", "--from", "2026-11-27T10:00", "--hours", "1",
                         "--opening-hours", "lun-ven 9-13"});
  EXPECT_EQ(opening.exit_code, 2);
  EXPECT_NE(opening.err.find("opening-hours"), std::string::npos) << opening.err;

  auto days = runCli({"calendar", "deadline", "--from", "2026-02-04", "--days", "-3"});
  EXPECT_EQ(days.exit_code, 2);
  EXPECT_NE(days.err.find("days"), std::string::npos) << days.err;
}

TEST(Cli, UserAddWithABadRoleCreatesNothing) {
  // Without CST_DATABASE_URL the verb would create a SQLite database in `dir`: it must not exist
  // afterwards.
  const fs::path dir = fs::temp_directory_path() / ("cst-cli-empty-" + randomToken(6));
  auto r = runCli({"user", "add", "--username", "nuovo.utente", "--role", "imperatore", "--ente",
                   "019036", "--password-stdin", "--data", dir.string()},
                  "una-password-lunga\n");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("imperatore"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("role"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(fs::exists(dir)) << "refused before touching the data dir";

  auto short_password = runCli({"user", "add", "--username", "nuovo.utente", "--role", "cst_admin",
                                "--password-stdin", "--data", dir.string()},
                               "corta\n");
  EXPECT_EQ(short_password.exit_code, 2);
  EXPECT_NE(short_password.err.find("password"), std::string::npos) << short_password.err;
  EXPECT_FALSE(fs::exists(dir));
  std::error_code ec;
  fs::remove_all(dir, ec);
}

class CliOnADemoServer : public DemoServerSuite<CliOnADemoServer> {
 protected:
  static CommandResult cli(std::vector<std::string> args, const std::string& in = "") {
    for (const auto& a : server_->cliArgs()) args.push_back(a);
    return runCli(args, in, server_->cliEnv());
  }
  static std::set<std::string> usernames() {
    HttpClient admin(server_->port());
    EXPECT_EQ(admin.login("admin", kDemoPassword).status, 200);
    std::set<std::string> out;
    const Json items = admin.get("/api/v1/users?limit=200").json()["items"];
    for (const auto& u : items) out.insert(u["username"]);
    return out;
  }
};

TEST_F(CliOnADemoServer, HolidaysIncludeTheEntesPatronSaint) {
  auto cremona = cli({"calendar", "holidays", "--year", "2026", "--ente", "019036"});
  ASSERT_EQ(cremona.exit_code, 0) << cremona.err;
  const auto c = lines(cremona.out);
  EXPECT_TRUE(contains(c, "2026-11-13")) << "Sant'Omobono:\n" << cremona.out;
  EXPECT_FALSE(contains(c, "2026-06-10"));
  EXPECT_TRUE(contains(c, "2026-10-04")) << "San Francesco, national holiday again from 2026";
  EXPECT_TRUE(contains(c, "2026-04-06")) << "Easter Monday";
  for (const auto& line : c)
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(2026-\d{2}-\d{2})")))
        << "not a date: " << line;

  auto crema = cli({"calendar", "holidays", "--year", "2026", "--ente", "019035"});
  ASSERT_EQ(crema.exit_code, 0) << crema.err;
  const auto k = lines(crema.out);
  EXPECT_TRUE(contains(k, "2026-06-10")) << "San Pantaleone:\n" << crema.out;
  EXPECT_FALSE(contains(k, "2026-11-13"));
  EXPECT_EQ(k.size(), c.size());

  auto national = runCli({"calendar", "holidays", "--year", "2026"});
  EXPECT_EQ(lines(national.out).size() + 1, c.size()) << national.out;

  auto unknown = cli({"calendar", "holidays", "--year", "2026", "--ente", "999999"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_TRUE(unknown.out.empty());

  // The patron saint also moves a deadline: 60 days from 14 Sep 2026 end on 13 Nov.
  auto deadline =
      cli({"calendar", "deadline", "--from", "2026-09-14", "--days", "60", "--ente", "019036"});
  EXPECT_EQ(deadline.out, "2026-11-14\n") << deadline.err;
  auto elsewhere =
      cli({"calendar", "deadline", "--from", "2026-09-14", "--days", "60", "--ente", "019035"});
  EXPECT_EQ(elsewhere.out, "2026-11-13\n") << elsewhere.err;
}

TEST_F(CliOnADemoServer, UserAddWithABadRoleLeavesTheDatabaseUnchanged) {
  const auto before = usernames();
  auto r = cli({"user", "add", "--username", "ruolo.sbagliato", "--role", "superuser", "--ente",
                "019036", "--password-stdin"},
               "una-password-lunga\n");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("superuser"), std::string::npos) << r.err;
  EXPECT_EQ(usernames(), before);

  // A CST-wide role with an ente, and an ente role without one, are refused too.
  auto wide = cli({"user", "add", "--username", "ruolo.sbagliato", "--role", "cst_admin", "--ente",
                   "019036", "--password-stdin"},
                  "una-password-lunga\n");
  EXPECT_EQ(wide.exit_code, 2) << wide.err;
  auto local = cli({"user", "add", "--username", "ruolo.sbagliato", "--role", "ente_operator",
                    "--password-stdin"},
                   "una-password-lunga\n");
  EXPECT_EQ(local.exit_code, 2) << local.err;
  EXPECT_NE(local.err.find("ente"), std::string::npos) << local.err;
  EXPECT_EQ(usernames(), before);

  // While the server runs, a good one is created and can log in at once.
  auto ok = cli({"user", "add", "--username", "da.cli", "--role", "ente_operator", "--ente",
                 "019036", "--password-stdin"},
                "una-password-lunga\n");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  HttpClient c(server_->port());
  EXPECT_EQ(c.login("da.cli", "una-password-lunga").status, 200);
  auto dup = cli({"user", "add", "--username", "da.cli", "--role", "ente_operator", "--ente",
                  "019036", "--password-stdin"},
                 "un-altra-password-lunga\n");
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.err.find("username"), std::string::npos) << dup.err;
  HttpClient again(server_->port());
  EXPECT_EQ(again.login("da.cli", "una-password-lunga").status, 200) << "first password kept";

  // The CLI's writes are audited as "cli".
  HttpClient admin(server_->port());
  ASSERT_EQ(admin.login("admin", kDemoPassword).status, 200);
  const Json entries = admin.get("/api/v1/audit?action=user.create&actor=cli").json()["items"];
  ASSERT_EQ(entries.size(), 1u) << entries.dump();
  EXPECT_EQ(entries[0]["detail"]["username"], "da.cli");
}

TEST_F(CliOnADemoServer, EnteListAndMigrateWhileTheServerRuns) {
  auto list = cli({"ente", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  bool cremona = false;
  for (const auto& line : lines(list.out))
    cremona = cremona || line.rfind("019036\tCremona\t", 0) == 0;
  EXPECT_TRUE(cremona) << list.out;
  auto migrate = cli({"migrate"});
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
}

}  // namespace
}  // namespace cst::testkit
