#include "service.hpp"

#include <algorithm>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/text.hpp"
#include "service_kit.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

const Actor kSlaJob{std::nullopt, "Monitoraggio SLA", false, false, {}};

// Another module's monitoring, acting through MonitoringDesk.
Actor monitoringActor(const std::string& source) {
  audit::Entry who;
  who.actor = "system";
  who.request_id = "monitoring:" + source;
  return Actor{std::nullopt, "Monitoraggio " + source, false, false, who};
}

}  // namespace

bool Visibility::sees(const Ticket& t) const { return sees(t.ente, t.requester_id); }

bool Visibility::sees(const std::string& ente, const std::optional<std::int64_t>& requester) const {
  if (!all_enti && !enti.count(ente)) return false;
  return !only_requester || requester == *only_requester;
}

Visibility visibilityFor(const auth::Policy& policy, const auth::Principal& who) {
  const auth::EnteScope read = policy.scope(who, action::kRead);
  Visibility v{read.all, read.enti, std::nullopt, false};
  if (read.own_only) v.only_requester = who.user_id;
  v.internal_notes = !policy.scope(who, action::kWork).empty();
  return v;
}

Service::Service(db::Database& db, const Clock& clock, enti::Registry& enti,
                 auth::Identity& identity, const auth::Policy& policy)
    : db_(db), clock_(clock), enti_(enti), identity_(identity), policy_(policy) {}

namespace {
// Long enough to spare two queries on every write under load, short enough that another
// instance's change of the settings shows within seconds.
constexpr auto kSlaContextTtl = std::chrono::seconds(5);
}  // namespace

void Service::forgetSettings() {
  std::lock_guard lock(sla_cache_mutex_);
  sla_cache_.reset();
}

Result<Service::SlaContext> Service::slaContext(db::Tx& tx) {
  const auto wall = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(sla_cache_mutex_);
    if (sla_cache_ && wall - sla_cache_at_ < kSlaContextTtl) return *sla_cache_;
  }
  auto s = store::settings(tx);
  if (!s) return tl::unexpected(s.error());
  auto hours = calendar::OpeningHours::parse(s->opening_hours, "opening_hours");
  if (!hours) return tl::unexpected(hours.error());
  calendar::CalendarConfig days;
  if (s->calendar_ente) {
    auto seat = enti_.get(*s->calendar_ente);
    if (seat) days = enti::calendarConfig(*seat);
  }
  auto targets = store::slaTargets(tx);
  if (!targets) return tl::unexpected(targets.error());
  auto ola = store::olaTargets(tx);
  if (!ola) return tl::unexpected(ola.error());
  auto groups = store::groups(tx);
  if (!groups) return tl::unexpected(groups.error());
  SlaContext ctx{std::move(*s), BusinessCalendar{*hours, days}, std::move(*targets),
                 std::move(*ola), std::set<std::string>(groups->begin(), groups->end())};
  std::lock_guard lock(sla_cache_mutex_);
  sla_cache_ = ctx;
  sla_cache_at_ = wall;
  return ctx;
}

namespace {

// The OLA view of the group holding `t`, if one does.
std::optional<SlaView> olaView(const Ticket& t, TimePoint now, const BusinessCalendar& cal,
                               const std::map<int, SlaTargets>& ola) {
  const auto clock = groupClockOf(t);
  const auto target = ola.find(t.priority);
  if (!clock || target == ola.end()) return std::nullopt;
  return evaluate(target->second, *clock, now, cal);
}

}  // namespace

