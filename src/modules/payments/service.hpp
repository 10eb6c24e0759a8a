#pragma once
// The payments service's use cases: each ente's creditor configuration (the fiscal code,
// segregation code, IBANs and taxonomy codes pagoPA knows it by) and its debt positions
// (service_positions.cpp). Validation, transactions and audit are here; no HTTP.
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "event_hub.hpp"
#include "import_csv.hpp"
#include "model.hpp"
#include "model_node.hpp"
#include "model_position.hpp"
#include "store_fdr.hpp"
#include "store_imports.hpp"
#include "store_node.hpp"
#include "store_positions.hpp"

namespace cst {
class Platform;
}

namespace cst::payments {

// Thread safety: every method may be called from any thread.
class Service {
 public:
  explicit Service(Platform& p);

  // The ente's configuration; nullopt when it has none yet; kNotFound for an unknown ente. The
  // caller has checked that the reader may see the ente.
  Result<std::optional<Creditor>> creditor(const std::string& ente);

  // Replaces the ente's whole configuration with the one in `body` (creditorFromJson), in one
  // transaction with its audit entry ("payments.creditor.update"). kBadInput naming every bad
  // field; kConflict (field fiscal_code) when another ente is configured with the same fiscal
  // code; kNotFound for an unknown ente. A refused request changes nothing.
  Result<Creditor> saveCreditor(const std::string& ente, const nlohmann::json& body,
                                const audit::Entry& who);

  // ---- Debt positions (service_positions.cpp) ----
  // `scope` is the set of enti the caller may act on for the operation: a position of any other
  // ente answers kNotFound, as one that does not exist.

  // Creates a DRAFT position of `ente` from `body` (positionFromJson), allocating the IUV and
  // notice number of every option in the same transaction, with its timeline event and audit
  // entry ("payments.position.create"). kRuleViolated (field `ente`) when the ente has no
  // creditor configuration; kBadInput naming every bad field; kConflict (field `reference`) for
  // a reference the ente already used. A refused request changes nothing.
  Result<DebtPosition> createPosition(const std::string& ente, const nlohmann::json& body,
                                      const audit::Entry& who);
  Result<DebtPosition> position(std::int64_t id, const auth::EnteScope& scope);
  // The caller has restricted `filter` to the enti it may see.
  Result<std::vector<DebtPosition>> positions(const store::PositionFilter& filter);
  // DRAFT -> VALID: the notice numbers become payable. kConflict from any other state.
  Result<DebtPosition> publishPosition(std::int64_t id, const auth::EnteScope& scope,
                                       const audit::Entry& who);
  // DRAFT or VALID -> INVALID, with the reason (required). kConflict from any other state (a
  // position with payments cannot be invalidated).
  Result<DebtPosition> invalidatePosition(std::int64_t id, const std::string& reason,
                                          const auth::EnteScope& scope, const audit::Entry& who);
  // Deletes a DRAFT (never published, so no notice of it exists); its IUVs are not reused.
  // kConflict for any other state.
  Status deletePosition(std::int64_t id, const auth::EnteScope& scope, const audit::Entry& who);
  // VALID positions whose valid_until (Europe/Rome) has passed -> EXPIRED, each with its event
  // and audit entry by "system". Returns how many expired.
  Result<int> expirePositions();
  // The IUV allocator's next base for (ente, segregation code): 1 when unused.
  Result<std::int64_t> nextIuvBase(const std::string& ente, const std::string& segregation_code);

  // ---- The pagoPA node (service_node.cpp) ----

  // The CST's registration as intermediary; nullopt until configured (the node is then refused).
  Result<std::optional<Broker>> broker();
  // Replaces it (cst_admin), audited ("payments.broker.update"); kBadInput naming every field.
  Result<Broker> saveBroker(const nlohmann::json& body, const audit::Entry& who);
  // paVerifyPaymentNotice and paGetPaymentV2: the notice as the node is told about it, or an Error
  // whose type is the fault code (model_node.hpp). Reads only: SANP wants the creditor not to
  // change a position until the receipt arrives.
  Result<NodeNotice> noticeForNode(const NoticeQuery& q);
  // paSendRTV2: records the receipt and moves its position (PAID, PARTIALLY_PAID), with timeline
  // and audit, then notifies PaymentReceived. The same receiptId again is a success that changes
  // nothing; a different receipt for an option already paid is PAA_RECEIPT_DUPLICATA. A receipt
  // the position cannot take (e.g. it was invalidated meanwhile) is kept with its anomaly and
  // acknowledged: the money was collected and the office must refund or reassign it.
  Status acceptReceipt(const ReceiptDelivery& d);
  // Who answers the node's faults (fault.id): our intermediary's fiscal code, else `fallback`.
  std::string faultId(const std::string& fallback);

