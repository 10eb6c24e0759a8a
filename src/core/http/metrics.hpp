#pragma once
// Prometheus metrics: request counts and latency histograms per route and status class, plus
// gauges that other parts of the core publish (database pool, jobs, connections). Thread-safe.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cst::http {

class Metrics {
 public:
  void observeRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  // A gauge read at scrape time.
  void addGauge(std::string name, std::string help, std::function<double()> read);
  std::string render() const;

 private:
  struct Series {
    std::vector<std::uint64_t> buckets;  // cumulative counts per bound
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable std::mutex mu_;
  std::map<std::string, Series> series_;  // key: method|route|status-class
  std::vector<Gauge> gauges_;
};

}  // namespace cst::http