Status Service::refreshSla(db::Tx& tx, Ticket& t, TimePoint now, const SlaContext& ctx,
                           std::vector<Event>* batch) {
  auto target = ctx.targets.find(t.priority);
  if (target == ctx.targets.end())
    return fail(ErrorCode::kInternal, "no SLA policy for priority " + std::to_string(t.priority));
  const SlaView v = evaluate(target->second, clockOf(t), now, ctx.cal);
  const std::optional<SlaView> ola = olaView(t, now, ctx.cal, ctx.ola);
  const std::string at = formatTimestamp(now);
  // SLA events are for the desk (internal): the requester sees the due times, not the alarms.
  auto record = [&](const std::string& body, json data) -> Status {
    Event e = eventOf(t, EventKind::kSla, false, kSlaJob, at, body, std::move(data));
    if (batch) {
      batch->push_back(std::move(e));
    } else if (auto id = store::insertEvent(tx, e); !id) {
      return tl::unexpected(id.error());
    }
    return notify(tx, t, Notice::kSlaAlarm, kSlaJob, body, ctx, now);
  };
  if (v.own == SlaStatus::kBreached && t.sla_own != SlaStatus::kBreached && !t.owned_at)
    if (auto s = record("Tempo di presa in carico superato", {{"sla", "own"}, {"due", t.due_own}});
        !s)
      return s;
  if (v.escalation_level > t.escalation_level)
    if (auto s = record("Escalation di livello " + std::to_string(v.escalation_level),
                        {{"sla", "resolve"}, {"escalation_level", v.escalation_level}});
        !s)
      return s;
  if (v.resolve == SlaStatus::kBreached && t.sla_resolve != SlaStatus::kBreached && !t.solved_at)
    if (auto s = record("Tempo di risoluzione superato",
                        {{"sla", "resolve"}, {"due", formatTimestamp(v.due_resolve)}});
        !s)
      return s;
  if (ola) {
    // The group's alarms, once each while the group holds the ticket (a new group starts clean).
    const std::string group = t.assignee_group.value_or("");
    if (ola->own == SlaStatus::kBreached && t.ola_own != SlaStatus::kBreached && !t.group_owned_at)
      if (auto s =
              record("OLA superato: presa in carico del gruppo " + group,
                     {{"ola", "own"}, {"group", group}, {"due", formatTimestamp(ola->due_own)}});
          !s)
        return s;
    if (ola->resolve == SlaStatus::kBreached && t.ola_resolve != SlaStatus::kBreached &&
        !t.solved_at)
      if (auto s = record(
              "OLA superato: risoluzione del gruppo " + group,
              {{"ola", "resolve"}, {"group", group}, {"due", formatTimestamp(ola->due_resolve)}});
          !s)
        return s;
  }
  applySla(t, v);
  applyOla(t, ola);
  // The job looks at the ticket again at the earlier of the two views' next changes.
  if (ola && ola->next_change && (!v.next_change || *ola->next_change < *v.next_change))
    t.sla_check_at = formatTimestamp(*ola->next_change);
  return {};
}

Result<Ticket> Service::visibleTicket(db::Tx& tx, std::int64_t id, const Visibility& v) {
  auto t = store::ticket(tx, id);
  if (!t) return tl::unexpected(t.error());
  if (!*t || !v.sees(**t)) return fail(ErrorCode::kNotFound, "ticket non trovato");
  return std::move(**t);
}

Result<TicketDetail> Service::detail(db::Tx& tx, Ticket t, const Visibility& v, TimePoint now,
                                     const SlaContext& ctx) {
  auto target = ctx.targets.find(t.priority);
  if (target == ctx.targets.end()) return fail(ErrorCode::kInternal, "no SLA policy");
  auto timeline = store::events(tx, t.id, v.internal_notes);
  if (!timeline) return tl::unexpected(timeline.error());
  SlaView sla = evaluate(target->second, clockOf(t), now, ctx.cal);
  auto watching = store::watchers(tx, t.id);
  if (!watching) return tl::unexpected(watching.error());
  auto linked = store::links(tx, t.id);
  if (!linked) return tl::unexpected(linked.error());
  auto rating = store::satisfaction(tx, t.id);
  if (!rating) return tl::unexpected(rating.error());
  std::erase_if(*linked,
                [&](const store::Link& l) { return !v.sees(l.other_ente, l.other_requester_id); });
  auto ola = olaView(t, now, ctx.cal, ctx.ola);
  return TicketDetail{std::move(t),         std::move(*timeline), std::move(sla),
                      std::move(*watching), std::move(*linked),   std::move(*rating),
                      std::move(ola)};
}

Result<TicketDetail> Service::open(const NewTicket& in, const Actor& by) {
  Problems p;
  Ticket t;
  t.ente = in.ente;
  t.type = in.type;
  t.channel = in.channel;
  t.subject = trimmed(in.subject);
  t.description = trimmed(in.description);
  if (t.subject.empty()) p.add("subject", "l'oggetto è obbligatorio");
  if (t.subject.size() > kMaxSubject) p.add("subject", "al massimo 200 caratteri");
  if (t.description.empty()) p.add("description", "la descrizione è obbligatoria");
  if (t.description.size() > kMaxText) p.add("description", "al massimo 20000 caratteri");
  if (!inLevels(in.urgency)) p.add("urgency", "da 1 (molto bassa) a 5 (molto alta)");
  if (!inLevels(in.impact)) p.add("impact", "da 1 (molto basso) a 5 (molto alto)");
  if (in.priority && !by.may_set_priority)
    p.add("priority", "solo chi ha il permesso può forzare la priorità");
  else if (in.priority && (*in.priority < 1 || *in.priority > kMajorPriority))
    p.add("priority", "da 1 (molto bassa) a 6 (critica)");
  if (t.channel != Channel::kPortal && !by.agent && by.user_id)
    p.add("channel", "solo il call center registra ticket da telefono, e-mail o monitoraggio");
  if ((in.requester_id || in.requester_name) && !by.agent && by.user_id)
    p.add("requester", "il richiedente è chi apre il ticket");
  if (in.requester_name && trimmed(*in.requester_name).empty())
    p.add("requester.name", "il nome del richiedente non può essere vuoto");
  if (p.any()) return tl::unexpected(p.error);

  t.urgency = in.urgency;
  t.impact = in.impact;
  t.priority = in.priority.value_or(priorityFor(in.urgency, in.impact));
  t.category_id = in.category_id;
  t.requester_id = by.agent || !by.user_id ? in.requester_id : by.user_id;
  t.requester_name = in.requester_name ? trimmed(*in.requester_name) : by.name;
  t.requester_email = in.requester_email;
  const TimePoint now = clock_.now();
  t.opened_at = t.updated_at = formatTimestamp(now);

  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    Event created;
    if (auto s = insertNew(tx, t, by, now, *ctx, &created); !s) return tl::unexpected(s.error());
    // A new ticket's detail is known without reading it back: its one event, no watchers,
    // links or rating (fewer statements while the write lock is held).
    auto target = ctx->targets.find(t.priority);
    if (target == ctx->targets.end()) return fail(ErrorCode::kInternal, "no SLA policy");
    SlaView sla = evaluate(target->second, clockOf(t), now, ctx->cal);
    return TicketDetail{t,  {std::move(created)}, std::move(sla), {},
                        {}, std::nullopt,         std::nullopt};
  });
}