  // Receipts, for the offices and the citizens. The caller has restricted `filter` to the enti
  // it may see.
  Result<std::vector<StoredReceipt>> receipts(const store::ReceiptFilter& filter);
  // With its XML; kNotFound outside `scope`.
  Result<StoredReceipt> receipt(std::int64_t id, const auth::EnteScope& scope);

  // ---- The citizen's lookup (service_citizen.cpp) ----

  // A notice as its debtor sees it, found by notice number and the debtor's own fiscal code.
  struct CitizenNotice {
    std::string ente, ente_name, creditor_fiscal_code;
    std::int64_t position_id = 0;
    std::string reference, description;
    PaymentOption option;
    int instalments = 0;        // how many instalments the plan has (0: a single payment)
    int instalment_number = 0;  // which of them this option is (1..), 0 for the single payment
    // "da_pagare", "pagato", "scaduto", "annullato": the node's own rule (payableOption).
    std::string state;
    std::optional<StoredReceipt> receipt;  // the receipt that paid this option
  };
  // Drafts are not found (not published yet). An empty list when nothing matches: the caller
  // answers 404 without saying which of the two keys was wrong.
  Result<std::vector<CitizenNotice>> citizenNotices(const std::string& notice_number,
                                                    const std::string& debtor_fiscal_code);
  // Every published notice of the debtor with this fiscal code, in any ente, the newest
  // positions first, at most kMaxOwnNotices: a logged-in citizen's own positions.
  static constexpr std::size_t kMaxOwnNotices = 500;
  Result<std::vector<CitizenNotice>> debtorNotices(const std::string& debtor_fiscal_code);

  // The published interface other modules use (include/payments/api.hpp).
  std::shared_ptr<PaymentEvents> events() const { return events_; }

  // ---- Payment notices (service_notices.cpp) ----
  // A notice is printed only for a payable position (VALID, PARTIALLY_PAID: isPayable): a draft
  // is not payable yet, and the node would refuse an invalid, expired or paid one.

  // The most notices one bulk PDF holds: a Comune's whole roll is printed in parts chosen with
  // the filters, so that one request stays within seconds and a bounded amount of memory.
  static constexpr std::size_t kMaxNoticesPerPdf = 5000;

  struct Notice {
    DebtPosition position;
    std::string pdf;
  };
  // The notice PDF of position `id` (notice_pdf.hpp). kNotFound when it does not exist or is
  // outside `scope`; kConflict when it is not payable, with what to do in the detail.
  Result<Notice> noticePdf(std::int64_t id, const auth::EnteScope& scope);
  // One PDF with the notice of every payable position matching `filter` (the caller restricted
  // it to the enti it may see; its paging is ignored), oldest first, each on new pages.
  // kBadInput (field `status`) for a status filter that is not payable; kNotFound when no
  // position matches; kRuleViolated (type "too-many-notices") above kMaxNoticesPerPdf.
  Result<std::string> noticesPdf(const store::PositionFilter& filter);

  // ---- Tax-roll import (service_import.cpp) ----

  struct ImportRequest {
    std::string ente;
    roll::ImportMode mode = roll::ImportMode::kAllOrNothing;
    bool publish = false;  // DRAFT -> VALID for the created positions, in the same transaction
    std::int64_t file_bytes = 0;
    std::string file_sha256;
  };
  // Reads the roll from `csv` (seekable: a retried transaction reads it again) and creates its
  // positions in one transaction, as createPosition does each (notice numbers, timeline, audit),
  // then stores the report with its audit entry ("payments.import"). all_or_nothing: any error
  // and nothing is created; valid_rows: the valid positions are, the others reported. Both
  // answer the stored report, whose outcome says which. Refused before anything is stored:
  // kNotFound (unknown ente), kRuleViolated (no creditor configuration), kBadInput (the header's
  // columns, a file with no data rows, a file that cannot be split: no report is stored),
  // kTooLarge (more than roll::kMaxRows rows). The write transaction lasts as long as the file:
  // other writers wait for it (see docs/payments.md for the measured cost).
  Result<roll::ImportReport> importRoll(const ImportRequest& r, std::istream& csv,
                                        const audit::Entry& who);
  // The stored reports; kNotFound outside `scope`. The caller has restricted `filter` to the enti
  // it may see.
  Result<roll::ImportReport> importReport(std::int64_t id, const auth::EnteScope& scope);
  Result<std::vector<roll::ImportReport>> importReports(const store::ImportFilter& filter);

