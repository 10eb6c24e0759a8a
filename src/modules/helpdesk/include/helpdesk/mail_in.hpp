#pragma once
// `cst helpdesk mail-in`: one e-mail, as a mail server's pipe delivers it (RFC 5322 on stdin),
// becomes a ticket, or a reply on the ticket its subject names ("[Assistenza #123]"). Exit codes
// follow sysexits.h, which mail servers understand: 0 delivered; 65 (EX_DATAERR) the message is
// refused for good (unreadable, infected attachment), the sender gets a bounce; 67 (EX_NOUSER) no
// ente can be told for an unknown sender; 75 (EX_TEMPFAIL) database or antivirus unavailable, the
// mail server keeps the message and retries: nothing is lost.
#include <optional>
#include <string>

namespace cst {
class Platform;
}

namespace cst::helpdesk {

struct MailInOptions {
  // The ente of mail from senders who have no account (one mail alias per Comune, each piping
  // with its own --ente); a known sender's own ente otherwise.
  std::optional<std::string> ente;
};

struct MailInReport {
  int exit_code = 0;
  std::string message;  // one line: what was done, or why not
};

MailInReport mailIn(Platform& p, const std::string& raw, const MailInOptions& options);

// The tag that names a ticket in a mail subject.
std::string subjectTag(std::int64_t ticket_id);

}  // namespace cst::helpdesk
