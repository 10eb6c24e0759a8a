#pragma once
// Use cases of the service desk: opening, reading and listing tickets, replies and internal
// notes, state/assignment/priority changes, attachments, and the SLA evaluation job. Every write
// runs in one transaction with its timeline event and its audit entry. No HTTP types here.
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/identity.hpp"
#include "auth/policy.hpp"
#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "db/db.hpp"
#include "enti/enti.hpp"
#include "helpdesk/api.hpp"
#include "model.hpp"
#include "notifications.hpp"
#include "report.hpp"
#include "store.hpp"
#include "uploads/uploads.hpp"

namespace cst::helpdesk {

// Policy actions of the service desk.
namespace action {
inline constexpr const char* kRead = "helpdesk.read";          // see tickets
inline constexpr const char* kOpen = "helpdesk.open";          // open tickets, reply, attach
inline constexpr const char* kWork = "helpdesk.work";          // the desk: notes, assign, states
inline constexpr const char* kPriority = "helpdesk.priority";  // override the matrix
inline constexpr const char* kReport = "helpdesk.report";      // read the reports
inline constexpr const char* kAdmin = "helpdesk.admin";        // calendar and SLA policies
}  // namespace action

// Who acts, and what the policy lets them do.
struct Actor {
  std::optional<std::int64_t> user_id;  // nullopt: the platform itself (jobs, mail-in)
  std::string name;
  bool agent = false;             // works tickets: internal notes, assignment, any state
  bool may_set_priority = false;  // GLPI's "modify priority" right: overrides the matrix
  audit::Entry audit;             // actor and request id for the audit log
};

// What a reader may see: enti, only their own tickets, internal notes.
struct Visibility {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::int64_t> only_requester;
  bool internal_notes = false;
  bool sees(const Ticket& t) const;
  bool sees(const std::string& ente, const std::optional<std::int64_t>& requester) const;
};

// What a principal may see of tickets, from the policy (the one place that decides it).
Visibility visibilityFor(const auth::Policy& policy, const auth::Principal& who);

struct NewTicket {
  std::string ente;
  TicketType type = TicketType::kIncident;
  Channel channel = Channel::kPortal;
  std::optional<std::int64_t> category_id;
  std::string subject;
  std::string description;
  int urgency = 3;
  int impact = 3;
  std::optional<int> priority;  // override (agents with the right only)
  // The requester: the acting user by default; an agent logging a phone call names the caller.
  std::optional<std::int64_t> requester_id;
  std::optional<std::string> requester_name;
  std::optional<std::string> requester_email;
};

// A partial update; absent fields stay as they are.
struct TicketChange {
  std::optional<State> state;
  std::optional<std::optional<std::int64_t>> assignee_id;  // set, or cleared with null
  std::optional<std::optional<std::string>> assignee_group;
  std::optional<int> urgency, impact, priority;
  std::optional<std::int64_t> category_id;
};

struct TicketDetail {
  Ticket ticket;
  std::vector<Event> timeline;
  SlaView sla;
  std::vector<store::Person> watchers;
  std::vector<store::Link> links;  // to tickets the reader sees
  std::optional<store::Satisfaction> satisfaction;
  std::optional<SlaView> ola;  // the assigned group's, when a group holds the ticket
};

// The requester's answer to the satisfaction survey.
struct Rating {
  int score = 0;  // 1 (pessimo) .. 5 (ottimo)
  std::string comment;
};

// The desk's configuration: the CST calendar, the reopen window, the desk's mailbox, and the
// SLA targets of each priority (1..6).
struct DeskSettings {
  store::Settings settings;
  std::map<int, SlaTargets> targets;
  std::map<int, SlaTargets> ola;    // the assigned groups' targets (no escalation levels)
  std::vector<std::string> groups;  // the groups tickets can be assigned to
};

// The period and grouping of a report; dates are Europe/Rome days, both included.
struct ReportQuery {
  calendar::Date from;
  calendar::Date to;
  ReportGroup by = ReportGroup::kEnte;
  bool all_enti = false;
  std::set<std::string> enti;  // what the reader may see when not all_enti
};

// A received e-mail, ready to record: the reply or the new ticket, and its attachments already
// scanned and stored.
struct InboundMail {
  std::optional<std::int64_t> reply_to;  // a reply on this ticket; otherwise `ticket` is opened
  NewTicket ticket;
  std::string text;
  std::vector<uploads::Upload> files;
};

class Service final : public MonitoringDesk {
 public:
  Service(db::Database& db, const Clock& clock, enti::Registry& enti, auth::Identity& identity,
          const auth::Policy& policy);

