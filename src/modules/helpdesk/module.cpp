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
  std::unique_ptr<CannedAnswers> canned;
  std::unique_ptr<KnowledgeBase> kb;
};

Status seedCannedAnswers(CannedAnswers& canned) {
  auto existing = canned.list();
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return {};
  audit::Entry who;
  who.actor = "system";
  who.request_id = "demo";
  const Actor desk{std::nullopt, "Call center CST", true, false, who};
  const std::vector<CannedText> answers = {
      {"Password reimpostata",
       "Gentile {richiedente},\nabbiamo reimpostato la password del suo account: al prossimo "
       "accesso le sarà chiesto di sceglierne una nuova.\nCordiali saluti,\n{operatore} - Call "
       "center CST",
       std::nullopt},
      {"Intervento programmato",
       "Gentile {richiedente},\nper la segnalazione {ticket} ({oggetto}) è programmato un "
       "intervento presso il Comune di {ente}: la contatteremo per concordare "
       "l'orario.\n{operatore}",
       std::nullopt},
      {"Richiesta di informazioni",
       "Gentile {richiedente},\nper procedere con la segnalazione {ticket} ci servono alcune "
       "informazioni: può indicarci il messaggio di errore e il nome della postazione?\n"
       "{operatore}",
       std::nullopt},
  };
  for (const CannedText& a : answers)
    if (auto r = canned.create(a, desk); !r) return tl::unexpected(r.error());
  return {};
}

Status seedArticles(Service& service, KnowledgeBase& kb) {
  store::ArticleFilter all;
  all.with_internal = true;
  auto existing = kb.list(all);
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return {};
  auto categories = service.categories();
  if (!categories) return tl::unexpected(categories.error());
  auto category = [&](const std::string& name) -> std::optional<std::int64_t> {
    for (const auto& c : *categories)
      if (c.name == name) return c.id;
    return std::nullopt;
  };
  audit::Entry who;
  who.actor = "system";
  who.request_id = "demo";
  const Actor desk{std::nullopt, "Call center CST", true, false, who};
  const std::vector<ArticleText> articles = {
      {category("Stampanti e scanner"), "La stampante non stampa: cosa controllare",
       "1. Verificare che la stampante sia accesa e senza messaggi di errore sul display.\n"
       "2. Controllare carta e toner.\n3. Dal PC, aprire Impostazioni > Stampanti e "
       "annullare i documenti bloccati in coda.\n4. Spegnere e riaccendere la stampante.\n"
       "Se il problema resta, aprire un ticket indicando il modello e il messaggio di errore.",
       false},
      {category("Password e credenziali"), "Come cambiare la password scaduta",
       "Alla richiesta di cambio password premere Ctrl+Alt+Canc e scegliere \"Cambia "
       "password\". La nuova password deve avere almeno 12 caratteri e non può ripetere le "
       "ultime 5.",
       false},
      {category("VPN"), "VPN per il lavoro agile: primo collegamento",
       "Installare il client VPN fornito dal CST, importare il profilo ricevuto per e-mail e "
       "accedere con le credenziali di dominio e il codice dell'app di autenticazione.",
       false},
      {category("SPID/CIE"), "Accesso con SPID non riuscito ai servizi del Comune",
       "Controllare di usare le credenziali SPID di livello 2 e che l'app del gestore sia "
       "aggiornata. Se compare \"utente non autorizzato\", il servizio richiede un livello "
       "superiore o la CIE.",
       false},
      {category("Password e credenziali"), "Procedura interna: sblocco account di dominio",
       "Verificare l'identità del richiedente richiamandolo al numero del Comune, sbloccare "
       "l'account dalla console di amministrazione e annotare l'operazione nel ticket.",
       true},
  };
  for (const ArticleText& a : articles)
    if (auto r = kb.create(a, desk); !r) return tl::unexpected(r.error());
  return {};
}

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
  m.connect = [state](Platform& p) {
    state->service = std::make_unique<Service>(*p.db, *p.clock, *p.enti, *p.identity, p.policy);
    // Aliasing pointer: the interface keeps the module state (and so the service) alive.
    p.interfaces.provide<MonitoringDesk>(
        std::shared_ptr<MonitoringDesk>(state, state->service.get()));
  };
  m.install = [state](Platform& p) {
    state->canned = std::make_unique<CannedAnswers>(*p.db, *p.clock, *p.enti);
    addRoutes(p, *state->service, *state->canned);
    addConsoleRoutes(p, *state->service, *state->canned);
    state->kb = std::make_unique<KnowledgeBase>(*p.db, *p.clock);
    addKnowledgeRoutes(p, *state->kb);
    addReportRoutes(p, *state->service);
    addSettingsRoutes(p, *state->service);
    p.scheduler->registerKind("helpdesk.sla", [state](const nlohmann::json&) -> Status {
      auto n = state->service->evaluateSla();
      if (!n) return tl::unexpected(n.error());
      return {};
    });
    if (auto s = p.scheduler->ensureRecurring("SLA del call center", "helpdesk.sla", "@every 1m");
        !s)
      spdlog::error("cannot schedule the SLA job: {}", s.error().detail);
  };
  m.seedDemo = [state](Platform& p) -> Status {
    if (auto s = seedDemo(p, *state->service); !s) return s;
    state->service->forgetSettings();  // the demo set the seat's calendar through the store
    if (auto s = seedArticles(*state->service, *state->kb); !s) return s;
    return seedCannedAnswers(*state->canned);
  };
  return m;
}

}  // namespace cst::helpdesk
