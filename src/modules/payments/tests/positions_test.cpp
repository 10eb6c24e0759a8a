// Debt positions end to end: the real `cst serve` (demo: Cremona 019036 and Crema 019035 are
// configured creditors, segregation code 01), HTTP only.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "model.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"

namespace cst::testkit {
namespace {

const std::string kPositions = "/api/v1/payments/positions";

std::string positionUrl(const Json& p) {
  return kPositions + "/" + std::to_string(p["id"].get<std::int64_t>());
}

Json positionBody(const std::string& reference, const std::string& ente = "019036") {
  return {{"ente", ente},
          {"reference", reference},
          {"description", "Diritti di segreteria " + reference},
          {"service_code", "9/0101002IM/"},
          {"valid_until", "2030-12-31"},
          {"debtor",
           {{"type", "F"},
            {"fiscal_code", "RSSMRA85T10A562S"},
            {"name", "Mario Rossi"},
            {"city", "Cremona"},
            {"province", "CR"}}},
          {"options",
           {{{"amount_cents", 1600},
             {"due_date", "2030-06-30"},
             {"transfers", {{{"amount_cents", 1600}, {"remittance", "Diritti " + reference}}}}}}}};
}

std::set<std::string> errorFields(const HttpResponse& r) {
  std::set<std::string> out;
  const Json problem = r.json();  // kept: the loop must not run over a destroyed temporary
  for (const auto& e : problem["errors"]) out.insert(e["field"].get<std::string>());
  return out;
}

// The audit entries of `action` on position `id`, newest first.
std::vector<Json> positionAudit(HttpClient& admin, const std::string& action, std::int64_t id) {
  std::vector<Json> out;
  const Json page = admin.get("/api/v1/audit?action=" + action + "&limit=200").json();
  for (const auto& e : page["items"])
    if (e["object_id"] == std::to_string(id)) out.push_back(e);
  return out;
}

// How many positions of Cremona mention `text`.
std::size_t countMatching(HttpClient& c, const std::string& text) {
  return c.get(kPositions + "?ente=019036&limit=200&q=" + text).json()["items"].size();
}

class Positions : public DemoServerSuite<Positions> {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }
};

TEST_F(Positions, ACreatedPositionIsReadBackWithItsNoticeNumbers) {
  HttpClient clerk = as("impiegato.cremona");
  Json body = positionBody("READ-1");
  body["debtor"]["fiscal_code"] = "bscmtt83a12l719r";
  body["options"] = Json::parse(R"([
    {"amount_cents": 12000, "due_date": "2030-01-31", "description": "Unica soluzione",
     "transfers": [{"amount_cents": 9000, "remittance": "TARI"},
                   {"amount_cents": 3000, "remittance": "TEFA",
                    "beneficiary_fiscal_code": "80002130195",
                    "iban": "IT24D0542811101000000654321"}]},
    {"amount_cents": 6000, "due_date": "2030-01-31", "instalment": true,
     "transfers": [{"amount_cents": 6000, "remittance": "Rata 1",
                    "iban": "IT42K0760111400000012345678"}]},
    {"amount_cents": 6000, "due_date": "2030-06-30", "instalment": true,
     "transfers": [{"amount_cents": 6000, "remittance": "Rata 2"}]}])");
  auto created = clerk.post(kPositions, body);
  ASSERT_EQ(created.status, 201) << created.body;
  const Json p = created.json();
  EXPECT_EQ(p["status"], "DRAFT");
  EXPECT_EQ(p["ente"], "019036");
  EXPECT_EQ(p["created_by"], "impiegato.cremona");
  EXPECT_EQ(p["debtor"]["fiscal_code"], "BSCMTT83A12L719R");
  EXPECT_EQ(p["amount_cents"], 12000);
  ASSERT_EQ(p["options"].size(), 3u);
  std::set<std::string> navs;
  for (const auto& o : p["options"]) {
    const std::string nav = o["notice_number"];
    auto parsed = payments::parseNoticeNumber(nav);
    ASSERT_TRUE(parsed) << nav;
    EXPECT_TRUE(parsed->checkDigitOk()) << nav;
    EXPECT_EQ(parsed->segregation_code, "01");
    EXPECT_EQ(o["iuv"], parsed->iuv);
    navs.insert(nav);
  }
  EXPECT_EQ(navs.size(), 3u);
  EXPECT_EQ(p["options"][0]["transfers"][0]["iban"], "IT60X0542811101000000123456")
      << "the primary account when none is given";
  EXPECT_EQ(p["options"][0]["transfers"][1]["beneficiary_fiscal_code"], "80002130195");
  EXPECT_TRUE(p["options"][1]["instalment"].get<bool>());
  ASSERT_EQ(p["timeline"].size(), 1u);
  EXPECT_EQ(p["timeline"][0]["event"], "create");
  EXPECT_EQ(p["timeline"][0]["to_status"], "DRAFT");

