// User management and its tenant boundaries: an ente_admin manages the users of its own ente only
// (never grants on another ente, never CST-wide roles), does not see another ente's users, and
// cannot change them; disabling a user ends its sessions and tokens at once.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/isolation.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

Json newUser(const std::string& username, const std::string& role,
             const std::optional<std::string>& ente) {
  return {{"username", username},
          {"display_name", "Utente " + username},
          {"password", "password-di-prova-1"},
          {"grants", {{{"role", role}, {"ente", ente ? Json(*ente) : Json()}}}}};
}

class Users : public DemoServerSuite<Users> {
 protected:
  // Every user, as the CST admin sees them, by username.
  std::map<std::string, Json> allUsers() {
    HttpClient admin = as("admin");
    std::map<std::string, Json> out;
    std::string cursor;
    for (int page = 0; page < 50; ++page) {
      auto r = admin.get("/api/v1/users?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(r.status, 200) << r.body;
      const Json body = r.json();
      for (const auto& u : body["items"]) out[u["username"]] = u;
      if (body["next_cursor"].is_null()) break;
      cursor = body["next_cursor"];
    }
    return out;
  }
};

TEST_F(Users, AnEnteAdminCreatesUsersOnlyOnItsOwnEnte) {
  HttpClient ref = as("ref.cremona");
  auto ok = ref.post("/api/v1/users", newUser("operatore.anagrafe", "ente_operator", "019036"));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json()["username"], "operatore.anagrafe");
  EXPECT_EQ(ok.json()["grants"], Json::parse(R"([{"role":"ente_operator","ente":"019036"}])"));
  EXPECT_EQ(ok.json().count("password"), 0u);
  EXPECT_EQ(ok.json().count("password_hash"), 0u);
  // The new user can log in.
  HttpClient fresh(server_->port());
  EXPECT_EQ(fresh.login("operatore.anagrafe", "password-di-prova-1").status, 200);

  auto other_ente = ref.post("/api/v1/users", newUser("intruso.crema", "ente_operator", "019035"));
  EXPECT_EQ(other_ente.status, 403) << other_ente.body;
  auto cst_wide = ref.post("/api/v1/users", newUser("intruso.admin", "cst_admin", std::nullopt));
  EXPECT_EQ(cst_wide.status, 403) << cst_wide.body;
  Json mixed = newUser("intruso.misto", "ente_operator", "019036");
  mixed["grants"].push_back({{"role", "ente_admin"}, {"ente", "019035"}});
  EXPECT_EQ(ref.post("/api/v1/users", mixed).status, 403);

  const auto users = allUsers();
  EXPECT_EQ(users.count("operatore.anagrafe"), 1u);
  for (const char* refused : {"intruso.crema", "intruso.admin", "intruso.misto"})
    EXPECT_EQ(users.count(refused), 0u) << refused << " was created by a refused request";

  // An operator manages nobody.
  HttpClient clerk = as("impiegato.cremona");
  EXPECT_EQ(clerk.post("/api/v1/users", newUser("da.impiegato", "citizen", "019036")).status, 403);
  EXPECT_EQ(clerk.get("/api/v1/users").status, 403);
}

TEST_F(Users, AnEnteAdminListsOnlyItsOwnEnteUsers) {
  HttpClient ref = as("ref.cremona");
  auto r = ref.get("/api/v1/users?limit=200");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json items = r.json()["items"];
  std::set<std::string> names;
  for (const auto& u : items) {
    names.insert(u["username"]);
    bool on_cremona = false;
    for (const auto& g : u["grants"]) {
      EXPECT_NE(g["ente"], "019035") << u.dump();
      on_cremona = on_cremona || g["ente"] == "019036";
    }
    EXPECT_TRUE(on_cremona) << "listed a user without a grant on Cremona: " << u.dump();
  }
  EXPECT_TRUE(names.count("impiegato.cremona"));
  EXPECT_FALSE(names.count("ref.crema"));
  EXPECT_FALSE(names.count("admin"));

  // Asking for Crema explicitly gives nothing, not Crema's users.
  auto crema = ref.get("/api/v1/users?ente=019035");
  ASSERT_EQ(crema.status, 200) << crema.body;
  EXPECT_TRUE(crema.json()["items"].empty()) << crema.body;
}

