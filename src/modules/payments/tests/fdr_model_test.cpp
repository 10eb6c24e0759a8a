// Reconciliation files without a database: parsing (the reference's sample flow, the schema
// drifts it tolerates, what it refuses), the flow's own checks, GovPay's per-row algorithm, the
// accounting CSV.
#include <gtest/gtest.h>

#include "model_fdr.hpp"

namespace cst::payments::fdr {
namespace {

// Reference §4.5, "Constructed sample": codes 0 and 4, the second row without an index.
const std::string kSample =
    R"(<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>2025-03-04ABCDITMM-S000000001</identificativoFlusso>
  <dataOraFlusso>2025-03-05T10:15:00</dataOraFlusso>
  <identificativoUnivocoRegolamento>TRN0000000000001</identificativoUnivocoRegolamento>
  <dataRegolamento>2025-03-04</dataRegolamento>
  <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>
    <codiceIdentificativoUnivoco>ABCDITMM</codiceIdentificativoUnivoco></identificativoUnivocoMittente>
    <denominazioneMittente>PSP Esempio</denominazioneMittente></istitutoMittente>
  <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>
    <codiceIdentificativoUnivoco>80184430587</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
  <numeroTotalePagamenti>2</numeroTotalePagamenti>
  <importoTotalePagamenti>42.50</importoTotalePagamenti>
  <datiSingoliPagamenti><identificativoUnivocoVersamento>10000000000090203</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>abc123token</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
    <singoloImportoPagato>12.50</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>2025-03-03</dataEsitoSingoloPagamento></datiSingoliPagamenti>
  <datiSingoliPagamenti><identificativoUnivocoVersamento>00715700000000032</identificativoUnivocoVersamento>
    <identificativoUnivocoRiscossione>def456token</identificativoUnivocoRiscossione>
    <singoloImportoPagato>30.00</singoloImportoPagato><codiceEsitoSingoloPagamento>4</codiceEsitoSingoloPagamento>
    <dataEsitoSingoloPagamento>2025-03-03</dataEsitoSingoloPagamento></datiSingoliPagamenti>
</FlussoRiversamento>)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

const std::string kCf = "00297960197";

FlowRow row(std::int64_t cents, int code = 0, int index = 1) {
  return {1, "01000000000000144", "RCPT-1", index, cents, code, "2030-01-15"};
}

ReceiptEvidence receipt(std::int64_t cents) {
  return {7,
          42,
          {{1, cents, kCf, "IT60X0542811101000000123456", "Mensa", "9/0101108TS/"},
           {2, 3000, "80002130195", "IT24D0542811101000000654321", "Trasporto", "9/0101108TS/"}}};
}

TEST(FdrModel, TheSchemaCompiles) {
  auto schema = flowSchema();
  ASSERT_TRUE(schema) << schema.error().detail;
}

TEST(FdrModel, ReadsTheReferenceSampleWithCodesZeroAndFour) {
  auto f = parseFlow(kSample);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->version, "1.0");
  EXPECT_EQ(f->flow_id, "2025-03-04ABCDITMM-S000000001");
  EXPECT_EQ(f->flow_date_time, "2025-03-05T10:15:00");
  EXPECT_EQ(f->settlement_ref, "TRN0000000000001");
  EXPECT_EQ(f->settlement_date, "2025-03-04");
  EXPECT_EQ(f->psp_id_type, 'B');
  EXPECT_EQ(f->psp_id, "ABCDITMM");
  EXPECT_EQ(f->psp_name, "PSP Esempio");
  EXPECT_FALSE(f->bic);
  EXPECT_EQ(f->receiver_fiscal_code, "80184430587");
  EXPECT_FALSE(f->receiver_name);
  EXPECT_EQ(f->declared_count, 2);
  EXPECT_EQ(f->declared_total_cents, 4250);
  ASSERT_EQ(f->rows.size(), 2U);
  EXPECT_EQ(f->rows[0].seq, 1);
  EXPECT_EQ(f->rows[0].iuv, "10000000000090203");
  EXPECT_EQ(f->rows[0].iur, "abc123token");
  EXPECT_EQ(f->rows[0].transfer_index, 1);
  EXPECT_EQ(f->rows[0].amount_cents, 1250);
  EXPECT_EQ(f->rows[0].outcome_code, 0);
  EXPECT_EQ(f->rows[0].outcome_date, "2025-03-03");
  EXPECT_EQ(f->rows[1].transfer_index, 1) << "absent index means 1";
  EXPECT_EQ(f->rows[1].outcome_code, 4) << "Stand-In, beyond the XSD's enumeration";
  EXPECT_EQ(f->totalCents(), 4250);
  EXPECT_TRUE(flowAnomalies(*f).empty());
}

