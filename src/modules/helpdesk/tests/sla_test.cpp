// The SLA engine against the vendors' test vectors (helpdesk_contracts.md §2.8), on a Monday-Friday
// 08:00-18:00 calendar like theirs, and around Italian holidays on the CST's own calendar.
#include <gtest/gtest.h>

#include "calendar/calendar.hpp"
#include "model.hpp"

namespace cst::helpdesk {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

BusinessCalendar calendarOf(const std::string& hours, bool cremona_patron = false) {
  calendar::CalendarConfig days;
  if (cremona_patron)
    days.patron = calendar::PatronSaint{std::chrono::November / 13, "Sant'Omobono"};
  return {*calendar::OpeningHours::parse(hours, "hours"), days};
}

// Europe/Rome wall-clock time, as the vectors are written.
TimePoint at(const std::string& rome) {
  auto t = calendar::parseDateTime(rome, "t");
  EXPECT_TRUE(t.has_value()) << rome;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(*t);
}

std::string rome(TimePoint t) {
  return calendar::formatRome(std::chrono::floor<std::chrono::seconds>(t));
}

const BusinessCalendar kGlpi = calendarOf("mon-fri 08:00-18:00");

TEST(SlaVectors, GlpiFourHoursFromFourPmEndAtTenNextDay) {
  // Vector 1: TTR 4 h, opened 16:00 -> 10:00 the next working day. 2026-11-26 is a Thursday.
  SlaTargets t{hours(1), hours(4), {}};
  SlaView v = evaluate(t, {at("2026-11-26T16:00")}, at("2026-11-26T16:00"), kGlpi);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-27T10:00:00+01:00");
  // Friday 16:00 -> Monday 10:00: the weekend does not count.
  v = evaluate(t, {at("2026-11-27T16:00")}, at("2026-11-27T16:00"), kGlpi);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-30T10:00:00+01:00");
}

TEST(SlaVectors, GlpiThreeHoursPendingMoveTheDueThreeHours) {
  // Vector 2: pending for 3 h (business hours) -> due + 3 h.
  SlaTargets t{hours(1), hours(8), {}};
  SlaClock c{at("2026-11-23T09:00")};
  const SlaView before = evaluate(t, c, at("2026-11-23T09:00"), kGlpi);
  EXPECT_EQ(rome(before.due_resolve), "2026-11-23T17:00:00+01:00");
  c.paused = businessMinutes(at("2026-11-23T10:00"), at("2026-11-23T13:00"), kGlpi);
  EXPECT_EQ(c.paused, hours(3));
  const SlaView after = evaluate(t, c, at("2026-11-23T13:00"), kGlpi);
  EXPECT_EQ(rome(after.due_resolve), "2026-11-24T10:00:00+01:00");
}

TEST(SlaVectors, GlpiEscalationOneHourBeforeTheDueInBusinessTime) {
  // Vector 4 (GLPI issue 22678): 4 h, escalation 1 h before. Monday 10:00 -> due 14:00, escalation
  // 13:00; Monday 17:00 -> due Tuesday 11:00, escalation Tuesday 10:00 (not midnight).
  SlaTargets t{hours(4), hours(4), {hours(1)}};
  SlaView v = evaluate(t, {at("2026-11-23T10:00")}, at("2026-11-23T10:00"), kGlpi);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-23T14:00:00+01:00");
  ASSERT_EQ(v.escalation_at.size(), 1u);
  EXPECT_EQ(rome(v.escalation_at[0]), "2026-11-23T13:00:00+01:00");
  v = evaluate(t, {at("2026-11-23T17:00")}, at("2026-11-23T17:00"), kGlpi);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-24T11:00:00+01:00");
  EXPECT_EQ(rome(v.escalation_at[0]), "2026-11-24T10:00:00+01:00");
  EXPECT_EQ(rome(*v.next_change), "2026-11-24T10:00:00+01:00") << "the job looks again then";
}

TEST(SlaVectors, ZammadSixteenHoursOnEightHourDaysAreTwoBusinessDays) {
  // Vector 5: 8 h business day, 16 h solution time -> two business days.
  const BusinessCalendar eight = calendarOf("mon-fri 09:00-17:00");
  SlaView v =
      evaluate({hours(1), hours(16), {}}, {at("2026-11-23T09:00")}, at("2026-11-23T09:00"), eight);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-24T17:00:00+01:00");
}

TEST(SlaVectors, ZnunyPendingFromNineToFivePastTenMovesTheDueToFivePastEleven) {
  // Vector 6: opened 08:00, 2 h; pending 09:00 -> 10:05 -> escalation at 11:05.
  SlaTargets t{hours(1), hours(2), {}};
  SlaClock c{at("2026-11-23T08:00")};
  c.pending_since = at("2026-11-23T09:00");
  const SlaView during = evaluate(t, c, at("2026-11-23T10:05"), kGlpi);
  EXPECT_EQ(during.resolve, SlaStatus::kPaused);
  EXPECT_EQ(rome(during.due_resolve), "2026-11-23T11:05:00+01:00") << "due if resumed now";
  EXPECT_FALSE(during.next_change.has_value()) << "nothing changes by time alone while paused";
  c.paused = businessMinutes(*c.pending_since, at("2026-11-23T10:05"), kGlpi);
  c.pending_since.reset();
  const SlaView resumed = evaluate(t, c, at("2026-11-23T10:05"), kGlpi);
  EXPECT_EQ(rome(resumed.due_resolve), "2026-11-23T11:05:00+01:00");
  EXPECT_EQ(resumed.resolve, SlaStatus::kRunning);
}

TEST(SlaVectors, RtEightRealHoursOnARoundTheClockCalendar) {
  // Vector 7: Resolve in real minutes: a calendar open every day all day (Sunday excepted by the
  // Italian calendar, so a Monday start).
  const BusinessCalendar always = calendarOf("mon-sat 00:00-24:00");
  SlaView v =
      evaluate({hours(1), hours(8), {}}, {at("2026-11-23T20:00")}, at("2026-11-23T20:00"), always);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-24T04:00:00+01:00");
}

const BusinessCalendar kCst = calendarOf("mon-fri 08:30-13:00,14:00-17:30", true);

TEST(SlaOnTheCstCalendar, ItalianHolidaysAndTheSeatsPatronSaintDoNotCount) {
  SlaTargets t{hours(1), hours(4), {}};
  // Monday 1 June 2026 16:00: 1.5 h that day, Tuesday 2 June (Festa della Repubblica) is closed,
  // so 2.5 h more on Wednesday: 08:30 + 2.5 h = 11:00.
  SlaView v = evaluate(t, {at("2026-06-01T16:00")}, at("2026-06-01T16:00"), kCst);
  EXPECT_EQ(rome(v.due_resolve), "2026-06-03T11:00:00+02:00");
  // Thursday 12 November 2026 16:00: Friday 13 is Sant'Omobono in Cremona, the CST's seat.
  v = evaluate(t, {at("2026-11-12T16:00")}, at("2026-11-12T16:00"), kCst);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-16T11:00:00+01:00");
  // Monday 7 December 16:00: Tuesday 8 (Immacolata) is closed.
  v = evaluate(t, {at("2026-12-07T16:00")}, at("2026-12-07T16:00"), kCst);
  EXPECT_EQ(rome(v.due_resolve), "2026-12-09T11:00:00+01:00");
  // The lunch break does not count: 12:00 + 2 h = 15:00.
  v = evaluate({hours(1), hours(2), {}}, {at("2026-11-23T12:00")}, at("2026-11-23T12:00"), kCst);
  EXPECT_EQ(rome(v.due_resolve), "2026-11-23T15:00:00+01:00");
}

TEST(SlaStatus, OwnStopsAtTheFirstAssignmentAndResolveAtTheSolution) {
  SlaTargets t{hours(1), hours(4), {hours(1)}};
  SlaClock c{at("2026-11-23T09:00")};
  SlaView v = evaluate(t, c, at("2026-11-23T09:30"), kCst);
  EXPECT_EQ(v.own, SlaStatus::kRunning);
  EXPECT_EQ(rome(*v.next_change), rome(v.due_own));
  v = evaluate(t, c, at("2026-11-23T10:30"), kCst);
  EXPECT_EQ(v.own, SlaStatus::kBreached) << "not owned within 1 h";
  c.owned = at("2026-11-23T09:45");
  v = evaluate(t, c, at("2026-11-23T12:45"), kCst);
  EXPECT_EQ(v.own, SlaStatus::kMet);
  EXPECT_EQ(rome(v.escalation_at.at(0)), "2026-11-23T12:00:00+01:00");
  EXPECT_EQ(rome(v.due_resolve), "2026-11-23T13:00:00+01:00") << "the end of the morning interval";
  EXPECT_EQ(v.resolve, SlaStatus::kWarning) << "past the escalation at 12:00";
  EXPECT_EQ(v.escalation_level, 1);
  v = evaluate(t, c, at("2026-11-23T14:10"), kCst);
  EXPECT_EQ(v.resolve, SlaStatus::kBreached);
  c.solved = at("2026-11-23T14:20");
  v = evaluate(t, c, at("2026-11-23T15:00"), kCst);
  EXPECT_EQ(v.resolve, SlaStatus::kBreached) << "solved, but late";
  c.solved = at("2026-11-23T12:50");
  v = evaluate(t, c, at("2026-11-23T15:00"), kCst);
  EXPECT_EQ(v.resolve, SlaStatus::kMet);
  EXPECT_FALSE(v.next_change.has_value());
}

TEST(Priority, GlpiDefaultMatrix) {
  EXPECT_EQ(priorityFor(1, 1), 1);
  EXPECT_EQ(priorityFor(3, 3), 3);
  EXPECT_EQ(priorityFor(5, 5), 5);
  EXPECT_EQ(priorityFor(4, 2), 3);
  EXPECT_EQ(priorityFor(2, 4), 3);
  EXPECT_EQ(priorityFor(5, 1), 2);
  EXPECT_EQ(priorityFor(4, 5), 5);
  EXPECT_EQ(priorityFor(3, 4), 4);
  for (int u = 1; u <= 5; ++u)
    for (int i = 1; i <= 5; ++i) EXPECT_EQ(priorityFor(u, i), priorityFor(i, u)) << "symmetric";
}

TEST(States, TheLifeCycle) {
  EXPECT_TRUE(canMove(State::kNew, State::kAssigned));
  EXPECT_TRUE(canMove(State::kNew, State::kSolved)) << "solved at first contact";
  EXPECT_TRUE(canMove(State::kPending, State::kInProgress));
  EXPECT_TRUE(canMove(State::kSolved, State::kInProgress)) << "reopen";
  EXPECT_TRUE(canMove(State::kSolved, State::kClosed));
  EXPECT_FALSE(canMove(State::kNew, State::kClosed));
  EXPECT_FALSE(canMove(State::kClosed, State::kInProgress)) << "closed is final";
  EXPECT_FALSE(canMove(State::kInProgress, State::kInProgress));
  for (auto s : {"new", "assigned", "in_progress", "pending", "solved", "closed"})
    EXPECT_EQ(stateName(*parseState(s)), s);
  EXPECT_FALSE(parseState("open").has_value());
}

}  // namespace
}  // namespace cst::helpdesk
