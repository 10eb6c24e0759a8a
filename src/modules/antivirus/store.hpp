#pragma once
// The only place with the antivirus module's SQL (portable: SQLite and PostgreSQL alike). Every
// function runs inside the caller's transaction.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model.hpp"

namespace cst::antivirus::store {

// Which rows a list may return: the enti the caller sees (all, or `enti`), the one asked for,
// and the page (rows with id below `before`, newest first).
struct Scope {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<std::int64_t> before;
  int limit = 50;
};

Result<std::int64_t> insertQuarantine(db::Tx& tx, const QuarantineRecord& r);
Result<std::optional<QuarantineRecord>> quarantine(db::Tx& tx, std::int64_t id);
Result<std::vector<QuarantineRecord>> listQuarantine(db::Tx& tx, const Scope& s,
                                                     std::optional<QuarantineStatus> status);
Status setQuarantineTicket(db::Tx& tx, std::int64_t id, std::int64_t ticket_id);
// Records a decision on a held record; kConflict if it was decided meanwhile.
Status decideQuarantine(db::Tx& tx, const QuarantineRecord& decided);
// Held records other than `except` with this content: its file stays in the store while any.
Result<std::int64_t> otherHolders(db::Tx& tx, const std::string& sha256, std::int64_t except);

Result<std::int64_t> insertScan(db::Tx& tx, const ScanRecord& r);
Result<std::vector<ScanRecord>> listScans(db::Tx& tx, const Scope& s,
                                          std::optional<Verdict> verdict);

Result<Settings> settings(db::Tx& tx);
Status saveSettings(db::Tx& tx, const Settings& s);
// What the watch job last reported of the engine: "", "down" or "stale".
Result<std::string> engineAlert(db::Tx& tx);
Status setEngineAlert(db::Tx& tx, const std::string& alert);

Result<std::int64_t> insertEvent(db::Tx& tx, const Event& e);
Result<std::vector<Event>> listEvents(db::Tx& tx, const Scope& s);

// Creates the endpoint at its first report, updates it at the next ones.
Result<Endpoint> saveReport(db::Tx& tx, const std::string& ente, const EndpointReport& r,
                            TimePoint now);
Result<std::optional<Endpoint>> endpoint(db::Tx& tx, std::int64_t id);
// `status` is computed with `settings` at `now`, in SQL, so that paging stays exact.
Result<std::vector<Endpoint>> listEndpoints(db::Tx& tx, const Scope& s,
                                            std::optional<EndpointStatus> status,
                                            const Settings& settings, TimePoint now);
struct EnteCounts {
  std::string ente;
  std::int64_t protected_ = 0, outdated = 0, silent = 0;
};
Result<std::vector<EnteCounts>> countByEnte(db::Tx& tx, const Scope& s, const Settings& settings,
                                            TimePoint now);
// Endpoints whose status may differ from their `alert` (not protected, or with an alert).
Result<std::vector<Endpoint>> endpointsToWatch(db::Tx& tx, const Settings& settings, TimePoint now);
Status setEndpointAlert(db::Tx& tx, std::int64_t id, const std::string& alert);
Status deleteEndpoint(db::Tx& tx, std::int64_t id);

}  // namespace cst::antivirus::store
