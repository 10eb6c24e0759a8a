#include "node_simulator.hpp"

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "http/client.hpp"
#include "model.hpp"
#include "node_soap.hpp"
#include "payments/simulate_node.hpp"

namespace cst::payments::simulator {

namespace {

std::string el(std::string_view name, std::string_view value) {
  return "<" + std::string(name) + ">" + xml::escape(value) + "</" + std::string(name) + ">";
}

std::string envelope(std::string_view request, const std::string& content) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv=")") +
         kSoapEnvelopeNs + R"("><soapenv:Body><pafn:)" + std::string(request) + R"( xmlns:pafn=")" +
         kPaForNodeNs + R"(">)" + content + "</pafn:" + std::string(request) +
         "></soapenv:Body></soapenv:Envelope>";
}

std::string callerXml(const NodeCaller& c) {
  return el("idPA", c.creditor_fiscal_code) + el("idBrokerPA", c.broker_fiscal_code) +
         el("idStation", c.station_id);
}

std::string qrXml(const NodeCaller& c, const std::string& notice) {
  return "<qrCode>" + el("fiscalCode", c.creditor_fiscal_code) + el("noticeNumber", notice) +
         "</qrCode>";
}

std::string subjectXml(std::string_view element, const Subject& s) {
  return "<" + std::string(element) + "><uniqueIdentifier>" +
         el("entityUniqueIdentifierType", std::string(1, s.type)) +
         el("entityUniqueIdentifierValue", s.fiscal_code) + "</uniqueIdentifier>" +
         el("fullName", clipChars(s.name, 70)) + "</" + std::string(element) + ">";
}

// One HTTP exchange with the interface; exit code 2 on anything but an answer of it.
Result<Reply> exchange(http::Client& client, const std::string& server, const std::string& action,
                       const std::string& body) {
  http::ClientRequest req;
  req.method = "POST";
  req.url = server + "/pagopa/paForNode";
  req.content_type = "text/xml; charset=utf-8";
  req.body = body;
  req.timeout = std::chrono::seconds(15);  // the node's own timeout for paSendRT
  (void)action;
  auto res = client.send(req);
  if (!res) return tl::unexpected(res.error());
  auto reply = readReply(res->body);
  if (!reply)
    return fail(ErrorCode::kUnavailable,
                "HTTP " + std::to_string(res->status) + ": " + reply.error().detail);
  return reply;
}

void printFault(const Reply& r, std::ostream& out) {
  out << "  esito: KO " << r.fault_code << " (" << r.fault_string << ")\n";
}

}  // namespace

std::string verifyRequest(const NodeCaller& c, const std::string& notice_number) {
  return envelope("paVerifyPaymentNoticeReq", callerXml(c) + qrXml(c, notice_number));
}

std::string getPaymentV2Request(const NodeCaller& c, const std::string& notice_number,
                                std::int64_t amount_cents) {
  return envelope("paGetPaymentV2Request", callerXml(c) + qrXml(c, notice_number) +
                                               el("amount", wireAmount(amount_cents)) +
                                               el("transferType", "PAGOPA"));
}

std::string sendReceiptV2Request(const NodeCaller& c, const Payment& p) {
  std::string transfers;
  for (const ReceiptTransfer& t : p.transfers)
    transfers += "<transfer>" + el("idTransfer", std::to_string(t.id)) +
                 el("transferAmount", wireAmount(t.amount_cents)) +
                 el("fiscalCodePA", t.fiscal_code) + el("IBAN", t.iban.value_or("")) +
                 el("remittanceInformation", t.remittance) + el("transferCategory", t.category) +
                 "</transfer>";
  const std::string receipt =
      "<receipt>" + el("receiptId", p.receipt_id) + el("noticeNumber", p.notice_number) +
      el("fiscalCode", c.creditor_fiscal_code) + el("outcome", p.outcome) +
      el("creditorReferenceId", p.iuv) + el("paymentAmount", wireAmount(p.amount_cents)) +
      el("description", clipChars(p.description, 140)) +
      el("companyName", clipChars(p.company_name, 140)) + subjectXml("debtor", p.debtor) +
      "<transferList>" + transfers + "</transferList>" + el("idPSP", "SIMPSP01") +
      el("PSPCompanyName", "PSP simulato (cst payments simulate-node)") +
      el("idChannel", "SIMPSP01_01") + el("channelDescription", "simulatore") +
      el("paymentMethod", "creditCard") + el("fee", "1.00") +
      el("paymentDateTime", p.payment_date_time) +
      el("applicationDate", p.payment_date_time.substr(0, 10)) +
      el("transferDate", p.payment_date_time.substr(0, 10)) + "</receipt>";
  return envelope("paSendRTV2Request", callerXml(c) + receipt);
}

