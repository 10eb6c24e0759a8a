// The SOAP wire format of paForNode: our responses validate against the official XSD, requests
// are read field by field, amounts are exact.
#include "node_soap.hpp"

#include <gtest/gtest.h>

namespace cst::payments {
namespace {

xml::Doc parsed(const std::string& text) {
  auto doc = xml::parse(text);
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().detail);
  return doc ? std::move(*doc) : xml::Doc();
}

// The body element of an envelope we wrote, validated against paForNode.xsd.
Status validBody(const std::string& envelope) {
  auto doc = xml::parse(envelope);
  if (!doc) return tl::unexpected(doc.error());
  xmlNode* body = xml::child(xmlDocGetRootElement(doc->get()), "Body");
  auto schema = paForNodeSchema();
  if (!schema) return tl::unexpected(schema.error());
  return (*schema)->validate(xml::firstElement(body));
}

NodeNotice sampleNotice() {
  NodeNotice n;
  n.creditor_fiscal_code = "00297960197";
  n.company_name = "Comune di Cremona";
  n.notice_number = "301000000000000168";
  n.iuv = "01000000000000168";
  n.due_date = "2030-06-30";
  n.amount_cents = 18550;
  n.description = "Mensa scolastica: primo trimestre, è così & <altro>";
  n.service_code = "9/0101108TS/";
  n.debtor = {
      'F',  "BNCLRA90E45D150P",        "Laura Bianchi", "Via Roma", "1", "26100", "Cremona", "CR",
      "IT", "laura.bianchi@example.it"};
  n.transfers = {{1, 15000, "IT60X0542811101000000123456", "Mensa", std::nullopt},
                 {2, 3550, "IT42K0760111400000012345678", "Quota provinciale", "80002130195"}};
  return n;
}

TEST(NodeSoap, WireAmountsAreExactCents) {
  EXPECT_EQ(parseWireAmount("185.50"), 18550);
  EXPECT_EQ(parseWireAmount("0.01"), 1);
  EXPECT_EQ(parseWireAmount("999999999.99"), 99999999999);
  EXPECT_FALSE(parseWireAmount("185.5"));
  EXPECT_FALSE(parseWireAmount("185"));
  EXPECT_FALSE(parseWireAmount(".50"));
  EXPECT_FALSE(parseWireAmount("1e3.00"));
  EXPECT_EQ(wireAmount(18550), "185.50");
  EXPECT_EQ(wireAmount(5), "0.05");
  EXPECT_EQ(wireAmount(100), "1.00");
}

TEST(NodeSoap, ClipCountsCharactersNotBytes) {
  EXPECT_EQ(clipChars("àèìòù", 3), "àèì");
  EXPECT_EQ(clipChars("abc", 5), "abc");
  EXPECT_EQ(clipChars("abc", 0), "");
}

TEST(NodeSoap, ResponsesValidateAgainstTheOfficialSchema) {
  const NodeNotice n = sampleNotice();
  ASSERT_TRUE(validBody(verifyResponse(n))) << validBody(verifyResponse(n)).error().detail;
  ASSERT_TRUE(validBody(getPaymentV2Response(n)))
      << validBody(getPaymentV2Response(n)).error().detail;
  ASSERT_TRUE(validBody(okResponse("paSendRTV2Response")));
  ASSERT_TRUE(validBody(faultResponse("paVerifyPaymentNoticeRes", fault::kUnknown,
                                      "avviso sconosciuto", "80002130195")));

  // Long texts are clipped to the schema's lengths rather than sent invalid.
  NodeNotice long_texts = n;
  long_texts.description = std::string(300, 'x');
  long_texts.debtor.name = std::string(100, 'y');
  long_texts.debtor.email = "not an address";
  EXPECT_TRUE(validBody(getPaymentV2Response(long_texts)));
  EXPECT_TRUE(validBody(verifyResponse(long_texts)));
}

TEST(NodeSoap, VerifyResponseCarriesTheNotice) {
  auto doc = parsed(verifyResponse(sampleNotice()));
  const xmlNode* res = xml::firstElement(xml::child(xmlDocGetRootElement(doc.get()), "Body"));
  EXPECT_EQ(xml::localName(res), "paVerifyPaymentNoticeRes");
  EXPECT_EQ(xml::childText(res, "outcome"), "OK");
  const xmlNode* option = xml::child(xml::child(res, "paymentList"), "paymentOptionDescription");
  EXPECT_EQ(xml::childText(option, "amount"), "185.50");
  EXPECT_EQ(xml::childText(option, "options"), "EQ");
  EXPECT_EQ(xml::childText(option, "dueDate"), "2030-06-30");
  EXPECT_EQ(xml::childText(option, "allCCP"), "false");  // one transfer is to a bank account
  EXPECT_EQ(xml::childText(res, "paymentDescription"),
            "Mensa scolastica: primo trimestre, è così & <altro>");
  EXPECT_EQ(xml::childText(res, "fiscalCodePA"), "00297960197");
}

TEST(NodeSoap, GetPaymentNamesEveryBeneficiary) {
  auto doc = parsed(getPaymentV2Response(sampleNotice()));
  const xmlNode* res = xml::firstElement(xml::child(xmlDocGetRootElement(doc.get()), "Body"));
  const xmlNode* data = xml::child(res, "data");
  EXPECT_EQ(xml::childText(data, "creditorReferenceId"), "01000000000000168");
  EXPECT_EQ(xml::childText(data, "paymentAmount"), "185.50");
  auto transfers = xml::children(xml::child(data, "transferList"), "transfer");
  ASSERT_EQ(transfers.size(), 2U);
  EXPECT_EQ(xml::childText(transfers[0], "fiscalCodePA"), "00297960197");
  EXPECT_EQ(xml::childText(transfers[1], "fiscalCodePA"), "80002130195");
  EXPECT_EQ(xml::childText(transfers[1], "transferAmount"), "35.50");
  EXPECT_EQ(xml::childText(transfers[1], "transferCategory"), "9/0101108TS/");
}

TEST(NodeSoap, EnvelopesThatAreNoOperationAreRefused) {
  EXPECT_FALSE(readEnvelope("not xml"));
  EXPECT_FALSE(readEnvelope("<a/>"));
  EXPECT_FALSE(readEnvelope(
      R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>)"));
  auto unknown =
      readEnvelope(R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>)"
                   R"(<p:paSomething xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"/>)"
                   R"(</s:Body></s:Envelope>)");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().detail.find("paSomething"), std::string::npos);
  // An external entity is never fetched nor expanded.
  auto xxe = readEnvelope(
      R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)"
      R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>)"
      R"(<p:paVerifyPaymentNoticeReq xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">)"
      R"(<idPA>&e;</idPA></p:paVerifyPaymentNoticeReq></s:Body></s:Envelope>)");
  ASSERT_TRUE(xxe) << xxe.error().detail;
  EXPECT_EQ(xml::childText(xxe->request, "idPA").find("root:"), std::string::npos);
}

}  // namespace
}  // namespace cst::payments
