// The protocol register end to end: the real `cst serve` with demo data (Cremona 019036 and
// Crema 019035 have their AOO and titolario), documents uploaded through the antivirus, the
// numbering under concurrency, the signed segnatura, annulment and immutability, isolation.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

#include "common/crypto.hpp"
#include "segnatura.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

const std::string kRegistrations = "/api/v1/protocol/registrations";

std::string uploadAs(HttpClient& c, const std::string& body, const std::string& filename,
                     const std::string& ente = "019036") {
  auto r = c.request("POST", "/api/v1/uploads?ente=" + ente + "&filename=" + filename, body,
                     "application/pdf");
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json()["id"].get<std::string>() : "";
}

Json incoming(const std::string& primary, const std::string& subject,
              const std::vector<std::string>& attachments = {}) {
  Json atts = Json::array();
  for (std::size_t i = 0; i < attachments.size(); ++i)
    atts.push_back(
        {{"upload_id", attachments[i]}, {"description", "Allegato " + std::to_string(i + 1)}});
  return {{"ente", "019036"},
          {"flow", "incoming"},
          {"subject", subject},
          {"class_code", "6.3"},
          {"channel", "pec"},
          {"correspondents",
           {{{"kind", "person"},
             {"first_name", "Mario"},
             {"last_name", "Rossi"},
             {"fiscal_code", "RSSMRA85T10A562S"},
             {"email", "mario.rossi@pec.example.it"}}}},
          {"sender_date", "2026-11-20"},
          {"sender_number", "12/2026"},
          {"primary_document", {{"upload_id", primary}, {"description", "Istanza"}}},
          {"attachments", atts}};
}

// The PEM of the certificate a signed document carries in KeyInfo.
std::string embeddedCertificate(const std::string& xml_text) {
  const std::string open = "<X509Certificate>", close = "</X509Certificate>";
  const auto a = xml_text.find(open), b = xml_text.find(close);
  if (a == std::string::npos || b == std::string::npos) return "";
  std::string body = xml_text.substr(a + open.size(), b - a - open.size());
  body.erase(std::remove(body.begin(), body.end(), '\n'), body.end());
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

class Registrations : public DemoServerSuite<Registrations> {
 protected:
  // A fresh registration of Cremona by its clerk.
  Json registered(const std::string& subject) {
    HttpClient clerk = as("impiegato.cremona");
    const std::string primary = uploadAs(clerk, "%PDF-1.4 " + subject, "istanza.pdf");
    auto r = clerk.post(kRegistrations, incoming(primary, subject));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
};

TEST_F(Registrations, AnIncomingDocumentGetsNumberSegnaturaAndItsDocuments) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string primary = uploadAs(clerk, "%PDF-1.4 istanza", "istanza.pdf");
  const std::string attachment = uploadAs(clerk, "%PDF-1.4 planimetria", "planimetria.pdf");
  auto created =
      clerk.post(kRegistrations, incoming(primary, "Richiesta di accesso agli atti", {attachment}));
  ASSERT_EQ(created.status, 201) << created.body;
  const Json r = created.json();
  EXPECT_EQ(r["number"].get<std::string>().size(), 7u) << r["number"];
  EXPECT_EQ(r["year"], 2026);
  EXPECT_EQ(r["registry_code"], "PG");
  EXPECT_EQ(r["status"], "registered");
  EXPECT_EQ(r["attachments_count"], 1);
  EXPECT_EQ(r["documents"][1]["description"], "Allegato 1");
  EXPECT_EQ(r["correspondents"][0]["display_name"], "Mario Rossi");
  EXPECT_EQ(r["class_description"], "Edilizia privata");
  const std::string url = kRegistrations + "/" + std::to_string(r["id"].get<int>());

  auto seg = clerk.get(url + "/segnatura.xml");
  ASSERT_EQ(seg.status, 200) << seg.body;
  EXPECT_EQ(sha256Hex(seg.body), r["segnatura_sha256"]);
  auto doc = xml::parse(seg.body);
  ASSERT_TRUE(doc) << seg.body;
  auto valid = (*protocol::segnaturaSchema())->validate(doc->get());
  EXPECT_TRUE(valid) << (valid ? "" : valid.error().detail);
  EXPECT_NE(seg.body.find("<prot:NumeroRegistrazione>" + r["number"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(seg.body.find("<prot:CodiceAmministrazione prot:descrizione=\"Comune di Cremona\">"
                          "c_d150</prot:CodiceAmministrazione>"),
            std::string::npos);
  EXPECT_TRUE(xml::verifyEnveloped(doc->get(), embeddedCertificate(seg.body)));
  // The documents as uploaded.
  auto content = clerk.get(url + "/documents/1");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, "%PDF-1.4 planimetria");
  EXPECT_EQ(clerk.get(url + "/documents/7").status, 404);
}

// Registers `each` documents from every client at once; the numbers, sorted.
std::vector<std::int64_t> registerAtOnce(std::vector<HttpClient>& clients, const Json& body,
                                         int each) {
  std::vector<std::vector<std::int64_t>> numbers(clients.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < clients.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        auto r = clients[t].post(kRegistrations, body);
        EXPECT_EQ(r.status, 201) << r.body;
        if (r.status == 201)
          numbers[t].push_back(std::stoll(r.json()["number"].get<std::string>()));
      }
    });
  for (auto& t : threads) t.join();
  std::vector<std::int64_t> all;
  for (const auto& v : numbers) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  return all;
}

void expectConsecutive(const std::vector<std::int64_t>& all, std::size_t expected) {
  ASSERT_EQ(all.size(), expected);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i], all[i - 1] + 1) << "at " << i;
}

