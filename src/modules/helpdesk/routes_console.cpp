// HTTP <-> service for the agents' console: bulk changes, watchers, links, merges and canned
// answers.
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

Result<CannedText> cannedFrom(const Json& body) {
  JsonFields f(body, "risposta predefinita non valida");
  CannedText c;
  c.title = f.text("title", Need::kRequired).value_or("");
  c.body = f.text("body", Need::kRequired).value_or("");
  c.category_id = f.integer("category_id");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return c;
}

Json cannedPage(const std::vector<store::CannedAnswer>& items) {
  Json out = Json::array();
  for (const auto& a : items) out.push_back(toJson(a));
  return Json{{"items", out}};
}

void addRelationRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/bulk",
      "The same change (state, assignment, priority...) on up to 100 tickets, all or none", kTag,
      [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "modifica multipla non valida");
        std::vector<std::int64_t> ids;
        if (!f.has("ids") || !(*body)["ids"].is_array())
          f.bad("ids", "atteso un elenco di numeri di ticket");
        else
          for (const Json& id : (*body)["ids"]) {
            if (!id.is_number_integer()) {
              f.bad("ids", "atteso un elenco di numeri di ticket");
              break;
            }
            ids.push_back(id.get<std::int64_t>());
          }
        if (!f.has("change") || !(*body)["change"].is_object())
          f.bad("change", "attesa la modifica da applicare, come per PATCH");
        if (auto s = f.result(); !s) return http::problem(s.error());
        auto change = changeFrom((*body)["change"]);
        if (!change) return http::problem(change.error());
        return api::respond(service.bulkChange(ids, *change, actorOf(p, req), visibilityOf(p, req)),
                            [](const std::vector<Ticket>& items) {
                              Json out = Json::array();
                              for (const Ticket& t : items) out.push_back(toJson(t));
                              return Json{{"items", out}};
                            });
      }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/{id}/watchers",
      "Follow the ticket (user_id: the desk adds anyone who may see it; others themselves)", kTag,
      [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kRead);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "osservatore non valido");
        const std::int64_t user = f.integer("user_id").value_or(req.principal->user_id);
        if (auto s = f.result(); !s) return http::problem(s.error());
        return detailResponse(service.watch(*id, user, true, actorOf(p, req), visibilityOf(p, req)),
                              201);
      }));
  p.router.add(http::Route::del("/api/v1/helpdesk/tickets/{id}/watchers/{user}",
                                "Stop following the ticket", kTag, [&p, &service](Request& req) {
                                  auto id = ticketId(p, req, action::kRead);
                                  if (!id) return http::problem(id.error());
                                  auto user = api::numericParam(req, "user");
                                  if (!user) return http::problem(user.error());
                                  return detailResponse(service.watch(
                                      *id, *user, false, actorOf(p, req), visibilityOf(p, req)));
                                }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/{id}/links",
      "Link to another ticket (kind: related, duplicates, duplicated_by, parent_of, child_of)",
      kTag, [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kWork);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "collegamento non valido");
        const auto other = f.integer("ticket_id", Need::kRequired);
        std::optional<LinkKind> kind = LinkKind::kRelated;
        if (auto k = f.text("kind")) {
          kind = parseLinkKind(*k);
          if (!kind) f.bad("kind", "related, duplicates, duplicated_by, parent_of o child_of");
        }
        if (auto s = f.result(); !s) return http::problem(s.error());
        return detailResponse(
            service.link(*id, *other, *kind, actorOf(p, req), visibilityOf(p, req)), 201);
      }));
  p.router.add(http::Route::del(
      "/api/v1/helpdesk/tickets/{id}/links/{other}", "Undo the link between two tickets", kTag,
      [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kWork);
        if (!id) return http::problem(id.error());
        auto other = api::numericParam(req, "other");
        if (!other) return http::problem(other.error());
        return detailResponse(service.unlink(*id, *other, actorOf(p, req), visibilityOf(p, req)));
      }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/{id}/merge",
      "Merge this ticket into another (into): its timeline is copied there and it is closed", kTag,
      [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kWork);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "unione non valida");
        const auto into = f.integer("into", Need::kRequired);
        if (auto s = f.result(); !s) return http::problem(s.error());
        return detailResponse(service.merge(*id, *into, actorOf(p, req), visibilityOf(p, req)));
      }));
}

void addCannedRoutes(Platform& p, CannedAnswers& canned) {
  p.router.add(http::Route::get("/api/v1/helpdesk/canned-answers",
                                "The desk's canned answers, by title", kTag,
                                [&p, &canned](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
                                    return http::problem(s.error());
                                  return api::respond(canned.list(), cannedPage);
                                }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/canned-answers",
      "A new canned answer (title, body with {richiedente} {ticket} {oggetto} {operatore} {ente})",
      kTag, [&p, &canned](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto in = cannedFrom(*body);
        if (!in) return http::problem(in.error());
        return api::respond(
            canned.create(*in, actorOf(p, req)),
            [](const store::CannedAnswer& a) { return toJson(a); }, 201);
      }));
  p.router.add(http::Route::put("/api/v1/helpdesk/canned-answers/{id}", "Replace a canned answer",
                                kTag, [&p, &canned](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
                                    return http::problem(s.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  auto body = http::parseJsonObject(req);
                                  if (!body) return http::problem(body.error());
                                  auto in = cannedFrom(*body);
                                  if (!in) return http::problem(in.error());
                                  return api::respond(
                                      canned.update(*id, *in, actorOf(p, req)),
                                      [](const store::CannedAnswer& a) { return toJson(a); });
                                }));
  p.router.add(http::Route::del("/api/v1/helpdesk/canned-answers/{id}", "Delete a canned answer",
                                kTag, [&p, &canned](Request& req) {
                                  if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
                                    return http::problem(s.error());
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respondStatus(canned.remove(*id, actorOf(p, req)));
                                }));
}

}  // namespace

void addConsoleRoutes(Platform& p, Service& service, CannedAnswers& canned) {
  addRelationRoutes(p, service);
  addCannedRoutes(p, canned);
}

}  // namespace cst::helpdesk