TEST(FdrModel, ToleratesCodeEightAndANegativeRevocation) {
  // SACI: a revoked payment is reported negative, although the XSD's stImporto starts at 0.01.
  std::string text =
      replaced(kSample, "<singoloImportoPagato>12.50", "<singoloImportoPagato>-12.50");
  text = replaced(text, "<codiceEsitoSingoloPagamento>0", "<codiceEsitoSingoloPagamento>3");
  text = replaced(text, "<codiceEsitoSingoloPagamento>4", "<codiceEsitoSingoloPagamento>8");
  text = replaced(text, "<importoTotalePagamenti>42.50", "<importoTotalePagamenti>17.50");
  auto f = parseFlow(text);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->rows[0].amount_cents, -1250);
  EXPECT_EQ(f->rows[0].outcome_code, kRevoked);
  EXPECT_EQ(f->rows[1].outcome_code, 8);
  EXPECT_EQ(f->declared_total_cents, 1750);
  EXPECT_TRUE(flowAnomalies(*f).empty());

  // Only revocations dominate: a negative total passes too.
  text = replaced(text, "<singoloImportoPagato>30.00", "<singoloImportoPagato>-30.00");
  text = replaced(text, "<importoTotalePagamenti>17.50", "<importoTotalePagamenti>-42.50");
  f = parseFlow(text);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->declared_total_cents, -4250);
}

TEST(FdrModel, AnUnknownOutcomeDigitIsARowAnomalyNotARejection) {
  auto f = parseFlow(
      replaced(kSample, "<codiceEsitoSingoloPagamento>4", "<codiceEsitoSingoloPagamento>7"));
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->rows[1].outcome_code, 7);
  const RowVerdict v = judgeRow(f->rows[1], kCf, {});
  EXPECT_EQ(v.state, RowState::kAnomalous);
  EXPECT_EQ(v.anomaly->code, anomaly::kUnknownOutcome);
  // Two digits are not a code at all: the schema's pattern still holds.
  auto bad = parseFlow(
      replaced(kSample, "<codiceEsitoSingoloPagamento>4", "<codiceEsitoSingoloPagamento>10"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("codiceEsitoSingoloPagamento"), std::string::npos)
      << bad.error().detail;
}

TEST(FdrModel, RefusesWhatIsNotAValidFlowWithAClearMessage) {
  auto garbage = parseFlow("<FlussoRiversamento><unclosed>");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kBadInput);
  EXPECT_NE(garbage.error().detail.find("flusso di rendicontazione non valido"), std::string::npos);
  EXPECT_NE(garbage.error().detail.find("non ben formato"), std::string::npos)
      << garbage.error().detail;

  auto other = parseFlow("<?xml version=\"1.0\"?><RT xmlns=\"urn:x\"/>");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().detail.find("atteso FlussoRiversamento"), std::string::npos)
      << other.error().detail;

  // Every rule of the schema but the two relaxed facets still holds.
  auto date =
      parseFlow(replaced(kSample, "<dataRegolamento>2025-03-04", "<dataRegolamento>04/03/2025"));
  ASSERT_FALSE(date);
  EXPECT_NE(date.error().detail.find("non conforme allo schema"), std::string::npos)
      << date.error().detail;
  EXPECT_NE(date.error().detail.find("dataRegolamento"), std::string::npos);
  auto cents =
      parseFlow(replaced(kSample, "<singoloImportoPagato>30.00", "<singoloImportoPagato>30.0"));
  EXPECT_FALSE(cents);
  auto minus =
      parseFlow(replaced(kSample, "<singoloImportoPagato>30.00", "<singoloImportoPagato>--30.00"));
  EXPECT_FALSE(minus);
  auto missing = parseFlow(replaced(
      kSample, "<identificativoFlusso>2025-03-04ABCDITMM-S000000001</identificativoFlusso>", ""));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("identificativoFlusso"), std::string::npos)
      << missing.error().detail;
  auto index = parseFlow(
      replaced(kSample, "<indiceDatiSingoloPagamento>1", "<indiceDatiSingoloPagamento>6"));
  EXPECT_FALSE(index) << "indice is 1..5, the transfers of a receipt";
}

