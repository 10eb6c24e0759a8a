// The payments module end to end: the real `cst serve` (demo), HTTP, and the `cst payments`
// command line. The demo configures Cremona (019036) and Crema (019035) as creditors.
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"

namespace cst::testkit {
namespace {

const std::string kCremona = "/api/v1/payments/creditors/019036";
const std::string kCrema = "/api/v1/payments/creditors/019035";

HttpResponse put(HttpClient& c, const std::string& target, const Json& body) {
  return c.request("PUT", target, body.dump());
}

Json cremonaConfig() {
  return {{"fiscal_code", "00297960197"},
          {"segregation_code", "02"},
          {"ibans",
           {{{"iban", "it42 k076 0111 4000 0001 2345 678"}, {"label", "Conto corrente postale"}},
            {{"iban", "IT60X0542811101000000123456"},
             {"label", "Tesoreria comunale"},
             {"primary", true}}}},
          {"service_codes",
           {{{"code", "9/0101002IM/"}, {"label", "Diritti di segreteria"}},
            {{"code", "9/0101108TS/"}, {"label", "Mensa scolastica"}}}}};
}

// The audit entries of the creditor changes of `ente`, newest first.
std::vector<Json> creditorAudit(HttpClient& admin, const std::string& ente) {
  std::vector<Json> out;
  const Json page = admin.get("/api/v1/audit?action=payments.creditor.update&limit=200").json();
  for (const auto& e : page["items"])
    if (e["object_id"] == ente) out.push_back(e);
  return out;
}

class Payments : public DemoServerSuite<Payments> {
 protected:
  // A failed test shows the end of the server's log (a crash, a 5xx) beside its expectations.
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }
};

TEST_F(Payments, TheReferentSavesTheConfigurationAndReadsItBack) {
  HttpClient referent = as("ref.cremona");
  auto demo = referent.get(kCremona);
  ASSERT_EQ(demo.status, 200) << demo.body;
  EXPECT_TRUE(demo.json()["configured"].get<bool>());
  EXPECT_EQ(demo.json()["fiscal_code"], "00297960197");

  HttpClient admin = as("admin");
  const auto audited_before = creditorAudit(admin, "019036").size();
  auto saved = put(referent, kCremona, cremonaConfig());
  ASSERT_EQ(saved.status, 200) << saved.body;
  const Json expected_ibans = Json::parse(R"([
      {"iban":"IT42K0760111400000012345678","label":"Conto corrente postale","primary":false},
      {"iban":"IT60X0542811101000000123456","label":"Tesoreria comunale","primary":true}])");
  EXPECT_EQ(saved.json()["ibans"], expected_ibans) << "IBANs normalised, order kept";
  EXPECT_EQ(saved.json()["updated_by"], "ref.cremona");

  // Read back by the referent, a clerk of the ente and the CST alike.
  for (const char* reader : {"ref.cremona", "impiegato.cremona", "operatore", "revisore"}) {
    HttpClient c = as(reader);
    auto r = c.get(kCremona);
    ASSERT_EQ(r.status, 200) << reader << ": " << r.body;
    const Json got = r.json();
    EXPECT_EQ(got["ente"], "019036");
    EXPECT_TRUE(got["configured"].get<bool>());
    EXPECT_EQ(got["fiscal_code"], "00297960197");
    EXPECT_EQ(got["segregation_code"], "02");
    EXPECT_EQ(got["ibans"], expected_ibans) << reader;
    EXPECT_EQ(got["service_codes"], cremonaConfig()["service_codes"]) << reader;
  }

  // Audited, with what was saved.
  const auto audited = creditorAudit(admin, "019036");
  ASSERT_EQ(audited.size(), audited_before + 1);
  EXPECT_EQ(audited.front()["actor"], "ref.cremona");
  EXPECT_EQ(audited.front()["ente"], "019036");
  EXPECT_EQ(audited.front()["detail"]["segregation_code"], "02");
  EXPECT_FALSE(audited.front()["detail"]["created"].get<bool>());
}

TEST_F(Payments, AnEnteWithoutConfigurationGetsItsFirstOne) {
  HttpClient admin = as("admin");
  const std::string soresina = "/api/v1/payments/creditors/019098";
  auto none = admin.get(soresina);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_FALSE(none.json()["configured"].get<bool>());
  EXPECT_TRUE(none.json()["fiscal_code"].is_null());
  EXPECT_EQ(none.json()["ibans"], Json::array());

  Json body = {{"fiscal_code", "00318000197"},
               {"segregation_code", "03"},
               {"ibans", {{{"iban", "IT24D0542811101000000654321"}}}}};
  auto saved = put(admin, soresina, body);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_TRUE(saved.json()["ibans"][0]["primary"].get<bool>()) << "a single IBAN is the primary";
  EXPECT_EQ(saved.json()["service_codes"], Json::array());
  EXPECT_TRUE(admin.get(soresina).json()["configured"].get<bool>());
  const auto audited = creditorAudit(admin, "019098");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_TRUE(audited.front()["detail"]["created"].get<bool>());

  EXPECT_EQ(admin.get("/api/v1/payments/creditors/019999").status, 404) << "unknown ente";
  EXPECT_EQ(put(admin, "/api/v1/payments/creditors/019999", body).status, 404);
  auto bad_code = admin.get("/api/v1/payments/creditors/19036");
  EXPECT_EQ(bad_code.status, 400);
  EXPECT_EQ(bad_code.json()["errors"][0]["field"], "istat");
}

