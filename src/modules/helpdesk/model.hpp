#pragma once
// The service desk's domain: ticket types, states and their transitions, GLPI's urgency x impact
// priority matrix, and the SLA engine that turns targets in business time into due instants.
// No I/O: everything here is pure and tested without a database.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/opening_hours.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"

namespace cst::helpdesk {

enum class TicketType { kIncident, kRequest };
// Where the ticket came from: the portal, a phone call logged by an agent, an e-mail, or a
// monitoring event raised by another module.
enum class Channel { kPortal, kPhone, kEmail, kMonitoring };
// GLPI's life cycle (helpdesk_contracts.md §2.1) with ITIL names; `pending` pauses the SLA.
enum class State { kNew, kAssigned, kInProgress, kPending, kSolved, kClosed };

std::string_view typeName(TicketType t);
std::string_view channelName(Channel c);
std::string_view stateName(State s);
std::string_view stateLabel(State s);  // Italian, for people: "In lavorazione"
std::optional<TicketType> parseType(std::string_view s);
std::optional<Channel> parseChannel(std::string_view s);
std::optional<State> parseState(std::string_view s);
bool isOpen(State s);  // not solved nor closed

// Priority 1 (molto bassa) .. 5 (molto alta) from the matrix, 6 (critica, GLPI's "major") only by
// an explicit override.
constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 5;
constexpr int kMajorPriority = 6;
// GLPI's default matrix (install/empty_data.php); urgency and impact in 1..5.
int priorityFor(int urgency, int impact);
std::string_view priorityLabel(int priority);

// The moves an agent may make by hand. Solved -> in progress is a reopen (the requester's, within
// the reopen window, or an agent's); closed is final.
bool canMove(State from, State to);

// Targets of one priority, in business minutes of the CST calendar.
struct SlaTargets {
  std::chrono::minutes own{0};      // time to own: until an agent is assigned
  std::chrono::minutes resolve{0};  // time to resolve: until solved, pending time excluded
  // Escalation levels before the resolve deadline, in business minutes before it, from the
  // earliest (level 1) to the latest.
  std::vector<std::chrono::minutes> escalations;
};

// The CST's business calendar: opening hours plus holidays (national + the seat's patron saint).
struct BusinessCalendar {
  calendar::OpeningHours hours;
  calendar::CalendarConfig days;
};

// What the SLA clocks of one ticket have seen so far.
struct SlaClock {
  TimePoint opened;
  std::optional<TimePoint> owned;          // first assignment
  std::optional<TimePoint> pending_since;  // set while pending
  std::chrono::minutes paused{0};          // business minutes spent pending, closed intervals
  std::optional<TimePoint> solved;
};

enum class SlaStatus { kRunning, kWarning, kPaused, kBreached, kMet };
std::string_view slaStatusName(SlaStatus s);
std::optional<SlaStatus> parseSlaStatus(std::string_view s);

struct SlaView {
  TimePoint due_own;
  TimePoint due_resolve;  // while pending: the due time if the ticket resumed now
  std::vector<TimePoint> escalation_at;
  SlaStatus own = SlaStatus::kRunning;
  SlaStatus resolve = SlaStatus::kRunning;
  int escalation_level = 0;  // levels whose instant has passed (0 when met or paused)
  // The next instant at which the view changes by time alone (an escalation, a deadline), or
  // nullopt when nothing is pending: the SLA job looks at the ticket again then.
  std::optional<TimePoint> next_change;
};

// The SLA view of a ticket at `now`. Time to own stops when it is taken in charge; time to resolve
// excludes the business time spent pending (GLPI; Znuny's EscalationSuspend vector: opened 08:00,
// 2 h, pending 09:00-10:05 -> due 11:05).
SlaView evaluate(const SlaTargets& targets, const SlaClock& clock, TimePoint now,
                 const BusinessCalendar& cal);

// Business minutes between two instants (for closing a pending interval).
std::chrono::minutes businessMinutes(TimePoint from, TimePoint to, const BusinessCalendar& cal);

// A ticket as stored. Times are RFC 3339 UTC text (core/common/clock.hpp).
struct Ticket {
  std::int64_t id = 0;
  std::string ente;
  TicketType type = TicketType::kIncident;
  Channel channel = Channel::kPortal;
  std::optional<std::int64_t> category_id;
  std::string subject;
  std::string description;
  int urgency = 3;
  int impact = 3;
  int priority = 3;
  State state = State::kNew;
  std::optional<std::int64_t> requester_id;
  std::string requester_name;
  std::optional<std::string> requester_email;
  std::optional<std::int64_t> assignee_id;
  std::optional<std::string> assignee_group;
  std::string opened_at, updated_at;
  std::optional<std::string> owned_at, pending_since, solved_at, closed_at;
  std::int64_t paused_minutes = 0;
  std::string due_own, due_resolve;
  SlaStatus sla_own = SlaStatus::kRunning;
  SlaStatus sla_resolve = SlaStatus::kRunning;
  int escalation_level = 0;
  std::optional<std::string> sla_check_at;
  // Tickets raised by another module's monitoring: the condition they stand for.
  std::optional<std::string> monitoring_source, monitoring_key;
  // Set when the ticket was merged into another (it is closed; mail to it goes there).
  std::optional<std::int64_t> merged_into;
  std::optional<std::string> assignee_name;  // read only: the assignee's display name
  // For first-contact resolution: reopens, and public answers of the desk.
  int reopen_count = 0;
  int desk_replies = 0;
  // The OLA of the assigned group (set while assignee_group is): its clocks start when the
  // ticket reaches the group (group_since); a person of the group taking it stops the time to
  // own (group_owned_at); business minutes pending or solved since then are not counted
  // (group_paused_minutes). The ola_* fields are the view as of the last change or job run.
  std::optional<std::string> group_since, group_owned_at;
  std::int64_t group_paused_minutes = 0;
  std::optional<std::string> ola_due_own, ola_due_resolve;
  std::optional<SlaStatus> ola_own, ola_resolve;
};

// How a ticket relates to another, seen from the first (GLPI: linked, duplicates, parent/child).
// One row per pair is stored; each side reads it in its own direction.
enum class LinkKind { kRelated, kDuplicates, kDuplicatedBy, kParentOf, kChildOf };
std::string_view linkKindName(LinkKind k);
std::optional<LinkKind> parseLinkKind(std::string_view s);
LinkKind inverse(LinkKind k);

// One entry of a ticket's timeline.
enum class EventKind {
  kCreated,
  kReply,
  kNote,
  kState,
  kAssignment,
  kPriority,
  kAttachment,
  kSla,
  kWatcher,  // a watcher added or removed
  kLink,     // a link to another ticket made or undone
  kMerge,    // merged into another ticket, or another merged into this one
};
std::string_view eventKindName(EventKind k);
std::optional<EventKind> parseEventKind(std::string_view s);

struct Event {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::string at;
  EventKind kind = EventKind::kReply;
  bool is_public = true;  // shown to the requester; internal notes are not
  std::optional<std::int64_t> actor_id;
  std::string actor_name;
  std::string body;
  std::string data = "{}";  // JSON: the change (from/to), the attachment, the SLA event
};

// The SLA clocks of a stored ticket, and the ticket's SLA fields set from a view.
SlaClock clockOf(const Ticket& t);
void applySla(Ticket& t, const SlaView& v);
// The clocks of the group holding the ticket (nullopt when none does); the ticket's OLA fields set
// from a view, or cleared. Neither touches sla_check_at, which the caller sets to the earlier of
// the two views' next changes.
std::optional<SlaClock> groupClockOf(const Ticket& t);
void applyOla(Ticket& t, const std::optional<SlaView>& v);

}  // namespace cst::helpdesk
