#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;

void addEntiRoutes(Platform& p) {
  p.router.add(http::Route::get(
      "/api/v1/enti", "List enti (filter: q; paging: limit, cursor)", "enti", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kEntiRead); !s)
          return http::problem(s.error());
        auto limit = limitParam(req);
        if (!limit) return http::problem(limit.error());
        auto cursor = req.queryParam("cursor");
        if (cursor)
          if (auto s = checkIstat(*cursor, "cursor"); !s) return http::problem(s.error());
        // The registry is public knowledge (names, codes, population): every role reads
        // it.
        auto page = p.enti->list(true, {}, req.queryParam("q"), cursor, *limit);
        return respond(page, [](const enti::Registry::Page& pg) {
          return pageJson(pg.items, pg.next_cursor, enti::toJson);
        });
      }));
  p.router.add(http::Route::get("/api/v1/enti/{istat}", "One ente", "enti", [&p](Request& req) {
    if (auto s = requireAny(p.policy, req, auth::action::kEntiRead); !s)
      return http::problem(s.error());
    if (auto s = checkIstat(req.param("istat"), "istat"); !s) return http::problem(s.error());
    return respond(p.enti->get(req.param("istat")), enti::toJson);
  }));
  p.router.add(
      http::Route::post("/api/v1/enti", "Register an ente (cst_admin)", "enti", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kEntiManage); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto ente = enti::enteFromJson(*body);
        if (!ente) return http::problem(ente.error());
        return respond(p.enti->create(*ente, auditBy(req)), enti::toJson, 201);
      }));
  p.router.add(http::Route::patch(
      "/api/v1/enti/{istat}", "Update an ente (cst_admin)", "enti", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kEntiManage); !s)
          return http::problem(s.error());
        if (auto s = checkIstat(req.param("istat"), "istat"); !s) return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        return respond(p.enti->update(req.param("istat"), *body, auditBy(req)), enti::toJson);
      }));
}

}  // namespace cst::api
