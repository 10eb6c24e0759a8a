#pragma once
// Debt positions (posizioni debitorie): what a debtor owes an ente, as one or more payment options
// (a single payment, or the instalments of a plan), each with its IUV and notice number and split
// into 1..5 transfers to the creditors' accounts. Modelled on pagoPA's GPD (reference §4.2), with
// the differences named where they are. No I/O.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fiscal_code.hpp"
#include "model.hpp"

namespace cst::payments {

// ---- State machine -------------------------------------------------------------------------

// GPD's states (reference §4.2) without PUBLISHED: a position is published straight to VALID
// (we have no "valid from" date yet).
enum class PositionStatus { kDraft, kValid, kPartiallyPaid, kPaid, kReported, kExpired, kInvalid };
std::string_view statusName(PositionStatus s);  // "DRAFT", "VALID", ...
std::optional<PositionStatus> parsePositionStatus(std::string_view text);

// What moves a position. Publish, invalidate and expire have an API or a job; the payment and
// reporting events come with receipts and reconciliation (later increments of issue 5).
enum class PositionEvent { kPublish, kInvalidate, kExpire, kPartialPayment, kFullPayment, kReport };
std::string_view eventName(PositionEvent e);  // "publish", "invalidate", ...

// The transition table: the state after `event`, or nullopt when `event` is not allowed in
// `from`. INVALID and REPORTED are final. A payment is accepted on an EXPIRED position: a receipt
// for a payment the node started before expiry must still be recorded.
std::optional<PositionStatus> nextStatus(PositionStatus from, PositionEvent event);
// Only drafts may be changed or deleted: once published, a notice number may have been printed.
inline bool isEditable(PositionStatus s) { return s == PositionStatus::kDraft; }
// The node may collect: VALID and PARTIALLY_PAID (GPD's payable states).
inline bool isPayable(PositionStatus s) {
  return s == PositionStatus::kValid || s == PositionStatus::kPartiallyPaid;
}

// ---- Debt position -------------------------------------------------------------------------

// pagoPA: at most 5 transfers per option (stTransferCount); a plan's instalments and the limits of
// one request.
inline constexpr std::size_t kMaxTransfers = 5;
inline constexpr std::size_t kMaxOptions = 100;
inline constexpr std::int64_t kMaxAmountCents = 99'999'999'999;

struct Debtor {
  char type = 'F';          // F: a person (16-char codice fiscale); G: a legal entity (11 digits)
  std::string fiscal_code;  // upper case
  std::string name;         // full name or company name
  std::optional<std::string> street, civic_number, postal_code, city, province, country, email;
};

struct Transfer {
  int seq = 1;  // 1..5, the idTransfer of pagoPA
  std::int64_t amount_cents = 0;
  std::string iban;  // normalised
  std::string remittance;
  // Multi-beneficiary: the other creditor's fiscal code; nullopt for the ente itself.
  std::optional<std::string> beneficiary_fiscal_code;
};

struct PaymentOption {
  std::int64_t id = 0;
  int seq = 1;              // 1.. in the order given
  bool instalment = false;  // false: the single full payment; true: an instalment of the plan
  std::int64_t amount_cents = 0;
  std::string due_date;  // YYYY-MM-DD
  std::optional<std::string> description;
  std::string iuv;            // 17 digits (aux 3)
  std::string notice_number;  // 18 digits
  std::vector<Transfer> transfers;
};

struct PositionEventRecord {
  std::string at, actor, event;
  std::optional<std::string> from_status;
  std::string to_status;
  std::optional<std::string> reason;
};

struct DebtPosition {
  std::int64_t id = 0;
  std::string ente;
  std::string reference;  // the ente's own key (GPD iupd), unique per ente
  PositionStatus status = PositionStatus::kDraft;
  Debtor debtor;
  std::string description;
  std::string service_code;  // taxonomy, one of the ente's configured codes
  // Last day (Europe/Rome) the position may be paid; afterwards it becomes EXPIRED. Absent: it
  // never expires (GPD's switchToExpired=false). Note: GPD's validityDate is the opposite, the
  // day a published position becomes payable.
  std::optional<std::string> valid_until;
  std::optional<std::string> invalid_reason;
  std::vector<PaymentOption> options;
  std::vector<PositionEventRecord> timeline;
  std::string created_at, created_by, updated_at, updated_by;
  // Read from lists only: the single payment's amount, or the plan's total when there is none.
  std::int64_t amount_cents = 0;
  std::int64_t options_count = 0;
};

// Reads a creation request of ente `creditor.ente`, checking it against the ente's creditor
// configuration (taxonomy codes, IBANs) and `today` (YYYY-MM-DD, Europe/Rome: due dates and
// valid_until may not be in the past). Every problem is named: `debtor.fiscal_code`,
// `options[0].transfers[1].iban`, ... Amounts are integers in cents (`amount_cents`); a number
// with a fraction, or a field called `amount`, is refused. IUVs and notice numbers are left
// empty: the allocator assigns them when the position is stored.
Result<DebtPosition> positionFromJson(const nlohmann::json& body, const Creditor& creditor,
                                      std::string_view today);

nlohmann::json toJson(const Debtor& d);
nlohmann::json toJson(const PaymentOption& o);
// The whole position: options, transfers, timeline.
nlohmann::json toJson(const DebtPosition& p);
// A row of a list: the header, amount_cents and options_count, no options.
nlohmann::json summaryJson(const DebtPosition& p);

// The 13-digit IUV base of allocator value `n` (1..10^13-1), zero-padded.
std::string iuvBaseOf(std::int64_t n);

}  // namespace cst::payments
