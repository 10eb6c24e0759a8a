// The endpoint console: reports from the Comuni's PCs and servers (machine tokens), the lists and
// the per-ente summary, retiring an endpoint, agent tokens.
#include "api/route_kit.hpp"
#include "common/json_fields.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::antivirus {

using http::Json;
using http::Request;

namespace {

// The one ente an agent reports for: its grant's. A body may name it; another one is 404.
Result<std::string> reportingEnte(const Platform& p, const Request& req, const Json& body) {
  auto v = visibility(p, req, action::kReport);
  if (!v) return tl::unexpected(v.error());
  if (body.contains("ente")) {
    if (!body["ente"].is_string()) return failField("ente", "codice ISTAT");
    const std::string ente = body["ente"];
    if (!v->sees(ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
    return ente;
  }
  if (v->all_enti || v->enti.size() != 1)
    return failField("ente", "indicare l'ente: il token vale per più enti");
  return *v->enti.begin();
}

Json summaryJson(const std::vector<EnteSummary>& items, const Settings& s) {
  Json rows = Json::array();
  std::int64_t prot = 0, outdated = 0, silent = 0;
  for (const EnteSummary& e : items) {
    const std::int64_t total = e.protected_ + e.outdated + e.silent;
    rows.push_back({{"ente", e.ente},
                    {"name", e.name},
                    {"protected", e.protected_},
                    {"outdated", e.outdated},
                    {"silent", e.silent},
                    {"total", total}});
    prot += e.protected_;
    outdated += e.outdated;
    silent += e.silent;
  }
  return {{"items", rows},
          {"totals",
           {{"protected", prot},
            {"outdated", outdated},
            {"silent", silent},
            {"total", prot + outdated + silent}}},
          {"outdated_after_hours", s.outdated_after_hours},
          {"silent_after_hours", s.silent_after_hours}};
}

const Json kReportSchema{{"type", "object"},
                         {"required", {"hostname"}},
                         {"properties",
                          {{"hostname", {{"type", "string"}, {"maxLength", 253}}},
                           {"ente", {{"type", "string"}}},
                           {"os", {{"type", "string"}}},
                           {"product", {{"type", "string"}}},
                           {"engine_version", {{"type", "string"}}},
                           {"signature_version", {{"type", "string"}}},
                           {"signature_updated_at", {{"type", "string"}, {"format", "date-time"}}},
                           {"last_full_scan_at", {{"type", "string"}, {"format", "date-time"}}},
                           {"detections", {{"type", "integer"}, {"minimum", 0}}},
                           {"realtime_protection", {{"type", "boolean"}}}}}};

}  // namespace

void addEndpointRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::post("/api/v1/antivirus/endpoints/report",
                                 "An endpoint reports its antivirus state (agent token)", kTag,
                                 [&p, &service](Request& req) {
                                   auto body = http::parseJsonObject(req);
                                   if (!body) return http::problem(body.error());
                                   auto ente = reportingEnte(p, req, *body);
                                   if (!ente) return http::problem(ente.error());
                                   auto report = reportFromJson(*body);
                                   if (!report) return http::problem(report.error());
                                   auto saved = service.report(*ente, *report, api::auditBy(req));
                                   auto st = service.settings();
                                   if (!st) return http::problem(st.error());
                                   return api::respond(saved, [&](const Endpoint& e) {
                                     return toJson(e, *st, service.now());
                                   });
                                 })
                   .schema(kReportSchema));
  p.router.add(http::Route::get(
      "/api/v1/antivirus/endpoints",
      "Endpoints with their status, newest first (filters: ente, status)", kTag,
      [&p, &service](Request& req) {
        auto v = visibility(p, req, action::kRead);
        if (!v) return http::problem(v.error());
        auto q = listQuery(req, *v);
        if (!q) return http::problem(q.error());
        auto status = enumQuery(req, "status", parseEndpointStatus, "protected, outdated, silent");
        if (!status) return http::problem(status.error());
        auto st = service.settings();
        if (!st) return http::problem(st.error());
        const TimePoint now = service.now();
        return page(service.endpoints(*v, *q, *status), *q,
                    [&](const Endpoint& e) { return toJson(e, *st, now); });
      }));
  p.router.add(http::Route::get("/api/v1/antivirus/endpoints/summary",
                                "Per ente: endpoints protected, outdated and silent", kTag,
                                [&p, &service](Request& req) {
                                  auto v = visibility(p, req, action::kOverview);
                                  if (!v) return http::problem(v.error());
                                  auto st = service.settings();
                                  if (!st) return http::problem(st.error());
                                  auto items = service.summary(*v);
                                  if (!items) return http::problem(items.error());
                                  return http::json(200, summaryJson(*items, *st));
                                }));
  p.router.add(http::Route::del("/api/v1/antivirus/endpoints/{id}", "Retire an endpoint (audited)",
                                kTag, [&p, &service](Request& req) {
                                  auto v = visibility(p, req, action::kManage);
                                  if (!v) return http::problem(v.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respondStatus(
                                      service.retire(*id, *v, api::auditBy(req)));
                                }));
  p.router.add(
      http::Route::post(
          "/api/v1/antivirus/agents",
          "A machine identity for an ente's endpoint reports; its token is shown once", kTag,
          [&p, &service](Request& req) {
            auto body = http::parseJsonObject(req);
            if (!body) return http::problem(body.error());
            JsonFields f(*body, "dati dell'agente non validi");
            auto ente = f.text("ente", JsonFields::Need::kRequired, true);
            auto name = f.text("name", JsonFields::Need::kRequired, true);
            if (auto s = f.result(); !s) return http::problem(s.error());
            if (auto s = api::checkIstat(*ente, "ente"); !s) return http::problem(s.error());
            if (auto s = api::requireAny(p.policy, req, action::kManage); !s)
              return http::problem(s.error());
            if (auto s = api::requireOnEnte(p.policy, req, action::kManage, *ente); !s)
              return http::problem(s.error());
            return api::respond(
                service.createAgent(*ente, *name, *req.principal, api::auditBy(req)),
                [](const AgentToken& t) {
                  return Json{{"token", t.token},
                              {"user", {{"id", t.user_id}, {"username", t.username}}}};
                },
                201);
          })
          .schema(Json{
              {"type", "object"},
              {"required", {"ente", "name"}},
              {"properties", {{"ente", {{"type", "string"}}}, {"name", {{"type", "string"}}}}}}));
}

}  // namespace cst::antivirus
