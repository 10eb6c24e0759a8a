// The helpdesk module: migrations, policy, routes, the SLA job and the demo data.
#include "helpdesk/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "helpdesk/api.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::db {
const std::vector<MigrationScript>& helpdeskMigrations();
}

namespace cst::helpdesk {

namespace {

// The service lives as long as the module's closures (the platform keeps its modules).
struct ModuleState {
  std::unique_ptr<Service> service;
};

Status seedDemo(Platform& p, Service& service) {
  // The CST's seat is Cremona: Sant'Omobono (13 November) closes the desk.
  auto seated = p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto s = store::settings(tx);
    if (!s) return tl::unexpected(s.error());
    if (s->calendar_ente) return {};
    s->calendar_ente = "019036";
    return store::saveSettings(tx, *s, formatTimestamp(p.clock->now()));
  });
  if (!seated) return seated;
  auto existing = service.categories();
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return {};
  return p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    const std::vector<std::pair<std::string, std::vector<std::string>>> tree = {
        {"Postazioni di lavoro", {"PC e portatili", "Stampanti e scanner", "Posta elettronica"}},
        {"Rete e connettività", {"Internet", "Wi-Fi", "VPN"}},
        {"Applicativi", {"Protocollo", "Anagrafe", "Pagamenti pagoPA", "Sportello SUAP/SUE"}},
        {"Account e accessi", {"Password e credenziali", "SPID/CIE"}},
    };
    for (const auto& [parent, children] : tree) {
      auto id = store::insertCategory(tx, {0, std::nullopt, "helpdesk", parent});
      if (!id) return tl::unexpected(id.error());
      for (const std::string& child : children) {
        auto c = store::insertCategory(tx, {0, *id, "helpdesk", child});
        if (!c) return tl::unexpected(c.error());
      }
    }
    return {};
  });
}

}  // namespace

Module makeModule() {
  auto state = std::make_shared<ModuleState>();
  Module m;
  m.id = "helpdesk";
  m.name = "Call center unico";
  m.path = "/assistenza";
  m.migrations = &db::helpdeskMigrations();
  m.policy = addPolicy;
  m.install = [state](Platform& p) {
    state->service = std::make_unique<Service>(*p.db, *p.clock, *p.enti);
    addRoutes(p, *state->service);
    // Aliasing pointer: the interface keeps the module state (and so the service) alive.
    p.interfaces.provide<MonitoringDesk>(
        std::shared_ptr<MonitoringDesk>(state, state->service.get()));
    p.scheduler->registerKind("helpdesk.sla", [state](const nlohmann::json&) -> Status {
      auto n = state->service->evaluateSla();
      if (!n) return tl::unexpected(n.error());
      return {};
    });
    if (auto s = p.scheduler->ensureRecurring("SLA del call center", "helpdesk.sla", "@every 1m");
        !s)
      spdlog::error("cannot schedule the SLA job: {}", s.error().detail);
  };
  m.seedDemo = [state](Platform& p) { return seedDemo(p, *state->service); };
  return m;
}

}  // namespace cst::helpdesk
