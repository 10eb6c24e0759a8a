// The engine's status, the endpoint console, agent identities and the watch job.
#include <spdlog/spdlog.h>

#include "common/crypto.hpp"
#include "platform/platform.hpp"
#include "service.hpp"

namespace cst::antivirus {

namespace {

std::string endpointKey(std::int64_t id, const std::string& alert) {
  return "endpoint:" + std::to_string(id) + ":" + alert;
}

std::string hoursText(int hours) { return std::to_string(hours) + " ore"; }

nlohmann::json supervisorJson(const scan::ClamdHealth& h) {
  nlohmann::json j{{"running", h.running},     {"pid", h.pid},
                   {"restarts", h.restarts},   {"last_error", h.last_error},
                   {"running_since", nullptr}, {"last_startup_ms", nullptr}};
  if (h.running_since)
    j["running_since"] =
        formatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(*h.running_since));
  if (h.last_startup_time) j["last_startup_ms"] = h.last_startup_time->count();
  return j;
}

}  // namespace

nlohmann::json toJson(const EngineStatus& s) {
  using nlohmann::json;
  json age;
  if (s.signature_date) age = ageHours(*s.signature_date, s.checked_at);
  return {{"reachable", s.reachable},
          {"endpoint", s.endpoint},
          {"engine_version", s.engine_version ? json(*s.engine_version) : json()},
          {"signature_version", s.signature_version ? json(*s.signature_version) : json()},
          {"signature_date", s.signature_date ? json(formatTimestamp(*s.signature_date)) : json()},
          {"signature_age_hours", age},
          {"signatures", freshnessName(s.signatures)},
          {"max_age_hours", s.max_age_hours},
          {"max_stream_bytes", s.max_stream_bytes},
          {"oversize", uploads::toString(s.oversize)},
          {"supervised", !s.supervisor.is_null()},
          {"supervisor", s.supervisor},
          {"error", s.error ? json(*s.error) : json()},
          {"checked_at", formatTimestamp(s.checked_at)}};
}

EngineStatus Service::engine() {
  EngineStatus s;
  s.checked_at = now();
  auto st = settings();
  s.max_age_hours = st ? st->engine_max_age_hours : Settings{}.engine_max_age_hours;
  s.max_stream_bytes = p_.config.max_stream_bytes;
  s.oversize = p_.uploads->oversizePolicy();
  s.endpoint = p_.config.clamd;
  if (p_.clamd) {
    s.endpoint = p_.clamd->scannerOptions().endpoint;
    s.supervisor = supervisorJson(p_.clamd->health());
  }
  if (!p_.scanner) {
    s.error = "antivirus non configurato o non avviato";
    return s;
  }
  auto info = p_.scanner->engineInfo();
  if (!info) {
    s.error = info.error().detail;
    return s;
  }
  s.reachable = true;
  s.engine_version = info->engine_version;
  s.signature_version = info->signature_version;
  if (info->signature_date) s.signature_date = parseClamdDate(*info->signature_date);
  s.signatures = freshnessOf(s.signature_date, s.max_age_hours, s.checked_at);
  return s;
}

Result<Endpoint> Service::report(const std::string& ente, const EndpointReport& r,
                                 const audit::Entry&) {
  if (!p_.enti->get(ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
  // Reports are telemetry, several a day from every PC: the endpoint row is their record, the
  // audit log keeps the changes people make (retire, tokens).
  return p_.db->transact<Endpoint>(
      db::TxMode::kWrite, [&](db::Tx& tx) { return store::saveReport(tx, ente, r, now()); });
}

Result<std::vector<Endpoint>> Service::endpoints(const Visibility& v, const ListQuery& q,
                                                 std::optional<EndpointStatus> status) {
  auto st = settings();
  if (!st) return tl::unexpected(st.error());
  return p_.db->transact<std::vector<Endpoint>>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::listEndpoints(tx, scopeOf(v, q), status, *st, now());
  });
}

