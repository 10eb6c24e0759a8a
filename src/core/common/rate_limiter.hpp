#pragma once
// A sliding one-minute window of attempts per key (a remote address): what keeps a door without
// login (the login itself, the citizen's lookup of a notice) from being used to guess.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace cst {

// Thread safety: every method may be called from any thread.
class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int per_minute) : clock_(clock), per_minute_(per_minute) {}

  // True when `key` already made `per_minute` attempts in the last minute: this one is refused
  // and not counted. Otherwise it is counted and false is returned.
  bool limited(const std::string& key);
  // The two halves of limited(), for a door that counts only failed attempts: whether `key` has
  // used up its minute, and counting one attempt of it.
  bool exceeded(const std::string& key);
  void record(const std::string& key);

 private:
  const Clock& clock_;
  const int per_minute_;
  std::mutex mu_;
  std::map<std::string, std::vector<TimePoint>> attempts_;
};

}  // namespace cst
