#include "model.hpp"

#include <algorithm>
#include <array>

namespace cst::helpdesk {

using std::chrono::floor;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
template <class E, std::size_t N>
std::optional<E> parseName(std::string_view s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kTypes{"incident", "request"};
constexpr std::array<std::string_view, 4> kChannels{"portal", "phone", "email", "monitoring"};
constexpr std::array<std::string_view, 6> kStates{"new",     "assigned", "in_progress",
                                                  "pending", "solved",   "closed"};
constexpr std::array<std::string_view, 11> kEventKinds{
    "created",    "reply", "note",    "state", "assignment", "priority",
    "attachment", "sla",   "watcher", "link",  "merge"};
constexpr std::array<std::string_view, 5> kLinkKinds{"related", "duplicates", "duplicated_by",
                                                     "parent_of", "child_of"};
constexpr std::array<std::string_view, 5> kSlaStatuses{"running", "warning", "paused", "breached",
                                                       "met"};
}  // namespace

std::string_view typeName(TicketType t) { return kTypes[static_cast<std::size_t>(t)]; }
std::string_view channelName(Channel c) { return kChannels[static_cast<std::size_t>(c)]; }
std::string_view stateName(State s) { return kStates[static_cast<std::size_t>(s)]; }
std::string_view stateLabel(State s) {
  static constexpr std::array<std::string_view, 6> kLabels{
      "Nuovo", "Assegnato", "In lavorazione", "In attesa", "Risolto", "Chiuso"};
  return kLabels[static_cast<std::size_t>(s)];
}
std::string_view slaStatusName(SlaStatus s) { return kSlaStatuses[static_cast<std::size_t>(s)]; }
std::optional<SlaStatus> parseSlaStatus(std::string_view s) {
  return parseName<SlaStatus>(s, kSlaStatuses);
}
std::string_view eventKindName(EventKind k) { return kEventKinds[static_cast<std::size_t>(k)]; }
std::optional<EventKind> parseEventKind(std::string_view s) {
  return parseName<EventKind>(s, kEventKinds);
}
std::optional<TicketType> parseType(std::string_view s) { return parseName<TicketType>(s, kTypes); }
std::optional<Channel> parseChannel(std::string_view s) { return parseName<Channel>(s, kChannels); }
std::optional<State> parseState(std::string_view s) { return parseName<State>(s, kStates); }

std::string_view linkKindName(LinkKind k) { return kLinkKinds[static_cast<std::size_t>(k)]; }
std::optional<LinkKind> parseLinkKind(std::string_view s) {
  return parseName<LinkKind>(s, kLinkKinds);
}
LinkKind inverse(LinkKind k) {
  switch (k) {
    case LinkKind::kDuplicates:
      return LinkKind::kDuplicatedBy;
    case LinkKind::kDuplicatedBy:
      return LinkKind::kDuplicates;
    case LinkKind::kParentOf:
      return LinkKind::kChildOf;
    case LinkKind::kChildOf:
      return LinkKind::kParentOf;
    case LinkKind::kRelated:
      break;
  }
  return LinkKind::kRelated;
}

bool isOpen(State s) { return s != State::kSolved && s != State::kClosed; }

int priorityFor(int urgency, int impact) {
  // Rows: urgency 1..5; columns: impact 1..5 (symmetric, so the orientation does not matter).
  static constexpr int kMatrix[5][5] = {
      {1, 1, 2, 2, 2}, {1, 2, 2, 3, 3}, {2, 2, 3, 4, 4}, {2, 3, 4, 4, 5}, {2, 3, 4, 5, 5}};
  urgency = std::clamp(urgency, kMinLevel, kMaxLevel);
  impact = std::clamp(impact, kMinLevel, kMaxLevel);
  return kMatrix[urgency - 1][impact - 1];
}

std::string_view priorityLabel(int priority) {
  static constexpr std::array<std::string_view, 6> kLabels{"Molto bassa", "Bassa",      "Media",
                                                           "Alta",        "Molto alta", "Critica"};
  return kLabels[static_cast<std::size_t>(std::clamp(priority, 1, 6) - 1)];
}

bool canMove(State from, State to) {
  if (from == to) return false;
  switch (from) {
    case State::kNew:
      return to == State::kAssigned || to == State::kInProgress || to == State::kPending ||
             to == State::kSolved;
    case State::kAssigned:
    case State::kInProgress:
    case State::kPending:
      return to != State::kClosed;
    case State::kSolved:
      return to == State::kClosed || to == State::kInProgress;
    case State::kClosed:
      return false;
  }
  return false;
}

namespace {
seconds toSeconds(TimePoint t) { return floor<seconds>(t.time_since_epoch()); }

TimePoint addBusiness(TimePoint start, minutes amount, const BusinessCalendar& cal) {
  const auto at = calendar::addBusinessHours(std::chrono::sys_seconds{toSeconds(start)}, amount,
                                             cal.hours, cal.days);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(at);
}

// A finished clock is met when it stopped in time; a running one is breached once due.
SlaStatus statusOf(std::optional<TimePoint> stopped, TimePoint due, TimePoint now) {
  if (stopped) return *stopped <= due ? SlaStatus::kMet : SlaStatus::kBreached;
  return now >= due ? SlaStatus::kBreached : SlaStatus::kRunning;
}

void earliest(std::optional<TimePoint>& next, TimePoint candidate, TimePoint now) {
  if (candidate > now && (!next || candidate < *next)) next = candidate;
}
}  // namespace

minutes businessMinutes(TimePoint from, TimePoint to, const BusinessCalendar& cal) {
  return calendar::businessMinutesBetween(std::chrono::sys_seconds{toSeconds(from)},
                                          std::chrono::sys_seconds{toSeconds(to)}, cal.hours,
                                          cal.days);
}

SlaView evaluate(const SlaTargets& targets, const SlaClock& clock, TimePoint now,
                 const BusinessCalendar& cal) {
  SlaView v;
  v.due_own = addBusiness(clock.opened, targets.own, cal);
  v.own = statusOf(clock.owned, v.due_own, now);
  if (!clock.owned && v.own == SlaStatus::kRunning) earliest(v.next_change, v.due_own, now);

  minutes paused = clock.paused;
  if (clock.pending_since && !clock.solved)
    paused += businessMinutes(*clock.pending_since, now, cal);
  const minutes budget = targets.resolve + paused;
  v.due_resolve = addBusiness(clock.opened, budget, cal);
  for (minutes before : targets.escalations)
    if (before > minutes{0} && before < targets.resolve)
      v.escalation_at.push_back(addBusiness(clock.opened, budget - before, cal));

  if (clock.solved) {
    v.resolve = statusOf(clock.solved, v.due_resolve, now);
  } else if (clock.pending_since) {
    // Paused: neither the deadline nor the escalations move closer until the ticket resumes.
    v.resolve = SlaStatus::kPaused;
  } else {
    v.resolve = statusOf(std::nullopt, v.due_resolve, now);
    for (TimePoint at : v.escalation_at) {
      if (now >= at)
        ++v.escalation_level;
      else
        earliest(v.next_change, at, now);
    }
    if (v.resolve == SlaStatus::kRunning) {
      if (v.escalation_level > 0) v.resolve = SlaStatus::kWarning;
      earliest(v.next_change, v.due_resolve, now);
    }
  }
  return v;
}

namespace {
TimePoint timeOf(const std::string& text) { return parseTimestamp(text).value_or(TimePoint{}); }
std::optional<TimePoint> timeOf(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parseTimestamp(*text);
}
}  // namespace

SlaClock clockOf(const Ticket& t) {
  SlaClock c{timeOf(t.opened_at)};
  c.owned = timeOf(t.owned_at);
  c.pending_since = timeOf(t.pending_since);
  c.paused = minutes(t.paused_minutes);
  c.solved = timeOf(t.solved_at);
  return c;
}

std::optional<SlaClock> groupClockOf(const Ticket& t) {
  if (!t.group_since) return std::nullopt;
  SlaClock c{timeOf(*t.group_since)};
  c.owned = timeOf(t.group_owned_at);
  // A wait that began before the group took the ticket counts for the group from then on.
  c.pending_since = timeOf(t.pending_since);
  if (c.pending_since && *c.pending_since < c.opened) c.pending_since = c.opened;
  c.paused = minutes(t.group_paused_minutes);
  c.solved = timeOf(t.solved_at);
  return c;
}

void applyOla(Ticket& t, const std::optional<SlaView>& v) {
  if (!v) {
    t.ola_due_own = t.ola_due_resolve = std::nullopt;
    t.ola_own = t.ola_resolve = std::nullopt;
    return;
  }
  t.ola_due_own = formatTimestamp(v->due_own);
  t.ola_due_resolve = formatTimestamp(v->due_resolve);
  t.ola_own = v->own;
  t.ola_resolve = v->resolve;
}

void applySla(Ticket& t, const SlaView& v) {
  t.due_own = formatTimestamp(v.due_own);
  t.due_resolve = formatTimestamp(v.due_resolve);
  t.sla_own = v.own;
  t.sla_resolve = v.resolve;
  t.escalation_level = v.escalation_level;
  t.sla_check_at = v.next_change ? std::optional(formatTimestamp(*v.next_change)) : std::nullopt;
}

}  // namespace cst::helpdesk
