// HTTP <-> service for the pagoPA node: the SOAP endpoint the node calls (paForNode), the CST's
// registration as intermediary, and the receipts for the offices.
//
// The SOAP endpoint needs no login: the node is not a user. It is reached only through the
// reverse proxy that terminates the node's mutual TLS (docs/payments.md), and every request must
// name our intermediary, our station and a creditor we serve, or it is refused with the fault
// pagoPA defines.
#include <spdlog/spdlog.h>

#include "api/route_kit.hpp"
#include "node_soap.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::payments {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "payments";

http::Response soap(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/xml; charset=utf-8";
  r.body = std::move(body);
  return r;
}

// The answer to one request read from its envelope: always the operation's own response element,
// OK or KO with the fault (HTTP 200, as the node expects).
std::string answer(Service& service, const NodeEnvelope& env) {
  const std::string creditor = xml::childText(env.request, "idPA");
  const auto fault = [&](const Error& e) {
    return faultResponse(env.response_element, faultCodeOf(e), e.detail, service.faultId(creditor));
  };
  auto schema = paForNodeSchema();
  if (!schema) {
    spdlog::error("paForNode schema: {}", schema.error().detail);
    return fault(nodeFault(fault::kSystem, "errore interno"));
  }
  if (auto s = (*schema)->validate(env.request); !s)
    return fault(nodeFault(fault::kSyntax, s.error().detail));
  switch (env.operation) {
    case NodeOperation::kVerify: {
      auto n = service.noticeForNode(noticeQueryOf(env));
      return n ? verifyResponse(*n) : fault(n.error());
    }
    case NodeOperation::kGetPaymentV2: {
      auto n = service.noticeForNode(noticeQueryOf(env));
      return n ? getPaymentV2Response(*n) : fault(n.error());
    }
    case NodeOperation::kSendReceiptV2: {
      auto s = service.acceptReceipt(receiptDeliveryOf(env));
      return s ? okResponse(env.response_element) : fault(s.error());
    }
    case NodeOperation::kUnsupported:
      break;
  }
  return fault(nodeFault(fault::kSystem, "operazione " + env.request_element +
                                             " non supportata: la stazione usa paGetPaymentV2 e "
                                             "paSendRTV2"));
}

Json brokerSchema() {
  return {{"type", "object"},
          {"required", {"fiscal_code", "station_id"}},
          {"properties",
           {{"fiscal_code", {{"type", "string"}, {"pattern", "^[0-9]{11}$"}}},
            {"station_id", {{"type", "string"}, {"example", "80002130195_01"}}}}}};
}

Result<store::ReceiptFilter> receiptFilterOf(const Request& req, const auth::EnteScope& scope) {
  store::ReceiptFilter f;
  f.all_enti = scope.all;
  f.enti = scope.enti;
  auto ente = enteParam(req, scope);
  if (!ente) return tl::unexpected(ente.error());
  f.ente = *ente;
  auto position = api::numericQuery(req, "position_id");
  if (!position) return tl::unexpected(position.error());
  f.position_id = *position;
  if (auto nav = req.queryParam("notice_number")) {
    auto parsed = parseNoticeNumber(compactNoticeNumber(*nav), "notice_number");
    if (!parsed) return tl::unexpected(parsed.error());
    f.notice_number = parsed->digits;
  }
  auto limit = api::limitParam(req);
  if (!limit) return tl::unexpected(limit.error());
  f.limit = *limit;
  auto cursor = api::numericCursor(req);
  if (!cursor) return tl::unexpected(cursor.error());
  f.before = *cursor;
  return f;
}

}  // namespace

void addNodeRoutes(Platform& p, Service& service) {
  p.router.add(
      http::Route::post("/pagopa/paForNode",
                        "The creditor-side SOAP interface the pagoPA node calls (paForNode WSDL: "
                        "paVerifyPaymentNotice, paGetPaymentV2, paSendRTV2)",
                        kTag,
                        [&service](Request& req) {
                          auto env = readEnvelope(req.body);
                          if (!env) return soap(400, soapFault(env.error().detail));
                          return soap(200, answer(service, *env));
                        })
          .publicAccess());

  p.router.add(http::Route::get(
      "/api/v1/payments/broker",
      "The CST's registration with pagoPA as intermediary: fiscal code and station", kTag,
      [&p, &service](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kCreditorRead); !s)
          return http::problem(s.error());
        auto b = service.broker();
        if (!b) return http::problem(b.error());
        if (!*b) return http::json(200, {{"configured", false}});
        Json j = toJson(**b);
        j["configured"] = true;
        return http::json(200, j);
      }));
  p.router.add(
      http::Route::put("/api/v1/payments/broker",
                       "Replace the intermediary's fiscal code and station (cst_admin; "
                       "audited)",
                       kTag,
                       [&p, &service](Request& req) {
                         if (auto s = api::requireAny(p.policy, req, action::kBrokerManage); !s)
                           return http::problem(s.error());
                         auto body = http::parseJsonObject(req);
                         if (!body) return http::problem(body.error());
                         return api::respond(service.saveBroker(*body, api::auditBy(req)),
                                             [](const Broker& b) { return toJson(b); });
                       })
          .schema(brokerSchema()));

  p.router.add(http::Route::get(
      "/api/v1/payments/receipts",
      "Receipts of the node (filters: ente, position_id, notice_number), newest first", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto filter = receiptFilterOf(req, *scope);
        if (!filter) return http::problem(filter.error());
        return api::idPage(service.receipts(*filter), filter->limit,
                           [](const StoredReceipt& r) { return toJson(r); });
      }));
  p.router.add(http::Route::get(
      "/api/v1/payments/receipts/{id}", "One receipt", kTag, [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        return api::respond(service.receipt(*id, *scope),
                            [](const StoredReceipt& r) { return toJson(r); });
      }));
  p.router.add(http::Route::get(
      "/api/v1/payments/receipts/{id}/receipt.xml",
      "The receipt exactly as the node delivered it (ctReceiptV2 XML), as a download", kTag,
      [&p, &service](Request& req) {
        auto scope = scopeFor(p, req, action::kPositionRead);
        if (!scope) return http::problem(scope.error());
        auto id = api::numericParam(req, "id");
        if (!id) return http::problem(id.error());
        auto r = service.receipt(*id, *scope);
        if (!r) return http::problem(r.error());
        return api::attachment(r->receipt.xml, "ricevuta-" + r->receipt.notice_number + ".xml",
                               "application/xml");
      }));
}

}  // namespace cst::payments
