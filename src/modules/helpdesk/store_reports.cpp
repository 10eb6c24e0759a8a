// SQL of the satisfaction survey and of the reports.
#include "store.hpp"
#include "store_rows.hpp"

namespace cst::helpdesk::store {

using db::Params;
using db::Row;

Result<std::optional<Satisfaction>> satisfaction(db::Tx& tx, std::int64_t ticket_id) {
  auto rows =
      tx.query("SELECT score, comment, answered_at FROM helpdesk_satisfaction WHERE ticket_id = ?",
               {ticket_id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Satisfaction>{};
  const Row& r = rows->front();
  return std::optional(Satisfaction{static_cast<int>(r.integer(0)), r.text(1), r.text(2)});
}

Status insertSatisfaction(db::Tx& tx, std::int64_t ticket_id, const Satisfaction& s) {
  auto n = tx.exec(
      "INSERT INTO helpdesk_satisfaction (ticket_id, score, comment, answered_at) "
      "VALUES (?, ?, ?, ?)",
      {ticket_id, std::int64_t{s.score}, s.comment, s.answered_at});
  if (!n) return tl::unexpected(n.error());
  return {};
}

Result<std::vector<ReportTicket>> reportTickets(db::Tx& tx, const std::string& from,
                                                const std::string& to, bool all_enti,
                                                const std::set<std::string>& enti) {
  if (!all_enti && enti.empty()) return std::vector<ReportTicket>{};
  std::string sql =
      "SELECT t.ente, t.category_id, c.name, t.assignee_id, u.display_name, t.opened_at, "
      "t.owned_at, t.solved_at, t.paused_minutes, t.state, t.sla_resolve, t.reopen_count, "
      "t.desk_replies, s.score FROM helpdesk_tickets t "
      "LEFT JOIN helpdesk_categories c ON c.id = t.category_id "
      "LEFT JOIN users u ON u.id = t.assignee_id "
      "LEFT JOIN helpdesk_satisfaction s ON s.ticket_id = t.id "
      "WHERE t.opened_at >= ? AND t.opened_at < ? AND t.merged_into IS NULL";
  Params p{from, to};
  if (!all_enti) {
    sql += " AND t.ente IN (";
    for (std::size_t i = 0; i < enti.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
    for (const std::string& e : enti) p.emplace_back(e);
  }
  return mapRows<ReportTicket>(tx.query(sql, p), [](const Row& r) {
    ReportTicket t;
    t.ente = r.text(0);
    t.category_id = r.optInteger(1);
    t.category = r.optText(2).value_or("");
    t.agent_id = r.optInteger(3);
    t.agent = r.optText(4).value_or("");
    t.opened_at = r.text(5);
    t.owned_at = r.optText(6);
    t.solved_at = r.optText(7);
    t.paused_minutes = r.integer(8);
    t.open = isOpen(parseState(r.text(9)).value_or(State::kNew));
    t.sla_resolve = parseSlaStatus(r.text(10)).value_or(SlaStatus::kRunning);
    t.reopen_count = static_cast<int>(r.integer(11));
    t.desk_replies = static_cast<int>(r.integer(12));
    if (auto score = r.optInteger(13)) t.score = static_cast<int>(*score);
    return t;
  });
}

}  // namespace cst::helpdesk::store
