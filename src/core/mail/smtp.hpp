#pragma once
// Writing e-mail: one RFC 5322 plain-text message composed with GMime, and its submission to the
// configured relay over SMTP with libcurl (smtp:// with STARTTLS, or smtps://). Nothing here
// touches the database: the outbox (outbox.hpp) decides what to send and when.
//
// Thread safety: every function may be called from any thread; submit() blocks for up to the
// relay timeout, so it runs on a job or worker thread, never on an I/O loop.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace cst::mail {

// A name and an address, as in `From: Call center CST <noreply@cst.example>`.
struct Mailbox {
  std::string name;     // UTF-8, may be empty
  std::string address;  // "local@domain", ASCII
};

// Checks one bare address ("mario.rossi@comune.cremona.it"): the dot-atom form of RFC 5322
// §3.4.1 in ASCII, with a domain of at least two labels. Quoted local parts, address literals and
// international addresses (RFC 6531) are refused: the relay is not asked for SMTPUTF8. Errors:
// kBadInput naming `field`.
Status checkAddress(std::string_view address, const std::string& field);

// Parses "Name <local@domain>" or a bare "local@domain". Errors: kBadInput naming `field`.
Result<Mailbox> parseMailbox(std::string_view text, const std::string& field);

// Everything that goes into one message. `headers` are extra fields (In-Reply-To, References,
// Auto-Submitted...), printable ASCII; composing refuses names it writes itself (From, Subject...).
struct MessageDraft {
  Mailbox from;
  std::string to;       // bare address
  std::string subject;  // UTF-8: RFC 2047 encoded when not ASCII
  std::string body;     // UTF-8 plain text, lines ending in "\n"
  std::vector<std::pair<std::string, std::string>> headers;
  TimePoint date;          // the Date field: when the message was written, not when it is sent
  std::string message_id;  // without angle brackets
};

// The message in wire form: CRLF line ends, 7-bit clean (the body is quoted-printable when it is
// not plain ASCII with short lines), so any relay takes it without 8BITMIME. Errors: kBadInput
// naming the draft's field at fault.
Result<std::string> compose(const MessageDraft& draft);

// A header name an outgoing message may carry as an extra (not one composed from the draft).
bool isExtraHeaderAllowed(std::string_view name);

struct RelayOptions {
  // "smtp://host:port" (STARTTLS is required when a username is set: a password never travels
  // in clear) or "smtps://host:port" (TLS from the first byte). Certificates are verified.
  std::string url;
  std::string username;  // empty: no authentication (the relay trusts our address)
  std::string password;  // secret: never logged
  std::chrono::seconds timeout{30};
};

// The relay URL without any user information, for logs.
std::string describeRelay(const std::string& url);

// Hands `message` to the relay for one recipient. Success means the relay accepted it (250 after
// the data); it may still bounce later, by mail to `envelope_from`. Errors:
//   kRuleViolated  the relay refused this message with a 5xx reply to MAIL FROM, RCPT TO or the
//                  data: permanent, sending it again gives the same answer;
//   kUnavailable   anything else (no connection, TLS, authentication, timeout, a 4xx reply, a 5xx
//                  before the message was named): try again later.
// The detail names the relay and its reply, never the credentials.
Status submit(const RelayOptions& relay, const std::string& envelope_from,
              const std::string& recipient, const std::string& message);

}  // namespace cst::mail
