// The reports' arithmetic on hand-checked tickets, on the CST's calendar: times in business
// minutes of the opening hours, pending time excluded, months in Europe/Rome.
#include "report.hpp"

#include <gtest/gtest.h>

#include "calendar/calendar.hpp"

namespace cst::helpdesk {
namespace {

std::string utc(const std::string& rome) {
  auto t = calendar::parseDateTime(rome, "t");
  EXPECT_TRUE(t.has_value()) << rome;
  return formatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(*t));
}

std::vector<ReportTicket> sample() {
  // A: Cremona, Monday 23 Nov 2026 09:00, owned 09:30, solved 11:00 after 15 min pending: one
  // answer, never reopened (first contact), rated 5.
  ReportTicket a;
  a.ente = "019036";
  a.category_id = 7;
  a.category = "Stampanti e scanner";
  a.agent_id = 2;
  a.agent = "Operatore";
  a.opened_at = utc("2026-11-23T09:00");
  a.owned_at = utc("2026-11-23T09:30");
  a.solved_at = utc("2026-11-23T11:00");
  a.paused_minutes = 15;
  a.open = false;
  a.sla_resolve = SlaStatus::kMet;
  a.desk_replies = 1;
  a.score = 5;
  // B: Cremona, 16:00 the same day, owned the next morning at 09:00 (90 + 30 business minutes),
  // still open.
  ReportTicket b;
  b.ente = "019036";
  b.opened_at = utc("2026-11-23T16:00");
  b.owned_at = utc("2026-11-24T09:00");
  b.agent_id = 2;
  b.agent = "Operatore";
  // C: Crema, Tuesday 1 Dec 10:00, solved 12:00 late, three answers, rated 2.
  ReportTicket c;
  c.ente = "019035";
  c.category_id = 7;
  c.category = "Stampanti e scanner";
  c.opened_at = utc("2026-12-01T10:00");
  c.solved_at = utc("2026-12-01T12:00");
  c.open = false;
  c.sla_resolve = SlaStatus::kBreached;
  c.desk_replies = 3;
  c.score = 2;
  return {a, b, c};
}

BusinessCalendar cst() {
  calendar::CalendarConfig days;
  days.patron = calendar::PatronSaint{std::chrono::November / 13, "Sant'Omobono"};
  return {*calendar::OpeningHours::parse("mon-fri 08:30-13:00,14:00-17:30", "h"), days};
}

TEST(Reports, PerEnteTheMeansAndRatesAreWhatTheTicketsSay) {
  const Report r = aggregate(sample(), ReportGroup::kEnte, cst());
  ASSERT_EQ(r.lines.size(), 2u);
  const ReportLine& crema = r.lines[0];
  const ReportLine& cremona = r.lines[1];
  EXPECT_EQ(crema.key, "019035");
  EXPECT_EQ(crema.opened, 1);
  EXPECT_EQ(*crema.slaCompliance(), 0.0);
  EXPECT_EQ(*crema.firstContactRate(), 0.0);
  EXPECT_EQ(*crema.meanTimeToResolve(), 120.0);
  EXPECT_FALSE(crema.meanTimeToOwn()) << "never owned: no mean, not zero";

  EXPECT_EQ(cremona.key, "019036");
  EXPECT_EQ(cremona.opened, 2);
  EXPECT_EQ(cremona.solved, 1);
  EXPECT_EQ(cremona.backlog, 1);
  EXPECT_EQ(*cremona.slaCompliance(), 100.0);
  EXPECT_EQ(*cremona.firstContactRate(), 100.0);
  EXPECT_EQ(*cremona.meanTimeToOwn(), 75.0) << "(30 + 120) / 2, the evening outside hours";
  EXPECT_EQ(*cremona.meanTimeToResolve(), 105.0) << "120 minus 15 pending";
  EXPECT_EQ(*cremona.satisfaction(), 5.0);

  EXPECT_EQ(r.total.opened, 3);
  EXPECT_EQ(*r.total.slaCompliance(), 50.0);
  EXPECT_EQ(*r.total.satisfaction(), 3.5);
}

TEST(Reports, ByMonthCategoryAndAgent) {
  const Report months = aggregate(sample(), ReportGroup::kMonth, cst());
  ASSERT_EQ(months.lines.size(), 2u);
  EXPECT_EQ(months.lines[0].key, "2026-11");
  EXPECT_EQ(months.lines[0].opened, 2);
  EXPECT_EQ(months.lines[1].key, "2026-12");

  const Report categories = aggregate(sample(), ReportGroup::kCategory, cst());
  ASSERT_EQ(categories.lines.size(), 2u);
  EXPECT_EQ(categories.lines[0].label, "Senza categoria");
  EXPECT_EQ(categories.lines[1].label, "Stampanti e scanner");
  EXPECT_EQ(categories.lines[1].opened, 2);

  const Report agents = aggregate(sample(), ReportGroup::kAgent, cst());
  ASSERT_EQ(agents.lines.size(), 2u);
  EXPECT_EQ(agents.lines[0].label, "Non assegnato");
  EXPECT_EQ(agents.lines[1].label, "Operatore");
  EXPECT_EQ(agents.lines[1].opened, 2);
}

TEST(Reports, AMonthIsTheRomeMonth) {
  // 1 Dec 00:30 in Rome is 30 Nov 23:30 UTC: the ticket counts in December.
  ReportTicket t;
  t.ente = "019036";
  t.opened_at = utc("2026-12-01T00:30");
  const Report r = aggregate({t}, ReportGroup::kMonth, cst());
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].key, "2026-12");
}

}  // namespace
}  // namespace cst::helpdesk
