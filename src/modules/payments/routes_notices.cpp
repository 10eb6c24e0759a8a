// HTTP <-> service for the payment notice PDFs. Reading a notice is reading its position: the same
// action (kPositionRead) and scope, so another ente's notice answers 404 as its position does.
#include <algorithm>

#include "api/route_kit.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Request;

namespace {

constexpr const char* kTag = "payments";

// The PDF as an attachment. The filename comes from digits, ISTAT codes and references (letters,
// digits and . _ - /), the slash made a dash.
http::Response pdf(std::string bytes, std::string filename) {
  std::replace(filename.begin(), filename.end(), '/', '-');
  return api::attachment(std::move(bytes), filename, "application/pdf");
}

// avviso-<notice number>.pdf for a single option, avviso-<reference>.pdf for a plan.
std::string noticeFilename(const DebtPosition& p) {
  if (p.options.size() == 1) return "avviso-" + p.options.front().notice_number + ".pdf";
  return "avviso-" + p.reference + ".pdf";
}

}  // namespace

void addNoticeRoutes(Platform& p, Service& service) {
  p.router.add(http::Route::get(
      "/api/v1/payments/positions/{id}/notice.pdf",
      "The pagoPA payment notice (avviso di pagamento) of a VALID or PARTIALLY_PAID position, as "
      "a PDF: one QR code per payment option",
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto notice = service.noticePdf(*id, *scope);
        if (!notice) return http::problem(notice.error());
        return pdf(std::move(notice->pdf), noticeFilename(notice->position));
      }));
  p.router.add(http::Route::get(
      "/api/v1/payments/notices.pdf",
      "The notices of every VALID or PARTIALLY_PAID position matching the positions list's "
      "filters (ente, status, debtor_fiscal_code, notice_number, q), oldest first, in one PDF; at "
      "most " +
          std::to_string(Service::kMaxNoticesPerPdf),
      kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto filter = positionFilterOf(req, *scope);
        if (!filter) return http::problem(filter.error());
        auto bytes = service.noticesPdf(*filter);
        if (!bytes) return http::problem(bytes.error());
        return pdf(std::move(*bytes), "avvisi-" + filter->ente.value_or("enti") + ".pdf");
      }));
}

}  // namespace cst::payments
