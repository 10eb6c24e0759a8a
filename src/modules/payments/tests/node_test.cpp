// The creditor-side SOAP interface end to end: the real `cst serve` with demo data (Cremona
// 019036 is creditor 00297960197; the CST is intermediary 80002130195 with station
// 80002130195_01), requests as the pagoPA node sends them (node_simulator.hpp), every answer
// validated against the official paForNode.xsd.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "node_simulator.hpp"
#include "node_soap.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

namespace sim = payments::simulator;
using payments::NodeCaller;

const std::string kPositions = "/api/v1/payments/positions";
const NodeCaller kCremona{"00297960197", "80002130195", "80002130195_01"};

Json planBody(const std::string& reference) {
  return {{"ente", "019036"},
          {"reference", reference},
          {"description", "Mensa scolastica " + reference},
          {"service_code", "9/0101108TS/"},
          {"debtor",
           {{"type", "F"},
            {"fiscal_code", "RSSMRA85T10A562S"},
            {"name", "Mario Rossi"},
            {"email", "mario.rossi@example.it"}}},
          {"options", Json::parse(R"([
            {"amount_cents": 12000, "due_date": "2030-01-31",
             "transfers": [{"amount_cents": 9000, "remittance": "Mensa"},
                           {"amount_cents": 3000, "remittance": "Trasporto",
                            "beneficiary_fiscal_code": "80002130195",
                            "iban": "IT24D0542811101000000654321"}]},
            {"amount_cents": 6000, "due_date": "2030-01-31", "instalment": true,
             "transfers": [{"amount_cents": 6000, "remittance": "Rata 1"}]},
            {"amount_cents": 6000, "due_date": "2030-06-30", "instalment": true,
             "transfers": [{"amount_cents": 6000, "remittance": "Rata 2"}]}])")}};
}

class Node : public DemoServerSuite<Node> {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }

  // A published position of Cremona: its JSON.
  Json published(const std::string& reference, bool publish = true) {
    HttpClient clerk = as("impiegato.cremona");
    auto created = clerk.post(kPositions, planBody(reference));
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string url = kPositions + "/" + std::to_string(created.json()["id"].get<int>());
    if (!publish) return created.json();
    auto p = clerk.request("POST", url + "/publish");
    EXPECT_EQ(p.status, 200) << p.body;
    return p.json();
  }

  Json position(const Json& p) {
    return as("impiegato.cremona")
        .get(kPositions + "/" + std::to_string(p["id"].get<int>()))
        .json();
  }

  // Posts to the SOAP endpoint with no login, as the node does; the answer must be valid.
  sim::Reply call(const std::string& body, int expected_status = 200) {
    HttpClient node(server_->port());
    auto r = node.request("POST", "/pagopa/paForNode", body, "text/xml; charset=utf-8");
    EXPECT_EQ(r.status, expected_status) << r.body;
    auto doc = xml::parse(r.body);
    EXPECT_TRUE(doc) << r.body;
    if (doc && expected_status == 200) {
      xmlNode* answer = xml::firstElement(xml::child(xmlDocGetRootElement(doc->get()), "Body"));
      auto valid = (*payments::paForNodeSchema())->validate(answer);
      EXPECT_TRUE(valid) << (valid ? "" : valid.error().detail) << "\n" << r.body;
    }
    auto reply = sim::readReply(r.body);
    if (expected_status == 200) {
      EXPECT_TRUE(reply) << r.body;
    }
    return reply ? std::move(*reply) : sim::Reply{};
  }

  sim::Reply verify(const std::string& nav, const NodeCaller& c = kCremona) {
    return call(sim::verifyRequest(c, nav));
  }

  // verify + get payment + receipt, as a PSP would: the receipt's reply.
  sim::Reply pay(const std::string& nav, const std::string& receipt_id,
                 const NodeCaller& c = kCremona) {
    auto v = verify(nav, c);
    if (v.outcome != "OK") return v;
    const xmlNode* option =
        xml::child(xml::child(v.response, "paymentList"), "paymentOptionDescription");
    const auto amount = payments::parseWireAmount(xml::childText(option, "amount"));
    auto get = call(sim::getPaymentV2Request(c, nav, amount.value_or(0)));
    if (get.outcome != "OK") return get;
    return call(sim::sendReceiptV2Request(
        c, sim::paymentOf(get, nav, receipt_id, "2030-01-15T10:30:00.000+01:00")));
  }

  static std::string nav(const Json& p, int option) {
    return p["options"][option]["notice_number"].get<std::string>();
  }
};

