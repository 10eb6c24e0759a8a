// The audit log through its public interfaces: GET /api/v1/audit (scoped by ente like every other
// list) and `cst audit verify`, which must exit 0 on an intact chain and 3, naming the first bad
// entry, when a row was altered, removed or reordered behind the platform's back.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "common/crypto.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

Json newOperator(const std::string& username, const std::string& ente) {
  return {{"username", username},
          {"display_name", "Operatore di prova"},
          {"password", "password-di-prova-1"},
          {"grants", {{{"role", "ente_operator"}, {"ente", ente}}}}};
}

CommandResult auditVerify(const ServerProcess& server, const fs::path& data_dir) {
  return runCli({"audit", "verify", "--data", data_dir.string()}, "", server.cliEnv());
}

class AuditLog : public DemoServerSuite<AuditLog> {};

TEST_F(AuditLog, UserCreationIsListedForTheAdmin) {
  HttpClient admin = loggedIn(*server_, "admin");
  auto created = admin.post("/api/v1/users", newOperator("audit.nuovo", "019036"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.json()["id"].get<std::int64_t>());

  auto r = admin.get("/api/v1/audit?action=user.create&limit=200");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json items = r.json()["items"];
  int found = 0;
  for (const auto& e : items) {
    EXPECT_EQ(e["action"], "user.create") << "the action filter lets other actions through";
    if (e["object_id"] != id) continue;
    ++found;
    EXPECT_EQ(e["actor"], "admin");
    EXPECT_EQ(e["ente"], "019036");
    EXPECT_EQ(e["object_type"], "user");
    EXPECT_EQ(e["outcome"], "ok");
    EXPECT_EQ(e["detail"]["username"], "audit.nuovo");
    EXPECT_FALSE(e["detail"].dump().find("password-di-prova-1") != std::string::npos)
        << "the audit log must never hold a password";
    EXPECT_EQ(e["hash"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(found, 1) << r.body;

  // The other filters narrow the same list.
  auto by_actor = admin.get("/api/v1/audit?action=user.create&actor=admin&ente=019036").json();
  ASSERT_FALSE(by_actor["items"].empty());
  EXPECT_EQ(by_actor["items"][0]["object_id"], id) << "newest first";
  EXPECT_TRUE(admin.get("/api/v1/audit?action=user.create&actor=nobody").json()["items"].empty());
}

TEST_F(AuditLog, AnEnteAdminSeesOnlyItsOwnEnte) {
  HttpClient admin = loggedIn(*server_, "admin");
  auto created = admin.post("/api/v1/users", newOperator("audit.cremonese", "019036"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.json()["id"].get<std::int64_t>());

  // The Cremona referent sees the entry (positive control) ...
  HttpClient cremona = loggedIn(*server_, "ref.cremona");
  const Json own = cremona.get("/api/v1/audit?action=user.create&limit=200").json()["items"];
  bool seen = false;
  for (const auto& e : own) seen = seen || e["object_id"] == id;
  EXPECT_TRUE(seen) << own.dump();

  // ... the Crema referent does not, with or without an ente filter.
  HttpClient crema = loggedIn(*server_, "ref.crema");
  auto all = crema.get("/api/v1/audit?limit=200");
  ASSERT_EQ(all.status, 200) << all.body;
  const Json items = all.json()["items"];
  EXPECT_FALSE(items.empty()) << "Crema's own entries (its referent's login) are visible";
  for (const auto& e : items) {
    EXPECT_EQ(e["ente"], "019035") << e.dump();
    EXPECT_NE(e["object_id"], id);
  }
  auto asked = crema.get("/api/v1/audit?ente=019036&action=user.create");
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_TRUE(asked.json()["items"].empty()) << asked.body;

  // Whole-chain verification is reserved for those who see the whole log.
  EXPECT_EQ(crema.get("/api/v1/audit/verify").status, 403);
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  EXPECT_EQ(clerk.get("/api/v1/audit").status, 403);
}

TEST_F(AuditLog, VerifyPassesWhileTheServerRuns) {
  HttpClient admin = loggedIn(*server_, "admin");
  ASSERT_EQ(admin.post("/api/v1/users", newOperator("audit.verifica", "019035")).status, 201);
  auto cli = auditVerify(*server_, server_->dataDir());
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("intact"), std::string::npos) << cli.out;

  auto api = admin.get("/api/v1/audit/verify");
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(api.json()["intact"], true);
  EXPECT_GT(api.json()["checked"].get<int>(), 10);
  EXPECT_TRUE(api.json()["first_bad_seq"].is_null());
}

// --- Tampering with the SQLite file directly (what an attacker with file access could do) ---

void execSql(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_file.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  EXPECT_EQ(sqlite3_changes(db) > 0 || rc != SQLITE_OK, true) << "no row changed by: " << sql;
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << message;
}

std::int64_t querySingle(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open(db_file.c_str(), &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

class AuditTamper : public ::testing::Test {
 protected:
  // One server for the suite: it writes a log, verifies it while running and after a clean stop;
  // each test then edits its own copy of the stopped server's database.
  static void SetUpTestSuite() {
    if (usingPostgres()) return;
    server_ = new ServerProcess();
    server_->start();
    HttpClient admin = loggedIn(*server_, "admin");
    for (const char* name : {"manomesso.uno", "manomesso.due", "manomesso.tre"})
      if (admin.post("/api/v1/users", newOperator(name, "019036")).status != 201)
        setup_error_ += std::string("cannot create ") + name + "\n";
    if (auto r = auditVerify(*server_, server_->dataDir()); r.exit_code != 0)
      setup_error_ += "verify while running: " + r.out + r.err;
    if (int code = server_->stop(); code != 0)
      setup_error_ += "stop exited " + std::to_string(code) + "\n";
    if (auto r = auditVerify(*server_, server_->dataDir()); r.exit_code != 0)
      setup_error_ += "verify after stop: " + r.out + r.err;
    newest_ = querySingle(server_->dataDir() / "cst.db", "SELECT MAX(seq) FROM audit_log");
    if (newest_ < 10) setup_error_ += "too few audit entries: " + std::to_string(newest_);
    middle_ = newest_ / 2;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (usingPostgres()) GTEST_SKIP() << "tampering edits the SQLite file directly";
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  void TearDown() override {
    std::error_code ec;
    for (const auto& dir : copies_) fs::remove_all(dir, ec);
  }

  // A fresh copy of the stopped server's database, in a data dir of its own.
  fs::path freshCopy() {
    const fs::path dir = fs::temp_directory_path() / ("cst-tamper-" + randomToken(8));
    fs::create_directories(dir);
    copies_.push_back(dir);
    for (const char* suffix : {"", "-wal"}) {
      const fs::path from = server_->dataDir() / (std::string("cst.db") + suffix);
      if (fs::exists(from)) fs::copy_file(from, dir / from.filename());
    }
    return dir;
  }

  static void expectBrokenAt(const fs::path& dir, std::int64_t seq, const std::string& what) {
    auto r = auditVerify(*server_, dir);
    EXPECT_EQ(r.exit_code, 3) << what << ": " << r.out << r.err;
    EXPECT_NE(r.out.find("entry " + std::to_string(seq) + ":"), std::string::npos)
        << what << ": the report must name entry " << seq << ", got: " << r.out;
  }

  static ServerProcess* server_;
  static std::string setup_error_;
  static std::int64_t newest_;
  static std::int64_t middle_;
  std::vector<fs::path> copies_;
};
ServerProcess* AuditTamper::server_ = nullptr;
std::string AuditTamper::setup_error_;
std::int64_t AuditTamper::newest_ = 0;
std::int64_t AuditTamper::middle_ = 0;

TEST_F(AuditTamper, AnUntouchedCopyVerifies) {
  const fs::path dir = freshCopy();
  auto r = auditVerify(*server_, dir);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(AuditTamper, AlteredDetailIsDetected) {
  const fs::path dir = freshCopy();
  execSql(dir / "cst.db",
          "UPDATE audit_log SET detail = '{\"username\":\"qualcun.altro\"}' "
          "WHERE seq = " +
              std::to_string(middle_));
  expectBrokenAt(dir, middle_, "altered detail");
}

TEST_F(AuditTamper, AlteredActorIsDetected) {
  const fs::path dir = freshCopy();
  execSql(dir / "cst.db",
          "UPDATE audit_log SET actor = 'nessuno' WHERE seq = " + std::to_string(middle_ + 1));
  expectBrokenAt(dir, middle_ + 1, "altered actor");
}

TEST_F(AuditTamper, DeletedMiddleRowIsDetected) {
  const fs::path dir = freshCopy();
  execSql(dir / "cst.db", "DELETE FROM audit_log WHERE seq = " + std::to_string(middle_));
  expectBrokenAt(dir, middle_, "deleted middle row");
}

TEST_F(AuditTamper, SwappedRowsAreDetected) {
  const fs::path dir = freshCopy();
  const std::string a = std::to_string(middle_), b = std::to_string(middle_ + 1);
  execSql(dir / "cst.db", "UPDATE audit_log SET seq = -1 WHERE seq = " + a + ";" +
                              "UPDATE audit_log SET seq = " + a + " WHERE seq = " + b + ";" +
                              "UPDATE audit_log SET seq = " + b + " WHERE seq = -1;");
  expectBrokenAt(dir, middle_, "swapped seq");
}

TEST_F(AuditTamper, DeletedNewestRowIsDetected) {
  const fs::path dir = freshCopy();
  execSql(dir / "cst.db", "DELETE FROM audit_log WHERE seq = " + std::to_string(newest_));
  expectBrokenAt(dir, newest_, "deleted newest row");
}

TEST_F(AuditTamper, AHeadPastTheLogIsDetected) {
  const fs::path dir = freshCopy();
  execSql(dir / "cst.db", "UPDATE audit_head SET seq = seq + 1 WHERE id = 1");
  expectBrokenAt(dir, newest_ + 1, "head ahead of the log");
}

}  // namespace
}  // namespace cst::testkit
