// The service desk through its public HTTP interface, on the real `cst serve --demo`: requesters
// open and follow tickets, the desk works them, the SLA due times follow the CST calendar, and a
// Comune never sees another's tickets.
#include <gtest/gtest.h>

#include "cst_calendar.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"
#include "testkit/samples.hpp"

namespace cst::testkit {
namespace {

class Helpdesk : public DemoServerSuite<Helpdesk> {
 protected:
  static Json ticketFor(const std::string& ente, const std::string& subject) {
    return {{"ente", ente},
            {"subject", subject},
            {"description", "La stampante dell'ufficio anagrafe non stampa."},
            {"urgency", 4},
            {"impact", 2}};
  }
  static std::int64_t open(HttpClient& c, const Json& body) {
    auto r = c.post("/api/v1/helpdesk/tickets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", std::int64_t{0});
  }
  static std::int64_t countTickets(HttpClient& c) {
    return static_cast<std::int64_t>(
        c.get("/api/v1/helpdesk/tickets?limit=200").json()["items"].size());
  }
};

TEST_F(Helpdesk, AClerkOpensATicketWithMatrixPriorityAndDueTimesInBusinessHours) {
  HttpClient clerk = as("impiegato.cremona");
  auto r = clerk.post("/api/v1/helpdesk/tickets", ticketFor("019036", "Stampante guasta"));
  ASSERT_EQ(r.status, 201) << r.body;
  const Json t = r.json();
  EXPECT_EQ(t["state"], "new");
  EXPECT_EQ(t["priority"], 3) << "GLPI matrix: urgency 4 x impact 2 = 3";
  EXPECT_EQ(t["channel"], "portal");
  EXPECT_EQ(t["requester"]["name"], "Impiegato del Comune di Cremona");
  ASSERT_TRUE(t["timeline"].is_array());
  EXPECT_EQ(t["timeline"][0]["kind"], "created");

  // The due times are what the CST calendar gives: priority 3 = 4 h to own, 32 h to resolve, in
  // the desk's opening hours, without Italian holidays and Sant'Omobono (the seat is Cremona).
  const std::string opened = t["opened_at"];
  EXPECT_EQ(t["sla"]["due_own"], dueAfter(opened, std::chrono::hours(4)));
  EXPECT_EQ(t["sla"]["due_resolve"], dueAfter(opened, std::chrono::hours(32)));

  // The same ticket read back.
  auto again = clerk.get("/api/v1/helpdesk/tickets/" + std::to_string(t["id"].get<int>()));
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["subject"], "Stampante guasta");
  EXPECT_EQ(again.json()["sla"]["due_resolve"], t["sla"]["due_resolve"]);
}

TEST_F(Helpdesk, TheDeskWorksTheTicketAndTheRequesterSeesPublicRepliesOnly) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  const std::int64_t id = open(clerk, ticketFor("019036", "VPN non si connette"));
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);

  auto assigned = agent.patch(path, {{"assignee_group", "Reti"}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.json()["state"], "assigned") << "assigning a new ticket takes it in charge";
  EXPECT_FALSE(assigned.json()["owned_at"].is_null());
  EXPECT_EQ(assigned.json()["sla"]["own"], "met");

  ASSERT_EQ(
      agent.post(path + "/comments", {{"body", "Il firewall blocca la porta"}, {"internal", true}})
          .status,
      201);
  ASSERT_EQ(agent.post(path + "/comments", {{"body", "Può riavviare il client VPN?"}}).status, 201);
  auto pending = agent.patch(path, {{"state", "pending"}});
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.json()["sla"]["resolve"], "paused");

  // The requester's view: no internal note; replying resumes the ticket.
  const Json seen = clerk.get(path).json();
  for (const auto& e : seen["timeline"]) {
    EXPECT_NE(e["kind"], "note") << "internal notes are not shown to the requester";
    EXPECT_TRUE(e["public"].get<bool>());
  }
  auto reply = clerk.post(path + "/comments", {{"body", "Riavviato, ora funziona"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json()["state"], "in_progress") << "the requester's reply ends the wait";
  EXPECT_NE(reply.json()["sla"]["resolve"], "paused");

  // A requester may not write internal notes, nor change the ticket beyond close/reopen.
  EXPECT_EQ(clerk.post(path + "/comments", {{"body", "nota"}, {"internal", true}}).status, 403);
  EXPECT_EQ(clerk.patch(path, {{"priority", 5}}).status, 403);
  EXPECT_EQ(clerk.patch(path, {{"state", "solved"}}).status, 403);

  // Solved by the desk, closed by the requester; a closed ticket takes no more replies.
  ASSERT_EQ(agent.patch(path, {{"state", "solved"}}).status, 200);
  auto closed = clerk.patch(path, {{"state", "closed"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["state"], "closed");
  auto late = clerk.post(path + "/comments", {{"body", "ancora io"}});
  EXPECT_EQ(late.status, 422) << late.body;

  // The agent's timeline has everything, in order.
  std::vector<std::string> kinds;
  const Json full = agent.get(path).json();
  for (const auto& e : full["timeline"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"created", "assignment", "state", "note", "reply",
                                             "state", "reply", "state", "state", "state"}));
}

TEST_F(Helpdesk, OnlyTheRequesterConfirmsAndNoOpChangesRecordNothing) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  const std::int64_t id = open(clerk, ticketFor("019036", "Casella PEC piena"));
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);
  ASSERT_EQ(agent.patch(path, {{"assignee_group", "Posta"}}).status, 200);
  const std::size_t events = agent.get(path).json()["timeline"].size();
  auto again = agent.patch(path, {{"assignee_group", "Posta"}});
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["timeline"].size(), events) << "the same assignment again is no change";
  EXPECT_EQ(agent.patch(path, {{"assignee_id", 999999}}).json()["errors"][0]["field"],
            "assignee_id");

  ASSERT_EQ(agent.patch(path, {{"state", "solved"}}).status, 200);
  // The Comune's referent is not the requester: only the requester confirms or reopens.
  EXPECT_EQ(as("ref.cremona").patch(path, {{"state", "closed"}}).status, 403);
  EXPECT_EQ(clerk.patch(path, {{"state", "in_progress"}}).json()["state"], "in_progress");
}

