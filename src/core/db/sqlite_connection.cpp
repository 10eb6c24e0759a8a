// SQLite through its own C API. Every statement text is prepared once per connection and kept
// (SQLITE_PREPARE_PERSISTENT): compiling SQL was over a third of the CPU time of an authenticated
// read when each call prepared it again.
#include <sqlite3.h>

#include <cctype>
#include <unordered_map>

#include "db/pool.hpp"

namespace cst::db::detail {
namespace {

// More distinct statements than this means SQL is being built with values inside it (a bug), or
// a very long-running process: drop the cache rather than grow without bound.
constexpr std::size_t kMaxCachedStatements = 512;

Failure classify(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return Failure::kConflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Failure::kRetry;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Failure::kConnection;
    default:
      return Failure::kOther;
  }
}

bool onlyBlanksAndComments(const char* s) {
  while (*s) {
    if (std::isspace(static_cast<unsigned char>(*s))) {
      ++s;
    } else if (s[0] == '-' && s[1] == '-') {
      while (*s && *s != '\n') ++s;
    } else {
      return false;
    }
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(std::string path) : path_(std::move(path)) {}
  ~SqliteConnection() override { close(); }

  Status open() {
    // NOMUTEX: the pool hands a connection to one thread at a time.
    const int rc =
        sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      close();
      return fail(ErrorCode::kUnavailable, why);
    }
    sqlite3_extended_result_codes(db_, 1);
    // A writer waits for the lock instead of failing at once.
    sqlite3_busy_timeout(db_, 15000);
    // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged commit
    // durable across a crash or power loss.
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
      if (auto s = command(pragma); !s)
        return fail(ErrorCode::kUnavailable, std::string(pragma) + ": " + sqlite3_errmsg(db_));
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  Failure lastFailure() const override { return failure_; }
  void clearFailure() override { failure_ = Failure::kNone; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql, params);
    if (!stmt) return tl::unexpected(stmt.error());
    Reset reset{*stmt};
    Rows out;
    const int columns = sqlite3_column_count(*stmt);
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column(*stmt, i));
      out.emplace_back(std::move(values));
    }
    if (rc != SQLITE_DONE) return error(rc, sql);
    return out;
  }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql, params);
    if (!stmt) return tl::unexpected(stmt.error());
    Reset reset{*stmt};
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return error(rc, sql);
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status command(std::string_view sql) override {
    auto changed = exec(sql, {});
    if (!changed) return tl::unexpected(changed.error());
    return {};
  }

  void rollback() override {
    if (db_ && !sqlite3_get_autocommit(db_))
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  bool reconnect() override {
    close();
    return open().has_value();
  }

 private:
  // Leaves a cached statement ready for its next use, whatever happened to this one.
  struct Reset {
    sqlite3_stmt* stmt;
    ~Reset() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };

  Result<sqlite3_stmt*> prepare(std::string_view sql, const Params& params) {
    if (!db_) return error(SQLITE_CANTOPEN, sql);
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      if (cache_.size() >= kMaxCachedStatements) finalizeAll();
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
      if (rc != SQLITE_OK) return error(rc, sql);
      const std::string rest(tail, sql.data() + sql.size() - tail);
      if (!onlyBlanksAndComments(rest.c_str())) {
        sqlite3_finalize(stmt);
        failure_ = Failure::kOther;
        return statementError(failure_, "more than one statement in one call", sql);
      }
      it = cache_.emplace(std::string(sql), stmt).first;
    }
    sqlite3_stmt* stmt = it->second;
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      failure_ = Failure::kOther;
      return statementError(failure_, "wrong number of parameters", sql);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc;
      // SQLITE_STATIC: the parameters outlive the statement's use; bindings are cleared after.
      if (auto s = std::get_if<std::string>(&v))
        rc = sqlite3_bind_text64(stmt, at, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      else if (auto n = std::get_if<std::int64_t>(&v))
        rc = sqlite3_bind_int64(stmt, at, *n);
      else if (auto d = std::get_if<double>(&v))
        rc = sqlite3_bind_double(stmt, at, *d);
      else
        rc = sqlite3_bind_null(stmt, at);
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(stmt);
        return error(rc, sql);
      }
    }
    return stmt;
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT:
      case SQLITE_BLOB: {
        const void* data = sqlite3_column_blob(stmt, i);
        const int size = sqlite3_column_bytes(stmt, i);
        return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
      }
      default:
        return std::monostate{};
    }
  }

  tl::unexpected<Error> error(int rc, std::string_view sql) {
    failure_ = classify(rc);
    const std::string what = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    return statementError(failure_, what, sql);
  }

  void finalizeAll() {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  void close() {
    finalizeAll();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  // Transparent lookup: find by string_view without building a std::string per call.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
  Failure failure_ = Failure::kNone;
};

}  // namespace

Result<std::unique_ptr<Connection>> openSqlite(const std::string& path) {
  auto c = std::make_unique<SqliteConnection>(path);
  if (auto s = c->open(); !s) return tl::unexpected(s.error());
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace cst::db::detail