Status Service::insertNew(db::Tx& tx, Ticket& t, const Actor& by, TimePoint now,
                          const SlaContext& ctx, Event* created) {
  if (t.category_id) {
    auto c = store::category(tx, *t.category_id);
    if (!c) return tl::unexpected(c.error());
    if (!*c) return failField("category_id", "categoria inesistente");
  }
  if (auto s = refreshSla(tx, t, now, ctx); !s) return s;
  auto id = store::insertTicket(tx, t);
  if (!id) {
    if (id.error().code == ErrorCode::kConflict && !t.monitoring_key)
      return failField("ente", "ente inesistente");
    return tl::unexpected(id.error());
  }
  t.id = *id;
  Event e = eventOf(t, EventKind::kCreated, true, by, t.opened_at, {},
                    {{"channel", channelName(t.channel)}, {"priority", t.priority}});
  auto ev = store::insertEvent(tx, e);
  if (!ev) return tl::unexpected(ev.error());
  e.id = *ev;
  if (created) *created = std::move(e);
  if (auto s = notify(tx, t, Notice::kOpened, by, {}, ctx, now); !s) return s;
  return audit::append(tx,
                       auditOf(by, t, "helpdesk.ticket.create",
                               {{"channel", channelName(t.channel)}, {"priority", t.priority}}),
                       now);
}

Result<TicketDetail> Service::get(std::int64_t id, const Visibility& v) {
  return db_.transact<TicketDetail>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    return detail(tx, std::move(*t), v, clock_.now(), *ctx);
  });
}

Result<std::vector<Ticket>> Service::list(const store::Filter& f) {
  return db_.transact<std::vector<Ticket>>(db::TxMode::kRead,
                                           [&](db::Tx& tx) { return store::tickets(tx, f); });
}

Result<std::string> Service::attachment(std::int64_t id, const std::string& upload_id,
                                        const Visibility& v) {
  // The timeline as this reader sees it (no internal notes for requesters), nothing more: the
  // ticket's SLA, watchers and links do not decide whether a file may be downloaded.
  return db_.transact<std::string>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<std::string> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    auto timeline = store::events(tx, id, v.internal_notes);
    if (!timeline) return tl::unexpected(timeline.error());
    for (const Event& e : *timeline) {
      if (e.kind != EventKind::kAttachment) continue;
      const json data = json::parse(e.data, nullptr, false);
      if (data.is_object() && data.value("upload_id", "") == upload_id) return upload_id;
    }
    return fail(ErrorCode::kNotFound, "allegato non trovato");
  });
}

Result<std::vector<store::Category>> Service::categories() {
  return db_.transact<std::vector<store::Category>>(
      db::TxMode::kRead, [](db::Tx& tx) { return store::categories(tx); });
}

namespace {

// Applies a state move to the SLA clocks: pending pauses the time to resolve, an assignment stops
// the time to own, a reopen resumes the clock without counting the time the ticket sat solved.
void moveState(Ticket& t, State to, TimePoint now, const BusinessCalendar& cal) {
  const std::string at = formatTimestamp(now);
  // A pause ends: its business minutes leave both clocks (the group's from when it took over).
  auto resume = [&](const std::string& since) {
    const TimePoint from = timeOf(since);
    t.paused_minutes += businessMinutes(from, now, cal).count();
    if (t.group_since)
      t.group_paused_minutes +=
          businessMinutes(std::max(from, timeOf(*t.group_since)), now, cal).count();
  };
  if (t.state == State::kPending && t.pending_since) {
    resume(*t.pending_since);
    t.pending_since.reset();
  }
  if (t.state == State::kSolved && to != State::kClosed && t.solved_at) {
    resume(*t.solved_at);
    t.solved_at.reset();
    ++t.reopen_count;
  }
  // Taken in charge by an assignment, by work beginning, or by the solution itself (a call
  // solved at first contact was owned at once: its time to own must not breach afterwards).
  const bool taken = to == State::kAssigned || to == State::kInProgress || to == State::kSolved;
  if (taken && !t.owned_at) t.owned_at = at;
  // The group holding the ticket has taken it when work begins or it is solved.
  if (taken && to != State::kAssigned && t.group_since && !t.group_owned_at) t.group_owned_at = at;
  if (to == State::kPending) t.pending_since = at;
  if (to == State::kSolved) t.solved_at = at;
  if (to == State::kClosed) t.closed_at = at;
  t.state = to;
}

}  // namespace