TEST_F(Helpdesk, AForcedPriorityOutlivesANewUrgency) {
  HttpClient admin = as("admin");
  Json major = ticketFor("019036", "Rete del municipio ferma");
  major["priority"] = 6;
  auto r = admin.post("/api/v1/helpdesk/tickets", major);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(r.json()["id"].get<int>());
  auto changed = as("operatore").patch(path, {{"urgency", 5}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["urgency"], 5);
  EXPECT_EQ(changed.json()["priority"], 6) << "the override stays";
  // Without an override the matrix follows urgency and impact.
  HttpClient clerk = as("impiegato.cremona");
  const std::int64_t plain = open(clerk, ticketFor("019036", "Mouse rotto"));  // 4 x 2 -> 3
  auto moved =
      as("operatore").patch("/api/v1/helpdesk/tickets/" + std::to_string(plain), {{"impact", 5}});
  EXPECT_EQ(moved.json()["priority"], 5) << "4 x 5 -> 5";
}

TEST_F(Helpdesk, OnlyTheDeskLogsPhoneCallsAndOnlyTheAdminForcesAPriority) {
  HttpClient agent = as("operatore");
  Json call = ticketFor("019035", "Telefonata: posta non funziona");
  call["channel"] = "phone";
  call["requester"] = {{"name", "Ufficio tributi di Crema"},
                       {"email", "tributi@comune.crema.cr.it"}};
  auto r = agent.post("/api/v1/helpdesk/tickets", call);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["channel"], "phone");
  EXPECT_EQ(r.json()["requester"]["name"], "Ufficio tributi di Crema");

  HttpClient clerk = as("ref.crema");
  auto refused = clerk.post("/api/v1/helpdesk/tickets", call);
  ASSERT_EQ(refused.status, 400) << refused.body;
  std::set<std::string> fields;
  const Json refusal = refused.json();
  for (const auto& e : refusal["errors"]) fields.insert(e["field"]);
  EXPECT_TRUE(fields.count("channel"));
  EXPECT_TRUE(fields.count("requester"));

  Json major = ticketFor("019035", "Server comunale fermo");
  major["priority"] = 6;
  EXPECT_EQ(agent.post("/api/v1/helpdesk/tickets", major).status, 400) << "agents use the matrix";
  auto forced = as("admin").post("/api/v1/helpdesk/tickets", major);
  ASSERT_EQ(forced.status, 201) << forced.body;
  EXPECT_EQ(forced.json()["priority"], 6);
  EXPECT_EQ(forced.json()["priority_label"], "Critica");
}

