#include "report.hpp"

#include <map>

#include "calendar/calendar.hpp"

namespace cst::helpdesk {

namespace {

std::optional<double> percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> mean(std::int64_t sum, std::int64_t n) {
  if (n == 0) return std::nullopt;
  return static_cast<double>(sum) / static_cast<double>(n);
}

std::optional<TimePoint> instant(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  auto t = parseTimestamp(*text);
  if (!t) return std::nullopt;
  return *t;
}

std::string monthOf(TimePoint t) {
  const auto d = calendar::romeDate(std::chrono::floor<std::chrono::seconds>(t));
  return calendar::formatDate(d).substr(0, 7);
}

// What one ticket adds to a line (computed once: business minutes are not free).
ReportLine contribution(const ReportTicket& t, const BusinessCalendar& cal) {
  ReportLine line;
  ++line.opened;
  if (t.open) ++line.backlog;
  const auto opened = instant(t.opened_at);
  if (const auto owned = instant(t.owned_at); owned && opened) {
    ++line.owned;
    line.own_minutes += businessMinutes(*opened, *owned, cal).count();
  }
  if (const auto solved = instant(t.solved_at); solved && opened) {
    ++line.solved;
    line.resolve_minutes += std::max<std::int64_t>(
        0, businessMinutes(*opened, *solved, cal).count() - t.paused_minutes);
    if (t.sla_resolve == SlaStatus::kMet) ++line.sla_met;
    if (t.sla_resolve == SlaStatus::kBreached) ++line.sla_breached;
    if (t.reopen_count == 0 && t.desk_replies <= 1) ++line.first_contact;
  }
  if (t.score) {
    ++line.rated;
    line.score_sum += *t.score;
  }
  return line;
}

void add(ReportLine& into, const ReportLine& one) {
  into.opened += one.opened;
  into.solved += one.solved;
  into.backlog += one.backlog;
  into.sla_met += one.sla_met;
  into.sla_breached += one.sla_breached;
  into.first_contact += one.first_contact;
  into.owned += one.owned;
  into.own_minutes += one.own_minutes;
  into.resolve_minutes += one.resolve_minutes;
  into.rated += one.rated;
  into.score_sum += one.score_sum;
}

}  // namespace

std::optional<ReportGroup> parseReportGroup(std::string_view s) {
  if (s == "ente") return ReportGroup::kEnte;
  if (s == "category") return ReportGroup::kCategory;
  if (s == "agent") return ReportGroup::kAgent;
  if (s == "month") return ReportGroup::kMonth;
  return std::nullopt;
}

std::optional<double> ReportLine::slaCompliance() const {
  return percent(sla_met, sla_met + sla_breached);
}
std::optional<double> ReportLine::firstContactRate() const {
  return percent(first_contact, solved);
}
std::optional<double> ReportLine::meanTimeToOwn() const { return mean(own_minutes, owned); }
std::optional<double> ReportLine::meanTimeToResolve() const {
  return mean(resolve_minutes, solved);
}
std::optional<double> ReportLine::satisfaction() const { return mean(score_sum, rated); }

Report aggregate(const std::vector<ReportTicket>& tickets, ReportGroup by,
                 const BusinessCalendar& cal) {
  std::map<std::string, ReportLine> lines;
  Report r;
  r.total.label = "Totale";
  for (const ReportTicket& t : tickets) {
    std::string key, label;
    switch (by) {
      case ReportGroup::kEnte:
        key = label = t.ente;
        break;
      case ReportGroup::kCategory:
        key = t.category_id ? std::to_string(*t.category_id) : "";
        label = t.category.empty() ? "Senza categoria" : t.category;
        break;
      case ReportGroup::kAgent:
        key = t.agent_id ? std::to_string(*t.agent_id) : "";
        label = t.agent.empty() ? "Non assegnato" : t.agent;
        break;
      case ReportGroup::kMonth:
        if (const auto opened = instant(t.opened_at)) key = label = monthOf(*opened);
        break;
    }
    ReportLine& line = lines[key];
    line.key = key;
    line.label = label;
    const ReportLine one = contribution(t, cal);
    add(line, one);
    add(r.total, one);
  }
  for (auto& [key, line] : lines) r.lines.push_back(std::move(line));
  return r;
}

}  // namespace cst::helpdesk
