#include "db/pool.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
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
  Lease lease(*this);
  Connection& c = *lease;
  // SQLite: BEGIN IMMEDIATE takes the write lock up front, so writers queue on busy_timeout
  // instead of failing when a read transaction tries to upgrade.
  const std::string_view begin =
      dialect_ == Dialect::kSqlite && mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";

  std::unique_lock<std::timed_mutex> writer(sqlite_writer_, std::defer_lock);
  if (dialect_ == Dialect::kSqlite && mode == TxMode::kWrite &&
      !writer.try_lock_for(std::chrono::seconds(15)))
    return fail(ErrorCode::kUnavailable, "database busy");

  Status last;
  for (int attempt = 0; attempt < 6; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    c.clearFailure();
    if (!c.command(begin)) {
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

}  // namespace cst::db::detail