TEST_F(Helpdesk, AComuneNeverSeesAnotherComunesTicketsAndCitizensOnlyTheirOwn) {
  HttpClient crema = as("ref.crema");
  HttpClient cremona = as("impiegato.cremona");
  const std::int64_t id = open(cremona, ticketFor("019036", "Scanner non rilevato"));
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);
  expectIsolated(crema,
                 {{"GET", path, ""},
                  {"PATCH", path, R"({"state":"closed"})"},
                  {"POST", path + "/comments", R"({"body":"curioso"})"}},
                 cremona, path);
  // Crema's list does not contain it, even when asking for Cremona explicitly.
  const Json cremas = crema.get("/api/v1/helpdesk/tickets?limit=200").json();
  ASSERT_TRUE(cremas["items"].is_array());
  for (const auto& t : cremas["items"]) EXPECT_EQ(t["ente"], "019035");
  EXPECT_TRUE(crema.get("/api/v1/helpdesk/tickets?ente=019036").json()["items"].empty());
  // Nor can Crema open a ticket for Cremona.
  EXPECT_EQ(crema.post("/api/v1/helpdesk/tickets", ticketFor("019036", "x")).status, 404);

  // A citizen of Cremona sees their own tickets, not the clerk's.
  HttpClient citizen = as("cittadino.bianchi");
  EXPECT_EQ(citizen.get(path).status, 404);
  const std::int64_t mine = open(citizen, ticketFor("019036", "Non riesco a pagare la TARI"));
  const Json list = citizen.get("/api/v1/helpdesk/tickets").json();
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  EXPECT_EQ(list["items"][0]["id"], mine);
  // The desk sees every ente.
  EXPECT_EQ(as("operatore").get(path).status, 200);
}

TEST_F(Helpdesk, SearchIsFullTextAndRankedAndQueuesFilter) {
  HttpClient agent = as("operatore");
  HttpClient clerk = as("impiegato.cremona");
  Json in_description = ticketFor("019036", "Problema con il portale");
  in_description["description"] = "Il certificato di firma digitale del sindaco risulta scaduto.";
  const std::int64_t low = open(clerk, in_description);
  const std::int64_t high = open(clerk, ticketFor("019036", "Firma digitale non funziona"));
  open(clerk, ticketFor("019036", "Monitor sfarfalla"));

  // Both match; the one with the word in its subject ranks first. "firm" is a word prefix.
  for (const std::string q : {"firma%20digitale", "FIRM", "digitale"}) {
    auto found = agent.get("/api/v1/helpdesk/tickets?ente=019036&q=" + q);
    ASSERT_EQ(found.status, 200) << found.body;
    const Json items = found.json()["items"];
    ASSERT_EQ(items.size(), 2u) << q << ": " << found.body;
    EXPECT_EQ(items[0]["id"], high) << q;
    EXPECT_EQ(items[1]["id"], low) << q;
  }
  // Ranked results page by offset.
  auto first = agent.get("/api/v1/helpdesk/tickets?ente=019036&q=firma&limit=1").json();
  ASSERT_EQ(first["items"].size(), 1u);
  auto second = agent
                    .get("/api/v1/helpdesk/tickets?ente=019036&q=firma&limit=1&cursor=" +
                         first["next_cursor"].get<std::string>())
                    .json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["id"], low);
  // Search respects visibility: Crema finds nothing of Cremona's.
  EXPECT_TRUE(as("ref.crema").get("/api/v1/helpdesk/tickets?q=firma").json()["items"].empty());
  // Operators and quotes are words separators, not syntax.
  EXPECT_EQ(agent.get("/api/v1/helpdesk/tickets?q=%22firma%22%20OR%20*").status, 200);
  EXPECT_EQ(agent.get("/api/v1/helpdesk/tickets?q=%22%2A%22").json()["errors"][0]["field"], "q");

  const Json open_new =
      agent.get("/api/v1/helpdesk/tickets?state=new&ente=019036&limit=200").json();
  ASSERT_FALSE(open_new["items"].empty());
  for (const auto& t : open_new["items"]) EXPECT_EQ(t["state"], "new");
  // Paging: newest first, cursor to the next page.
  auto page = agent.get("/api/v1/helpdesk/tickets?limit=1").json();
  ASSERT_EQ(page["items"].size(), 1u);
  auto next =
      agent.get("/api/v1/helpdesk/tickets?limit=1&cursor=" + page["next_cursor"].get<std::string>())
          .json();
  EXPECT_LT(next["items"][0]["id"].get<std::int64_t>(), page["items"][0]["id"].get<std::int64_t>());
}

