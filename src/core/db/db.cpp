#include "db/db.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <regex>
#include <thread>

namespace cst::db {

std::string Row::text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::optional<std::string> Row::optText(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return text(i);
}

std::int64_t Row::integer(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::optional<std::int64_t> Row::optInteger(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return integer(i);
}

Result<Row> Tx::one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "not found");
  return std::move(rows->front());
}

namespace {

// Rewrites `?` placeholders to SOCI's named `:pN`, leaving quoted literals alone.
std::string toSociPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += ":p" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Value readColumn(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::monostate{};
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
      return r.get<std::string>(i);
    case soci::dt_integer:
      return static_cast<std::int64_t>(r.get<int>(i));
    case soci::dt_long_long:
      return static_cast<std::int64_t>(r.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return r.get<double>(i);
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
      return std::string(buf);
    }
    case soci::dt_blob:
      break;
  }
  return std::monostate{};
}

// Storage for bound values: SOCI keeps references, so the vectors are sized once up front.
struct Bindings {
  std::vector<std::string> texts;
  std::vector<long long> ints;
  std::vector<double> doubles;
  std::vector<soci::indicator> inds;

  template <class Prep>
  void bind(Prep& prep, const Params& params) {
    texts.reserve(params.size());
    ints.reserve(params.size());
    doubles.reserve(params.size());
    inds.reserve(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "p" + std::to_string(i + 1);
      const Value& v = params[i];
      if (auto s = std::get_if<std::string>(&v)) {
        texts.push_back(*s);
        inds.push_back(soci::i_ok);
        prep, soci::use(texts.back(), inds.back(), name);
      } else if (auto n = std::get_if<std::int64_t>(&v)) {
        ints.push_back(*n);
        inds.push_back(soci::i_ok);
        prep, soci::use(ints.back(), inds.back(), name);
      } else if (auto d = std::get_if<double>(&v)) {
        doubles.push_back(*d);
        inds.push_back(soci::i_ok);
        prep, soci::use(doubles.back(), inds.back(), name);
      } else {
        texts.emplace_back();
        inds.push_back(soci::i_null);
        prep, soci::use(texts.back(), inds.back(), name);
      }
    }
  }
};

enum class Failure { kOther, kConflict, kRetry, kConnection };

Failure classify(const soci::soci_error& e) {
  if (auto pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505" || state == "23503" || state == "23514") return Failure::kConflict;
    if (state == "40001" || state == "40P01") return Failure::kRetry;
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) return Failure::kConnection;
    return Failure::kOther;
  }
  if (auto lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int rc = lite->result() & 0xff;
    if (rc == 19 /* SQLITE_CONSTRAINT */) return Failure::kConflict;
    if (rc == 5 /* SQLITE_BUSY */ || rc == 6 /* SQLITE_LOCKED */) return Failure::kRetry;
  }
  const std::string what = e.what();
  if (what.find("UNIQUE constraint") != std::string::npos ||
      what.find("FOREIGN KEY constraint") != std::string::npos)
    return Failure::kConflict;
  if (what.find("database is locked") != std::string::npos) return Failure::kRetry;
  return Failure::kOther;
}

class SociTx final : public Tx {
 public:
  SociTx(soci::session& s, Dialect d) : session_(s), dialect_(d) {}
  Dialect dialect() const override { return dialect_; }
  Failure lastFailure() const { return last_failure_; }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    try {
      Bindings b;
      auto prep = (session_.prepare << toSociPlaceholders(sql));
      b.bind(prep, params);
      soci::rowset<soci::row> rs(prep);
      Rows out;
      for (const soci::row& r : rs) {
        std::vector<Value> vals;
        vals.reserve(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) vals.push_back(readColumn(r, i));
        out.emplace_back(std::move(vals));
      }
      return out;
    } catch (const soci::soci_error& e) {
      return failure(e, sql);
    }
  }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    try {
      Bindings b;
      auto prep = (session_.prepare << toSociPlaceholders(sql));
      b.bind(prep, params);
      soci::statement st(prep);
      st.execute(true);
      return static_cast<std::int64_t>(st.get_affected_rows());
    } catch (const soci::soci_error& e) {
      return failure(e, sql);
    }
  }

 private:
  tl::unexpected<Error> failure(const soci::soci_error& e, std::string_view sql) {
    last_failure_ = classify(e);
    if (last_failure_ == Failure::kConflict)
      return fail(ErrorCode::kConflict, "the change conflicts with existing data");
    if (last_failure_ == Failure::kRetry) return fail(ErrorCode::kUnavailable, "database busy");
    spdlog::error("database error: {} (sql: {})", e.what(), sql.substr(0, 200));
    return fail(ErrorCode::kUnavailable, "database error");
  }

  soci::session& session_;
  Dialect dialect_;
  Failure last_failure_ = Failure::kOther;
};

class SociDatabase final : public Database {
 public:
  SociDatabase(Dialect d, std::string description, int size)
      : dialect_(d), description_(std::move(description)), pool_(size), size_(size) {}

  Dialect dialect() const override { return dialect_; }
  std::string describe() const override { return description_; }
  int poolSize() const override { return size_; }
  int poolInUse() const override { return in_use_.load(); }

  Status connectAll(const std::string& connect_string) {
    for (int i = 0; i < size_; ++i) {
      try {
        connect(pool_.at(i), connect_string);
      } catch (const soci::soci_error& e) {
        return fail(ErrorCode::kUnavailable,
                    "cannot open database " + description_ + ": " + e.what());
      }
    }
    connect_string_ = connect_string;
    return {};
  }