Status Service::moveWithEvent(db::Tx& tx, Ticket& t, State to, const Actor& by, TimePoint now,
                              const std::string& reason, const SlaContext& ctx) {
  const State from = t.state;
  moveState(t, to, now, ctx.cal);
  auto ev = store::insertEvent(
      tx, eventOf(t, EventKind::kState, true, by, formatTimestamp(now), {},
                  {{"from", stateName(from)}, {"to", stateName(to)}, {"reason", reason}}));
  if (!ev) return tl::unexpected(ev.error());
  return refreshSla(tx, t, now, ctx);
}

Status checkChange(const TicketChange& c, const Actor& by) {
  Problems p;
  if (!by.agent &&
      (c.assignee_id || c.assignee_group || c.urgency || c.impact || c.priority || c.category_id))
    return fail(ErrorCode::kForbidden, "solo gli operatori del call center modificano il ticket");
  if (c.priority && !by.may_set_priority)
    p.add("priority", "solo chi ha il permesso può forzare la priorità");
  else if (c.priority && (*c.priority < 1 || *c.priority > kMajorPriority))
    p.add("priority", "da 1 (molto bassa) a 6 (critica)");
  if (c.urgency && !inLevels(*c.urgency)) p.add("urgency", "da 1 (molto bassa) a 5 (molto alta)");
  if (c.impact && !inLevels(*c.impact)) p.add("impact", "da 1 (molto basso) a 5 (molto alto)");
  if (p.any()) return tl::unexpected(p.error);
  return {};
}

Result<TicketDetail> Service::change(std::int64_t id, const TicketChange& c, const Actor& by,
                                     const Visibility& v) {
  if (auto s = checkChange(c, by); !s) return tl::unexpected(s.error());
  const TimePoint now = clock_.now();
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (auto changed = applyChange(tx, *t, c, by, now, *ctx); !changed)
      return tl::unexpected(changed.error());
    return detail(tx, std::move(*t), v, now, *ctx);
  });
}

