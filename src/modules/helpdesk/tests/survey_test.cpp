// The satisfaction survey and the reports through the public HTTP interface, on the real
// `cst serve --demo`: only the requester rates, once, after the solution; reports show each
// reader only the enti they may see, as JSON or as CSV.
#include <gtest/gtest.h>

#include "calendar/calendar.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

class Survey : public DemoServerSuite<Survey> {
 protected:
  static std::int64_t openAndSolve(HttpClient& requester, HttpClient& desk, const std::string& ente,
                                   const std::string& subject) {
    auto r =
        requester.post("/api/v1/helpdesk/tickets",
                       {{"ente", ente}, {"subject", subject}, {"description", "Non funziona."}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::int64_t id = r.json().value("id", std::int64_t{0});
    auto solved = desk.patch(path(id), {{"assignee_group", "Postazioni"}, {"state", "solved"}});
    EXPECT_EQ(solved.status, 200) << solved.body;
    return id;
  }
  static std::string path(std::int64_t id) {
    return "/api/v1/helpdesk/tickets/" + std::to_string(id);
  }
  // This month and the last, as Europe/Rome days.
  static std::string period() {
    const auto today = calendar::romeDate(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    const auto from = std::chrono::sys_days(today) - std::chrono::days(31);
    return "from=" + calendar::formatDate(calendar::Date(from)) +
           "&to=" + calendar::formatDate(today);
  }
  static const Json* lineOf(const Json& report, const std::string& key) {
    for (const Json& l : report["lines"])
      if (l["key"] == key) return &l;
    return nullptr;
  }
};

TEST_F(Survey, OnlyTheRequesterRatesOnceAndOnlyAfterTheSolution) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  HttpClient referent = as("ref.cremona");

  auto early = clerk.post(
      "/api/v1/helpdesk/tickets",
      {{"ente", "019036"}, {"subject", "Non ancora risolto"}, {"description", "Attendo."}});
  ASSERT_EQ(early.status, 201);
  EXPECT_EQ(clerk.post(path(early.json()["id"]) + "/satisfaction", {{"score", 4}}).status, 422);

  const std::int64_t id = openAndSolve(clerk, agent, "019036", "Monitor sfarfalla");
  auto low = clerk.post(path(id) + "/satisfaction", {{"score", 2}});
  ASSERT_EQ(low.status, 400) << low.body;
  EXPECT_EQ(low.json()["errors"][0]["field"], "comment") << "a low score needs a comment";
  EXPECT_EQ(clerk.post(path(id) + "/satisfaction", {{"score", 9}}).json()["errors"][0]["field"],
            "score");
  EXPECT_TRUE(clerk.get(path(id)).json()["satisfaction"].is_null()) << "refused: nothing kept";
  EXPECT_EQ(referent.post(path(id) + "/satisfaction", {{"score", 5}}).status, 403)
      << "a colleague who sees the ticket does not rate it";

  auto rated =
      clerk.post(path(id) + "/satisfaction", {{"score", 5}, {"comment", "Rapidi e gentili."}});
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(rated.json()["satisfaction"]["score"], 5);
  EXPECT_EQ(rated.json()["satisfaction"]["comment"], "Rapidi e gentili.");
  auto twice = clerk.post(path(id) + "/satisfaction", {{"score", 1}, {"comment", "ripensato"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(clerk.get(path(id)).json()["satisfaction"]["score"], 5);
}

TEST_F(Survey, ReportsShowEachReaderTheirEntiAsJsonOrCsv) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient crema = as("ref.crema");
  HttpClient agent = as("operatore");
  HttpClient committee = as("comitato");
  const std::int64_t id = openAndSolve(clerk, agent, "019036", "Report: stampante");
  ASSERT_EQ(clerk.post(path(id) + "/satisfaction", {{"score", 4}}).status, 201);
  openAndSolve(crema, agent, "019035", "Report: rete");

  auto all = agent.get("/api/v1/helpdesk/reports?" + period() + "&by=ente");
  ASSERT_EQ(all.status, 200) << all.body;
  const Json report = all.json();
  const Json* cremona = lineOf(report, "019036");
  ASSERT_NE(cremona, nullptr) << all.body;
  EXPECT_EQ((*cremona)["label"], "Cremona");
  EXPECT_GE((*cremona)["solved"].get<int>(), 1);
  EXPECT_GE((*cremona)["rated"].get<int>(), 1);
  EXPECT_FALSE((*cremona)["sla_compliance"].is_null());
  EXPECT_NE(lineOf(report, "019035"), nullptr);
  EXPECT_GE(report["total"]["opened"].get<int>(), 2);
  EXPECT_EQ(committee.get("/api/v1/helpdesk/reports?" + period()).status, 200);

  // A Comune's referent sees their Comune only; a clerk no reports at all.
  auto own = crema.get("/api/v1/helpdesk/reports?" + period());
  ASSERT_EQ(own.status, 200);
  const Json theirs = own.json();
  EXPECT_NE(lineOf(theirs, "019035"), nullptr);
  EXPECT_EQ(lineOf(theirs, "019036"), nullptr) << own.body;
  EXPECT_EQ(clerk.get("/api/v1/helpdesk/reports?" + period()).status, 403);

  auto csv = agent.get("/api/v1/helpdesk/reports?" + period() + "&by=month&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("gruppo,chiave,aperti,risolti,arretrato,", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("\r\nTotale,,"), std::string::npos) << csv.body;

  auto no_from = agent.get("/api/v1/helpdesk/reports?to=2026-01-31");
  EXPECT_EQ(no_from.status, 400);
  EXPECT_EQ(no_from.json()["errors"][0]["field"], "from");
  auto reversed = agent.get("/api/v1/helpdesk/reports?from=2026-02-01&to=2026-01-01");
  EXPECT_EQ(reversed.json()["errors"][0]["field"], "to");
  auto bad_group = agent.get("/api/v1/helpdesk/reports?" + period() + "&by=colore");
  EXPECT_EQ(bad_group.json()["errors"][0]["field"], "by");
}

}  // namespace
}  // namespace cst::testkit