TEST_F(Node, VerifyGetPaymentAndReceiptPayAPositionOnce) {
  const Json p = published("NODE-SINGLE");
  const std::string single = nav(p, 0);

  auto v = verify(single);
  ASSERT_EQ(v.outcome, "OK") << v.fault_code << " " << v.fault_string;
  const xmlNode* option =
      xml::child(xml::child(v.response, "paymentList"), "paymentOptionDescription");
  EXPECT_EQ(xml::childText(option, "amount"), "120.00");
  EXPECT_EQ(xml::childText(option, "dueDate"), "2030-01-31");
  EXPECT_EQ(xml::childText(v.response, "fiscalCodePA"), "00297960197");
  EXPECT_EQ(xml::childText(v.response, "paymentDescription"), "Mensa scolastica NODE-SINGLE");

  auto get = call(sim::getPaymentV2Request(kCremona, single, 12000));
  ASSERT_EQ(get.outcome, "OK") << get.fault_code;
  const xmlNode* data = xml::child(get.response, "data");
  EXPECT_EQ(xml::childText(data, "creditorReferenceId"), p["options"][0]["iuv"]);
  EXPECT_EQ(xml::childText(xml::child(xml::child(data, "debtor"), "uniqueIdentifier"),
                           "entityUniqueIdentifierValue"),
            "RSSMRA85T10A562S");
  auto transfers = xml::children(xml::child(data, "transferList"), "transfer");
  ASSERT_EQ(transfers.size(), 2U);
  EXPECT_EQ(xml::childText(transfers[1], "fiscalCodePA"), "80002130195");
  EXPECT_EQ(xml::childText(transfers[1], "IBAN"), "IT24D0542811101000000654321");
  EXPECT_EQ(xml::childText(transfers[1], "transferAmount"), "30.00");
  EXPECT_EQ(position(p)["status"], "VALID") << "verify and get payment change nothing";

  const auto payment = sim::paymentOf(get, single, "RCPT-SINGLE-1", "2030-01-15T10:30:00Z");
  auto sent = call(sim::sendReceiptV2Request(kCremona, payment));
  ASSERT_EQ(sent.outcome, "OK") << sent.fault_code << " " << sent.fault_string;
  Json now = position(p);
  EXPECT_EQ(now["status"], "PAID");
  EXPECT_EQ(now["timeline"].back()["event"], "full_payment");
  EXPECT_EQ(now["timeline"].back()["actor"], "pagopa");

  // The node retries until it hears OK: the same receipt again is OK and changes nothing.
  EXPECT_EQ(call(sim::sendReceiptV2Request(kCremona, payment)).outcome, "OK");
  HttpClient clerk = as("impiegato.cremona");
  auto list =
      clerk.get("/api/v1/payments/receipts?position_id=" + std::to_string(p["id"].get<int>()));
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 1U) << list.body;
  const Json receipt = list.json()["items"][0];
  EXPECT_EQ(receipt["receipt_id"], "RCPT-SINGLE-1");
  EXPECT_EQ(receipt["amount_cents"], 12000);
  EXPECT_EQ(receipt["notice_number"], single);
  EXPECT_EQ(receipt["payment_date_time"], "2030-01-15T10:30:00Z");
  EXPECT_EQ(receipt["transfers"].size(), 2U);
  EXPECT_TRUE(receipt["anomaly"].is_null());
  const std::string receipt_url =
      "/api/v1/payments/receipts/" + std::to_string(receipt["id"].get<int>());
  auto xml_download = clerk.get(receipt_url + "/receipt.xml");
  ASSERT_EQ(xml_download.status, 200);
  EXPECT_NE(xml_download.body.find("<receiptId>RCPT-SINGLE-1</receiptId>"), std::string::npos);

  // Another receipt for the paid notice is refused, and the refusal is traced.
  auto other = payment;
  other.receipt_id = "RCPT-SINGLE-2";
  auto dup = call(sim::sendReceiptV2Request(kCremona, other));
  EXPECT_EQ(dup.outcome, "KO");
  EXPECT_EQ(dup.fault_code, "PAA_RECEIPT_DUPLICATA");
  auto refused = as("admin").get("/api/v1/audit?action=payments.receipt.refuse&limit=50").json();
  bool traced = false;
  for (const auto& e : refused["items"]) traced = traced || e["object_id"] == "RCPT-SINGLE-2";
  EXPECT_TRUE(traced) << refused.dump();
  EXPECT_EQ(clerk.get("/api/v1/payments/receipts?notice_number=" + single).json()["items"].size(),
            1U);

  EXPECT_EQ(verify(single).fault_code, "PAA_PAGAMENTO_DUPLICATO");
  EXPECT_EQ(verify(nav(p, 1)).fault_code, "PAA_PAGAMENTO_DUPLICATO")
      << "paid in one go: the instalments are paid too";
}

