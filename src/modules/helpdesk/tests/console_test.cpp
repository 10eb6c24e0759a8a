// The agents' console through the public HTTP interface, on the real `cst serve --demo`: bulk
// changes (all or none), watchers (only people who may see the ticket), links read from both
// sides, merges that carry the timeline over, and canned answers filled from the ticket.
#include <gtest/gtest.h>

#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"

namespace cst::testkit {
namespace {

class Console : public DemoServerSuite<Console> {
 protected:
  static std::int64_t open(HttpClient& c, const std::string& ente, const std::string& subject) {
    auto r = c.post("/api/v1/helpdesk/tickets", {{"ente", ente},
                                                 {"subject", subject},
                                                 {"description", "Descrizione di " + subject},
                                                 {"urgency", 3},
                                                 {"impact", 3}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", std::int64_t{0});
  }
  static std::string path(std::int64_t id) {
    return "/api/v1/helpdesk/tickets/" + std::to_string(id);
  }
  static std::int64_t userId(HttpClient& c) {
    return c.get("/api/v1/auth/me").json().value("id", std::int64_t{0});
  }
  static std::vector<std::string> kinds(const Json& timeline) {
    std::vector<std::string> out;
    for (const Json& e : timeline) out.push_back(e["kind"].get<std::string>());
    return out;
  }
};

TEST_F(Console, ABulkChangeAppliesToEveryTicketOrToNone) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  const std::int64_t a = open(clerk, "019036", "Bulk uno");
  const std::int64_t b = open(clerk, "019036", "Bulk due");

  // One ticket cannot move (new -> closed is not allowed): nothing changes, and the answer names
  // it.
  const std::int64_t solved = open(clerk, "019036", "Bulk tre");
  auto refused = agent.post("/api/v1/helpdesk/tickets/bulk",
                            {{"ids", {a, b, 999999}}, {"change", {{"assignee_group", "Reti"}}}});
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_NE(refused.body.find("999999"), std::string::npos) << refused.body;
  EXPECT_EQ(agent.get(path(a)).json()["state"], "new") << "all or none";
  auto bad_move = agent.post("/api/v1/helpdesk/tickets/bulk",
                             {{"ids", {a, solved}}, {"change", {{"state", "closed"}}}});
  EXPECT_EQ(bad_move.status, 400) << bad_move.body;
  EXPECT_EQ(bad_move.json()["errors"][0]["field"], "state") << bad_move.body;
  EXPECT_EQ(agent.get(path(a)).json()["state"], "new");

  auto done = agent.post("/api/v1/helpdesk/tickets/bulk",
                         {{"ids", {a, b}}, {"change", {{"assignee_group", "Reti"}}}});
  ASSERT_EQ(done.status, 200) << done.body;
  const Json items = done.json()["items"];
  ASSERT_EQ(items.size(), 2u);
  for (std::int64_t id : {a, b}) {
    const Json t = agent.get(path(id)).json();
    EXPECT_EQ(t["state"], "assigned");
    EXPECT_EQ(t["assignee"]["group"], "Reti");
  }

  // Only the desk; and the request is checked before anything is read.
  EXPECT_EQ(
      clerk
          .post("/api/v1/helpdesk/tickets/bulk", {{"ids", {a}}, {"change", {{"state", "pending"}}}})
          .status,
      403);
  auto no_ids = agent.post("/api/v1/helpdesk/tickets/bulk", {{"change", {{"priority", 2}}}});
  EXPECT_EQ(no_ids.status, 400);
  EXPECT_EQ(no_ids.json()["errors"][0]["field"], "ids") << no_ids.body;
}

TEST_F(Console, WatchersAreOnlyPeopleWhoMaySeeTheTicket) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  HttpClient crema = as("ref.crema");
  HttpClient referent = as("ref.cremona");
  const std::int64_t id = open(clerk, "019036", "Scanner lento");

  // The referent of Cremona follows the ticket of their Comune.
  auto self = referent.post(path(id) + "/watchers", Json::object());
  ASSERT_EQ(self.status, 201) << self.body;
  ASSERT_EQ(self.json()["watchers"].size(), 1u);
  EXPECT_EQ(self.json()["watchers"][0]["name"], "Referente informatico di Cremona");
  // Again: nothing changes, nothing is recorded twice.
  auto again = referent.post(path(id) + "/watchers", Json::object());
  EXPECT_EQ(again.json()["watchers"].size(), 1u);

