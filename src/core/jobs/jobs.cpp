#include "jobs/jobs.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <regex>

#include "calendar/calendar.hpp"

namespace cst::jobs {

using nlohmann::json;

Result<Schedule> parseSchedule(const std::string& text) {
  static const std::regex kEvery(R"(@every (\d+)(s|m|h))"), kDaily(R"(@daily (\d{2}):(\d{2}))");
  std::smatch m;
  Schedule s;
  if (text == "@hourly") {
    s.every = std::chrono::hours(1);
    return s;
  }
  if (std::regex_match(text, m, kEvery)) {
    const long n = std::stol(m[1]);
    const long unit = m[2] == "s" ? 1 : m[2] == "m" ? 60 : 3600;
    if (n <= 0 || n * unit < 10) return failField("schedule", "intervallo minimo 10 secondi");
    s.every = std::chrono::seconds(n * unit);
    return s;
  }
  if (std::regex_match(text, m, kDaily)) {
    const int h = std::stoi(m[1]), min = std::stoi(m[2]);
    if (h > 23 || min > 59) return failField("schedule", "ora non valida");
    s.kind = Schedule::Kind::kDaily;
    s.at_minute_of_day = std::chrono::minutes(h * 60 + min);
    return s;
  }
  return failField("schedule", "atteso \"@every N(s|m|h)\", \"@hourly\" o \"@daily HH:MM\"");
}

TimePoint nextRun(const Schedule& s, TimePoint after) {
  using namespace std::chrono;
  if (s.kind == Schedule::Kind::kEvery) return after + duration_cast<milliseconds>(s.every);
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", int(s.at_minute_of_day.count() / 60),
                int(s.at_minute_of_day.count() % 60));
  sys_days day{calendar::romeDate(floor<seconds>(after))};
  for (int i = 0; i < 3; ++i, day += days(1)) {
    auto at =
        calendar::parseDateTime(calendar::formatDate(year_month_day{day}) + "T" + hhmm, "schedule");
    // A time that the daylight-saving change skips runs an hour later that day, and one it
    // repeats runs once: read with the winter offset (+01:00), 02:30 on the spring-forward day is
    // 03:30 CEST, and on the fall-back day the second 02:30. (+02:00 would run it at 01:30 CET,
    // an hour early.)
    if (!at)
      at = calendar::parseDateTime(
          calendar::formatDate(year_month_day{day}) + "T" + hhmm + ":00+01:00", "schedule");
    if (at && TimePoint(*at) > after) return TimePoint(*at);
  }
  return after + hours(24);
}

json toJson(const JobInfo& j) {
  auto opt = [](const auto& v) { return v ? json(*v) : json(); };
  return {{"id", j.id},
          {"name", j.name},
          {"kind", j.kind},
          {"schedule", opt(j.schedule)},
          {"ente", opt(j.ente)},
          {"state", j.state},
          {"next_run_at", opt(j.next_run_at)},
          {"last_run_at", opt(j.last_run_at)},
          {"attempts", j.attempts},
          {"last_error", opt(j.last_error)},
          {"last_duration_ms", opt(j.last_duration_ms)},
          {"lease_owner", opt(j.lease_owner)}};
}

namespace {
constexpr const char* kColumns =
    "id, name, kind, state, schedule, ente, next_run_at, last_run_at, last_error, lease_owner, "
    "attempts, last_duration_ms, payload, max_attempts";

JobInfo fromRow(const db::Row& r) {
  JobInfo j;
  j.id = r.integer(0);
  j.name = r.text(1);
  j.kind = r.text(2);
  j.state = r.text(3);
  j.schedule = r.optText(4);
  j.ente = r.optText(5);
  j.next_run_at = r.optText(6);
  j.last_run_at = r.optText(7);
  j.last_error = r.optText(8);
  j.lease_owner = r.optText(9);
  j.attempts = r.integer(10);
  j.last_duration_ms = r.optInteger(11);
  j.payload = json::parse(r.text(12), nullptr, false);
  if (!j.payload.is_object()) j.payload = json::object();
  return j;
}
}  // namespace