TEST_F(Users, AnotherEntesUserIsInvisibleAndUnchanged) {
  const auto users = allUsers();
  ASSERT_TRUE(users.count("ref.crema"));
  const std::string id = std::to_string(users.at("ref.crema")["id"].get<std::int64_t>());
  HttpClient cremona = as("ref.cremona");
  HttpClient crema = as("ref.crema");
  expectIsolated(cremona,
                 {{"GET", "/api/v1/users/" + id, ""},
                  {"PATCH", "/api/v1/users/" + id, R"({"display_name":"Cambiato da Cremona"})"},
                  {"PATCH", "/api/v1/users/" + id, R"({"disabled":true})"},
                  {"PATCH", "/api/v1/users/" + id, R"({"password":"presa-in-carico-1"})"}},
                 crema, "/api/v1/users/" + id);
  // The password did not change: the owner still logs in with the old one.
  HttpClient again(server_->port());
  EXPECT_EQ(again.login("ref.crema", kDemoPassword).status, 200);
  // Nor can Cremona's referent mint a token for Crema's user.
  auto token = cremona.post("/api/v1/tokens", {{"name", "furto"}, {"user_id", std::stoll(id)}});
  EXPECT_EQ(token.status, 404) << token.body;
  // The CST-wide admin is not Cremona's to see either.
  const std::string admin_id = std::to_string(users.at("admin")["id"].get<std::int64_t>());
  EXPECT_EQ(cremona.get("/api/v1/users/" + admin_id).status, 404);
}