TEST_F(Helpdesk, BadInputIsNamedAndChangesNothing) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  const std::int64_t before = countTickets(agent);
  auto r = clerk.post("/api/v1/helpdesk/tickets",
                      {{"ente", "19036"}, {"subject", 7}, {"urgency", 9}, {"type", "guasto"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  std::set<std::string> fields;
  const Json problem = r.json();
  for (const auto& e : problem["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"ente", "subject", "description", "type"}));
  auto semantic = clerk.post("/api/v1/helpdesk/tickets", {{"ente", "019036"},
                                                          {"subject", " "},
                                                          {"description", "x"},
                                                          {"urgency", 9},
                                                          {"category_id", 999999}});
  ASSERT_EQ(semantic.status, 400) << semantic.body;
  EXPECT_EQ(clerk.request("POST", "/api/v1/helpdesk/tickets", "{not json").status, 400);
  EXPECT_EQ(agent.get("/api/v1/helpdesk/tickets?state=aperto").json()["errors"][0]["field"],
            "state");
  EXPECT_EQ(agent.get("/api/v1/helpdesk/tickets?priority=x").json()["errors"][0]["field"],
            "priority");
  EXPECT_EQ(agent.get("/api/v1/helpdesk/tickets/abc").status, 400);
  EXPECT_EQ(countTickets(agent), before) << "a refused request stores nothing";

  const std::int64_t id = open(clerk, ticketFor("019036", "Tastiera"));
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);
  const Json unchanged = agent.get(path).json();
  auto move = agent.patch(path, {{"state", "closed"}});
  ASSERT_EQ(move.status, 400) << "new -> closed is not a move: " << move.body;
  EXPECT_EQ(move.json()["errors"][0]["field"], "state");
  EXPECT_EQ(agent.post(path + "/comments", {{"body", ""}}).status, 400);
  EXPECT_EQ(agent.get(path).json(), unchanged);
}

TEST_F(Helpdesk, AttachmentsAreScannedAndShownOnTheTimeline) {
  HttpClient clerk = as("impiegato.cremona");
  const std::int64_t id = open(clerk, ticketFor("019036", "Errore stampa PDF"));
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);
  auto ok = clerk.request("POST", path + "/attachments?filename=errore.txt", "messaggio di errore",
                          "text/plain");
  ASSERT_EQ(ok.status, 201) << ok.body;
  const Json last = ok.json()["timeline"].back();
  EXPECT_EQ(last["kind"], "attachment");
  EXPECT_EQ(last["data"]["filename"], "errore.txt");
  EXPECT_EQ(last["data"]["size"], 19);
  // The file is downloadable through the ticket by whoever sees the ticket.
  const std::string file = path + "/attachments/" + last["data"]["upload_id"].get<std::string>();
  auto content = clerk.get(file);
  EXPECT_EQ(content.status, 200);
  EXPECT_EQ(content.body, "messaggio di errore");
  EXPECT_EQ(as("ref.crema").get(file).status, 404);
  EXPECT_EQ(clerk.get(path + "/attachments/nonesiste").status, 404);
  // A citizen reads the desk's attachment on their own ticket (uploaded by someone else).
  HttpClient citizen = as("cittadino.bianchi");
  const std::int64_t mine = open(citizen, ticketFor("019036", "Avviso di pagamento illeggibile"));
  const std::string their = "/api/v1/helpdesk/tickets/" + std::to_string(mine);
  auto sent = as("operatore")
                  .request("POST", their + "/attachments?filename=istruzioni.txt", "Istruzioni",
                           "text/plain");
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string upload = sent.json()["timeline"].back()["data"]["upload_id"];
  EXPECT_EQ(citizen.get(their + "/attachments/" + upload).body, "Istruzioni");
  EXPECT_EQ(citizen.get("/api/v1/uploads/" + upload + "/content").status, 404)
      << "the uploads API still keeps others' files from citizens";

  auto infected = clerk.request("POST", path + "/attachments?filename=virus.com", eicar(),
                                "application/octet-stream");
  EXPECT_EQ(infected.status, 422) << infected.body;
  const Json after = clerk.get(path).json();
  EXPECT_EQ(after["timeline"].size(), ok.json()["timeline"].size()) << "nothing recorded";
  // Another Comune cannot attach to it.
  EXPECT_EQ(as("ref.crema")
                .request("POST", path + "/attachments?filename=a.txt", "x", "text/plain")
                .status,
            404);
}

}  // namespace
}  // namespace cst::testkit
