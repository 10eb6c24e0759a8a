// The agents' console: bulk changes, watchers, links between tickets and merges. Each is one
// transaction with its timeline events and audit entries, like every other write of the desk.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "service.hpp"
#include "service_kit.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

Status deskOnly(const Actor& by, const char* what) {
  if (by.agent) return {};
  return fail(ErrorCode::kForbidden, std::string("solo il call center ") + what);
}

// The error of one ticket of a bulk change, naming it.
Error aboutTicket(std::int64_t id, Error e) {
  e.detail = "ticket #" + std::to_string(id) + ": " + e.detail;
  if (e.fields.empty()) e.fields.push_back({"ids", e.detail});
  return e;
}

}  // namespace

Status Service::record(db::Tx& tx, Ticket& t, Event e, const Actor& by, const std::string& action,
                       TimePoint now) {
  const json data = json::parse(e.data, nullptr, false);
  if (auto id = store::insertEvent(tx, e); !id) return tl::unexpected(id.error());
  t.updated_at = formatTimestamp(now);
  if (auto s = store::updateTicket(tx, t); !s) return s;
  return audit::append(tx, auditOf(by, t, action, data.is_discarded() ? json::object() : data),
                       now);
}

Result<std::vector<Ticket>> Service::bulkChange(const std::vector<std::int64_t>& ids,
                                                const TicketChange& c, const Actor& by,
                                                const Visibility& v) {
  if (auto s = deskOnly(by, "modifica più ticket insieme"); !s) return tl::unexpected(s.error());
  if (ids.empty() || ids.size() > 100) return failField("ids", "da 1 a 100 ticket");
  if (auto s = checkChange(c, by); !s) return tl::unexpected(s.error());
  std::vector<std::int64_t> unique = ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  const TimePoint now = clock_.now();
  return db_.transact<std::vector<Ticket>>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::vector<Ticket>> {
        auto ctx = slaContext(tx);
        if (!ctx) return tl::unexpected(ctx.error());
        std::vector<Ticket> out;
        for (std::int64_t id : unique) {
          auto t = visibleTicket(tx, id, v);
          if (!t) return tl::unexpected(aboutTicket(id, t.error()));
          if (auto changed = applyChange(tx, *t, c, by, now, *ctx); !changed)
            return tl::unexpected(aboutTicket(id, changed.error()));
          out.push_back(std::move(*t));
        }
        return out;
      });
}

Result<TicketDetail> Service::watch(std::int64_t id, std::int64_t user_id, bool add,
                                    const Actor& by, const Visibility& v) {
  // Who the watcher is and what they may see, decided before the ticket is read: a watcher gets
  // the ticket's mail, so it must be someone who may read the ticket.
  std::optional<Visibility> theirs;
  if (add) {
    auto user = identity_.userById(user_id);
    if (!user) return tl::unexpected(user.error());
    if (!*user || (*user)->disabled) return failField("user_id", "utente inesistente");
    auth::Principal p;
    p.user_id = (*user)->id;
    p.username = (*user)->username;
    p.grants = (*user)->grants;
    theirs = visibilityFor(policy_, p);
  }
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    // After the ticket: someone who cannot see it learns nothing from the answer.
    if (!by.agent && by.user_id != user_id)
      return fail(ErrorCode::kForbidden,
                  "solo il call center gestisce gli osservatori degli altri");
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (theirs && !theirs->sees(*t))
      return failField("user_id", "l'utente non può vedere questo ticket");
    auto changed =
        add ? store::addWatcher(tx, id, user_id, at) : store::removeWatcher(tx, id, user_id);
    if (!changed) return tl::unexpected(changed.error());
    if (*changed) {
      const json data{{"user_id", user_id}, {"added", add}};
      // Internal: who follows a ticket is the desk's business, not the requester's.
      if (auto s = record(tx, *t, eventOf(*t, EventKind::kWatcher, false, by, at, {}, data), by,
                          "helpdesk.ticket.watch", now);
          !s)
        return tl::unexpected(s.error());
    }
    return detail(tx, std::move(*t), v, now, *ctx);
  });
}

Result<TicketDetail> Service::link(std::int64_t id, std::int64_t other, LinkKind kind,
                                   const Actor& by, const Visibility& v) {
  return relink(id, other, kind, by, v);
}

Result<TicketDetail> Service::unlink(std::int64_t id, std::int64_t other, const Actor& by,
                                     const Visibility& v) {
  return relink(id, other, std::nullopt, by, v);
}

