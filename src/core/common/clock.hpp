#pragma once
// Time for the platform: one injectable clock (services take a Clock& so tests control time) and
// the RFC 3339 UTC timestamp format used in the database and the API ("2026-11-26T05:32:37.123Z":
// fixed width, so text order is time order).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cst {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that tests move by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start);
  TimePoint now() const override;
  void advance(std::chrono::milliseconds by);

 private:
  std::chrono::milliseconds::rep ms_;  // guarded by atomic access in the .cpp
};

TimePoint systemNow();
std::string formatTimestamp(TimePoint t);
// Accepts RFC 3339 with 'Z' or a numeric offset, with or without fractional seconds.
std::optional<TimePoint> parseTimestamp(std::string_view text);

}  // namespace cst
