// Bad input on every write route of the core: malformed JSON, a body that is not an object, wrong
// types, missing fields and bad path or query parameters are refused with 400 and a problem+json
// whose errors[].field names what is wrong, and a refused request changes nothing (the object,
// the lists and the audit log are as before).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

class BadInput : public DemoServerSuite<BadInput> {
 protected:
  void SetUp() override {
    admin_ = std::make_unique<HttpClient>(server_->port());
    ASSERT_EQ(admin_->login("admin", kDemoPassword).status, 200);
    clerk_ = std::make_unique<HttpClient>(server_->port());
    ASSERT_EQ(clerk_->login("impiegato.cremona", kDemoPassword).status, 200);
  }

  // Everything a refused request could have touched, as the admin sees it.
  Json snapshot() {
    Json s;
    s["users"] = admin_->get("/api/v1/users?limit=200").json()["items"];
    s["enti"] = admin_->get("/api/v1/enti?limit=200").json()["items"];
    s["audit_head"] = admin_->get("/api/v1/audit?limit=1").json()["items"][0]["seq"];
    s["me"] = admin_->get("/api/v1/auth/me").json();
    std::size_t blobs = 0;
    std::error_code ec;
    const fs::path objects = server_->dataDir() / "blobs" / "objects";
    if (fs::exists(objects, ec))
      for (const auto& e : fs::recursive_directory_iterator(objects, ec))
        blobs += e.is_regular_file() ? 1 : 0;
    s["blobs"] = blobs;
    return s;
  }

  // Sends the request and checks the 400 problem names every field in `fields`.
  static void expectRejected(HttpClient& c, const std::string& method, const std::string& target,
                             const std::string& body, const std::set<std::string>& fields,
                             const std::string& content_type = "application/json") {
    const HttpResponse r = c.request(method, target, body, content_type);
    const std::string what = method + " " + target + " " + body.substr(0, 200);
    EXPECT_EQ(r.status, 400) << what << " -> " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << what;
    const Json problem = r.json();
    ASSERT_TRUE(problem.is_object()) << what << " -> " << r.body;
    EXPECT_EQ(problem["status"], 400) << what;
    EXPECT_FALSE(problem.value("detail", "").empty()) << what;
    std::set<std::string> named;
    if (problem.contains("errors"))
      for (const auto& e : problem["errors"]) {
        named.insert(e.value("field", ""));
        EXPECT_FALSE(e.value("message", "").empty()) << what;
      }
    for (const auto& f : fields)
      EXPECT_TRUE(named.count(f)) << what << ": field \"" << f << "\" not named in " << r.body;
  }
  static void expectMalformedBodies(HttpClient& c, const std::string& method,
                                    const std::string& target) {
    for (const std::string body : {R"({"username": )", "{'a': 1}", "[1, 2]", "\"text\"", "42",
                                   "null", "{\"a\":1} trailing", ""})
      expectRejected(c, method, target, body, {"body"});
  }

  std::unique_ptr<HttpClient> admin_, clerk_;
};

TEST_F(BadInput, Login) {
  const Json before = snapshot();
  HttpClient anon(server_->port());
  expectMalformedBodies(anon, "POST", "/api/v1/auth/login");
  expectRejected(anon, "POST", "/api/v1/auth/login", "{}", {"username", "password"});
  expectRejected(anon, "POST", "/api/v1/auth/login", R"({"username":5,"password":"x"})",
                 {"username"});
  expectRejected(anon, "POST", "/api/v1/auth/login", R"({"username":"admin"})", {"password"});
  expectRejected(anon, "POST", "/api/v1/auth/login",
                 R"({"username":"admin","password":["cst-demo-2026"]})", {"password"});
  expectRejected(anon, "POST", "/api/v1/auth/login",
                 R"({"username":"admin","password":"cst-demo-2026","totp":123456})", {"totp"});
  EXPECT_EQ(anon.get("/api/v1/auth/me").status, 401) << "no session from a refused login";
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, TotpConfirm) {
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "POST", "/api/v1/auth/totp/confirm");
  expectRejected(*admin_, "POST", "/api/v1/auth/totp/confirm", "{}", {"secret"});
  expectRejected(*admin_, "POST", "/api/v1/auth/totp/confirm", R"({"secret":"JBSWY3DPEHPK3PXP"})",
                 {"code"});
  expectRejected(*admin_, "POST", "/api/v1/auth/totp/confirm", R"({"secret":5,"code":"123456"})",
                 {"secret"});
  expectRejected(*admin_, "POST", "/api/v1/auth/totp/confirm",
                 R"({"secret":"JBSWY3DPEHPK3PXP","code":123456})", {"code"});
  expectRejected(*admin_, "POST", "/api/v1/auth/totp/confirm",
                 R"({"secret":"JBSWY3DPEHPK3PXP","code":"not-a-code"})", {"code"});
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(admin_->get("/api/v1/auth/me").json()["totp_enabled"], false);
}