Result<bool> Service::applyChange(db::Tx& tx, Ticket& t, const TicketChange& c, const Actor& by,
                                  TimePoint now, const SlaContext& ctx) {
  const std::string at = formatTimestamp(now);
  const Ticket before = t;
  std::vector<Event> events;
  json changed = json::object();

  if (c.category_id) {
    auto cat = store::category(tx, *c.category_id);
    if (!cat) return tl::unexpected(cat.error());
    if (!*cat) return failField("category_id", "categoria inesistente");
    t.category_id = c.category_id;
    changed["category_id"] = *c.category_id;
  }
  if (c.assignee_id || c.assignee_group) {
    if (c.assignee_group && *c.assignee_group && *c.assignee_group != before.assignee_group &&
        !ctx.groups.count(**c.assignee_group))
      return failField("assignee_group", "gruppo inesistente: " + **c.assignee_group);
    if (c.assignee_id) t.assignee_id = *c.assignee_id;
    if (c.assignee_group) t.assignee_group = *c.assignee_group;
    // A new group starts its OLA clocks; a person assigned while a group holds the ticket has
    // taken it for the group.
    if (t.assignee_group != before.assignee_group) {
      t.group_since = t.assignee_group ? std::optional(at) : std::nullopt;
      t.group_owned_at.reset();
      t.group_paused_minutes = 0;
      t.ola_own = t.ola_resolve = std::nullopt;
    }
    if (t.group_since && t.assignee_id && !t.group_owned_at) t.group_owned_at = at;
    // Sending the current assignment again changes nothing and records nothing.
    if (t.assignee_id != before.assignee_id || t.assignee_group != before.assignee_group) {
      json data{{"assignee_id", t.assignee_id ? json(*t.assignee_id) : json()},
                {"assignee_group", t.assignee_group ? json(*t.assignee_group) : json()}};
      events.push_back(eventOf(t, EventKind::kAssignment, true, by, at, {}, data));
      changed["assignee"] = data;
      // Assigning a new ticket takes it in charge (GLPI: assignment -> "processing (assigned)").
      if (t.state == State::kNew && (t.assignee_id || t.assignee_group) && !c.state) {
        moveState(t, State::kAssigned, now, ctx.cal);
        events.push_back(
            eventOf(t, EventKind::kState, true, by, at, {}, {{"from", "new"}, {"to", "assigned"}}));
      }
    }
  }
  if (c.state && *c.state != t.state) {
    const State from = t.state;
    if (!canMove(from, *c.state))
      return failField("state", "passaggio non consentito da " + std::string(stateName(from)) +
                                    " a " + std::string(stateName(*c.state)));
    if (!by.agent) {
      // The requester confirms the solution (closed) or reopens it within the window.
      if (!by.user_id || t.requester_id != by.user_id)
        return fail(ErrorCode::kForbidden,
                    "solo chi ha aperto la segnalazione conferma la soluzione o la riapre");
      if (from != State::kSolved)
        return fail(ErrorCode::kForbidden, "solo gli operatori cambiano lo stato del ticket");
      if (*c.state == State::kInProgress && t.solved_at &&
          now - timeOf(*t.solved_at) > std::chrono::days(ctx.settings.reopen_days))
        return fail(Error{ErrorCode::kRuleViolated,
                          "il ticket è stato risolto da più di " +
                              std::to_string(ctx.settings.reopen_days) +
                              " giorni: aprine uno nuovo",
                          {{"state", "riapertura fuori tempo"}},
                          {}});
    }
    moveState(t, *c.state, now, ctx.cal);
    events.push_back(eventOf(t, EventKind::kState, true, by, at, {},
                             {{"from", stateName(from)}, {"to", stateName(*c.state)}}));
    changed["state"] = {{"from", stateName(from)}, {"to", stateName(*c.state)}};
  }
  if (c.urgency) t.urgency = *c.urgency;
  if (c.impact) t.impact = *c.impact;
  if (t.urgency != before.urgency || t.impact != before.impact)
    changed["urgency_impact"] = {{"urgency", t.urgency}, {"impact", t.impact}};
  // A new urgency or impact moves the priority along the matrix, unless it had been forced
  // (it differs from what the matrix gave): an override stays until it is changed explicitly.
  const bool forced = before.priority != priorityFor(before.urgency, before.impact);
  int priority = t.priority;
  if (c.priority)
    priority = *c.priority;
  else if (changed.contains("urgency_impact") && !forced)
    priority = priorityFor(t.urgency, t.impact);
  if (priority != t.priority) {
    events.push_back(eventOf(t, EventKind::kPriority, true, by, at, {},
                             {{"from", t.priority}, {"to", priority}}));
    changed["priority"] = {{"from", t.priority}, {"to", priority}};
    t.priority = priority;
  }
  if (changed.empty()) return false;

  t.updated_at = at;
  if (auto s = refreshSla(tx, t, now, ctx); !s) return tl::unexpected(s.error());
  if (auto s = store::updateTicket(tx, t); !s) {
    if (s.error().code == ErrorCode::kConflict)
      return failField("assignee_id", "utente inesistente");
    return tl::unexpected(s.error());
  }
  for (const Event& e : events)
    if (auto r = store::insertEvent(tx, e); !r) return tl::unexpected(r.error());
  if (auto s = audit::append(tx, auditOf(by, before, "helpdesk.ticket.update", changed), now); !s)
    return tl::unexpected(s.error());
  if (t.state != before.state)
    if (auto s = notify(tx, t, Notice::kStateChanged, by, {}, ctx, now); !s)
      return tl::unexpected(s.error());
  return true;
}

Result<TicketDetail> Service::comment(std::int64_t id, const std::string& body, bool internal,
                                      const Actor& by, const Visibility& v) {
  const std::string text = trimmed(body);
  if (text.empty()) return failField("body", "il testo è obbligatorio");
  if (text.size() > kMaxText) return failField("body", "al massimo 20000 caratteri");
  if (internal && !by.agent)
    return fail(ErrorCode::kForbidden, "solo gli operatori scrivono note interne");
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto found = visibleTicket(tx, id, v);
    if (!found) return tl::unexpected(found.error());
    Ticket t = std::move(*found);
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (t.state == State::kClosed)
      return fail(Error{ErrorCode::kRuleViolated,
                        "il ticket è chiuso: aprine uno nuovo",
                        {{"body", "ticket chiuso"}},
                        {}});
    auto ev = store::insertEvent(
        tx, eventOf(t, internal ? EventKind::kNote : EventKind::kReply, !internal, by, at, text));
    if (!ev) return tl::unexpected(ev.error());
    if (!internal)
      if (auto s = notify(tx, t, by.agent ? Notice::kDeskReply : Notice::kRequesterReply, by, text,
                          *ctx, now);
          !s)
        return tl::unexpected(s.error());
    // The requester's answer resumes a ticket waiting for them (the SLA clock restarts).
    if (!by.agent && t.state == State::kPending)
      if (auto s = moveWithEvent(tx, t, State::kInProgress, by, now, "reply", *ctx); !s)
        return tl::unexpected(s.error());
    if (by.agent && !internal) ++t.desk_replies;
    t.updated_at = at;
    if (auto s = store::updateTicket(tx, t); !s) return tl::unexpected(s.error());
    if (auto s = audit::append(
            tx, auditOf(by, t, "helpdesk.ticket.comment", {{"internal", internal}}), now);
        !s)
      return tl::unexpected(s.error());
    return detail(tx, std::move(t), v, now, *ctx);
  });
}

