#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Method;
using http::Request;

namespace {
Result<std::int64_t> idParam(const Request& req, const std::string& name,
                             const std::string& field) {
  const std::string& v = req.param(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    return failField(field, "identificativo numerico");
  return std::stoll(v);
}

Json pageJson(const auth::Identity::Page& pg) {
  Json items = Json::array();
  for (const auto& u : pg.items) items.push_back(auth::toJson(u));
  return Json{{"items", items},
              {"next_cursor", pg.next_cursor ? Json(std::to_string(*pg.next_cursor)) : Json()}};
}
}  // namespace

void addUserRoutes(Platform& p) {
  p.router.add({Method::kGet,
                "/api/v1/users",
                "List users (filter: ente; paging)",
                "users",
                http::BodyKind::kNone,
                http::Access::kAuthenticated,
                false,
                {},
                [&p](Request& req) {
                  if (auto s = requireAny(p.policy, req, auth::action::kUsersRead); !s)
                    return http::problem(s.error());
                  auto limit = limitParam(req);
                  if (!limit) return http::problem(limit.error());
                  auto ente = req.queryParam("ente");
                  if (ente)
                    if (auto s = checkIstat(*ente, "ente"); !s) return http::problem(s.error());
                  std::optional<std::int64_t> after;
                  if (auto c = req.queryParam("cursor")) {
                    if (c->find_first_not_of("0123456789") != std::string::npos || c->size() > 18)
                      return http::problem(Error::badInput("cursor", "cursore non valido"));
                    after = std::stoll(*c);
                  }
                  return respond(p.identity->listUsers(*req.principal, ente, after, *limit),
                                 pageJson);
                }});
  p.router.add({Method::kGet,
                "/api/v1/users/{id}",
                "One user",
                "users",
                http::BodyKind::kNone,
                http::Access::kAuthenticated,
                false,
                {},
                [&p](Request& req) {
                  auto id = idParam(req, "id", "id");
                  if (!id) return http::problem(id.error());
                  return respond(p.identity->getUser(*id, *req.principal), auth::toJson);
                }});
  p.router.add(
      {Method::kPost, "/api/v1/users", "Create a user with grants", "users", http::BodyKind::kJson,
       http::Access::kAuthenticated, false,
       Json{{"type", "object"},
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
                   {{"role", {{"type", "string"}}}, {"ente", {{"type", "string"}}}}}}}}}}}},
       [&p](Request& req) {
         if (auto s = requireAny(p.policy, req, auth::action::kUsersManage); !s)
           return http::problem(s.error());
         auto body = http::parseJsonObject(req);
         if (!body) return http::problem(body.error());
         auto nu = auth::newUserFromJson(*body);
         if (!nu) return http::problem(nu.error());
         return respond(p.identity->createUser(*nu, req.principal.get(), auditBy(req)),
                        auth::toJson, 201);
       }});
  p.router.add({Method::kPatch,
                "/api/v1/users/{id}",
                "Update a user (name, e-mail, disabled, password)",
                "users",
                http::BodyKind::kJson,
                http::Access::kAuthenticated,
                false,
                {},
                [&p](Request& req) {
                  if (auto s = requireAny(p.policy, req, auth::action::kUsersManage); !s)
                    return http::problem(s.error());
                  auto id = idParam(req, "id", "id");
                  if (!id) return http::problem(id.error());
                  auto body = http::parseJsonObject(req);
                  if (!body) return http::problem(body.error());
                  return respond(p.identity->updateUser(*id, *body, *req.principal, auditBy(req)),
                                 auth::toJson);
                }});
}

}  // namespace cst::api
