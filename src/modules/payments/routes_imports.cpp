// HTTP <-> service for the tax-roll imports: the CSV body streamed to disk by the server and read
// from there one position at a time, the stored reports and their errors as CSV. A role without
// the action gets 403; another ente's import, or an import for another ente, 404.
#include <filesystem>
#include <fstream>

#include "api/route_kit.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";
const std::string kImports = "/api/v1/payments/imports";

// The import's parameters from the query: ente (the caller may manage its positions), mode,
// publish; kBadInput naming the parameter, 403/404 as for creating a position.
Result<Service::ImportRequest> importRequestOf(const Platform& p, const Request& req) {
  if (auto s = api::requireAny(p.policy, req, action::kPositionManage); !s)
    return tl::unexpected(s.error());
  Service::ImportRequest r;
  r.ente = req.queryParam("ente").value_or("");
  if (auto s = api::checkIstat(r.ente, "ente"); !s) return tl::unexpected(s.error());
  if (auto s = api::requireOnEnte(p.policy, req, action::kPositionManage, r.ente); !s)
    return tl::unexpected(s.error());
  const auto mode = roll::parseImportMode(req.queryParam("mode").value_or(""));
  if (!mode)
    return failField("mode",
                     "all_or_nothing (un errore e non si importa nulla) o valid_rows (si importano "
                     "le posizioni valide, le altre sono segnalate)");
  r.mode = *mode;
  const std::string publish = req.queryParam("publish").value_or("false");
  if (publish != "true" && publish != "false") return failField("publish", "true o false");
  r.publish = publish == "true";
  return r;
}

http::Response created(const roll::ImportReport& r) {
  http::Response out = http::json(201, roll::toJson(r));
  out.header("Location", kImports + "/" + std::to_string(r.id));
  return out;
}

}  // namespace

void addImportRoutes(Platform& p, Service& service) {
  p.router.add(
      http::Route::post(
          kImports,
          "Import a tax roll (CSV body; query: ente, mode=all_or_nothing|valid_rows, publish): "
          "debt positions with their notice numbers, and the stored report (201)",
          kTag,
          [&p, &service](Request& req) {
            auto r = importRequestOf(p, req);
            if (!r) return http::problem(r.error());
            std::error_code ec;
            const auto bytes = req.body_file.empty()
                                   ? std::uintmax_t{0}
                                   : std::filesystem::file_size(req.body_file, ec);
            if (ec || bytes == 0)
              return http::problem(Error::badInput("file",
                                                   "il corpo della richiesta è vuoto: "
                                                   "inviare il file CSV"));
            if (bytes > static_cast<std::uintmax_t>(roll::kMaxFileBytes))
              return http::problem(Error::make(
                  ErrorCode::kTooLarge, "file oltre " +
                                            std::to_string(roll::kMaxFileBytes / (1024 * 1024)) +
                                            " MiB: dividerlo in più file"));
            std::ifstream csv(req.body_file, std::ios::binary);
            if (!csv) return http::problem(Error::make(ErrorCode::kInternal, "file non leggibile"));
            r->file_bytes = static_cast<std::int64_t>(bytes);
            r->file_sha256 = req.body_sha256;
            auto report = service.importRoll(*r, csv, api::auditBy(req));
            if (!report) return http::problem(report.error());
            return created(*report);
          })
          .uploadBody());
  p.router.add(http::Route::get(
      kImports,
      "Tax-roll imports, newest first, without their errors (filter: ente; limit, cursor)", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        store::ImportFilter f;
        f.all_enti = scope->all;
        f.enti = scope->enti;
        auto ente = enteParam(req, *scope);
        if (!ente) return http::problem(ente.error());
        f.ente = *ente;
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        f.limit = *limit;
        auto cursor = api::numericCursor(req);
        if (!cursor) return http::problem(cursor.error());
        f.before = *cursor;
        return api::idPage(service.importReports(f), f.limit,
                           [](const roll::ImportReport& r) { return roll::toJson(r, true); });
      }));
  p.router.add(http::Route::get(
      kImports + "/{id}", "One tax-roll import's report, with its errors (line, column, message)",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        return api::respond(service.importReport(*id, *scope),
                            [](const roll::ImportReport& r) { return roll::toJson(r); });
      }));
  p.router.add(http::Route::get(
      kImports + "/{id}/errors.csv",
      "A tax-roll import's errors as CSV for a spreadsheet (riga;colonna;errore)", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto report = service.importReport(*id, *scope);
        if (!report) return http::problem(report.error());
        return api::attachment(roll::errorsCsv(*report),
                               "importazione-" + std::to_string(*id) + "-errori.csv",
                               "text/csv; charset=utf-8");
      }));
}

}  // namespace cst::payments
