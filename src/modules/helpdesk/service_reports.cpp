// The satisfaction survey and the reports.
#include <cmath>
#include <nlohmann/json.hpp>

#include "service.hpp"
#include "service_kit.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxComment = 2000;
constexpr int kCommentBelow = 3;  // GLPI's "mandatory comment below": 1 and 2 need one
constexpr int kMaxReportDays = 731;

// The UTC instant of 00:00 Europe/Rome on `d`, as stored timestamps are written.
Result<std::string> romeMidnight(calendar::Date d, const char* field) {
  auto t = calendar::parseDateTime(calendar::formatDate(d) + "T00:00", field);
  if (!t) return tl::unexpected(t.error());
  return formatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(*t));
}

}  // namespace

Result<TicketDetail> Service::rate(std::int64_t id, const Rating& r, const Actor& by,
                                   const Visibility& v) {
  Problems p("valutazione non valida");
  const std::string comment = trimmed(r.comment);
  if (r.score < 1 || r.score > 5) p.add("score", "da 1 (pessimo) a 5 (ottimo)");
  if (r.score >= 1 && r.score < kCommentBelow && comment.empty())
    p.add("comment", "per un voto basso serve un commento: che cosa non ha funzionato?");
  if (comment.size() > kMaxComment) p.add("comment", "al massimo 2000 caratteri");
  if (p.any()) return tl::unexpected(p.error);
  const TimePoint now = clock_.now();
  return db_.transact<TicketDetail>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<TicketDetail> {
    auto t = visibleTicket(tx, id, v);
    if (!t) return tl::unexpected(t.error());
    if (!by.user_id || t->requester_id != by.user_id)
      return fail(ErrorCode::kForbidden, "valuta il servizio solo chi ha aperto la segnalazione");
    if (t->state != State::kSolved && t->state != State::kClosed)
      return fail(Error{ErrorCode::kRuleViolated,
                        "il ticket non è ancora risolto",
                        {{"score", "si valuta dopo la soluzione"}},
                        {}});
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    if (auto s = store::insertSatisfaction(tx, id, {r.score, comment, formatTimestamp(now)}); !s) {
      if (s.error().code == ErrorCode::kConflict)
        return fail(Error{ErrorCode::kConflict,
                          "il ticket è già stato valutato",
                          {{"score", "valutazione già data"}},
                          {}});
      return tl::unexpected(s.error());
    }
    if (auto s =
            audit::append(tx, auditOf(by, *t, "helpdesk.ticket.rate", {{"score", r.score}}), now);
        !s)
      return tl::unexpected(s.error());
    return detail(tx, std::move(*t), v, now, *ctx);
  });
}

Result<Report> Service::report(const ReportQuery& q) {
  if (q.to < q.from) return failField("to", "la fine viene prima dell'inizio");
  if (std::chrono::sys_days(q.to) - std::chrono::sys_days(q.from) >
      std::chrono::days(kMaxReportDays))
    return failField("to", "al massimo due anni per volta");
  auto from = romeMidnight(q.from, "from");
  if (!from) return tl::unexpected(from.error());
  auto to = romeMidnight(calendar::Date(std::chrono::sys_days(q.to) + std::chrono::days(1)), "to");
  if (!to) return tl::unexpected(to.error());
  auto report = db_.transact<Report>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<Report> {
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    auto tickets = store::reportTickets(tx, *from, *to, q.all_enti, q.enti);
    if (!tickets) return tl::unexpected(tickets.error());
    return aggregate(*tickets, q.by, ctx->cal);
  });
  if (!report || q.by != ReportGroup::kEnte) return report;
  for (ReportLine& line : report->lines) line.label = enti_.name(line.key);
  return report;
}

json toJson(const ReportLine& l) {
  auto opt = [](const std::optional<double>& v) {
    return v ? json(std::round(*v * 10.0) / 10.0) : json();
  };
  return {{"key", l.key},
          {"label", l.label},
          {"opened", l.opened},
          {"solved", l.solved},
          {"backlog", l.backlog},
          {"sla_compliance", opt(l.slaCompliance())},
          {"first_contact_rate", opt(l.firstContactRate())},
          {"mean_time_to_own_minutes", opt(l.meanTimeToOwn())},
          {"mean_time_to_resolve_minutes", opt(l.meanTimeToResolve())},
          {"satisfaction", opt(l.satisfaction())},
          {"rated", l.rated}};
}

}  // namespace cst::helpdesk
