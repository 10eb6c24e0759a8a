#pragma once
// A stand-in for the pagoPA node and a PSP, for the demo and the tests only: it sends our SOAP
// interface what the real node sends (verify, get payment, the receipt), built as the official
// schema says. The real node cannot be reached from here; our side of the protocol is the real one.
#include <optional>
#include <ostream>
#include <string>

#include "model_node.hpp"
#include "xml/xml.hpp"

namespace cst::payments::simulator {

std::string verifyRequest(const NodeCaller& c, const std::string& notice_number);
std::string getPaymentV2Request(const NodeCaller& c, const std::string& notice_number,
                                std::int64_t amount_cents);

// What a PSP collected, to be confirmed by a receipt.
struct Payment {
  std::string receipt_id;  // the payment token
  std::string notice_number, iuv, description, company_name;
  std::int64_t amount_cents = 0;
  Subject debtor;
  std::vector<ReceiptTransfer> transfers;
  std::string outcome = "OK";
  std::string payment_date_time;  // xsd:dateTime
};
std::string sendReceiptV2Request(const NodeCaller& c, const Payment& p);

// An answer of our interface: the response element with its outcome and fault.
struct Reply {
  xml::Doc doc;
  xmlNode* response = nullptr;
  std::string outcome, fault_code, fault_string;
};
Result<Reply> readReply(const std::string& body);

// What a PSP learns from paGetPaymentV2Response, ready to be confirmed.
Payment paymentOf(const Reply& get_payment, const std::string& notice_number,
                  const std::string& receipt_id, const std::string& payment_date_time);

}  // namespace cst::payments::simulator
