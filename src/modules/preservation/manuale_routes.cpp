// HTTP <-> the generated manuale di conservazione.
#include "api/route_kit.hpp"
#include "disposal.hpp"
#include "manuale.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace cst::preservation {

namespace {

// What the manual says, from the running configuration (and the ente's registry entry and
// retention table when it is an ente's).
Result<ManualeFacts> gather(Platform& p, Service& service, Disposals& disposals,
                            const std::string& ente) {
  ManualeFacts f;
  f.generated_at = formatTimestamp(p.clock->now());
  f.version = platformVersion();
  const auto& policy = service.formats();
  if (!policy) return tl::unexpected(policy.error());
  for (const FileFormat& format : knownFormats())
    if (policy->accepts(format)) f.formats.push_back(format);
  f.copies = service.copies().count();
  f.database = p.db->dialect() == db::Dialect::kPostgres ? "PostgreSQL" : "SQLite";
  f.fixity_cycle_days = p.config.preservation.fixity_cycle_days;
  f.fixity_schedule = p.config.preservation.fixity_schedule;
  auto seal = service.seal();
  if (!seal) return tl::unexpected(seal.error());
  f.seal = certificateFacts(seal->certificate_pem);
  auto tsa = service.tsa();
  if (!tsa) return tl::unexpected(tsa.error());
  f.tsa = certificateFacts((*tsa)->certificatePem());
  f.tsa_name = (*tsa)->name();
  f.tsa_qualified = (*tsa)->qualified();
  if (!ente.empty()) {
    auto e = p.enti->get(ente);
    if (!e) return tl::unexpected(e.error());
    f.ente_istat = e->istat;
    f.ente_name = enti::formalName(*e);
    f.ente_ipa = e->ipa_code.value_or("");
    auto table = disposals.retention(ente);
    if (!table) return tl::unexpected(table.error());
    f.retention = table->rules;
  }
  return f;
}

}  // namespace

void addManualeRoute(Platform& p, Service& service, Disposals& disposals) {
  p.router.add(http::Route::get(
      "/api/v1/preservation/manuale",
      "The manuale di conservazione generated from the configuration (HTML); with ?ente= the "
      "ente's own, with its retention table",
      "preservation", [&p, &service, &disposals](http::Request& req) {
        const std::string ente = req.queryParam("ente").value_or("");
        auto allowed = ente.empty()
                           ? api::requireAny(p.policy, req, action::kRead)
                           : api::requireActionOn(p.policy, req, action::kRead, ente, "ente");
        if (!allowed) return http::problem(allowed.error());
        auto facts = gather(p, service, disposals, ente);
        if (!facts) return http::problem(facts.error());
        return api::attachment(
            manualeHtml(*facts),
            "manuale-di-conservazione" + (ente.empty() ? "" : "-" + ente) + ".html",
            "text/html; charset=utf-8");
      }));
}

}  // namespace cst::preservation
