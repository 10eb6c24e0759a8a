#include "http/metrics.hpp"

#include <array>
#include <sstream>

namespace cst::http {

namespace {
constexpr std::array<double, 12> kBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                         0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

std::string labels(const std::string& key) {
  auto a = key.find('|');
  auto b = key.find('|', a + 1);
  return "method=\"" + key.substr(0, a) + "\",route=\"" + key.substr(a + 1, b - a - 1) +
         "\",status=\"" + key.substr(b + 1) + "\"";
}
}  // namespace

void Metrics::observeRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  const std::string key = method + "|" + route + "|" + std::to_string(status / 100) + "xx";
  std::lock_guard lock(mu_);
  Series& s = series_[key];
  if (s.buckets.empty()) s.buckets.assign(kBounds.size(), 0);
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) ++s.buckets[i];
  ++s.count;
  s.sum += seconds;
}

void Metrics::addGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP cst_http_requests_total HTTP requests by route and status class.\n"
      << "# TYPE cst_http_requests_total counter\n";
  for (const auto& [key, s] : series_)
    out << "cst_http_requests_total{" << labels(key) << "} " << s.count << "\n";
  out << "# HELP cst_http_request_duration_seconds Time from request read to response ready.\n"
      << "# TYPE cst_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const std::string l = labels(key);
    for (std::size_t i = 0; i < kBounds.size(); ++i)
      out << "cst_http_request_duration_seconds_bucket{" << l << ",le=\"" << kBounds[i] << "\"} "
          << s.buckets[i] << "\n";
    out << "cst_http_request_duration_seconds_bucket{" << l << ",le=\"+Inf\"} " << s.count << "\n";
    out << "cst_http_request_duration_seconds_sum{" << l << "} " << s.sum << "\n";
    out << "cst_http_request_duration_seconds_count{" << l << "} " << s.count << "\n";
  }
  for (const Gauge& g : gauges_) {
    out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n"
        << g.name << " " << g.read() << "\n";
  }
  return out.str();
}

}  // namespace cst::http
