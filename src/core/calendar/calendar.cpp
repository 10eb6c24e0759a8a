#include "calendar/calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>

namespace cst::calendar {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

struct NationalHoliday {
  std::chrono::month_day day;
  std::string_view name;
  std::chrono::year since;
};

// L. 260/1949 art. 2 as amended by L. 54/1977, DPR 792/1985 and L. 336/2000, plus the 2025 law that
// restored 4 October from 2026 (its number is still to be verified, suap.md §6). Earlier years get
// today's list: the platform counts no term from before 2001.
constexpr NationalHoliday kNationalHolidays[] = {
    {std::chrono::January / 1, "Capodanno", std::chrono::year::min()},
    {std::chrono::January / 6, "Epifania", std::chrono::year::min()},
    {std::chrono::April / 25, "Festa della Liberazione", std::chrono::year::min()},
    {std::chrono::May / 1, "Festa del Lavoro", std::chrono::year::min()},
    {std::chrono::June / 2, "Festa della Repubblica", std::chrono::year::min()},
    {std::chrono::August / 15, "Assunzione di Maria", std::chrono::year::min()},
    {std::chrono::October / 4, "San Francesco d'Assisi", std::chrono::year{2026}},
    {std::chrono::November / 1, "Ognissanti", std::chrono::year::min()},
    {std::chrono::December / 8, "Immacolata Concezione", std::chrono::year::min()},
    {std::chrono::December / 25, "Natale", std::chrono::year::min()},
    {std::chrono::December / 26, "Santo Stefano", std::chrono::year::min()},
};

const date::time_zone& rome() {
  static const date::time_zone* const zone = date::locate_zone("Europe/Rome");
  return *zone;
}

// Exactly text.size() decimal digits (no sign, no spaces).
std::optional<unsigned> digits(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end) return std::nullopt;
  return value;
}

bool isSaturday(Date date) { return std::chrono::weekday{sys_days{date}} == std::chrono::Saturday; }

}  // namespace

Date easterSunday(std::chrono::year year) {
  // Meeus, Astronomical Algorithms, ch. 8 ("Date of Easter"), Gregorian case.
  const int y = static_cast<int>(year);
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
  const int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return year / std::chrono::month(n / 31) / std::chrono::day(n % 31 + 1);
}

std::vector<Holiday> holidays(std::chrono::year year, const CalendarConfig& config) {
  std::vector<Holiday> list;
  for (const NationalHoliday& holiday : kNationalHolidays) {
    if (year >= holiday.since) list.push_back({year / holiday.day, std::string(holiday.name)});
  }
  const sys_days easter{easterSunday(year)};
  list.push_back({Date{easter}, "Pasqua"});
  list.push_back({Date{easter + days{1}}, "Lunedì dell'Angelo"});
  if (config.patron && (year / config.patron->day).ok()) {
    list.push_back({year / config.patron->day, config.patron->name});
  }
  for (const Holiday& extra : config.extra_holidays) {
    if (extra.date.year() == year) list.push_back(extra);
  }
  std::ranges::stable_sort(list, {}, &Holiday::date);
  return list;
}

bool isHoliday(Date date, const CalendarConfig& config) {
  // Easter Sunday needs no check of its own: it is a Sunday.
  if (std::chrono::weekday{sys_days{date}} == std::chrono::Sunday) return true;
  const std::chrono::month_day day{date.month(), date.day()};
  const bool national = std::ranges::any_of(kNationalHolidays, [&](const NationalHoliday& h) {
    return h.day == day && date.year() >= h.since;
  });
  return national || sys_days{date} == sys_days{easterSunday(date.year())} + days{1} ||
         (config.patron && config.patron->day == day) ||
         std::ranges::any_of(config.extra_holidays,
                             [&](const Holiday& h) { return h.date == date; });
}

bool isWorkingDay(Date date, const CalendarConfig& config) {
  return !isHoliday(date, config) && !(config.saturday_is_non_working && isSaturday(date));
}

Date extendIfHoliday(Date date, const CalendarConfig& config) {
  sys_days day{date};
  while (isHoliday(Date{day}, config) ||
         (config.saturday_rolls_deadline && isSaturday(Date{day}))) {
    day += days{1};
  }
  return Date{day};
}

Date legalDeadline(Date from, int days, const CalendarConfig& config) {
  return extendIfHoliday(Date{sys_days{from} + std::chrono::days{days}}, config);
}

Date addWorkingDays(Date from, int n, const CalendarConfig& config) {
  sys_days day{from};
  for (int left = n; left > 0;) {
    day += days{1};
    if (isWorkingDay(Date{day}, config)) --left;
  }
  return Date{day};
}