Result<Reply> readReply(const std::string& body) {
  auto doc = xml::parse(body);
  if (!doc) return tl::unexpected(doc.error());
  Reply r;
  r.response = xml::firstElement(xml::child(xmlDocGetRootElement(doc->get()), "Body"));
  if (r.response == nullptr) return fail(ErrorCode::kBadInput, "risposta SOAP senza corpo");
  if (xml::localName(r.response) == "Fault")
    return fail(ErrorCode::kBadInput, "SOAP Fault: " + xml::childText(r.response, "faultstring"));
  r.outcome = xml::childText(r.response, "outcome");
  const xmlNode* f = xml::child(r.response, "fault");
  r.fault_code = xml::childText(f, "faultCode");
  r.fault_string = xml::childText(f, "faultString");
  r.doc = std::move(*doc);
  return r;
}

Payment paymentOf(const Reply& get_payment, const std::string& notice_number,
                  const std::string& receipt_id, const std::string& payment_date_time) {
  const xmlNode* data = xml::child(get_payment.response, "data");
  Payment p;
  p.receipt_id = receipt_id;
  p.notice_number = notice_number;
  p.iuv = xml::childText(data, "creditorReferenceId");
  p.amount_cents = parseWireAmount(xml::childText(data, "paymentAmount")).value_or(0);
  p.description = xml::childText(data, "description");
  p.company_name = xml::childText(data, "companyName");
  const xmlNode* debtor = xml::child(data, "debtor");
  const xmlNode* id = xml::child(debtor, "uniqueIdentifier");
  const std::string type = xml::childText(id, "entityUniqueIdentifierType");
  p.debtor = {type.empty() ? 'F' : type[0], xml::childText(id, "entityUniqueIdentifierValue"),
              xml::childText(debtor, "fullName")};
  for (const xmlNode* t : xml::children(xml::child(data, "transferList"), "transfer"))
    p.transfers.push_back({std::atoi(xml::childText(t, "idTransfer").c_str()),
                           parseWireAmount(xml::childText(t, "transferAmount")).value_or(0),
                           xml::childText(t, "fiscalCodePA"), xml::childText(t, "IBAN"),
                           xml::childText(t, "remittanceInformation"),
                           xml::childText(t, "transferCategory")});
  p.payment_date_time = payment_date_time;
  return p;
}

}  // namespace cst::payments::simulator

namespace cst::payments {

using namespace simulator;

int simulateNode(const SimulateNodeOptions& o, std::ostream& out, std::ostream& err) {
  const NodeCaller caller{o.creditor_fiscal_code, o.broker_fiscal_code, o.station_id};
  const std::string notice = compactNoticeNumber(o.notice_number);
  http::initCurl();
  http::Client client;
  out << "1. paVerifyPaymentNotice " << notice << "\n";
  auto verify = exchange(client, o.server, "paVerifyPaymentNotice", verifyRequest(caller, notice));
  if (!verify) {
    err << "error: " << verify.error().detail << "\n";
    return 2;
  }
  if (verify->outcome != "OK") {
    printFault(*verify, out);
    return 1;
  }
  const xmlNode* option =
      xml::child(xml::child(verify->response, "paymentList"), "paymentOptionDescription");
  const std::string amount = xml::childText(option, "amount");
  out << "  esito: OK\n  ente: " << xml::childText(verify->response, "companyName")
      << "\n  oggetto: " << xml::childText(verify->response, "paymentDescription")
      << "\n  importo: " << amount << " EUR\n  scadenza: " << xml::childText(option, "dueDate")
      << "\n";
  if (o.verify_only) return 0;

  out << "2. paGetPaymentV2 (importo " << amount << ")\n";
  auto get = exchange(client, o.server, "paGetPaymentV2",
                      getPaymentV2Request(caller, notice, parseWireAmount(amount).value_or(0)));
  if (!get) {
    err << "error: " << get.error().detail << "\n";
    return 2;
  }
  if (get->outcome != "OK") {
    printFault(*get, out);
    return 1;
  }
  const std::string receipt_id = o.receipt_id.empty() ? randomToken(16) : o.receipt_id;
  const Payment payment = paymentOf(*get, notice, receipt_id, formatTimestamp(systemNow()));
  out << "  esito: OK\n  IUV: " << payment.iuv << "\n";
  for (const ReceiptTransfer& t : payment.transfers)
    out << "  versamento " << t.id << ": " << wireAmount(t.amount_cents) << " EUR a "
        << t.fiscal_code << " (" << t.iban.value_or("") << ")\n";

  out << "3. paSendRTV2 (ricevuta " << receipt_id << ")\n";
  auto sent = exchange(client, o.server, "paSendRTV2", sendReceiptV2Request(caller, payment));
  if (!sent) {
    err << "error: " << sent.error().detail << "\n";
    return 2;
  }
  if (sent->outcome != "OK") {
    printFault(*sent, out);
    return 1;
  }
  out << "  esito: OK: pagamento registrato\n";
  return 0;
}

}  // namespace cst::payments
