#pragma once
// The Italian civil calendar behind every legal term and working-day count of the platform:
// national holidays, the ente's patron saint, deadline counting (art. 2963 c.c., art. 155 c.p.c.)
// and Europe/Rome civil time (suap.md §4).
//
// All functions are pure and thread-safe. Dates must be valid (`ok()`). Time-zone rules come from
// the system tzdata (/usr/share/zoneinfo) through the date library; a machine without the
// Europe/Rome zone is a deployment fault, and the first call that needs it throws
// std::runtime_error.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::calendar {

using Date = std::chrono::year_month_day;

struct Holiday {
  Date date;
  std::string name;  // Italian, as in the law or in local usage ("Lunedì dell'Angelo")
};

// Festa del santo patrono: a holiday of one Comune only, every year on `day`.
struct PatronSaint {
  std::chrono::month_day day;
  std::string name;  // "Sant'Omobono"
};

// One ente's calendar policy. suap.md §4.3: the two Saturday switches are separate policy choices.
struct CalendarConfig {
  std::optional<PatronSaint> patron;
  std::vector<Holiday> extra_holidays;   // one-off holidays, e.g. 17 Mar 2011 (150 years of Unity)
  bool saturday_is_non_working = true;   // for isWorkingDay and addWorkingDays
  bool saturday_rolls_deadline = false;  // art. 155 c.5 c.p.c. rolls processual terms only
};

// Easter Sunday of the Gregorian calendar (Meeus/Jones/Butcher), for years from 1583 on.
Date easterSunday(std::chrono::year year);

// The named holidays of `year`, sorted by date: the national ones (L. 260/1949 art. 2 as amended;
// 4 October from 2026), Easter Sunday and Monday, the patron saint and that year's extra holidays.
// Sundays are not listed unless they carry a name. Two holidays on the same date are both listed
// (25 Apr 2011 was also Easter Monday).
std::vector<Holiday> holidays(std::chrono::year year, const CalendarConfig& config);

// Giorno festivo: a Sunday or a named holiday of `config`.
bool isHoliday(Date date, const CalendarConfig& config);

// Not a holiday, and not a Saturday when config.saturday_is_non_working.
bool isWorkingDay(Date date, const CalendarConfig& config);

// `date` itself, or, if it is a holiday (or a Saturday with saturday_rolls_deadline), the first
// following day that is not: a term ending on a holiday is extended by law (art. 2963 c.3 c.c.,
// art. 155 c.4-5 c.p.c.).
Date extendIfHoliday(Date date, const CalendarConfig& config);

// The last day of a term of `days` calendar days from the event on `from`: the dies a quo is not
// counted, holidays inside the term are, and a last day on a holiday is extended
// (extendIfHoliday). Requires days >= 0.
Date legalDeadline(Date from, int days, const CalendarConfig& config);

// The n-th working day after `from` ("giorni lavorativi"; `from` is not counted), or `from` itself
// when n == 0. Requires n >= 0.
Date addWorkingDays(Date from, int n, const CalendarConfig& config);

// The same day number n months later (n may be negative), or the last day of that month when it
// has no such day (art. 2963 c.4 c.c.). Not extended: pass the result to extendIfHoliday when it
// ends a term.
Date addMonths(Date from, int n);

// The Europe/Rome civil date of an instant: a term starts from the Rome date of the receipt
// (suap.md §4.2), whatever the UTC date of the timestamp.
Date romeDate(std::chrono::sys_seconds instant);

// Exactly "YYYY-MM-DD" naming a real calendar date (2026-02-30 is refused). Errors are kBadInput
// naming `field`.
Result<Date> parseDate(std::string_view text, std::string_view field);
std::string formatDate(Date date);

// "YYYY-MM-DDTHH:MM[:SS]" as Europe/Rome wall-clock time, or RFC 3339 with "Z" or "±HH:MM" after
// the time ("2026-11-27T09:30:00.250Z"; fractions of a second are dropped, "t"/"z" accepted). A
// Rome time that the daylight-saving change skips or repeats is refused: the caller must give
// the offset. Errors are kBadInput naming `field`.
Result<std::chrono::sys_seconds> parseDateTime(std::string_view text, std::string_view field);

// RFC 3339 with the Europe/Rome offset in force at that instant: "2026-11-27T10:30:00+01:00".
std::string formatRome(std::chrono::sys_seconds instant);

}  // namespace cst::calendar