TEST_F(Node, InstalmentsMakeThePositionPartiallyPaidThenPaid) {
  const Json p = published("NODE-PLAN");
  ASSERT_EQ(pay(nav(p, 1), "RCPT-PLAN-1").outcome, "OK");
  EXPECT_EQ(position(p)["status"], "PARTIALLY_PAID");
  EXPECT_EQ(verify(nav(p, 0)).fault_code, "PAA_PAGAMENTO_DUPLICATO")
      << "once paid by instalments, the single payment is no longer offered";
  EXPECT_EQ(verify(nav(p, 1)).fault_code, "PAA_PAGAMENTO_DUPLICATO");
  EXPECT_EQ(verify(nav(p, 2)).outcome, "OK");
  ASSERT_EQ(pay(nav(p, 2), "RCPT-PLAN-2").outcome, "OK");
  const Json now = position(p);
  EXPECT_EQ(now["status"], "PAID");
  EXPECT_EQ(now["timeline"][now["timeline"].size() - 2]["event"], "partial_payment");
}

TEST_F(Node, FaultsFollowTheStateAndTheCaller) {
  const Json draft = published("NODE-DRAFT", false);
  EXPECT_EQ(verify(nav(draft, 0)).fault_code, "PAA_PAGAMENTO_SCONOSCIUTO");
  EXPECT_EQ(verify("301999999999999999").fault_code, "PAA_PAGAMENTO_SCONOSCIUTO");

  const Json cancelled = published("NODE-CANCELLED");
  HttpClient clerk = as("impiegato.cremona");
  auto inv =
      clerk.post(kPositions + "/" + std::to_string(cancelled["id"].get<int>()) + "/invalidate",
                 {{"reason", "emessa per errore"}});
  ASSERT_EQ(inv.status, 200) << inv.body;
  EXPECT_EQ(verify(nav(cancelled, 0)).fault_code, "PAA_PAGAMENTO_ANNULLATO");

  const Json p = published("NODE-CALLER");
  const std::string n = nav(p, 0);
  EXPECT_EQ(verify(n, {"00297960197", "99999999999", "80002130195_01"}).fault_code,
            "PAA_ID_INTERMEDIARIO_ERRATO");
  EXPECT_EQ(verify(n, {"00297960197", "80002130195", "80002130195_99"}).fault_code,
            "PAA_STAZIONE_INT_ERRATA");
  EXPECT_EQ(verify(n, {"00318000197", "80002130195", "80002130195_01"}).fault_code,
            "PAA_ID_DOMINIO_ERRATO");
  // Crema (91035680197) is one of our creditors, but the notice is Cremona's.
  EXPECT_EQ(verify(n, {"91035680197", "80002130195", "80002130195_01"}).fault_code,
            "PAA_PAGAMENTO_SCONOSCIUTO");
  auto wrong_amount = call(sim::getPaymentV2Request(kCremona, n, 11999));
  EXPECT_EQ(wrong_amount.fault_code, "PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO");
  const auto fault = xml::child(wrong_amount.response, "fault");
  EXPECT_EQ(xml::childText(fault, "id"), "80002130195");
  EXPECT_EQ(position(p)["status"], "VALID");
}

