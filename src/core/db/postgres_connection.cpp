// PostgreSQL through SOCI's libpq backend.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <ctime>

#include "db/pool.hpp"

namespace cst::db::detail {
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
    case soci::dt_blob:
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

Failure classify(const soci::soci_error& e) {
  std::string state;
  if (auto pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) state = pg->sqlstate();
  if (state == "23505" || state == "23503" || state == "23514") return Failure::kConflict;
  if (state == "40001" || state == "40P01") return Failure::kRetry;
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) return Failure::kConnection;
  // libpq reports a dropped connection without a SQLSTATE.
  if (state.empty() && std::string_view(e.what()).find("connection") != std::string_view::npos)
    return Failure::kConnection;
  return Failure::kOther;
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  Status open() {
    try {
      session_.open(soci::postgresql, conninfo_);
      return {};
    } catch (const soci::soci_error& e) {
      return fail(ErrorCode::kUnavailable, std::string("cannot connect: ") + e.what());
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  Failure lastFailure() const override { return failure_; }
  void clearFailure() override { failure_ = Failure::kNone; }

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
      return error(e, sql);
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
      return error(e, sql);
    }
  }

  Status command(std::string_view sql) override {
    try {
      session_ << std::string(sql);
      return {};
    } catch (const soci::soci_error& e) {
      return error(e, sql);
    }
  }

  void rollback() override {
    try {
      session_ << "ROLLBACK";
    } catch (const soci::soci_error&) {
      // No transaction open, or the connection is gone: nothing to undo either way.
    }
  }

  bool reconnect() override {
    try {
      session_.close();
    } catch (const soci::soci_error&) {
    }
    return open().has_value();
  }

 private:
  tl::unexpected<Error> error(const soci::soci_error& e, std::string_view sql) {
    failure_ = classify(e);
    return statementError(failure_, e.what(), sql);
  }

  std::string conninfo_;
  soci::session session_;
  Failure failure_ = Failure::kNone;
};

}  // namespace

Result<std::unique_ptr<Connection>> openPostgres(const std::string& conninfo) {
  auto c = std::make_unique<PostgresConnection>(conninfo);
  if (auto s = c->open(); !s) return tl::unexpected(s.error());
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace cst::db::detail
