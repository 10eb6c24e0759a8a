// The payments module: migrations, policy, routes, the expiry job and the demo creditors.
#include "payments/module.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "calendar/calendar.hpp"
#include "db/db.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::db {
const std::vector<MigrationScript>& paymentsMigrations();
}

namespace cst::payments {

namespace {

// Cremona and Crema as creditors, so that the configuration page has something to show. The
// IBANs are the IBAN registry's Italian example account and two made-up ones with valid check
// digits; the taxonomy codes are the examples of the pagoPA specifications (SANP, GPD tests).
Status seedCreditors(Platform& p) {
  return p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    const TimePoint now = p.clock->now();
    const std::vector<Creditor> demo{
        {"019036",
         "00297960197",
         "01",
         {{"IT60X0542811101000000123456", "Tesoreria comunale", true},
          {"IT42K0760111400000012345678", "Conto corrente postale", false}},
         {{"9/0101002IM/", "Diritti di segreteria"}, {"9/0101108TS/", "Servizi scolastici"}},
         formatTimestamp(now),
         "demo"},
        {"019035",
         "91035680197",
         "01",
         {{"IT24D0542811101000000654321", "Tesoreria comunale", true}},
         {{"9/0101002IM/", "Diritti di segreteria"}},
         formatTimestamp(now),
         "demo"},
    };
    for (const Creditor& c : demo) {
      auto existing = store::creditor(tx, c.ente);
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) continue;
      if (auto s = store::saveCreditor(tx, c); !s) return s;
    }
    return {};
  });
}

// A few debt positions of Cremona in different states, so that the positions page has something
// to show. Made through the service, like an operator's: notice numbers from the allocator,
// timeline and audit. A reference already present means the demo was seeded before.
Status seedPositions(Platform& p) {
  Service service(p);
  audit::Entry demo;
  demo.actor = "demo";
  const auto day = [&](int days) {
    return calendar::formatDate(
        calendar::romeDate(std::chrono::time_point_cast<std::chrono::seconds>(p.clock->now()) +
                           std::chrono::days(days)));
  };
  const auto debtor = [](const char* type, const char* cf, const char* name) {
    return nlohmann::json{{"type", type},      {"fiscal_code", cf}, {"name", name},
                          {"city", "Cremona"}, {"province", "CR"},  {"country", "IT"}};
  };
  const auto option = [&](std::int64_t cents, int due_in, bool instalment, const char* text) {
    return nlohmann::json{{"amount_cents", cents},
                          {"due_date", day(due_in)},
                          {"instalment", instalment},
                          {"transfers", {{{"amount_cents", cents}, {"remittance", text}}}}};
  };
  struct Demo {
    nlohmann::json body;
    bool publish;
  };
  const std::vector<Demo> positions{
      {{{"reference", "DEMO-MENSA-2026-001"},
        {"description", "Mensa scolastica, primo trimestre"},
        {"service_code", "9/0101108TS/"},
        {"debtor", debtor("F", "BNCLRA90E45D150P", "Laura Bianchi")},
        {"options", {option(18500, 30, false, "Mensa scolastica primo trimestre")}}},
       true},
      {{{"reference", "DEMO-DIRITTI-2026-002"},
        {"description", "Diritti di segreteria, certificato di destinazione urbanistica"},
        {"service_code", "9/0101002IM/"},
        {"debtor", debtor("G", "00318000197", "Edilizia Padana S.r.l.")},
        {"options", {option(5200, 20, false, "Diritti di segreteria CDU")}}},
       true},
      {{{"reference", "DEMO-MENSA-2026-003"},
        {"description", "Mensa scolastica, anno intero a rate"},
        {"service_code", "9/0101108TS/"},
        {"debtor", debtor("F", "BNCLRA90E45D150P", "Laura Bianchi")},
        {"options",
         {option(60000, 30, false, "Mensa scolastica anno intero"),
          option(30000, 30, true, "Mensa scolastica rata 1"),
          option(30000, 120, true, "Mensa scolastica rata 2")}}},
       false},
  };
  for (const Demo& d : positions) {
    auto created = service.createPosition("019036", d.body, demo);
    if (!created && created.error().code == ErrorCode::kConflict) continue;
    if (!created) return tl::unexpected(created.error());
    if (d.publish)
      if (auto r = service.publishPosition(created->id, {true, {}, false}, demo); !r)
        return tl::unexpected(r.error());
  }
  return {};
}

// The Provincia di Cremona as the Comuni's intermediary with its station, so that the node (or
// `cst payments simulate-node`) is answered.
Status seedBroker(Platform& p) {
  Service service(p);
  auto existing = service.broker();
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) return {};
  audit::Entry demo;
  demo.actor = "demo";
  auto saved =
      service.saveBroker({{"fiscal_code", "80002130195"}, {"station_id", "80002130195_01"}}, demo);
  if (!saved) return tl::unexpected(saved.error());
  return {};
}

Status seedDemo(Platform& p) {
  if (auto s = seedCreditors(p); !s) return s;
  if (auto s = seedBroker(p); !s) return s;
  return seedPositions(p);
}

}  // namespace

Module makeModule() {
  // The service lives as long as the module's closures (the platform keeps its modules).
  auto service = std::make_shared<std::unique_ptr<Service>>();
  Module m;
  m.id = "payments";
  m.name = "Pagamenti online";
  m.path = "/pagamenti";
  m.migrations = &db::paymentsMigrations();
  m.policy = addPolicy;
  m.connect = [service](Platform& p) { *service = std::make_unique<Service>(p); };
  m.install = [service](Platform& p) {
    addRoutes(p, **service);
    p.interfaces.provide<PaymentEvents>((*service)->events());
    p.scheduler->registerKind("payments.expire", [service](const nlohmann::json&) -> Status {
      auto expired = (*service)->expirePositions();
      if (!expired) return tl::unexpected(expired.error());
      return {};
    });
    // Hourly: a position expires at the end of its last day (Europe/Rome); within the hour is
    // soon enough, since the node is answered from the stored date anyway.
    if (auto s = p.scheduler->ensureRecurring("Scadenza posizioni debitorie", "payments.expire",
                                              "@hourly");
        !s)
      spdlog::error("cannot schedule the expiry of debt positions: {}", s.error().detail);
  };
  m.seedDemo = seedDemo;
  return m;
}

}  // namespace cst::payments
