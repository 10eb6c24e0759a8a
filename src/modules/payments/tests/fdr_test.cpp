// Reconciliation end to end: the real `cst serve` with demo data (Cremona 019036 is creditor
// 00297960197 with segregation code 01; Crema 019035 is 91035680197), positions paid through the
// SOAP interface as the pagoPA node pays them (node_simulator.hpp), then the PSP's reconciliation
// files for those receipts imported over HTTP.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "model_fdr.hpp"
#include "node_simulator.hpp"
#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

namespace sim = payments::simulator;
using payments::NodeCaller;

const std::string kPositions = "/api/v1/payments/positions";
const std::string kFlows = "/api/v1/payments/reconciliation/flows";
const NodeCaller kCremona{"00297960197", "80002130195", "80002130195_01"};

// One option: a single transfer to Cremona, or (shared) 90.00 to Cremona and 30.00 to another
// creditor (multi-beneficiary).
Json positionBody(const std::string& reference, std::int64_t cents, bool shared = false) {
  Json transfers = Json::array();
  if (shared) {
    transfers = Json::parse(R"([{"amount_cents": 9000, "remittance": "Mensa"},
      {"amount_cents": 3000, "remittance": "Trasporto", "beneficiary_fiscal_code": "80002130195",
       "iban": "IT24D0542811101000000654321"}])");
    cents = 12000;
  } else {
    transfers.push_back({{"amount_cents", cents}, {"remittance", "Retta " + reference}});
  }
  return {{"ente", "019036"},
          {"reference", reference},
          {"description", "Servizi scolastici " + reference},
          {"service_code", "9/0101108TS/"},
          {"debtor", {{"type", "F"}, {"fiscal_code", "RSSMRA85T10A562S"}, {"name", "Mario Rossi"}}},
          {"options",
           {{{"amount_cents", cents}, {"due_date", "2030-01-31"}, {"transfers", transfers}}}}};
}

struct FdrRow {
  std::string iuv, iur;
  int index = 1;
  std::string amount;  // as written in the file, e.g. "50.00", "-50.00"
  std::string code = "0";
};

struct FdrFile {
  std::string flow_id;
  std::string date_time = "2030-01-17T08:00:00";
  std::string receiver = "00297960197";
  std::vector<FdrRow> rows;
  std::optional<std::size_t> declared_count;
  std::optional<std::string> declared_total;

  // The XML a PSP publishes through the node (FlussoRiversamento 1.0.4).
  std::string xml() const {
    std::int64_t total = 0;
    for (const FdrRow& r : rows)
      total += payments::fdr::parseSignedWireAmount(r.amount).value_or(0);
    std::string total_text =
        (total < 0 ? "-" : "") + payments::wireAmount(total < 0 ? -total : total);
    std::string out =
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        R"(<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">)"
        "<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>" +
        flow_id + "</identificativoFlusso><dataOraFlusso>" + date_time +
        "</dataOraFlusso><identificativoUnivocoRegolamento>TRN-" + flow_id.substr(10) +
        "</identificativoUnivocoRegolamento><dataRegolamento>2030-01-16</dataRegolamento>"
        "<istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B"
        "</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>PSPXITMM"
        "</codiceIdentificativoUnivoco></identificativoUnivocoMittente><denominazioneMittente>"
        "Banca Esempio</denominazioneMittente></istitutoMittente>"
        "<codiceBicBancaDiRiversamento>PSPXITMM</codiceBicBancaDiRiversamento>"
        "<istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G"
        "</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>" +
        receiver +
        "</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>"
        "<numeroTotalePagamenti>" +
        std::to_string(declared_count.value_or(rows.size())) +
        "</numeroTotalePagamenti><importoTotalePagamenti>" + declared_total.value_or(total_text) +
        "</importoTotalePagamenti>";
    for (const FdrRow& r : rows)
      out += "<datiSingoliPagamenti><identificativoUnivocoVersamento>" + r.iuv +
             "</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>" + r.iur +
             "</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>" +
             std::to_string(r.index) + "</indiceDatiSingoloPagamento><singoloImportoPagato>" +
             r.amount + "</singoloImportoPagato><codiceEsitoSingoloPagamento>" + r.code +
             "</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2030-01-15"
             "</dataEsitoSingoloPagamento></datiSingoliPagamenti>";
    return out + "</FlussoRiversamento>";
  }
};

