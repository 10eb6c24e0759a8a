// The preservation module: migrations, policy, routes and the intake of the protocol's daily
// registers.
#include "preservation/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "jobs/jobs.hpp"
#include "platform/platform.hpp"
#include "protocol_intake.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace cst::db {
const std::vector<MigrationScript>& preservationMigrations();
}

namespace cst::preservation {

Module makeModule() {
  auto service = std::make_shared<std::unique_ptr<Service>>();
  Module m;
  m.id = "preservation";
  m.name = "Conservazione";
  m.path = "/conservazione";
  m.migrations = &db::preservationMigrations();
  m.policy = addPolicy;
  m.connect = [service](Platform& p) { *service = std::make_unique<Service>(p); };
  m.install = [service](Platform& p) {
    addRoutes(p, **service);
    p.scheduler->registerKind("preservation.protocol-registers",
                              [service, &p](const nlohmann::json&) -> Status {
                                auto done = ingestDailyRegisters(p, **service);
                                if (!done) return tl::unexpected(done.error());
                                return {};
                              });
    // Every 10 minutes: a daily register made after midnight is in preservation well before the
    // next working day the guidelines allow.
    if (auto s =
            p.scheduler->ensureRecurring("Conservazione dei registri giornalieri di protocollo",
                                         "preservation.protocol-registers", "@every 10m");
        !s)
      spdlog::error("cannot schedule the preservation of daily registers: {}", s.error().detail);
  };
  return m;
}

}  // namespace cst::preservation