TEST_F(BadInput, Tokens) {
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "POST", "/api/v1/tokens");
  expectRejected(*admin_, "POST", "/api/v1/tokens", "{}", {"name"});
  expectRejected(*admin_, "POST", "/api/v1/tokens", R"({"name":5})", {"name"});
  expectRejected(*admin_, "POST", "/api/v1/tokens", R"({"name":""})", {"name"});
  expectRejected(*admin_, "POST", "/api/v1/tokens", Json{{"name", std::string(101, 'n')}}.dump(),
                 {"name"});
  expectRejected(*admin_, "POST", "/api/v1/tokens", R"({"name":"macchina","user_id":"12"})",
                 {"user_id"});
  expectRejected(*admin_, "POST", "/api/v1/tokens", R"({"name":"macchina","user_id":1.5})",
                 {"user_id"});
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, EntiCreate) {
  const Json valid{{"istat", "019042"}, {"name", "Comune di prova"},       {"kind", "comune"},
                   {"parent", "019"},   {"codice_fiscale", "00299140194"}, {"population", 5874}};
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "POST", "/api/v1/enti");
  expectRejected(*admin_, "POST", "/api/v1/enti", "{}",
                 {"istat", "name", "kind", "codice_fiscale", "population"});
  auto with = [&](const char* key, const Json& value) {
    Json b = valid;
    b[key] = value;
    return b.dump();
  };
  auto without = [&](const char* key) {
    Json b = valid;
    b.erase(key);
    return b.dump();
  };
  expectRejected(*admin_, "POST", "/api/v1/enti", with("istat", 19042), {"istat"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("istat", "19042"), {"istat"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("name", 7), {"name"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("name", ""), {"name"});
  expectRejected(*admin_, "POST", "/api/v1/enti", without("name"), {"name"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("kind", "citta"), {"kind"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("population", "5874"), {"population"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("population", 58.74), {"population"});
  expectRejected(*admin_, "POST", "/api/v1/enti", without("population"), {"population"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("codice_fiscale", "00299140195"),
                 {"codice_fiscale"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("adhesion_date", "2026-02-30"),
                 {"adhesion_date"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("services", "helpdesk"), {"services"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("services", Json::array({"teletrasporto"})),
                 {"services"});
  expectRejected(*admin_, "POST", "/api/v1/enti",
                 with("patron", {{"name", "San Pancrazio"}, {"month", "5"}, {"day", 12}}),
                 {"patron"});
  expectRejected(*admin_, "POST", "/api/v1/enti",
                 with("patron", {{"name", "San Pancrazio"}, {"month", 2}, {"day", 30}}),
                 {"patron"});
  expectRejected(*admin_, "POST", "/api/v1/enti", with("parent", "020"), {"parent"});
  EXPECT_EQ(admin_->get("/api/v1/enti/019042").status, 404);
  EXPECT_EQ(snapshot(), before);
  // The valid body is accepted (so the refusals above were about the named field), once.
  EXPECT_EQ(admin_->post("/api/v1/enti", valid).status, 201);
  const Json created = admin_->get("/api/v1/enti/019042").json();
  Json again = valid;
  again["name"] = "Doppione";
  const HttpResponse dup = admin_->post("/api/v1/enti", again);
  EXPECT_EQ(dup.status, 409) << "a taken ISTAT code is a conflict: " << dup.body;
  EXPECT_EQ(dup.json()["errors"][0]["field"], "istat");
  EXPECT_EQ(admin_->get("/api/v1/enti/019042").json(), created);
}

TEST_F(BadInput, EntiUpdate) {
  const Json cremona = admin_->get("/api/v1/enti/019036").json();
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "PATCH", "/api/v1/enti/019036");
  const std::string target = "/api/v1/enti/019036";
  expectRejected(*admin_, "PATCH", target, R"({"population":"tanti"})", {"population"});
  expectRejected(*admin_, "PATCH", target, R"({"population":-5})", {"population"});
  expectRejected(*admin_, "PATCH", target, R"({"name":5})", {"name"});
  expectRejected(*admin_, "PATCH", target, R"({"name":null})", {"name"});
  expectRejected(*admin_, "PATCH", target, R"({"istat":"019099"})", {"istat"});
  expectRejected(*admin_, "PATCH", target, R"({"kind":"provincia"})", {"kind"});
  expectRejected(*admin_, "PATCH", target, R"({"patron":{"name":"X","month":13,"day":1}})",
                 {"patron"});
  expectRejected(*admin_, "PATCH", target, R"({"name":"Cremona bis","population":"x"})",
                 {"population"});
  expectRejected(*admin_, "PATCH", "/api/v1/enti/19036x", R"({"population":1})", {"istat"});
  expectRejected(*admin_, "PATCH", "/api/v1/enti/0190361", R"({"population":1})", {"istat"});
  const HttpResponse too_big = admin_->request(
      "PATCH", target, R"({"name":")" + std::string(2 * 1024 * 1024, 'x') + R"("})");
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(too_big.header("content-type"), "application/problem+json");
  EXPECT_EQ(admin_->get("/api/v1/enti/019036").json(), cremona)
      << "a refused patch (even with a valid field beside the bad one) changed the ente";
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UsersCreate) {
  const Json valid{{"username", "nuovo.utente"},
                   {"display_name", "Nuovo Utente"},
                   {"password", "password-di-prova-1"},
                   {"grants", {{{"role", "citizen"}, {"ente", "019036"}}}}};
  auto with = [&](const char* key, const Json& value) {
    Json b = valid;
    b[key] = value;
    return b.dump();
  };
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "POST", "/api/v1/users");
  expectRejected(*admin_, "POST", "/api/v1/users", "{}",
                 {"username", "display_name", "password", "grants"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("username", 42), {"username"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("username", "Con Spazi"), {"username"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("username", "ab"), {"username"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("display_name", 5), {"display_name"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("email", "non-una-email"), {"email"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("email", 5), {"email"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("password", "corta"), {"password"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("password", 1234567890), {"password"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("grants", "citizen"), {"grants"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("grants", Json::array()), {"grants"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("grants", Json::array({5})),
                 {"grants[0].role"});
  expectRejected(*admin_, "POST", "/api/v1/users",
                 with("grants", {{{"role", "citizen"}, {"ente", 19036}}}), {"grants[0].ente"});
  expectRejected(*admin_, "POST", "/api/v1/users", with("grants", {{{"role", "citizen"}}}),
                 {"grants[0].ente"});
  expectRejected(*admin_, "POST", "/api/v1/users",
                 with("grants", {{{"role", "citizen"}, {"ente", "019036"}},
                                 {{"role", "cst_admin"}, {"ente", "019036"}}}),
                 {"grants[1].ente"});
  expectRejected(*admin_, "POST", "/api/v1/users",
                 with("grants", {{{"role", "sindaco"}, {"ente", "019036"}}}), {"grants[0].role"});
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UsersUpdate) {
  const Json users = admin_->get("/api/v1/users?limit=200").json()["items"];
  std::string id;
  for (const auto& u : users)
    if (u["username"] == "geometra.rossi") id = std::to_string(u["id"].get<std::int64_t>());
  ASSERT_FALSE(id.empty());
  const std::string target = "/api/v1/users/" + id;
  const Json user = admin_->get(target).json();
  const Json before = snapshot();
  expectMalformedBodies(*admin_, "PATCH", target);
  expectRejected(*admin_, "PATCH", target, R"({"disabled":"yes"})", {"disabled"});
  expectRejected(*admin_, "PATCH", target, R"({"disabled":1})", {"disabled"});
  expectRejected(*admin_, "PATCH", target, R"({"display_name":""})", {"display_name"});
  expectRejected(*admin_, "PATCH", target, R"({"display_name":5})", {"display_name"});
  expectRejected(*admin_, "PATCH", target, R"({"email":5})", {"email"});
  expectRejected(*admin_, "PATCH", target, R"({"password":"corta"})", {"password"});
  expectRejected(*admin_, "PATCH", target, R"({"password":12345678901})", {"password"});
  expectRejected(*admin_, "PATCH", target, R"({"username":"altro.nome"})", {"username"});
  expectRejected(*admin_, "PATCH", target, R"({"grants":[]})", {"grants"});
  expectRejected(*admin_, "PATCH", target, R"({"display_name":"Nuovo nome","disabled":"no"})",
                 {"disabled"});
  for (const char* bad : {"abc", "-1", "1.5", "12345678901234567890"})
    expectRejected(*admin_, "PATCH", std::string("/api/v1/users/") + bad, R"({"display_name":"X"})",
                   {"id"});
  EXPECT_EQ(admin_->patch("/api/v1/users/987654321", {{"display_name", "X"}}).status, 404);
  EXPECT_EQ(admin_->get(target).json(), user)
      << "a refused patch (even with a valid field beside the bad one) changed the user";
  EXPECT_EQ(snapshot(), before);
  // The user's password is untouched.
  HttpClient c(server_->port());
  EXPECT_EQ(c.login("geometra.rossi", kDemoPassword).status, 200);
}

TEST_F(BadInput, JobRunPathParameter) {
  const Json before = snapshot();
  for (const char* bad : {"abc", "1x", "-3", "99999999999999999999"})
    expectRejected(*admin_, "POST", std::string("/api/v1/jobs/") + bad + "/run", "", {"id"});
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UploadQueryParameters) {
  const Json before = snapshot();
  const std::string text = "contenuto qualsiasi\n";
  expectRejected(*clerk_, "POST", "/api/v1/uploads?filename=x.txt", text, {"ente"}, "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=19&filename=x.txt", text, {"ente"},
                 "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=cremona&filename=x.txt", text, {"ente"},
                 "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=019036", text, {"filename"}, "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=019036&filename=..%2Fetc%2Fpasswd", text,
                 {"filename"}, "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=019036&filename=a%01b.txt", text,
                 {"filename"}, "text/plain");
  expectRejected(*clerk_, "POST", "/api/v1/uploads?ente=019036&filename=..", text, {"filename"},
                 "text/plain");
  expectRejected(*clerk_, "POST",
                 "/api/v1/uploads?ente=019036&filename=" + std::string(256, 'f') + ".txt", text,
                 {"filename"}, "text/plain");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, ListAndPathParametersOfTheReadRoutes) {
  expectRejected(*admin_, "GET", "/api/v1/users?limit=0", "", {"limit"});
  expectRejected(*admin_, "GET", "/api/v1/users?limit=abc", "", {"limit"});
  expectRejected(*admin_, "GET", "/api/v1/users?ente=cremona", "", {"ente"});
  expectRejected(*admin_, "GET", "/api/v1/users?cursor=x", "", {"cursor"});
  expectRejected(*admin_, "GET", "/api/v1/audit?from=2026-13-01", "", {"from"});
  expectRejected(*admin_, "GET", "/api/v1/audit?to=ieri", "", {"to"});
  expectRejected(*admin_, "GET", "/api/v1/audit?ente=1", "", {"ente"});
  expectRejected(*admin_, "GET", "/api/v1/audit?cursor=-1", "", {"cursor"});
  expectRejected(*admin_, "GET", "/api/v1/audit?limit=201", "", {"limit"});
  expectRejected(*admin_, "GET", "/api/v1/enti?cursor=abc", "", {"cursor"});
}

}  // namespace
}  // namespace cst::testkit
