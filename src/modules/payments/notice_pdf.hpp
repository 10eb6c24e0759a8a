#pragma once
// The pagoPA payment notice ("avviso di pagamento") as a PDF: pure rendering, no database, no
// HTTP. The content follows Avvisi pagoPA 3.x (reference §3.3): the subject, the creditor ente
// and the debtor, how much and by when, where to pay, and one payment block per option (the
// single payment, then each instalment) with its amount, due date, notice number in groups of
// four, the creditor's fiscal code and the QR code (reference §3.1, qrPayload in model.hpp).
//
// Thread safety: every function and every NoticeDocument may be used from any thread; a
// NoticeDocument is not shared between threads. Rendering is CPU work (about half a millisecond a
// notice): callers run it on the worker pool, never on the I/O event loop (STYLE, rule 5).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "model.hpp"
#include "model_position.hpp"

namespace cst::payments {

// What one notice is made of. `ente_name` is the registry's display name ("Comune di Cremona");
// `creditor` is the configuration of the position's ente (its fiscal code goes in the QR code).
struct NoticeSource {
  std::string_view ente_name;
  const Creditor& creditor;
  const DebtPosition& position;
};

// Notices accumulated into one PDF, a position at a time, each starting on a new page. Only the
// document grows: the caller may drop a position once add() returned, so a bulk run holds one
// position (and libharu's page streams) at a time, never the whole batch of positions.
class NoticeDocument {
 public:
  // `title` goes in the PDF metadata (Title).
  explicit NoticeDocument(std::string_view title);
  ~NoticeDocument();
  NoticeDocument(const NoticeDocument&) = delete;
  NoticeDocument& operator=(const NoticeDocument&) = delete;

  // Renders the notice of `n` on one or more new pages. kBadInput when the position cannot be
  // printed as it is (no options, a notice number or amount qrPayload refuses, a creditor of
  // another ente); kInternal when libharu or libqrencode fail. After an error the document must
  // not be finished.
  Status add(const NoticeSource& n);
  // How many notices were added.
  int notices() const;
  // The PDF bytes. Call once; the document is released afterwards.
  Result<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The notice of one position as a whole PDF document (title "Avviso di pagamento <reference>").
Result<std::string> renderNoticePdf(const NoticeSource& n);

// ---- Text as printed (exposed for tests) ---------------------------------------------------

// Integer cents in Italian notation, exactly: 123450 -> "1.234,50 €", 5 -> "0,05 €".
std::string formatEuro(std::int64_t cents);

}  // namespace cst::payments