Result<std::vector<EnteSummary>> Service::summary(const Visibility& v) {
  auto st = settings();
  if (!st) return tl::unexpected(st.error());
  auto counts = p_.db->transact<std::vector<store::EnteCounts>>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::countByEnte(tx, scopeOf(v, {}), *st, now());
  });
  if (!counts) return tl::unexpected(counts.error());
  std::vector<EnteSummary> out;
  for (const store::EnteCounts& c : *counts)
    out.push_back({c.ente, p_.enti->name(c.ente), c.protected_, c.outdated, c.silent});
  return out;
}

Status Service::retire(std::int64_t id, const Visibility& v, const audit::Entry& who) {
  auto found = p_.db->transact<std::optional<Endpoint>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::endpoint(tx, id); });
  if (!found) return tl::unexpected(found.error());
  if (!*found || !v.sees((*found)->ente))
    return fail(ErrorCode::kNotFound, "postazione non trovata");
  const Endpoint& e = **found;
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    if (auto s = store::deleteEndpoint(tx, id); !s) return s;
    audit::Entry a = who;
    a.ente = e.ente;
    a.action = "antivirus.endpoint.retire";
    a.object_type = "antivirus_endpoint";
    a.object_id = std::to_string(id);
    a.detail = {{"hostname", e.report.hostname}};
    return audit::append(tx, a, now());
  });
  if (!s) return s;
  if (!e.alert.empty())
    (void)recoverTicket(e.ente, endpointKey(e.id, e.alert),
                        "Postazione " + e.report.hostname + " dismessa da " + who.actor);
  return {};
}

Result<AgentToken> Service::createAgent(const std::string& ente, const std::string& name,
                                        const auth::Principal& actor, const audit::Entry& who) {
  if (name.empty() || name.size() > 100) return failField("name", "da 1 a 100 caratteri");
  if (!p_.enti->get(ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
  auth::NewUser u;
  // Unique without asking: agents are many and their names are the Comune's own.
  u.username = "agent-" + ente + "-" + randomToken(6);
  u.display_name = "Agente antivirus: " + name;
  // Nobody logs in as an agent: it authenticates with its token only.
  u.password = randomToken(32);
  u.grants = {{auth::Role::kAgent, ente}};
  auto user = p_.identity->createUser(u, &actor, who);
  if (!user) return tl::unexpected(user.error());
  auto token = p_.identity->createApiToken(user->id, name, actor, who);
  if (!token) return tl::unexpected(token.error());
  return AgentToken{*token, user->id, user->username};
}

Result<std::string> Service::centreEnte() {
  std::lock_guard lock(centre_mu_);
  if (centre_) return *centre_;
  auto page = p_.enti->list(true, {}, std::nullopt, std::nullopt, 200);
  if (!page) return tl::unexpected(page.error());
  for (const enti::Ente& e : page->items)
    if (e.kind == "provincia") centre_ = e.istat;
  if (!centre_ && !page->items.empty()) centre_ = page->items.front().istat;
  if (!centre_) return fail(ErrorCode::kNotFound, "nessun ente registrato");
  return *centre_;
}

Result<WatchRun> Service::watch() {
  WatchRun run;
  const EngineStatus engine_now = engine();
  run.engine_alert = !engine_now.reachable                        ? "down"
                     : engine_now.signatures == Freshness::kStale ? "stale"
                                                                  : "";
  auto previous = p_.db->transact<std::string>(db::TxMode::kRead,
                                               [](db::Tx& tx) { return store::engineAlert(tx); });
  if (!previous) return tl::unexpected(previous.error());
  if (*previous != run.engine_alert) {
    auto centre = centreEnte();
    if (!centre) return tl::unexpected(centre.error());
    std::optional<std::int64_t> ticket;
    Event ev{0, *centre, EventKind::kEngineUp, "", "", {}, {}};
    if (!previous->empty()) {
      const bool was_down = *previous == "down";
      ev.kind = was_down ? EventKind::kEngineUp : EventKind::kEngineFresh;
      ev.subject = was_down ? "Antivirus del CST di nuovo raggiungibile"
                            : "Firme antivirus del CST aggiornate";
      ev.detail = "Verifica del " + formatTimestamp(engine_now.checked_at);
      auto noted = recoverTicket(*centre, "engine:" + *previous, ev.subject);
      if (noted && *noted) ticket = **noted;
      ++run.recovered;
    }
    if (!run.engine_alert.empty()) {
      const bool down = run.engine_alert == "down";
      ev.kind = down ? EventKind::kEngineDown : EventKind::kEngineStale;
      ev.subject =
          down ? "Antivirus del CST non raggiungibile" : "Firme antivirus del CST non aggiornate";
      ev.detail = down ? "clamd non risponde: " + engine_now.error.value_or("")
                       : "Firme del " + formatTimestamp(*engine_now.signature_date) +
                             ", più vecchie di " + hoursText(engine_now.max_age_hours) +
                             ": verificare freshclam.";
      auto raised = raiseTicket(*centre, "engine:" + run.engine_alert, ev.subject, ev.detail, 5);
      if (!raised) return tl::unexpected(raised.error());
      ticket = *raised;
      ++run.raised;
    }
    ev.ticket_id = ticket;
    auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      if (auto s = record(tx, ev); !s) return s;
      return store::setEngineAlert(tx, run.engine_alert);
    });
    if (!s) return tl::unexpected(s.error());
  }

  auto st = settings();
  if (!st) return tl::unexpected(st.error());
  const TimePoint at = now();
  auto watched = p_.db->transact<std::vector<Endpoint>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::endpointsToWatch(tx, *st, at); });
  if (!watched) return tl::unexpected(watched.error());
  for (const Endpoint& e : *watched)
    if (auto s = watchEndpoint(e, statusOf(e, *st, at), run); !s) return tl::unexpected(s.error());
  return run;
}