TEST(FdrModel, DetectsCountAndTotalMismatches) {
  std::string text = replaced(kSample, "<numeroTotalePagamenti>2", "<numeroTotalePagamenti>3");
  text = replaced(text, "<importoTotalePagamenti>42.50", "<importoTotalePagamenti>42.00");
  auto f = parseFlow(text);
  ASSERT_TRUE(f) << f.error().detail;
  const auto anomalies = flowAnomalies(*f);
  ASSERT_EQ(anomalies.size(), 2U);
  EXPECT_EQ(anomalies[0].code, anomaly::kCountMismatch);
  EXPECT_NE(anomalies[0].message.find("contiene 2 pagamenti ma ne dichiara 3"), std::string::npos)
      << anomalies[0].message;
  EXPECT_EQ(anomalies[1].code, anomaly::kTotalMismatch);
  EXPECT_NE(anomalies[1].message.find("42,50"), std::string::npos) << anomalies[1].message;
  EXPECT_NE(anomalies[1].message.find("42,00"), std::string::npos);
}

TEST(FdrModel, JudgesARowWithItsReceipt) {
  RowEvidence e;
  e.receipt = receipt(9000);
  RowVerdict ok = judgeRow(row(9000), kCf, e);
  EXPECT_EQ(ok.state, RowState::kOk);
  EXPECT_FALSE(ok.anomaly);
  EXPECT_EQ(ok.receipt_id, 7);
  EXPECT_EQ(ok.position_id, 42);
  EXPECT_EQ(judgeRow(row(9000, 4), kCf, e).state, RowState::kOk) << "Stand-In";

  RowVerdict wrong = judgeRow(row(8999), kCf, e);
  EXPECT_EQ(wrong.state, RowState::kAnomalous);
  EXPECT_EQ(wrong.anomaly->code, anomaly::kAmountMismatch);
  EXPECT_NE(wrong.anomaly->message.find("89,99"), std::string::npos) << wrong.anomaly->message;
  EXPECT_NE(wrong.anomaly->message.find("90,00"), std::string::npos);
  EXPECT_EQ(wrong.receipt_id, 7) << "the match is kept with the anomaly";
  EXPECT_EQ(judgeRow(row(-9000), kCf, e).anomaly->code, anomaly::kAmountMismatch)
      << "a negative amount is a revocation's only";

  EXPECT_EQ(judgeRow(row(-9000, kRevoked), kCf, e).state, RowState::kOk);
  EXPECT_EQ(judgeRow(row(9000, kRevoked), kCf, e).state, RowState::kOk) << "|amount| (GovPay)";
  EXPECT_EQ(judgeRow(row(-5000, kRevoked), kCf, e).anomaly->code, anomaly::kRevokedMismatch);

  // The transfer the row names: the second is another creditor's, a sixth does not exist.
  EXPECT_EQ(judgeRow(row(3000, 0, 2), kCf, e).anomaly->code, anomaly::kOtherReceiver);
  EXPECT_EQ(judgeRow(row(3000, 0, 2), "80002130195", e).state, RowState::kOk);
  EXPECT_EQ(judgeRow(row(9000, 0, 5), kCf, e).anomaly->code, anomaly::kPaymentUnknown);

  e.reported_in = "2030-01-16PSPXITMM-0001";
  RowVerdict twice = judgeRow(row(9000), kCf, e);
  EXPECT_EQ(twice.anomaly->code, anomaly::kDuplicate);
  EXPECT_NE(twice.anomaly->message.find("2030-01-16PSPXITMM-0001"), std::string::npos);
}

