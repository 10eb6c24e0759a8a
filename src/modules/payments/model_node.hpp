#pragma once
// What the pagoPA node and the CST say to each other on the creditor side (paForNode, reference
// §4.3-4.4), as plain values: the CST's registration as intermediary, the requests, the receipt,
// the faults. The XML of it is node_soap.cpp; the rules are service_node.cpp. No I/O.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "model_position.hpp"

namespace cst::payments {

// ---- The CST as technological intermediary ---------------------------------------------------

// As registered with PagoPA S.p.A.: the intermediary's fiscal code (idBrokerPA) and the station
// the node calls (idStation, conventionally "<broker fiscal code>_<2 digits>").
struct Broker {
  std::string fiscal_code;
  std::string station_id;
  std::string updated_at, updated_by;
};
// {fiscal_code (11 digits with check digit), station_id (1..35 letters, digits, _ -)}; every
// problem named.
Result<Broker> brokerFromJson(const nlohmann::json& body);
nlohmann::json toJson(const Broker& b);

// ---- Amounts on the wire ----------------------------------------------------------------------

// pagoPA's stAmount: "\d+\.\d{2}" euro. Exactly, in integer cents; nullopt for anything else.
std::optional<std::int64_t> parseWireAmount(std::string_view text);
std::string wireAmount(std::int64_t cents);  // 1600 -> "16.00"

// ---- Faults (reference §4.3, "Fault codes, EC domain") ---------------------------------------

namespace fault {
inline constexpr const char* kUnknown = "PAA_PAGAMENTO_SCONOSCIUTO";
inline constexpr const char* kExpired = "PAA_PAGAMENTO_SCADUTO";
inline constexpr const char* kCancelled = "PAA_PAGAMENTO_ANNULLATO";
inline constexpr const char* kAlreadyPaid = "PAA_PAGAMENTO_DUPLICATO";
inline constexpr const char* kWrongAmount = "PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO";
inline constexpr const char* kDuplicateReceipt = "PAA_RECEIPT_DUPLICATA";
inline constexpr const char* kSemantic = "PAA_SEMANTICA";
inline constexpr const char* kSyntax = "PAA_SINTASSI_XSD";
inline constexpr const char* kWrongCreditor = "PAA_ID_DOMINIO_ERRATO";
inline constexpr const char* kWrongBroker = "PAA_ID_INTERMEDIARIO_ERRATO";
inline constexpr const char* kWrongStation = "PAA_STAZIONE_INT_ERRATA";
inline constexpr const char* kSystem = "PAA_SYSTEM_ERROR";
}  // namespace fault

// The service answers the node with an Error whose `type` is the fault code and whose detail is
// the faultString (Italian); any other error becomes PAA_SYSTEM_ERROR.
Error nodeFault(const char* code, std::string text);
// The fault code of an error: its type when it is one of ours above, else PAA_SYSTEM_ERROR.
std::string faultCodeOf(const Error& e);

// ---- Requests ---------------------------------------------------------------------------------

// Who the node says the request is for: the creditor (idPA, its fiscal code), our intermediary
// fiscal code and our station.
struct NodeCaller {
  std::string creditor_fiscal_code, broker_fiscal_code, station_id;
};

// paVerifyPaymentNotice and paGetPaymentV2 name a notice by its QR code's two keys.
struct NoticeQuery {
  NodeCaller caller;
  std::string fiscal_code;  // the creditor's, as on the notice
  std::string notice_number;
  std::optional<std::int64_t> amount_cents;  // paGetPaymentV2: what the PSP is about to collect
  std::optional<std::string> transfer_type;  // paGetPaymentV2: POSTAL or PAGOPA
};

struct Subject {  // ctSubject, debtor or payer
  char type = 'F';
  std::string fiscal_code;  // entityUniqueIdentifierValue ("ANONIMO" is allowed for payers)
  std::string name;
};

struct ReceiptTransfer {
  int id = 1;  // idTransfer
  std::int64_t amount_cents = 0;
  std::string fiscal_code;          // the beneficiary creditor
  std::optional<std::string> iban;  // absent for a digital revenue stamp (MBDAttachment)
  std::string remittance, category;
};
nlohmann::json toJson(const ReceiptTransfer& t);
std::vector<ReceiptTransfer> receiptTransfersFromJson(const nlohmann::json& list);

// ctReceiptV2, the fields we keep (the whole element is kept as received, in `xml`).
struct Receipt {
  std::string receipt_id;  // the payment token; the IUR of the reconciliation files
  std::string notice_number, fiscal_code, outcome, iuv;
  std::int64_t amount_cents = 0;
  std::optional<std::int64_t> fee_cents;
  std::string description, company_name;
  Subject debtor;
  std::optional<Subject> payer;
  std::vector<ReceiptTransfer> transfers;
  std::string psp_id, psp_name, channel_id;
  std::optional<std::string> psp_fiscal_code, payment_method;
  std::optional<std::string> payment_date_time, application_date, transfer_date;
  bool stand_in = false;
  std::string xml;
};

// A receipt as kept: delivered to `ente` (the idPA of the request), matched to its option when the
// notice is the ente's own; `anomaly` says why it did not move its position.
struct StoredReceipt {
  std::int64_t id = 0;
  std::string ente;
  std::optional<std::int64_t> position_id, option_id;
  Receipt receipt;
  std::optional<std::string> anomaly;
  std::string received_at;
};
// Everything but the XML (downloaded on its own).
nlohmann::json toJson(const StoredReceipt& r);

struct ReceiptDelivery {  // paSendRTV2Request
  NodeCaller caller;
  Receipt receipt;
};

// A notice as the node is told about it (paVerifyPaymentNoticeRes, paGetPaymentV2Response).
struct NodeNotice {
  std::string creditor_fiscal_code, company_name;  // the ente's fiscal code and name
  std::string notice_number, iuv, due_date;
  std::int64_t amount_cents = 0;
  std::string description;  // the position's
  std::optional<std::string> option_description;
  std::string service_code;  // the transfers' category (taxonomy)
  Debtor debtor;
  std::vector<Transfer> transfers;
};

}  // namespace cst::payments
