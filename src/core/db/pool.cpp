#include "db/pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <thread>

namespace cst::db::detail {

tl::unexpected<Error> statementError(Failure failure, std::string_view what, std::string_view sql) {
  if (failure == Failure::kConflict)
    return fail(ErrorCode::kConflict, "the change conflicts with existing data");
  if (failure == Failure::kRetry) return fail(ErrorCode::kUnavailable, "database busy");
  spdlog::error("database error: {} (sql: {})", what, sql.substr(0, 200));
  return fail(ErrorCode::kUnavailable, "database error");
}

// A connection taken from the pool for the scope.
class PooledDatabase::Lease {
 public:
  explicit Lease(PooledDatabase& db) : db_(db), conn_(db.acquire()) {}
  ~Lease() { db_.release(conn_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection& operator*() const { return conn_; }

 private:
  PooledDatabase& db_;
  Connection& conn_;
};

PooledDatabase::PooledDatabase(Dialect dialect, std::string description,
                               std::vector<std::unique_ptr<Connection>> connections)
    : dialect_(dialect),
      description_(std::move(description)),
      connections_(std::move(connections)) {
  for (auto& c : connections_) idle_.push_back(c.get());
}

Connection& PooledDatabase::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return !idle_.empty(); });
  Connection* c = idle_.back();
  idle_.pop_back();
  return *c;
}

void PooledDatabase::release(Connection& c) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&c);
  }
  freed_.notify_one();
}

int PooledDatabase::poolInUse() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(connections_.size() - idle_.size());
}

bool PooledDatabase::ping() { return query("SELECT 1", {}).has_value(); }

Result<Rows> PooledDatabase::query(std::string_view sql, const Params& params) {
  Lease lease(*this);
  Connection& c = *lease;
  for (int attempt = 0;; ++attempt) {
    c.clearFailure();
    auto rows = c.query(sql, params);
    if (rows || attempt == 3) return rows;
    if (c.lastFailure() == Failure::kConnection)
      c.reconnect();
    else if (c.lastFailure() != Failure::kRetry)
      return rows;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
  }
}

Status PooledDatabase::run(TxMode mode, const std::function<Status(Tx&)>& work) {
  // Before leasing a connection: a queued writer holds none, only its group's leader does.
  if (dialect_ == Dialect::kSqlite && mode == TxMode::kWrite) return runSqliteWrite(work);
  Lease lease(*this);
  Connection& c = *lease;

  Status last;
  for (int attempt = 0; attempt < 6; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    c.clearFailure();
    if (!c.command("BEGIN")) {
      if (c.lastFailure() == Failure::kRetry) continue;
      if (!c.reconnect()) return fail(ErrorCode::kUnavailable, "database unavailable");
      continue;
    }
    try {
      last = work(c);
    } catch (...) {
      c.rollback();
      throw;
    }
    if (last) {
      last = c.command("COMMIT");
      if (last) return last;
    }
    const Failure failure = c.lastFailure();
    c.rollback();
    if (failure == Failure::kConnection) c.reconnect();
    if (failure != Failure::kRetry && failure != Failure::kConnection) return last;
  }
  return last;
}

struct PooledDatabase::QueuedWrite {
  const std::function<Status(Tx&)>* work = nullptr;
  Status result;
  std::exception_ptr thrown;
  bool done = false;
};

namespace {
// Enough to share one fsync among every request a busy server has in flight, few enough that
// the write lock is not held for long.
constexpr std::size_t kMaxGroup = 64;
// Like busy_timeout: a writer that cannot even start gets "database busy", never waits forever
// (a write transaction opened inside another's work would otherwise deadlock).
constexpr auto kWriteQueueTimeout = std::chrono::seconds(15);
}  // namespace

Status PooledDatabase::runSqliteWrite(const std::function<Status(Tx&)>& work) {
  QueuedWrite me;
  me.work = &work;
  std::unique_lock lock(group_mutex_);
  waiting_.push_back(&me);
  const auto deadline = std::chrono::steady_clock::now() + kWriteQueueTimeout;
  while (!me.done) {
    if (!leading_) {
      leading_ = true;
      const std::size_t n = std::min(waiting_.size(), kMaxGroup);
      std::vector<QueuedWrite*> group(waiting_.begin(), waiting_.begin() + n);
      waiting_.erase(waiting_.begin(), waiting_.begin() + n);
      lock.unlock();
      try {
        commitGroup(group);
      } catch (...) {
        // Not from a member's work (commitGroup catches those): from the group's own machinery.
        // Every member hears of it; leading_ is reset below, or no writer would ever lead again.
        const auto e = std::current_exception();
        for (QueuedWrite* q : group)
          if (!q->thrown) q->thrown = e;
      }
      lock.lock();
      for (QueuedWrite* q : group) q->done = true;
      leading_ = false;
      group_done_.notify_all();
      continue;
    }
    if (group_done_.wait_until(lock, deadline) == std::cv_status::timeout && !me.done) {
      // Still queued (not in a running group): give up; in a running group: its outcome comes.
      auto it = std::find(waiting_.begin(), waiting_.end(), &me);
      if (it != waiting_.end()) {
        waiting_.erase(it);
        return fail(ErrorCode::kUnavailable, "database busy");
      }
      group_done_.wait(lock, [&] { return me.done; });
    }
  }
  lock.unlock();
  if (me.thrown) std::rethrow_exception(me.thrown);
  return me.result;
}

void PooledDatabase::commitGroup(const std::vector<QueuedWrite*>& group) {
  Lease lease(*this);
  Connection& c = *lease;
  // Nothing was committed: those whose work had succeeded (or had not run) get the reason; the
  // others keep their own error.
  auto failAll = [&](const Status& why) {
    for (QueuedWrite* q : group)
      if (!q->thrown && q->result) q->result = why;
  };
  Status last;
  for (int attempt = 0; attempt < 6; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    c.clearFailure();
    // BEGIN IMMEDIATE takes the write lock up front (another process may hold it: busy_timeout).
    if (!c.command("BEGIN IMMEDIATE")) {
      last = fail(ErrorCode::kUnavailable, "database busy");
      if (c.lastFailure() == Failure::kRetry) continue;
      if (!c.reconnect()) last = fail(ErrorCode::kUnavailable, "database unavailable");
      continue;
    }
    bool intact = true;  // false when a savepoint could not be set or undone: abandon the group
    for (QueuedWrite* q : group) {
      q->result = {};
      q->thrown = nullptr;
      if (!c.command("SAVEPOINT queued_write")) {
        intact = false;
        break;
      }
      try {
        q->result = (*q->work)(c);
      } catch (...) {
        q->thrown = std::current_exception();
      }
      const bool ok = q->result && !q->thrown;
      if (!ok && !c.command("ROLLBACK TO queued_write")) {
        intact = false;
        break;
      }
      if (!c.command("RELEASE queued_write")) {
        intact = false;
        break;
      }
    }
    if (intact) {
      last = c.command("COMMIT");
      if (last) return;  // every caller keeps the outcome of its own work
    } else {
      last = fail(ErrorCode::kUnavailable, "database error");
    }
    const Failure failure = c.lastFailure();
    c.rollback();
    if (failure == Failure::kConnection) c.reconnect();
    if (failure != Failure::kRetry && failure != Failure::kConnection) break;
  }
  failAll(last);
}

}  // namespace cst::db::detail