Date addMonths(Date from, int n) {
  const Date same_day = from + std::chrono::months{n};
  return same_day.ok() ? same_day : same_day.year() / same_day.month() / std::chrono::last;
}

Date romeDate(sys_seconds instant) {
  return Date{std::chrono::floor<days>(instant + rome().get_info(instant).offset)};
}

Result<Date> parseDate(std::string_view text, std::string_view field) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return failField(std::string(field), "expected a date as YYYY-MM-DD");
  }
  const auto year = digits(text.substr(0, 4));
  const auto month = digits(text.substr(5, 2));
  const auto day = digits(text.substr(8, 2));
  if (!year || !month || !day)
    return failField(std::string(field), "expected a date as YYYY-MM-DD");
  const Date date{std::chrono::year(static_cast<int>(*year)), std::chrono::month(*month),
                  std::chrono::day(*day)};
  if (!date.ok()) {
    return failField(std::string(field), "'" + std::string(text) + "' is not a calendar date");
  }
  return date;
}

std::string formatDate(Date date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

Result<sys_seconds> parseDateTime(std::string_view text, std::string_view field) {
  const auto bad = [&](std::string message) {
    return failField(std::string(field), std::move(message));
  };
  const auto malformed = [&] {
    return bad("expected YYYY-MM-DDTHH:MM[:SS] in Europe/Rome time, or RFC 3339 with Z or ±HH:MM");
  };
  if (text.size() < 16 || std::toupper(static_cast<unsigned char>(text[10])) != 'T' ||
      text[13] != ':') {
    return malformed();
  }
  const Result<Date> date = parseDate(text.substr(0, 10), field);
  if (!date) return tl::unexpected(date.error());
  const auto hour = digits(text.substr(11, 2));
  const auto minute = digits(text.substr(14, 2));
  std::optional<unsigned> second = 0;
  std::string_view zone = text.substr(16);
  if (zone.starts_with(':')) {
    second = zone.size() >= 3 ? digits(zone.substr(1, 2)) : std::nullopt;
    zone.remove_prefix(std::min<size_t>(3, zone.size()));
    // RFC 3339 time-secfrac; platform timestamps are whole seconds.
    if (zone.starts_with('.')) {
      const auto end = std::find_if_not(zone.begin() + 1, zone.end(),
                                        [](unsigned char c) { return std::isdigit(c); });
      if (end == zone.begin() + 1) return malformed();
      zone.remove_prefix(end - zone.begin());
    }
  }
  if (!hour || !minute || !second) return malformed();
  if (*hour > 23 || *minute > 59 || *second > 59) {
    return bad("time of day '" + std::string(text.substr(11, 8)) + "' out of range");
  }
  const sys_seconds wall = sys_days{*date} + std::chrono::hours{*hour} +
                           std::chrono::minutes{*minute} + seconds{*second};

  if (zone.empty()) {
    const date::local_info info = rome().get_info(date::local_seconds{wall.time_since_epoch()});
    if (info.result == date::local_info::nonexistent) {
      return bad("'" + std::string(text) +
                 "' does not exist in Europe/Rome (clocks go forward); give the offset");
    }
    if (info.result == date::local_info::ambiguous) {
      return bad("'" + std::string(text) +
                 "' occurs twice in Europe/Rome (clocks go back); give the offset, +02:00 or "
                 "+01:00");
    }
    return wall - info.first.offset;
  }
  if (zone == "Z" || zone == "z") return wall;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return malformed();
  const auto offset_hours = digits(zone.substr(1, 2));
  const auto offset_minutes = digits(zone.substr(4, 2));
  if (!offset_hours || !offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
    return malformed();
  }
  const seconds offset = std::chrono::hours{*offset_hours} + std::chrono::minutes{*offset_minutes};
  return zone[0] == '+' ? wall - offset : wall + offset;
}

std::string formatRome(sys_seconds instant) {
  const seconds offset = rome().get_info(instant).offset;
  const sys_seconds wall = instant + offset;
  const sys_days day = std::chrono::floor<days>(wall);
  const std::chrono::hh_mm_ss time{wall - day};
  const auto offset_minutes = std::chrono::duration_cast<std::chrono::minutes>(abs(offset)).count();
  char text[48];
  std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d%c%02d:%02d", formatDate(Date{day}).c_str(),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), offset < seconds{0} ? '-' : '+',
                static_cast<int>(offset_minutes / 60), static_cast<int>(offset_minutes % 60));
  return text;
}

}  // namespace cst::calendar