  for (const char* reader :
       {"ref.cremona", "impiegato.cremona", "operatore", "revisore", "admin"}) {
    HttpClient c = as(reader);
    auto r = c.get(positionUrl(p));
    ASSERT_EQ(r.status, 200) << reader << ": " << r.body;
    EXPECT_EQ(r.json(), p) << reader;
  }

  // Found by every filter, alone.
  HttpClient referent = as("ref.cremona");
  const std::string nav = p["options"][2]["notice_number"];
  for (const std::string& query :
       std::vector<std::string>{"notice_number=" + nav, "debtor_fiscal_code=bscmtt83a12l719r",
                                "q=segreteria%20read-1", "status=DRAFT&ente=019036&q=READ-1"}) {
    auto r = referent.get(kPositions + "?" + query);
    ASSERT_EQ(r.status, 200) << query << ": " << r.body;
    ASSERT_EQ(r.json()["items"].size(), 1u) << query << ": " << r.body;
    const Json item = r.json()["items"][0];
    EXPECT_EQ(item["id"], p["id"]) << query;
    EXPECT_EQ(item["options_count"], 3) << query;
    EXPECT_EQ(item["amount_cents"], 12000) << query;
  }
  EXPECT_EQ(referent.get(kPositions + "?status=PAID&q=READ-1").json()["items"].size(), 0u);
  // The office's own code of the position is searched too.
  Json coded = positionBody("TARI-2026-0007");
  coded["description"] = "Tassa rifiuti";
  ASSERT_EQ(clerk.post(kPositions, coded).status, 201);
  EXPECT_EQ(referent.get(kPositions + "?q=tari-2026-0007").json()["items"].size(), 1u);
  EXPECT_EQ(referent.get(kPositions + "?status=paid").status, 400);
  EXPECT_EQ(referent.get(kPositions + "?notice_number=123").status, 400);

  // Paging: newest first, the cursor continues where the page ended.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(referent.post(kPositions, positionBody("PAGE-" + std::to_string(i))).status, 201);
  auto first = referent.get(kPositions + "?q=segreteria%20page-&limit=2").json();
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["reference"], "PAGE-2");
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second = referent
                    .get(kPositions + "?q=segreteria%20page-&limit=2&cursor=" +
                         first["next_cursor"].get<std::string>())
                    .json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["reference"], "PAGE-0");
}

TEST_F(Positions, ABadRequestNamesEveryFieldAndStoresNothing) {
  HttpClient referent = as("ref.cremona");
  Json body = positionBody("BAD-1");
  body["debtor"]["fiscal_code"] = "RSSMRA85T10A562T";
  body["options"][0]["transfers"] = Json::parse(R"([
    {"amount_cents": 1000, "remittance": "a"},
    {"amount_cents": 600, "remittance": "b", "iban": "IT60X0542811101000000123457"}])");
  body["service_code"] = "9/0101108AP/";
  auto r = referent.post(kPositions, body);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(errorFields(r), (std::set<std::string>{"debtor.fiscal_code", "service_code",
                                                   "options[0].transfers[1].iban"}));

  Json floats = positionBody("BAD-2");
  floats["options"][0]["amount_cents"] = 16.0;
  auto f = referent.request("POST", kPositions, floats.dump());
  ASSERT_EQ(f.status, 400) << f.body;
  EXPECT_EQ(errorFields(f), std::set<std::string>{"options[0].amount_cents"});
  auto text = referent.request(
      "POST", kPositions,
      R"({"ente":"019036","reference":"BAD-3","options":[{"amount_cents":1600.50}]})");
  EXPECT_EQ(text.status, 400);
  EXPECT_EQ(referent.request("POST", kPositions, "{\"ente\":").status, 400);
  auto no_ente = referent.post(kPositions, Json{{"reference", "x"}});
  EXPECT_EQ(no_ente.status, 400);
  EXPECT_EQ(errorFields(no_ente), std::set<std::string>{"ente"});
  EXPECT_EQ(countMatching(referent, "BAD-"), 0u) << "nothing stored";

  // The same reference twice: 409, and the first one stays alone.
  ASSERT_EQ(referent.post(kPositions, positionBody("DUP-1")).status, 201);
  auto dup = referent.post(kPositions, positionBody("DUP-1"));
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(errorFields(dup), std::set<std::string>{"reference"});
  EXPECT_EQ(countMatching(referent, "DUP-1"), 1u);
}

TEST_F(Positions, AnEnteWithoutCreditorConfigurationCannotCreatePositions) {
  HttpClient admin = as("admin");
  auto r = admin.post(kPositions, positionBody("SOR-1", "019098"));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(errorFields(r), std::set<std::string>{"ente"});
  EXPECT_NE(r.json()["detail"].get<std::string>().find("configurazione di creditore"),
            std::string::npos);
  EXPECT_EQ(admin.get(kPositions + "?ente=019098").json()["items"].size(), 0u);
  EXPECT_EQ(admin.post(kPositions, positionBody("X", "019999")).status, 404) << "unknown ente";
}

