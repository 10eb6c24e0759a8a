#include "common/clock.hpp"

#include <atomic>
#include <cstdio>

namespace cst {

TimePoint SystemClock::now() const { return systemNow(); }

TimePoint systemNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

ManualClock::ManualClock(TimePoint start) : ms_(start.time_since_epoch().count()) {}

TimePoint ManualClock::now() const {
  return TimePoint(
      std::chrono::milliseconds(std::atomic_ref(const_cast<decltype(ms_)&>(ms_)).load()));
}

void ManualClock::advance(std::chrono::milliseconds by) {
  std::atomic_ref(ms_).fetch_add(by.count());
}

std::string formatTimestamp(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()),
                long(hms.subseconds().count()));
  return buf;
}

std::optional<TimePoint> parseTimestamp(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h, mi, sec;
  if (s.size() < 20) return std::nullopt;
  if (std::sscanf(std::string(s.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h,
                  &mi, &sec) != 6)
    return std::nullopt;
  std::size_t i = 19;
  long ms = 0;
  if (i < s.size() && s[i] == '.') {
    long scale = 100;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      ms += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  int offset_min = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(s.substr(i + 1)).c_str(), "%2d:%2d", &oh, &om) != 2)
      return std::nullopt;
    offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return TimePoint{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms} -
         minutes{offset_min};
}

}  // namespace cst
