// HTTP <-> service for the protocol register. Permissions come from the policy table: another
// ente's registration answers 404, a role without the action 403.
#include "routes.hpp"

#include "api/route_kit.hpp"
#include "blob/blob_store.hpp"
#include "calendar/calendar.hpp"
#include "platform/platform.hpp"

namespace cst::protocol {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "protocol";
const std::string kBase = "/api/v1/protocol";

// 403 when the caller may not do `act` anywhere, 404 when not on this ente.
Status requireOn(const Platform& p, const Request& req, const char* act, const std::string& ente,
                 const char* field = "ente") {
  return api::requireActionOn(p.policy, req, act, ente, field);
}

// The ?ente= of a per-ente list (required).
Result<std::string> enteQuery(const Platform& p, const Request& req, const char* act) {
  auto ente = req.queryParam("ente");
  if (!ente) return tl::unexpected(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
  if (auto s = requireOn(p, req, act, *ente); !s) return tl::unexpected(s.error());
  return *ente;
}

// The ente of a JSON body (field `ente`), checked like a query's.
Result<std::string> enteOfBody(const Platform& p, const Request& req, const Json& body,
                               const char* act) {
  if (!body.contains("ente") || !body["ente"].is_string())
    return tl::unexpected(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
  const std::string ente = body["ente"].get<std::string>();
  if (auto s = requireOn(p, req, act, ente); !s) return tl::unexpected(s.error());
  return ente;
}

// The AOO as GET and PUT answer it.
Json configuredAooJson(const Aoo& a) {
  Json j = toJson(a);
  j["configured"] = true;
  return j;
}

template <class T>
Json listJson(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& i : items) out.push_back(toJson(i));
  return {{"items", out}};
}

Result<store::Filter> filterOf(const Platform& p, const Request& req) {
  store::Filter f;
  const auth::EnteScope scope = p.policy.scope(*req.principal, action::kRead);
  f.all_enti = scope.all;
  f.enti = scope.enti;
  Error bad = Error::make(ErrorCode::kBadInput, "filtri non validi");
  if (auto ente = req.queryParam("ente")) {
    if (auto s = api::checkIstat(*ente, "ente"); !s)
      bad.fields.push_back(s.error().fields.front());
    else
      f.ente = *ente;
  }
  if (auto year = req.queryParam("year")) {
    if (year->size() != 4 || year->find_first_not_of("0123456789") != std::string::npos)
      bad.fields.push_back({"year", "anno di quattro cifre"});
    else
      f.year = std::stoi(*year);
  }
  if (auto flow = req.queryParam("flow")) {
    f.flow = parseFlow(*flow);
    if (!f.flow) bad.fields.push_back({"flow", "incoming, outgoing o internal"});
  }
  for (const char* key : {"from", "to"})
    if (auto d = req.queryParam(key)) {
      if (auto parsed = calendar::parseDate(*d, key); !parsed)
        bad.fields.push_back(parsed.error().fields.front());
      else
        (std::string(key) == "from" ? f.from : f.to) = *d;
    }
  if (auto q = req.queryParam("q"); q && !q->empty()) f.text = *q;
  if (auto c = req.queryParam("class_code"); c && !c->empty()) f.class_code = *c;
  if (auto st = req.queryParam("status")) {
    if (*st == "annulled")
      f.annulled = true;
    else if (*st == "registered")
      f.annulled = false;
    else
      bad.fields.push_back({"status", "registered o annulled"});
  }
  auto limit = api::limitParam(req);
  if (!limit) bad.fields.push_back(limit.error().fields.front());
  auto cursor = api::numericCursor(req);
  if (!cursor) bad.fields.push_back(cursor.error().fields.front());
  if (!bad.fields.empty()) {
    bad.detail = bad.fields.front().field + ": " + bad.fields.front().message;
    return tl::unexpected(bad);
  }
  f.limit = *limit;
  f.before = *cursor;
  return f;
}

Json registrationSchema() {
  const Json text{{"type", "string"}};
  const Json correspondent{
      {"type", "object"},
      {"required", {"kind"}},
      {"properties",
       {{"kind", {{"type", "string"}, {"enum", {"person", "company", "administration"}}}},
        {"first_name", text},
        {"last_name", text},
        {"name", text},
        {"fiscal_code", text},
        {"ipa_code", text},
        {"email", text}}}};
  const Json doc{{"type", "object"},
                 {"required", {"upload_id"}},
                 {"properties", {{"upload_id", text}, {"description", text}}}};
  return {{"type", "object"},
          {"required", {"ente", "flow", "subject", "class_code", "primary_document"}},
          {"properties",
           {{"ente", {{"type", "string"}, {"pattern", "^[0-9]{6}$"}}},
            {"flow", {{"type", "string"}, {"enum", {"incoming", "outgoing", "internal"}}}},
            {"subject", text},
            {"correspondents", {{"type", "array"}, {"items", correspondent}}},
            {"sender_date", {{"type", "string"}, {"format", "date"}}},
            {"sender_number", text},
            {"channel", text},
            {"class_code", text},
            {"folder_code", text},
            {"reserved", {{"type", "boolean"}}},
            {"primary_document", doc},
            {"attachments", {{"type", "array"}, {"items", doc}}}}}};
}

}  // namespace

void addPolicy(auth::Policy& policy) {
  using auth::Role;
  // The register holds personal data of the ente's correspondents: its own offices and the CST's
  // administrators read it, the auditor too; the call centre's agents do not.
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor})
    policy.add(action::kRead, r);
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin, Role::kEnteOperator})
    policy.add(action::kRegister, r);
  // Annulment is authorised by the head of the records service (art. 54): the ente's referent.
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin}) {
    policy.add(action::kAnnul, r);
    policy.add(action::kConfigure, r);
  }
}

