#pragma once
// Per-module schema migrations. Each module ships numbered .sql files (embedded in the binary by
// cst_embed_sql); `migrate` applies the missing ones in order, each in its own transaction, and
// records them in schema_migrations. Safe when several instances start at once: PostgreSQL takes
// an advisory lock, SQLite serialises writers.
//
// The SQL is portable; the few dialect differences are written as tokens:
//   {{id}}    an auto-increment 64-bit primary key
//   {{bytes}} a binary column
// Statements are separated by a ';' at the end of a line.
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/db.hpp"

namespace cst::db {

// A script named "NNNN_x.sqlite.sql" or "NNNN_x.postgres.sql" runs only on that backend: for what
// portable SQL cannot say (full-text indexes). Give both backends their own file with the same
// number.
struct MigrationScript {
  const char* name;  // e.g. "0001_init.sql": the order of application
  const char* text;
};

struct MigrationSet {
  std::string module;
  const std::vector<MigrationScript>* scripts;
};

// False when the script is for the other backend.
bool appliesTo(const MigrationScript& script, Dialect dialect);
std::string adaptSql(const std::string& text, Dialect dialect);
std::vector<std::string> splitStatements(const std::string& text);

// Applies what is missing; returns the names applied ("module/0001_init.sql").
Result<std::vector<std::string>> migrate(Database& db, const std::vector<MigrationSet>& sets);

}  // namespace cst::db
