#include "calendar/opening_hours.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>

namespace cst::calendar {
namespace {

using std::chrono::minutes;
using std::chrono::sys_seconds;

// By weekday::c_encoding(); Sunday is named only to be refused with a clear message.
constexpr std::string_view kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// A parse step's failure: the message only; parse() adds the field.
template <class T>
using Parsed = tl::expected<T, std::string>;

const date::time_zone& rome() {
  static const date::time_zone* const zone = date::locate_zone("Europe/Rome");
  return *zone;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t stop = text.find(separator, start);
    parts.push_back(trim(text.substr(start, stop - start)));
    if (stop == std::string_view::npos) return parts;
    start = stop + 1;
  }
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string formatTime(minutes time) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(time.count() / 60),
                static_cast<int>(time.count() % 60));
  return text;
}

std::string formatInterval(OpeningInterval interval) {
  return formatTime(interval.begin) + "-" + formatTime(interval.end);
}

// Monday = 1 ... Saturday = 6, the order in which ranges run.
Parsed<unsigned> parseDay(std::string_view text) {
  std::string lower(text);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto found = std::ranges::find(kDayNames, lower);
  if (found == std::end(kDayNames)) {
    return tl::unexpected("unknown day " + quoted(text) + " (use mon, tue, wed, thu, fri, sat)");
  }
  if (found == std::begin(kDayNames)) {
    return tl::unexpected(std::string(
        "Sunday is a public holiday (L. 260/1949 art. 2) and is always closed; remove 'sun'"));
  }
  return static_cast<unsigned>(found - std::begin(kDayNames));
}

// "mon,wed-fri" -> the weekdays it names.
Parsed<std::vector<unsigned>> parseDays(std::string_view text) {
  std::vector<unsigned> days;
  for (std::string_view item : split(text, ',')) {
    const size_t dash = item.find('-');
    const Parsed<unsigned> first = parseDay(item.substr(0, dash));
    if (!first) return tl::unexpected(first.error());
    const Parsed<unsigned> last =
        dash == std::string_view::npos ? first : parseDay(item.substr(dash + 1));
    if (!last) return tl::unexpected(last.error());
    if (*last < *first) {
      return tl::unexpected("day range " + quoted(item) + " runs backwards (write e.g. mon-fri)");
    }
    for (unsigned day = *first; day <= *last; ++day) days.push_back(day);
  }
  return days;
}

Parsed<minutes> parseTime(std::string_view text) {
  unsigned hour = 0;
  unsigned minute = 0;
  const auto isTwoDigits = [](std::string_view part, unsigned& value) {
    const char* end = part.data() + part.size();
    return part.size() == 2 && std::from_chars(part.data(), end, value).ptr == end;
  };
  if (text.size() != 5 || text[2] != ':' || !isTwoDigits(text.substr(0, 2), hour) ||
      !isTwoDigits(text.substr(3, 2), minute) || minute > 59 || hour * 60 + minute > 24 * 60) {
    return tl::unexpected("bad time " + quoted(text) + " (expected HH:MM from 00:00 to 24:00)");
  }
  return minutes{hour * 60 + minute};
}

Parsed<OpeningInterval> parseInterval(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return tl::unexpected("bad interval " + quoted(text) + " (expected HH:MM-HH:MM)");
  }
  const Parsed<minutes> begin = parseTime(text.substr(0, dash));
  if (!begin) return tl::unexpected(begin.error());
  const Parsed<minutes> end = parseTime(text.substr(dash + 1));
  if (!end) return tl::unexpected(end.error());
  if (*end <= *begin)
    return tl::unexpected("interval " + quoted(text) + " does not end after it starts");
  return OpeningInterval{*begin, *end};
}

