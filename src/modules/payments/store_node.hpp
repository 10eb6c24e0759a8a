#pragma once
// SQL of the node interface: the intermediary's registration and the receipts (portable: SQLite
// and PostgreSQL alike). Every function runs inside the caller's transaction.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model_node.hpp"
#include "payments/api.hpp"

namespace cst::payments::store {

Result<std::optional<Broker>> broker(db::Tx& tx);
Status saveBroker(db::Tx& tx, const Broker& b);

struct OptionRef {
  std::int64_t position_id = 0, option_id = 0;
};
// The option of `ente` with this notice number, if any.
Result<std::optional<OptionRef>> optionOfNotice(db::Tx& tx, const std::string& ente,
                                                const std::string& notice_number);
// The options whose position's debtor has this fiscal code, in any ente: with a notice number,
// the options with that number (two enti with the same segregation code issue the same numbers;
// the citizen's lookup); without, at most `limit` of them, the newest positions first (the
// citizen's own positions).
struct DebtorOption {
  std::string ente;
  std::int64_t position_id = 0, option_id = 0;
};
Result<std::vector<DebtorOption>> optionsOfDebtor(db::Tx& tx,
                                                  const std::optional<std::string>& notice_number,
                                                  const std::string& debtor_fiscal_code,
                                                  std::size_t limit);
// The options of a position paid by a successful receipt, with that receipt's receiptId.
Result<std::map<std::int64_t, std::string>> paidOptions(db::Tx& tx, std::int64_t position_id);

Result<std::optional<StoredReceipt>> receiptByReceiptId(db::Tx& tx, const std::string& ente,
                                                        const std::string& receipt_id);
Result<std::optional<StoredReceipt>> receipt(db::Tx& tx, std::int64_t id);
// Sets r.id. A second successful receipt for one option violates a unique index (kConflict).
Status insertReceipt(db::Tx& tx, StoredReceipt& r);

// Which receipts a list returns: the enti the caller sees (all, or `enti`), filters, the page
// (ids below `before`, newest first); `after` instead pages oldest first (for consumers that
// follow the stream of payments).
struct ReceiptFilter {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<std::int64_t> position_id;
  std::optional<std::string> notice_number;
  std::optional<std::int64_t> before, after;
  int limit = 50;
};
Result<std::vector<StoredReceipt>> listReceipts(db::Tx& tx, const ReceiptFilter& f);

}  // namespace cst::payments::store

namespace cst::payments::store {

// Successful receipts matched to an option without anomaly, with id above `sequence`, oldest
// first: the PaymentReceived stream (include/payments/api.hpp).
Result<std::vector<PaymentReceived>> paymentsAfter(db::Tx& tx, std::int64_t sequence, int limit);

}  // namespace cst::payments::store