class Fdr : public DemoServerSuite<Fdr> {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }

  // A published position of Cremona.
  Json published(const Json& body) {
    HttpClient clerk = as("impiegato.cremona");
    auto created = clerk.post(kPositions, body);
    EXPECT_EQ(created.status, 201) << created.body;
    auto p = clerk.request(
        "POST", kPositions + "/" + std::to_string(created.json()["id"].get<int>()) + "/publish");
    EXPECT_EQ(p.status, 200) << p.body;
    return p.json();
  }

  // Get payment and receipt, as the node sends them for a PSP: the receipt's outcome.
  std::string pay(const Json& p, const std::string& receipt_id) {
    const std::string nav = p["options"][0]["notice_number"];
    const std::int64_t cents = p["options"][0]["amount_cents"];
    HttpClient node(server_->port());
    auto get = node.request("POST", "/pagopa/paForNode",
                            sim::getPaymentV2Request(kCremona, nav, cents), "text/xml");
    auto got = sim::readReply(get.body);
    if (!got || got->outcome != "OK") return "KO get " + get.body;
    auto sent =
        node.request("POST", "/pagopa/paForNode",
                     sim::sendReceiptV2Request(
                         kCremona, sim::paymentOf(*got, nav, receipt_id, "2030-01-15T10:30:00Z")),
                     "text/xml");
    auto reply = sim::readReply(sent.body);
    return reply ? reply->outcome : "KO " + sent.body;
  }

  // A published position paid with receipt `receipt_id`.
  Json paid(const Json& body, const std::string& receipt_id) {
    Json p = published(body);
    EXPECT_EQ(pay(p, receipt_id), "OK");
    return p;
  }

  Json position(const Json& p) {
    return as("impiegato.cremona")
        .get(kPositions + "/" + std::to_string(p["id"].get<int>()))
        .json();
  }

  static HttpResponse upload(HttpClient c, const std::string& xml,
                             const std::string& type = "application/xml") {
    return c.request("POST", kFlows, xml, type);
  }

  static std::string iuv(const Json& p) { return p["options"][0]["iuv"]; }

  static int reportEvents(const Json& p) {
    int n = 0;
    for (const auto& e : p["timeline"]) n += e["event"] == "report" ? 1 : 0;
    return n;
  }

  // The rows of a report by seq.
  static Json rowAt(const Json& report, int seq) { return report["rows"][seq - 1]; }
};