  bool ping() override { return query("SELECT 1", {}).has_value(); }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    Lease lease(*this);
    for (int attempt = 0;; ++attempt) {
      SociTx tx(lease.session, dialect_);
      auto rows = tx.query(sql, params);
      if (rows || attempt == 3) return rows;
      if (tx.lastFailure() == Failure::kConnection)
        reconnect(lease.session);
      else if (tx.lastFailure() != Failure::kRetry)
        return rows;
      std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    }
  }

 protected:
  Status run(TxMode mode, const std::function<Status(Tx&)>& work) override {
    Lease lease(*this);
    soci::session& s = lease.session;

    Status last;
    for (int attempt = 0; attempt < 6; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
      SociTx tx(s, dialect_);
      try {
        s << beginStatement(mode);
      } catch (const soci::soci_error& e) {
        if (!reconnect(s)) return fail(ErrorCode::kUnavailable, "database unavailable");
        continue;
      }
      try {
        last = work(tx);
        if (last) {
          s << "COMMIT";
          return last;
        }
      } catch (const soci::soci_error& e) {
        last = fail(ErrorCode::kUnavailable, "database error");
        spdlog::error("database error at commit: {}", e.what());
      } catch (...) {
        rollback(s);
        throw;
      }
      rollback(s);
      if (tx.lastFailure() == Failure::kConnection) reconnect(s);
      if (tx.lastFailure() != Failure::kRetry && tx.lastFailure() != Failure::kConnection)
        return last;
    }
    return last;
  }

 private:
  // A connection leased from the pool for the scope.
  struct Lease {
    explicit Lease(SociDatabase& d) : db(d), pos(d.pool_.lease()), session(d.pool_.at(pos)) {
      ++db.in_use_;
    }
    ~Lease() {
      --db.in_use_;
      db.pool_.give_back(pos);
    }
    SociDatabase& db;
    std::size_t pos;
    soci::session& session;
  };

  std::string beginStatement(TxMode mode) const {
    if (dialect_ == Dialect::kSqlite) return mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";
    return "BEGIN";
  }

  void rollback(soci::session& s) {
    try {
      s << "ROLLBACK";
    } catch (const soci::soci_error&) {
    }
  }

  bool reconnect(soci::session& s) {
    try {
      s.close();
      connect(s, connect_string_);
      return true;
    } catch (const soci::soci_error& e) {
      spdlog::warn("database reconnect failed: {}", e.what());
      return false;
    }
  }

  void connect(soci::session& s, const std::string& cs) {
    if (dialect_ == Dialect::kSqlite) {
      s.open(soci::sqlite3, cs);
      // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged commit
      // durable; busy_timeout queues writers instead of failing them.
      s << "PRAGMA journal_mode=WAL";
      s << "PRAGMA synchronous=FULL";
      s << "PRAGMA foreign_keys=ON";
      s << "PRAGMA busy_timeout=15000";
    } else {
      s.open(soci::postgresql, cs);
    }
  }

  Dialect dialect_;
  std::string description_;
  soci::connection_pool pool_;
  int size_;
  std::atomic<int> in_use_{0};
  std::string connect_string_;
};

std::string percentDecode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// libpq accepts URIs, but SOCI rewrites the connection string as key=value pairs, so the URL
// (postgresql://user:pass@host:port/db?param=value) is turned into libpq keywords here.
Result<std::string> toConninfo(const std::string& url) {
  static const std::regex kUrl(
      R"(postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]*)(?::(\d+))?(?:/([^?]*))?(?:\?(.*))?)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl))
    return failField("database.url", "expected postgresql://user:pass@host:port/db");
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string ci;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty())
      ci += std::string(ci.empty() ? "" : " ") + key + "=" + quote(percentDecode(value));
  };
  add("user", m[1]);
  add("password", m[2]);
  add("host", m[3]);
  add("port", m[4]);
  add("dbname", m[5]);
  std::string query = m[6];
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string pair = query.substr(0, amp);
    query = amp == std::string::npos ? "" : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = pair.substr(0, eq);
    if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
      return failField("database.url", "bad parameter name: " + key);
    ci += " " + key + "=" + quote(percentDecode(pair.substr(eq + 1)));
  }
  return ci;
}

std::string withoutPassword(const std::string& url) {
  static const std::regex kCredentials(R"(://([^:/@]+):[^@]*@)");
  return std::regex_replace(url, kCredentials, "://$1:***@");
}

}  // namespace

Result<std::shared_ptr<Database>> Database::open(const std::string& url,
                                                 const std::filesystem::path& data_dir,
                                                 int pool_size) {
  if (pool_size < 1) return failField("database.pool_size", "must be at least 1");
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto conninfo = toConninfo(url);
    if (!conninfo) return tl::unexpected(conninfo.error());
    auto db = std::make_shared<SociDatabase>(Dialect::kPostgres, withoutPassword(url), pool_size);
    if (auto s = db->connectAll(*conninfo); !s) return tl::unexpected(s.error());
    return db;
  }
  std::filesystem::path file;
  if (url.empty()) {
    file = data_dir / "cst.db";
  } else if (url.rfind("sqlite:", 0) == 0) {
    file = url.substr(7);
  } else {
    return failField("database.url", "expected postgresql://user:pass@host:port/db or sqlite:PATH");
  }
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path().empty() ? "." : file.parent_path(), ec);
  auto db = std::make_shared<SociDatabase>(Dialect::kSqlite, "sqlite:" + file.string(), pool_size);
  if (auto s = db->connectAll("db=" + file.string() + " timeout=15"); !s)
    return tl::unexpected(s.error());
  return db;
}

}  // namespace cst::db
