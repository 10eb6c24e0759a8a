// Who hears of a change, and the mails queued for them in the change's own transaction.
#include <spdlog/spdlog.h>

#include "notifications.hpp"
#include "service.hpp"

namespace cst::helpdesk {

namespace {

// A subject typed in a form may hold a tab or a line break; a mail subject may not.
Ticket forMail(Ticket t) {
  for (char& c : t.subject)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return t;
}

}  // namespace

Status Service::notify(db::Tx& tx, const Ticket& t, Notice kind, const Actor& by,
                       const std::string& text, const SlaContext& ctx, TimePoint now) {
  Recipients to;
  auto add = [&](const std::vector<std::int64_t>& ids) -> Status {
    auto found = store::people(tx, ids);
    if (!found) return tl::unexpected(found.error());
    to.people.insert(to.people.end(), found->begin(), found->end());
    return {};
  };
  const bool to_requester =
      kind == Notice::kOpened || kind == Notice::kDeskReply || kind == Notice::kStateChanged;
  const bool to_assignee = kind == Notice::kRequesterReply || kind == Notice::kSlaAlarm;
  if (to_requester) {
    if (t.requester_id) {
      if (auto s = add({*t.requester_id}); !s) return s;
    } else if (t.requester_email) {
      to.people.push_back({0, t.requester_name, t.requester_email});
    }
  }
  if (to_assignee && t.assignee_id)
    if (auto s = add({*t.assignee_id}); !s) return s;
  if (kind != Notice::kOpened && kind != Notice::kSlaAlarm) {
    auto watching = store::watchers(tx, t.id);
    if (!watching) return tl::unexpected(watching.error());
    to.people.insert(to.people.end(), watching->begin(), watching->end());
  }
  // Nobody is told what they just did, except the acknowledgement of their own ticket.
  if (kind != Notice::kOpened && by.user_id)
    std::erase_if(to.people, [&](const store::Person& p) { return p.id == *by.user_id; });
  if (kind == Notice::kOpened || (to_assignee && !t.assignee_id))
    to.desk_mailbox = ctx.settings.notify_email;

  const std::string ente_name = enti_.name(t.ente);
  for (const mail::OutgoingMail& m : compose(forMail(t), kind, by.name, text, ente_name, to)) {
    auto queued = mail::enqueue(tx, m, now);
    // A stored address the outbox refuses must not undo the change the mail reports.
    if (!queued && queued.error().code == ErrorCode::kBadInput) {
      spdlog::warn("helpdesk: no mail to {} for ticket {}: {}", m.recipient, t.id,
                   queued.error().detail);
      continue;
    }
    if (!queued) return queued;
  }
  return {};
}

}  // namespace cst::helpdesk