TEST_F(Registrations, ConcurrentRegistrationsGetDistinctConsecutiveNumbers) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string primary = uploadAs(clerk, "%PDF-1.4 circolare", "circolare.pdf");
  // Logged in one after the other: the server bounds concurrent password checks.
  std::vector<HttpClient> clients;
  for (int t = 0; t < 10; ++t) clients.push_back(as("impiegato.cremona"));
  expectConsecutive(registerAtOnce(clients, incoming(primary, "Registrazione concorrente"), 5), 50);
}

TEST_F(Registrations, TwoServersOnOneDatabaseNeverShareANumber) {
  if (!usingPostgres()) GTEST_SKIP() << "two instances share a database on PostgreSQL only";
  ServerOptions o;
  o.env = server_->cliEnv();  // the first server's database
  ServerProcess second(o);
  second.start();
  HttpClient clerk = as("impiegato.cremona");
  const std::string primary = uploadAs(clerk, "%PDF-1.4 due istanze", "due.pdf");
  std::vector<HttpClient> clients;
  for (int t = 0; t < 4; ++t) {
    clients.push_back(as("impiegato.cremona"));
    clients.push_back(loggedIn(second, "ref.cremona"));
  }
  expectConsecutive(registerAtOnce(clients, incoming(primary, "Due istanze"), 10), 80);
}

