// HTTP <-> service for the citizen's lookup of a notice, without login: the notice number and
// the debtor's own fiscal code are the keys (the debtor holds both; nobody else holds the pair).
// A wrong pair answers 404 without saying which key was wrong.
#include <functional>

#include "api/route_kit.hpp"
#include "common/rate_limiter.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";

struct Keys {
  std::string notice_number, fiscal_code;
  std::optional<std::string> ente;  // to choose between two enti's notices with the same number
};

Result<Keys> keysOf(const Request& req) {
  Keys k;
  Error bad = Error::make(ErrorCode::kBadInput, "numero avviso o codice fiscale non validi");
  auto nav = parseNoticeNumber(compactNoticeNumber(req.param("notice_number")), "notice_number");
  if (nav)
    k.notice_number = nav->digits;
  else
    bad.fields.push_back({"notice_number", nav.error().detail});
  k.fiscal_code = asciiUpper(req.queryParam("fiscal_code").value_or(""));
  const bool person = k.fiscal_code.size() == 16 && checkPersonalFiscalCode(k.fiscal_code, "f");
  const bool legal = k.fiscal_code.size() == 11 && checkCreditorFiscalCode(k.fiscal_code, "f");
  if (!person && !legal)
    bad.fields.push_back(
        {"fiscal_code",
         "il codice fiscale del debitore (16 caratteri, o 11 cifre per un'impresa)"});
  if (auto ente = req.queryParam("ente")) {
    if (auto s = api::checkIstat(*ente, "ente"); !s)
      bad.fields.push_back(s.error().fields.front());
    else
      k.ente = *ente;
  }
  if (!bad.fields.empty()) {
    bad.detail = bad.fields.front().field + ": " + bad.fields.front().message;
    return tl::unexpected(std::move(bad));
  }
  return k;
}

Json citizenJson(const Service::CitizenNotice& n) {
  const std::string base = "/api/v1/payments/public/notices/" + n.option.notice_number;
  Json j{{"ente", n.ente},
         {"ente_name", n.ente_name},
         {"creditor_fiscal_code", n.creditor_fiscal_code},
         {"notice_number", n.option.notice_number},
         {"iuv", n.option.iuv},
         {"description", n.description},
         {"option_description", n.option.description ? Json(*n.option.description) : Json()},
         {"amount_cents", n.option.amount_cents},
         {"due_date", n.option.due_date},
         {"instalment", n.option.instalment},
         {"instalments", n.instalments},
         {"instalment_number", n.instalment_number},
         {"state", n.state},
         {"notice_pdf", n.state == "da_pagare" ? Json(base + "/notice.pdf") : Json()},
         {"receipt", Json()}};
  if (n.receipt) {
    const Receipt& r = n.receipt->receipt;
    j["receipt"] = {{"receipt_id", r.receipt_id},
                    {"amount_cents", r.amount_cents},
                    {"payment_date_time", r.payment_date_time ? Json(*r.payment_date_time)
                                                              : Json(n.receipt->received_at)},
                    {"psp", r.psp_name},
                    {"xml", base + "/receipt.xml"}};
  }
  return j;
}

// The one notice the keys name: kNotFound when none, kBadInput (field `ente`) when two enti
// have a notice with this number for this debtor and `ente` does not say which.
Result<Service::CitizenNotice> oneNotice(Service& service, const Keys& k) {
  auto found = service.citizenNotices(k.notice_number, k.fiscal_code);
  if (!found) return tl::unexpected(found.error());
  std::vector<Service::CitizenNotice> matching;
  for (auto& n : *found)
    if (!k.ente || n.ente == *k.ente) matching.push_back(std::move(n));
  if (matching.empty()) return fail(ErrorCode::kNotFound, "avviso non trovato");
  if (matching.size() > 1)
    return tl::unexpected(
        Error::badInput("ente", "più enti hanno un avviso con questo numero: indicare l'ente"));
  return std::move(matching.front());
}