TEST_F(Positions, AnotherEntesPositionsAreNotFound) {
  HttpClient referent = as("ref.cremona");
  auto created = referent.post(kPositions, positionBody("ISO-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = positionUrl(created.json());
  HttpClient crema = as("ref.crema");
  expectIsolated(crema,
                 {{"GET", url, ""},
                  {"POST", url + "/publish", ""},
                  {"POST", url + "/invalidate", R"({"reason":"prova"})"},
                  {"DELETE", url, ""}},
                 referent, url);
  EXPECT_EQ(crema.post(kPositions, positionBody("ISO-2")).status, 404)
      << "creating for another ente";
  EXPECT_EQ(crema.get(kPositions + "?ente=019036").status, 404);
  auto own = crema.get(kPositions + "?q=ISO-1");
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json()["items"].size(), 0u);
  EXPECT_EQ(crema.post(kPositions, positionBody("ISO-3", "019035")).status, 201) << "their own";
}

TEST_F(Positions, RolesWithoutTheRightAreRefused) {
  HttpClient referent = as("ref.cremona");
  auto created = referent.post(kPositions, positionBody("ROLE-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = positionUrl(created.json());
  for (const char* user : {"cittadino.bianchi", "geometra.rossi", "vigile.cremona", "comitato"}) {
    HttpClient c = as(user);
    EXPECT_EQ(c.get(kPositions).status, 403) << user;
    EXPECT_EQ(c.get(url).status, 403) << user;
    EXPECT_EQ(c.post(kPositions, positionBody("ROLE-2")).status, 403) << user;
  }
  // The call centre and the auditor read, but do not issue or change.
  for (const char* user : {"operatore", "revisore"}) {
    HttpClient c = as(user);
    EXPECT_EQ(c.get(url).status, 200) << user;
    EXPECT_EQ(c.post(kPositions, positionBody("ROLE-3")).status, 403) << user;
    EXPECT_EQ(c.post(url + "/publish", Json::object()).status, 403) << user;
    EXPECT_EQ(c.request("DELETE", url).status, 403) << user;
  }
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(kPositions).status, 401);
  EXPECT_EQ(referent.get(url).json()["status"], "DRAFT");
  EXPECT_EQ(countMatching(referent, "ROLE-"), 1u);
}

TEST_F(Positions, PublishInvalidateAndDeleteFollowTheLifecycleAndAreAudited) {
  HttpClient referent = as("ref.cremona");
  HttpClient admin = as("admin");
  auto created = referent.post(kPositions, positionBody("LIFE-1"));
  ASSERT_EQ(created.status, 201) << created.body;
  const Json p = created.json();
  const std::int64_t id = p["id"];
  const std::string url = positionUrl(p);
  ASSERT_EQ(positionAudit(admin, "payments.position.create", id).size(), 1u);
  EXPECT_EQ(positionAudit(admin, "payments.position.create", id)[0]["detail"]["notice_numbers"][0],
            p["options"][0]["notice_number"]);

  auto published = referent.post(url + "/publish", Json::object());
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.json()["status"], "VALID");
  EXPECT_EQ(published.json()["options"], p["options"]) << "the notice numbers do not change";
  EXPECT_EQ(referent.post(url + "/publish", Json::object()).status, 409) << "already published";
  EXPECT_EQ(referent.request("DELETE", url).status, 409) << "a published notice may be printed";

  auto no_reason = referent.post(url + "/invalidate", Json::object());
  ASSERT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(errorFields(no_reason), std::set<std::string>{"reason"});
  auto blank = referent.post(url + "/invalidate", {{"reason", "   "}});
  ASSERT_EQ(blank.status, 400) << blank.body;
  EXPECT_EQ(errorFields(blank), std::set<std::string>{"reason"});
  auto invalid = referent.post(url + "/invalidate", {{"reason", "emessa per errore"}});
  ASSERT_EQ(invalid.status, 200) << invalid.body;
  EXPECT_EQ(invalid.json()["status"], "INVALID");
  EXPECT_EQ(invalid.json()["invalid_reason"], "emessa per errore");
  const Json timeline = invalid.json()["timeline"];
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[1]["event"], "publish");
  EXPECT_EQ(timeline[1]["from_status"], "DRAFT");
  EXPECT_EQ(timeline[1]["to_status"], "VALID");
  EXPECT_EQ(timeline[2]["event"], "invalidate");
  EXPECT_EQ(timeline[2]["reason"], "emessa per errore");
  EXPECT_EQ(timeline[2]["actor"], "ref.cremona");
  EXPECT_EQ(referent.post(url + "/invalidate", {{"reason", "ancora"}}).status, 409) << "final";
  EXPECT_EQ(referent.post(url + "/publish", Json::object()).status, 409) << "final";

  const auto publish_audit = positionAudit(admin, "payments.position.publish", id);
  ASSERT_EQ(publish_audit.size(), 1u);
  EXPECT_EQ(publish_audit[0]["actor"], "ref.cremona");
  EXPECT_EQ(publish_audit[0]["ente"], "019036");
  const auto invalidate_audit = positionAudit(admin, "payments.position.invalidate", id);
  ASSERT_EQ(invalidate_audit.size(), 1u);
  EXPECT_EQ(invalidate_audit[0]["detail"]["reason"], "emessa per errore");
  EXPECT_EQ(invalidate_audit[0]["detail"]["from"], "VALID");

  // A draft is deleted; its notice number is gone and never issued again.
  auto draft = referent.post(kPositions, positionBody("LIFE-2"));
  ASSERT_EQ(draft.status, 201);
  const std::string draft_url = positionUrl(draft.json());
  EXPECT_EQ(referent.request("DELETE", draft_url).status, 204);
  EXPECT_EQ(referent.get(draft_url).status, 404);
  EXPECT_EQ(positionAudit(admin, "payments.position.delete", draft.json()["id"]).size(), 1u);
  auto next = referent.post(kPositions, positionBody("LIFE-2"));
  ASSERT_EQ(next.status, 201) << "the reference is free again";
  EXPECT_NE(next.json()["options"][0]["notice_number"],
            draft.json()["options"][0]["notice_number"]);
  EXPECT_EQ(referent.get(kPositions + "/999999999").status, 404);
}

