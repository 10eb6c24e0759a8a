// HTTP <-> service for the payments module. Permissions come from the policy table: another
// ente's configuration answers 404, a role without the action 403.
#include "routes.hpp"

#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";

// 403 when the caller may not do `act` anywhere, 404 when not on this ente.
Status requireOn(const Platform& p, const Request& req, const char* act, const std::string& ente) {
  return api::requireActionOn(p.policy, req, act, ente, "istat");
}

Json creditorSchema() {
  const Json text{{"type", "string"}};
  const Json iban{{"type", "object"},
                  {"required", {"iban"}},
                  {"properties",
                   {{"iban", {{"type", "string"}, {"example", "IT60X0542811101000000123456"}}},
                    {"label", text},
                    {"primary", {{"type", "boolean"}}}}}};
  const Json code{{"type", "object"},
                  {"required", {"code", "label"}},
                  {"properties",
                   {{"code", {{"type", "string"}, {"example", "9/0101002IM/"}}}, {"label", text}}}};
  return {{"type", "object"},
          {"required", {"fiscal_code", "segregation_code", "ibans"}},
          {"properties",
           {{"fiscal_code", {{"type", "string"}, {"pattern", "^[0-9]{11}$"}}},
            {"segregation_code", {{"type", "string"}, {"pattern", "^[0-9]{2}$"}}},
            {"ibans", {{"type", "array"}, {"minItems", 1}, {"items", iban}}},
            {"service_codes", {{"type", "array"}, {"items", code}}}}}};
}

}  // namespace

void addPolicy(auth::Policy& policy) {
  using auth::Role;
  for (Role r :
       {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor})
    policy.add(action::kCreditorRead, r);
  // The accounts money goes to: the CST's administrators and the ente's own referent only.
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin}) policy.add(action::kCreditorManage, r);
  // Positions are read by whoever reads the configuration. They are written by the ente's own
  // offices (the referent and the clerks who issue bills) and the CST's administrators; the
  // call centre's agents (cst_agent) answer citizens about notices but do not issue them.
  for (Role r :
       {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor})
    policy.add(action::kPositionRead, r);
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin, Role::kEnteOperator})
    policy.add(action::kPositionManage, r);
  policy.add(action::kBrokerManage, Role::kCstAdmin);
}

void addRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::get(
      "/api/v1/payments/creditors/{istat}",
      "The ente's pagoPA creditor configuration (configured: false when there is none yet)", kTag,
      [&p, &service](Request& req) {
        const std::string& ente = req.param("istat");
        if (auto s = requireOn(p, req, action::kCreditorRead, ente); !s)
          return http::problem(s.error());
        auto c = service.creditor(ente);
        if (!c) return http::problem(c.error());
        return http::json(200, *c ? toJson(**c) : unconfiguredCreditorJson(ente));
      }));
  p.router.add(
      http::Route::put(
          "/api/v1/payments/creditors/{istat}",
          "Replace the ente's creditor configuration: fiscal code, segregation code, IBANs, "
          "taxonomy codes (cst_admin, ente_admin; audited)",
          kTag,
          [&p, &service](Request& req) {
            const std::string& ente = req.param("istat");
            if (auto s = requireOn(p, req, action::kCreditorManage, ente); !s)
              return http::problem(s.error());
            auto body = http::parseJsonObject(req);
            if (!body) return http::problem(body.error());
            return api::respond(service.saveCreditor(ente, *body, api::auditBy(req)),
                                [](const Creditor& c) { return toJson(c); });
          })
          .schema(creditorSchema()));
  addPositionRoutes(p, service);
  addImportRoutes(p, service);
  addNoticeRoutes(p, service);
  addNodeRoutes(p, service);
  addReconciliationRoutes(p, service);
  addCitizenRoutes(p, service);
}

}  // namespace cst::payments
