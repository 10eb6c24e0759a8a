// The protocol module: migrations, policy, routes and the demo's AOO configuration, titolario and
// registrations.
#include "protocol/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "calendar/calendar.hpp"
#include "db/db.hpp"
#include "jobs/jobs.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::db {
const std::vector<MigrationScript>& protocolMigrations();
}

namespace cst::protocol {

namespace {

// Titoli and classi of the Comuni's titolario (the model of the 2005 working group, as most
// Comuni adopted it), a few of each, enough to classify the demo's registrations.
const std::vector<ProtocolClass> kDemoTitolario{
    {"1", "Amministrazione generale", true},
    {"1.6", "Archivio e protocollo", true},
    {"4", "Risorse finanziarie e patrimonio", true},
    {"4.4", "Tributi", true},
    {"6", "Pianificazione e gestione del territorio", true},
    {"6.3", "Edilizia privata", true},
    {"7", "Servizi alla persona", true},
    {"7.1", "Diritto allo studio e servizi scolastici", true},
    {"8", "Attività economiche", true},
    {"8.4", "Commercio", true},
};

Status seedDemo(Platform& p) {
  Service service(p);
  audit::Entry who;
  who.actor = "demo";
  who.request_id = "demo-seed";
  struct DemoAoo {
    std::string ente, code, pec;
  };
  // The PECs are on reserved example domains (RFC 2606): nothing is ever sent to them.
  const std::vector<DemoAoo> aoos{{"019036", "AOO_CR", "protocollo@pec.comune-cremona.example"},
                                  {"019035", "AOO_CREMA", "protocollo@pec.comune-crema.example"}};
  for (const auto& [ente, code, pec] : aoos) {
    auto existing = service.aoo(ente);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) continue;  // seeded by an earlier start
    auto name = p.enti->formalName(ente);
    if (auto s = service.saveAoo(ente,
                                 {{"aoo_code", code},
                                  {"aoo_name", "Area organizzativa omogenea - " + name},
                                  {"registry_code", "PG"},
                                  {"pec", pec}},
                                 who);
        !s)
      return tl::unexpected(s.error());
    // As if configured a week ago: the daily registers of the past days are due (empty), so
    // the console shows them missing until the hourly job has made them.
    const std::string week_ago =
        calendar::formatDate(std::chrono::sys_days(calendar::romeDate(
                                 std::chrono::floor<std::chrono::seconds>(p.clock->now()))) -
                             std::chrono::days(7));
    if (auto s = p.db->transactStatus(
            db::TxMode::kWrite,
            [&](db::Tx& tx) { return store::setConfiguredOn(tx, ente, week_ago); });
        !s)
      return s;
    // Another instance seeding the same database at the same time may have added it first.
    for (const ProtocolClass& c : kDemoTitolario)
      if (auto s = service.addClass(ente, toJson(c), who);
          !s && s.error().code != ErrorCode::kConflict)
        return tl::unexpected(s.error());
  }
  return {};
}

}  // namespace

Module makeModule() {
  auto service = std::make_shared<std::unique_ptr<Service>>();
  Module m;
  m.id = "protocol";
  m.name = "Protocollo informatico";
  m.path = "/protocollo";
  m.migrations = &db::protocolMigrations();
  m.policy = addPolicy;
  m.connect = [service](Platform& p) {
    *service = std::make_unique<Service>(p);
    // The service is the published interface, owned by the module's closures.
    p.interfaces.provide<ProtocolRegister>(
        std::shared_ptr<ProtocolRegister>(service, service->get()));
  };
  m.install = [service](Platform& p) {
    addRoutes(p, **service);
    p.scheduler->registerKind("protocol.daily-register",
                              [service](const nlohmann::json&) -> Status {
                                auto made = (*service)->produceDailyRegisters();
                                if (!made) return tl::unexpected(made.error());
                                return {};
                              });
    // Hourly: yesterday's register is made within the hour after midnight in Rome, well inside
    // "the next working day" by which it goes to preservation.
    if (auto s = p.scheduler->ensureRecurring("Registro giornaliero di protocollo",
                                              "protocol.daily-register", "@hourly");
        !s)
      spdlog::error("cannot schedule the daily protocol register: {}", s.error().detail);
  };
  m.seedDemo = seedDemo;
  return m;
}

}  // namespace cst::protocol