  Result<TicketDetail> open(const NewTicket& in, const Actor& by);
  // kNotFound when absent or not visible.
  Result<TicketDetail> get(std::int64_t id, const Visibility& v);
  Result<std::vector<Ticket>> list(const store::Filter& f);
  // A public reply, or an internal note (agents only).
  Result<TicketDetail> comment(std::int64_t id, const std::string& body, bool internal,
                               const Actor& by, const Visibility& v);
  Result<TicketDetail> change(std::int64_t id, const TicketChange& c, const Actor& by,
                              const Visibility& v);
  // The same change on several tickets, all or none (a ticket not found or a refused move names
  // it, and nothing changes). Returns the tickets as changed.
  Result<std::vector<Ticket>> bulkChange(const std::vector<std::int64_t>& ids,
                                         const TicketChange& c, const Actor& by,
                                         const Visibility& v);
  // Adds or removes a watcher. The desk manages anyone who may see the ticket; others only
  // themselves.
  Result<TicketDetail> watch(std::int64_t id, std::int64_t user_id, bool add, const Actor& by,
                             const Visibility& v);
  // Links two tickets (the desk only), or undoes the link.
  Result<TicketDetail> link(std::int64_t id, std::int64_t other, LinkKind kind, const Actor& by,
                            const Visibility& v);
  Result<TicketDetail> unlink(std::int64_t id, std::int64_t other, const Actor& by,
                              const Visibility& v);
  // Merges `source` into `target` (the desk only): the source's replies, notes and attachments
  // are copied to the target's timeline, its requester and watchers follow the target, and the
  // source is closed as a duplicate. Returns the target.
  Result<TicketDetail> merge(std::int64_t source, std::int64_t target, const Actor& by,
                             const Visibility& v);
  // The requester rates a solved (or closed) ticket, once. kBadInput naming score/comment (a low
  // score needs a comment), kRuleViolated before the solution, kConflict when already rated.
  Result<TicketDetail> rate(std::int64_t id, const Rating& r, const Actor& by, const Visibility& v);
  Result<DeskSettings> deskSettings();
  // Replaces the configuration (cst_admin); every open ticket's SLA is evaluated again by the
  // next run of the SLA job. kBadInput naming each wrong field (opening_hours, calendar_ente,
  // reopen_days, notify_email, policies[N].own_minutes...).
  Result<DeskSettings> saveDeskSettings(const DeskSettings& in, const Actor& by);
  // Drops the cached settings (after they were changed other than by saveDeskSettings).
  void forgetSettings();
  // kBadInput naming from/to for a period that is reversed or longer than two years.
  Result<Report> report(const ReportQuery& q);
  // Records an e-mail and its attachments in one transaction; returns the ticket.
  Result<TicketDetail> receiveMail(const InboundMail& mail, const Actor& by);
  // Records an accepted (scanned, stored) upload on the ticket's timeline.
  Result<TicketDetail> attach(std::int64_t id, const uploads::Upload& u, const Actor& by,
                              const Visibility& v);
  Result<std::vector<store::Category>> categories();
  // `upload_id` when it is an attachment on the ticket's timeline as this reader sees it;
  // kNotFound otherwise (the file is reached through the ticket, whoever uploaded it).
  Result<std::string> attachment(std::int64_t id, const std::string& upload_id,
                                 const Visibility& v);

  // MonitoringDesk (helpdesk/api.hpp).
  Result<std::int64_t> raise(const MonitoringAlert& alert) override;
  Result<std::optional<std::int64_t>> recover(const MonitoringRecovery& recovery) override;

