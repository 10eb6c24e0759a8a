// HTTP <-> service for the service desk. Permissions come from the policy table; what a caller may
// see of a ticket is decided once, in visibilityOf.
#include "routes.hpp"

#include "api/route_kit.hpp"
#include "common/json_fields.hpp"
#include "platform/platform.hpp"

namespace cst::helpdesk {

using http::Json;
using http::Request;
using Need = JsonFields::Need;

Visibility visibilityOf(const Platform& p, const Request& req) {
  return visibilityFor(p.policy, *req.principal);
}

Actor actorOf(const Platform& p, const Request& req) {
  const auth::Principal& who = *req.principal;
  return Actor{who.user_id, who.display_name.empty() ? who.username : who.display_name,
               !p.policy.scope(who, action::kWork).empty(),
               !p.policy.scope(who, action::kPriority).empty(), api::auditBy(req)};
}

Result<std::int64_t> ticketId(const Platform& p, const Request& req, const char* act) {
  if (auto s = api::requireAny(p.policy, req, act); !s) return tl::unexpected(s.error());
  return api::numericParam(req, "id");
}

http::Response detailResponse(const Result<TicketDetail>& d, int status) {
  return api::respond(
      d, [](const TicketDetail& t) { return toJson(t); }, status);
}

namespace {

constexpr const char* kTag = "helpdesk";

Result<NewTicket> newTicketFrom(const Json& body) {
  JsonFields f(body, "dati del ticket non validi");
  NewTicket t;
  t.ente = f.text("ente", Need::kRequired).value_or("");
  if (auto type = f.text("type")) {
    if (auto parsed = parseType(*type))
      t.type = *parsed;
    else
      f.bad("type", "\"incident\" (guasto) o \"request\" (richiesta)");
  }
  if (auto channel = f.text("channel")) {
    if (auto parsed = parseChannel(*channel))
      t.channel = *parsed;
    else
      f.bad("channel", "portal, phone, email o monitoring");
  }
  t.category_id = f.integer("category_id");
  t.subject = f.text("subject", Need::kRequired).value_or("");
  t.description = f.text("description", Need::kRequired).value_or("");
  t.urgency = static_cast<int>(f.integer("urgency").value_or(3));
  t.impact = static_cast<int>(f.integer("impact").value_or(3));
  if (auto pr = f.integer("priority")) t.priority = static_cast<int>(*pr);
  if (f.has("requester")) {
    const Json& r = body["requester"];
    if (!r.is_object()) {
      f.bad("requester", "atteso {id, name, email}");
    } else {
      JsonFields rf(r, "richiedente");
      t.requester_id = rf.integer("id");
      t.requester_name = rf.text("name");
      t.requester_email = rf.text("email", Need::kOptional, true);
      if (auto s = rf.result(); !s)
        for (const FieldError& e : s.error().fields) f.bad("requester." + e.field, e.message);
    }
  }
  if (!t.ente.empty())
    if (auto s = api::checkIstat(t.ente, "ente"); !s) f.bad("ente", s.error().fields.at(0).message);
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return t;
}

}  // namespace

Result<TicketChange> changeFrom(const Json& body) {
  JsonFields f(body, "modifica del ticket non valida");
  TicketChange c;
  if (auto state = f.text("state")) {
    if (auto parsed = parseState(*state))
      c.state = *parsed;
    else
      f.bad("state", "stato sconosciuto: " + *state);
  }
  if (f.isNull("assignee_id"))
    c.assignee_id = std::optional<std::int64_t>{};
  else if (auto id = f.integer("assignee_id"))
    c.assignee_id = id;
  if (f.isNull("assignee_group"))
    c.assignee_group = std::optional<std::string>{};
  else if (auto g = f.text("assignee_group", Need::kOptional, true))
    c.assignee_group = g;
  if (auto v = f.integer("urgency")) c.urgency = static_cast<int>(*v);
  if (auto v = f.integer("impact")) c.impact = static_cast<int>(*v);
  if (auto v = f.integer("priority")) c.priority = static_cast<int>(*v);
  c.category_id = f.integer("category_id");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return c;
}

namespace {

Result<store::Filter> filterOf(const Platform& p, const Request& req) {
  const Visibility v = visibilityOf(p, req);
  store::Filter f;
  f.all_enti = v.all_enti;
  f.enti = v.enti;
  f.requester_id = v.only_requester;
  f.ente = req.queryParam("ente");
  if (f.ente)
    if (auto s = api::checkIstat(*f.ente, "ente"); !s) return tl::unexpected(s.error());
  f.state = req.queryParam("state");
  if (f.state && *f.state != "open" && !parseState(*f.state))
    return failField("state", "stato sconosciuto: " + *f.state);
  f.sla = req.queryParam("sla");
  if (f.sla && *f.sla != "running" && *f.sla != "warning" && *f.sla != "paused" &&
      *f.sla != "breached" && *f.sla != "met")
    return failField("sla", "running, warning, paused, breached o met");
  f.text = req.queryParam("q");
  if (f.text && (f.text->empty() || f.text->size() > 200))
    return failField("q", "da 1 a 200 caratteri");
  auto priority = api::numericQuery(req, "priority");
  if (!priority) return tl::unexpected(priority.error());
  if (*priority) {
    if (**priority > kMajorPriority) return failField("priority", "da 1 a 6");
    f.priority = static_cast<int>(**priority);
  }
  auto assignee = api::numericQuery(req, "assignee");
  if (!assignee) return tl::unexpected(assignee.error());
  f.assignee_id = *assignee;
  auto category = api::numericQuery(req, "category");
  if (!category) return tl::unexpected(category.error());
  f.category_id = *category;
  auto limit = api::limitParam(req);
  if (!limit) return tl::unexpected(limit.error());
  f.limit = *limit;
  auto cursor = api::numericCursor(req);
  if (!cursor) return tl::unexpected(cursor.error());
  // A search is ranked: its cursor is an offset; a queue is newest first: its cursor an id.
  if (f.text)
    f.offset = cursor->value_or(0);
  else
    f.before_id = *cursor;
  return f;
}

}  // namespace

void addPolicy(auth::Policy& policy) {
  using auth::Role;
  using auth::Scope;
  for (Role r :
       {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor})
    policy.add(action::kRead, r);
  for (Role r : {Role::kCstAdmin, Role::kCstAgent, Role::kEnteAdmin, Role::kEnteOperator})
    policy.add(action::kOpen, r);
  // Reports: the desk and the committee for every ente, a Comune's referent for theirs.
  for (Role r : {Role::kCstAdmin, Role::kCstAgent, Role::kCommittee, Role::kAuditor})
    policy.add(action::kReport, r);
  policy.add(action::kReport, Role::kEnteAdmin);
  for (Role r : {Role::kCitizen, Role::kProfessional}) {
    policy.add(action::kRead, r, Scope::kOwn);
    policy.add(action::kOpen, r, Scope::kOwn);
  }
  policy.add(action::kWork, Role::kCstAdmin);
  policy.add(action::kWork, Role::kCstAgent);
  policy.add(action::kPriority, Role::kCstAdmin);
  policy.add(action::kAdmin, Role::kCstAdmin);
}

void addRoutes(Platform& p, Service& service, CannedAnswers& canned) {
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets",
      "Open a ticket (portal; phone, e-mail and monitoring channels for the desk)", kTag,
      [&p, &service](Request& req) {
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto in = newTicketFrom(*body);
        if (!in) return http::problem(in.error());
        if (auto s = api::requireOnEnte(p.policy, req, action::kOpen, in->ente); !s)
          return http::problem(s.error());
        return detailResponse(service.open(*in, actorOf(p, req)), 201);
      }));
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/tickets",
      "Tickets visible to the caller, newest first (filters: q, ente, state|open, priority, "
      "assignee, category, sla; paging: limit, cursor)",
      kTag, [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        auto filter = filterOf(p, req);
        if (!filter) return http::problem(filter.error());
        auto page = service.list(*filter);
        return api::respond(page, [&](const std::vector<Ticket>& items) {
          std::optional<std::int64_t> next;
          if (static_cast<int>(items.size()) == filter->limit)
            next = filter->text ? filter->offset + filter->limit : items.back().id;
          return api::pageJson(items, next, [](const Ticket& t) { return toJson(t); });
        });
      }));
  p.router.add(http::Route::get("/api/v1/helpdesk/tickets/{id}",
                                "A ticket with its SLA (due_own, due_resolve) and its timeline",
                                kTag, [&p, &service](Request& req) {
                                  auto id = ticketId(p, req, action::kRead);
                                  if (!id) return http::problem(id.error());
                                  return detailResponse(service.get(*id, visibilityOf(p, req)));
                                }));
  p.router.add(http::Route::patch(
      "/api/v1/helpdesk/tickets/{id}",
      "Change state, assignment, urgency/impact, priority or category (the desk); a requester "
      "closes or reopens a solved ticket",
      kTag, [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kOpen);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto change = changeFrom(*body);
        if (!change) return http::problem(change.error());
        return detailResponse(service.change(*id, *change, actorOf(p, req), visibilityOf(p, req)));
      }));
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/{id}/comments",
      "A public reply, or an internal note of the desk (internal: true); the text is `body`, or "
      "the canned answer `canned_id` filled from the ticket",
      kTag, [&p, &service, &canned](Request& req) {
        auto id = ticketId(p, req, action::kOpen);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "commento non valido");
        const auto canned_id = f.integer("canned_id");
        std::string text =
            f.text("body", canned_id ? Need::kOptional : Need::kRequired).value_or("");
        const bool internal = f.boolean("internal").value_or(false);
        if (auto s = f.result(); !s) return http::problem(s.error());
        const Actor by = actorOf(p, req);
        const Visibility v = visibilityOf(p, req);
        if (canned_id) {
          if (!by.agent)
            return http::problem(Error::make(ErrorCode::kForbidden,
                                             "solo il call center usa le risposte predefinite"));
          auto answer = canned.get(*canned_id);
          if (!answer) {
            if (answer.error().code == ErrorCode::kNotFound)
              return http::problem(
                  Error::badInput("canned_id", "risposta predefinita inesistente"));
            return http::problem(answer.error());
          }
          auto ticket = service.get(*id, v);
          if (!ticket) return http::problem(ticket.error());
          text = canned.fill(*answer, ticket->ticket, by);
        }
        return detailResponse(service.comment(*id, text, internal, by, v), 201);
      }));
  p.router.add(
      http::Route::post(
          "/api/v1/helpdesk/tickets/{id}/attachments",
          "Attach a file (raw body; query: filename). Scanned by the antivirus before it is "
          "stored.",
          kTag,
          [&p, &service](Request& req) {
            auto id = ticketId(p, req, action::kOpen);
            if (!id) return http::problem(id.error());
            const Visibility v = visibilityOf(p, req);
            // The ticket first: nothing is stored for a ticket the caller cannot see.
            auto ticket = service.get(*id, v);
            if (!ticket) return http::problem(ticket.error());
            if (ticket->ticket.state == State::kClosed)
              return http::problem(Error{ErrorCode::kRuleViolated,
                                         "il ticket è chiuso: aprine uno nuovo",
                                         {{"id", "ticket chiuso"}},
                                         {}});
            uploads::NewUpload in{ticket->ticket.ente,
                                  req.principal->user_id,
                                  req.queryParam("filename").value_or(""),
                                  req.header("content-type").value_or("application/octet-stream"),
                                  req.body_file,
                                  "helpdesk.attachment",
                                  req.body_sha256};
            auto upload = p.uploads->accept(in, api::auditBy(req));
            if (!upload) return http::problem(upload.error());
            return detailResponse(service.attach(*id, *upload, actorOf(p, req), v), 201);
          })
          .uploadBody());
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/tickets/{id}/attachments/{upload}",
      "Download an attachment of the ticket (audited), for whoever sees the ticket", kTag,
      [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kRead);
        if (!id) return http::problem(id.error());
        auto upload = service.attachment(*id, req.param("upload"), visibilityOf(p, req));
        if (!upload) return http::problem(upload.error());
        auto u = p.uploads->get(*upload);
        if (!u) return http::problem(u.error());
        return api::uploadContent(*p.uploads, *u, api::auditBy(req));
      }));
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/categories", "The category tree", kTag, [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        return api::respond(service.categories(), [](const std::vector<store::Category>& cs) {
          Json items = Json::array();
          for (const auto& c : cs) items.push_back(toJson(c));
          return Json{{"items", items}};
        });
      }));
}

}  // namespace cst::helpdesk
