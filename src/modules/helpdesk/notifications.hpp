#pragma once
// E-mail notifications of the service desk: what each kind of change tells whom. Mails are queued
// in the outbox by the transaction that makes the change (core mail/outbox.hpp), so a refused
// change sends nothing and an accepted one is never forgotten. Subjects carry the ticket's tag
// ("[Assistenza #123]"), so an answer by mail comes back to the ticket through mail-in.
#include <optional>
#include <string>
#include <vector>

#include "mail/outbox.hpp"
#include "model.hpp"
#include "store.hpp"

namespace cst::helpdesk {

enum class Notice {
  kOpened,          // to the requester (acknowledgement) and the desk's mailbox
  kDeskReply,       // a public answer of the desk: to the requester and watchers
  kRequesterReply,  // the requester wrote: to the assignee and watchers
  kStateChanged,    // to the requester and watchers
  kSlaAlarm,        // an escalation or a breach: to the assignee, else the desk's mailbox
};

// Who gets it: people with an address (the actor never gets their own news) and the desk's
// mailbox when the notice goes there.
struct Recipients {
  std::vector<store::Person> people;
  std::optional<std::string> desk_mailbox;
};

// The mails for one notice, one per distinct address. `text`: the reply, or what the SLA alarm
// says; `ente_name`: the Comune as people call it.
std::vector<mail::OutgoingMail> compose(const Ticket& t, Notice kind, const std::string& actor,
                                        const std::string& text, const std::string& ente_name,
                                        const Recipients& to);

}  // namespace cst::helpdesk
