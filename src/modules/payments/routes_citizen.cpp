// HTTP <-> service for the citizen's notices. Without login: the notice number and the debtor's
// own fiscal code are the keys (the debtor holds both; nobody else holds the pair), and a wrong
// pair answers 404 without saying which key was wrong. Logged in: the account's fiscal code.
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

// The notice number of the path and the optional ?ente=, into `k`; problems into `bad`.
void noticeKeysOf(const Request& req, Keys& k, Error& bad) {
  auto nav = parseNoticeNumber(compactNoticeNumber(req.param("notice_number")), "notice_number");
  if (nav)
    k.notice_number = nav->digits;
  else
    bad.fields.push_back({"notice_number", nav.error().detail});
  if (auto ente = req.queryParam("ente")) {
    if (auto s = api::checkIstat(*ente, "ente"); !s)
      bad.fields.push_back(s.error().fields.front());
    else
      k.ente = *ente;
  }
}

Result<Keys> finished(Keys k, Error bad) {
  if (!bad.fields.empty()) {
    bad.detail = bad.fields.front().field + ": " + bad.fields.front().message;
    return tl::unexpected(std::move(bad));
  }
  return k;
}

// The keys of a lookup without login: the path's notice number and ?fiscal_code=.
Result<Keys> keysOf(const Request& req) {
  Keys k;
  Error bad = Error::make(ErrorCode::kBadInput, "numero avviso o codice fiscale non validi");
  noticeKeysOf(req, k, bad);
  k.fiscal_code = asciiUpper(req.queryParam("fiscal_code").value_or(""));
  const bool person = k.fiscal_code.size() == 16 && checkPersonalFiscalCode(k.fiscal_code, "f");
  const bool legal = k.fiscal_code.size() == 11 && checkCreditorFiscalCode(k.fiscal_code, "f");
  if (!person && !legal)
    bad.fields.push_back(
        {"fiscal_code",
         "il codice fiscale del debitore (16 caratteri, o 11 cifre per un'impresa)"});
  return finished(std::move(k), std::move(bad));
}

// The keys of a logged-in debtor: the path's notice number and the account's own fiscal code.
Result<Keys> ownKeysOf(const Request& req) {
  if (!req.principal->fiscal_code) return fail(ErrorCode::kNotFound, "avviso non trovato");
  Keys k;
  Error bad = Error::make(ErrorCode::kBadInput, "numero avviso non valido");
  noticeKeysOf(req, k, bad);
  k.fiscal_code = *req.principal->fiscal_code;
  return finished(std::move(k), std::move(bad));
}

// A notice as its debtor sees it; `doors` is where its PDF and receipt are downloaded from
// ("/api/v1/payments/public/notices" or "/api/v1/payments/mine").
Json citizenJson(const Service::CitizenNotice& n, const std::string& doors) {
  const std::string base = doors + "/" + n.option.notice_number;
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

// The one notice the request's keys name (`keys`: keysOf or ownKeysOf, then oneNotice).
Result<Service::CitizenNotice> requestedNotice(Service& service, const Request& req,
                                               Result<Keys> (*keys_of)(const Request&)) {
  auto keys = keys_of(req);
  if (!keys) return tl::unexpected(keys.error());
  return oneNotice(service, *keys);
}

http::Response noticePdf(Service& service, const Service::CitizenNotice& n) {
  auto pdf = service.noticePdf(n.position_id, {true, {}, false});
  if (!pdf) return http::problem(pdf.error());
  return api::attachment(std::move(pdf->pdf), "avviso-" + n.option.notice_number + ".pdf",
                         "application/pdf");
}

http::Response receiptXml(Service& service, const Service::CitizenNotice& n) {
  if (!n.receipt)
    return http::problem(Error::make(ErrorCode::kNotFound, "l'avviso non risulta pagato"));
  auto full = service.receipt(n.receipt->id, {true, {}, false});
  if (!full) return http::problem(full.error());
  return api::attachment(full->receipt.xml, "ricevuta-" + n.option.notice_number + ".xml",
                         "application/xml");
}

constexpr const char* kPublicDoors = "/api/v1/payments/public/notices";
constexpr const char* kOwnDoors = "/api/v1/payments/mine";

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
                         if (!keys->ente || n.ente == *keys->ente)
                           items.push_back(citizenJson(n, kPublicDoors));
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
                           auto n = requestedNotice(service, req, keysOf);
                           return n ? noticePdf(service, *n) : http::problem(n.error());
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
                           auto n = requestedNotice(service, req, keysOf);
                           return n ? receiptXml(service, *n) : http::problem(n.error());
                         });
                       })
          .publicAccess());

  // The logged-in debtor's own notices: those whose debtor has the account's fiscal code, in
  // every ente (pagoPA positions are the debtor's, wherever the account was created).
  p.router.add(http::Route::get(
      kOwnDoors,
      "The logged-in user's own notices: every published position whose debtor has the account's "
      "fiscal code, newest first",
      kTag, [&service](Request& req) {
        const auto& cf = req.principal->fiscal_code;
        Json items = Json::array();
        bool truncated = false;
        if (cf) {
          auto found = service.debtorNotices(*cf);
          if (!found) return http::problem(found.error());
          for (const auto& n : *found) items.push_back(citizenJson(n, kOwnDoors));
          truncated = found->size() >= Service::kMaxOwnNotices;
        }
        return http::json(
            200,
            {{"fiscal_code", cf ? Json(*cf) : Json()}, {"items", items}, {"truncated", truncated}});
      }));
  p.router.add(http::Route::get(std::string(kOwnDoors) + "/{notice_number}/notice.pdf",
                                "The notice PDF of one of the logged-in user's own notices "
                                "(?ente= when two enti share the number)",
                                kTag, [&service](Request& req) {
                                  auto n = requestedNotice(service, req, ownKeysOf);
                                  return n ? noticePdf(service, *n) : http::problem(n.error());
                                }));
  p.router.add(http::Route::get(std::string(kOwnDoors) + "/{notice_number}/receipt.xml",
                                "The receipt of one of the logged-in user's own paid notices", kTag,
                                [&service](Request& req) {
                                  auto n = requestedNotice(service, req, ownKeysOf);
                                  return n ? receiptXml(service, *n) : http::problem(n.error());
                                }));
}

}  // namespace cst::payments