// Each client creates `each` positions, all clients at once; every answer must be 201.
std::vector<Json> createAtOnce(std::vector<HttpClient>& clients, int each, const std::string& tag) {
  std::vector<std::vector<Json>> created(clients.size());
  std::vector<std::vector<std::string>> failures(clients.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < clients.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        auto r = clients[t].post(
            kPositions, positionBody(tag + "-" + std::to_string(t) + "-" + std::to_string(i)));
        if (r.status == 201)
          created[t].push_back(r.json());
        else
          failures[t].push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f.front();
  std::vector<Json> all;
  for (auto& list : created)
    for (Json& p : list) all.push_back(std::move(p));
  return all;
}

// `expected` distinct aux-3 notice numbers with correct check digits, and the counter only
// growing: in creation (id) order the bases strictly increase.
void expectDistinctAndIncreasing(const std::vector<Json>& created, std::size_t expected) {
  std::map<std::int64_t, std::string> nav_by_id;
  std::set<std::string> navs;
  for (const Json& p : created) {
    const std::string nav = p["options"][0]["notice_number"];
    nav_by_id[p["id"].get<std::int64_t>()] = nav;
    navs.insert(nav);
    auto parsed = payments::parseNoticeNumber(nav);
    ASSERT_TRUE(parsed) << nav;
    EXPECT_TRUE(parsed->checkDigitOk()) << nav;
    EXPECT_EQ(parsed->aux_digit, 3);
    EXPECT_EQ(parsed->segregation_code, "01");
  }
  EXPECT_EQ(navs.size(), expected);
  std::string previous;
  for (const auto& [id, nav] : nav_by_id) {
    const std::string base = nav.substr(3, 13);
    EXPECT_LT(previous, base) << "position " << id;
    previous = base;
  }
}

TEST_F(Positions, ConcurrentCreationsNeverShareANoticeNumber) {
  constexpr int kClients = 8, kEach = 25;
  std::vector<HttpClient> clients;
  for (int t = 0; t < kClients; ++t)
    clients.push_back(as(t % 2 ? "ref.cremona" : "impiegato.cremona"));
  expectDistinctAndIncreasing(createAtOnce(clients, kEach, "CONC"),
                              static_cast<std::size_t>(kClients * kEach));
}

TEST_F(Positions, TwoServersOnOneDatabaseNeverShareANoticeNumber) {
  if (!usingPostgres()) GTEST_SKIP() << "two instances share a database on PostgreSQL only";
  ServerOptions o;
  o.env = server_->cliEnv();  // the first server's database
  ServerProcess second(o);
  second.start();
  constexpr int kClientsEach = 4, kEach = 25;
  std::vector<HttpClient> clients;
  for (int t = 0; t < kClientsEach; ++t) {
    clients.push_back(as("ref.cremona"));
    clients.push_back(loggedIn(second, "impiegato.cremona"));
  }
  expectDistinctAndIncreasing(createAtOnce(clients, kEach, "TWO"),
                              static_cast<std::size_t>(2 * kClientsEach * kEach));
}

}  // namespace
}  // namespace cst::testkit
