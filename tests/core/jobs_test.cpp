// The job scheduler without HTTP: two instances leasing from one database run each job exactly
// once, failures are retried with backoff until max_attempts, and schedules are parsed and
// placed in Europe/Rome civil time. Runs on one SQLite file (two connections pools, as two
// `cst serve` would have), and on PostgreSQL too when CST_TEST_POSTGRES_URL is set.
#include "jobs/jobs.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "db/migrations.hpp"
#include "platform/platform.hpp"
#include "testkit/server_process.hpp"

namespace cst::jobs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TimePoint at(const char* rfc3339) { return parseTimestamp(rfc3339).value(); }

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cst-jobs-" + randomToken(6));
    fs::create_directories(dir_);
    const std::string url = testkit::usingPostgres() ? testkit::freshDatabaseUrl()
                                                     : "sqlite:" + (dir_ / "cst.db").string();
    for (auto* slot : {&db_a_, &db_b_}) {
      auto db = db::Database::open(url, dir_, 4);
      ASSERT_TRUE(db) << db.error().detail;
      *slot = *db;
    }
    auto applied = db::migrate(*db_a_, {{"core", &db::coreMigrations()}});
    ASSERT_TRUE(applied) << applied.error().detail;
    a_ = std::make_unique<Scheduler>(*db_a_, clock_, "instance-a");
    b_ = std::make_unique<Scheduler>(*db_b_, clock_, "instance-b");
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    db_a_.reset();
    db_b_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::map<std::string, JobInfo> jobs() {
    std::map<std::string, JobInfo> out;
    auto list = a_->list();
    EXPECT_TRUE(list) << list.error().detail;
    if (list)
      for (auto& j : *list) out[j.name] = j;
    return out;
  }

  fs::path dir_;
  ManualClock clock_{at("2026-01-15T09:00:00Z")};
  std::shared_ptr<db::Database> db_a_, db_b_;
  std::unique_ptr<Scheduler> a_, b_;
};

TEST_F(SchedulerTest, TwoInstancesRunEachJobExactlyOnce) {
  constexpr int kJobs = 50;
  std::array<std::atomic<int>, kJobs> runs{};
  std::atomic<int> total{0};
  std::atomic<int> by_a{0}, by_b{0};
  auto handler = [&](std::atomic<int>& mine) {
    return [&](const nlohmann::json& payload) -> Status {
      runs.at(payload.at("n").get<int>())++;
      ++total;
      ++mine;
      std::this_thread::sleep_for(5ms);  // real work takes time: the instances take turns
      return {};
    };
  };
  a_->registerKind("count", handler(by_a));
  b_->registerKind("count", handler(by_b));
  for (int i = 0; i < kJobs; ++i)
    ASSERT_TRUE(a_->enqueue("count-" + std::to_string(i), "count", {{"n", i}}, clock_.now()));

  Result<int> ran_a = 0, ran_b = 0;
  std::atomic<int> ready{0};
  auto together = [&] {  // both threads start claiming at the same moment
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();
  };
  std::thread ta([&] {
    together();
    ran_a = a_->runDue();
  });
  std::thread tb([&] {
    together();
    ran_b = b_->runDue();
  });
  ta.join();
  tb.join();
  ASSERT_TRUE(ran_a) << ran_a.error().detail;
  ASSERT_TRUE(ran_b) << ran_b.error().detail;

  EXPECT_EQ(*ran_a + *ran_b, kJobs);
  EXPECT_EQ(total.load(), kJobs);
  EXPECT_EQ(by_a.load(), *ran_a);
  EXPECT_EQ(by_b.load(), *ran_b);
  // Both competed for the same rows (otherwise this test would prove nothing about leases).
  EXPECT_GT(*ran_a, 0);
  EXPECT_GT(*ran_b, 0);
  std::cout << "instance a ran " << *ran_a << ", instance b ran " << *ran_b << "\n";
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(runs[i].load(), 1) << "job " << i;
  for (const auto& [name, j] : jobs()) {
    EXPECT_EQ(j.state, "done") << name;
    EXPECT_FALSE(j.lease_owner) << name << " still leased";
    EXPECT_FALSE(j.next_run_at) << name;
  }
  // Nothing is due any more, on either instance.
  EXPECT_EQ(a_->runDue().value_or(-1), 0);
  EXPECT_EQ(b_->runDue().value_or(-1), 0);
  EXPECT_EQ(a_->runsTotal() + b_->runsTotal(), kJobs);
}

