// The antivirus service end to end: the real `cst serve` (demo, supervised clamd with the
// project's test signatures), HTTP and the `cst av` / `cst helpdesk mail-in` command lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "scan/clamd_supervisor.hpp"
#include "signatures.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"
#include "testkit/samples.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

// The harmless marker of the test signatures, assembled here so no source file matches it.
std::string marker() { return std::string("CST-TEST-") + "MALWARE-MARKER"; }

HttpResponse scanAs(HttpClient& c, const std::string& body, const std::string& ente = "019036",
                    const std::string& filename = "verbale.txt") {
  return c.request("POST", "/api/v1/antivirus/scan?ente=" + ente + "&filename=" + filename, body,
                   "application/octet-stream");
}

HttpResponse uploadAs(HttpClient& c, const std::string& body, const std::string& filename) {
  return c.request("POST", "/api/v1/uploads?ente=019036&filename=" + filename, body, "text/plain");
}

// The quarantine records of Cremona with this file name.
Json quarantined(HttpClient& admin, const std::string& filename) {
  Json out = Json::array();
  const Json all = admin.get("/api/v1/antivirus/quarantine?ente=019036&limit=200").json();
  for (const auto& r : all["items"])
    if (r["filename"] == filename) out.push_back(r);
  return out;
}

fs::path writeTemp(const std::string& name, const std::string& content) {
  const fs::path p = fs::temp_directory_path() / ("cst-av-" + std::to_string(::getpid()) + name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

class Antivirus : public DemoServerSuite<Antivirus> {
 protected:
  void SetUp() override {
    HttpClient probe(server_->port());
    ASSERT_EQ(probe.get("/readyz").json()["scanner"], "ok") << server_->log();
  }
};

TEST_F(Antivirus, AnInfectedUploadIsQuarantinedTicketedAndOnlyTheAdministratorOpensIt) {
  HttpClient clerk = as("impiegato.cremona");
  auto r = uploadAs(clerk, eicar(), "fattura-aprile.txt");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.json()["detail"].get<std::string>().find("quarantena"), std::string::npos) << r.body;
  EXPECT_EQ(r.json()["errors"][0]["field"], "file");

  HttpClient admin = as("admin");
  const Json found = quarantined(admin, "fattura-aprile.txt");
  ASSERT_EQ(found.size(), 1u) << found.dump();
  const Json q = found[0];
  EXPECT_EQ(q["status"], "held");
  EXPECT_EQ(q["size"], 68);
  EXPECT_EQ(q["sha256"], sha256Hex(eicar()));
  EXPECT_EQ(q["actor"], "impiegato.cremona");
  EXPECT_EQ(q["source"], "uploads");
  EXPECT_EQ(q["signature"].get<std::string>().rfind("Cst.Test.EICAR", 0), 0u) << q.dump();
  ASSERT_TRUE(q["ticket_id"].is_number()) << q.dump();
  const std::string id = std::to_string(q["id"].get<std::int64_t>());
  const std::string path = "/api/v1/antivirus/quarantine/" + id;

  // The desk has the ticket; the referent of Cremona has a mail queued.
  auto ticket =
      admin.get("/api/v1/helpdesk/tickets/" + std::to_string(q["ticket_id"].get<std::int64_t>()));
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_EQ(ticket.json()["channel"], "monitoring");
  EXPECT_EQ(ticket.json()["ente"], "019036");
  bool recorded = false;
  const Json events = admin.get("/api/v1/antivirus/events?ente=019036").json();
  for (const auto& e : events["items"])
    recorded = recorded ||
               (e["kind"] == "quarantine" &&
                e["subject"].get<std::string>().find("fattura-aprile.txt") != std::string::npos);
  EXPECT_TRUE(recorded) << "the event is recorded";

  // Cremona's referent sees the record, not the content; Crema sees neither.
  HttpClient referent = as("ref.cremona");
  EXPECT_EQ(referent.get(path).status, 200);
  EXPECT_EQ(referent.get(path + "/content").status, 403);
  EXPECT_EQ(referent.post(path + "/release", {{"reason", "mio"}}).status, 403);
  HttpClient crema = as("ref.crema");
  expectIsolated(crema, {{"GET", path, ""}, {"GET", path + "/content", ""}}, admin, path);
  // Deciding is for the CST's administrators whatever the record: 403, which tells nothing.
  EXPECT_EQ(crema.post(path + "/discard", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(crema.get("/api/v1/antivirus/quarantine?ente=019036").status, 404);

  auto content = admin.get(path + "/content");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, eicar());
  EXPECT_EQ(content.header("content-type"), "application/octet-stream");
  EXPECT_NE(content.header("content-disposition").find("attachment"), std::string::npos);

  // Release needs a reason; then the file is an upload of its owner, marked released.
  auto no_reason = admin.post(path + "/release", Json::object());
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.json()["errors"][0]["field"], "reason");
  EXPECT_EQ(admin.get(path).json()["status"], "held") << "a refused request changes nothing";
  auto released = admin.post(path + "/release", {{"reason", "Falso positivo confermato"}});
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(released.json()["status"], "released");
  EXPECT_EQ(released.json()["decided_by"], "admin");
  const std::string upload = released.json()["released_upload_id"];
  auto meta = clerk.get("/api/v1/uploads/" + upload);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(meta.json()["scan"], "released");
  EXPECT_EQ(meta.json()["filename"], "fattura-aprile.txt");
  EXPECT_EQ(admin.post(path + "/discard", {{"reason", "tardi"}}).status, 409);

  // Every decision and read is audited.
  for (const char* action :
       {"antivirus.quarantine", "antivirus.quarantine.read", "antivirus.release"}) {
    bool seen = false;
    const Json audit =
        admin.get(std::string("/api/v1/audit?action=") + action + "&limit=200").json();
    for (const auto& e : audit["items"]) seen = seen || e["object_id"] == id;
    EXPECT_TRUE(seen) << action;
  }
}

TEST_F(Antivirus, EveryUploadPathQuarantines) {
  HttpClient clerk = as("impiegato.cremona");
  auto opened = clerk.post(
      "/api/v1/helpdesk/tickets",
      {{"ente", "019036"}, {"subject", "Allegato sospetto"}, {"description", "Vedi allegato"}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::string ticket = std::to_string(opened.json()["id"].get<std::int64_t>());
  auto attached = clerk.request(
      "POST", "/api/v1/helpdesk/tickets/" + ticket + "/attachments?filename=marker.txt",
      "riga 1\n" + marker() + "\n", "text/plain");
  EXPECT_EQ(attached.status, 422) << attached.body;
  HttpClient admin = as("admin");
  const Json via_ticket = quarantined(admin, "marker.txt");
  ASSERT_EQ(via_ticket.size(), 1u);
  EXPECT_EQ(via_ticket[0]["source"], "helpdesk.attachment");
  EXPECT_EQ(via_ticket[0]["signature"], "Cst.Test.Marker.NDB.UNOFFICIAL");
  // A clean attachment on the same path is stored.
  EXPECT_EQ(
      clerk
          .request("POST", "/api/v1/helpdesk/tickets/" + ticket + "/attachments?filename=ok.txt",
                   "tutto bene\n", "text/plain")
          .status,
      201);

  std::vector<std::string> args{"helpdesk", "mail-in"};
  for (const auto& a : server_->cliArgs()) args.push_back(a);
  auto mailed = runCli(args,
                       mailWithAttachment("impiegato.cremona@cst-cremona.example", "Fattura",
                                          "fattura-mail.exe", eicar()),
                       server_->cliEnv());
  EXPECT_EQ(mailed.exit_code, 65) << mailed.out << mailed.err;
  const Json via_mail = quarantined(admin, "fattura-mail.exe");
  ASSERT_EQ(via_mail.size(), 1u) << "the CLI quarantines as the server does";
  EXPECT_EQ(via_mail[0]["source"], "helpdesk.mail-in");
}

TEST_F(Antivirus, ScanningAsAServiceGivesTheVerdictAndKeepsTheHistoryPerEnte) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string text = "Relazione tecnica\n";
  auto clean = scanAs(clerk, text, "019036", "relazione.txt");
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_EQ(clean.json()["verdict"], "clean");
  EXPECT_TRUE(clean.json()["signature"].is_null());
  EXPECT_EQ(clean.json()["sha256"], sha256Hex(text));
  EXPECT_EQ(clean.json()["size"], text.size());
  auto infected = scanAs(clerk, "x" + marker() + "y", "019036", "strano.doc");
  ASSERT_EQ(infected.status, 200) << infected.body;
  EXPECT_EQ(infected.json()["verdict"], "infected");
  EXPECT_EQ(infected.json()["signature"], "Cst.Test.Marker.NDB.UNOFFICIAL");

  HttpClient admin = as("admin");
  EXPECT_TRUE(quarantined(admin, "strano.doc").empty()) << "a verdict, not an upload";
  EXPECT_EQ(scanAs(clerk, "x", "019035").status, 404) << "another ente";
  auto no_ente = clerk.request("POST", "/api/v1/antivirus/scan?filename=a.txt", "x",
                               "application/octet-stream");
  EXPECT_EQ(no_ente.status, 400);
  EXPECT_EQ(no_ente.json()["errors"][0]["field"], "ente");
  EXPECT_EQ(scanAs(clerk, "x", "019036", "..").status, 400) << "no paths as names";
  HttpClient citizen = as("cittadino.bianchi");
  EXPECT_EQ(scanAs(citizen, "x").status, 403);

  auto history = clerk.get("/api/v1/antivirus/scans?ente=019036&verdict=infected");
  ASSERT_EQ(history.status, 200);
  bool listed = false;
  const Json items = history.json()["items"];
  for (const auto& s : items) listed = listed || s["filename"] == "strano.doc";
  EXPECT_TRUE(listed) << history.body;
  EXPECT_EQ(clerk.get("/api/v1/antivirus/scans?verdict=pulito").status, 400);
  const Json crema_scans = as("ref.crema").get("/api/v1/antivirus/scans").json();
  for (const auto& s : crema_scans["items"])
    EXPECT_EQ(s["ente"], "019035") << "Crema sees only its own";

  // From the command line, with a token of the clerk's.
  auto token = clerk.post("/api/v1/tokens", {{"name", "script di verifica"}});
  ASSERT_EQ(token.status, 201) << token.body;
  const fs::path ok = writeTemp("ok.txt", text), bad = writeTemp("bad.txt", marker());
  auto cli = runCli({"av", "scan", "--server", server_->baseUrl(), "--token", token.json()["token"],
                     "--ente", "019036", ok.string(), bad.string()});
  EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.out.find(ok.string() + ": OK"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find(bad.string() + ": Cst.Test.Marker.NDB.UNOFFICIAL FOUND"),
            std::string::npos)
      << cli.out;
  auto refused = runCli({"av", "scan", "--server", server_->baseUrl(), "--token", "sbagliato",
                         "--ente", "019036", ok.string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("ERROR"), std::string::npos) << refused.out;
  fs::remove(ok);
  fs::remove(bad);
}

TEST_F(Antivirus, TheEngineIsShownWithItsSupervision) {
  auto r = as("comitato").get("/api/v1/antivirus/engine");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json e = r.json();
  EXPECT_TRUE(e["reachable"].get<bool>()) << r.body;
  EXPECT_FALSE(e["engine_version"].get<std::string>().empty());
  EXPECT_EQ(e["signatures"], "unknown") << "the test signatures have no daily database";
  EXPECT_TRUE(e["supervised"].get<bool>());
  EXPECT_TRUE(e["supervisor"]["running"].get<bool>());
  EXPECT_GT(e["supervisor"]["pid"].get<int>(), 0);
  EXPECT_EQ(e["oversize"], "reject");
  EXPECT_EQ(as("cittadino.bianchi").get("/api/v1/antivirus/engine").status, 403);
}

TEST_F(Antivirus, EndpointsReportWithAgentTokensAndEachEnteSeesItsOwn) {
  HttpClient referent = as("ref.cremona");
  auto agent = referent.post("/api/v1/antivirus/agents", {{"ente", "019036"}, {"name", "pc01"}});
  ASSERT_EQ(agent.status, 201) << agent.body;
  EXPECT_EQ(referent.post("/api/v1/antivirus/agents", {{"ente", "019035"}, {"name", "x"}}).status,
            404);
  HttpClient machine(server_->port());
  machine.useBearer(agent.json()["token"]);

  // The demo has endpoints of its own: this test's is found by its name.
  const std::string host = "economato-pc77";
  auto hosts = [](HttpClient& c, const std::string& query) {
    std::map<std::string, Json> out;
    const Json page = c.get("/api/v1/antivirus/endpoints" + query).json();
    for (const auto& e : page["items"]) out[e["hostname"]] = e;
    return out;
  };
  auto cremonaProtected = [] {
    const Json summary = as("comitato").get("/api/v1/antivirus/endpoints/summary").json();
    for (const auto& e : summary["items"])
      if (e["ente"] == "019036") return e["protected"].get<int>();
    return 0;
  };
  const int protected_before = cremonaProtected();
  const Json good{{"hostname", host},
                  {"os", "Windows 11 Pro"},
                  {"product", "Microsoft Defender"},
                  {"signature_version", "1.419.512.0"},
                  {"signature_updated_at", formatTimestamp(systemNow())},
                  {"detections", 0}};
  auto bad =
      machine.post("/api/v1/antivirus/endpoints/report", {{"hostname", host}, {"detections", -3}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["errors"][0]["field"], "detections");
  EXPECT_FALSE(hosts(referent, "?ente=019036").count(host)) << "a refused report stores nothing";
  auto sent = machine.post("/api/v1/antivirus/endpoints/report", good);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()["status"], "protected");
  EXPECT_EQ(sent.json()["ente"], "019036");
  Json other = good;
  other["ente"] = "019035";
  EXPECT_EQ(machine.post("/api/v1/antivirus/endpoints/report", other).status, 404);
  EXPECT_EQ(machine.get("/api/v1/antivirus/endpoints").status, 403) << "agents only report";

  const auto listed = hosts(referent, "?status=protected&limit=200");
  ASSERT_TRUE(listed.count(host));
  for (const auto& [name, e] : listed) EXPECT_EQ(e["ente"], "019036") << name;
  const std::string id = std::to_string(listed.at(host)["id"].get<std::int64_t>());
  HttpClient crema = as("ref.crema");
  for (const auto& [name, e] : hosts(crema, "?limit=200")) EXPECT_EQ(e["ente"], "019035") << name;
  EXPECT_EQ(crema.request("DELETE", "/api/v1/antivirus/endpoints/" + id).status, 404);
  EXPECT_EQ(cremonaProtected(), protected_before + 1);

  // The same machine through `cst av report`, with the local facts of this host's clamd.
  const std::string clamd = "unix:" + (server_->dataDir() / "clamd" / "clamd.sock").string();
  auto dry =
      runCli({"av", "report", "--server", server_->baseUrl(), "--clamd", clamd, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const Json facts = Json::parse(dry.out);
  EXPECT_EQ(facts["product"], "ClamAV");
  EXPECT_FALSE(facts["hostname"].get<std::string>().empty());
  auto posted = runCli({"av", "report", "--server", server_->baseUrl(), "--token",
                        agent.json()["token"], "--clamd", clamd, "--detections", "0"});
  ASSERT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_NE(posted.out.find(": outdated"), std::string::npos)
      << "no signature date from the test database: " << posted.out;

  // Settings: only the CST's administrators, every bad field named.
  EXPECT_EQ(
      referent.request("PUT", "/api/v1/antivirus/settings", R"({"silent_after_hours":1})").status,
      403);
  HttpClient admin = as("admin");
  auto wrong = admin.request("PUT", "/api/v1/antivirus/settings", R"({"silent_after_hours":0})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json()["errors"][0]["field"], "silent_after_hours");
  EXPECT_EQ(referent.request("DELETE", "/api/v1/antivirus/endpoints/" + id).status, 204);
}

// A server with a small stream limit, for the files clamd cannot take whole.
class Oversize : public ::testing::Test {
 protected:
  static std::unique_ptr<ServerProcess> start(const std::string& policy) {
    const fs::path config = writeTemp("-" + policy + ".toml",
                                      "[scanner]\nmax_stream_bytes = 4096\n[antivirus]\n"
                                      "oversize = \"" +
                                          policy + "\"\n");
    ServerOptions o;
    o.extra_args = {"--config", config.string()};
    auto s = std::make_unique<ServerProcess>(o);
    s->start();
    return s;
  }
};

TEST_F(Oversize, AFileAboveTheStreamLimitIsNeverCalledClean) {
  const std::string big(10000, 'a');
  auto reject = start("reject");
  HttpClient clerk = loggedIn(*reject, "impiegato.cremona");
  EXPECT_EQ(uploadAs(clerk, big, "grande.txt").status, 413);
  EXPECT_EQ(scanAs(clerk, big).status, 413);
  EXPECT_EQ(uploadAs(clerk, "piccolo", "piccolo.txt").status, 201);
  reject.reset();

  auto flag = start("flag");
  HttpClient clerk2 = loggedIn(*flag, "impiegato.cremona");
  auto stored = uploadAs(clerk2, big, "grande.txt");
  ASSERT_EQ(stored.status, 201) << stored.body;
  EXPECT_EQ(stored.json()["scan"], "not_scanned");
  auto verdict = scanAs(clerk2, big);
  ASSERT_EQ(verdict.status, 200) << verdict.body;
  EXPECT_EQ(verdict.json()["verdict"], "error");
  EXPECT_EQ(verdict.json()["reason"], "too_large");
  EXPECT_EQ(uploadAs(clerk2, eicar(), "piccolo.txt").status, 422) << "small files still scanned";
}

// clamd outside the server (CST_CLAMD), stopped and started by the test.
TEST(ClamdOutage, UploadsAndScansAnswer503StoreNothingAndResumeWhenClamdIsBack) {
  const fs::path dir = fs::path("/tmp") / ("cst-avo-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  scan::ClamdSupervisorOptions o;
  o.work_dir = dir / "clamd";
  o.database_dir = cst::antivirus::testing::testSignatures();
  auto clamd = std::make_unique<scan::ClamdSupervisor>(o);
  ASSERT_TRUE(clamd->start());
  ServerOptions so;
  so.env["CST_CLAMD"] = clamd->scannerOptions().endpoint;
  ServerProcess server(so);
  server.start();
  HttpClient clerk = loggedIn(server, "impiegato.cremona");
  ASSERT_EQ(uploadAs(clerk, "prima", "prima.txt").status, 201);

  clamd.reset();  // stops it
  auto down = uploadAs(clerk, "durante", "durante.txt");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(scanAs(clerk, "durante").status, 503);
  HttpClient admin = loggedIn(server, "admin");
  auto engine = admin.get("/api/v1/antivirus/engine").json();
  EXPECT_FALSE(engine["reachable"].get<bool>());
  EXPECT_FALSE(engine["supervised"].get<bool>()) << "an external clamd";
  bool stored = false;
  const Json creates = admin.get("/api/v1/audit?action=upload.create&limit=200").json();
  for (const auto& e : creates["items"])
    stored = stored || e["detail"]["filename"] == "durante.txt";
  EXPECT_FALSE(stored) << "nothing stored while clamd is down";

  clamd = std::make_unique<scan::ClamdSupervisor>(o);
  ASSERT_TRUE(clamd->start());
  EXPECT_EQ(uploadAs(clerk, "dopo", "dopo.txt").status, 201) << "the service resumes by itself";
  EXPECT_EQ(scanAs(clerk, "dopo").json()["verdict"], "clean");
  server.stop();
  clamd.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cst::testkit