namespace {
Status recordAttachment(db::Tx& tx, const Ticket& t, const uploads::Upload& u, const Actor& by,
                        const std::string& at, TimePoint now) {
  json data{{"upload_id", u.id},
            {"filename", u.filename},
            {"content_type", u.content_type},
            {"size", u.size},
            {"sha256", u.sha256}};
  auto ev = store::insertEvent(tx, eventOf(t, EventKind::kAttachment, true, by, at, {}, data));
  if (!ev) return tl::unexpected(ev.error());
  return audit::append(tx, auditOf(by, t, "helpdesk.ticket.attach", data), now);
}
}  // namespace

Result<TicketDetail> Service::attach(std::int64_t id, const uploads::Upload& u, const Actor& by,
                                     const Visibility& v) {
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto found = visibleTicket(tx, id, v);
    if (!found) return tl::unexpected(found.error());
    Ticket t = std::move(*found);
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (auto s = recordAttachment(tx, t, u, by, at, now); !s) return tl::unexpected(s.error());
    t.updated_at = at;
    if (auto s = store::updateTicket(tx, t); !s) return tl::unexpected(s.error());
    return detail(tx, std::move(t), v, now, *ctx);
  });
}

Result<TicketDetail> Service::receiveMail(const InboundMail& mail, const Actor& by) {
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  const Visibility all{true, {}, std::nullopt, true};
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    Ticket t;
    if (mail.reply_to) {
      auto found = visibleTicket(tx, *mail.reply_to, all);
      if (!found) return tl::unexpected(found.error());
      t = std::move(*found);
      // A reply to a merged ticket belongs to the ticket it was merged into.
      for (int hops = 0; t.merged_into && hops < 8; ++hops) {
        auto into = visibleTicket(tx, *t.merged_into, all);
        if (!into) return tl::unexpected(into.error());
        t = std::move(*into);
      }
      auto ev = store::insertEvent(
          tx, eventOf(t, EventKind::kReply, true, by, at, mail.text, {{"channel", "email"}}));
      if (!ev) return tl::unexpected(ev.error());
      if (auto s = notify(tx, t, by.agent ? Notice::kDeskReply : Notice::kRequesterReply, by,
                          mail.text, *ctx, now);
          !s)
        return tl::unexpected(s.error());
      // As on the portal: the requester's answer ends a wait on them.
      if (!by.agent && t.state == State::kPending)
        if (auto s = moveWithEvent(tx, t, State::kInProgress, by, now, "reply", *ctx); !s)
          return tl::unexpected(s.error());
      if (auto s = audit::append(
              tx, auditOf(by, t, "helpdesk.ticket.comment", {{"channel", "email"}}), now);
          !s)
        return tl::unexpected(s.error());
    } else {
      const NewTicket& in = mail.ticket;
      t.ente = in.ente;
      t.channel = Channel::kEmail;
      t.subject = truncateUtf8(trimmed(in.subject), kMaxSubject);
      t.description = truncateUtf8(trimmed(in.description), kMaxText);
      t.urgency = in.urgency;
      t.impact = in.impact;
      t.priority = priorityFor(t.urgency, t.impact);
      t.requester_id = in.requester_id;
      t.requester_name = in.requester_name.value_or(by.name);
      t.requester_email = in.requester_email;
      t.opened_at = at;
      if (auto s = insertNew(tx, t, by, now, *ctx); !s) return tl::unexpected(s.error());
    }
    for (const uploads::Upload& u : mail.files)
      if (auto s = recordAttachment(tx, t, u, by, at, now); !s) return tl::unexpected(s.error());
    t.updated_at = at;
    if (auto s = store::updateTicket(tx, t); !s) return tl::unexpected(s.error());
    return detail(tx, std::move(t), all, now, *ctx);
  });
}

