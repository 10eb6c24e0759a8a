// HTTP <-> service for the antivirus. Permissions come from the policy table; what a caller sees
// of a list is the enti of their grants for the action (404 for any other ente's object).
#include "routes.hpp"

#include "api/route_kit.hpp"
#include "common/json_fields.hpp"
#include "platform/platform.hpp"

namespace cst::antivirus {

using http::Json;
using http::Request;

void addPolicy(auth::Policy& policy) {
  using auth::Role;
  for (Role r : {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kAuditor})
    policy.add(action::kQuarantineRead, r);
  policy.add(action::kQuarantineManage, Role::kCstAdmin);
  for (Role r : {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator})
    policy.add(action::kScan, r);
  for (Role r :
       {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor}) {
    policy.add(action::kRead, r);
    policy.add(action::kOverview, r);
  }
  policy.add(action::kOverview, Role::kCommittee);
  policy.add(action::kReport, Role::kAgent);
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin}) policy.add(action::kManage, r);
  policy.add(action::kSettings, Role::kCstAdmin);
}

Result<Visibility> visibility(const Platform& p, const Request& req, const char* act) {
  if (auto s = api::requireAny(p.policy, req, act); !s) return tl::unexpected(s.error());
  const auth::EnteScope scope = p.policy.scope(*req.principal, act);
  return Visibility{scope.all, scope.enti};
}

