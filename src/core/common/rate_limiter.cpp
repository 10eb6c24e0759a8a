#include "common/rate_limiter.hpp"

#include <chrono>

namespace cst {

bool RateLimiter::exceeded(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = attempts_.find(key);
  if (it == attempts_.end()) return false;
  const TimePoint now = clock_.now();
  std::erase_if(it->second, [&](TimePoint t) { return now - t > std::chrono::minutes(1); });
  return static_cast<int>(it->second.size()) >= per_minute_;
}

void RateLimiter::record(const std::string& key) {
  std::lock_guard lock(mu_);
  if (attempts_.size() > 10000) attempts_.clear();  // bound memory under a spray of addresses
  attempts_[key].push_back(clock_.now());
}

bool RateLimiter::limited(const std::string& key) {
  if (exceeded(key)) return true;
  record(key);
  return false;
}

}  // namespace cst
