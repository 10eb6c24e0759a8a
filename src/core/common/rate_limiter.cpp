#include "common/rate_limiter.hpp"

#include <chrono>

namespace cst {

bool RateLimiter::limited(const std::string& key) {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.now();
  auto& times = attempts_[key];
  std::erase_if(times, [&](TimePoint t) { return now - t > std::chrono::minutes(1); });
  if (static_cast<int>(times.size()) >= per_minute_) return true;
  times.push_back(now);
  if (attempts_.size() > 10000) attempts_.clear();  // bound memory under a spray of addresses
  return false;
}

}  // namespace cst
