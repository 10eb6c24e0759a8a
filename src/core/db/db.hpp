#pragma once
// The one database layer of the platform, over SQLite (default, embedded) and PostgreSQL, through
// SOCI. Nothing outside core/db includes SOCI or a client library: stores speak portable SQL with
// `?` placeholders and read rows as Values.
//
// Thread safety: Database is safe to share; each transaction leases its own connection from the
// pool for its whole duration. Every call blocks: run it on a worker thread, never on an I/O loop.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace cst::db {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a column value. Booleans are stored as 0/1 integers on both backends.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }
inline Value optionalText(const std::optional<std::string>& v) {
  return v ? Value{*v} : Value{std::monostate{}};
}

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool isNull(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  // Converting accessors: backends disagree on column types (SQLite reports expression columns
  // as text, PostgreSQL sums as numeric), so accessors convert instead of trusting the tag.
  std::string text(std::size_t i) const;
  std::optional<std::string> optText(std::size_t i) const;
  std::int64_t integer(std::size_t i) const;
  std::optional<std::int64_t> optInteger(std::size_t i) const;
  double real(std::size_t i) const;
  bool boolean(std::size_t i) const { return integer(i) != 0; }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

// One connection inside a transaction. Obtained only through Database::transact.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> exec(std::string_view sql, const Params& params = {}) = 0;
  virtual Dialect dialect() const = 0;

  // First row of a query, or kNotFound.
  Result<Row> one(std::string_view sql, const Params& params = {});
};

enum class TxMode {
  kRead,   // may only read
  kWrite,  // SQLite: BEGIN IMMEDIATE, so writers queue up front instead of failing on upgrade
};

class Database {
 public:
  // url empty or "sqlite:PATH" opens SQLite (WAL, foreign keys, synchronous=FULL: an acknowledged
  // commit survives a crash); "postgresql://user:pass@host:port/db" opens PostgreSQL.
  static Result<std::shared_ptr<Database>> open(const std::string& url,
                                                const std::filesystem::path& data_dir,
                                                int pool_size);
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A human-readable description without credentials, for logs.
  virtual std::string describe() const = 0;
  // Pool statistics for /metrics.
  virtual int poolSize() const = 0;
  virtual int poolInUse() const = 0;

  // Runs `work` in one transaction: commits if it returns a value, rolls back on an error or an
  // exception. Serialization failures and SQLite busy errors are retried a few times, so `work`
  // must not have side effects outside the database.
  template <class T>
  Result<T> transact(TxMode mode, const std::function<Result<T>(Tx&)>& work) {
    std::optional<Result<T>> out;
    Status s = run(mode, [&](Tx& tx) -> Status {
      out.emplace(work(tx));
      if (!*out) return tl::unexpected(out->error());
      return {};
    });
    if (!s) return tl::unexpected(s.error());
    return std::move(*out);
  }
  Status transactStatus(TxMode mode, const std::function<Status(Tx&)>& work) {
    return run(mode, work);
  }

  // One statement on its own (autocommit): no BEGIN/COMMIT round, which matters on the hot read
  // path (every authenticated request reads its session this way).
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // True when the database answers a trivial query (for /readyz).
  virtual bool ping() = 0;

 protected:
  virtual Status run(TxMode mode, const std::function<Status(Tx&)>& work) = 0;
};

}  // namespace cst::db
