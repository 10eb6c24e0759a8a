#pragma once
// The audit log: every write and every sensitive read of the platform, append-only and
// hash-chained (each row's hash covers the previous row's hash and its own fields), so that
// `cst audit verify` detects any row altered, removed or reordered.
//
// append() runs inside the caller's transaction: the audit row commits or rolls back with the
// change it records. Refused attempts are recorded with appendAlone() in their own transaction.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "db/db.hpp"

namespace cst::auth {
struct Principal;
}

namespace cst::audit {

struct Entry {
  std::string actor;  // username, or "system" / "cli"
  std::optional<std::int64_t> actor_id;
  std::optional<std::string> ente;
  std::string action;       // "user.create", "ente.update", "auth.login", ...
  std::string object_type;  // "user", "ente", ...
  std::string object_id;
  std::string outcome = "ok";                        // "ok", "denied", "failed"
  nlohmann::json detail = nlohmann::json::object();  // never secrets
  std::string request_id;

  static Entry by(const auth::Principal& p, std::string request_id);
};

struct Record {
  std::int64_t seq = 0;
  std::string at;
  Entry entry;
  std::string prev_hash;
  std::string hash;
};

Status append(db::Tx& tx, const Entry& entry, TimePoint at);
Status appendAlone(db::Database& db, const Entry& entry, TimePoint at);

// The hash of a row given the previous row's hash: SHA-256 over a canonical serialisation.
std::string chainHash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                      const Entry& e);

struct VerifyReport {
  bool intact = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;
};
Result<VerifyReport> verify(db::Database& db);

struct Filter {
  bool all_enti = false;                                               // from the caller's scope
  std::set<std::string> enti;                                          // visible enti when not all
  std::optional<std::string> ente, action, actor, from_date, to_date;  // dates YYYY-MM-DD (UTC)
  std::optional<std::int64_t> before_seq;                              // cursor: newest first
  int limit = 50;
};
struct Page {
  std::vector<Record> items;
  std::optional<std::int64_t> next_before_seq;
};
Result<Page> list(db::Database& db, const Filter& filter);

nlohmann::json toJson(const Record& r);

}  // namespace cst::audit
