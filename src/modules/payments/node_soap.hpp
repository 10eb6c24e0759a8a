#pragma once
// The XML of the creditor-side SOAP interface (paForNode, document/literal SOAP 1.1): reading the
// node's requests after validating them against the official XSD, and writing our responses,
// which the tests validate against the same XSD. The texts are clipped to the schema's lengths.
#include <memory>
#include <string>
#include <string_view>

#include "model_node.hpp"
#include "xml/xml.hpp"

namespace cst::payments {

// The compiled paForNode.xsd (with the common types), built once.
Result<std::shared_ptr<const xml::Schema>> paForNodeSchema();

enum class NodeOperation { kVerify, kGetPaymentV2, kSendReceiptV2, kUnsupported };

// A request read from its SOAP envelope, not yet validated.
struct NodeEnvelope {
  xml::Doc doc;
  xmlNode* request = nullptr;    // the body's element
  std::string request_element;   // "paVerifyPaymentNoticeReq"
  std::string response_element;  // "paVerifyPaymentNoticeRes"
  NodeOperation operation = NodeOperation::kUnsupported;
};

// kBadInput when the body is not XML, not a SOAP 1.1 envelope, or its body holds no element of
// the paForNode namespace we know: the caller answers with a SOAP Fault, since there is no
// operation to answer in.
Result<NodeEnvelope> readEnvelope(std::string_view body);

// The fields of a request already validated against the schema.
NoticeQuery noticeQueryOf(const NodeEnvelope& e);
ReceiptDelivery receiptDeliveryOf(const NodeEnvelope& e);

// Responses, each a whole SOAP envelope.
std::string verifyResponse(const NodeNotice& n);
std::string getPaymentV2Response(const NodeNotice& n);
std::string okResponse(std::string_view response_element);
// outcome KO with the fault; `id` is who answers (our intermediary's fiscal code, or the
// creditor's when we have no registration yet).
std::string faultResponse(std::string_view response_element, const std::string& code,
                          const std::string& text, const std::string& id);
// A SOAP 1.1 Fault (soap:Client) for a request we cannot read as any operation.
std::string soapFault(const std::string& text);

// At most `max_chars` characters (UTF-8) of `text`: the schema counts characters.
std::string clipChars(std::string_view text, std::size_t max_chars);

inline constexpr const char* kSoapEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr const char* kPaForNodeNs = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

}  // namespace cst::payments
