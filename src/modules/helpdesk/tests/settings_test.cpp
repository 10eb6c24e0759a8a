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
  EXPECT_EQ(before["calendar_ente"], "019036") << "the demo's seat is Cremona";
  EXPECT_EQ(clerk.get("/api/v1/helpdesk/settings").status, 403);
  EXPECT_EQ(agent.request("PUT", "/api/v1/helpdesk/settings", before.dump()).status, 403);

  Json bad = before;
  bad["opening_hours"] = "lun 25:00-26:00";
  bad["reopen_days"] = 0;
  bad["notify_email"] = "non-un-indirizzo";
  bad["policies"][2]["own_minutes"] = 0;
  bad["policies"][3]["escalations"] = {10, 60};  // must decrease: earliest level first
  auto refused = admin.request("PUT", "/api/v1/helpdesk/settings", bad.dump());
  ASSERT_EQ(refused.status, 400) << refused.body;
  std::set<std::string> fields;
  const Json problem = refused.json();
  for (const Json& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  for (const std::string& f :
       {std::string("opening_hours"), std::string("reopen_days"), std::string("notify_email"),
        std::string("policies[3].own_minutes"), std::string("policies[4].escalations")})
    EXPECT_TRUE(fields.count(f)) << f << " in " << refused.body;
  EXPECT_EQ(agent.get("/api/v1/helpdesk/settings").json(), before) << "nothing changed";
}

TEST_F(Settings, NewTargetsApplyToTheNextTicket) {
  HttpClient admin = as("admin");
  HttpClient clerk = as("impiegato.cremona");
  Json s = admin.get("/api/v1/helpdesk/settings").json();
  // Priority 3 (urgency 3 x impact 3): 2 h to own, 16 h to resolve; a desk mailbox.
  for (Json& p : s["policies"])
    if (p["priority"] == 3) {
      p["own_minutes"] = 120;
      p["resolve_minutes"] = 960;
      p["escalations"] = {240, 60};
    }
  s["notify_email"] = "callcenter@cst-cremona.example";
  auto saved = admin.request("PUT", "/api/v1/helpdesk/settings", s.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json()["notify_email"], "callcenter@cst-cremona.example");

  auto r = clerk.post("/api/v1/helpdesk/tickets",
                      {{"ente", "019036"}, {"subject", "Nuovi tempi"}, {"description", "x"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const Json t = r.json();
  ASSERT_EQ(t["priority"], 3);
  EXPECT_EQ(t["sla"]["due_resolve"], dueAfter(t["opened_at"], std::chrono::hours(16)));
}

}  // namespace
}  // namespace cst::testkit
