#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;

namespace {
Json usersPage(const auth::Identity::Page& pg) {
  return pageJson(pg.items, pg.next_cursor, auth::toJson);
}
}  // namespace

void addUserRoutes(Platform& p) {
  p.router.add(http::Route::get(
      "/api/v1/users", "List users (filter: ente; paging)", "users", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kUsersRead); !s)
          return http::problem(s.error());
        auto limit = limitParam(req);
        if (!limit) return http::problem(limit.error());
        auto ente = req.queryParam("ente");
        if (ente)
          if (auto s = checkIstat(*ente, "ente"); !s) return http::problem(s.error());
        auto after = numericCursor(req);
        if (!after) return http::problem(after.error());
        return respond(p.identity->listUsers(*req.principal, ente, *after, *limit), usersPage);
      }));
  p.router.add(http::Route::get("/api/v1/users/{id}", "One user", "users", [&p](Request& req) {
    auto id = numericParam(req, "id");
    if (!id) return http::problem(id.error());
    return respond(p.identity->getUser(*id, *req.principal), auth::toJson);
  }));
  p.router.add(
      http::Route::post("/api/v1/users", "Create a user with grants", "users",
                        [&p](Request& req) {
                          if (auto s = requireAny(p.policy, req, auth::action::kUsersManage); !s)
                            return http::problem(s.error());
                          auto body = http::parseJsonObject(req);
                          if (!body) return http::problem(body.error());
                          auto nu = auth::newUserFromJson(*body);
                          if (!nu) return http::problem(nu.error());
                          return respond(
                              p.identity->createUser(*nu, req.principal.get(), auditBy(req)),
                              auth::toJson, 201);
                        })
          .schema(Json{
              {"type", "object"},
              {"required", {"username", "display_name", "password", "grants"}},
              {"properties",
               {{"username", {{"type", "string"}}},
                {"display_name", {{"type", "string"}}},
                {"email", {{"type", "string"}}},
                {"password", {{"type", "string"}, {"minLength", 10}}},
                {"grants",
                 {{"type", "array"},
                  {"items",
                   {{"type", "object"},
                    {"properties",
                     {{"role", {{"type", "string"}}}, {"ente", {{"type", "string"}}}}}}}}}}}}));
  p.router.add(http::Route::patch(
      "/api/v1/users/{id}", "Update a user (name, e-mail, disabled, password)", "users",
      [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kUsersManage); !s)
          return http::problem(s.error());
        auto id = numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        return respond(p.identity->updateUser(*id, *body, *req.principal, auditBy(req)),
                       auth::toJson);
      }));
}

}  // namespace cst::api
