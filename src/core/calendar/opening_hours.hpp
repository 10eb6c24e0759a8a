#pragma once
// Opening hours (orario di apertura al pubblico / di servizio) and business-time arithmetic for
// SLAs: only time inside the opening intervals of non-holiday days counts. Sundays and the
// holidays of the CalendarConfig are always closed; Saturday is open only if the hours list it
// (config.saturday_is_non_working does not apply here). Intervals are Europe/Rome wall-clock time,
// so an hour of business time is an hour of real time on both sides of a daylight-saving change
// (Directive 2000/84/EC). Pure functions; thread-safe.
#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "common/result.hpp"

namespace cst::calendar {

// [begin, end) in minutes after local midnight; 0 <= begin < end <= 24h.
struct OpeningInterval {
  std::chrono::minutes begin;
  std::chrono::minutes end;
  bool operator==(const OpeningInterval&) const = default;
};

// Weekly opening hours. Invariant (held by parse, the only way to build one): each day's intervals
// are sorted and disjoint, Sunday has none, and some day has one, so that every business-time
// computation ends.
class OpeningHours {
 public:
  // Compact form: groups separated by ';', each "DAYS INTERVALS". DAYS is a comma list of days
  // (mon tue wed thu fri sat, any case) or ranges (mon-fri); INTERVALS is a comma list of
  // HH:MM-HH:MM, with 24:00 allowed as an end. A day named in several groups gets all their
  // intervals: "mon-fri 08:30-13:00; tue,thu 14:30-17:00". Errors are kBadInput naming `field`,
  // with a message that quotes the offending part.
  static Result<OpeningHours> parse(std::string_view text, std::string_view field);

  const std::vector<OpeningInterval>& on(std::chrono::weekday day) const;

  // Canonical compact form, consecutive days with the same intervals joined into a range;
  // parse(toString()) gives back an equal object.
  std::string toString() const;

  bool operator==(const OpeningHours&) const = default;

 private:
  OpeningHours() = default;

  std::array<std::vector<OpeningInterval>, 7> days_;  // by weekday::c_encoding(), Sunday = 0
};

// The earliest instant at which `duration` of business time has elapsed since `start`: a result
// that falls on the end of an interval stays there (18:00, not 08:00 of the next open day).
// Returns `start` when duration <= 0.
std::chrono::sys_seconds addBusinessHours(std::chrono::sys_seconds start,
                                          std::chrono::minutes duration, const OpeningHours& hours,
                                          const CalendarConfig& config);

// Business time inside [from, to), rounded down to whole minutes; zero when to <= from.
std::chrono::minutes businessMinutesBetween(std::chrono::sys_seconds from,
                                            std::chrono::sys_seconds to, const OpeningHours& hours,
                                            const CalendarConfig& config);

}  // namespace cst::calendar
