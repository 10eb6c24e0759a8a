// The desk's configuration through the public HTTP interface: the desk reads it, only cst_admin
// changes it, every wrong field is named and nothing changes, and new targets apply at once.
#include <gtest/gtest.h>

#include "cst_calendar.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

class Settings : public DemoServerSuite<Settings> {};

TEST_F(Settings, OnlyTheAdminChangesThemAndEveryWrongFieldIsNamed) {
  HttpClient agent = as("operatore");
  HttpClient admin = as("admin");
  HttpClient clerk = as("impiegato.cremona");
  auto read = agent.get("/api/v1/helpdesk/settings");
  ASSERT_EQ(read.status, 200) << read.body;
  const Json before = read.json();
  ASSERT_EQ(before["policies"].size(), 6u);
  ASSERT_EQ(before["ola"].size(), 6u);
  EXPECT_EQ(before["groups"], Json({"Applicativi", "Posta", "Postazioni", "Reti", "Sicurezza"}));
  EXPECT_EQ(before["calendar_ente"], "019036") << "the demo's seat is Cremona";
  EXPECT_EQ(clerk.get("/api/v1/helpdesk/settings").status, 403);
  EXPECT_EQ(agent.request("PUT", "/api/v1/helpdesk/settings", before.dump()).status, 403);

  Json bad = before;
  bad["opening_hours"] = "lun 25:00-26:00";
  bad["reopen_days"] = 0;
  bad["notify_email"] = "non-un-indirizzo";
  bad["policies"][2]["own_minutes"] = 0;
  bad["policies"][3]["escalations"] = {10, 60};  // must decrease: earliest level first
  bad["ola"][0]["own_minutes"] = 100000;         // beyond the SLA of its priority
  bad["groups"].push_back("Reti");               // twice
  bad["groups"].push_back(" ");
  auto refused = admin.request("PUT", "/api/v1/helpdesk/settings", bad.dump());
  ASSERT_EQ(refused.status, 400) << refused.body;
  std::set<std::string> fields;
  const Json problem = refused.json();
  for (const Json& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  const std::string repeated = "groups[" + std::to_string(bad["groups"].size() - 2) + "]";
  const std::string blank = "groups[" + std::to_string(bad["groups"].size() - 1) + "]";
  for (const std::string& f :
       {std::string("opening_hours"), std::string("reopen_days"), std::string("notify_email"),
        std::string("policies[3].own_minutes"), std::string("policies[4].escalations"),
        std::string("ola[1].own_minutes"), repeated, blank})
    EXPECT_TRUE(fields.count(f)) << f << " in " << refused.body;
  EXPECT_EQ(agent.get("/api/v1/helpdesk/settings").json(), before) << "nothing changed";
}

TEST_F(Settings, NewTargetsApplyToTheNextTicket) {
  HttpClient admin = as("admin");
  HttpClient clerk = as("impiegato.cremona");
  Json s = admin.get("/api/v1/helpdesk/settings").json();
  // Priority 3 (urgency 3 x impact 3): 2 h to own, 16 h to resolve, of which the assigned group
  // has 1 h and 8 h; a desk mailbox; a new group.
  for (Json& p : s["policies"])
    if (p["priority"] == 3) {
      p["own_minutes"] = 120;
      p["resolve_minutes"] = 960;
      p["escalations"] = {240, 60};
    }
  for (Json& p : s["ola"])
    if (p["priority"] == 3) {
      p["own_minutes"] = 60;
      p["resolve_minutes"] = 480;
    }
  s["notify_email"] = "callcenter@cst-cremona.example";
  s["groups"].push_back("Telefonia");
  auto saved = admin.request("PUT", "/api/v1/helpdesk/settings", s.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json()["notify_email"], "callcenter@cst-cremona.example");

  auto r = clerk.post("/api/v1/helpdesk/tickets",
                      {{"ente", "019036"}, {"subject", "Nuovi tempi"}, {"description", "x"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const Json t = r.json();
  ASSERT_EQ(t["priority"], 3);
  EXPECT_EQ(t["sla"]["due_resolve"], dueAfter(t["opened_at"], std::chrono::hours(16)));
  EXPECT_TRUE(t["ola"].is_null()) << "no group holds it yet";

  // The new group can be assigned, and its OLA runs from then.
  HttpClient agent = as("operatore");
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(t["id"].get<int>());
  auto assigned = agent.patch(path, {{"assignee_group", "Telefonia"}});
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  const Json ola = assigned.json()["ola"];
  EXPECT_EQ(ola["group"], "Telefonia");
  EXPECT_EQ(ola["own"], "running");
  EXPECT_EQ(ola["due_resolve"], dueAfter(ola["since"], std::chrono::hours(8)));
  auto unknown = agent.patch(path, {{"assignee_group", "Fantasma"}});
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.json()["errors"][0]["field"], "assignee_group");
}

}  // namespace
}  // namespace cst::testkit