void addRoutes(Platform& p, Service& service) {
  // ---- Configuration ----
  p.router.add(http::Route::get(kBase + "/aoo/{istat}",
                                "The ente's AOO and register code (configured: false if none)",
                                kTag, [&p, &service](Request& req) {
                                  const std::string& ente = req.param("istat");
                                  if (auto s = requireOn(p, req, action::kRead, ente, "istat"); !s)
                                    return http::problem(s.error());
                                  auto a = service.aoo(ente);
                                  if (!a) return http::problem(a.error());
                                  if (!*a)
                                    return http::json(200, {{"ente", ente}, {"configured", false}});
                                  return http::json(200, configuredAooJson(**a));
                                }));
  p.router.add(http::Route::put(
      kBase + "/aoo/{istat}", "Set the ente's AOO code, name and register code", kTag,
      [&p, &service](Request& req) {
        const std::string& ente = req.param("istat");
        if (auto s = requireOn(p, req, action::kConfigure, ente, "istat"); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        return api::respond(service.saveAoo(ente, *body, api::auditBy(req)), configuredAooJson);
      }));
  p.router.add(http::Route::get(kBase + "/classes", "The ente's titolario (?ente=)", kTag,
                                [&p, &service](Request& req) {
                                  auto ente = enteQuery(p, req, action::kRead);
                                  if (!ente) return http::problem(ente.error());
                                  auto c = service.classes(*ente);
                                  if (!c) return http::problem(c.error());
                                  return http::json(200, listJson(*c));
                                }));
  p.router.add(http::Route::post(kBase + "/classes", "Add a class to the ente's titolario", kTag,
                                 [&p, &service](Request& req) {
                                   auto body = http::parseJsonObject(req);
                                   if (!body) return http::problem(body.error());
                                   auto ente = enteOfBody(p, req, *body, action::kConfigure);
                                   if (!ente) return http::problem(ente.error());
                                   return api::respond(
                                       service.addClass(*ente, *body, api::auditBy(req)),
                                       [](const ProtocolClass& c) { return toJson(c); }, 201);
                                 }));
  p.router.add(http::Route::get(kBase + "/folders", "The ente's fascicoli (?ente=)", kTag,
                                [&p, &service](Request& req) {
                                  auto ente = enteQuery(p, req, action::kRead);
                                  if (!ente) return http::problem(ente.error());
                                  auto f = service.folders(*ente);
                                  if (!f) return http::problem(f.error());
                                  return http::json(200, listJson(*f));
                                }));
  p.router.add(http::Route::post(kBase + "/folders", "Open a fascicolo under a class", kTag,
                                 [&p, &service](Request& req) {
                                   auto body = http::parseJsonObject(req);
                                   if (!body) return http::problem(body.error());
                                   auto ente = enteOfBody(p, req, *body, action::kRegister);
                                   if (!ente) return http::problem(ente.error());
                                   return api::respond(
                                       service.openFolder(*ente, *body, api::auditBy(req)),
                                       [](const Folder& f) { return toJson(f); }, 201);
                                 }));

  // ---- Registrations ----
  p.router.add(http::Route::post(kBase + "/registrations",
                                 "Register a document: number, segnatura and record in one step",
                                 kTag,
                                 [&p, &service](Request& req) {
                                   auto body = http::parseJsonObject(req);
                                   if (!body) return http::problem(body.error());
                                   auto ente = enteOfBody(p, req, *body, action::kRegister);
                                   if (!ente) return http::problem(ente.error());
                                   auto in = registrationFromJson(*body);
                                   if (!in) return http::problem(in.error());
                                   return api::respond(
                                       service.registerDocument(*in, api::auditBy(req)),
                                       [](const Registration& r) { return toJson(r); }, 201);
                                 })
                   .schema(registrationSchema()));
  p.router.add(http::Route::get(
      kBase + "/registrations",
      "Search registrations (?ente=&year=&q=&flow=&from=&to=&class_code=&status=&limit=&cursor=)",
      kTag, [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        auto f = filterOf(p, req);
        if (!f) return http::problem(f.error());
        return api::idPage(service.search(*f), f->limit,
                           [](const Registration& r) { return toJson(r); });
      }));
  auto scopeOf = [&p](const Request& req, const char* act) {
    return p.policy.scope(*req.principal, act);
  };
  p.router.add(
      http::Route::get(kBase + "/registrations/{id}", "One registration with its documents", kTag,
                       [&service, scopeOf](Request& req) {
                         auto id = api::numericParam(req, "id");
                         if (!id) return http::problem(id.error());
                         return api::respond(service.registration(*id, scopeOf(req, action::kRead)),
                                             [](const Registration& r) { return toJson(r); });
                       }));
  p.router.add(http::Route::get(
      kBase + "/registrations/{id}/segnatura.xml",
      "The signed segnatura di protocollo (AgID schema v3), as made at registration", kTag,
      [&service, scopeOf](Request& req) {
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto xml = service.segnatura(*id, scopeOf(req, action::kRead));
        if (!xml) return http::problem(xml.error());
        return api::attachment(std::move(*xml), "segnatura-" + std::to_string(*id) + ".xml",
                               "application/xml");
      }));
  p.router.add(http::Route::get(
      kBase + "/registrations/{id}/documents/{seq}",
      "A document of a registration (0: the primary one), the read audited", kTag,
      [&p, &service, scopeOf](Request& req) {
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto seq = api::numericParam(req, "seq");
        if (!seq) return http::problem(seq.error());
        auto r = service.registration(*id, scopeOf(req, action::kRead));
        if (!r) return http::problem(r.error());
        for (const Document& d : r->documents)
          if (d.seq == *seq) {
            auto u = p.uploads->get(d.upload_id);
            if (!u) return http::problem(u.error());
            return api::uploadContent(*p.uploads, *u, api::auditBy(req));
          }
        return http::problem(Error::make(ErrorCode::kNotFound, "documento non trovato"));
      }));
  p.router.add(http::Route::post(
      kBase + "/registrations/{id}/annul",
      "Annul a registration (art. 54): reason and authorising act; it stays visible, marked", kTag,
      [&p, &service, scopeOf](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kAnnul); !s)
          return http::problem(s.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        return api::respond(
            service.annul(*id, *body, scopeOf(req, action::kAnnul), api::auditBy(req)),
            [](const Registration& r) { return toJson(r); });
      }));
  // ---- Daily registers ----
  p.router.add(http::Route::get(
      kBase + "/daily-registers",
      "The ente's daily registers, newest first, and the past days still without one "
      "(?ente=&limit=&cursor=)",
      kTag, [&p, &service](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        auto cursor = api::numericCursor(req);
        if (!cursor) return http::problem(cursor.error());
        auto d = service.dailyRegisters(*ente, *cursor, *limit);
        if (!d) return http::problem(d.error());
        Json body = api::pageJson(d->items, d->next, [](const DailyRegisterProduced& r) {
          return Json{{"id", r.sequence},
                      {"ente", r.ente},
                      {"day", r.day},
                      {"registrations", r.registrations},
                      {"annulments", r.annulments},
                      {"pdf_sha256", r.pdf_sha256},
                      {"pdf_size", r.pdf_size},
                      {"json_sha256", r.json_sha256},
                      {"json_size", r.json_size},
                      {"produced_at", r.produced_at}};
        });
        body["missing"] = d->missing;
        return http::json(200, body);
      }));
  for (const auto& [suffix, type] : {std::pair<std::string, std::string>{"pdf", "application/pdf"},
                                     {"json", "application/json"}})
    p.router.add(http::Route::get(
        kBase + "/daily-registers/{id}/register." + suffix,
        "A daily register as " + suffix + " (its SHA-256 is in the list)", kTag,
        [&p, &service, scopeOf, suffix, type](Request& req) {
          auto id = api::numericParam(req, "id");
          if (!id) return http::problem(id.error());
          auto d = service.dailyRegister(*id, scopeOf(req, action::kRead));
          if (!d) return http::problem(d.error());
          const std::string& sha = suffix == "pdf" ? d->pdf_sha256 : d->json_sha256;
          return api::download(p.blobs->pathOf(sha),
                               "registro-giornaliero-" + d->ente + "-" + d->day + "." + suffix,
                               type);
        }));

  // A registered record is never changed: the attempt is refused and audited.
  for (auto make : {&http::Route::put, &http::Route::patch})
    p.router.add(make(kBase + "/registrations/{id}",
                      "Refused: a registration cannot be changed, only annulled (422)", kTag,
                      [&service, scopeOf](Request& req) {
                        auto id = api::numericParam(req, "id");
                        if (!id) return http::problem(id.error());
                        return api::respondStatus(service.refuseChange(
                            *id, scopeOf(req, action::kRead), api::auditBy(req)));
                      }));
  p.router.add(http::Route::del(kBase + "/registrations/{id}",
                                "Refused: a registration is never deleted, only annulled (422)",
                                kTag, [&service, scopeOf](Request& req) {
                                  auto id = api::numericParam(req, "id");
                                  if (!id) return http::problem(id.error());
                                  return api::respondStatus(service.refuseChange(
                                      *id, scopeOf(req, action::kRead), api::auditBy(req)));
                                }));
}

}  // namespace cst::protocol
