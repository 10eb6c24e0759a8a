// HTTP <-> the satisfaction survey and the reports (JSON for the charts, CSV for spreadsheets).
#include <fmt/format.h>

#include "api/route_kit.hpp"
#include "calendar/calendar.hpp"
#include "common/json_fields.hpp"
#include "common/text.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::helpdesk {

using http::Json;
using http::Request;
using Need = JsonFields::Need;

namespace {

constexpr const char* kTag = "helpdesk";

std::string number(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}", *v) : std::string();
}

http::Response csvOf(const Report& r, const ReportQuery& q) {
  std::string body =
      csvRecord({"gruppo", "chiave", "aperti", "risolti", "arretrato", "conformita_sla_pct",
                 "risolti_primo_contatto_pct", "tempo_medio_presa_in_carico_min",
                 "tempo_medio_risoluzione_min", "soddisfazione_media", "valutazioni"});
  auto line = [&](const ReportLine& l) {
    body += csvRecord({l.label, l.key, std::to_string(l.opened), std::to_string(l.solved),
                       std::to_string(l.backlog), number(l.slaCompliance()),
                       number(l.firstContactRate()), number(l.meanTimeToOwn()),
                       number(l.meanTimeToResolve()), number(l.satisfaction()),
                       std::to_string(l.rated)});
  };
  for (const ReportLine& l : r.lines) line(l);
  line(r.total);
  http::Response out;
  out.content_type = "text/csv; charset=utf-8";
  out.body = std::move(body);
  out.header("Content-Disposition",
             fmt::format("attachment; filename=\"assistenza-{}-{}.csv\"",
                         calendar::formatDate(q.from), calendar::formatDate(q.to)));
  return out;
}

Result<ReportQuery> reportQueryOf(const Platform& p, const Request& req) {
  ReportQuery q;
  const auth::EnteScope scope = p.policy.scope(*req.principal, action::kReport);
  q.all_enti = scope.all;
  q.enti = scope.enti;
  for (auto [name, date] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    auto text = req.queryParam(name);
    if (!text) return failField(name, "data obbligatoria (AAAA-MM-GG)");
    auto d = calendar::parseDate(*text, name);
    if (!d) return tl::unexpected(d.error());
    *date = *d;
  }
  const std::string by = req.queryParam("by").value_or("ente");
  auto group = parseReportGroup(by);
  if (!group) return failField("by", "ente, category, agent o month");
  q.by = *group;
  return q;
}

}  // namespace

void addReportRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::post(
      "/api/v1/helpdesk/tickets/{id}/satisfaction",
      "The requester rates the solved ticket, once (score 1..5; comment required for 1 and 2)",
      kTag, [&p, &service](Request& req) {
        auto id = ticketId(p, req, action::kOpen);
        if (!id) return http::problem(id.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        JsonFields f(*body, "valutazione non valida");
        Rating r;
        r.score = static_cast<int>(f.integer("score", Need::kRequired).value_or(0));
        r.comment = f.text("comment", Need::kOptional, true).value_or("");
        if (auto s = f.result(); !s) return http::problem(s.error());
        return detailResponse(service.rate(*id, r, actorOf(p, req), visibilityOf(p, req)), 201);
      }));
  p.router.add(http::Route::get(
      "/api/v1/helpdesk/reports",
      "Backlog, SLA compliance, first-contact resolution, mean time to own/resolve and "
      "satisfaction of the tickets opened from..to (Europe/Rome days), by ente, category, agent or "
      "month; format=csv for a spreadsheet",
      kTag, [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kReport); !s)
          return http::problem(s.error());
        auto q = reportQueryOf(p, req);
        if (!q) return http::problem(q.error());
        const std::string format = req.queryParam("format").value_or("json");
        if (format != "json" && format != "csv")
          return http::problem(Error::badInput("format", "json o csv"));
        auto report = service.report(*q);
        if (!report) return http::problem(report.error());
        if (format == "csv") return csvOf(*report, *q);
        Json lines = Json::array();
        for (const ReportLine& l : report->lines) lines.push_back(toJson(l));
        return http::json(200, {{"from", calendar::formatDate(q->from)},
                                {"to", calendar::formatDate(q->to)},
                                {"by", req.queryParam("by").value_or("ente")},
                                {"lines", lines},
                                {"total", toJson(report->total)}});
      }));
}

}  // namespace cst::helpdesk
