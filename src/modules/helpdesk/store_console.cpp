// SQL of the agents' console: watchers, links between tickets, canned answers.
#include <algorithm>

#include "store.hpp"
#include "store_rows.hpp"

namespace cst::helpdesk::store {

using db::Row;

Result<std::vector<Person>> watchers(db::Tx& tx, std::int64_t ticket_id) {
  return mapRows<Person>(
      tx.query("SELECT u.id, u.display_name, u.email FROM helpdesk_watchers w "
               "JOIN users u ON u.id = w.user_id WHERE w.ticket_id = ? ORDER BY w.added_at, u.id",
               {ticket_id}),
      [](const Row& r) {
        return Person{r.integer(0), r.text(1), r.optText(2)};
      });
}

Result<std::vector<Person>> people(db::Tx& tx, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::vector<Person>{};
  std::string sql = "SELECT id, display_name, email FROM users WHERE disabled = 0 AND id IN (";
  db::Params p;
  for (std::int64_t id : ids) {
    sql += p.empty() ? "?" : ", ?";
    p.emplace_back(id);
  }
  return mapRows<Person>(tx.query(sql + ")", p), [](const Row& r) {
    return Person{r.integer(0), r.text(1), r.optText(2)};
  });
}

Result<bool> addWatcher(db::Tx& tx, std::int64_t ticket_id, std::int64_t user_id,
                        const std::string& at) {
  auto n = tx.exec(
      "INSERT INTO helpdesk_watchers (ticket_id, user_id, added_at) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      {ticket_id, user_id, at});
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

Result<bool> removeWatcher(db::Tx& tx, std::int64_t ticket_id, std::int64_t user_id) {
  auto n = tx.exec("DELETE FROM helpdesk_watchers WHERE ticket_id = ? AND user_id = ?",
                   {ticket_id, user_id});
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

Result<std::vector<Link>> links(db::Tx& tx, std::int64_t ticket_id) {
  // Each stored row is read from low_id's side; from high_id's side the kind is inverted.
  auto rows = tx.query(
      "SELECT l.high_id, l.kind, 0, t.subject, t.state, t.ente, t.requester_id "
      "FROM helpdesk_links l JOIN helpdesk_tickets t ON t.id = l.high_id WHERE l.low_id = ? "
      "UNION ALL "
      "SELECT l.low_id, l.kind, 1, t.subject, t.state, t.ente, t.requester_id "
      "FROM helpdesk_links l JOIN helpdesk_tickets t ON t.id = l.low_id WHERE l.high_id = ? "
      "ORDER BY 1",
      {ticket_id, ticket_id});
  return mapRows<Link>(rows, [](const Row& r) {
    Link l;
    l.other_id = r.integer(0);
    const LinkKind stored = parseLinkKind(r.text(1)).value_or(LinkKind::kRelated);
    l.kind = r.integer(2) ? inverse(stored) : stored;
    l.other_subject = r.text(3);
    l.other_state = parseState(r.text(4)).value_or(State::kNew);
    l.other_ente = r.text(5);
    l.other_requester_id = r.optInteger(6);
    return l;
  });
}

Status saveLink(db::Tx& tx, std::int64_t from, std::int64_t to, LinkKind kind,
                const std::string& at) {
  const std::int64_t low = std::min(from, to), high = std::max(from, to);
  const LinkKind stored = from == low ? kind : inverse(kind);
  if (auto r = removeLink(tx, low, high); !r) return tl::unexpected(r.error());
  auto n =
      tx.exec("INSERT INTO helpdesk_links (low_id, high_id, kind, created_at) VALUES (?, ?, ?, ?)",
              {low, high, std::string(linkKindName(stored)), at});
  if (!n) return tl::unexpected(n.error());
  return {};
}

Result<bool> removeLink(db::Tx& tx, std::int64_t a, std::int64_t b) {
  auto n = tx.exec("DELETE FROM helpdesk_links WHERE low_id = ? AND high_id = ?",
                   {std::min(a, b), std::max(a, b)});
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

namespace {
constexpr const char* kCannedColumns =
    "SELECT id, title, body, category_id, updated_at, updated_by FROM helpdesk_canned_answers";

CannedAnswer cannedOf(const Row& r) {
  return CannedAnswer{r.integer(0), r.text(1), r.text(2), r.optInteger(3), r.text(4), r.text(5)};
}
}  // namespace

Result<std::vector<CannedAnswer>> cannedAnswers(db::Tx& tx) {
  return mapRows<CannedAnswer>(tx.query(std::string(kCannedColumns) + " ORDER BY title"), cannedOf);
}

Result<std::optional<CannedAnswer>> cannedAnswer(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(std::string(kCannedColumns) + " WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<CannedAnswer>{};
  return std::optional(cannedOf(rows->front()));
}

Result<std::int64_t> insertCannedAnswer(db::Tx& tx, const CannedAnswer& c) {
  auto r = tx.one(
      "INSERT INTO helpdesk_canned_answers (title, body, category_id, updated_at, updated_by) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {c.title, c.body, opt(c.category_id), c.updated_at, c.updated_by});
  if (!r) return tl::unexpected(r.error());
  return r->integer(0);
}

Status updateCannedAnswer(db::Tx& tx, const CannedAnswer& c) {
  auto n = tx.exec(
      "UPDATE helpdesk_canned_answers SET title = ?, body = ?, category_id = ?, updated_at = ?, "
      "updated_by = ? WHERE id = ?",
      {c.title, c.body, opt(c.category_id), c.updated_at, c.updated_by, c.id});
  if (!n) return tl::unexpected(n.error());
  if (*n != 1) return fail(ErrorCode::kNotFound, "risposta predefinita non trovata");
  return {};
}

Result<bool> deleteCannedAnswer(db::Tx& tx, std::int64_t id) {
  auto n = tx.exec("DELETE FROM helpdesk_canned_answers WHERE id = ?", {id});
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

}  // namespace cst::helpdesk::store
