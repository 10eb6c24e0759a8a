// The antivirus module: migrations, policy, the quarantine behind core's uploads, routes and the
// watch job.
#include "antivirus/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::db {
const std::vector<MigrationScript>& antivirusMigrations();
}

namespace cst::antivirus {

Module makeModule() {
  // The service lives as long as the module's closures (the platform keeps its modules).
  auto service = std::make_shared<std::unique_ptr<Service>>();
  Module m;
  m.id = "antivirus";
  m.name = "Antivirus aggiornato";
  m.path = "/antivirus";
  m.migrations = &db::antivirusMigrations();
  m.policy = addPolicy;
  m.connect = [service](Platform& p) {
    *service = std::make_unique<Service>(p);
    // Aliasing pointer: the uploads keep the module's service alive.
    p.uploads->setQuarantine(std::shared_ptr<uploads::Quarantine>(service, service->get()));
  };
  m.install = [service](Platform& p) {
    addRoutes(p, **service);
    p.scheduler->registerKind("antivirus.watch", [service](const nlohmann::json&) -> Status {
      auto run = (*service)->watch();
      if (!run) return tl::unexpected(run.error());
      return {};
    });
    if (auto s =
            p.scheduler->ensureRecurring("Controllo antivirus", "antivirus.watch", "@every 5m");
        !s)
      spdlog::error("cannot schedule the antivirus watch: {}", s.error().detail);
  };
  return m;
}

}  // namespace cst::antivirus
