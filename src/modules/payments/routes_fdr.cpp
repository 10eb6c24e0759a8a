// HTTP <-> service for the reconciliation files (FdR): the import (the XML body streamed to disk by
// the server, like the tax rolls: a flow can be larger than the JSON limit), the reports, the open
// anomalies, the accounting export. A role without the action gets 403; another ente's flow, or a
// flow addressed to an ente outside one's grants, 404.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/route_kit.hpp"
#include "calendar/calendar.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";
const std::string kBase = "/api/v1/payments/reconciliation";

// The XML types, and none at all or octet-stream (curl --data-binary, a script): a form or JSON
// body is a mistake worth naming.
Status checkContentType(const Request& req) {
  std::string type = req.header("content-type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type.empty() || type == "application/xml" || type == "text/xml" ||
      type == "application/octet-stream")
    return {};
  return failField("Content-Type", "inviare il file del flusso così com'è, come application/xml (" +
                                       type + " non è accettato)");
}

Result<std::string> bodyText(const Request& req) {
  std::error_code ec;
  const auto bytes =
      req.body_file.empty() ? std::uintmax_t{0} : std::filesystem::file_size(req.body_file, ec);
  if (ec || bytes == 0)
    return failField("file", "il corpo della richiesta è vuoto: inviare il file XML del flusso");
  if (bytes > static_cast<std::uintmax_t>(fdr::kMaxFlowBytes))
    return fail(ErrorCode::kTooLarge,
                "flusso oltre " + std::to_string(fdr::kMaxFlowBytes / (1024 * 1024)) + " MiB");
  std::ifstream in(req.body_file, std::ios::binary);
  if (!in) return fail(ErrorCode::kInternal, "file non leggibile");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ?ente= restricted to `scope`, and the page; kNotFound for an ente outside it.
Result<store::FlowFilter> flowFilterOf(const Request& req, const auth::EnteScope& scope) {
  store::FlowFilter f;
  f.all_enti = scope.all;
  f.enti = scope.enti;
  auto ente = enteParam(req, scope);
  if (!ente) return tl::unexpected(ente.error());
  f.ente = *ente;
  auto limit = api::limitParam(req);
  if (!limit) return tl::unexpected(limit.error());
  f.limit = *limit;
  auto cursor = api::numericCursor(req);
  if (!cursor) return tl::unexpected(cursor.error());
  f.before = *cursor;
  return f;
}

Result<std::optional<std::string>> dateParam(const Request& req, const std::string& name) {
  auto text = req.queryParam(name);
  if (!text) return std::optional<std::string>{};
  auto date = calendar::parseDate(*text, name);
  if (!date) return tl::unexpected(date.error());
  return std::optional(calendar::formatDate(*date));
}

Json anomalyJson(const store::OpenAnomaly& a) {
  Json j = fdr::toJson(a.row);
  j["flow"] = {{"id", a.flow},
               {"ente", a.ente},
               {"flow_id", a.flow_id},
               {"psp_id", a.psp_id},
               {"settlement_date", a.settlement_date}};
  return j;
}

}  // namespace

void addReconciliationRoutes(Platform& p, Service& service) {
  p.router.add(
      http::Route::post(
          kBase + "/flows",
          "Import a reconciliation file (FdR XML body, as received from the node): every payment "
          "matched with the receipts, anomalies reported, fully reported positions PAID -> "
          "REPORTED (201; 200 with the stored report when the same file was imported before)",
          kTag,
          [&p, &service](Request& req) {
            auto scope = scopeFor(p, req, action::kPositionManage);
            if (!scope) return http::problem(scope.error());
            if (auto s = checkContentType(req); !s) return http::problem(s.error());
            auto text = bodyText(req);
            if (!text) return http::problem(text.error());
            auto imported = service.importFlow(*text, *scope, api::auditBy(req));
            if (!imported) return http::problem(imported.error());
            http::Response out =
                http::json(imported->created ? 201 : 200, fdr::toJson(imported->flow, true));
            out.header("Location", kBase + "/flows/" + std::to_string(imported->flow.id));
            return out;
          })
          .uploadBody());
  p.router.add(http::Route::get(
      kBase + "/flows",
      "Reconciliation files, newest first, without their rows (filter: ente; limit, cursor)", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto filter = flowFilterOf(req, *scope);
        if (!filter) return http::problem(filter.error());
        return api::idPage(service.reconciliationFlows(*filter), filter->limit,
                           [](const fdr::StoredFlow& f) { return fdr::toJson(f, false); });
      }));
  p.router.add(http::Route::get(
      kBase + "/flows/{id}",
      "One reconciliation file's report: header, flow anomalies, every payment with its match "
      "and anomaly",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        return api::respond(service.reconciliationFlow(*id, *scope),
                            [](const fdr::StoredFlow& f) { return fdr::toJson(f, true); });
      }));
  p.router.add(http::Route::get(
      kBase + "/flows/{id}/flow.xml", "The reconciliation file exactly as imported, as a download",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto f = service.reconciliationFlow(*id, *scope, true);
        if (!f) return http::problem(f.error());
        return api::attachment(std::move(f->xml), "flusso-" + f->flow.flow_id + ".xml",
                               "application/xml");
      }));
  p.router.add(http::Route::get(
      kBase + "/anomalies",
      "Open anomalies of the current reconciliation files: the anomalous payments, newest first "
      "(filter: ente; limit, cursor), and on the first page the flows' own anomalies",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto filter = flowFilterOf(req, *scope);
        if (!filter) return http::problem(filter.error());
        auto open = service.openAnomalies(*filter);
        if (!open) return http::problem(open.error());
        std::optional<std::int64_t> next;
        if (static_cast<int>(open->rows.size()) == filter->limit && !open->rows.empty())
          next = open->rows.back().row.id;
        Json out = api::pageJson(open->rows, next, anomalyJson);
        Json flows = Json::array();
        for (const fdr::StoredFlow& f : open->flows) flows.push_back(fdr::toJson(f, false));
        out["flows"] = std::move(flows);
        return http::json(200, out);
      }));
  p.router.add(http::Route::get(
      kBase + "/export.csv",
      "The accounting export of an ente's reconciled payments as CSV for a spreadsheet (query: "
      "ente, from, to on the settlement date)",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        const std::string ente = req.queryParam("ente").value_or("");
        if (auto s = api::checkIstat(ente, "ente"); !s) return http::problem(s.error());
        if (!scope->contains(ente))
          return http::problem(Error::make(ErrorCode::kNotFound, "ente non trovato"));
        auto from = dateParam(req, "from");
        if (!from) return http::problem(from.error());
        auto to = dateParam(req, "to");
        if (!to) return http::problem(to.error());
        auto csv = service.accountingExport(ente, *from, *to);
        if (!csv) return http::problem(csv.error());
        return api::attachment(std::move(*csv),
                               "riconciliazione-" + ente + (*from ? "-dal-" + **from : "") +
                                   (*to ? "-al-" + **to : "") + ".csv",
                               "text/csv; charset=utf-8");
      }));
}

}  // namespace cst::payments