Result<std::int64_t> Service::raise(const MonitoringAlert& alert) {
  Problems p;
  for (auto [field, value] : {std::pair{"source", &alert.source}, std::pair{"key", &alert.key}})
    if (value->empty() || value->size() > 200) p.add(field, "da 1 a 200 caratteri");
  if (trimmed(alert.subject).empty() || alert.subject.size() > kMaxSubject)
    p.add("subject", "da 1 a 200 caratteri");
  if (alert.detail.size() > kMaxText) p.add("detail", "al massimo 20000 caratteri");
  if (!inLevels(alert.urgency)) p.add("urgency", "da 1 a 5");
  if (!inLevels(alert.impact)) p.add("impact", "da 1 a 5");
  if (p.any()) return tl::unexpected(p.error);
  if (auto e = enti_.get(alert.ente); !e) return tl::unexpected(e.error());

  const Actor by = monitoringActor(alert.source);
  auto once = [&]() -> Result<std::int64_t> {
    const TimePoint now = clock_.now();
    return db_.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::int64_t> {
      auto open = store::openConditionTicket(tx, alert.ente, alert.source, alert.key);
      if (!open) return tl::unexpected(open.error());
      if (*open) return (*open)->id;
      Ticket t;
      t.ente = alert.ente;
      t.channel = Channel::kMonitoring;
      t.subject = trimmed(alert.subject);
      t.description = alert.detail.empty() ? t.subject : alert.detail;
      t.urgency = alert.urgency;
      t.impact = alert.impact;
      t.priority = priorityFor(t.urgency, t.impact);
      t.requester_name = by.name;
      t.monitoring_source = alert.source;
      t.monitoring_key = alert.key;
      t.opened_at = t.updated_at = formatTimestamp(now);
      auto ctx = slaContext(tx);
      if (!ctx) return tl::unexpected(ctx.error());
      if (auto s = insertNew(tx, t, by, now, *ctx); !s) return tl::unexpected(s.error());
      return t.id;
    });
  };
  auto id = once();
  // Raised at the same moment elsewhere: the unique index kept one ticket; answer with it.
  if (!id && id.error().code == ErrorCode::kConflict) id = once();
  return id;
}

Result<std::optional<std::int64_t>> Service::recover(const MonitoringRecovery& r) {
  const Actor by = monitoringActor(r.source);
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<std::optional<std::int64_t>>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::optional<std::int64_t>> {
        auto open = store::openConditionTicket(tx, r.ente, r.source, r.key);
        if (!open) return tl::unexpected(open.error());
        if (!*open) return std::optional<std::int64_t>{};
        Ticket t = std::move(**open);
        const std::string note = r.note.empty() ? "Condizione rientrata." : r.note;
        auto ev = store::insertEvent(tx, eventOf(t, EventKind::kReply, true, by, at, note));
        if (!ev) return tl::unexpected(ev.error());
        if (r.solve && canMove(t.state, State::kSolved)) {
          auto ctx = slaContext(tx);
          if (!ctx) return tl::unexpected(ctx.error());
          if (auto s = moveWithEvent(tx, t, State::kSolved, by, now, "recovered", *ctx); !s)
            return tl::unexpected(s.error());
        }
        t.updated_at = at;
        if (auto s = store::updateTicket(tx, t); !s) return tl::unexpected(s.error());
        if (auto s =
                audit::append(tx,
                              auditOf(by, t, "helpdesk.ticket.recover",
                                      {{"source", r.source}, {"key", r.key}, {"solved", r.solve}}),
                              now);
            !s)
          return tl::unexpected(s.error());
        return std::optional(t.id);
      });
}

Result<int> Service::evaluateSla(int batch) {
  // PostgreSQL: several lanes at once, each on tickets the others have not locked (store::slaDue
  // skips locked rows). The job's time there is the server's row updates (about 60 us each on
  // this project's 2-core machine): more connections put more cores to work, one lane more than
  // cores so that none idles while a lane waits for a round trip, at most four (the pool's other
  // connections serve the requests). Measured, 10,000 breaching tickets: 1.25 s with one lane,
  // 0.55-0.70 s with three. SQLite has one writer at a time: one lane.
  if (db_.dialect() != db::Dialect::kPostgres) return evaluateSlaLane(batch);
  const int lanes = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) + 1, 2, 4);
  std::vector<std::future<Result<int>>> others;
  for (int i = 1; i < lanes; ++i)
    others.push_back(
        std::async(std::launch::async, [this, batch] { return evaluateSlaLane(batch); }));
  Result<int> total = evaluateSlaLane(batch);
  for (auto& lane : others) {
    Result<int> n = lane.get();  // every lane is waited for, also after an error
    if (total && n)
      *total += *n;
    else if (total)
      total = std::move(n);
  }
  return total;
}

Result<int> Service::evaluateSlaLane(int batch) {
  int changed = 0;
  for (;;) {
    const TimePoint now = clock_.now();
    auto n = db_.transact<int>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<int> {
      auto due = store::slaDue(tx, formatTimestamp(now), batch);
      if (!due) return tl::unexpected(due.error());
      if (due->empty()) return 0;
      auto ctx = slaContext(tx);
      if (!ctx) return tl::unexpected(ctx.error());
      std::vector<Event> events;
      for (Ticket& t : *due)
        if (auto s = refreshSla(tx, t, now, *ctx, &events); !s) return tl::unexpected(s.error());
      if (auto s = store::insertEvents(tx, events); !s) return tl::unexpected(s.error());
      if (auto s = store::updateSla(tx, *due); !s) return tl::unexpected(s.error());
      return static_cast<int>(due->size());
    });
    if (!n) return tl::unexpected(n.error());
    changed += *n;
    if (*n < batch) return changed;
  }
}