  // The desk cannot make Crema's referent follow a ticket of Cremona: they may not see it.
  const std::int64_t crema_id = userId(crema);
  auto refused = agent.post(path(id) + "/watchers", {{"user_id", crema_id}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.json()["errors"][0]["field"], "user_id");
  // A clerk cannot enrol someone else.
  EXPECT_EQ(clerk.post(path(id) + "/watchers", {{"user_id", userId(agent)}}).status, 403);
  // Nor can Crema reach the ticket at all.
  expectIsolated(crema,
                 {{"POST", path(id) + "/watchers", "{}"},
                  {"DELETE", path(id) + "/watchers/" + std::to_string(userId(referent)), ""}},
                 agent, path(id));

  auto removed =
      referent.request("DELETE", path(id) + "/watchers/" + std::to_string(userId(referent)));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json()["watchers"].empty());
  // The desk sees who came and went; the requester does not.
  const auto desk_kinds = kinds(agent.get(path(id)).json()["timeline"]);
  EXPECT_EQ(std::count(desk_kinds.begin(), desk_kinds.end(), "watcher"), 2);
  const auto clerk_kinds = kinds(clerk.get(path(id)).json()["timeline"]);
  EXPECT_EQ(std::count(clerk_kinds.begin(), clerk_kinds.end(), "watcher"), 0);
}

TEST_F(Console, LinksReadFromBothSidesAndHideWhatTheReaderCannotSee) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient crema = as("ref.crema");
  HttpClient agent = as("operatore");
  const std::int64_t parent = open(clerk, "019036", "Rete giù in municipio");
  const std::int64_t child = open(clerk, "019036", "Protocollo irraggiungibile");
  const std::int64_t other = open(crema, "019035", "Rete giù anche a Crema");

  auto linked = agent.post(path(parent) + "/links", {{"ticket_id", child}, {"kind", "parent_of"}});
  ASSERT_EQ(linked.status, 201) << linked.body;
  ASSERT_EQ(linked.json()["links"].size(), 1u);
  EXPECT_EQ(linked.json()["links"][0]["kind"], "parent_of");
  const Json from_child = agent.get(path(child)).json()["links"];
  ASSERT_EQ(from_child.size(), 1u);
  EXPECT_EQ(from_child[0]["ticket_id"], parent);
  EXPECT_EQ(from_child[0]["kind"], "child_of");

  // A link across Comuni: the desk sees it, the Comune only its own side.
  ASSERT_EQ(agent.post(path(parent) + "/links", {{"ticket_id", other}}).status, 201);
  EXPECT_EQ(agent.get(path(parent)).json()["links"].size(), 2u);
  EXPECT_EQ(clerk.get(path(parent)).json()["links"].size(), 1u);

  // Relinking the pair replaces the kind; undoing removes it from both sides.
  auto relinked = agent.post(path(child) + "/links", {{"ticket_id", parent}, {"kind", "related"}});
  ASSERT_EQ(relinked.status, 201);
  EXPECT_EQ(relinked.json()["links"][0]["kind"], "related");
  auto undone = agent.request("DELETE", path(parent) + "/links/" + std::to_string(child));
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_TRUE(agent.get(path(child)).json()["links"].empty());
  EXPECT_EQ(agent.request("DELETE", path(parent) + "/links/" + std::to_string(child)).status, 404);

  EXPECT_EQ(clerk.post(path(parent) + "/links", {{"ticket_id", child}}).status, 403);
  auto self = agent.post(path(parent) + "/links", {{"ticket_id", parent}});
  EXPECT_EQ(self.status, 400);
  auto bad_kind = agent.post(path(parent) + "/links", {{"ticket_id", child}, {"kind", "cugino"}});
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_EQ(bad_kind.json()["errors"][0]["field"], "kind");
}

TEST_F(Console, AMergeCarriesTheTimelineAndClosesTheDuplicate) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient citizen = as("cittadino.bianchi");
  HttpClient agent = as("operatore");
  const std::int64_t target = open(clerk, "019036", "Posta elettronica non funziona");
  const std::int64_t source = open(citizen, "019036", "Non arrivano le e-mail");
  ASSERT_EQ(citizen.post(path(source) + "/comments", {{"body", "Da stamattina alle 9."}}).status,
            201);