// Calls visit(begin, end) for each opening span, in time order, that ends after `from` (its begin
// raised to `from`), until visit returns false. Spans are Rome wall-clock intervals of non-holiday
// days turned into instants. EU clock changes fall on Sundays, which are closed, but the tzdata is
// the authority: a wall time skipped in spring maps to the instant of the change, and an hour
// repeated in autumn is open both times (earliest begin, latest end).
template <class Visit>
void visitOpenSpans(sys_seconds from, const OpeningHours& hours, const CalendarConfig& config,
                    Visit visit) {
  const date::time_zone& zone = rome();
  for (auto day = date::floor<date::days>(zone.to_local(from));; day += date::days{1}) {
    const std::chrono::sys_days civil{day.time_since_epoch()};
    if (isHoliday(Date{civil}, config)) continue;
    for (const OpeningInterval& interval : hours.on(std::chrono::weekday{civil})) {
      const sys_seconds begin =
          std::max(from, sys_seconds{zone.to_sys(day + interval.begin, date::choose::earliest)});
      const sys_seconds end{zone.to_sys(day + interval.end, date::choose::latest)};
      if (begin < end && !visit(begin, end)) return;
    }
  }
}

}  // namespace

Result<OpeningHours> OpeningHours::parse(std::string_view text, std::string_view field) {
  const auto bad = [&](std::string message) {
    return failField(std::string(field), std::move(message));
  };
  OpeningHours hours;
  for (std::string_view group : split(text, ';')) {
    if (group.empty()) continue;
    const size_t space = group.find_first_of(" \t");
    if (space == std::string_view::npos) {
      return bad(quoted(group) + " has no opening intervals (e.g. mon-fri 08:30-13:00)");
    }
    const Parsed<std::vector<unsigned>> days = parseDays(group.substr(0, space));
    if (!days) return bad(days.error());
    for (std::string_view item : split(group.substr(space), ',')) {
      const Parsed<OpeningInterval> interval = parseInterval(item);
      if (!interval) return bad(interval.error());
      for (unsigned day : *days) hours.days_[day].push_back(*interval);
    }
  }
  bool open = false;
  for (unsigned day = 1; day < hours.days_.size(); ++day) {
    std::vector<OpeningInterval>& intervals = hours.days_[day];
    std::ranges::sort(intervals, {}, &OpeningInterval::begin);
    const auto overlap = std::ranges::adjacent_find(
        intervals, [](const auto& a, const auto& b) { return b.begin < a.end; });
    if (overlap != intervals.end()) {
      return bad("intervals " + formatInterval(overlap[0]) + " and " + formatInterval(overlap[1]) +
                 " overlap on " + std::string(kDayNames[day]));
    }
    open = open || !intervals.empty();
  }
  if (!open) return bad("no opening hours given (e.g. mon-fri 08:30-13:00,14:00-17:30)");
  return hours;
}

const std::vector<OpeningInterval>& OpeningHours::on(std::chrono::weekday day) const {
  return days_[day.c_encoding()];
}

std::string OpeningHours::toString() const {
  std::string text;
  for (size_t first = 1; first < days_.size(); ++first) {
    if (days_[first].empty()) continue;
    size_t last = first;
    while (last + 1 < days_.size() && days_[last + 1] == days_[first]) ++last;
    if (!text.empty()) text += "; ";
    text += kDayNames[first];
    if (last > first) text += "-" + std::string(kDayNames[last]);
    for (size_t i = 0; i < days_[first].size(); ++i) {
      text += (i == 0 ? " " : ",") + formatInterval(days_[first][i]);
    }
    first = last;
  }
  return text;
}

sys_seconds addBusinessHours(sys_seconds start, minutes duration, const OpeningHours& hours,
                             const CalendarConfig& config) {
  if (duration <= minutes{0}) return start;
  std::chrono::seconds left = duration;
  sys_seconds due = start;
  visitOpenSpans(start, hours, config, [&](sys_seconds begin, sys_seconds end) {
    if (end - begin >= left) {
      due = begin + left;
      return false;
    }
    left -= end - begin;
    return true;
  });
  return due;
}

minutes businessMinutesBetween(sys_seconds from, sys_seconds to, const OpeningHours& hours,
                               const CalendarConfig& config) {
  if (to <= from) return minutes{0};
  std::chrono::seconds total{0};
  visitOpenSpans(from, hours, config, [&](sys_seconds begin, sys_seconds end) {
    if (begin >= to) return false;
    total += std::min(end, to) - begin;
    return end < to;
  });
  return std::chrono::floor<minutes>(total);
}

}  // namespace cst::calendar