Result<TicketDetail> Service::relink(std::int64_t id, std::int64_t other,
                                     std::optional<LinkKind> kind, const Actor& by,
                                     const Visibility& v) {
  if (auto s = deskOnly(by, "collega i ticket"); !s) return tl::unexpected(s.error());
  if (kind && id == other) return failField("ticket_id", "un ticket non si collega a sé stesso");
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    auto o = visibleTicket(tx, other, v);
    if (!o && o.error().code == ErrorCode::kNotFound)
      return kind ? failField("ticket_id", "ticket inesistente")
                  : fail(ErrorCode::kNotFound, "collegamento non trovato");
    if (!o) return tl::unexpected(o.error());
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (kind) {
      if (auto s = store::saveLink(tx, id, other, *kind, at); !s) return tl::unexpected(s.error());
    } else {
      auto removed = store::removeLink(tx, id, other);
      if (!removed) return tl::unexpected(removed.error());
      if (!*removed) return fail(ErrorCode::kNotFound, "collegamento non trovato");
    }
    // Both timelines tell it, each from its own side.
    for (auto [self, peer, k] :
         {std::tuple{&*t, &*o, kind},
          std::tuple{&*o, &*t, kind ? std::optional(inverse(*kind)) : kind}}) {
      json data{{"ticket_id", peer->id}};
      if (k)
        data["kind"] = linkKindName(*k);
      else
        data["removed"] = true;
      if (auto s = record(tx, *self, eventOf(*self, EventKind::kLink, false, by, at, {}, data), by,
                          k ? "helpdesk.ticket.link" : "helpdesk.ticket.unlink", now);
          !s)
        return tl::unexpected(s.error());
    }
    return detail(tx, std::move(*t), v, now, *ctx);
  });
}

Result<TicketDetail> Service::merge(std::int64_t source, std::int64_t target, const Actor& by,
                                    const Visibility& v) {
  if (auto s = deskOnly(by, "unisce i ticket"); !s) return tl::unexpected(s.error());
  if (source == target) return failField("into", "un ticket non si unisce a sé stesso");
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto s = visibleTicket(tx, source, v);
    if (!s) return tl::unexpected(s.error());
    auto t = visibleTicket(tx, target, v);
    if (!t) {
      if (t.error().code == ErrorCode::kNotFound) return failField("into", "ticket inesistente");
      return tl::unexpected(t.error());
    }
    if (s->state == State::kClosed)
      return fail(Error{ErrorCode::kRuleViolated,
                        "il ticket è chiuso: non si può unire",
                        {{"id", "ticket chiuso"}},
                        {}});
    if (t->state == State::kClosed)
      return fail(Error{ErrorCode::kRuleViolated,
                        "il ticket di destinazione è chiuso",
                        {{"into", "ticket chiuso"}},
                        {}});
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());

    // The target's timeline gets what was said and sent on the source (GLPI's "merge as
    // follow-up"), each entry marked with where it came from.
    auto history = store::events(tx, s->id, true);
    if (!history) return tl::unexpected(history.error());
    auto merged = record(tx, *t,
                         eventOf(*t, EventKind::kMerge, true, by, at,
                                 "Unito il ticket #" + std::to_string(s->id) + " «" + s->subject +
                                     "»:\n\n" + s->description,
                                 {{"source", s->id}}),
                         by, "helpdesk.ticket.merge", now);
    if (!merged) return tl::unexpected(merged.error());
    for (Event e : *history) {
      if (e.kind != EventKind::kReply && e.kind != EventKind::kNote &&
          e.kind != EventKind::kAttachment)
        continue;
      json data = json::parse(e.data, nullptr, false);
      if (!data.is_object()) data = json::object();
      data["merged_from"] = s->id;
      e.ticket_id = t->id;
      e.data = data.dump();
      if (auto id = store::insertEvent(tx, e); !id) return tl::unexpected(id.error());
    }
    // Whoever followed the source follows the target.
    auto followers = store::watchers(tx, s->id);
    if (!followers) return tl::unexpected(followers.error());
    std::vector<std::int64_t> people;
    if (s->requester_id && s->requester_id != t->requester_id) people.push_back(*s->requester_id);
    for (const store::Person& p : *followers)
      if (p.id != t->requester_id) people.push_back(p.id);
    for (std::int64_t user : people)
      if (auto added = store::addWatcher(tx, t->id, user, at); !added)
        return tl::unexpected(added.error());
    if (auto l = store::saveLink(tx, s->id, t->id, LinkKind::kDuplicates, at); !l)
      return tl::unexpected(l.error());

    s->merged_into = t->id;
    for (State to : {State::kSolved, State::kClosed})
      if (s->state != to)
        if (auto m = moveWithEvent(tx, *s, to, by, now, "merged", *ctx); !m)
          return tl::unexpected(m.error());
    if (auto m = record(tx, *s,
                        eventOf(*s, EventKind::kMerge, true, by, at,
                                "Unito nel ticket #" + std::to_string(t->id), {{"target", t->id}}),
                        by, "helpdesk.ticket.merge", now);
        !m)
      return tl::unexpected(m.error());
    return detail(tx, std::move(*t), v, now, *ctx);
  });
}

}  // namespace cst::helpdesk