TEST_F(Fdr, AFlowOfOurReceiptsReportsThePositionsOnce) {
  const Json a = paid(positionBody("FDR-A", 5000), "RCPT-FDR-A");
  const Json b = paid(positionBody("FDR-B", 0, true), "RCPT-FDR-B");
  ASSERT_EQ(position(a)["status"], "PAID");
  ASSERT_EQ(position(b)["status"], "PAID");

  // B's second transfer is another creditor's: its PSP reports it to that creditor, not to us.
  FdrFile file{"2030-01-16PSPXITMM-0001",
               "2030-01-17T08:00:00",
               "00297960197",
               {{iuv(a), "RCPT-FDR-A", 1, "50.00", "0"}, {iuv(b), "RCPT-FDR-B", 1, "90.00", "4"}}};
  HttpClient clerk = as("impiegato.cremona");
  auto r = upload(clerk, file.xml());
  ASSERT_EQ(r.status, 201) << r.body;
  const Json report = r.json();
  EXPECT_EQ(r.header("location"), kFlows + "/" + std::to_string(report["id"].get<int>()));
  EXPECT_EQ(report["ente"], "019036");
  EXPECT_EQ(report["flow_id"], "2030-01-16PSPXITMM-0001");
  EXPECT_EQ(report["psp"]["id"], "PSPXITMM");
  EXPECT_EQ(report["settlement_date"], "2030-01-16");
  EXPECT_EQ(report["state"], "ACQUIRED") << r.body;
  EXPECT_EQ(report["rows_count"], 2);
  EXPECT_EQ(report["total_cents"], 14000);
  EXPECT_EQ(report["rows_ok"], 2);
  EXPECT_EQ(report["positions_reported"], 2);
  EXPECT_TRUE(report["anomalies"].empty());
  EXPECT_EQ(rowAt(report, 1)["state"], "OK");
  EXPECT_EQ(rowAt(report, 1)["position_id"], a["id"]);
  EXPECT_FALSE(rowAt(report, 1)["receipt_id"].is_null());
  EXPECT_EQ(rowAt(report, 2)["outcome"], "eseguito in Stand-In");

  for (const Json& p : {a, b}) {
    const Json now = position(p);
    EXPECT_EQ(now["status"], "REPORTED");
    EXPECT_EQ(now["timeline"].back()["event"], "report");
    EXPECT_EQ(now["timeline"].back()["actor"], "impiegato.cremona");
    EXPECT_NE(now["timeline"].back()["reason"].get<std::string>().find("2030-01-16PSPXITMM-0001"),
              std::string::npos);
  }
  auto audit = as("admin").get("/api/v1/audit?action=payments.fdr.import&limit=50").json();
  bool audited = false;
  for (const auto& e : audit["items"])
    audited = audited || e["object_id"] == std::to_string(report["id"].get<int>());
  EXPECT_TRUE(audited) << audit.dump();

  // The same file again (a retried upload): the stored report, nothing counted twice.
  auto again = upload(as("ref.cremona"), file.xml());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["id"], report["id"]);
  EXPECT_EQ(again.json()["rows"].size(), 2U);
  EXPECT_EQ(reportEvents(position(a)), 1);
  auto list = clerk.get(kFlows + "?ente=019036&limit=200").json();
  int copies = 0;
  for (const auto& f : list["items"]) copies += f["flow_id"] == file.flow_id ? 1 : 0;
  EXPECT_EQ(copies, 1) << list.dump();
  // The same revision with other content is a PSP's mistake, not a new revision.
  FdrFile changed = file;
  changed.rows[0].amount = "49.00";
  auto conflict = upload(clerk, changed.xml());
  EXPECT_EQ(conflict.status, 409) << conflict.body;

  // The XML as received.
  auto download = clerk.get(kFlows + "/" + std::to_string(report["id"].get<int>()) + "/flow.xml");
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, file.xml());

  // The accounting export: one line per reported payment.
  auto csv = clerk.get(
      "/api/v1/payments/reconciliation/export.csv?ente=019036&from=2030-01-16&to=2030-01-16");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF"
                           "data_regolamento;identificativo_flusso;iuv;iur;",
                           0),
            0U)
      << csv.body;
  EXPECT_NE(csv.body.find("2030-01-16;2030-01-16PSPXITMM-0001;" + iuv(a) +
                          ";RCPT-FDR-A;1;50,00;RSSMRA85T10A562S;Retta FDR-A;9/0101108TS/;"
                          "eseguito;riconciliato\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(";RCPT-FDR-B;1;90,00;RSSMRA85T10A562S;Mensa;"), std::string::npos)
      << csv.body;
  auto before = clerk.get("/api/v1/payments/reconciliation/export.csv?ente=019036&to=2030-01-15");
  EXPECT_EQ(before.body.find("RCPT-FDR-A"), std::string::npos) << "settled on the 16th";
  EXPECT_EQ(
      clerk.get("/api/v1/payments/reconciliation/export.csv?ente=019036&from=16/01/2030").status,
      400);
}

TEST_F(Fdr, AnomaliesAreNamedAndNothingMovesOnThem) {
  const Json c = paid(positionBody("FDR-C", 5000), "RCPT-FDR-C");
  const Json shared = paid(positionBody("FDR-S", 0, true), "RCPT-FDR-S");
  const Json unpaid = published(positionBody("FDR-D", 7000));
  FdrFile file{"2030-01-16PSPXITMM-0002",
               "2030-01-17T08:00:00",
               "00297960197",
               {{iuv(c), "RCPT-FDR-C", 1, "49.00", "0"},                   // 1 wrong amount
                {"01999999999999901", "RCPT-NOWHERE", 1, "10.00", "0"},    // 2 unknown IUV, ours
                {"02000000000000123", "RCPT-ELSEWHERE", 1, "20.00", "0"},  // 3 other intermediary
                {iuv(unpaid), "RCPT-NO-RT", 1, "70.00", "9"},              // 4 no receipt: recover
                {"01999999999999902", "RCPT-NO-RT-2", 1, "5.00", "9"},     // 5 no receipt, no IUV
                {iuv(c), "RCPT-FDR-C", 1, "49.00", "0"},                   // 6 repeated row
                {iuv(shared), "RCPT-FDR-S", 2, "30.00", "0"},              // 7 another's transfer
                {iuv(c), "RCPT-FDR-C", 1, "-50.00", "3"}},                 // 8 revocation
               9};
  HttpClient clerk = as("impiegato.cremona");
  auto r = upload(clerk, file.xml());
  ASSERT_EQ(r.status, 201) << r.body;
  const Json report = r.json();
  EXPECT_EQ(report["state"], "ANOMALOUS");
  EXPECT_EQ(report["rows_anomalous"], 6) << r.body;
  EXPECT_EQ(report["rows_other_intermediary"], 1);
  EXPECT_EQ(report["rows_ok"], 1);
  EXPECT_EQ(report["positions_reported"], 0);
  ASSERT_EQ(report["anomalies"].size(), 1U) << r.body;
  EXPECT_EQ(report["anomalies"][0]["code"], "007107");

  const auto code = [&](int seq) {
    const Json a = rowAt(report, seq)["anomaly"];
    return a.is_null() ? std::string() : a["code"].get<std::string>();
  };
  const auto message = [&](int seq) {
    return rowAt(report, seq)["anomaly"]["message"].get<std::string>();
  };
  EXPECT_EQ(code(1), "007104");
  EXPECT_NE(message(1).find("49,00"), std::string::npos) << message(1);
  EXPECT_EQ(code(2), "007101");
  EXPECT_NE(message(2).find("IUV sconosciuto"), std::string::npos) << message(2);
  EXPECT_EQ(rowAt(report, 3)["state"], "OTHER_INTERMEDIARY");
  EXPECT_EQ(code(3), "");
  EXPECT_EQ(code(4), "007101");
  EXPECT_NE(message(4).find("senza ricevuta"), std::string::npos) << message(4);
  EXPECT_EQ(rowAt(report, 4)["position_id"], unpaid["id"]);
  EXPECT_EQ(code(5), "007111");
  EXPECT_EQ(code(6), "007115");
  EXPECT_EQ(code(7), "007116");
  EXPECT_EQ(rowAt(report, 8)["state"], "OK") << "the revocation of what was paid";
  EXPECT_EQ(rowAt(report, 8)["amount_cents"], -5000);

  EXPECT_EQ(position(c)["status"], "PAID") << "a wrong amount reports nothing";
  EXPECT_EQ(position(unpaid)["status"], "VALID");

  auto open = clerk.get("/api/v1/payments/reconciliation/anomalies?ente=019036&limit=200");
  ASSERT_EQ(open.status, 200) << open.body;
  const Json anomalies = open.json();  // kept: the loops must not run over a destroyed temporary
  std::set<std::string> codes;
  for (const auto& a : anomalies["items"])
    if (a["flow"]["id"] == report["id"]) codes.insert(a["anomaly"]["code"].get<std::string>());
  EXPECT_EQ(codes, (std::set<std::string>{"007101", "007104", "007111", "007115", "007116"}));
  bool flow_level = false;
  for (const auto& f : anomalies["flows"]) flow_level = flow_level || f["id"] == report["id"];
  EXPECT_TRUE(flow_level) << open.body;

  auto csv = clerk.get("/api/v1/payments/reconciliation/export.csv?ente=019036");
  EXPECT_NE(csv.body.find(";RCPT-FDR-C;1;49,00;RSSMRA85T10A562S;Retta FDR-C;9/0101108TS/;"
                          "eseguito;anomalia 007104\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(";RCPT-FDR-C;1;-50,00;"), std::string::npos);
  EXPECT_NE(csv.body.find(";RCPT-ELSEWHERE;1;20,00;;;;eseguito;altro intermediario"),
            std::string::npos);
}

TEST_F(Fdr, ALaterRevisionSupersedesAndAPaymentIsNotReportedTwice) {
  const Json e = paid(positionBody("FDR-E", 2500), "RCPT-FDR-E");
  FdrFile first{"2030-01-16PSPXITMM-0003",
                "2030-01-17T08:00:00",
                "00297960197",
                {{iuv(e), "RCPT-FDR-E", 1, "25.50", "0"}}};
  HttpClient clerk = as("ref.cremona");
  auto r1 = upload(clerk, first.xml());
  ASSERT_EQ(r1.status, 201) << r1.body;
  EXPECT_EQ(r1.json()["state"], "ANOMALOUS");
  EXPECT_EQ(position(e)["status"], "PAID");

  FdrFile second = first;
  second.date_time = "2030-01-17T09:30:00";
  second.rows[0].amount = "25.00";
  auto r2 = upload(clerk, second.xml(), "text/xml; charset=utf-8");
  ASSERT_EQ(r2.status, 201) << r2.body;
  EXPECT_EQ(r2.json()["state"], "ACQUIRED") << r2.body;
  EXPECT_EQ(r2.json()["positions_reported"], 1);
  EXPECT_EQ(position(e)["status"], "REPORTED");
  const Json old = clerk.get(kFlows + "/" + std::to_string(r1.json()["id"].get<int>())).json();
  EXPECT_EQ(old["superseded_by"], r2.json()["id"]);
  EXPECT_FALSE(old["current"].get<bool>());
  // The replaced revision's anomaly is no longer open, nor exported.
  auto open = clerk.get("/api/v1/payments/reconciliation/anomalies?ente=019036&limit=200").json();
  for (const auto& a : open["items"]) EXPECT_NE(a["flow"]["id"], r1.json()["id"]);
  auto csv = clerk.get("/api/v1/payments/reconciliation/export.csv?ente=019036").body;
  EXPECT_EQ(csv.find(";RCPT-FDR-E;1;25,50;"), std::string::npos);
  EXPECT_NE(csv.find(";RCPT-FDR-E;1;25,00;"), std::string::npos);

  // An older revision arriving late is kept, already replaced.
  FdrFile late = first;
  late.date_time = "2030-01-17T07:00:00";
  auto r0 = upload(clerk, late.xml());
  ASSERT_EQ(r0.status, 201) << r0.body;
  EXPECT_EQ(r0.json()["superseded_by"], r2.json()["id"]);

  // Another flow reporting the same payment: money credited twice?
  FdrFile other{"2030-01-16PSPXITMM-0004",
                "2030-01-17T08:00:00",
                "00297960197",
                {{iuv(e), "RCPT-FDR-E", 1, "25.00", "0"}}};
  auto twice = upload(clerk, other.xml());
  ASSERT_EQ(twice.status, 201) << twice.body;
  EXPECT_EQ(rowAt(twice.json(), 1)["anomaly"]["code"], "007115");
  EXPECT_NE(rowAt(twice.json(), 1)["anomaly"]["message"].get<std::string>().find(
                "2030-01-16PSPXITMM-0003"),
            std::string::npos);
  EXPECT_EQ(reportEvents(position(e)), 1);
}

TEST_F(Fdr, ImportsAreGuardedAndBadFilesNamed) {
  const Json g = paid(positionBody("FDR-G", 1500), "RCPT-FDR-G");
  FdrFile file{"2030-01-16PSPXITMM-0005",
               "2030-01-17T08:00:00",
               "00297960197",
               {{iuv(g), "RCPT-FDR-G", 1, "15.00", "0"}}};
  // Crema's referent may not act on Cremona: the flow is addressed to Cremona, 404.
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(upload(crema, file.xml()).status, 404);
  HttpClient auditor = as("revisore");
  EXPECT_EQ(upload(auditor, file.xml()).status, 403);
  EXPECT_EQ(upload(as("cittadino.bianchi"), file.xml()).status, 403);
  EXPECT_EQ(position(g)["status"], "PAID");

  HttpClient clerk = as("impiegato.cremona");
  auto r = upload(clerk, file.xml());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string url = kFlows + "/" + std::to_string(r.json()["id"].get<int>());
  EXPECT_EQ(crema.get(url).status, 404);
  EXPECT_EQ(crema.get(url + "/flow.xml").status, 404);
  EXPECT_EQ(crema.get(kFlows + "?ente=019036").status, 404);
  const Json theirs = crema.get(kFlows).json();
  for (const auto& f : theirs["items"]) EXPECT_NE(f["ente"], "019036");
  EXPECT_EQ(crema.get("/api/v1/payments/reconciliation/export.csv?ente=019036").status, 404);
  EXPECT_EQ(crema.get("/api/v1/payments/reconciliation/anomalies?ente=019036").status, 404);
  EXPECT_EQ(auditor.get(url).status, 200) << "auditors read";

  // A receiver we do not serve: 422 naming it.
  FdrFile stranger = file;
  stranger.flow_id = "2030-01-16PSPXITMM-0006";
  stranger.receiver = "80184430587";
  auto unknown = upload(clerk, stranger.xml());
  ASSERT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_NE(unknown.body.find("80184430587"), std::string::npos);
  EXPECT_NE(unknown.body.find("istitutoRicevente"), std::string::npos);

  auto garbage = upload(clerk, "<FlussoRiversamento>");
  ASSERT_EQ(garbage.status, 400);
  EXPECT_NE(garbage.body.find("non ben formato"), std::string::npos) << garbage.body;
  std::string invalid = file.xml();
  invalid.replace(invalid.find("2030-01-16</dataRegolamento>"), 10, "16/01/2030");
  auto schema = upload(clerk, invalid);
  ASSERT_EQ(schema.status, 400);
  EXPECT_NE(schema.body.find("dataRegolamento"), std::string::npos) << schema.body;
  EXPECT_EQ(upload(clerk, "").status, 400);
  auto json = upload(clerk, file.xml(), "application/json");
  EXPECT_EQ(json.status, 400);
  EXPECT_NE(json.body.find("application/xml"), std::string::npos);
  EXPECT_EQ(clerk.get(kFlows + "/999999").status, 404);
}

}  // namespace
}  // namespace cst::testkit
