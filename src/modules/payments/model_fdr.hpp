#pragma once
// Reconciliation files (Flusso di Rendicontazione, FdR; reference §4.5): the PSP's report of the
// payments it credited to a creditor with one SEPA credit transfer, read from its XML, and the
// rules that reconcile each reported payment with our receipts (GovPay's algorithm, its anomaly
// codes, our Italian texts). Pure: the archive's facts come in as values (RowEvidence), the store
// and the transactions are service_fdr.cpp's.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model_node.hpp"
#include "xml/xml.hpp"

namespace cst::payments::fdr {

inline constexpr const char* kNamespace = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/";
// A flow is parsed whole in memory (a DOM of a few times its size): 20 MiB is some 60,000
// payments, far more than one PSP credits a Comune in a day.
inline constexpr std::int64_t kMaxFlowBytes = 20 * 1024 * 1024;

// ---- codiceEsitoSingoloPagamento ------------------------------------------------------------
// SACI 3.2.1: 0 eseguito, 3 revocato, 4 eseguito in Stand-In, 8 Stand-In senza ricevuta, 9 senza
// riscontro di ricevuta. XSD 1.0.4 still enumerates only 0, 3 and 9.
bool isKnownOutcome(int code);
// Money collected (0, 4, 8, 9), as opposed to a revocation (3) or an unknown code.
bool isExecuted(int code);
inline constexpr int kRevoked = 3;
// The Italian name of the code ("eseguito", "revocato", ...), "codice N" for an unknown one.
std::string outcomeName(int code);

// ---- The flow ---------------------------------------------------------------------------------

// One datiSingoliPagamenti.
struct FlowRow {
  int seq = 1;  // 1.. in file order
  std::string iuv, iur;
  int transfer_index = 1;  // indiceDatiSingoloPagamento (= idTransfer); absent means 1
  // Signed: SACI wants a revocation (code 3) reported with a negative amount.
  std::int64_t amount_cents = 0;
  int outcome_code = 0;
  std::string outcome_date;  // YYYY-MM-DD
};

struct Flow {
  std::string version;
  std::string flow_id;          // identificativoFlusso
  std::string flow_date_time;   // dataOraFlusso: a later one is a new revision of the same flow
  std::string settlement_ref;   // identificativoUnivocoRegolamento, the SCT's TRN
  std::string settlement_date;  // dataRegolamento
  char psp_id_type = 'B';       // G (fiscal code), A (ABI), B (BIC)
  std::string psp_id;           // codiceIdentificativoUnivoco of the sender
  std::optional<std::string> psp_name, bic;
  std::string receiver_fiscal_code;  // the creditor the money is for
  std::optional<std::string> receiver_name;
  std::int64_t declared_count = 0;        // numeroTotalePagamenti
  std::int64_t declared_total_cents = 0;  // importoTotalePagamenti
  std::vector<FlowRow> rows;

