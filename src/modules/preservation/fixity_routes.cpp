// HTTP <-> fixity audits: run one on demand, read the reports and an ente's standing.
#include "api/route_kit.hpp"
#include "fixity.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::preservation {

using http::Json;
using http::Request;

namespace {
const std::string kAudits = "/api/v1/preservation/audits";

}  // namespace

void addFixityRoutes(Platform& p, FixityAuditor& auditor) {
  constexpr const char* kTag = "preservation";
  p.router.add(http::Route::post(
      kAudits,
      "Run a fixity audit now: {\"aip\"} one package, {\"ente\"} every object of an ente, {} "
      "the whole archive (CST only). 201 with the report: each copy re-hashed, damaged copies "
      "repaired from a good one, objects with no good copy alarmed.",
      kTag, [&p, &auditor](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kAudit); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto ente = bodyText(*body, "ente");
        if (!ente) return http::problem(ente.error());
        auto aip = bodyText(*body, "aip");
        if (!aip) return http::problem(aip.error());
        if (!ente->empty())
          if (auto s = api::requireActionOn(p.policy, req, action::kAudit, *ente, "ente"); !s)
            return http::problem(s.error());
        return api::respond(
            auditor.runOnDemand(*ente, *aip, p.policy.scope(*req.principal, action::kAudit),
                                api::auditBy(req)),
            [](const FixityReport& r) { return toJson(r); }, 201);
      }));
  p.router.add(http::Route::get(
      kAudits, "The audit reports that concern the ente, newest first (?ente=&limit=)", kTag,
      [&p, &auditor](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        auto runs = auditor.reports(*ente, *limit);
        if (!runs) return http::problem(runs.error());
        Json items = Json::array();
        for (const FixityReport& r : *runs) items.push_back(toJson(r));
        return http::json(200, {{"items", items}});
      }));
  p.router.add(http::Route::get(
      kAudits + "/status",
      "The ente's standing: objects, verified within the cycle, never verified, lost (?ente=)",
      kTag, [&p, &auditor](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        return api::respond(auditor.status(*ente), [](const FixityStatus& s) { return toJson(s); });
      }));
  p.router.add(http::Route::get(
      kAudits + "/{id}", "One audit report with its findings (another ente's left out)", kTag,
      [&p, &auditor](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        return api::respond(
            auditor.report(req.param("id"), p.policy.scope(*req.principal, action::kRead)),
            [](const FixityReport& r) { return toJson(r); });
      }));
}

}  // namespace cst::preservation