  auto merged = agent.post(path(source) + "/merge", {{"into", target}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  const Json t = merged.json();
  EXPECT_EQ(t["id"], target);
  bool carried = false;
  for (const Json& e : t["timeline"])
    if (e["kind"] == "reply" && e["body"] == "Da stamattina alle 9.")
      carried = e["data"]["merged_from"] == source;
  EXPECT_TRUE(carried) << "the duplicate's reply is on the target's timeline";
  ASSERT_EQ(t["watchers"].size(), 1u) << "the duplicate's requester follows the target";
  EXPECT_EQ(t["watchers"][0]["name"], "Laura Bianchi");

  const Json s = agent.get(path(source)).json();
  EXPECT_EQ(s["state"], "closed");
  EXPECT_EQ(s["merged_into"], target);
  ASSERT_EQ(s["links"].size(), 1u);
  EXPECT_EQ(s["links"][0]["kind"], "duplicates");

  // A closed ticket is not merged again; only the desk merges.
  auto twice = agent.post(path(source) + "/merge", {{"into", target}});
  EXPECT_EQ(twice.status, 422) << twice.body;
  const std::int64_t third = open(clerk, "019036", "Ancora posta");
  EXPECT_EQ(clerk.post(path(third) + "/merge", {{"into", target}}).status, 403);
  auto missing = agent.post(path(third) + "/merge", {{"into", 999999}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["errors"][0]["field"], "into");
  EXPECT_EQ(agent.get(path(third)).json()["state"], "new") << "a refused merge changes nothing";
}

TEST_F(Console, CannedAnswersAreKeptByTheDeskAndFilledFromTheTicket) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  auto created = agent.post("/api/v1/helpdesk/canned-answers",
                            {{"title", "Stampante riavviata"},
                             {"body",
                              "Gentile {richiedente}, per {ticket} ({oggetto}) abbiamo "
                              "riavviato la stampante del Comune di {ente}. {operatore}"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t answer = created.json()["id"];
  auto taken = agent.post("/api/v1/helpdesk/canned-answers",
                          {{"title", "Stampante riavviata"}, {"body", "altro"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.json()["errors"][0]["field"], "title");
  EXPECT_EQ(clerk.get("/api/v1/helpdesk/canned-answers").status, 403);

  const std::int64_t id = open(clerk, "019036", "Stampante bloccata");
  auto reply = agent.post(path(id) + "/comments", {{"canned_id", answer}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  const Json timeline = reply.json()["timeline"];
  EXPECT_EQ(timeline.back()["body"],
            "Gentile Impiegato del Comune di Cremona, per #" + std::to_string(id) +
                " (Stampante bloccata) abbiamo riavviato la stampante del Comune di Cremona. "
                "Operatore del call center");
  EXPECT_EQ(clerk.post(path(id) + "/comments", {{"canned_id", answer}}).status, 403);
  auto unknown = agent.post(path(id) + "/comments", {{"canned_id", 999999}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json()["errors"][0]["field"], "canned_id");

  auto edited = agent.request("PUT", "/api/v1/helpdesk/canned-answers/" + std::to_string(answer),
                              Json{{"title", "Stampante riavviata"}, {"body", "Fatto."}}.dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["body"], "Fatto.");
  EXPECT_EQ(
      agent.request("DELETE", "/api/v1/helpdesk/canned-answers/" + std::to_string(answer)).status,
      204);
  EXPECT_EQ(
      agent.request("DELETE", "/api/v1/helpdesk/canned-answers/" + std::to_string(answer)).status,
      404);
  // The demo ships the desk's usual answers.
  EXPECT_GE(agent.get("/api/v1/helpdesk/canned-answers").json()["items"].size(), 3u);
}

}  // namespace
}  // namespace cst::testkit
