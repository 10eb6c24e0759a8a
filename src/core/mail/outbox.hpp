#pragma once
// The outbox: outgoing e-mail written into the database by the same transaction as the change it
// reports, then delivered to the SMTP relay by the "Invio posta" job. A rolled-back change sends
// nothing; a committed one loses nothing, even if the relay is down for hours or the server
// restarts. Delivery is at least once: a message is marked sent only after the relay accepted it,
// so a crash between the two sends it again (with the same Message-ID, which receivers use to
// drop the copy).
//
// Thread safety: Outbox may be shared; several instances (and several `cst serve` on one
// PostgreSQL) may deliver at once: each message is claimed by a conditional update first.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "db/db.hpp"
#include "mail/smtp.hpp"

namespace cst::mail {

struct OutgoingMail {
  std::optional<std::string> ente;  // ISTAT code of the ente it concerns; none: the platform's own
  std::string recipient;            // one bare address: "mario.rossi@comune.cremona.it"
  std::string subject;              // UTF-8, one line
  std::string body;                 // UTF-8 plain text
  // Extra header fields, printable ASCII: In-Reply-To and References to thread a reply into the
  // citizen's conversation. "Auto-Submitted: auto-generated" is added unless given (RFC 3834:
  // vacation responders do not answer it, so no reply loop with the helpdesk's mail-in).
  std::vector<std::pair<std::string, std::string>> headers;
  // Without angle brackets; empty: one is made up at delivery (the same for every attempt).
  std::string message_id;
};

// Queues `m` inside the caller's transaction `tx`, due at `now`. Errors: kBadInput naming the
// field at fault ("recipient", "subject", "body", "headers.<Name>", "message_id"); database
// errors as the database reports them (the caller's transaction then rolls back).
Status enqueue(db::Tx& tx, const OutgoingMail& m, TimePoint now);

struct OutboxOptions {
  RelayOptions relay;  // relay.url empty: delivery is off and mail stays queued
  Mailbox from;        // From field and envelope sender (bounces come back to it)
  int max_attempts = 10;
  // Wait after the n-th failed attempt: first_retry × 2^(n-1), at most max_retry. With the
  // defaults, 1, 2, 4 ... 32 min then hourly: about 5 hours before a message is given up.
  std::chrono::minutes first_retry{1};
  std::chrono::minutes max_retry{60};
  int batch = 50;  // most messages one run sends, so the job thread is not held for long
  // How long a claimed message is left alone by other instances: more than the relay timeout.
  std::chrono::minutes claim{15};
};

struct DeliveryRun {
  int sent = 0;
  int retrying = 0;  // temporary failure: queued again with backoff
  int failed = 0;    // refused by the relay, or out of attempts: not tried again
  // Set when the run stopped at a temporary failure: the relay is down or pushing back, and the
  // other due messages would only meet the same answer.
  std::optional<std::string> stopped_by;
};

struct QueueCounts {
  std::int64_t queued = 0;
  std::int64_t failed = 0;
};

class Outbox {
 public:
  Outbox(db::Database& db, const Clock& clock, OutboxOptions options);

  bool enabled() const { return !options_.relay.url.empty(); }
  // Sends the messages due now, oldest first, one SMTP session each. Every outcome is written
  // before the next message is tried: sent (only once the relay accepted it), queued again with
  // backoff, or failed (a 5xx refusal, or max_attempts reached). When delivery is off, does
  // nothing and logs a warning once. Errors: database errors only.
  Result<DeliveryRun> deliverDue();
  // For /metrics.
  Result<QueueCounts> counts();
  std::int64_t sentTotal() const { return sent_.load(); }  // by this instance since start

 private:
  struct Claimed;
  Result<std::optional<Claimed>> claimNext(TimePoint now);
  Status record(const Claimed& m, const Status& outcome, TimePoint now);
  std::chrono::milliseconds backoff(std::int64_t attempts) const;

  db::Database& db_;
  const Clock& clock_;
  OutboxOptions options_;
  std::atomic<bool> warned_disabled_{false};
  std::atomic<std::int64_t> sent_{0};
};

}  // namespace cst::mail
