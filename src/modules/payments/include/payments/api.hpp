#pragma once
// What other modules may ask of payments: the payments the pagoPA node confirmed (PaymentReceived),
// as they happen and durably. A module that waits for a fee (SUAP: a practice waits for its
// payment) subscribes for promptness and catches up with paymentsAfter for what it missed (it was
// not running, or the process stopped between the commit and the notification).
// Obtain it with `platform.interfaces.find<payments::PaymentEvents>()`; null when the payments
// module is not installed.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cst::payments {

// One successful receipt that paid an option of one of our debt positions.
struct PaymentReceived {
  std::int64_t sequence = 0;  // increasing in the order the receipts were recorded
  std::string ente;           // ISTAT code of the creditor
  std::int64_t position_id = 0;
  std::string position_reference;  // the ente's own key of the position
  std::string notice_number, iuv;
  std::string receipt_id;  // pagoPA's receiptId (IUR)
  std::int64_t amount_cents = 0;
  std::string paid_at;         // the payment's date and time (the receipt's paymentDateTime)
  bool position_paid = false;  // the whole debt is now paid (not one instalment of several)
};

class PaymentEvents {
 public:
  using Listener = std::function<void(const PaymentReceived&)>;
  virtual ~PaymentEvents() = default;
  // `listener` runs after each payment's transaction has committed, on the thread that recorded
  // it (a request of the node): it must be quick and must not throw. Subscribe at install.
  virtual void subscribe(Listener listener) = 0;
  // The payments recorded after `sequence` (0: from the first), oldest first, at most `limit`.
  virtual Result<std::vector<PaymentReceived>> paymentsAfter(std::int64_t sequence, int limit) = 0;
};

}  // namespace cst::payments
