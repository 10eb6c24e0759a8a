#pragma once
// What the demo desk's calendar gives, computed independently of the service: opening hours
// mon-fri 08:30-13:00,14:00-17:30, Italian holidays and Sant'Omobono (the seat is Cremona).
#include <chrono>
#include <string>

#include "calendar/calendar.hpp"
#include "calendar/opening_hours.hpp"
#include "common/clock.hpp"

namespace cst::testkit {

// The RFC 3339 instant `business` opening hours after `opened_at` (as the API writes both).
inline std::string dueAfter(const std::string& opened_at, std::chrono::hours business) {
  const auto opened = parseTimestamp(opened_at);
  if (!opened) return "unparsable opened_at: " + opened_at;
  const auto hours = *calendar::OpeningHours::parse("mon-fri 08:30-13:00,14:00-17:30", "h");
  calendar::CalendarConfig days;
  days.patron = calendar::PatronSaint{std::chrono::November / 13, "Sant'Omobono"};
  const auto due = calendar::addBusinessHours(std::chrono::floor<std::chrono::seconds>(*opened),
                                              business, hours, days);
  return formatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(due));
}

}  // namespace cst::testkit
