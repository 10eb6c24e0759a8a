// HTTP <-> knowledge base. Everyone who may read tickets reads public articles; the desk also
// internal ones, and only the desk writes.
#include "api/route_kit.hpp"
#include "common/json_fields.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::helpdesk {

using http::Json;
using http::Request;
using Need = JsonFields::Need;

namespace {

constexpr const char* kTag = "helpdesk";

bool isDesk(const Platform& p, const Request& req) {
  return !p.policy.scope(*req.principal, action::kWork).empty();
}

Result<ArticleText> articleFrom(const Json& body) {
  JsonFields f(body, "articolo non valido");
  ArticleText a;
  a.category_id = f.integer("category_id");
  a.title = f.text("title", Need::kRequired).value_or("");
  a.body = f.text("body", Need::kRequired).value_or("");
  if (auto v = f.text("visibility")) {
    if (*v != "public" && *v != "internal")
      f.bad("visibility", "public (per tutti) o internal (solo il call center)");
    a.internal = *v == "internal";
  }
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return a;
}

Json listJson(const std::vector<store::Article>& items, const std::optional<std::int64_t>& next) {
  return api::pageJson(items, next, [](const store::Article& a) { return toJson(a, true); });
}

http::Response articleResponse(const Result<store::Article>& a, int status = 200) {
  return api::respond(
      a, [](const store::Article& x) { return toJson(x, false); }, status);
}

}  // namespace

void addKnowledgeRoutes(Platform& p, KnowledgeBase& kb) {
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/articles",
      "Knowledge-base articles the caller may read (q: full-text, ranked; category; limit, "
      "cursor)",
      kTag, [&p, &kb](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        store::ArticleFilter f;
        f.with_internal = isDesk(p, req);
        f.text = req.queryParam("q");
        if (f.text && (f.text->empty() || f.text->size() > 200))
          return http::problem(Error::badInput("q", "da 1 a 200 caratteri"));
        auto category = api::numericQuery(req, "category");
        if (!category) return http::problem(category.error());
        f.category_id = *category;
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        f.limit = *limit;
        auto cursor = api::numericCursor(req);
        if (!cursor) return http::problem(cursor.error());
        f.offset = cursor->value_or(0);
        return api::respond(kb.list(f), [&](const std::vector<store::Article>& items) {
          std::optional<std::int64_t> next;
          if (static_cast<int>(items.size()) == f.limit) next = f.offset + f.limit;
          return listJson(items, next);
        });
      }));
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/articles/suggest",
      "Articles for what a requester is typing (q: the ticket's subject so far), best first", kTag,
      [&p, &kb](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        const std::string typed = req.queryParam("q").value_or("");
        if (typed.size() > 200)
          return http::problem(Error::badInput("q", "al massimo 200 caratteri"));
        return api::respond(
            kb.suggest(typed, isDesk(p, req)),
            [](const std::vector<store::Article>& items) { return listJson(items, std::nullopt); });
      }));
  p.router.add(http::Route::get("/api/v1/helpdesk/articles/{id}", "One article", kTag,
                                [&p, &kb](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
                                    return http::problem(s.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return articleResponse(kb.get(*id, isDesk(p, req)));
                                }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/articles",
      "A new article (title, body, category_id, visibility: public|internal); the desk only", kTag,
      [&p, &kb](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto in = articleFrom(*body);
        if (!in) return http::problem(in.error());
        return articleResponse(kb.create(*in, actorOf(p, req)), 201);
      }));
  p.router.add(http::Route::put("/api/v1/helpdesk/articles/{id}",
                                "Replace an article; the desk only", kTag, [&p, &kb](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
                                    return http::problem(s.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  auto body = http::parseJsonObject(req);
                                  if (!body) return http::problem(body.error());
                                  auto in = articleFrom(*body);
                                  if (!in) return http::problem(in.error());
                                  return articleResponse(kb.update(*id, *in, actorOf(p, req)));
                                }));
  p.router.add(http::Route::del("/api/v1/helpdesk/articles/{id}",
                                "Delete an article; the desk only", kTag, [&p, &kb](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
                                    return http::problem(s.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respondStatus(kb.remove(*id, actorOf(p, req)));
                                }));
}

}  // namespace cst::helpdesk
