// The antivirus module: migrations, policy, the quarantine behind core's uploads, routes and the
// watch job.
#include "antivirus/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "platform/platform.hpp"
#include "routes.hpp"
#include "store.hpp"

namespace cst::db {
const std::vector<MigrationScript>& antivirusMigrations();
}

namespace cst::antivirus {

namespace {

// A few PCs and servers of Cremona and Crema in every state the console shows: protected,
// outdated (signatures five days old), silent (no report for three days).
Status seedDemo(Platform& p) {
  return p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto existing = store::listEndpoints(tx, {true, {}, std::nullopt, std::nullopt, 1},
                                         std::nullopt, Settings{}, p.clock->now());
    if (!existing) return tl::unexpected(existing.error());
    if (!existing->empty()) return {};
    using std::chrono::hours;
    const TimePoint now = p.clock->now();
    struct Demo {
      const char* ente;
      const char* host;
      const char* os;
      const char* product;
      hours signatures_age;
      hours reported_ago;
    };
    const Demo demo[] = {
        {"019036", "ragioneria-pc01", "Windows 11 Pro 23H2", "Microsoft Defender", hours(6),
         hours(1)},
        {"019036", "anagrafe-pc02", "Debian GNU/Linux 12 (bookworm)", "ClamAV", hours(120),
         hours(2)},
        {"019036", "srv-protocollo", "Debian GNU/Linux 12 (bookworm)", "ClamAV", hours(3),
         hours(1)},
        {"019035", "segreteria-pc01", "Windows 10 Pro 22H2", "Microsoft Defender", hours(10),
         hours(3)},
        {"019035", "biblioteca-pc03", "Windows 10 Pro 22H2", "Microsoft Defender", hours(80),
         hours(72)},
    };
    for (const Demo& d : demo) {
      EndpointReport r;
      r.hostname = d.host;
      r.os = d.os;
      r.product = d.product;
      r.signature_updated_at = now - d.reported_ago - d.signatures_age;
      r.last_full_scan_at = now - d.reported_ago - hours(20);
      r.detections = 0;
      r.realtime_protection = true;
      if (auto e = store::saveReport(tx, d.ente, r, now - d.reported_ago); !e)
        return tl::unexpected(e.error());
    }
    return {};
  });
}

}  // namespace

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
  m.seedDemo = seedDemo;
  return m;
}

}  // namespace cst::antivirus