Status Service::watchEndpoint(const Endpoint& e, EndpointStatus status, WatchRun& run) {
  const std::string want =
      status == EndpointStatus::kProtected ? "" : std::string(endpointStatusName(status));
  if (want == e.alert) return {};
  const std::string& host = e.report.hostname;
  Event ev{0, e.ente, EventKind::kEndpointOk, "", "", {}, {}};
  if (!e.alert.empty()) {
    ev.subject = "Postazione " + host + " di nuovo protetta";
    ev.detail = "Ultimo rapporto: " + formatTimestamp(e.last_report_at);
    auto noted = recoverTicket(e.ente, endpointKey(e.id, e.alert), ev.subject);
    if (noted && *noted) ev.ticket_id = **noted;
    ++run.recovered;
  }
  if (!want.empty()) {
    const bool silent = status == EndpointStatus::kSilent;
    ev.kind = silent ? EventKind::kEndpointSilent : EventKind::kEndpointOutdated;
    ev.subject = silent ? "Postazione " + host + " silente" : "Antivirus non aggiornato su " + host;
    ev.detail = silent ? "Nessun rapporto dal " + formatTimestamp(e.last_report_at)
                       : (e.report.signature_updated_at
                              ? "Firme del " + formatTimestamp(*e.report.signature_updated_at)
                              : std::string("Data delle firme non comunicata")) +
                             " (" + e.report.product.value_or("prodotto non indicato") + ")";
    auto raised = raiseTicket(e.ente, endpointKey(e.id, want), ev.subject, ev.detail, 3);
    if (!raised) return tl::unexpected(raised.error());
    ev.ticket_id = *raised;
    ++run.raised;
  }
  return p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    if (auto s = record(tx, ev); !s) return s;
    return store::setEndpointAlert(tx, e.id, want);
  });
}

}  // namespace cst::antivirus