TEST(FdrModel, JudgesARowWithoutReceipt) {
  RowEvidence none;
  none.own_iuv = false;
  RowVerdict other = judgeRow(row(100), kCf, none);
  EXPECT_EQ(other.state, RowState::kOtherIntermediary);
  EXPECT_FALSE(other.anomaly) << "another intermediary's payment is not our anomaly";

  RowEvidence unknown;  // our IUV, no position, no receipt
  EXPECT_EQ(judgeRow(row(100), kCf, unknown).anomaly->code, anomaly::kPaymentUnknown);
  EXPECT_NE(judgeRow(row(100), kCf, unknown).anomaly->message.find("IUV sconosciuto"),
            std::string::npos);
  RowVerdict no_rt = judgeRow(row(100, 9), kCf, unknown);
  EXPECT_EQ(no_rt.anomaly->code, anomaly::kNoReceiptUnknown);

  RowEvidence position;
  position.position_id = 42;
  RowVerdict recover = judgeRow(row(100, 9), kCf, position);
  EXPECT_EQ(recover.anomaly->code, anomaly::kPaymentUnknown);
  EXPECT_NE(recover.anomaly->message.find("senza ricevuta"), std::string::npos)
      << recover.anomaly->message;
  EXPECT_EQ(recover.position_id, 42);
  EXPECT_EQ(judgeRow(row(100, 8), kCf, position).anomaly->code, anomaly::kPaymentUnknown);
  EXPECT_NE(judgeRow(row(100), kCf, position).anomaly->message.find("ricevuta mancante"),
            std::string::npos);

  RowEvidence duplicate;
  duplicate.duplicate_of = 3;
  RowVerdict again = judgeRow(row(100), kCf, duplicate);
  EXPECT_EQ(again.anomaly->code, anomaly::kDuplicate);
  EXPECT_NE(again.anomaly->message.find("pagamento 3"), std::string::npos);
}

TEST(FdrModel, OwnIuvsCarryTheSegregationCode) {
  EXPECT_TRUE(isOwnIuv("01000000000000144", "01"));
  EXPECT_FALSE(isOwnIuv("02000000000000144", "01"));
  EXPECT_FALSE(isOwnIuv("340105455507221", "34")) << "15 digits: aux 0, not ours";
  EXPECT_FALSE(isOwnIuv("01ABC000000000144", "01"));
}

TEST(FdrModel, AmountsSignedAndItalian) {
  EXPECT_EQ(parseSignedWireAmount("12.50"), 1250);
  EXPECT_EQ(parseSignedWireAmount("-12.50"), -1250);
  EXPECT_EQ(parseSignedWireAmount("0.01"), 1);
  EXPECT_FALSE(parseSignedWireAmount("-"));
  EXPECT_FALSE(parseSignedWireAmount("12.5"));
  EXPECT_FALSE(parseSignedWireAmount("--1.00"));
  EXPECT_FALSE(parseSignedWireAmount("+1.00"));
  EXPECT_EQ(italianAmount(1250), "12,50");
  EXPECT_EQ(italianAmount(-1250), "-12,50");
  EXPECT_EQ(italianAmount(5), "0,05");
  EXPECT_EQ(italianAmount(-5), "-0,05");
}

TEST(FdrModel, TheAccountingCsvIsForItalianSpreadsheets) {
  ExportLine paid{"2030-01-16",
                  "2030-01-16PSPXITMM-0001",
                  "01000000000000144",
                  "RCPT-1",
                  1,
                  9000,
                  0,
                  RowState::kOk,
                  std::nullopt,
                  "RSSMRA85T10A562S",
                  "Mensa; gennaio",
                  "9/0101108TS/"};
  ExportLine revoked = paid;
  revoked.amount_cents = -9000;
  revoked.outcome_code = kRevoked;
  ExportLine anomalous = paid;
  anomalous.state = RowState::kAnomalous;
  anomalous.anomaly_code = "007104";
  const std::string csv = exportCsv({paid, revoked, anomalous});
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF"
                      "data_regolamento;identificativo_flusso;iuv;iur;indice;importo;"
                      "codice_fiscale_debitore;causale;tassonomia;esito;stato\r\n",
                      0),
            0U)
      << csv;
  EXPECT_NE(csv.find("2030-01-16;2030-01-16PSPXITMM-0001;01000000000000144;RCPT-1;1;90,00;"
                     "RSSMRA85T10A562S;\"Mensa; gennaio\";9/0101108TS/;eseguito;riconciliato\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(";-90,00;"), std::string::npos) << "a number, not disarmed text: " << csv;
  EXPECT_NE(csv.find(";revocato;riconciliato"), std::string::npos);
  EXPECT_NE(csv.find(";anomalia 007104\r\n"), std::string::npos);
}

}  // namespace
}  // namespace cst::payments::fdr