TEST_F(Node, BadRequestsGetAFaultAndChangeNothing) {
  const Json p = published("NODE-BAD");
  const std::string n = nav(p, 0);
  auto garbage = call("this is not xml", 400);
  EXPECT_EQ(garbage.outcome, "");
  HttpClient node(server_->port());
  auto raw = node.request("POST", "/pagopa/paForNode", "<<<", "text/xml");
  EXPECT_EQ(raw.status, 400);
  EXPECT_NE(raw.body.find("soapenv:Client"), std::string::npos) << raw.body;

  // Well-formed but not what the schema says: a 17-digit notice number.
  auto invalid = call(sim::verifyRequest(kCremona, n.substr(1)));
  EXPECT_EQ(invalid.outcome, "KO");
  EXPECT_EQ(invalid.fault_code, "PAA_SINTASSI_XSD");
  EXPECT_NE(invalid.fault_string.find("noticeNumber"), std::string::npos) << invalid.fault_string;

  // A receipt with an amount the schema refuses ("120" without cents).
  std::string receipt =
      sim::sendReceiptV2Request(kCremona, {"RCPT-BAD",
                                           n,
                                           p["options"][0]["iuv"],
                                           "x",
                                           "Comune di Cremona",
                                           12000,
                                           {'F', "RSSMRA85T10A562S", "Mario Rossi"},
                                           {},
                                           "OK",
                                           "2030-01-15T10:30:00Z"});
  EXPECT_EQ(call(receipt).fault_code, "PAA_SINTASSI_XSD") << "no transfers";

  // An operation of the WSDL this station does not serve answers in its own element.
  const std::string v1 = std::string(R"(<?xml version="1.0"?><s:Envelope xmlns:s=")") +
                         payments::kSoapEnvelopeNs + R"("><s:Body><p:paGetPaymentReq xmlns:p=")" +
                         payments::kPaForNodeNs +
                         R"("><idPA>00297960197</idPA><idBrokerPA>80002130195</idBrokerPA>)"
                         R"(<idStation>80002130195_01</idStation><qrCode><fiscalCode>)"
                         R"(00297960197</fiscalCode><noticeNumber>)" +
                         n + "</noticeNumber></qrCode></p:paGetPaymentReq></s:Body></s:Envelope>";
  auto old = call(v1);
  EXPECT_EQ(xml::localName(old.response), "paGetPaymentRes");
  EXPECT_EQ(old.fault_code, "PAA_SYSTEM_ERROR");
  EXPECT_EQ(position(p)["status"], "VALID");
  EXPECT_EQ(as("admin").get("/api/v1/payments/receipts?notice_number=" + n).json()["items"].size(),
            0U);
}

TEST_F(Node, AReceiptForACancelledPositionIsKeptAsAnAnomaly) {
  const Json p = published("NODE-LATE");
  const std::string n = nav(p, 0);
  auto get = call(sim::getPaymentV2Request(kCremona, n, 12000));
  ASSERT_EQ(get.outcome, "OK");
  HttpClient clerk = as("impiegato.cremona");
  ASSERT_EQ(clerk
                .post(kPositions + "/" + std::to_string(p["id"].get<int>()) + "/invalidate",
                      {{"reason", "rettifica"}})
                .status,
            200);
  // The PSP had already collected: the money exists, the receipt must be kept.
  auto sent = call(sim::sendReceiptV2Request(
      kCremona, sim::paymentOf(get, n, "RCPT-LATE", "2030-01-15T10:30:00Z")));
  EXPECT_EQ(sent.outcome, "OK");
  EXPECT_EQ(position(p)["status"], "INVALID");
  auto list = clerk.get("/api/v1/payments/receipts?notice_number=" + n).json();
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_NE(list["items"][0]["anomaly"].get<std::string>().find("INVALID"), std::string::npos);
}