// Failed lookups (no such notice for this fiscal code, malformed keys) per minute from one
// address: a family mistyping a number is far below it, walking through a debtor's notice numbers
// (they come from a counter) is far above. Successful lookups are not counted.
constexpr int kMissesPerMinute = 30;

// Runs `answer` unless the address has used up its misses (429), and counts a 400 or 404 as one.
http::Response countingMisses(RateLimiter& limiter, const Request& req,
                              const std::function<http::Response()>& answer) {
  if (limiter.exceeded(req.remote_address)) {
    Error e = Error::make(ErrorCode::kRateLimited,
                          "troppe richieste non riuscite da questo indirizzo: riprovare tra un "
                          "minuto");
    e.type = "throttled";
    return http::problem(e);
  }
  http::Response r = answer();
  if (r.status == 400 || r.status == 404) limiter.record(req.remote_address);
  return r;
}

// The one notice the request's keys name (keysOf, then oneNotice).
Result<Service::CitizenNotice> requestedNotice(Service& service, const Request& req) {
  auto keys = keysOf(req);
  if (!keys) return tl::unexpected(keys.error());
  return oneNotice(service, *keys);
}

}  // namespace

void addCitizenRoutes(Platform& p, Service& service) {
  // One window for the three doors: the PDF and the receipt are found by the same keys.
  auto limiter = std::make_shared<RateLimiter>(*p.clock, kMissesPerMinute);
  p.router.add(http::Route::get(
                   "/api/v1/payments/public/notices/{notice_number}",
                   "A notice as its debtor sees it (no login): ?fiscal_code= of the debtor; "
                   "amount, due date, state, receipt",
                   kTag,
                   [&service, limiter](Request& req) {
                     return countingMisses(*limiter, req, [&]() -> http::Response {
                       auto keys = keysOf(req);
                       if (!keys) return http::problem(keys.error());
                       auto found = service.citizenNotices(keys->notice_number, keys->fiscal_code);
                       if (!found) return http::problem(found.error());
                       Json items = Json::array();
                       for (const auto& n : *found)
                         if (!keys->ente || n.ente == *keys->ente) items.push_back(citizenJson(n));
                       if (items.empty())
                         return http::problem(Error::make(
                             ErrorCode::kNotFound,
                             "nessun avviso con questo numero per questo codice fiscale"));
                       return http::json(200, {{"items", items}});
                     });
                   })
                   .publicAccess());
  p.router.add(
      http::Route::get("/api/v1/payments/public/notices/{notice_number}/notice.pdf",
                       "The notice PDF, for its debtor (no login; ?fiscal_code=, ?ente= when two "
                       "enti share the number)",
                       kTag,
                       [&service, limiter](Request& req) {
                         return countingMisses(*limiter, req, [&]() -> http::Response {
                           auto n = requestedNotice(service, req);
                           if (!n) return http::problem(n.error());
                           auto pdf = service.noticePdf(n->position_id, {true, {}, false});
                           if (!pdf) return http::problem(pdf.error());
                           return api::attachment(std::move(pdf->pdf),
                                                  "avviso-" + n->option.notice_number + ".pdf",
                                                  "application/pdf");
                         });
                       })
          .publicAccess());
  p.router.add(
      http::Route::get("/api/v1/payments/public/notices/{notice_number}/receipt.xml",
                       "The receipt of a paid notice as pagoPA issued it, for its debtor (no "
                       "login; ?fiscal_code=)",
                       kTag,
                       [&service, limiter](Request& req) {
                         return countingMisses(*limiter, req, [&]() -> http::Response {
                           auto n = requestedNotice(service, req);
                           if (!n) return http::problem(n.error());
                           if (!n->receipt)
                             return http::problem(
                                 Error::make(ErrorCode::kNotFound, "l'avviso non risulta pagato"));
                           auto full = service.receipt(n->receipt->id, {true, {}, false});
                           if (!full) return http::problem(full.error());
                           return api::attachment(full->receipt.xml,
                                                  "ricevuta-" + n->option.notice_number + ".xml",
                                                  "application/xml");
                         });
                       })
          .publicAccess());
}

}  // namespace cst::payments
