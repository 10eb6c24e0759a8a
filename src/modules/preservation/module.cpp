// The preservation module: migrations, policy, routes, the intake of the protocol's daily
// registers and the fixity audits.
#include "preservation/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "disposal.hpp"
#include "fixity.hpp"
#include "jobs/jobs.hpp"
#include "platform/platform.hpp"
#include "protocol_intake.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace cst::db {
const std::vector<MigrationScript>& preservationMigrations();
}

namespace cst::preservation {

namespace {

struct State {
  std::unique_ptr<Service> service;
  std::unique_ptr<FixityAuditor> fixity;
  std::unique_ptr<Disposals> disposals;
};

// A recurring job of the module: registered, and scheduled unless the schedule cannot be kept
// (logged: the module still serves its API).
void recurring(Platform& p, const std::string& name, const std::string& kind,
               const std::string& schedule, std::function<Status()> run) {
  p.scheduler->registerKind(kind, [run = std::move(run)](const nlohmann::json&) { return run(); });
  if (auto s = p.scheduler->ensureRecurring(name, kind, schedule); !s)
    spdlog::error("cannot schedule {}: {}", kind, s.error().detail);
}

}  // namespace

Module makeModule() {
  auto state = std::make_shared<State>();
  Module m;
  m.id = "preservation";
  m.name = "Conservazione";
  m.path = "/conservazione";
  m.migrations = &db::preservationMigrations();
  m.policy = addPolicy;
  m.connect = [state](Platform& p) {
    state->service = std::make_unique<Service>(p);
    state->fixity = std::make_unique<FixityAuditor>(p, state->service->copies());
    state->disposals = std::make_unique<Disposals>(p, state->service->copies());
  };
  m.install = [state](Platform& p) {
    addRoutes(p, *state->service);
    addFixityRoutes(p, *state->fixity);
    addDisposalRoutes(p, *state->disposals);
    addManualeRoute(p, *state->service, *state->disposals);
    // Every 10 minutes: a daily register made after midnight is in preservation well before the
    // next working day the guidelines allow.
    recurring(p, "Conservazione dei registri giornalieri di protocollo",
              "preservation.protocol-registers", "@every 10m", [state, &p]() -> Status {
                auto done = ingestDailyRegisters(p, *state->service);
                if (!done) return tl::unexpected(done.error());
                return {};
              });
    // Every hour, at most 4 minutes of re-hashing (inside the scheduler's 5-minute lease, so no
    // other instance takes the job over while it runs): the objects not verified within the
    // cycle, the work of a cycle spread over its hours instead of one long pass. At the audit's
    // measured 500 MB/s that is about 100 GB an hour (docs/PERFORMANCE.md).
    recurring(p, "Verifica di integrità degli oggetti conservati", "preservation.fixity",
              p.config.preservation.fixity_schedule, [state]() -> Status {
                auto r = state->fixity->runScheduled(std::chrono::minutes(4));
                if (!r) return tl::unexpected(r.error());
                return {};
              });
  };
  return m;
}

}  // namespace cst::preservation
