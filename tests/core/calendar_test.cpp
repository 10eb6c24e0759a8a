#include "calendar/calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calendar/opening_hours.hpp"

namespace cst::calendar {
namespace {

// Dates and instants are written and compared as text, so that a failure prints readable values
// and the offsets of formatRome are checked along the way.
Date day(std::string_view text) { return parseDate(text, "test").value(); }
std::chrono::sys_seconds at(std::string_view text) { return parseDateTime(text, "test").value(); }
OpeningHours hoursOf(std::string_view text) { return OpeningHours::parse(text, "test").value(); }

const CalendarConfig kNational;  // no patron saint, Saturday non-working and not rolling

CalendarConfig withPatron(std::chrono::month_day day, std::string name) {
  CalendarConfig config;
  config.patron = PatronSaint{day, std::move(name)};
  return config;
}

std::string deadline(std::string_view from, int days, const CalendarConfig& config = kNational) {
  return formatDate(legalDeadline(day(from), days, config));
}

std::string workingDays(std::string_view from, int n, const CalendarConfig& config) {
  return formatDate(addWorkingDays(day(from), n, config));
}

std::string months(std::string_view from, int n) { return formatDate(addMonths(day(from), n)); }

std::string plusBusiness(std::string_view start, int minutes, const OpeningHours& hours,
                         const CalendarConfig& config = kNational) {
  return formatRome(addBusinessHours(at(start), std::chrono::minutes{minutes}, hours, config));
}

long minutesBetween(std::string_view from, std::string_view to, const OpeningHours& hours,
                    const CalendarConfig& config = kNational) {
  return businessMinutesBetween(at(from), at(to), hours, config).count();
}

TEST(EasterSunday, MatchesMeeusJonesButcherVectors) {
  // suap.md §4.1 lists 2024-2028, 2038 and 2285; the other years are the published Western dates.
  const std::vector<std::pair<int, std::string>> expected = {
      {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
      {2028, "2028-04-16"}, {2029, "2029-04-01"}, {2030, "2030-04-21"}, {2031, "2031-04-13"},
      {2032, "2032-03-28"}, {2033, "2033-04-17"}, {2034, "2034-04-09"}, {2035, "2035-03-25"},
      {2036, "2036-04-13"}, {2037, "2037-04-05"}, {2038, "2038-04-25"}, {2285, "2285-03-22"},
  };
  for (const auto& [year, date] : expected) {
    EXPECT_EQ(formatDate(easterSunday(std::chrono::year{year})), date) << year;
  }
}

std::vector<std::pair<std::string, std::string>> listed(std::chrono::year year,
                                                        const CalendarConfig& config) {
  std::vector<std::pair<std::string, std::string>> list;
  for (const Holiday& holiday : holidays(year, config)) {
    list.emplace_back(formatDate(holiday.date), holiday.name);
  }
  return list;
}

TEST(Holidays, Lists2026InDateOrderWithItalianNames) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2026-01-01", "Capodanno"},
      {"2026-01-06", "Epifania"},
      {"2026-04-05", "Pasqua"},
      {"2026-04-06", "Lunedì dell'Angelo"},
      {"2026-04-25", "Festa della Liberazione"},
      {"2026-05-01", "Festa del Lavoro"},
      {"2026-06-02", "Festa della Repubblica"},
      {"2026-08-15", "Assunzione di Maria"},
      {"2026-10-04", "San Francesco d'Assisi"},
      {"2026-11-01", "Ognissanti"},
      {"2026-12-08", "Immacolata Concezione"},
      {"2026-12-25", "Natale"},
      {"2026-12-26", "Santo Stefano"},
  };
  EXPECT_EQ(listed(std::chrono::year{2026}, kNational), expected);
}

TEST(Holidays, AddsPatronSaintAndExtraDatesOfThatYearOnly) {
  CalendarConfig cremona = withPatron(std::chrono::November / 13, "Sant'Omobono");
  cremona.extra_holidays = {{day("2011-03-17"), "150° anniversario dell'Unità d'Italia"}};
  const auto list2026 = listed(std::chrono::year{2026}, cremona);
  EXPECT_EQ(list2026.size(), 14u);
  EXPECT_EQ(list2026[10], (std::pair<std::string, std::string>{"2026-11-13", "Sant'Omobono"}));

  // 2011: Easter Monday fell on 25 April; both names stay. No San Francesco before 2026.
  const auto list2011 = listed(std::chrono::year{2011}, cremona);
  EXPECT_EQ(list2011.size(), 14u);
  EXPECT_EQ(list2011[2].first, "2011-03-17");
  EXPECT_EQ(list2011[4],
            (std::pair<std::string, std::string>{"2011-04-25", "Festa della Liberazione"}));
  EXPECT_EQ(list2011[5], (std::pair<std::string, std::string>{"2011-04-25", "Lunedì dell'Angelo"}));
  EXPECT_TRUE(isHoliday(day("2011-03-17"), cremona));
  EXPECT_FALSE(isHoliday(day("2012-03-17"), cremona));  // a Saturday, one-off holiday gone
}

TEST(Holidays, SanFrancescoFromTwentyTwentySix) {
  // suap.md §4.1: a Sunday in 2026, so it first moves a deadline in 2027.
  EXPECT_EQ(listed(std::chrono::year{2025}, kNational).size(), 12u);
  EXPECT_FALSE(isHoliday(day("2025-10-04"), kNational));
  EXPECT_TRUE(isHoliday(day("2026-10-04"), kNational));
  EXPECT_TRUE(isHoliday(day("2027-10-04"), kNational));  // a Monday
  EXPECT_FALSE(isWorkingDay(day("2027-10-04"), kNational));
  EXPECT_EQ(deadline("2027-09-04", 30), "2027-10-05");
  EXPECT_EQ(deadline("2025-09-04", 30), "2025-10-04");  // a Saturday, not a holiday in 2025
}

TEST(WorkingDay, SaturdayFollowsTheConfig) {
  CalendarConfig saturday_open;
  saturday_open.saturday_is_non_working = false;
  EXPECT_FALSE(isWorkingDay(day("2026-11-28"), kNational));
  EXPECT_TRUE(isWorkingDay(day("2026-11-28"), saturday_open));
  EXPECT_FALSE(isHoliday(day("2026-11-28"), kNational));
  EXPECT_TRUE(isHoliday(day("2026-11-29"), saturday_open));  // every Sunday
  EXPECT_TRUE(isWorkingDay(day("2026-11-27"), kNational));
  EXPECT_FALSE(isWorkingDay(day("2026-12-08"), saturday_open));
}

TEST(LegalDeadline, SuapVectors) {
  // suap.md §4.4: 04-05 Easter Sunday and 04-06 Easter Monday are both rolled over.
  EXPECT_EQ(deadline("2026-02-04", 60), "2026-04-07");
  // 30-day term from 03-02 suspended on 03-12 (10 days used), resumed 03-25: 20 days left.
  EXPECT_EQ(deadline("2026-03-25", 30 - 10), "2026-04-14");
  EXPECT_EQ(deadline("2026-04-20", 60), "2026-06-19");  // PdC term restarted after interruzione
  EXPECT_EQ(deadline("2026-06-28", 1, withPatron(std::chrono::June / 29, "Santi Pietro e Paolo")),
            "2026-06-30");
  EXPECT_EQ(deadline("2026-06-28", 1), "2026-06-29");
}

TEST(LegalDeadline, DiesAQuoNotCountedAndSaturdayRollIsASwitch) {
  EXPECT_EQ(deadline("2026-11-26", 1), "2026-11-27");
  EXPECT_EQ(deadline("2026-11-26", 0), "2026-11-26");
  EXPECT_EQ(deadline("2026-04-03", 1), "2026-04-04");  // Saturday kept by default
  CalendarConfig processual;
  processual.saturday_rolls_deadline = true;                       // art. 155 c.5 c.p.c.
  EXPECT_EQ(deadline("2026-04-03", 1, processual), "2026-04-07");  // Sat, Easter, Easter Monday
}

TEST(LegalDeadline, PatronSaintsOfCremonaAndCrema) {
  CalendarConfig cremona = withPatron(std::chrono::November / 13, "Sant'Omobono");
  EXPECT_EQ(deadline("2026-10-14", 30), "2026-11-13");
  EXPECT_EQ(deadline("2026-10-14", 30, cremona), "2026-11-14");  // Saturday, not rolled
  cremona.saturday_rolls_deadline = true;
  EXPECT_EQ(deadline("2026-10-14", 30, cremona), "2026-11-16");

  const CalendarConfig crema = withPatron(std::chrono::June / 10, "San Pantaleone");
  EXPECT_EQ(deadline("2026-05-11", 30), "2026-06-10");
  EXPECT_EQ(deadline("2026-05-11", 30, crema), "2026-06-11");
  EXPECT_EQ(workingDays("2026-06-08", 3, kNational), "2026-06-11");
  EXPECT_EQ(workingDays("2026-06-08", 3, crema), "2026-06-12");
}

TEST(AddWorkingDays, SuapVectorsWithAndWithoutSaturday) {
  CalendarConfig saturday_open;
  saturday_open.saturday_is_non_working = false;
  EXPECT_EQ(workingDays("2026-04-03", 5, saturday_open), "2026-04-10");
  EXPECT_EQ(workingDays("2026-04-03", 5, kNational), "2026-04-13");
  EXPECT_EQ(workingDays("2026-04-03", 0, kNational), "2026-04-03");
  EXPECT_EQ(workingDays("2026-12-24", 1, kNational), "2026-12-28");
}

TEST(AddMonths, SameDayNumberOrLastDayOfMonth) {
  EXPECT_EQ(months("2026-01-31", 1), "2026-02-28");  // suap.md §4.4
  EXPECT_EQ(months("2028-01-31", 1), "2028-02-29");
  EXPECT_EQ(months("2026-03-31", 1), "2026-04-30");
  EXPECT_EQ(months("2026-01-15", 12), "2027-01-15");
  EXPECT_EQ(months("2026-03-31", -1), "2026-02-28");
  EXPECT_EQ(formatDate(extendIfHoliday(addMonths(day("2026-03-01"), 1), kNational)), "2026-04-01");
  EXPECT_EQ(formatDate(extendIfHoliday(addMonths(day("2026-03-05"), 1), kNational)), "2026-04-07");
}

TEST(RomeDate, IsTheCivilDateInRome) {
  EXPECT_EQ(formatDate(romeDate(at("2026-11-26T23:30:00Z"))), "2026-11-27");
  EXPECT_EQ(formatDate(romeDate(at("2026-11-26T22:59:59Z"))), "2026-11-26");
  EXPECT_EQ(formatDate(romeDate(at("2026-07-01T22:00:00Z"))), "2026-07-02");
  EXPECT_EQ(formatDate(romeDate(at("2026-07-01T21:59:59Z"))), "2026-07-01");
}

TEST(ParseDate, AcceptsOnlyRealCalendarDates) {
  const Result<Date> date = parseDate("2028-02-29", "due");
  ASSERT_TRUE(date.has_value());
  EXPECT_TRUE(*date == std::chrono::year{2028} / std::chrono::February / 29);
  EXPECT_EQ(formatDate(*date), "2028-02-29");

  const Result<Date> impossible = parseDate("2026-02-30", "due");
  ASSERT_FALSE(impossible.has_value());
  EXPECT_EQ(impossible.error().code, ErrorCode::kBadInput);
  ASSERT_EQ(impossible.error().fields.size(), 1u);
  EXPECT_EQ(impossible.error().fields[0].field, "due");
  EXPECT_EQ(impossible.error().fields[0].message, "'2026-02-30' is not a calendar date");

  for (std::string_view text : {"", "2026-2-3", "2026/02/03", "20260203", "2026-02-03x",
                                "+026-02-03", "2026-13-01", "2026-00-10", "2026-02-00"}) {
    const Result<Date> rejected = parseDate(text, "due");
    ASSERT_FALSE(rejected.has_value()) << text;
    EXPECT_EQ(rejected.error().fields[0].field, "due") << text;
  }
}

TEST(ParseDateTime, ReadsRomeWallClockAndRfc3339) {
  EXPECT_EQ(formatRome(at("2026-11-27T10:30")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-07-01T10:30:15")), "2026-07-01T10:30:15+02:00");
  EXPECT_EQ(formatRome(at("2026-11-27T09:30:00Z")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-11-27t09:30:00z")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-11-27T04:30:00-05:00")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-11-27T10:30:00+01:00")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-11-27T09:30:00.999Z")), "2026-11-27T10:30:00+01:00");
  EXPECT_EQ(at("2026-11-27T10:30"), at("2026-11-27T09:30:00Z"));
  EXPECT_EQ(at("2026-07-01T10:30"), at("2026-07-01T08:30:00Z"));
}

TEST(ParseDateTime, DaylightSavingGapAndOverlapNeedAnOffset) {
  const auto message = [](std::string_view text) {
    const auto result = parseDateTime(text, "opened_at");
    EXPECT_FALSE(result.has_value()) << text;
    return result ? std::string() : result.error().fields.at(0).message;
  };
  EXPECT_NE(message("2026-03-29T02:30").find("does not exist"), std::string::npos);
  EXPECT_NE(message("2026-10-25T02:30").find("occurs twice"), std::string::npos);
  EXPECT_EQ(formatRome(at("2026-10-25T02:30+02:00")), "2026-10-25T02:30:00+02:00");
  EXPECT_EQ(formatRome(at("2026-10-25T02:30+01:00")), "2026-10-25T02:30:00+01:00");
  EXPECT_EQ(formatRome(at("2026-03-29T01:59:59")), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(formatRome(at("2026-03-29T03:00")), "2026-03-29T03:00:00+02:00");
}

TEST(ParseDateTime, RejectsMalformedText) {
  for (std::string_view text :
       {"", "2026-11-27", "2026-11-27 10:30", "2026-11-27T1030", "2026-11-27T10:3",
        "2026-11-27T10:30:5", "2026-11-27T10:30:00.Z", "2026-11-27T10:30+0100",
        "2026-11-27T10:30+01", "2026-11-27T10:30+24:00", "2026-11-27T10:30 CET", "2026-11-27T24:00",
        "2026-11-27T10:60", "2026-11-27T10:30:60Z", "2026-11-27T10:30.5Z", "2026-02-30T10:00"}) {
    const auto result = parseDateTime(text, "opened_at");
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_EQ(result.error().code, ErrorCode::kBadInput) << text;
    EXPECT_EQ(result.error().fields.at(0).field, "opened_at") << text;
  }
}

TEST(FormatRome, SwitchesOffsetAtTheEuropeanDaylightSavingInstants) {
  // Directive 2000/84/EC: from 01:00 UTC on the last Sunday of March to the last Sunday of October.
  EXPECT_EQ(formatRome(at("2026-03-29T00:59:59Z")), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(formatRome(at("2026-03-29T01:00:00Z")), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(formatRome(at("2026-10-25T00:59:59Z")), "2026-10-25T02:59:59+02:00");
  EXPECT_EQ(formatRome(at("2026-10-25T01:00:00Z")), "2026-10-25T02:00:00+01:00");
}

constexpr std::string_view kOffice = "mon-fri 08:30-13:00,14:00-17:30; sat 08:30-12:30";
constexpr std::string_view kWeekdays = "mon-fri 08:30-13:00,14:00-17:30";

TEST(OpeningHours, ParsesCompactFormAndPrintsItBack) {
  const OpeningHours office = hoursOf(kOffice);
  EXPECT_EQ(office.toString(), kOffice);
  EXPECT_EQ(office.on(std::chrono::Tuesday).size(), 2u);
  EXPECT_EQ(office.on(std::chrono::Saturday),
            (std::vector<OpeningInterval>{{std::chrono::minutes{510}, std::chrono::minutes{750}}}));
  EXPECT_TRUE(office.on(std::chrono::Sunday).empty());

  const OpeningHours afternoons =
      hoursOf(" MON-Fri 08:30-13:00 ;tue,thu 14:30-17:00, 17:30-24:00;");
  EXPECT_EQ(afternoons.toString(),
            "mon 08:30-13:00; tue 08:30-13:00,14:30-17:00,17:30-24:00; wed 08:30-13:00; "
            "thu 08:30-13:00,14:30-17:00,17:30-24:00; fri 08:30-13:00");
  EXPECT_EQ(hoursOf(afternoons.toString()), afternoons);
}

TEST(OpeningHours, ParseErrorsNameTheProblem) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"", "no opening hours"},
      {" ; ", "no opening hours"},
      {"mon-fri", "'mon-fri' has no opening intervals"},
      {"xyz 08:00-12:00", "unknown day 'xyz'"},
      {"mon,,tue 08:00-12:00", "unknown day ''"},
      {"fri-mon 08:00-12:00", "day range 'fri-mon' runs backwards"},
      {"sun 09:00-12:00", "Sunday"},
      {"sat-sun 09:00-12:00", "Sunday"},
      {"mon 8:30-13:00", "bad time '8:30'"},
      {"mon 08:30-25:00", "bad time '25:00'"},
      {"mon 08:30-24:01", "bad time '24:01'"},
      {"mon 08:30", "bad interval '08:30'"},
      {"mon 08:00-12:00,", "bad interval ''"},
      {"mon 13:00-08:30", "interval '13:00-08:30' does not end after it starts"},
      {"mon 09:00-09:00", "does not end after it starts"},
      {"mon-fri 08:30-13:00,12:00-17:30", "intervals 08:30-13:00 and 12:00-17:30 overlap on mon"},
      {"mon-fri 08:00-12:00; wed 11:00-15:00", "overlap on wed"},
  };
  for (const auto& [text, problem] : cases) {
    const Result<OpeningHours> hours = OpeningHours::parse(text, "orario");
    ASSERT_FALSE(hours.has_value()) << text;
    EXPECT_EQ(hours.error().code, ErrorCode::kBadInput) << text;
    ASSERT_EQ(hours.error().fields.size(), 1u) << text;
    EXPECT_EQ(hours.error().fields[0].field, "orario") << text;
    EXPECT_NE(hours.error().fields[0].message.find(problem), std::string::npos)
        << text << " -> " << hours.error().fields[0].message;
  }
}

TEST(BusinessHours, SkipTheLunchBreak) {
  const OpeningHours office = hoursOf(kOffice);
  EXPECT_EQ(plusBusiness("2026-11-24T12:30", 60, office), "2026-11-24T14:30:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-24T13:30", 30, office), "2026-11-24T14:30:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-24T07:00", 30, office), "2026-11-24T09:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-24T12:00", 60, office), "2026-11-24T13:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-24T12:00", 0, office), "2026-11-24T12:00:00+01:00");
  EXPECT_EQ(minutesBetween("2026-11-24T12:30", "2026-11-24T14:30", office), 60);
  EXPECT_EQ(minutesBetween("2026-11-24T12:30", "2026-11-24T12:30:59", office), 0);
  EXPECT_EQ(minutesBetween("2026-11-24T14:30", "2026-11-24T12:30", office), 0);
}

