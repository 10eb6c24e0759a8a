// HTTP <-> service for debt positions. A role without the action gets 403; a position of an ente
// outside the caller's grants answers 404, as one that does not exist.
#include "api/route_kit.hpp"
#include "common/json_fields.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";
constexpr std::size_t kMaxReason = 500;
constexpr std::size_t kMaxSearchText = 100;

// A page of the list: the shared filters, then limit and cursor.
Result<store::PositionFilter> filterOf(const Request& req, const auth::EnteScope& scope) {
  auto f = positionFilterOf(req, scope);
  if (!f) return f;
  auto limit = api::limitParam(req);
  if (!limit) return tl::unexpected(limit.error());
  f->limit = *limit;
  auto cursor = api::numericCursor(req);
  if (!cursor) return tl::unexpected(cursor.error());
  f->before = *cursor;
  return f;
}

Result<std::string> reasonOf(const Request& req) {
  auto body = http::parseJsonObject(req);
  if (!body) return tl::unexpected(body.error());
  JsonFields f(*body, "motivo non valido");
  auto reason = f.text("reason", JsonFields::Need::kRequired, true);
  if (reason && reason->find_first_not_of(" \t\r\n") == std::string::npos) {
    f.bad("reason", "indicare il motivo");
    reason.reset();
  } else if (reason && reason->size() > kMaxReason)
    f.bad("reason", "al massimo " + std::to_string(kMaxReason) + " caratteri");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return *reason;
}

Json positionSchema() {
  const Json text{{"type", "string"}};
  const Json cents{{"type", "integer"}, {"minimum", 1}};
  const Json date{{"type", "string"}, {"format", "date"}};
  const Json transfer{
      {"type", "object"},
      {"required", {"amount_cents", "remittance"}},
      {"properties",
       {{"amount_cents", cents},
        {"iban", text},
        {"remittance", text},
        {"beneficiary_fiscal_code", {{"type", "string"}, {"pattern", "^[0-9]{11}$"}}}}}};
  const Json option{
      {"type", "object"},
      {"required", {"amount_cents", "due_date", "transfers"}},
      {"properties",
       {{"amount_cents", cents},
        {"due_date", date},
        {"instalment", {{"type", "boolean"}}},
        {"description", text},
        {"transfers",
         {{"type", "array"}, {"minItems", 1}, {"maxItems", 5}, {"items", transfer}}}}}};
  const Json debtor{{"type", "object"},
                    {"required", {"type", "fiscal_code", "name"}},
                    {"properties",
                     {{"type", {{"type", "string"}, {"enum", {"F", "G"}}}},
                      {"fiscal_code", text},
                      {"name", text},
                      {"street", text},
                      {"civic_number", text},
                      {"postal_code", text},
                      {"city", text},
                      {"province", text},
                      {"country", text},
                      {"email", text}}}};
  return {{"type", "object"},
          {"required", {"ente", "reference", "description", "service_code", "debtor", "options"}},
          {"properties",
           {{"ente", {{"type", "string"}, {"example", "019036"}}},
            {"reference", text},
            {"description", text},
            {"service_code", {{"type", "string"}, {"example", "9/0101002IM/"}}},
            {"valid_until", date},
            {"debtor", debtor},
            {"options", {{"type", "array"}, {"minItems", 1}, {"items", option}}}}}};
}

const Json kReasonSchema{{"type", "object"},
                         {"required", {"reason"}},
                         {"properties", {{"reason", {{"type", "string"}}}}}};

}  // namespace

// Shared with the notice routes (routes.hpp).
// The enti the caller may act on for `act`; 401/403 when none at all.
Result<auth::EnteScope> scopeFor(const Platform& p, const Request& req, const char* act) {
  if (auto s = api::requireAny(p.policy, req, act); !s) return tl::unexpected(s.error());
  return p.policy.scope(*req.principal, act);
}