TEST_F(Node, ConcurrentDeliveriesRecordOnePayment) {
  const Json p = published("NODE-RACE");
  const std::string n = nav(p, 0);
  auto get = call(sim::getPaymentV2Request(kCremona, n, 12000));
  ASSERT_EQ(get.outcome, "OK");
  std::atomic<int> ok{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      // Half the same receipt (retries), half different receipts for the same notice.
      const std::string id = i % 2 == 0 ? "RCPT-RACE" : "RCPT-RACE-" + std::to_string(i);
      HttpClient node(server_->port());
      auto r = node.request(
          "POST", "/pagopa/paForNode",
          sim::sendReceiptV2Request(kCremona, sim::paymentOf(get, n, id, "2030-01-15T10:30:00Z")),
          "text/xml");
      auto reply = sim::readReply(r.body);
      if (reply && reply->outcome == "OK") ++ok;
      if (reply && reply->fault_code == "PAA_RECEIPT_DUPLICATA") ++duplicate;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok + duplicate, 8);
  const Json receipts =
      as("admin").get("/api/v1/payments/receipts?notice_number=" + n).json()["items"];
  ASSERT_EQ(receipts.size(), 1U) << receipts.dump();
  // Whichever receipt won, its retries are OK and the others are duplicates.
  EXPECT_EQ(ok, receipts[0]["receipt_id"] == "RCPT-RACE" ? 4 : 1);
  const Json now = position(p);
  EXPECT_EQ(now["status"], "PAID");
  int payments = 0;
  for (const auto& e : now["timeline"]) payments += e["event"] == "full_payment" ? 1 : 0;
  EXPECT_EQ(payments, 1);
}