Scheduler::Scheduler(db::Database& db, const Clock& clock, std::string instance_id)
    : db_(db), clock_(clock), instance_id_(std::move(instance_id)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::registerKind(const std::string& kind, JobHandler handler) {
  handlers_[kind] = std::move(handler);
}

Status Scheduler::ensureRecurring(const std::string& name, const std::string& kind,
                                  const std::string& schedule, const json& payload) {
  auto parsed = parseSchedule(schedule);
  if (!parsed) return tl::unexpected(parsed.error());
  const TimePoint now = clock_.now();
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto seen = tx.query("SELECT schedule FROM jobs WHERE name = ?", {name});
    if (!seen) return tl::unexpected(seen.error());
    if (!seen->empty()) {
      if (seen->front().optText(0) == schedule) return {};
      auto r = tx.exec("UPDATE jobs SET schedule = ?, next_run_at = ? WHERE name = ?",
                       {schedule, formatTimestamp(nextRun(*parsed, now)), name});
      if (!r) return tl::unexpected(r.error());
      return {};
    }
    auto r = tx.exec(
        "INSERT INTO jobs (name, kind, schedule, payload, state, next_run_at, created_at) "
        "VALUES (?,?,?,?,'scheduled',?,?)",
        {name, kind, schedule, (payload.is_null() ? json::object() : payload).dump(),
         formatTimestamp(nextRun(*parsed, now)), formatTimestamp(now)});
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

Status Scheduler::enqueue(const std::string& name, const std::string& kind, const json& payload,
                          TimePoint run_at, int max_attempts) {
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec(
        "INSERT INTO jobs (name, kind, payload, state, next_run_at, max_attempts, created_at) "
        "VALUES (?,?,?,'scheduled',?,?,?)",
        {name, kind, payload.dump(), formatTimestamp(run_at), std::int64_t(max_attempts),
         formatTimestamp(clock_.now())});
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

Status Scheduler::runNow(std::int64_t id) {
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec(
        "UPDATE jobs SET next_run_at = ?, state = CASE WHEN state = 'running' THEN state ELSE "
        "'scheduled' END WHERE id = ?",
        {formatTimestamp(clock_.now()), id});
    if (!r) return tl::unexpected(r.error());
    if (*r == 0) return fail(ErrorCode::kNotFound, "attività non trovata");
    return {};
  });
}

Result<std::optional<JobInfo>> Scheduler::claimOne() {
  const std::string now = formatTimestamp(clock_.now());
  const std::string until = formatTimestamp(clock_.now() + kLease);
  auto candidates =
      db_.query(std::string("SELECT ") + kColumns +
                    " FROM jobs WHERE (state IN ('scheduled', 'retrying') AND next_run_at <= ?) OR "
                    "(state = 'running' AND lease_until < ?) ORDER BY next_run_at LIMIT 10",
                {now, now});
  if (!candidates) return tl::unexpected(candidates.error());
  for (const db::Row& row : *candidates) {
    JobInfo job = fromRow(row);
    // The conditional update is the lease: exactly one instance sees one changed row.
    auto claimed = db_.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) {
      return tx.exec(
          "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ? WHERE id = ? AND "
          "((state IN ('scheduled', 'retrying') AND next_run_at <= ?) OR "
          "(state = 'running' AND lease_until < ?))",
          {instance_id_, until, job.id, now, now});
    });
    if (!claimed) return tl::unexpected(claimed.error());
    if (*claimed == 1) {
      job.lease_owner = instance_id_;
      return std::optional<JobInfo>(job);
    }
  }
  return std::optional<JobInfo>();
}

Status Scheduler::finish(const JobInfo& job, const Status& outcome,
                         std::chrono::milliseconds took) {
  const TimePoint now = clock_.now();
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto row = tx.one("SELECT schedule, attempts, max_attempts FROM jobs WHERE id = ?", {job.id});
    if (!row) return tl::unexpected(row.error());
    const std::optional<std::string> schedule = row->optText(0);
    const std::int64_t attempts = outcome ? 0 : row->integer(1) + 1;
    const std::int64_t max_attempts = row->integer(2);
    std::string state;
    TimePoint next = now;
    if (outcome || attempts >= max_attempts) {
      if (schedule) {
        auto s = parseSchedule(*schedule);
        state = "scheduled";
        next = s ? nextRun(*s, now) : now + std::chrono::hours(1);
      } else {
        state = outcome ? "done" : "failed";
      }
    } else {
      // Backoff: 30 s, 1 min, 2 min, ... capped at one hour.
      state = "retrying";
      next = now + std::min<std::chrono::milliseconds>(
                       std::chrono::seconds(30) * (1LL << std::min<std::int64_t>(attempts - 1, 7)),
                       std::chrono::hours(1));
    }
    auto r = tx.exec(
        "UPDATE jobs SET state = ?, next_run_at = ?, attempts = ?, last_run_at = ?, last_error = "
        "?, "
        "last_duration_ms = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner "
        "= ?",
        {state,
         state == "done" || state == "failed" ? db::null() : db::Value{formatTimestamp(next)},
         outcome ? std::int64_t(0) : attempts, formatTimestamp(now),
         outcome ? db::null() : db::Value{outcome.error().detail}, std::int64_t(took.count()),
         job.id, instance_id_});
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

Result<int> Scheduler::runDue() {
  int ran = 0;
  for (;;) {
    auto claimed = claimOne();
    if (!claimed) return tl::unexpected(claimed.error());
    if (!*claimed) return ran;
    const JobInfo& job = **claimed;
    const auto started = std::chrono::steady_clock::now();
    Status outcome;
    auto handler = handlers_.find(job.kind);
    if (handler == handlers_.end()) {
      outcome = fail(ErrorCode::kInternal, "no handler for job kind " + job.kind);
    } else {
      try {
        outcome = handler->second(job.payload);
      } catch (const std::exception& e) {
        outcome = fail(ErrorCode::kInternal, e.what());
      }
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    ++runs_;
    if (!outcome) {
      ++failures_;
      spdlog::warn("job {} ({}) failed: {}", job.name, job.kind, outcome.error().detail);
    }
    if (auto s = finish(job, outcome, took); !s) return tl::unexpected(s.error());
    ++ran;
  }
}

void Scheduler::start(std::chrono::milliseconds poll) {
  stopping_ = false;
  thread_ = std::thread([this, poll] {
    while (!stopping_) {
      if (auto r = runDue(); !r) spdlog::warn("job runner: {}", r.error().detail);
      for (auto waited = std::chrono::milliseconds(0); waited < poll && !stopping_;
           waited += std::chrono::milliseconds(50))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

void Scheduler::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

Result<std::vector<JobInfo>> Scheduler::list() {
  auto rows = db_.query(std::string("SELECT ") + kColumns + " FROM jobs ORDER BY name");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<JobInfo> out;
  for (const db::Row& r : *rows) out.push_back(fromRow(r));
  return out;
}

}  // namespace cst::jobs
