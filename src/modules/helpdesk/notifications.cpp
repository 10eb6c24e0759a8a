#include "notifications.hpp"

#include <set>

#include "calendar/calendar.hpp"
#include "helpdesk/mail_in.hpp"

namespace cst::helpdesk {

namespace {

constexpr const char* kSignature =
    "\n\n--\nCall center unico del CST\n"
    "Per aggiungere informazioni risponda a questo messaggio lasciando invariato l'oggetto.";

std::string romeTime(const std::string& rfc3339) {
  auto t = parseTimestamp(rfc3339);
  if (!t) return rfc3339;
  const std::string rome = calendar::formatRome(std::chrono::floor<std::chrono::seconds>(*t));
  // "2026-11-27T10:30:00+01:00" -> "27/11/2026 10:30"
  return rome.substr(8, 2) + "/" + rome.substr(5, 2) + "/" + rome.substr(0, 4) + " " +
         rome.substr(11, 5);
}

std::string bodyFor(const Ticket& t, Notice kind, const std::string& actor, const std::string& text,
                    const std::string& ente_name) {
  const std::string ref = "n. " + std::to_string(t.id) + " «" + t.subject + "»";
  switch (kind) {
    case Notice::kOpened:
      return "Abbiamo ricevuto la segnalazione " + ref + " per il Comune di " + ente_name +
             ".\nPriorità: " + std::string(priorityLabel(t.priority)) +
             ". Presa in carico prevista entro il " + romeTime(t.due_own) +
             ", risoluzione entro il " + romeTime(t.due_resolve) + "." + kSignature;
    case Notice::kDeskReply:
      return actor + " ha risposto alla segnalazione " + ref + ":\n\n" + text + kSignature;
    case Notice::kRequesterReply:
      return actor + " ha scritto sulla segnalazione " + ref + " (" + ente_name + "):\n\n" + text +
             kSignature;
    case Notice::kStateChanged:
      return "La segnalazione " + ref + " è ora: " + std::string(stateLabel(t.state)) + "." +
             (t.state == State::kSolved
                  ? "\nSe il problema non è risolto, risponda per riaprirla. Dal portale può "
                    "anche valutare l'assistenza ricevuta."
                  : "") +
             kSignature;
    case Notice::kSlaAlarm:
      return text + ": segnalazione " + ref + " del Comune di " + ente_name + ", priorità " +
             std::string(priorityLabel(t.priority)) + ", scadenza di risoluzione " +
             romeTime(t.due_resolve) + "." + kSignature;
  }
  return {};
}

}  // namespace

std::vector<mail::OutgoingMail> compose(const Ticket& t, Notice kind, const std::string& actor,
                                        const std::string& text, const std::string& ente_name,
                                        const Recipients& to) {
  std::vector<mail::OutgoingMail> out;
  std::set<std::string> addresses;
  const std::string subject = subjectTag(t.id) + " " + t.subject;
  const std::string body = bodyFor(t, kind, actor, text, ente_name);
  auto add = [&](const std::string& address, const std::string& greeting) {
    if (address.empty() || !addresses.insert(address).second) return;
    mail::OutgoingMail m;
    m.ente = t.ente;
    m.recipient = address;
    m.subject = subject;
    m.body = greeting + body;
    // One thread per ticket in the recipient's mail program.
    m.headers.emplace_back("References", "<ticket-" + std::to_string(t.id) + "@cst>");
    out.push_back(std::move(m));
  };
  for (const store::Person& p : to.people)
    if (p.email) add(*p.email, "Gentile " + p.name + ",\n");
  if (to.desk_mailbox) add(*to.desk_mailbox, "");
  return out;
}

}  // namespace cst::helpdesk