TEST_F(Node, ReceiptsAndTheRegistrationAreGuarded) {
  const Json p = published("NODE-TENANT");
  ASSERT_EQ(pay(nav(p, 0), "RCPT-TENANT").outcome, "OK");
  const Json mine =
      as("ref.cremona").get("/api/v1/payments/receipts?notice_number=" + nav(p, 0)).json();
  ASSERT_EQ(mine["items"].size(), 1U);
  const std::string url =
      "/api/v1/payments/receipts/" + std::to_string(mine["items"][0]["id"].get<int>());
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get(url).status, 404);
  EXPECT_EQ(crema.get(url + "/receipt.xml").status, 404);
  EXPECT_EQ(
      crema.get("/api/v1/payments/receipts?notice_number=" + nav(p, 0)).json()["items"].size(), 0U);
  EXPECT_EQ(crema.get("/api/v1/payments/receipts?ente=019036").status, 404);
  EXPECT_EQ(as("cittadino.bianchi").get(url).status, 403);

  // The registration: read by staff, changed by the CST's administrators only.
  auto broker = as("ref.cremona").get("/api/v1/payments/broker");
  ASSERT_EQ(broker.status, 200);
  EXPECT_EQ(broker.json()["station_id"], "80002130195_01");
  EXPECT_EQ(as("ref.cremona")
                .request("PUT", "/api/v1/payments/broker",
                         R"({"fiscal_code":"80002130195","station_id":"X"})")
                .status,
            403);
  HttpClient admin = as("admin");
  auto bad = admin.request("PUT", "/api/v1/payments/broker",
                           R"({"fiscal_code":"80002130196","station_id":"a b"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  const Json problem = bad.json();  // kept: the loop must not run over a destroyed temporary
  for (const auto& e : problem["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"fiscal_code", "station_id"}));
  EXPECT_EQ(admin.get("/api/v1/payments/broker").json()["station_id"], "80002130195_01");
}

TEST_F(Node, ACitizenFindsTheirNoticeWithTheTwoKeysAndNothingElse) {
  const Json p = published("NODE-CITIZEN");
  const std::string single = nav(p, 0);
  // As printed, in groups of four (the spaces encoded in the path).
  std::string printed = payments::formatNoticeNumber(single);
  for (auto at = printed.find(' '); at != std::string::npos; at = printed.find(' '))
    printed.replace(at, 1, "%20");
  const std::string url = "/api/v1/payments/public/notices/" + printed;
  HttpClient anyone(server_->port());  // no login
  for (const char* cf : {"RSSMRA85T10A562S", "rssmra85t10a562s"}) {
    auto r = anyone.get(url + "?fiscal_code=" + cf);
    ASSERT_EQ(r.status, 200) << r.body;
    const Json item = r.json()["items"][0];
    EXPECT_EQ(item["state"], "da_pagare");
    EXPECT_EQ(item["amount_cents"], 12000);
    EXPECT_EQ(item["due_date"], "2030-01-31");
    EXPECT_EQ(item["ente_name"], "Comune di Cremona");
    EXPECT_EQ(item["instalments"], 2);
    EXPECT_TRUE(item["receipt"].is_null());
  }
  auto pdf = anyone.get(url + "/notice.pdf?fiscal_code=RSSMRA85T10A562S");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  // The wrong fiscal code, a draft, a malformed key: nothing is revealed.
  EXPECT_EQ(anyone.get(url + "?fiscal_code=BNCLRA90E45D150P").status, 404);
  EXPECT_EQ(anyone.get(url + "/notice.pdf?fiscal_code=BNCLRA90E45D150P").status, 404);
  const Json draft = published("NODE-CITIZEN-DRAFT", false);
  EXPECT_EQ(
      anyone
          .get("/api/v1/payments/public/notices/" + nav(draft, 0) + "?fiscal_code=RSSMRA85T10A562S")
          .status,
      404);
  auto bad = anyone.get("/api/v1/payments/public/notices/123?fiscal_code=XYZ");
  ASSERT_EQ(bad.status, 400);
  const Json problem = bad.json();
  std::set<std::string> fields;
  for (const auto& e : problem["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"notice_number", "fiscal_code"}));

  // Paid: the state and the receipt follow; the notice is no longer printed.
  ASSERT_EQ(pay(single, "RCPT-CITIZEN").outcome, "OK");
  const Json paid = anyone.get(url + "?fiscal_code=RSSMRA85T10A562S").json()["items"][0];
  EXPECT_EQ(paid["state"], "pagato");
  EXPECT_EQ(paid["receipt"]["receipt_id"], "RCPT-CITIZEN");
  EXPECT_TRUE(paid["notice_pdf"].is_null());
  auto rt = anyone.get(url + "/receipt.xml?fiscal_code=RSSMRA85T10A562S");
  ASSERT_EQ(rt.status, 200);
  EXPECT_NE(rt.body.find("RCPT-CITIZEN"), std::string::npos);
  EXPECT_EQ(anyone.get(url + "/notice.pdf?fiscal_code=RSSMRA85T10A562S").status, 409);
  const Json instalment =
      anyone.get("/api/v1/payments/public/notices/" + nav(p, 1) + "?fiscal_code=RSSMRA85T10A562S")
          .json()["items"][0];
  EXPECT_EQ(instalment["state"], "pagato") << "paid in one go: the instalments are paid too";
  EXPECT_EQ(instalment["instalment_number"], 1);
  EXPECT_EQ(instalment["instalments"], 2);

  // A door without login is not a way to walk through a debtor's notice numbers: misses are
  // counted per address; then even a right pair waits for the minute to pass.
  int refused = 0;
  for (int i = 0; i < 40; ++i)
    refused += anyone.get(url + "?fiscal_code=BNCLRA90E45D150P").status == 429 ? 1 : 0;
  EXPECT_GT(refused, 0);
  EXPECT_EQ(anyone.get(url + "?fiscal_code=RSSMRA85T10A562S").status, 429);
}

TEST_F(Node, ALoggedInDebtorSeesTheirOwnNoticesAndNobodyElses) {
  // A citizen account bound to Mario Rossi's fiscal code, the debtor of planBody.
  auto created =
      as("admin").post("/api/v1/users", {{"username", "cittadino.rossi"},
                                         {"display_name", "Mario Rossi"},
                                         {"password", "password-di-prova-1"},
                                         {"fiscal_code", "RSSMRA85T10A562S"},
                                         {"grants", {{{"role", "citizen"}, {"ente", "019035"}}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const Json p = published("NODE-MINE");
  published("NODE-MINE-DRAFT", false);
  HttpClient rossi = as("cittadino.rossi", "password-di-prova-1");
  auto mine = rossi.get("/api/v1/payments/mine");
  ASSERT_EQ(mine.status, 200) << mine.body;
  const Json own = mine.json();
  EXPECT_EQ(own["fiscal_code"], "RSSMRA85T10A562S");
  std::map<std::string, Json> by_number;
  std::set<std::string> references;
  for (const Json& n : own["items"]) {
    by_number[n["notice_number"].get<std::string>()] = n;
    references.insert(n["description"].get<std::string>());
  }
  // Cremona's notices although the account was created on Crema; the draft is not shown.
  ASSERT_EQ(by_number.count(nav(p, 0)), 1u) << mine.body;
  EXPECT_EQ(by_number.count(nav(p, 2)), 1u);
  EXPECT_EQ(references.count("Mensa scolastica NODE-MINE-DRAFT"), 0u);
  const Json single = by_number[nav(p, 0)];
  EXPECT_EQ(single["ente_name"], "Comune di Cremona");
  EXPECT_EQ(single["state"], "da_pagare");
  EXPECT_EQ(single["notice_pdf"], "/api/v1/payments/mine/" + nav(p, 0) + "/notice.pdf");
  auto pdf = rossi.get(single["notice_pdf"].get<std::string>());
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  // Paid: the receipt through the same door.
  ASSERT_EQ(pay(nav(p, 0), "RCPT-MINE").outcome, "OK");
  const std::string receipt = "/api/v1/payments/mine/" + nav(p, 0) + "/receipt.xml";
  auto rt = rossi.get(receipt);
  ASSERT_EQ(rt.status, 200) << rt.body;
  EXPECT_NE(rt.body.find("RCPT-MINE"), std::string::npos);

  // Another debtor, and staff without a fiscal code: none of Rossi's notices.
  HttpClient bianchi = as("cittadino.bianchi");
  auto theirs = bianchi.get("/api/v1/payments/mine");
  ASSERT_EQ(theirs.status, 200);
  const Json their_items = theirs.json()["items"];
  EXPECT_EQ(theirs.json()["fiscal_code"], "BNCLRA90E45D150P");
  EXPECT_FALSE(their_items.empty()) << "the demo positions of Laura Bianchi";
  for (const Json& n : their_items)
    EXPECT_EQ(by_number.count(n["notice_number"].get<std::string>()), 0u);
  EXPECT_EQ(bianchi.get(receipt).status, 404);
  EXPECT_EQ(bianchi.get(single["notice_pdf"].get<std::string>()).status, 404);
  HttpClient clerk = as("impiegato.cremona");
  auto none = clerk.get("/api/v1/payments/mine");
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.json()["fiscal_code"].is_null());
  EXPECT_TRUE(none.json()["items"].empty());
  EXPECT_EQ(clerk.get(receipt).status, 404);
  EXPECT_EQ(rossi.get("/api/v1/payments/mine/123/notice.pdf").status, 400);
  EXPECT_EQ(HttpClient(server_->port()).get("/api/v1/payments/mine").status, 401);
}

TEST_F(Node, TheSimulatorPaysANoticeFromTheCommandLine) {
  const Json p = published("NODE-CLI");
  const std::string printed = payments::formatNoticeNumber(nav(p, 0));
  auto run = runCli({"payments", "simulate-node", "--server", server_->baseUrl(), "--fiscal-code",
                     "00297960197", "--notice", printed, "--receipt-id", "RCPT-CLI"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("pagamento registrato"), std::string::npos) << run.out;
  EXPECT_EQ(position(p)["status"], "PAID");
  auto again = runCli({"payments", "simulate-node", "--server", server_->baseUrl(), "--fiscal-code",
                       "00297960197", "--notice", printed});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("PAA_PAGAMENTO_DUPLICATO"), std::string::npos) << again.out;
  auto nowhere = runCli({"payments", "simulate-node", "--server", "http://127.0.0.1:1",
                         "--fiscal-code", "00297960197", "--notice", printed});
  EXPECT_EQ(nowhere.exit_code, 2);
}

}  // namespace
}  // namespace cst::testkit
