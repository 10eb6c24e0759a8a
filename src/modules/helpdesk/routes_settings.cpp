// HTTP <-> the desk's configuration: the desk reads it, cst_admin changes it.
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

// Targets per priority; the SLA's with their escalation levels.
Json targetsJson(const std::map<int, SlaTargets>& targets, bool with_escalations) {
  Json out = Json::array();
  for (const auto& [priority, t] : targets) {
    Json p = {{"priority", priority},
              {"label", priorityLabel(priority)},
              {"own_minutes", t.own.count()},
              {"resolve_minutes", t.resolve.count()}};
    if (with_escalations) {
      Json levels = Json::array();
      for (auto m : t.escalations) levels.push_back(m.count());
      p["escalations"] = levels;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Json settingsJson(const DeskSettings& d) {
  const store::Settings& s = d.settings;
  return {{"opening_hours", s.opening_hours},
          {"calendar_ente", s.calendar_ente ? Json(*s.calendar_ente) : Json()},
          {"reopen_days", s.reopen_days},
          {"notify_email", s.notify_email ? Json(*s.notify_email) : Json()},
          {"policies", targetsJson(d.targets, true)},
          {"ola", targetsJson(d.ola, false)},
          {"groups", d.groups}};
}

// body[key]: targets per priority ({priority, own_minutes, resolve_minutes[, escalations]}),
// problems named key[i].field.
std::map<int, SlaTargets> targetsFrom(const Json& body, const std::string& key,
                                      bool with_escalations, JsonFields& f) {
  std::map<int, SlaTargets> out;
  if (!body.contains(key) || !body[key].is_array()) {
    f.bad(key, "atteso l'elenco dei tempi per priorità");
    return out;
  }
  std::size_t i = 0;
  for (const Json& p : body[key]) {
    const std::string at = key + "[" + std::to_string(i++) + "]";
    if (!p.is_object()) {
      f.bad(at, "atteso {priority, own_minutes, resolve_minutes}");
      continue;
    }
    JsonFields pf(p, "tempi");
    const auto priority = pf.integer("priority", Need::kRequired);
    SlaTargets t;
    t.own = std::chrono::minutes(pf.integer("own_minutes", Need::kRequired).value_or(0));
    t.resolve = std::chrono::minutes(pf.integer("resolve_minutes", Need::kRequired).value_or(0));
    if (with_escalations && p.contains("escalations")) {
      if (!p["escalations"].is_array())
        pf.bad("escalations", "atteso un elenco di minuti");
      else
        for (const Json& m : p["escalations"]) {
          if (!m.is_number_integer()) {
            pf.bad("escalations", "atteso un elenco di minuti");
            break;
          }
          t.escalations.emplace_back(m.get<std::int64_t>());
        }
    }
    if (auto s = pf.result(); !s)
      for (const FieldError& e : s.error().fields) f.bad(at + "." + e.field, e.message);
    else if (*priority < 1 || *priority > kMajorPriority)
      f.bad(at + ".priority", "da 1 a 6");
    else if (!out.emplace(static_cast<int>(*priority), std::move(t)).second)
      f.bad(at + ".priority", "priorità ripetuta");
  }
  return out;
}

Result<DeskSettings> settingsFrom(const Json& body) {
  JsonFields f(body, "configurazione non valida");
  DeskSettings d;
  d.settings.opening_hours = f.text("opening_hours", Need::kRequired).value_or("");
  if (!f.isNull("calendar_ente")) d.settings.calendar_ente = f.text("calendar_ente");
  d.settings.reopen_days = static_cast<int>(f.integer("reopen_days", Need::kRequired).value_or(0));
  if (!f.isNull("notify_email")) d.settings.notify_email = f.text("notify_email");
  d.targets = targetsFrom(body, "policies", true, f);
  d.ola = targetsFrom(body, "ola", false, f);
  if (!body.contains("groups") || !body["groups"].is_array()) {
    f.bad("groups", "atteso l'elenco dei gruppi di assegnazione");
  } else {
    for (const Json& g : body["groups"]) {
      if (!g.is_string()) {
        f.bad("groups", "atteso un elenco di nomi");
        break;
      }
      d.groups.push_back(g.get<std::string>());
    }
  }
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return d;
}

}  // namespace

void addSettingsRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/settings",
      "The desk's calendar (opening hours, seat whose patron saint closes it), reopen window, "
      "mailbox, SLA targets per priority and the assigned groups' OLA targets (business "
      "minutes), assignment groups",
      kTag, [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kWork); !s)
          return http::problem(s.error());
        return api::respond(service.deskSettings(), settingsJson);
      }));
  p.router.add(http::Route::put(
      "/api/v1/helpdesk/settings",
      "Replace the desk's configuration (cst_admin); open tickets' SLAs are evaluated again", kTag,
      [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kAdmin); !s)
          return http::problem(s.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto in = settingsFrom(*body);
        if (!in) return http::problem(in.error());
        return api::respond(service.saveDeskSettings(*in, actorOf(p, req)), settingsJson);
      }));
}

}  // namespace cst::helpdesk