  // ---- Reconciliation files, FdR (service_fdr.cpp) ----
  // `scope`: the enti the caller may manage positions of (import) or read them (the rest).

  struct FlowImport {
    fdr::StoredFlow flow;  // with its rows and verdicts
    bool created = true;   // false: this very file was imported before, nothing changed
  };
  // Imports a flow (XML as received, at most fdr::kMaxFlowBytes) for the ente whose creditor
  // fiscal code is its istitutoRicevente, in one transaction: every row judged against the
  // ente's receipts (fdr::judgeRow), the flow's own checks, the older revisions of the same flow
  // superseded (a revision older than the stored one is kept already superseded), the PAID
  // positions whose receipts are now wholly reported moved to REPORTED (applyTransition, actor
  // `who`), the audit entry ("payments.fdr.import"). Idempotent: the same revision with the same
  // content answers the stored report (created false). kBadInput (not XML, not a valid flow, not
  // UTF-8), kTooLarge, kRuleViolated (field istitutoRicevente: not a creditor we serve),
  // kNotFound (an ente outside `scope`), kConflict (type fdr-revision-conflict: this revision
  // was imported with other content).
  Result<FlowImport> importFlow(const std::string& xml, const auth::EnteScope& scope,
                                const audit::Entry& who);
  // One flow with its rows, or with its XML instead when `xml`; kNotFound outside `scope`.
  Result<fdr::StoredFlow> reconciliationFlow(std::int64_t id, const auth::EnteScope& scope,
                                             bool xml = false);
  // The caller has restricted `filter` to the enti it may see.
  Result<std::vector<fdr::StoredFlow>> reconciliationFlows(const store::FlowFilter& filter);
  struct OpenAnomalies {
    std::vector<store::OpenAnomaly> rows;  // a page, newest first
    std::vector<fdr::StoredFlow> flows;    // current flows with anomalies of their own (first page)
  };
  Result<OpenAnomalies> openAnomalies(const store::FlowFilter& filter);
  // The accounting CSV (fdr::exportCsv) of the ente's current flows settled from `from` to `to`
  // (YYYY-MM-DD, inclusive, either open). The caller has checked that it may see the ente.
  Result<std::string> accountingExport(const std::string& ente,
                                       const std::optional<std::string>& from,
                                       const std::optional<std::string>& to);

 private:
  // citizenNotices and debtorNotices: the options optionsOfDebtor finds, as their debtor sees them.
  Result<std::vector<CitizenNotice>> noticesOfDebtor(
      const std::optional<std::string>& notice_number, const std::string& debtor_fiscal_code,
      std::size_t limit);

  Platform& p_;
  std::shared_ptr<EventHub> events_;
};

// ---- Shared by createPosition and the tax-roll import (service_positions.cpp) ----
// Each runs inside the caller's write transaction.

// Today in Europe/Rome (YYYY-MM-DD): what due dates and valid_until are checked against.
std::string romeToday(TimePoint now);
// The ente's creditor configuration; kRuleViolated (field `ente`, problem type
// creditor-not-configured) when it has none: it cannot have positions yet.
Result<Creditor> requireCreditor(db::Tx& tx, const std::string& ente);

// IUV bases a caller reserved ahead (store::allocateIuvBases), handed out in order: a bulk import
// reserves a block's at once instead of one allocator call per position.
struct IuvBases {
  std::int64_t next = 0;
  std::int64_t left = 0;
};
// Stores `p`, validated by positionFromJson, as a new DRAFT: kConflict (field `reference`) for a
// reference the ente already used, before anything is written; the options' IUVs and notice
// numbers from `bases`, or from bases reserved here for exactly these options when it holds
// fewer (the rest is abandoned); the insert, the "create" timeline event and the audit entry
// ("payments.position.create", `audit_detail` added to its detail). Sets p's ids and stamps.
Status storeNewPosition(db::Tx& tx, DebtPosition& p, const std::string& segregation_code,
                        IuvBases& bases, const audit::Entry& who, TimePoint now,
                        const nlohmann::json& audit_detail = nlohmann::json::object());

}  // namespace cst::payments