  // The SLA job: evaluates every ticket whose SLA changes by time alone now (escalation levels,
  // deadlines), records the SLA events on their timelines. Returns how many tickets changed.
  Result<int> evaluateSla(int batch = 500);

 private:
  // One lane of the SLA job: batches of due tickets, each in its own transaction, until none is
  // left that another lane has not taken.
  Result<int> evaluateSlaLane(int batch);
  // What every SLA computation needs, read once per transaction: the settings (reopen window),
  // the business calendar (opening hours, holidays, the seat's patron saint), the targets, the
  // groups' OLA targets and the groups.
  struct SlaContext {
    store::Settings settings;
    BusinessCalendar cal;
    std::map<int, SlaTargets> targets;
    std::map<int, SlaTargets> ola;
    std::set<std::string> groups;
  };
  // Read through a short cache (kSlaContextTtl): every write needs it, and it changes only when
  // an administrator saves the settings (this instance forgets it at once; others within the TTL).
  Result<SlaContext> slaContext(db::Tx& tx);
  // Re-evaluates the SLA of `t` at `now`; records SLA events for what changed. The caller stores
  // `t`.
  // With `batch`, the SLA events are appended there for the caller to insert together (the SLA
  // job: one statement per hundred events instead of one each); without, they are inserted.
  Status refreshSla(db::Tx& tx, Ticket& t, TimePoint now, const SlaContext& ctx,
                    std::vector<Event>* batch = nullptr);
  // Inserts a new ticket (checked) with its SLA, "created" event and audit entry.
  // `created`, when given, receives the "created" event as stored.
  Status insertNew(db::Tx& tx, Ticket& t, const Actor& by, TimePoint now, const SlaContext& ctx,
                   Event* created = nullptr);
  // Moves `t` to `to` with its state event (data.reason says why) and re-evaluates its SLA; the
  // caller stores `t`.
  Status moveWithEvent(db::Tx& tx, Ticket& t, State to, const Actor& by, TimePoint now,
                       const std::string& reason, const SlaContext& ctx);
  Result<Ticket> visibleTicket(db::Tx& tx, std::int64_t id, const Visibility& v);
  // Applies a change (already checked by checkChange) to `t`: events, SLA, store, audit. Returns
  // false when nothing changed.
  Result<bool> applyChange(db::Tx& tx, Ticket& t, const TicketChange& c, const Actor& by,
                           TimePoint now, const SlaContext& ctx);
  // Links (kind) or unlinks (nullopt) two tickets, with an event on both timelines.
  Result<TicketDetail> relink(std::int64_t id, std::int64_t other, std::optional<LinkKind> kind,
                              const Actor& by, const Visibility& v);
  // Queues the mails of a notice (notifications.hpp) in `tx`.
  Status notify(db::Tx& tx, const Ticket& t, Notice kind, const Actor& by, const std::string& text,
                const SlaContext& ctx, TimePoint now);
  // A timeline event and its audit entry, for the console's changes (watchers, links, merges).
  Status record(db::Tx& tx, Ticket& t, Event e, const Actor& by, const std::string& action,
                TimePoint now);
  Result<TicketDetail> detail(db::Tx& tx, Ticket t, const Visibility& v, TimePoint now,
                              const SlaContext& ctx);

  db::Database& db_;
  const Clock& clock_;
  enti::Registry& enti_;
  auth::Identity& identity_;
  const auth::Policy& policy_;
  std::mutex sla_cache_mutex_;
  std::optional<SlaContext> sla_cache_;
  std::chrono::steady_clock::time_point sla_cache_at_{};
};

// Validates what a change asks before any ticket is read (permissions, ranges).
Status checkChange(const TicketChange& c, const Actor& by);

nlohmann::json toJson(const Ticket& t);
nlohmann::json toJson(const Event& e);
nlohmann::json toJson(const TicketDetail& d);
nlohmann::json toJson(const store::Category& c);
nlohmann::json toJson(const store::Link& l);
nlohmann::json toJson(const ReportLine& l);

}  // namespace cst::helpdesk