TEST_F(Registrations, AnAnnulmentKeepsEverythingVisibleAndNothingElseChangesIt) {
  const Json r = registered("Da annullare");
  const std::string url = kRegistrations + "/" + std::to_string(r["id"].get<int>());
  HttpClient clerk = as("impiegato.cremona");
  HttpClient referent = as("ref.cremona");
  // The clerk may not annul; the referent must give reason and authorisation.
  EXPECT_EQ(clerk.post(url + "/annul", {{"reason", "errore"}, {"authorisation", "x"}}).status, 403);
  auto missing = referent.post(url + "/annul", {{"reason", "Oggetto errato"}});
  ASSERT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(missing.json()["errors"][0]["field"], "authorisation");
  auto done = referent.post(
      url + "/annul", {{"reason", "Oggetto errato"}, {"authorisation", "Provvedimento n. 3/2026"}});
  ASSERT_EQ(done.status, 200) << done.body;
  const Json a = done.json();
  EXPECT_EQ(a["status"], "annulled");
  EXPECT_EQ(a["annulment"]["reason"], "Oggetto errato");
  EXPECT_EQ(a["annulment"]["annulled_by"], "ref.cremona");
  EXPECT_EQ(a["subject"], "Da annullare") << "the original data stay readable";
  EXPECT_EQ(a["number"], r["number"]);
  EXPECT_EQ(referent.post(url + "/annul", {{"reason", "ancora"}, {"authorisation", "y"}}).status,
            409);
  // Never changed, never deleted.
  for (const char* method : {"PUT", "PATCH"})
    EXPECT_EQ(referent.request(method, url, Json{{"subject", "Altro"}}.dump()).status, 422);
  EXPECT_EQ(referent.request("DELETE", url).status, 422);
  const Json after = clerk.get(url).json();
  EXPECT_EQ(after["subject"], "Da annullare");
  EXPECT_EQ(after["status"], "annulled");
  // Searchable by state; every attempt in the audit log.
  const Json annulled =
      clerk.get(kRegistrations + "?ente=019036&status=annulled&q=da%20annullare").json();
  ASSERT_FALSE(annulled["items"].empty());
  EXPECT_EQ(annulled["items"][0]["id"], r["id"]);
  HttpClient admin = as("admin");
  std::multiset<std::string> seen;
  for (const char* action : {"protocol.registration.annul", "protocol.registration.modify"}) {
    const Json audit = admin.get(std::string("/api/v1/audit?limit=200&action=") + action).json();
    for (const auto& e : audit["items"])
      if (e["object_id"] == std::to_string(r["id"].get<int>()))
        seen.insert(e["action"].get<std::string>() + ":" + e["outcome"].get<std::string>());
  }
  EXPECT_EQ(seen.count("protocol.registration.annul:ok"), 1u) << seen.size();
  EXPECT_GE(seen.count("protocol.registration.annul:denied"), 2u) << seen.size();
  EXPECT_EQ(seen.count("protocol.registration.modify:denied"), 3u) << seen.size();
}

TEST_F(Registrations, BadRequestsNameTheFieldAndUseNoNumber) {
  HttpClient clerk = as("impiegato.cremona");
  const Json before = registered("Prima");
  const std::string primary = uploadAs(clerk, "%PDF-1.4 x", "x.pdf");
  Json unknown_class = incoming(primary, "Classe sconosciuta");
  unknown_class["class_code"] = "99.9";
  auto c = clerk.post(kRegistrations, unknown_class);
  ASSERT_EQ(c.status, 400) << c.body;
  EXPECT_EQ(c.json()["errors"][0]["field"], "class_code");
  HttpClient crema = as("ref.crema");
  const std::string theirs = uploadAs(crema, "%PDF-1.4 crema", "crema.pdf", "019035");
  auto foreign = clerk.post(kRegistrations, incoming(theirs, "File di un altro ente"));
  ASSERT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_EQ(foreign.json()["errors"][0]["field"], "primary_document.upload_id");
  auto empty = clerk.post(kRegistrations, Json{{"ente", "019036"}});
  ASSERT_EQ(empty.status, 400);
  const Json errors = empty.json()["errors"];
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e["field"].get<std::string>());
  for (const char* f : {"flow", "subject", "class_code", "primary_document"})
    EXPECT_EQ(fields.count(f), 1u) << f << " in " << empty.body;
  // None of them used a number.
  const Json after = registered("Dopo");
  EXPECT_EQ(std::stoll(after["number"].get<std::string>()),
            std::stoll(before["number"].get<std::string>()) + 1);
}

TEST_F(Registrations, AnotherEntesRegistrationsAreInvisible) {
  const Json r = registered("Solo per Cremona");
  const std::string url = kRegistrations + "/" + std::to_string(r["id"].get<int>());
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get(url).status, 404);
  EXPECT_EQ(crema.get(url + "/segnatura.xml").status, 404);
  EXPECT_EQ(crema.get(url + "/documents/0").status, 404);
  EXPECT_EQ(crema.post(url + "/annul", {{"reason", "r"}, {"authorisation", "a"}}).status, 404);
  EXPECT_EQ(crema.request("PUT", url, "{}").status, 404);
  const Json list = crema.get(kRegistrations + "?q=Solo%20per%20Cremona").json();
  EXPECT_TRUE(list["items"].empty()) << list.dump();
  EXPECT_EQ(crema.post(kRegistrations, incoming("x", "y")).status, 404)
      << "registering on another ente";
  // Roles without the register: citizens and the call centre.
  EXPECT_EQ(as("cittadino.bianchi").get(url).status, 404);
  EXPECT_EQ(as("operatore").get(kRegistrations).status, 403);
}

