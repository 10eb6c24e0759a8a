#pragma once
// Internal to core/db: the connection interface both backends implement and the pooled Database
// that leases connections, runs transactions and retries. Not included outside core/db.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace cst::db::detail {

// Why the last statement on a connection failed; decides between retrying and giving up.
enum class Failure { kNone, kOther, kConflict, kRetry, kConnection };

// One open connection. It is the Tx its transactions see.
class Connection : public Tx {
 public:
  // A statement without parameters or results (BEGIN, COMMIT, ROLLBACK, SET).
  virtual Status command(std::string_view sql) = 0;
  // Ends the open transaction, if any, discarding its changes; never fails.
  virtual void rollback() = 0;
  virtual Failure lastFailure() const = 0;
  virtual void clearFailure() = 0;
  // Closes and opens the connection again after a connection failure; false if it cannot.
  virtual bool reconnect() = 0;
};

// The error a caller sees for a failed statement; logs the unexpected ones with their SQL.
tl::unexpected<Error> statementError(Failure failure, std::string_view what, std::string_view sql);

class PooledDatabase final : public Database {
 public:
  PooledDatabase(Dialect dialect, std::string description,
                 std::vector<std::unique_ptr<Connection>> connections);

  Dialect dialect() const override { return dialect_; }
  std::string describe() const override { return description_; }
  int poolSize() const override { return static_cast<int>(connections_.size()); }
  int poolInUse() const override;
  bool ping() override;
  Result<Rows> query(std::string_view sql, const Params& params) override;

 protected:
  Status run(TxMode mode, const std::function<Status(Tx&)>& work) override;

 private:
  class Lease;
  Connection& acquire();
  void release(Connection& c);

  Dialect dialect_;
  std::string description_;
  std::vector<std::unique_ptr<Connection>> connections_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Connection*> idle_;
  // SQLite has one writer at a time. Writers of this process queue here, each handed the lock
  // the moment the previous one commits, instead of polling in SQLite's busy handler (whose
  // growing sleeps cost throughput and gave a p99 of a second under concurrent writes). Other
  // processes (the CLI) still meet busy_timeout. Timed, like busy_timeout: a writer that cannot
  // start in 15 s gets "database busy" rather than waiting forever.
  std::timed_mutex sqlite_writer_;
};

// Backends. `path` is the database file; `conninfo` libpq keyword=value pairs.
Result<std::unique_ptr<Connection>> openSqlite(const std::string& path);
Result<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo);

}  // namespace cst::db::detail
