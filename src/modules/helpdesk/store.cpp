#include "store.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "db/ente_scope.hpp"
#include "store_rows.hpp"

namespace cst::helpdesk::store {

using db::Params;
using db::Row;
using db::Value;

namespace {

constexpr const char* kTicketColumns =
    "id, ente, type, channel, category_id, subject, description, urgency, impact, priority, "
    "state, requester_id, requester_name, requester_email, assignee_id, assignee_group, "
    "opened_at, updated_at, owned_at, pending_since, paused_minutes, solved_at, closed_at, "
    "due_own, due_resolve, sla_own, sla_resolve, escalation_level, sla_check_at, "
    "monitoring_source, monitoring_key, merged_into, reopen_count, desk_replies, group_since, "
    "group_owned_at, group_paused_minutes, ola_due_own, ola_due_resolve, ola_own, ola_resolve";

std::optional<SlaStatus> optStatus(const std::optional<std::string>& text) {
  return text ? parseSlaStatus(*text) : std::nullopt;
}

db::Value optStatus(const std::optional<SlaStatus>& s) {
  return s ? db::Value{std::string(slaStatusName(*s))} : db::null();
}

}  // namespace

Ticket ticketOf(const Row& r) {
  Ticket t;
  t.id = r.integer(0);
  t.ente = r.text(1);
  t.type = parseType(r.text(2)).value_or(TicketType::kIncident);
  t.channel = parseChannel(r.text(3)).value_or(Channel::kPortal);
  t.category_id = r.optInteger(4);
  t.subject = r.text(5);
  t.description = r.text(6);
  t.urgency = static_cast<int>(r.integer(7));
  t.impact = static_cast<int>(r.integer(8));
  t.priority = static_cast<int>(r.integer(9));
  t.state = parseState(r.text(10)).value_or(State::kNew);
  t.requester_id = r.optInteger(11);
  t.requester_name = r.text(12);
  t.requester_email = r.optText(13);
  t.assignee_id = r.optInteger(14);
  t.assignee_group = r.optText(15);
  t.opened_at = r.text(16);
  t.updated_at = r.text(17);
  t.owned_at = r.optText(18);
  t.pending_since = r.optText(19);
  t.paused_minutes = r.integer(20);
  t.solved_at = r.optText(21);
  t.closed_at = r.optText(22);
  t.due_own = r.text(23);
  t.due_resolve = r.text(24);
  t.sla_own = parseSlaStatus(r.text(25)).value_or(SlaStatus::kRunning);
  t.sla_resolve = parseSlaStatus(r.text(26)).value_or(SlaStatus::kRunning);
  t.escalation_level = static_cast<int>(r.integer(27));
  t.sla_check_at = r.optText(28);
  t.monitoring_source = r.optText(29);
  t.monitoring_key = r.optText(30);
  t.merged_into = r.optInteger(31);
  t.reopen_count = static_cast<int>(r.integer(32));
  t.desk_replies = static_cast<int>(r.integer(33));
  t.group_since = r.optText(34);
  t.group_owned_at = r.optText(35);
  t.group_paused_minutes = r.integer(36);
  t.ola_due_own = r.optText(37);
  t.ola_due_resolve = r.optText(38);
  t.ola_own = optStatus(r.optText(39));
  t.ola_resolve = optStatus(r.optText(40));
  t.assignee_name = r.optText(41);
  return t;
}

namespace {

// Every column but id, in kTicketColumns order.
Params ticketValues(const Ticket& t) {
  return {t.ente,
          std::string(typeName(t.type)),
          std::string(channelName(t.channel)),
          opt(t.category_id),
          t.subject,
          t.description,
          std::int64_t{t.urgency},
          std::int64_t{t.impact},
          std::int64_t{t.priority},
          std::string(stateName(t.state)),
          opt(t.requester_id),
          t.requester_name,
          db::optionalText(t.requester_email),
          opt(t.assignee_id),
          db::optionalText(t.assignee_group),
          t.opened_at,
          t.updated_at,
          db::optionalText(t.owned_at),
          db::optionalText(t.pending_since),
          t.paused_minutes,
          db::optionalText(t.solved_at),
          db::optionalText(t.closed_at),
          t.due_own,
          t.due_resolve,
          std::string(slaStatusName(t.sla_own)),
          std::string(slaStatusName(t.sla_resolve)),
          std::int64_t{t.escalation_level},
          db::optionalText(t.sla_check_at),
          db::optionalText(t.monitoring_source),
          db::optionalText(t.monitoring_key),
          opt(t.merged_into),
          std::int64_t{t.reopen_count},
          std::int64_t{t.desk_replies},
          db::optionalText(t.group_since),
          db::optionalText(t.group_owned_at),
          t.group_paused_minutes,
          db::optionalText(t.ola_due_own),
          db::optionalText(t.ola_due_resolve),
          optStatus(t.ola_own),
          optStatus(t.ola_resolve)};
}

// kTicketColumns with the table alias, for queries that join.
std::string aliased(const char* alias) {
  std::string out;
  std::string_view cols = kTicketColumns;
  while (!cols.empty()) {
    const auto comma = cols.find(", ");
    out += std::string(out.empty() ? "" : ", ") + alias + "." + std::string(cols.substr(0, comma));
    cols = comma == std::string_view::npos ? "" : cols.substr(comma + 2);
  }
  return out;
}

}  // namespace

const std::string& selectTickets() {
  static const std::string sql = "SELECT " + aliased("t") +
                                 ", (SELECT u.display_name FROM users u WHERE u.id = t.assignee_id)"
                                 " FROM helpdesk_tickets t";
  return sql;
}

Result<Settings> settings(db::Tx& tx) {
  auto r = tx.one(
      "SELECT opening_hours, calendar_ente, reopen_days, notify_email FROM helpdesk_settings");
  if (!r) return tl::unexpected(r.error());
  return Settings{r->text(0), r->optText(1), static_cast<int>(r->integer(2)), r->optText(3)};
}

Status saveSettings(db::Tx& tx, const Settings& s, const std::string& now) {
  auto r = tx.exec(
      "UPDATE helpdesk_settings SET opening_hours = ?, calendar_ente = ?, reopen_days = ?, "
      "notify_email = ?, updated_at = ? WHERE id = 1",
      {s.opening_hours, db::optionalText(s.calendar_ente), std::int64_t{s.reopen_days},
       db::optionalText(s.notify_email), now});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<std::map<int, SlaTargets>> slaTargets(db::Tx& tx) {
  auto rows = tx.query(
      "SELECT priority, own_minutes, resolve_minutes, escalations FROM helpdesk_sla_policies");
  if (!rows) return tl::unexpected(rows.error());
  std::map<int, SlaTargets> out;
  for (const Row& r : *rows) {
    SlaTargets t{std::chrono::minutes(r.integer(1)), std::chrono::minutes(r.integer(2)), {}};
    const auto levels = nlohmann::json::parse(r.text(3), nullptr, false);
    if (levels.is_array())
      for (const auto& m : levels)
        if (m.is_number_integer()) t.escalations.emplace_back(m.get<int>());
    out[static_cast<int>(r.integer(0))] = std::move(t);
  }
  return out;
}

Status saveSlaTargets(db::Tx& tx, const std::map<int, SlaTargets>& targets,
                      const std::string& now) {
  for (const auto& [priority, t] : targets) {
    nlohmann::json levels = nlohmann::json::array();
    for (auto m : t.escalations) levels.push_back(m.count());
    auto n = tx.exec(
        "UPDATE helpdesk_sla_policies SET own_minutes = ?, resolve_minutes = ?, escalations = ?, "
        "updated_at = ? WHERE priority = ?",
        {std::int64_t{t.own.count()}, std::int64_t{t.resolve.count()}, levels.dump(), now,
         std::int64_t{priority}});
    if (!n) return tl::unexpected(n.error());
    if (*n != 1) return fail(ErrorCode::kInternal, "no SLA policy row for a priority");
  }
  return {};
}

Result<std::map<int, SlaTargets>> olaTargets(db::Tx& tx) {
  auto rows = tx.query("SELECT priority, own_minutes, resolve_minutes FROM helpdesk_ola_policies");
  if (!rows) return tl::unexpected(rows.error());
  std::map<int, SlaTargets> out;
  for (const Row& r : *rows)
    out[static_cast<int>(r.integer(0))] =
        SlaTargets{std::chrono::minutes(r.integer(1)), std::chrono::minutes(r.integer(2)), {}};
  return out;
}

Status saveOlaTargets(db::Tx& tx, const std::map<int, SlaTargets>& targets,
                      const std::string& now) {
  for (const auto& [priority, t] : targets) {
    auto n = tx.exec(
        "UPDATE helpdesk_ola_policies SET own_minutes = ?, resolve_minutes = ?, updated_at = ? "
        "WHERE priority = ?",
        {std::int64_t{t.own.count()}, std::int64_t{t.resolve.count()}, now,
         std::int64_t{priority}});
    if (!n) return tl::unexpected(n.error());
    if (*n != 1) return fail(ErrorCode::kInternal, "no OLA policy row for a priority");
  }
  return {};
}

Result<std::vector<std::string>> groups(db::Tx& tx) {
  return mapRows<std::string>(tx.query("SELECT name FROM helpdesk_groups ORDER BY name"),
                              [](const Row& r) { return r.text(0); });
}

Status saveGroups(db::Tx& tx, const std::vector<std::string>& names, const std::string& now) {
  if (auto r = tx.exec("DELETE FROM helpdesk_groups"); !r) return tl::unexpected(r.error());
  return inChunks(tx, names, "INSERT INTO helpdesk_groups (name, updated_at) VALUES ", "",
                  [&now](std::string& sql, Params& p, const std::string& name) {
                    sql += "(?, ?)";
                    p.emplace_back(name);
                    p.emplace_back(now);
                  });
}

Status recheckOpenTickets(db::Tx& tx, const std::string& now) {
  auto n = tx.exec(
      "UPDATE helpdesk_tickets SET sla_check_at = ? WHERE state NOT IN ('solved', 'closed')",
      {now});
  if (!n) return tl::unexpected(n.error());
  return {};
}

Result<std::vector<Category>> categories(db::Tx& tx) {
  return mapRows<Category>(
      tx.query("SELECT id, parent_id, service, name FROM helpdesk_categories WHERE active = 1 "
               "ORDER BY service, name"),
      [](const Row& r) {
        return Category{r.integer(0), r.optInteger(1), r.text(2), r.text(3)};
      });
}

Result<std::optional<Category>> category(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      "SELECT id, parent_id, service, name FROM helpdesk_categories WHERE id = ? AND active = 1",
      {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Category>{};
  const Row& r = rows->front();
  return std::optional(Category{r.integer(0), r.optInteger(1), r.text(2), r.text(3)});
}

Result<std::int64_t> insertCategory(db::Tx& tx, const Category& c) {
  auto r = tx.one(
      "INSERT INTO helpdesk_categories (parent_id, service, name) VALUES (?, ?, ?) RETURNING id",
      {opt(c.parent_id), c.service, c.name});
  if (!r) return tl::unexpected(r.error());
  return r->integer(0);
}

Result<std::int64_t> insertTicket(db::Tx& tx, const Ticket& t) {
  std::string columns = kTicketColumns;
  columns = columns.substr(columns.find(',') + 2);  // without id
  std::string marks = "?";
  for (std::size_t i = 1; i < ticketValues(t).size(); ++i) marks += ", ?";
  auto r =
      tx.one("INSERT INTO helpdesk_tickets (" + columns + ") VALUES (" + marks + ") RETURNING id",
             ticketValues(t));
  if (!r) return tl::unexpected(r.error());
  const std::int64_t id = r->integer(0);
  // PostgreSQL: the search vector, written once (0009); SQLite's FTS5 index follows a trigger.
  if (tx.dialect() == db::Dialect::kPostgres) {
    auto s = tx.exec(
        "INSERT INTO helpdesk_ticket_search (ticket_id, ente, search) VALUES (?, ?, "
        "setweight(to_tsvector('italian', ?), 'A') || "
        "setweight(to_tsvector('italian', ?), 'B'))",
        {id, t.ente, t.subject, t.description});
    if (!s) return tl::unexpected(s.error());
  }
  return id;
}

Status updateTicket(db::Tx& tx, const Ticket& t) {
  Params p = ticketValues(t);
  // ticketValues order: ente, type, channel, category_id, subject, description, ... : drop the
  // two texts, which never change.
  p.erase(p.begin() + 4, p.begin() + 6);
  p.push_back(t.id);
  auto r = tx.exec(
      "UPDATE helpdesk_tickets SET ente = ?, type = ?, channel = ?, category_id = ?, "
      "urgency = ?, impact = ?, priority = ?, state = ?, requester_id = ?, "
      "requester_name = ?, requester_email = ?, assignee_id = ?, assignee_group = ?, "
      "opened_at = ?, updated_at = ?, owned_at = ?, pending_since = ?, paused_minutes = ?, "
      "solved_at = ?, closed_at = ?, due_own = ?, due_resolve = ?, sla_own = ?, sla_resolve = ?, "
      "escalation_level = ?, sla_check_at = ?, monitoring_source = ?, monitoring_key = ?, "
      "merged_into = ?, reopen_count = ?, desk_replies = ?, group_since = ?, group_owned_at = ?, "
      "group_paused_minutes = ?, ola_due_own = ?, ola_due_resolve = ?, ola_own = ?, "
      "ola_resolve = ? WHERE id = ?",
      p);
  if (!r) return tl::unexpected(r.error());
  if (*r != 1) return fail(ErrorCode::kNotFound, "ticket non trovato");
  return {};
}

Status updateSla(db::Tx& tx, const std::vector<Ticket>& tickets) {
  // VALUES columns are column1..column11 on both backends; the casts type PostgreSQL's otherwise
  // untyped parameters.
  return inChunks(tx, tickets,
                  "UPDATE helpdesk_tickets SET due_own = v.column2, due_resolve = v.column3, "
                  "sla_own = v.column4, sla_resolve = v.column5, escalation_level = v.column6, "
                  "sla_check_at = v.column7, ola_due_own = v.column8, ola_due_resolve = v.column9, "
                  "ola_own = v.column10, ola_resolve = v.column11 FROM (VALUES ",
                  ") AS v WHERE helpdesk_tickets.id = v.column1",
                  [](std::string& sql, Params& p, const Ticket& t) {
                    sql +=
                        "(CAST(? AS BIGINT), ?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS TEXT), "
                        "CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))";
                    p.emplace_back(t.id);
                    p.emplace_back(t.due_own);
                    p.emplace_back(t.due_resolve);
                    p.emplace_back(std::string(slaStatusName(t.sla_own)));
                    p.emplace_back(std::string(slaStatusName(t.sla_resolve)));
                    p.emplace_back(std::int64_t{t.escalation_level});
                    p.push_back(db::optionalText(t.sla_check_at));
                    p.push_back(db::optionalText(t.ola_due_own));
                    p.push_back(db::optionalText(t.ola_due_resolve));
                    p.push_back(optStatus(t.ola_own));
                    p.push_back(optStatus(t.ola_resolve));
                  });
}

Result<std::optional<Ticket>> ticket(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(selectTickets() + " WHERE t.id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Ticket>{};
  return std::optional(ticketOf(rows->front()));
}

Result<std::optional<Ticket>> openConditionTicket(db::Tx& tx, const std::string& ente,
                                                  const std::string& source,
                                                  const std::string& key) {
  auto rows = tx.query(selectTickets() +
                           " WHERE t.ente = ? AND t.monitoring_source = ? AND "
                           "t.monitoring_key = ? AND t.state NOT IN ('solved', 'closed')",
                       {ente, source, key});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Ticket>{};
  return std::optional(ticketOf(rows->front()));
}

Result<std::int64_t> insertEvent(db::Tx& tx, const Event& e) {
  auto r = tx.one(
      "INSERT INTO helpdesk_events (ticket_id, at, kind, public, actor_id, actor_name, body, "
      "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {e.ticket_id, e.at, std::string(eventKindName(e.kind)), std::int64_t{e.is_public ? 1 : 0},
       opt(e.actor_id), e.actor_name, e.body, e.data});
  if (!r) return tl::unexpected(r.error());
  return r->integer(0);
}

Status insertEvents(db::Tx& tx, const std::vector<Event>& events) {
  return inChunks(tx, events,
                  "INSERT INTO helpdesk_events (ticket_id, at, kind, public, actor_id, "
                  "actor_name, body, data) VALUES ",
                  "", [](std::string& sql, Params& p, const Event& e) {
                    sql += "(?, ?, ?, ?, ?, ?, ?, ?)";
                    p.emplace_back(e.ticket_id);
                    p.emplace_back(e.at);
                    p.emplace_back(std::string(eventKindName(e.kind)));
                    p.emplace_back(std::int64_t{e.is_public ? 1 : 0});
                    p.push_back(opt(e.actor_id));
                    p.emplace_back(e.actor_name);
                    p.emplace_back(e.body);
                    p.emplace_back(e.data);
                  });
}

Result<std::vector<Event>> events(db::Tx& tx, std::int64_t ticket_id, bool with_internal) {
  return mapRows<Event>(
      tx.query(std::string("SELECT id, ticket_id, at, kind, public, actor_id, actor_name, body, "
                           "data FROM helpdesk_events WHERE ticket_id = ?") +
                   (with_internal ? "" : " AND public = 1") + " ORDER BY id",
               {ticket_id}),
      [](const Row& r) {
        Event e;
        e.id = r.integer(0);
        e.ticket_id = r.integer(1);
        e.at = r.text(2);
        e.kind = parseEventKind(r.text(3)).value_or(EventKind::kReply);
        e.is_public = r.boolean(4);
        e.actor_id = r.optInteger(5);
        e.actor_name = r.text(6);
        e.body = r.text(7);
        e.data = r.text(8);
        return e;
      });
}

// The filters on the ente as " AND ..." conditions on column `ente` of `alias`, with their
// parameters appended to `p`. False when the caller may see no ente at all.
bool appendEnteFilters(const Filter& f, const std::string& alias, std::string& sql, Params& p) {
  return db::appendEnteScope(sql, p, alias + ".ente", f.all_enti, f.enti, f.ente);
}

// The other queue filters, on the tickets (alias t).
void appendTicketFilters(const Filter& f, std::string& sql, Params& p) {
  auto where = [&](const char* clause, Value v) {
    sql += clause;
    p.push_back(std::move(v));
  };
  if (f.requester_id) where(" AND t.requester_id = ?", *f.requester_id);
  if (f.state == "open")
    sql += " AND t.state NOT IN ('solved', 'closed')";
  else if (f.state)
    where(" AND t.state = ?", *f.state);
  if (f.priority) where(" AND t.priority = ?", std::int64_t{*f.priority});
  if (f.assignee_id) where(" AND t.assignee_id = ?", *f.assignee_id);
  if (f.category_id) where(" AND t.category_id = ?", *f.category_id);
  if (f.sla) where(" AND t.sla_resolve = ?", *f.sla);
}

// Every queue filter, on the tickets (alias t). False when the caller may see no ente at all.
bool appendFilters(const Filter& f, std::string& sql, Params& p) {
  if (!appendEnteFilters(f, "t", sql, p)) return false;
  appendTicketFilters(f, sql, p);
  return true;
}

Result<std::vector<Ticket>> tickets(db::Tx& tx, const Filter& f, const SearchLimits& limits) {
  Params p;
  if (!f.text) {
    std::string sql = selectTickets() + " WHERE 1 = 1";
    if (!appendFilters(f, sql, p)) return std::vector<Ticket>{};
    if (f.before_id) {
      sql += " AND t.id < ?";
      p.emplace_back(*f.before_id);
    }
    sql += " ORDER BY t.id DESC LIMIT ?";
    p.emplace_back(std::int64_t{f.limit});
    return mapRows<Ticket>(tx.query(sql, p), ticketOf);
  }
  return searchTickets(tx, f, limits);
}

Result<std::vector<Ticket>> slaDue(db::Tx& tx, const std::string& now, int limit) {
  // PostgreSQL: the rows stay locked until the batch commits, and a concurrent lane of the job
  // takes the next ones instead of waiting (SQLite has one writer at a time anyway).
  const char* lock = tx.dialect() == db::Dialect::kPostgres ? " FOR UPDATE OF t SKIP LOCKED" : "";
  return mapRows<Ticket>(tx.query(selectTickets() +
                                      " WHERE t.sla_check_at IS NOT NULL AND t.sla_check_at <= ? "
                                      "ORDER BY t.sla_check_at LIMIT ?" +
                                      lock,
                                  {now, std::int64_t{limit}}),
                         ticketOf);
}

}  // namespace cst::helpdesk::store
