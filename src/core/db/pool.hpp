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
  // SQLite group commit. SQLite has one writer at a time and each COMMIT waits for an fsync
  // (synchronous=FULL), which bounded write transactions at about 800/s. Writers of this process
  // queue here instead of polling in SQLite's busy handler; one of them, the leader, runs every
  // queued transaction in one SQLite transaction, each inside its own SAVEPOINT (a failed one is
  // rolled back alone, as if it had run by itself), and commits them with one fsync. Each caller
  // gets its own outcome only after that COMMIT: an acknowledged write is as durable as before.
  // Other processes (the CLI) still meet busy_timeout.
  struct QueuedWrite;
  Status runSqliteWrite(const std::function<Status(Tx&)>& work);
  void commitGroup(const std::vector<QueuedWrite*>& group);
  std::mutex group_mutex_;
  std::condition_variable group_done_;
  std::vector<QueuedWrite*> waiting_;
  bool leading_ = false;
};

// Backends. `path` is the database file; `conninfo` libpq keyword=value pairs.
Result<std::unique_ptr<Connection>> openSqlite(const std::string& path);
Result<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo);

}  // namespace cst::db::detail