namespace {

// The assigned group's OLA as stored on `t`; null while no group holds the ticket.
json olaJson(const Ticket& t) {
  if (!t.group_since || !t.ola_own || !t.ola_resolve || !t.ola_due_own || !t.ola_due_resolve)
    return json();
  return {{"group", t.assignee_group ? json(*t.assignee_group) : json()},
          {"since", *t.group_since},
          {"due_own", *t.ola_due_own},
          {"due_resolve", *t.ola_due_resolve},
          {"own", slaStatusName(*t.ola_own)},
          {"resolve", slaStatusName(*t.ola_resolve)}};
}

}  // namespace

json toJson(const Ticket& t) {
  auto optInt = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); };
  auto optText = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  return {{"id", t.id},
          {"ente", t.ente},
          {"type", typeName(t.type)},
          {"channel", channelName(t.channel)},
          {"category_id", optInt(t.category_id)},
          {"subject", t.subject},
          {"description", t.description},
          {"urgency", t.urgency},
          {"impact", t.impact},
          {"priority", t.priority},
          {"priority_label", priorityLabel(t.priority)},
          {"state", stateName(t.state)},
          {"requester",
           {{"id", optInt(t.requester_id)},
            {"name", t.requester_name},
            {"email", optText(t.requester_email)}}},
          {"assignee",
           {{"id", optInt(t.assignee_id)},
            {"name", optText(t.assignee_name)},
            {"group", optText(t.assignee_group)}}},
          {"merged_into", optInt(t.merged_into)},
          {"opened_at", t.opened_at},
          {"updated_at", t.updated_at},
          {"owned_at", optText(t.owned_at)},
          {"solved_at", optText(t.solved_at)},
          {"closed_at", optText(t.closed_at)},
          {"monitoring", t.monitoring_key
                             ? json{{"source", *t.monitoring_source}, {"key", *t.monitoring_key}}
                             : json()},
          {"sla",
           {{"due_own", t.due_own},
            {"due_resolve", t.due_resolve},
            {"own", slaStatusName(t.sla_own)},
            {"resolve", slaStatusName(t.sla_resolve)},
            {"escalation_level", t.escalation_level}}},
          {"ola", olaJson(t)}};
}

json toJson(const Event& e) {
  json data = json::parse(e.data, nullptr, false);
  return {{"id", e.id},
          {"at", e.at},
          {"kind", eventKindName(e.kind)},
          {"public", e.is_public},
          {"actor", {{"id", e.actor_id ? json(*e.actor_id) : json()}, {"name", e.actor_name}}},
          {"body", e.body},
          {"data", data.is_discarded() ? json::object() : data}};
}

json toJson(const TicketDetail& d) {
  json out = toJson(d.ticket);
  // The live view: the stored one is as of the last change or SLA job run.
  out["sla"] = {{"due_own", formatTimestamp(d.sla.due_own)},
                {"due_resolve", formatTimestamp(d.sla.due_resolve)},
                {"own", slaStatusName(d.sla.own)},
                {"resolve", slaStatusName(d.sla.resolve)},
                {"escalation_level", d.sla.escalation_level}};
  Ticket live = d.ticket;
  applyOla(live, d.ola);
  out["ola"] = olaJson(live);
  json timeline = json::array();
  for (const Event& e : d.timeline) timeline.push_back(toJson(e));
  out["timeline"] = std::move(timeline);
  json watchers = json::array();
  for (const store::Person& w : d.watchers) watchers.push_back({{"id", w.id}, {"name", w.name}});
  out["watchers"] = std::move(watchers);
  json links = json::array();
  for (const store::Link& l : d.links) links.push_back(toJson(l));
  out["links"] = std::move(links);
  out["satisfaction"] = d.satisfaction ? json{{"score", d.satisfaction->score},
                                              {"comment", d.satisfaction->comment},
                                              {"answered_at", d.satisfaction->answered_at}}
                                       : json();
  return out;
}

json toJson(const store::Link& l) {
  return {{"ticket_id", l.other_id},
          {"kind", linkKindName(l.kind)},
          {"subject", l.other_subject},
          {"state", stateName(l.other_state)},
          {"ente", l.other_ente}};
}

json toJson(const store::Category& c) {
  return {{"id", c.id},
          {"parent_id", c.parent_id ? json(*c.parent_id) : json()},
          {"service", c.service},
          {"name", c.name}};
}

}  // namespace cst::helpdesk