TEST(BusinessHours, SkipTheWeekendUnlessSaturdayIsListed) {
  EXPECT_EQ(plusBusiness("2026-11-27T17:00", 60, hoursOf(kWeekdays)), "2026-11-30T09:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-27T17:00", 60, hoursOf(kOffice)), "2026-11-28T09:00:00+01:00");
  EXPECT_EQ(minutesBetween("2026-11-27T17:00", "2026-11-30T09:00", hoursOf(kWeekdays)), 60);
  // A full week: 5 x 8 h plus 4 h on Saturday.
  EXPECT_EQ(minutesBetween("2026-11-23T00:00", "2026-11-30T00:00", hoursOf(kOffice)), 44 * 60);
}

TEST(BusinessHours, SkipHolidaysAndThePatronSaint) {
  const OpeningHours office = hoursOf(kOffice);
  // Tue 8 Dec, Immacolata.
  EXPECT_EQ(plusBusiness("2026-12-07T17:00", 60, office), "2026-12-09T09:00:00+01:00");
  // Christmas Friday, Santo Stefano on Saturday (closed although Saturday is listed), Sunday.
  EXPECT_EQ(plusBusiness("2026-12-24T17:00", 60, office), "2026-12-28T09:00:00+01:00");
  // Cremona closes on Friday 13 November 2026, Sant'Omobono; the national calendar does not.
  const CalendarConfig cremona = withPatron(std::chrono::November / 13, "Sant'Omobono");
  EXPECT_EQ(plusBusiness("2026-11-12T17:00", 60, office), "2026-11-13T09:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-12T17:00", 60, office, cremona), "2026-11-14T09:00:00+01:00");
}