TEST_F(Users, DisablingAUserEndsItsSessionsAndTokens) {
  HttpClient admin = as("admin");
  auto created = admin.post("/api/v1/users", newUser("da.disattivare", "citizen", "019036"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.json()["id"];

  HttpClient session(server_->port());
  auto login = session.login("da.disattivare", "password-di-prova-1");
  ASSERT_EQ(login.status, 200) << login.body;
  HttpClient bearer(server_->port());
  bearer.useBearer(login.json()["token"]);
  ASSERT_EQ(bearer.get("/api/v1/auth/me").status, 200);
  auto token = admin.post("/api/v1/tokens", {{"name", "macchina"}, {"user_id", id}});
  ASSERT_EQ(token.status, 201) << token.body;
  HttpClient machine(server_->port());
  machine.useBearer(token.json()["token"]);
  ASSERT_EQ(machine.get("/api/v1/auth/me").status, 200);

  auto disabled = admin.patch("/api/v1/users/" + std::to_string(id), {{"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json()["disabled"], true);

  EXPECT_EQ(bearer.get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(session.get("/api/v1/auth/me").status, 401) << "the cookie session ended too";
  EXPECT_EQ(machine.get("/api/v1/auth/me").status, 401) << "and the API token";
  HttpClient relogin(server_->port());
  EXPECT_EQ(relogin.login("da.disattivare", "password-di-prova-1").status, 401);

  // Re-enabling lets the user log in again, but the old sessions stay dead.
  ASSERT_EQ(admin.patch("/api/v1/users/" + std::to_string(id), {{"disabled", false}}).status, 200);
  EXPECT_EQ(bearer.get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(relogin.login("da.disattivare", "password-di-prova-1").status, 200);

  // Nobody disables their own user.
  const std::int64_t admin_id = admin.get("/api/v1/auth/me").json()["id"];
  auto self = admin.patch("/api/v1/users/" + std::to_string(admin_id), {{"disabled", true}});
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(self.json()["errors"][0]["field"], "disabled");
}

TEST_F(Users, ADuplicateUsernameIsRefusedNamingTheField) {
  HttpClient admin = as("admin");
  const auto before = allUsers();
  auto dup = admin.post("/api/v1/users", newUser("impiegato.cremona", "citizen", "019036"));
  ASSERT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.header("content-type"), "application/problem+json");
  ASSERT_FALSE(dup.json()["errors"].empty()) << dup.body;
  EXPECT_EQ(dup.json()["errors"][0]["field"], "username");
  const auto after = allUsers();
  EXPECT_EQ(after.size(), before.size());
  EXPECT_EQ(after.at("impiegato.cremona"), before.at("impiegato.cremona"))
      << "the existing user was not touched";
  // The existing user's password still works (no half-applied overwrite).
  HttpClient c(server_->port());
  EXPECT_EQ(c.login("impiegato.cremona", kDemoPassword).status, 200);
}

TEST_F(Users, AGrantOnAnUnknownEnteIsRefused) {
  HttpClient admin = as("admin");
  auto r = admin.post("/api/v1/users", newUser("ente.fantasma", "ente_operator", "999999"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["errors"][0]["field"], "grants");
  EXPECT_EQ(allUsers().count("ente.fantasma"), 0u);
}

TEST_F(Users, AFiscalCodeBindsOneAccountAndIsChecked) {
  HttpClient admin = as("admin");
  Json body = newUser("cittadino.verdi", "citizen", "019036");
  body["fiscal_code"] = "rssmra85t10a562s";  // typed in lower case: stored in upper case
  auto created = admin.post("/api/v1/users", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["fiscal_code"], "RSSMRA85T10A562S");
  const std::string url = "/api/v1/users/" + std::to_string(created.json()["id"].get<int>());
  HttpClient self = as("cittadino.verdi", "password-di-prova-1");
  EXPECT_EQ(self.get("/api/v1/auth/me").json()["fiscal_code"], "RSSMRA85T10A562S");

  // A wrong check letter, and a code another account holds: refused naming the field, nothing
  // created.
  Json wrong = newUser("cittadino.errato", "citizen", "019036");
  wrong["fiscal_code"] = "RSSMRA85T10A562T";
  auto bad = admin.post("/api/v1/users", wrong);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["errors"][0]["field"], "fiscal_code");
  Json twin = newUser("cittadino.gemello", "citizen", "019036");
  twin["fiscal_code"] = "RSSMRA85T10A562S";
  auto dup = admin.post("/api/v1/users", twin);
  ASSERT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.json()["errors"][0]["field"], "fiscal_code");
  const auto users = allUsers();
  EXPECT_EQ(users.count("cittadino.errato") + users.count("cittadino.gemello"), 0u);

  // Updated: another account cannot take it; it can be changed and removed.
  auto taken =
      admin.patch("/api/v1/users/" + std::to_string(users.at("cittadino.bianchi")["id"].get<int>()),
                  {{"fiscal_code", "RSSMRA85T10A562S"}});
  ASSERT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(taken.json()["errors"][0]["field"], "fiscal_code");
  EXPECT_EQ(allUsers().at("cittadino.bianchi")["fiscal_code"], "BNCLRA90E45D150P");
  auto malformed = admin.patch(url, {{"fiscal_code", 42}});
  ASSERT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(malformed.json()["errors"][0]["field"], "fiscal_code");
  auto changed = admin.patch(url, {{"fiscal_code", "BSCMTT83A12L719R"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["fiscal_code"], "BSCMTT83A12L719R");
  EXPECT_EQ(self.get("/api/v1/auth/me").json()["fiscal_code"], "BSCMTT83A12L719R")
      << "the open session sees the change";
  auto removed = admin.patch(url, {{"fiscal_code", nullptr}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json()["fiscal_code"].is_null());
}

}  // namespace
}  // namespace cst::testkit
