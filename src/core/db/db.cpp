#include "db/db.hpp"

#include <charconv>
#include <regex>

#include "db/pool.hpp"

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

double Row::real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (auto s = std::get_if<std::string>(&v)) {
    double out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

Result<Row> Tx::one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "not found");
  return std::move(rows->front());
}

namespace {

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

namespace {

// Opens `size` connections with `connect`; the first failure is the answer.
template <class Connect>
Result<std::shared_ptr<Database>> openPool(Dialect dialect, std::string description, int size,
                                           Connect connect) {
  std::vector<std::unique_ptr<detail::Connection>> connections;
  for (int i = 0; i < size; ++i) {
    auto c = connect();
    if (!c) {
      Error e = c.error();
      e.detail = "cannot open database " + description + ": " + e.detail;
      return tl::unexpected(e);
    }
    connections.push_back(std::move(*c));
  }
  return std::make_shared<detail::PooledDatabase>(dialect, std::move(description),
                                                  std::move(connections));
}

}  // namespace

Result<std::shared_ptr<Database>> Database::open(const std::string& url,
                                                 const std::filesystem::path& data_dir,
                                                 int pool_size) {
  if (pool_size < 1) return failField("database.pool_size", "must be at least 1");
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto conninfo = toConninfo(url);
    if (!conninfo) return tl::unexpected(conninfo.error());
    return openPool(Dialect::kPostgres, withoutPassword(url), pool_size,
                    [&] { return detail::openPostgres(*conninfo); });
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
  return openPool(Dialect::kSqlite, "sqlite:" + file.string(), pool_size,
                  [&] { return detail::openSqlite(file.string()); });
}

}  // namespace cst::db