TEST(BusinessHours, FollowRomeWallClockAcrossDaylightSaving) {
  const OpeningHours weekdays = hoursOf(kWeekdays);
  // Last Sunday of March 2026: Friday is +01:00, Monday +02:00.
  EXPECT_EQ(plusBusiness("2026-03-27T17:00", 60, weekdays), "2026-03-30T09:00:00+02:00");
  EXPECT_EQ(addBusinessHours(at("2026-03-27T17:00"), std::chrono::minutes{60}, weekdays, kNational),
            at("2026-03-30T07:00:00Z"));
  // Last Sunday of October 2026: Friday is +02:00, Monday +01:00.
  EXPECT_EQ(plusBusiness("2026-10-23T17:00", 60, weekdays), "2026-10-26T09:00:00+01:00");
  // Friday 12:00-13:00 and 14:00-17:30, Monday 08:30-12:00.
  EXPECT_EQ(minutesBetween("2026-03-27T12:00", "2026-03-30T12:00", weekdays), (60 + 210) + 210);
  EXPECT_EQ(minutesBetween("2026-10-23T12:00", "2026-10-26T12:00", weekdays), (60 + 210) + 210);
}

TEST(BusinessHours, HelpdeskSlaVectors) {
  // helpdesk_contracts.md §2.8, all with the GLPI calendar Mon-Fri 08:00-18:00 unless stated.
  const OpeningHours glpi = hoursOf("mon-fri 08:00-18:00");
  // 1. TTR 4 h, opened 16:00: due 10:00 the next working day.
  EXPECT_EQ(plusBusiness("2026-11-23T16:00", 4 * 60, glpi), "2026-11-24T10:00:00+01:00");
  // 2. Pending 3 h of business time postpones the due time by 3 h.
  const long pending = minutesBetween("2026-11-23T11:00", "2026-11-23T14:00", glpi);
  EXPECT_EQ(plusBusiness("2026-11-23T10:00", 4 * 60 + pending, glpi), "2026-11-23T17:00:00+01:00");
  // 4. TTO 4 h with escalation 1 h before: Mon 10:00 -> due 14:00, escalate 13:00; Mon 17:00 ->
  // due Tue 11:00, escalate Tue 10:00 (GLPI's bug fired at Tue 00:00).
  EXPECT_EQ(plusBusiness("2026-11-23T10:00", 4 * 60, glpi), "2026-11-23T14:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-23T10:00", 3 * 60, glpi), "2026-11-23T13:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-23T17:00", 4 * 60, glpi), "2026-11-24T11:00:00+01:00");
  EXPECT_EQ(plusBusiness("2026-11-23T17:00", 3 * 60, glpi), "2026-11-24T10:00:00+01:00");
  // 5. Zammad: 8 h business day, 16 h solution time -> two business days.
  EXPECT_EQ(plusBusiness("2026-11-23T09:00", 16 * 60, hoursOf("mon-fri 09:00-17:00")),
            "2026-11-24T17:00:00+01:00");
  // 6. Znuny EscalationSuspend: created 08:00, 2 h solution, pending 09:00-10:05 -> 11:05.
  const long suspended = minutesBetween("2026-11-23T09:00", "2026-11-23T10:05", glpi);
  EXPECT_EQ(plusBusiness("2026-11-23T08:00", 2 * 60 + suspended, glpi),
            "2026-11-23T11:05:00+01:00");
}

TEST(BusinessHours, ElapsedTimeInvertsAddition) {
  const OpeningHours office = hoursOf(kOffice);
  const auto start = at("2026-03-26T11:17:42");
  for (int minutes : {1, 59, 60, 270, 480, 1000, 5000}) {
    const auto due = addBusinessHours(start, std::chrono::minutes{minutes}, office, kNational);
    EXPECT_EQ(businessMinutesBetween(start, due, office, kNational).count(), minutes) << minutes;
  }
}

}  // namespace
}  // namespace cst::calendar