Result<ListQuery> listQuery(const Request& req, const Visibility& v) {
  ListQuery q;
  if (auto ente = req.queryParam("ente")) {
    if (auto s = api::checkIstat(*ente, "ente"); !s) return tl::unexpected(s.error());
    if (!v.sees(*ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
    q.ente = *ente;
  }
  auto limit = api::limitParam(req);
  if (!limit) return tl::unexpected(limit.error());
  q.limit = *limit;
  auto cursor = api::numericCursor(req);
  if (!cursor) return tl::unexpected(cursor.error());
  q.before = *cursor;
  return q;
}

namespace {

Result<std::string> reasonOf(const Request& req) {
  auto body = http::parseJsonObject(req);
  if (!body) return tl::unexpected(body.error());
  JsonFields f(*body, "motivo non valido");
  auto reason = f.text("reason", JsonFields::Need::kRequired, true);
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return *reason;
}

const Json kReasonSchema{{"type", "object"},
                         {"required", {"reason"}},
                         {"properties", {{"reason", {{"type", "string"}}}}}};

void addQuarantineRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::get(
      "/api/v1/antivirus/quarantine",
      "Infected uploads kept in quarantine, newest first (filters: ente, status)", kTag,
      [&p, &service](Request& req) {
        auto v = visibility(p, req, action::kQuarantineRead);
        if (!v) return http::problem(v.error());
        auto q = listQuery(req, *v);
        if (!q) return http::problem(q.error());
        auto status = enumQuery(req, "status", parseQuarantineStatus, "held, released, discarded");
        if (!status) return http::problem(status.error());
        return page(service.quarantine(*v, *q, *status), *q,
                    [](const QuarantineRecord& r) { return toJson(r); });
      }));
  p.router.add(http::Route::get("/api/v1/antivirus/quarantine/{id}", "One quarantine record", kTag,
                                [&p, &service](Request& req) {
                                  auto v = visibility(p, req, action::kQuarantineRead);
                                  if (!v) return http::problem(v.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respond(
                                      service.quarantined(*id, *v),
                                      [](const QuarantineRecord& r) { return toJson(r); });
                                }));
  p.router.add(http::Route::get(
      "/api/v1/antivirus/quarantine/{id}/content",
      "Download a quarantined file (cst_admin only, audited)", kTag, [&p, &service](Request& req) {
        auto v = visibility(p, req, action::kQuarantineRead);
        if (!v) return http::problem(v.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto r = service.quarantined(*id, *v);
        if (!r) return http::problem(r.error());
        if (auto s = api::requireOnEnte(p.policy, req, action::kQuarantineManage, r->ente); !s)
          return http::problem(Error::make(ErrorCode::kForbidden,
                                           "solo gli amministratori del CST aprono la quarantena"));
        auto file = service.quarantineContent(*r, api::auditBy(req));
        if (!file) return http::problem(file.error());
        // Never the declared type: the browser must save it, not open it.
        return api::download(*file, r->filename, "application/octet-stream");
      }));
  for (const auto& [verb, releasing] : {std::pair{"release", true}, std::pair{"discard", false}}) {
    const bool release = releasing;
    p.router.add(http::Route::post(
                     "/api/v1/antivirus/quarantine/{id}/" + std::string(verb),
                     release ? "Release a false positive as an upload of its ente (audited)"
                             : "Delete a quarantined file, keeping its record (audited)",
                     kTag,
                     [&p, &service, release](Request& req) {
                       auto v = visibility(p, req, action::kQuarantineManage);
                       if (!v) return http::problem(v.error());
                       auto id = api::numericParam(req, "id");
                       if (!id) return http::problem(id.error());
                       if (auto seen = service.quarantined(*id, *v); !seen)
                         return http::problem(seen.error());
                       auto reason = reasonOf(req);
                       if (!reason) return http::problem(reason.error());
                       auto r = release ? service.release(*id, *reason, api::auditBy(req))
                                        : service.discard(*id, *reason, api::auditBy(req));
                       return api::respond(r, [](const QuarantineRecord& q) { return toJson(q); });
                     })
                     .schema(kReasonSchema));
  }
}

void addScanRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::post(
                   "/api/v1/antivirus/scan",
                   "Scan a file for an ente (raw body; query: ente, filename): the verdict", kTag,
                   [&p, &service](Request& req) {
                     auto ente = req.queryParam("ente");
                     if (!ente)
                       return http::problem(Error::badInput("ente", "codice ISTAT obbligatorio"));
                     if (auto s = api::checkIstat(*ente, "ente"); !s)
                       return http::problem(s.error());
                     if (auto s = api::requireAny(p.policy, req, action::kScan); !s)
                       return http::problem(s.error());
                     if (auto s = api::requireOnEnte(p.policy, req, action::kScan, *ente); !s)
                       return http::problem(s.error());
                     ScanRequest in{*ente, req.queryParam("filename").value_or(""), req.body_file,
                                    req.body_sha256};
                     return api::respond(service.scan(in, api::auditBy(req)),
                                         [](const ScanRecord& r) { return toJson(r); });
                   })
                   .uploadBody());
  p.router.add(http::Route::get(
      "/api/v1/antivirus/scans", "Scan requests, newest first (filters: ente, verdict)", kTag,
      [&p, &service](Request& req) {
        auto v = visibility(p, req, action::kRead);
        if (!v) return http::problem(v.error());
        auto q = listQuery(req, *v);
        if (!q) return http::problem(q.error());
        auto verdict = enumQuery(req, "verdict", parseVerdict, "clean, infected, error");
        if (!verdict) return http::problem(verdict.error());
        return page(service.scans(*v, *q, *verdict), *q,
                    [](const ScanRecord& r) { return toJson(r); });
      }));
}

void addEngineRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::get(
      "/api/v1/antivirus/engine", "The engine: versions, signature age, supervision", kTag,
      [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kOverview); !s)
          return http::problem(s.error());
        return http::json(200, toJson(service.engine()));
      }));
  p.router.add(http::Route::get(
      "/api/v1/antivirus/settings", "Thresholds of the console", kTag,
      [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kOverview); !s)
          return http::problem(s.error());
        return api::respond(service.settings(), [](const Settings& s) { return toJson(s); });
      }));
  const Json hours{{"type", "integer"}, {"minimum", 1}, {"maximum", 8760}};
  p.router.add(
      http::Route::put("/api/v1/antivirus/settings", "Change the thresholds (cst_admin)", kTag,
                       [&p, &service](Request& req) {
                         if (auto s = api::requireAny(p.policy, req, action::kSettings); !s)
                           return http::problem(s.error());
                         auto body = http::parseJsonObject(req);
                         if (!body) return http::problem(body.error());
                         return api::respond(service.updateSettings(*body, api::auditBy(req)),
                                             [](const Settings& s) { return toJson(s); });
                       })
          .schema(Json{{"type", "object"},
                       {"properties",
                        {{"outdated_after_hours", hours},
                         {"silent_after_hours", hours},
                         {"engine_max_age_hours", hours}}}}));
  p.router.add(http::Route::get(
      "/api/v1/antivirus/events", "Quarantine, engine and endpoint events, newest first", kTag,
      [&p, &service](Request& req) {
        auto v = visibility(p, req, action::kRead);
        if (!v) return http::problem(v.error());
        auto q = listQuery(req, *v);
        if (!q) return http::problem(q.error());
        return page(service.events(*v, *q), *q, [](const Event& e) { return toJson(e); });
      }));
}

}  // namespace

void addRoutes(Platform& p, Service& service) {
  addQuarantineRoutes(p, service);
  addScanRoutes(p, service);
  addEngineRoutes(p, service);
  addEndpointRoutes(p, service);
}

}  // namespace cst::antivirus
