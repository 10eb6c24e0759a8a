#pragma once
// Fixity audits: every object of the archive re-hashed in every copy over a configurable cycle
// (and on demand for an ente or an AIP); a copy that no longer matches its hash, or is missing, is
// rewritten from a copy that does; an object with no good copy left raises an alarm (a monitoring
// ticket of the service desk for every ente whose packages hold it). Each run leaves a report.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "common/result.hpp"
#include "copies.hpp"
#include "model.hpp"

namespace cst::preservation::store {
struct KeptObject;
}

namespace cst {
class Platform;
}

namespace cst::preservation {

// One copy of one object that did not match, for one ente holding it.
struct FixityFinding {
  std::string sha256;
  std::string ente;
  int copy = 0;         // 1-based, as the configuration names copies
  std::string problem;  // "damaged", "missing"
  std::string outcome;  // "repaired", "lost"
  std::optional<std::int64_t> ticket_id;
};

struct FixityReport {
  std::string id;
  std::string kind;  // "scheduled", "on_demand"
  std::string scope_ente, scope_aip;
  std::string requested_by;
  std::string started_at, finished_at;
  std::int64_t objects = 0, bytes = 0, copies_checked = 0;
  std::int64_t intact = 0, repaired = 0, lost = 0;
  std::vector<FixityFinding> findings;
};
Json toJson(const FixityReport& r);

// An ente's standing: how much of its archive was verified within the cycle and what is lost.
struct FixityStatus {
  std::string ente;
  int cycle_days = 0;
  std::int64_t objects = 0, verified_in_cycle = 0, never_verified = 0, lost = 0;
  std::optional<std::string> oldest_check, last_run_at;
};
Json toJson(const FixityStatus& s);

class FixityAuditor {
 public:
  FixityAuditor(Platform& p, Copies& copies);
  // The scheduled audit: the objects not verified within the cycle, oldest first, until none is
  // due or `budget` has passed (the next run goes on from there). A run that found nothing due
  // leaves no report.
  Result<std::optional<FixityReport>> runScheduled(std::chrono::seconds budget);
  // On demand: every object of one AIP, or of an ente's packages and receipts; neither is the
  // whole archive, for a scope over every ente only. kNotFound outside `scope`.
  Result<FixityReport> runOnDemand(const std::string& ente, const std::string& aip,
                                   const auth::EnteScope& scope, const audit::Entry& who);
  // The runs that concern the ente (its own and the archive-wide ones), with its findings only.
  Result<std::vector<FixityReport>> reports(const std::string& ente, int limit);
  // One run; a scope that does not cover every ente sees only its enti's findings, and a run of
  // another ente is kNotFound.
  Result<FixityReport> report(const std::string& id, const auth::EnteScope& scope);
  Result<FixityStatus> status(const std::string& ente);
  int cycleDays() const { return cycle_days_; }

 private:
  struct Run;
  Status check(Run& run, const store::KeptObject& object);
  Status flush(Run& run);
  // The monitoring ticket of an object of `ente` with no intact copy (nullopt without a desk).
  std::optional<std::int64_t> raiseLost(const std::string& ente, const std::string& sha256);
  void noteRecovered(const std::string& sha256);
  Result<FixityReport> finish(Run& run);

  Platform& p_;
  Copies& copies_;
  int cycle_days_;
};

}  // namespace cst::preservation