TEST_F(Payments, AnInvalidIbanIsRefusedNamingTheFieldAndNothingChanges) {
  HttpClient referent = as("ref.cremona");
  HttpClient admin = as("admin");
  const Json before = referent.get(kCremona).json();
  const auto audited_before = creditorAudit(admin, "019036").size();

  Json body = cremonaConfig();
  body["segregation_code"] = "07";
  body["ibans"][1]["iban"] = "IT60X0542811101000000123457";  // last digit mistyped
  auto r = put(referent, kCremona, body);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  ASSERT_EQ(r.json()["errors"].size(), 1u) << r.body;
  EXPECT_EQ(r.json()["errors"][0]["field"], "ibans[1].iban");
  EXPECT_NE(r.json()["detail"].get<std::string>().find("ibans[1].iban"), std::string::npos);

  // Several problems at once, each named.
  Json worse = cremonaConfig();
  worse["fiscal_code"] = "00297960198";
  worse["ibans"][0]["iban"] = "IT40S0542811101000000123456";
  worse["service_codes"][1]["code"] = "0101108TS";
  auto many = put(referent, kCremona, worse);
  ASSERT_EQ(many.status, 400) << many.body;
  std::set<std::string> fields;
  const Json problem = many.json();
  for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields,
            (std::set<std::string>{"fiscal_code", "ibans[0].iban", "service_codes[1].code"}));

  // Not JSON at all; another ente's fiscal code (the node could not tell the two apart).
  EXPECT_EQ(referent.request("PUT", kCremona, "{\"fiscal_code\":").status, 400);
  Json crema_cf = cremonaConfig();
  crema_cf["fiscal_code"] = "91035680197";
  auto taken = put(referent, kCremona, crema_cf);
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(taken.json()["errors"][0]["field"], "fiscal_code");

  EXPECT_EQ(referent.get(kCremona).json(), before) << "a refused request changes nothing";
  EXPECT_EQ(creditorAudit(admin, "019036").size(), audited_before);
}

TEST_F(Payments, AnotherEntesUsersSeeNothing) {
  HttpClient admin = as("admin");
  auto created =
      admin.post("/api/v1/users", {{"username", "impiegato.crema"},
                                   {"display_name", "Impiegato del Comune di Crema"},
                                   {"password", "password-di-prova-1"},
                                   {"grants", {{{"role", "ente_operator"}, {"ente", "019035"}}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  HttpClient crema_clerk = as("impiegato.crema", "password-di-prova-1");
  EXPECT_EQ(crema_clerk.get(kCrema).status, 200) << "their own ente";
  HttpClient referent = as("ref.cremona");
  expectIsolated(crema_clerk, {{"GET", kCremona, ""}}, referent, kCremona);
  HttpClient crema_referent = as("ref.crema");
  expectIsolated(crema_referent, {{"GET", kCremona, ""}, {"PUT", kCremona, cremonaConfig().dump()}},
                 referent, kCremona);
  // Cremona's referent cannot change Crema either.
  expectIsolated(referent, {{"PUT", kCrema, cremonaConfig().dump()}}, crema_referent, kCrema);
}

TEST_F(Payments, RolesWithoutTheRightAreRefused) {
  // Reading needs a role of the module; changing, the ente's referent or the CST's admin.
  for (const char* user : {"cittadino.bianchi", "geometra.rossi", "vigile.cremona", "comitato"}) {
    HttpClient c = as(user);
    auto r = c.get(kCremona);
    EXPECT_EQ(r.status, 403) << user << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
  }
  HttpClient referent = as("ref.cremona");
  const Json before = referent.get(kCremona).json();
  for (const char* user : {"impiegato.cremona", "operatore", "revisore", "cittadino.bianchi"}) {
    HttpClient c = as(user);
    EXPECT_EQ(put(c, kCremona, cremonaConfig()).status, 403) << user;
  }
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(kCremona).status, 401);
  EXPECT_EQ(referent.get(kCremona).json(), before);
}

TEST_F(Payments, TheNavVerbChecksANoticeNumber) {
  auto ok = runCli({"payments", "nav", "--check", "310000000000090203"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("valid\n", 0), 0u) << ok.out;
  EXPECT_NE(ok.out.find("segregation_code: 10\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("iuv: 10000000000090203\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("check_digit_ok: yes\n"), std::string::npos) << ok.out;

  auto wrong = runCli({"payments", "nav", "--check", "311111111112222222"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.out.rfind("invalid\n", 0), 0u) << wrong.out;
  EXPECT_NE(wrong.out.find("check_digit_ok: no\n"), std::string::npos) << wrong.out;

  auto malformed = runCli({"payments", "nav", "--check", "31000000000009020"});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_EQ(malformed.out, "invalid\n");
  EXPECT_NE(malformed.err.find("18 cifre"), std::string::npos) << malformed.err;

  auto help = runCli({"payments", "nav", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--check"), std::string::npos);
  EXPECT_EQ(runCli({"payments", "nav"}).exit_code, 2) << "--check is required";
}

}  // namespace
}  // namespace cst::testkit