  std::int64_t totalCents() const;
};

// The compiled FlussoRiversamento_1_0_4.xsd, built once.
Result<std::shared_ptr<const xml::Schema>> flowSchema();

// Reads a flow from its XML and validates it against the official XSD, tolerating the schema
// drifts the specification itself introduced: the validation runs on the parsed document after
// each single-digit codiceEsitoSingoloPagamento has been replaced by 0 and the sign of negative
// amounts removed, so that only those two facets are relaxed and every other rule of the schema
// (elements, order, patterns, lengths, dates) still holds. The values are read before that, as
// written: codes 4 and 8 (and unknown digits, reported as anomaly 007110 by judgeRow) and
// negative amounts come through. kBadInput with an Italian message for text that is not XML, not
// a FlussoRiversamento, or not valid.
Result<Flow> parseFlow(std::string_view xml);

// ---- Anomalies ----------------------------------------------------------------------------------
// GovPay's codes (Rendicontazioni.java), so that offices and suppliers who know them recognise
// them; the texts are ours.
namespace anomaly {
inline constexpr const char* kPaymentUnknown = "007101";    // no receipt for the payment
inline constexpr const char* kAmountMismatch = "007104";    // reported amount != paid amount
inline constexpr const char* kTotalMismatch = "007106";     // Σ rows != importoTotalePagamenti
inline constexpr const char* kCountMismatch = "007107";     // rows != numeroTotalePagamenti
inline constexpr const char* kUnknownOutcome = "007110";    // codiceEsito not 0, 3, 4, 8, 9
inline constexpr const char* kNoReceiptUnknown = "007111";  // 8/9 without receipt nor position
inline constexpr const char* kRevokedMismatch = "007112";   // |revoked| != paid amount
inline constexpr const char* kDuplicate = "007115";         // reported twice
inline constexpr const char* kOtherReceiver = "007116";     // the transfer is another creditor's
}  // namespace anomaly

struct Anomaly {
  std::string code, message;
};
nlohmann::json toJson(const Anomaly& a);

// The flow's own checks (count and total against its header): 007107, 007106.
std::vector<Anomaly> flowAnomalies(const Flow& f);

// ---- Reconciling one row ------------------------------------------------------------------------

// A successful receipt of the receiving ente with the row's IUR and IUV.
struct ReceiptEvidence {
  std::int64_t id = 0;  // payments_receipts.id
  std::optional<std::int64_t> position_id;
  std::vector<ReceiptTransfer> transfers;
};

// What the archive knows about the payment a row reports.
struct RowEvidence {
  std::optional<ReceiptEvidence> receipt;
  // Without a receipt: the ente's position whose option has this IUV.
  std::optional<std::int64_t> position_id;
  // The IUV is one the ente issues itself (isOwnIuv); otherwise another intermediary's.
  bool own_iuv = true;
  // The same (IUV, IUR, index) earlier in this flow, both payments or both revocations: its seq.
  std::optional<int> duplicate_of;
  // The payment is already reported as collected by this other current flow (identificativo).
  std::optional<std::string> reported_in;
};

enum class RowState { kOk, kAnomalous, kOtherIntermediary };
std::string_view rowStateName(RowState s);  // "OK", "ANOMALOUS", "OTHER_INTERMEDIARY"
std::optional<RowState> parseRowState(std::string_view text);

struct RowVerdict {
  RowState state = RowState::kOk;
  std::optional<Anomaly> anomaly;
  std::optional<std::int64_t> receipt_id, position_id;
};

// GovPay's algorithm (reference §4.5) for the row of a flow addressed to `receiver_fiscal_code`:
// a later duplicate within the flow (007115); an unknown outcome code (007110); with a receipt,
// the transfer `transfer_index` must exist and be the receiver's (007101, 007116) and its amount
// must equal the reported one, in absolute value for a revocation (007104, 007112), and the
// payment must not be reported already by another flow (007115); without one, an IUV of another
// intermediary is OTHER_INTERMEDIARY (not an anomaly of ours), codes 8/9 name the receipt to
// recover (007101 when the position exists, else 007111), any other a payment we have no
// receipt of (007101). One anomaly per row: the first found.
RowVerdict judgeRow(const FlowRow& row, const std::string& receiver_fiscal_code,
                    const RowEvidence& e);

// GovPay IuvUtils.isIuvInterno: the IUVs we issue are 17 digits starting with the ente's
// segregation code (aux digit 3); any other was issued by another intermediary of the creditor.
bool isOwnIuv(std::string_view iuv, std::string_view segregation_code);

// ---- Amounts ------------------------------------------------------------------------------------

// "\d+\.\d{2}" with an optional leading '-', in signed cents; nullopt otherwise.
std::optional<std::int64_t> parseSignedWireAmount(std::string_view text);
// -1050 -> "-10,50": euro with a decimal comma, for Italian spreadsheets and messages.
std::string italianAmount(std::int64_t cents);

// ---- Stored flows
// ---------------------------------------------------------------------------------

enum class FlowState { kAcquired, kAnomalous };
std::string_view flowStateName(FlowState s);  // "ACQUIRED", "ANOMALOUS"

struct StoredRow {
  std::int64_t id = 0;
  FlowRow row;
  RowVerdict verdict;
};

// A flow as imported for one ente: the parsed header, what we computed, our verdicts.
struct StoredFlow {
  std::int64_t id = 0;
  std::string ente;
  Flow flow;  // rows empty: they are in `rows`
  std::int64_t rows_count = 0, total_cents = 0;
  std::int64_t rows_ok = 0, rows_anomalous = 0, rows_other = 0;
  std::int64_t positions_reported = 0;
  FlowState state = FlowState::kAcquired;
  std::vector<Anomaly> anomalies;  // the flow's own (flowAnomalies)
  // A later revision (same identificativoFlusso and PSP, later dataOraFlusso) replaces this one:
  // its rows no longer count.
  std::optional<std::int64_t> superseded_by;
  std::string xml_sha256;
  std::string imported_at, imported_by;
  std::vector<StoredRow> rows;  // read with the report only
  std::string xml;              // read for the download only
};

// The header with counts and flow-level anomalies; with `rows`, every row with its verdict.
nlohmann::json toJson(const StoredFlow& f, bool rows);
nlohmann::json toJson(const StoredRow& r);

// ---- Accounting export ------------------------------------------------------------------------

// One reported payment, as the accounting office books it.
struct ExportLine {
  std::string settlement_date, flow_id, iuv, iur;
  int transfer_index = 1;
  std::int64_t amount_cents = 0;
  int outcome_code = 0;
  RowState state = RowState::kOk;
  std::optional<std::string> anomaly_code;
  // From the receipt, when the row matched one.
  std::string debtor_fiscal_code, remittance, category;
};
// The CSV for the office's spreadsheet (spreadsheetCsv: BOM, ';'): data_regolamento;
// identificativo_flusso;iuv;iur;indice;importo (euro, decimal comma, signed);
// codice_fiscale_debitore;causale;tassonomia;esito;stato.
std::string exportCsv(const std::vector<ExportLine>& lines);

}  // namespace cst::payments::fdr