Result<std::optional<std::string>> enteParam(const Request& req, const auth::EnteScope& scope) {
  auto ente = req.queryParam("ente");
  if (!ente) return std::optional<std::string>{};
  if (auto s = api::checkIstat(*ente, "ente"); !s) return tl::unexpected(s.error());
  if (!scope.contains(*ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
  return ente;
}

Result<store::PositionFilter> positionFilterOf(const Request& req, const auth::EnteScope& scope) {
  store::PositionFilter f;
  f.all_enti = scope.all;
  f.enti = scope.enti;
  auto ente = enteParam(req, scope);
  if (!ente) return tl::unexpected(ente.error());
  f.ente = *ente;
  if (auto status = req.queryParam("status")) {
    f.status = parsePositionStatus(*status);
    if (!f.status)
      return failField("status",
                       "valori ammessi: DRAFT, VALID, PARTIALLY_PAID, PAID, REPORTED, EXPIRED, "
                       "INVALID");
  }
  if (auto cf = req.queryParam("debtor_fiscal_code"); cf && !cf->empty()) {
    f.debtor_fiscal_code = asciiUpper(*cf);
  }
  if (auto nav = req.queryParam("notice_number"); nav && !nav->empty()) {
    auto parsed = parseNoticeNumber(compactNoticeNumber(*nav), "notice_number");
    if (!parsed) return tl::unexpected(parsed.error());
    f.notice_number = parsed->digits;
  }
  if (auto q = req.queryParam("q"); q && !q->empty()) {
    if (q->size() > kMaxSearchText)
      return failField("q", "al massimo " + std::to_string(kMaxSearchText) + " caratteri");
    f.text = *q;
  }
  return f;
}

void addPositionRoutes(Platform& p, Service& service) {
  p.router.add(
      http::Route::post(
          "/api/v1/payments/positions",
          "Create a debt position (DRAFT) with its payment options, transfers and notice numbers",
          kTag,
          [&p, &service](Request& req) {
            if (auto s = api::requireAny(p.policy, req, action::kPositionManage); !s)
              return http::problem(s.error());
            auto body = http::parseJsonObject(req);
            if (!body) return http::problem(body.error());
            const auto ente = body->find("ente");
            if (ente == body->end() || !ente->is_string())
              return http::problem(Error::badInput("ente", "campo obbligatorio: il codice ISTAT"));
            const std::string istat = ente->get<std::string>();
            if (auto s = api::checkIstat(istat, "ente"); !s) return http::problem(s.error());
            if (auto s = api::requireOnEnte(p.policy, req, action::kPositionManage, istat); !s)
              return http::problem(s.error());
            return api::respond(
                service.createPosition(istat, *body, api::auditBy(req)),
                [](const DebtPosition& d) { return toJson(d); }, 201);
          })
          .schema(positionSchema()));
  p.router.add(http::Route::get(
      "/api/v1/payments/positions",
      "Debt positions, newest first (filters: ente, status, debtor_fiscal_code, notice_number, q "
      "in description or debtor name; limit, cursor)",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto filter = filterOf(req, *scope);
        if (!filter) return http::problem(filter.error());
        return api::idPage(service.positions(*filter), filter->limit,
                           [](const DebtPosition& d) { return summaryJson(d); });
      }));
  p.router.add(
      http::Route::get("/api/v1/payments/positions/{id}",
                       "One debt position with its options, transfers, notice numbers and timeline",
                       kTag, [&p, &service](Request& req) {
                         auto scope = scopeFor(p, req, action::kPositionRead);
                         if (!scope) return http::problem(scope.error());
                         auto id = api::numericParam(req, "id");
                         if (!id) return http::problem(id.error());
                         return api::respond(service.position(*id, *scope),
                                             [](const DebtPosition& d) { return toJson(d); });
                       }));
  p.router.add(http::Route::post(
      "/api/v1/payments/positions/{id}/publish",
      "Publish a DRAFT position: VALID, its notice numbers payable (audited)", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionManage);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        return api::respond(service.publishPosition(*id, *scope, api::auditBy(req)),
                            [](const DebtPosition& d) { return toJson(d); });
      }));
  p.router.add(
      http::Route::post(
          "/api/v1/payments/positions/{id}/invalidate",
          "Invalidate a DRAFT or VALID position without payments, with a reason (audited)", kTag,
          [&p, &service](Request& req) {
            auto scope = scopeFor(p, req, action::kPositionManage);
            if (!scope) return http::problem(scope.error());
            auto id = api::numericParam(req, "id");
            if (!id) return http::problem(id.error());
            // Not found before a bad body: another ente's position is not revealed by a 400.
            if (auto seen = service.position(*id, *scope); !seen)
              return http::problem(seen.error());
            auto reason = reasonOf(req);
            if (!reason) return http::problem(reason.error());
            return api::respond(service.invalidatePosition(*id, *reason, *scope, api::auditBy(req)),
                                [](const DebtPosition& d) { return toJson(d); });
          })
          .schema(kReasonSchema));
  p.router.add(http::Route::del("/api/v1/payments/positions/{id}",
                                "Delete a DRAFT position (its notice numbers are never reused)",
                                kTag, [&p, &service](Request& req) {
                                  auto scope = scopeFor(p, req, action::kPositionManage);
                                  if (!scope) return http::problem(scope.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respondStatus(
                                      service.deletePosition(*id, *scope, api::auditBy(req)));
                                }));
}

}  // namespace cst::payments