// Crema's AOO: the other tests register on Cremona's.
TEST_F(Registrations, TheAoosPecIsSavedAndChecked) {
  HttpClient referent = as("ref.crema");
  const std::string url = "/api/v1/protocol/aoo/019035";
  auto seeded = referent.get(url);
  ASSERT_EQ(seeded.status, 200) << seeded.body;
  EXPECT_EQ(seeded.json()["pec"], "protocollo@pec.comune-crema.example");

  Json aoo = {{"aoo_code", "AOO_CREMA"},
              {"aoo_name", "Area organizzativa omogenea del Comune di Crema"},
              {"registry_code", "PG"},
              {"pec", "protocollo crema@pec"}};
  auto bad = referent.request("PUT", url, aoo.dump());
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["errors"][0]["field"], "pec");
  EXPECT_EQ(referent.get(url).json()["pec"], "protocollo@pec.comune-crema.example")
      << "unchanged by the refused PUT";

  aoo["pec"] = "archivio.protocollo@pec.comune-crema.example";
  auto put = referent.request("PUT", url, aoo.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["pec"], "archivio.protocollo@pec.comune-crema.example");
  const Json read = referent.get(url).json();
  EXPECT_EQ(read["pec"], "archivio.protocollo@pec.comune-crema.example");
  EXPECT_EQ(read["aoo_code"], "AOO_CREMA");
  // An operator of the ente reads it but does not configure it.
  EXPECT_EQ(
      as("impiegato.cremona").request("PUT", "/api/v1/protocol/aoo/019036", aoo.dump()).status,
      403);
}

TEST_F(Registrations, TheJobMakesTheMissingDailyRegisters) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string list_url = "/api/v1/protocol/daily-registers?ente=019036";
  // The demo's AOO counts as configured a week ago: seven past days are due.
  auto before = clerk.get(list_url);
  ASSERT_EQ(before.status, 200) << before.body;
  const Json due = before.json();
  ASSERT_TRUE(due["items"].is_array());
  if (due["items"].empty()) {
    EXPECT_EQ(due["missing"].size(), 7u) << due.dump();
  }
  EXPECT_EQ(as("ref.crema").get(list_url).status, 404);
  EXPECT_EQ(as("cittadino.bianchi").get(list_url).status, 403);
  EXPECT_EQ(clerk.get("/api/v1/protocol/daily-registers").status, 400);
  EXPECT_EQ(clerk.get("/api/v1/protocol/daily-registers/999999/register.pdf").status, 404);

  // The administrator runs the hourly job now.
  HttpClient admin = as("admin");
  const Json jobs = admin.get("/api/v1/jobs").json();
  std::optional<int> job;
  for (const auto& j : jobs["items"])
    if (j["kind"] == "protocol.daily-register") job = j["id"].get<int>();
  ASSERT_TRUE(job) << jobs.dump();
  ASSERT_LT(admin.request("POST", "/api/v1/jobs/" + std::to_string(*job) + "/run").status, 300);
  Json after;
  for (int i = 0; i < 100; ++i) {
    after = clerk.get(list_url).json();
    if (after["missing"].empty() && after["items"].size() >= 7) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(after["missing"], Json::array()) << after.dump();
  ASSERT_GE(after["items"].size(), 7u);
  const Json newest = after["items"][0];
  const std::string files =
      "/api/v1/protocol/daily-registers/" + std::to_string(newest["id"].get<int>()) + "/register.";
  auto pdf = clerk.get(files + "pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(sha256Hex(pdf.body), newest["pdf_sha256"]);
  auto json_file = clerk.get(files + "json");
  ASSERT_EQ(json_file.status, 200);
  EXPECT_EQ(Json::parse(json_file.body)["day"], newest["day"]);
  EXPECT_EQ(Json::parse(json_file.body)["aoo_pec"], "protocollo@pec.comune-cremona.example")
      << "the demo AOO's PEC";
  EXPECT_EQ(as("ref.crema").get(files + "pdf").status, 404);
}

}  // namespace
}  // namespace cst::testkit