TEST_F(SchedulerTest, AJobNotYetDueWaits) {
  std::atomic<int> runs{0};
  a_->registerKind("later", [&](const nlohmann::json&) -> Status {
    ++runs;
    return {};
  });
  ASSERT_TRUE(a_->enqueue("later-1", "later", nlohmann::json::object(), clock_.now() + 10min));
  EXPECT_EQ(a_->runDue().value_or(-1), 0);
  clock_.advance(9min);
  EXPECT_EQ(a_->runDue().value_or(-1), 0);
  clock_.advance(1min);
  EXPECT_EQ(a_->runDue().value_or(-1), 1);
  EXPECT_EQ(runs.load(), 1);
}

TEST_F(SchedulerTest, FailuresAreRetriedWithBackoffThenFail) {
  std::atomic<int> calls{0};
  a_->registerKind("flaky", [&](const nlohmann::json&) -> Status {
    ++calls;
    return fail(ErrorCode::kUnavailable, "telecamera non raggiungibile");
  });
  ASSERT_TRUE(a_->enqueue("flaky-1", "flaky", nlohmann::json::object(), clock_.now(), 3));

  EXPECT_EQ(a_->runDue().value_or(-1), 1);
  JobInfo j = jobs()["flaky-1"];
  EXPECT_EQ(j.state, "retrying");
  EXPECT_EQ(j.attempts, 1);
  ASSERT_TRUE(j.next_run_at);
  EXPECT_GT(*j.next_run_at, formatTimestamp(clock_.now())) << "retried later, not at once";
  EXPECT_EQ(*j.next_run_at, formatTimestamp(clock_.now() + 30s));
  EXPECT_EQ(j.last_error.value_or(""), "telecamera non raggiungibile");
  EXPECT_FALSE(j.lease_owner);

  // Not due again before the backoff; the other instance does not take it either.
  EXPECT_EQ(a_->runDue().value_or(-1), 0);
  EXPECT_EQ(b_->runDue().value_or(-1), 0);
  EXPECT_EQ(calls.load(), 1);

  clock_.advance(30s);
  b_->registerKind("flaky", [&](const nlohmann::json&) -> Status {
    ++calls;
    return fail(ErrorCode::kUnavailable, "ancora giù");
  });
  EXPECT_EQ(b_->runDue().value_or(-1), 1) << "any instance takes the retry";
  j = jobs()["flaky-1"];
  EXPECT_EQ(j.state, "retrying");
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.next_run_at.value_or(""), formatTimestamp(clock_.now() + 60s)) << "backoff doubles";

  clock_.advance(60s);
  EXPECT_EQ(a_->runDue().value_or(-1), 1);
  j = jobs()["flaky-1"];
  EXPECT_EQ(j.state, "failed");
  EXPECT_EQ(j.attempts, 3);
  EXPECT_FALSE(j.next_run_at);
  EXPECT_EQ(a_->failuresTotal() + b_->failuresTotal(), 3);

  clock_.advance(24h);
  EXPECT_EQ(a_->runDue().value_or(-1), 0) << "a failed one-off job is not run again";
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(SchedulerTest, AThrowingHandlerCountsAsAFailure) {
  a_->registerKind("throws", [](const nlohmann::json&) -> Status {
    throw std::runtime_error("eccezione nel gestore");
  });
  ASSERT_TRUE(a_->enqueue("throws-1", "throws", nlohmann::json::object(), clock_.now(), 1));
  EXPECT_EQ(a_->runDue().value_or(-1), 1);
  const JobInfo j = jobs()["throws-1"];
  EXPECT_EQ(j.state, "failed");
  EXPECT_EQ(j.last_error.value_or(""), "eccezione nel gestore");
}

TEST_F(SchedulerTest, ARecurringJobFailingItsLastAttemptIsScheduledAgain) {
  a_->registerKind("nightly", [](const nlohmann::json&) -> Status {
    return fail(ErrorCode::kInternal, "rotto");
  });
  ASSERT_TRUE(a_->ensureRecurring("nightly-1", "nightly", "@every 10m"));
  clock_.advance(10min);
  for (int attempt = 1; attempt <= 5; ++attempt) {
    ASSERT_EQ(a_->runDue().value_or(-1), 1) << "attempt " << attempt;
    clock_.advance(1h);
  }
  const JobInfo j = jobs()["nightly-1"];
  EXPECT_EQ(j.state, "scheduled") << "a recurring job keeps its schedule after max attempts";
  EXPECT_TRUE(j.next_run_at);
}

