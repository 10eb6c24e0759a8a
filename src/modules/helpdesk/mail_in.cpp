// `cst helpdesk mail-in`: an e-mail piped in by the mail server becomes a ticket or a reply.
#include "helpdesk/mail_in.hpp"

#include <regex>

#include "mail/mime.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace cst::helpdesk {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitDataErr = 65;   // EX_DATAERR: refused for good, bounce
constexpr int kExitNoUser = 67;    // EX_NOUSER: nobody to deliver to
constexpr int kExitTempFail = 75;  // EX_TEMPFAIL: try again later

MailInReport refused(const Error& e) {
  std::string why = e.detail;
  for (const FieldError& f : e.fields) why += "; " + f.field + ": " + f.message;
  if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal)
    return {kExitTempFail, "temporaneamente non recapitabile: " + why};
  return {kExitDataErr, "messaggio rifiutato: " + why};
}

std::optional<std::int64_t> taggedTicket(const std::string& subject) {
  static const std::regex kTag(R"(\[Assistenza #(\d{1,18})\])");
  std::smatch m;
  if (!std::regex_search(subject, m, kTag)) return std::nullopt;
  return std::stoll(m[1]);
}

bool sameAddress(const std::optional<std::string>& a, const std::string& b) {
  if (!a || a->size() != b.size()) return false;
  for (std::size_t i = 0; i < b.size(); ++i)
    if (std::tolower(static_cast<unsigned char>((*a)[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// The sender as a principal, to ask the policy what they may do.
auth::Principal principalOf(const auth::User& u) {
  auth::Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.grants = u.grants;
  return p;
}

}  // namespace

std::string subjectTag(std::int64_t ticket_id) {
  return "[Assistenza #" + std::to_string(ticket_id) + "]";
}

MailInReport mailIn(Platform& p, const std::string& raw, const MailInOptions& options) {
  if (raw.size() > p.config.max_blob_bytes)
    return {kExitDataErr, "messaggio rifiutato: oltre " +
                              std::to_string(p.config.max_blob_bytes / (1024 * 1024)) + " MB"};
  auto parsed = mail::parse(raw, p.config.data_dir / "blobs" / "tmp");
  if (!parsed) return refused(parsed.error());
  const mail::Message& m = *parsed;
  // Whatever happens below, no attachment file is left behind (stored ones were moved away).
  struct Discard {
    const mail::Message& m;
    ~Discard() { mail::discardAttachments(m); }
  } discard{m};

  auto sender = p.identity->userByEmail(m.from_address);
  if (!sender) return refused(sender.error());
  Service service(*p.db, *p.clock, *p.enti, *p.identity, p.policy);
  Actor by{std::nullopt, m.from_name.empty() ? m.from_address : m.from_name, false, false, {}};
  by.audit.actor = "mail:" + m.from_address;
  by.audit.request_id = m.message_id.empty() ? "mail-in" : "mail:" + m.message_id;
  std::optional<auth::Principal> who;
  if (*sender) {
    who = principalOf(**sender);
    by.user_id = (*sender)->id;
    by.name = (*sender)->display_name;
    by.agent = !p.policy.scope(*who, action::kWork).empty();
    by.audit = audit::Entry::by(*who, by.audit.request_id);
  }

  InboundMail in;
  in.text = m.text.empty() ? "(messaggio senza testo)" : m.text;
  // A reply when the subject names a ticket that the sender may follow and that is still open.
  if (auto id = taggedTicket(m.subject)) {
    auto t = service.get(*id, Visibility{true, {}, std::nullopt, true});
    if (t && t->ticket.state != State::kClosed) {
      // Whoever could follow the ticket in the portal, or the address it was opened from.
      const bool known = who && visibilityFor(p.policy, *who).sees(t->ticket);
      if (known || sameAddress(t->ticket.requester_email, m.from_address)) {
        in.reply_to = *id;
        in.ticket.ente = t->ticket.ente;
      }
    }
  }
  if (!in.reply_to) {
    // A new ticket: for the sender's own ente, or the alias's (--ente).
    std::optional<std::string> ente = options.ente;
    if (!ente && who)
      for (const auth::Grant& g : who->grants)
        if (g.ente && p.policy.allows(*who, action::kOpen, *g.ente)) {
          ente = g.ente;
          break;
        }
    if (!ente)
      return {kExitNoUser, "messaggio rifiutato: mittente " + m.from_address +
                               " sconosciuto e nessun ente indicato (--ente)"};
    if (auto e = p.enti->get(*ente); !e) return refused(e.error());
    NewTicket& t = in.ticket;
    t.ente = *ente;
    t.subject = m.subject.empty() ? "(senza oggetto)" : m.subject;
    t.description = in.text;
    const bool requester = who && p.policy.allows(*who, action::kOpen, *ente);
    if (requester) t.requester_id = who->user_id;
    t.requester_name = requester ? by.name : (m.from_name.empty() ? m.from_address : m.from_name);
    t.requester_email = m.from_address;
  }

  // Every attachment is scanned before anything is stored: an infected one refuses the message
  // (and goes to the quarantine).
  if (!m.attachments.empty()) {
    if (auto s = p.connectScanner(); !s) return refused(s.error());
    std::vector<uploads::Screened> screened;
    for (const mail::Attachment& a : m.attachments) {
      auto ok = p.uploads->screen({in.ticket.ente, by.user_id.value_or(0), a.filename,
                                   a.content_type, a.file, "helpdesk.mail-in"},
                                  by.audit);
      if (!ok) {
        Error e = ok.error();
        e.detail = a.filename + ": " + e.detail;
        return refused(e);
      }
      screened.push_back(std::move(*ok));
    }
    for (const uploads::Screened& s : screened) {
      auto u = p.uploads->store(s, by.audit);
      if (!u) return refused(u.error());
      in.files.push_back(std::move(*u));
    }
  }
  auto done = service.receiveMail(in, by);
  if (!done) return refused(done.error());
  const std::string what =
      in.reply_to ? "risposta aggiunta alla segnalazione " : "segnalazione aperta: ";
  return {kExitOk,
          what + std::to_string(done->ticket.id) + " " + subjectTag(done->ticket.id) +
              (in.files.empty() ? "" : " con " + std::to_string(in.files.size()) + " allegati")};
}

}  // namespace cst::helpdesk
