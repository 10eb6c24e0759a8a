#pragma once
// The service desk's reports: backlog, SLA compliance, first-contact resolution, mean time to own
// and to resolve (business minutes of the CST calendar, pending time excluded, as the SLA counts
// them) and satisfaction, per ente, category, agent or month. Pure: tested without a database.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace cst::helpdesk {

enum class ReportGroup { kEnte, kCategory, kAgent, kMonth };
std::optional<ReportGroup> parseReportGroup(std::string_view s);

// One ticket as the reports see it (merged duplicates are left out by the store).
struct ReportTicket {
  std::string ente;
  std::optional<std::int64_t> category_id;
  std::string category;  // name, empty when none
  std::optional<std::int64_t> agent_id;
  std::string agent;  // name, empty when unassigned
  std::string opened_at;
  std::optional<std::string> owned_at, solved_at;
  std::int64_t paused_minutes = 0;
  bool open = true;
  SlaStatus sla_resolve = SlaStatus::kRunning;
  int reopen_count = 0;
  int desk_replies = 0;
  std::optional<int> score;  // satisfaction 1..5
};

struct ReportLine {
  std::string key;    // ente ISTAT code, category or agent id, "YYYY-MM"; "" for none
  std::string label;  // what a person reads (filled by the caller for enti)
  std::int64_t opened = 0, solved = 0, backlog = 0;
  std::int64_t sla_met = 0, sla_breached = 0;
  std::int64_t first_contact = 0;  // solved with at most one desk answer and never reopened
  std::int64_t owned = 0, own_minutes = 0;  // sums for the means
  std::int64_t resolve_minutes = 0;
  std::int64_t rated = 0, score_sum = 0;

  std::optional<double> slaCompliance() const;      // % of solved within the resolve target
  std::optional<double> firstContactRate() const;   // % of solved
  std::optional<double> meanTimeToOwn() const;      // business minutes
  std::optional<double> meanTimeToResolve() const;  // business minutes, pending excluded
  std::optional<double> satisfaction() const;       // mean score 1..5
};

struct Report {
  std::vector<ReportLine> lines;  // ordered by key
  ReportLine total;
};

// Months are Europe/Rome months of the opening time.
Report aggregate(const std::vector<ReportTicket>& tickets, ReportGroup by,
                 const BusinessCalendar& cal);

}  // namespace cst::helpdesk