TEST_F(SchedulerTest, AnExpiredLeaseIsTakenOver) {
  std::atomic<int> runs{0};
  b_->registerKind("work", [&](const nlohmann::json&) -> Status {
    ++runs;
    return {};
  });
  ASSERT_TRUE(a_->enqueue("work-1", "work", nlohmann::json::object(), clock_.now()));
  // Instance A claims the job and "crashes": simulated by a lease taken directly.
  auto claimed = db_a_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) {
    return tx.exec(
        "UPDATE jobs SET state = 'running', lease_owner = 'instance-a', lease_until = ? "
        "WHERE name = 'work-1'",
        {formatTimestamp(clock_.now() + Scheduler::kLease)});
  });
  ASSERT_EQ(claimed.value_or(0), 1);
  EXPECT_EQ(b_->runDue().value_or(-1), 0) << "a live lease is respected";
  clock_.advance(Scheduler::kLease + 1s);
  EXPECT_EQ(b_->runDue().value_or(-1), 1) << "an expired lease is taken over";
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(jobs()["work-1"].state, "done");
}

TEST(Schedule, ParseErrorsNameTheScheduleField) {
  for (const char* bad : {"", "@weekly", "@every 5s", "@every 0m", "@every 10", "@daily 25:00",
                          "@daily 02:60", "@daily 2:30", "every 30s", "@every -30s"}) {
    auto s = parseSchedule(bad);
    ASSERT_FALSE(s) << "accepted \"" << bad << "\"";
    EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
    ASSERT_FALSE(s.error().fields.empty()) << bad;
    EXPECT_EQ(s.error().fields.front().field, "schedule") << bad;
  }
  auto every = parseSchedule("@every 15m");
  ASSERT_TRUE(every);
  EXPECT_EQ(every->every, 15min);
  EXPECT_EQ(parseSchedule("@hourly").value().every, 1h);
  EXPECT_EQ(parseSchedule("@every 10s").value().every, 10s);
  EXPECT_EQ(parseSchedule("@daily 02:30").value().kind, Schedule::Kind::kDaily);
}

std::string next(const char* schedule, const char* after) {
  return formatTimestamp(nextRun(parseSchedule(schedule).value(), at(after)));
}

TEST(Schedule, DailyRunsAtRomeCivilTime) {
  // Winter (CET, +01:00): 02:30 in Rome is 01:30Z.
  EXPECT_EQ(next("@daily 02:30", "2026-01-15T12:00:00Z"), "2026-01-16T01:30:00.000Z");
  EXPECT_EQ(next("@daily 02:30", "2026-01-15T01:00:00Z"), "2026-01-15T01:30:00.000Z");
  EXPECT_EQ(next("@daily 02:30", "2026-01-15T01:30:00Z"), "2026-01-16T01:30:00.000Z")
      << "strictly after";
  // Summer (CEST, +02:00): 00:30Z.
  EXPECT_EQ(next("@daily 02:30", "2026-07-01T12:00:00Z"), "2026-07-02T00:30:00.000Z");
  // Shortly after midnight in Rome is still the evening before in UTC.
  EXPECT_EQ(next("@daily 00:15", "2026-01-15T22:00:00Z"), "2026-01-15T23:15:00.000Z");
  EXPECT_EQ(next("@daily 00:15", "2026-01-15T23:00:00Z"), "2026-01-15T23:15:00.000Z");
  EXPECT_EQ(next("@daily 00:15", "2026-01-15T23:20:00Z"), "2026-01-16T23:15:00.000Z");
  // Intervals are plain durations.
  EXPECT_EQ(next("@every 30s", "2026-01-15T12:00:00Z"), "2026-01-15T12:00:30.000Z");
  EXPECT_EQ(next("@hourly", "2026-03-29T00:30:00Z"), "2026-03-29T01:30:00.000Z");
}

TEST(Schedule, DailyAcrossDaylightSavingChanges) {
  // 29 Mar 2026: Rome skips 02:00-03:00. The skipped 02:30 runs an hour later, at 03:30 CEST,
  // which is 01:30Z: never before 02:30 on the wall clock.
  EXPECT_EQ(next("@daily 02:30", "2026-03-28T12:00:00Z"), "2026-03-29T01:30:00.000Z");
  // The day after, 02:30 CEST.
  EXPECT_EQ(next("@daily 02:30", "2026-03-29T12:00:00Z"), "2026-03-30T00:30:00.000Z");
  // 25 Oct 2026: 02:00-03:00 happens twice; the job runs once that day.
  const std::string first = next("@daily 02:30", "2026-10-24T12:00:00Z");
  EXPECT_TRUE(first == "2026-10-25T00:30:00.000Z" || first == "2026-10-25T01:30:00.000Z") << first;
  const std::string second = next("@daily 02:30", first.c_str());
  EXPECT_EQ(second, "2026-10-26T01:30:00.000Z") << "not twice on the day the hour repeats";
}

}  // namespace
}  // namespace cst::jobs
