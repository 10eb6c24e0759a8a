#pragma once
// The database a service-level benchmark runs on: SQLite in its temporary directory, or a
// PostgreSQL schema of its own (dropped at the end by the caller), so that runs never see each
// other's rows.
#include <filesystem>
#include <string>

#include "common/result.hpp"
#include "db/db.hpp"

namespace cst::bench {

// Runs one statement on the server of `database_url` (CREATE/DROP SCHEMA, ANALYZE).
inline Status onServer(const std::string& database_url, const std::filesystem::path& dir,
                       const std::string& sql) {
  auto admin = db::Database::open(database_url, dir, 1);
  if (!admin) return tl::unexpected(admin.error());
  return (*admin)->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec(sql);
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

// `database_url` with `schema` as the search path: the tables of the run go there.
inline std::string inSchema(const std::string& database_url, const std::string& schema) {
  return database_url + (database_url.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema;
}

}  // namespace cst::bench
