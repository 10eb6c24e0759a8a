#pragma once
// Persistent background jobs: scheduled (recurring) and one-off, stored in the database and
// leased row by row, so that several `cst serve` on one PostgreSQL never run the same job at the
// same time; a crashed instance's lease expires and another takes the job over. Failures are
// retried with exponential backoff. Job kinds are registered by the modules that own them.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "db/db.hpp"

namespace cst::jobs {

// "@every 30s|15m|6h", "@hourly", "@daily HH:MM" (Europe/Rome civil time).
struct Schedule {
  enum class Kind { kEvery, kDaily } kind = Kind::kEvery;
  std::chrono::seconds every{0};
  std::chrono::minutes at_minute_of_day{0};
};
Result<Schedule> parseSchedule(const std::string& text);
TimePoint nextRun(const Schedule& s, TimePoint after);

struct JobInfo {
  std::int64_t id = 0;
  std::string name, kind, state;
  std::optional<std::string> schedule, ente, next_run_at, last_run_at, last_error, lease_owner;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> last_duration_ms;
  nlohmann::json payload;  // what the handler receives; not shown in the API
};
nlohmann::json toJson(const JobInfo& j);

using JobHandler = std::function<Status(const nlohmann::json& payload)>;

class Scheduler {
 public:
  Scheduler(db::Database& db, const Clock& clock, std::string instance_id);
  ~Scheduler();

  void registerKind(const std::string& kind, JobHandler handler);
  // Creates the recurring job `name` if absent; an existing one keeps its state and history,
  // and takes the new schedule.
  Status ensureRecurring(const std::string& name, const std::string& kind,
                         const std::string& schedule, const nlohmann::json& payload = {});
  Status enqueue(const std::string& name, const std::string& kind, const nlohmann::json& payload,
                 TimePoint run_at, int max_attempts = 5);
  // Makes a job due now (operator's "run now").
  Status runNow(std::int64_t id);

  // Claims and runs due jobs until none is due; returns how many ran.
  Result<int> runDue();
  void start(std::chrono::milliseconds poll = std::chrono::seconds(1));
  void stop();

  Result<std::vector<JobInfo>> list();
  std::int64_t runsTotal() const { return runs_.load(); }
  std::int64_t failuresTotal() const { return failures_.load(); }

  static constexpr std::chrono::minutes kLease{5};

 private:
  Result<std::optional<JobInfo>> claimOne();
  Status finish(const JobInfo& job, const Status& outcome, std::chrono::milliseconds took);

  db::Database& db_;
  const Clock& clock_;
  std::string instance_id_;
  std::map<std::string, JobHandler> handlers_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> runs_{0}, failures_{0};
};

}  // namespace cst::jobs
