#include "node_soap.hpp"

#include <array>

namespace cst::embedded {
const std::vector<xml::EmbeddedFile>& paymentsSchemas();
}

namespace cst::payments {

namespace {

struct OperationName {
  const char* request;
  const char* response;
  NodeOperation operation;
};
// Every request of the WSDL, so that even the ones we do not serve get an answer in their own
// response element (KO) rather than a transport error.
constexpr std::array<OperationName, 6> kOperations{{
    {"paVerifyPaymentNoticeReq", "paVerifyPaymentNoticeRes", NodeOperation::kVerify},
    {"paGetPaymentV2Request", "paGetPaymentV2Response", NodeOperation::kGetPaymentV2},
    {"paSendRTV2Request", "paSendRTV2Response", NodeOperation::kSendReceiptV2},
    {"paGetPaymentReq", "paGetPaymentRes", NodeOperation::kUnsupported},
    {"paSendRTReq", "paSendRTRes", NodeOperation::kUnsupported},
    {"paDemandPaymentNoticeRequest", "paDemandPaymentNoticeResponse", NodeOperation::kUnsupported},
}};

// Elements without a namespace prefix: the schema's local elements are unqualified.
class Writer {
 public:
  void open(std::string_view name) { out_.append("<").append(name).append(">"); }
  void close(std::string_view name) { out_.append("</").append(name).append(">"); }
  void element(std::string_view name, std::string_view value) {
    open(name);
    out_ += xml::escape(value);
    close(name);
  }
  // Optional text elements of the schema have a minimum length of 1: empty means absent.
  void optional(std::string_view name, const std::optional<std::string>& value,
                std::size_t max_chars) {
    if (value && !value->empty()) element(name, clipChars(*value, max_chars));
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

std::string envelope(std::string_view response_element, const std::string& content) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv=")";
  out.append(kSoapEnvelopeNs).append(R"("><soapenv:Body><pafn:)").append(response_element);
  out.append(R"( xmlns:pafn=")").append(kPaForNodeNs).append(R"(">)").append(content);
  out.append("</pafn:").append(response_element).append("></soapenv:Body></soapenv:Envelope>");
  return out;
}

// stEMail: [a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(.[a-zA-Z0-9-]+)*, at most 256 characters. An address
// the schema would refuse is left out rather than sent.
bool schemaEmail(std::string_view e) {
  const auto at = e.find('@');
  if (at == 0 || at == std::string_view::npos || e.size() > 256) return false;
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  for (char c : e.substr(0, at))
    if (!alnum(c) && c != '_' && c != '.' && c != '+' && c != '-') return false;
  const std::string_view domain = e.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  for (std::size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (c == '.' && domain[i + 1] == '.') return false;
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

void writeDebtor(Writer& w, const Debtor& d) {
  w.open("debtor");
  w.open("uniqueIdentifier");
  w.element("entityUniqueIdentifierType", std::string(1, d.type));
  w.element("entityUniqueIdentifierValue", d.fiscal_code);
  w.close("uniqueIdentifier");
  w.element("fullName", clipChars(d.name, 70));
  w.optional("streetName", d.street, 70);
  w.optional("civicNumber", d.civic_number, 16);
  w.optional("postalCode", d.postal_code, 16);
  w.optional("city", d.city, 35);
  w.optional("stateProvinceRegion", d.province, 35);
  if (d.country && d.country->size() == 2) w.element("country", *d.country);
  if (d.email && schemaEmail(*d.email)) w.element("e-mail", *d.email);
  w.close("debtor");
}

std::string descriptionOf(const NodeNotice& n) {
  return clipChars(n.option_description.value_or(n.description), 140);
}

NodeCaller callerOf(const xmlNode* request) {
  return {xml::childText(request, "idPA"), xml::childText(request, "idBrokerPA"),
          xml::childText(request, "idStation")};
}

std::optional<std::string> optionalText(const xmlNode* parent, std::string_view name) {
  const xmlNode* node = xml::child(parent, name);
  if (node == nullptr) return std::nullopt;
  return xml::text(node);
}

Subject subjectOf(const xmlNode* node) {
  Subject s;
  const xmlNode* id = xml::child(node, "uniqueIdentifier");
  const std::string type = xml::childText(id, "entityUniqueIdentifierType");
  s.type = type.empty() ? 'F' : type[0];
  s.fiscal_code = xml::childText(id, "entityUniqueIdentifierValue");
  s.name = xml::childText(node, "fullName");
  return s;
}

}  // namespace

Result<std::shared_ptr<const xml::Schema>> paForNodeSchema() {
  static const Result<std::shared_ptr<const xml::Schema>> schema =
      xml::Schema::compile(embedded::paymentsSchemas(), "paForNode.xsd");
  return schema;
}

std::string clipChars(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A character starts at every byte that is not a UTF-8 continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max_chars)
      return std::string(text.substr(0, i));
  }
  return std::string(text);
}

Result<NodeEnvelope> readEnvelope(std::string_view body) {
  auto doc = xml::parse(body);
  if (!doc) return tl::unexpected(doc.error());
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (xml::localName(root) != "Envelope" || xml::namespaceOf(root) != kSoapEnvelopeNs)
    return fail(ErrorCode::kBadInput, "non è una busta SOAP 1.1 (soapenv:Envelope)");
  const xmlNode* soap_body = xml::child(root, "Body");
  xmlNode* request = xml::firstElement(soap_body);
  if (request == nullptr)
    return fail(ErrorCode::kBadInput, "la busta SOAP non contiene una richiesta (soapenv:Body)");
  if (xml::namespaceOf(request) != kPaForNodeNs)
    return fail(ErrorCode::kBadInput, "richiesta fuori dallo spazio dei nomi di paForNode: " +
                                          std::string(xml::namespaceOf(request)));
  for (const OperationName& op : kOperations)
    if (xml::localName(request) == op.request) {
      NodeEnvelope e;
      e.doc = std::move(*doc);
      e.request = request;
      e.request_element = op.request;
      e.response_element = op.response;
      e.operation = op.operation;
      return e;
    }
  return fail(ErrorCode::kBadInput,
              "operazione sconosciuta: " + std::string(xml::localName(request)));
}

NoticeQuery noticeQueryOf(const NodeEnvelope& e) {
  NoticeQuery q;
  q.caller = callerOf(e.request);
  const xmlNode* qr = xml::child(e.request, "qrCode");
  q.fiscal_code = xml::childText(qr, "fiscalCode");
  q.notice_number = xml::childText(qr, "noticeNumber");
  if (auto amount = optionalText(e.request, "amount")) q.amount_cents = parseWireAmount(*amount);
  q.transfer_type = optionalText(e.request, "transferType");
  return q;
}

ReceiptDelivery receiptDeliveryOf(const NodeEnvelope& e) {
  ReceiptDelivery d;
  d.caller = callerOf(e.request);
  xmlNode* node = xml::child(e.request, "receipt");
  Receipt& r = d.receipt;
  r.receipt_id = xml::childText(node, "receiptId");
  r.notice_number = xml::childText(node, "noticeNumber");
  r.fiscal_code = xml::childText(node, "fiscalCode");
  r.outcome = xml::childText(node, "outcome");
  r.iuv = xml::childText(node, "creditorReferenceId");
  r.amount_cents = parseWireAmount(xml::childText(node, "paymentAmount")).value_or(0);
  r.description = xml::childText(node, "description");
  r.company_name = xml::childText(node, "companyName");
  r.debtor = subjectOf(xml::child(node, "debtor"));
  if (const xmlNode* payer = xml::child(node, "payer")) r.payer = subjectOf(payer);
  for (const xmlNode* t : xml::children(xml::child(node, "transferList"), "transfer")) {
    ReceiptTransfer rt;
    rt.id = std::atoi(xml::childText(t, "idTransfer").c_str());
    rt.amount_cents = parseWireAmount(xml::childText(t, "transferAmount")).value_or(0);
    rt.fiscal_code = xml::childText(t, "fiscalCodePA");
    rt.iban = optionalText(t, "IBAN");
    rt.remittance = xml::childText(t, "remittanceInformation");
    rt.category = xml::childText(t, "transferCategory");
    r.transfers.push_back(std::move(rt));
  }
  r.psp_id = xml::childText(node, "idPSP");
  r.psp_name = xml::childText(node, "PSPCompanyName");
  r.psp_fiscal_code = optionalText(node, "pspFiscalCode");
  r.channel_id = xml::childText(node, "idChannel");
  r.payment_method = optionalText(node, "paymentMethod");
  if (auto fee = optionalText(node, "fee")) r.fee_cents = parseWireAmount(*fee);
  r.payment_date_time = optionalText(node, "paymentDateTime");
  r.application_date = optionalText(node, "applicationDate");
  r.transfer_date = optionalText(node, "transferDate");
  r.stand_in = xml::childText(node, "standIn") == "true";
  r.xml = xml::serialize(node);
  return d;
}

std::string verifyResponse(const NodeNotice& n) {
  Writer w;
  w.element("outcome", "OK");
  w.open("paymentList");
  w.open("paymentOptionDescription");
  w.element("amount", wireAmount(n.amount_cents));
  // SANP: "al momento deve essere valorizzato con EQ".
  w.element("options", "EQ");
  w.element("dueDate", n.due_date);
  w.element("detailDescription", descriptionOf(n));
  // allCCP: every transfer may be credited to a postal account (GPD: every IBAN is postal).
  bool all_postal = !n.transfers.empty();
  for (const Transfer& t : n.transfers) {
    const auto it = splitItalianIban(t.iban);
    all_postal = all_postal && it && it->abi == "07601";
  }
  w.element("allCCP", all_postal ? "true" : "false");
  w.close("paymentOptionDescription");
  w.close("paymentList");
  w.element("paymentDescription", clipChars(n.description, 140));
  w.element("fiscalCodePA", n.creditor_fiscal_code);
  w.element("companyName", clipChars(n.company_name, 140));
  return envelope("paVerifyPaymentNoticeRes", w.text());
}

std::string getPaymentV2Response(const NodeNotice& n) {
  Writer w;
  w.element("outcome", "OK");
  w.open("data");
  w.element("creditorReferenceId", n.iuv);
  w.element("paymentAmount", wireAmount(n.amount_cents));
  w.element("dueDate", n.due_date);
  w.element("description", descriptionOf(n));
  w.element("companyName", clipChars(n.company_name, 140));
  writeDebtor(w, n.debtor);
  w.open("transferList");
  for (const Transfer& t : n.transfers) {
    w.open("transfer");
    w.element("idTransfer", std::to_string(t.seq));
    w.element("transferAmount", wireAmount(t.amount_cents));
    w.element("fiscalCodePA", t.beneficiary_fiscal_code.value_or(n.creditor_fiscal_code));
    w.element("IBAN", t.iban);
    w.element("remittanceInformation", clipChars(t.remittance, 140));
    w.element("transferCategory", n.service_code);
    w.close("transfer");
  }
  w.close("transferList");
  w.close("data");
  return envelope("paGetPaymentV2Response", w.text());
}

std::string okResponse(std::string_view response_element) {
  return envelope(response_element, "<outcome>OK</outcome>");
}

std::string faultResponse(std::string_view response_element, const std::string& code,
                          const std::string& text, const std::string& id) {
  Writer w;
  w.element("outcome", "KO");
  w.open("fault");
  w.element("faultCode", code);
  w.element("faultString", text);
  w.element("id", id);
  w.close("fault");
  return envelope(response_element, w.text());
}

std::string soapFault(const std::string& text) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv=")";
  out.append(kSoapEnvelopeNs)
      .append(
          R"("><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>)")
      .append(xml::escape(text))
      .append("</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>");
  return out;
}

}  // namespace cst::payments
