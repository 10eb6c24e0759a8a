#pragma once
// The only SQL of the service desk (portable: the same statements on SQLite and PostgreSQL).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model.hpp"
#include "report.hpp"

namespace cst::helpdesk::store {

struct Settings {
  std::string opening_hours;
  std::optional<std::string> calendar_ente;  // whose patron saint closes the desk
  int reopen_days = 10;
  std::optional<std::string> notify_email;  // the desk's mailbox, for what has no one else
};
Result<Settings> settings(db::Tx& tx);
Status saveSettings(db::Tx& tx, const Settings& s, const std::string& now);

Result<std::map<int, SlaTargets>> slaTargets(db::Tx& tx);
Status saveSlaTargets(db::Tx& tx, const std::map<int, SlaTargets>& targets, const std::string& now);
// The OLA targets of the assigned groups per priority (no escalation levels).
Result<std::map<int, SlaTargets>> olaTargets(db::Tx& tx);
Status saveOlaTargets(db::Tx& tx, const std::map<int, SlaTargets>& targets, const std::string& now);
// The assignment groups, by name; saving replaces the list.
Result<std::vector<std::string>> groups(db::Tx& tx);
Status saveGroups(db::Tx& tx, const std::vector<std::string>& names, const std::string& now);
// Makes the SLA job look again at every open ticket (after the calendar or the targets changed).
Status recheckOpenTickets(db::Tx& tx, const std::string& now);

struct Category {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string service;
  std::string name;
};
Result<std::vector<Category>> categories(db::Tx& tx);
Result<std::optional<Category>> category(db::Tx& tx, std::int64_t id);
Result<std::int64_t> insertCategory(db::Tx& tx, const Category& c);

Result<std::int64_t> insertTicket(db::Tx& tx, const Ticket& t);
// Every column but the subject and description, which never change after opening (so the
// full-text index is not rewritten).
Status updateTicket(db::Tx& tx, const Ticket& t);
// Only the SLA columns of these tickets, in one statement per hundred tickets (the SLA job).
Status updateSla(db::Tx& tx, const std::vector<Ticket>& tickets);
Result<std::optional<Ticket>> ticket(db::Tx& tx, std::int64_t id);

// The open ticket of a monitoring condition, if any.
Result<std::optional<Ticket>> openConditionTicket(db::Tx& tx, const std::string& ente,
                                                  const std::string& source,
                                                  const std::string& key);

Result<std::int64_t> insertEvent(db::Tx& tx, const Event& e);
// Many events in few statements (a hundred rows each); their ids are not returned.
Status insertEvents(db::Tx& tx, const std::vector<Event>& events);
// The timeline, oldest first; internal notes only when `with_internal`.
Result<std::vector<Event>> events(db::Tx& tx, std::int64_t ticket_id, bool with_internal);

// Which tickets a list may return: the caller's visibility and the queue filters.
struct Filter {
  bool all_enti = false;
  std::set<std::string> enti;                // visible enti when not all_enti
  std::optional<std::int64_t> requester_id;  // only this requester's (citizens, professionals)
  std::optional<std::string> ente;           // ?ente=
  std::optional<std::string> state;          // ?state= (a state name, or "open")
  std::optional<int> priority;               // ?priority=
  std::optional<std::int64_t> assignee_id;   // ?assignee=
  std::optional<std::int64_t> category_id;   // ?category=
  std::optional<std::string> sla;            // ?sla= (an SLA status of time to resolve)
  // ?q=: full-text search, results ranked by relevance and paged by offset; without it, newest
  // first, paged by id.
  std::optional<std::string> text;
  std::optional<std::int64_t> before_id;  // cursor without q
  std::int64_t offset = 0;                // cursor with q
  int limit = 50;
};
// How much of the archive a ranked search (Filter::text) weighs: the newest `window` matches are
// ranked; PostgreSQL asks the full-text index at once for words rarer than `walk_share`, else
// first tests the newest `first_walk` tickets one by one and goes on that way while at least
// `walk_share` of them matched, else asks the index (store_search.cpp says why).
// Tests shrink the sizes and choose the way.
struct SearchLimits {
  std::int64_t window = 1000;
  std::int64_t first_walk = 10000;
  double walk_share = 0.02;
};
// kBadInput naming "q" when the search text has no word in it.
Result<std::vector<Ticket>> tickets(db::Tx& tx, const Filter& f, const SearchLimits& limits = {});

// A user as the desk shows them: on a timeline, as a watcher, as a mail recipient.
struct Person {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
};
Result<std::vector<Person>> watchers(db::Tx& tx, std::int64_t ticket_id);
// These users (enabled ones only), for their names and mail addresses.
Result<std::vector<Person>> people(db::Tx& tx, const std::vector<std::int64_t>& ids);
// false when the user already watches (nothing changes).
Result<bool> addWatcher(db::Tx& tx, std::int64_t ticket_id, std::int64_t user_id,
                        const std::string& at);
// false when the user was not watching.
Result<bool> removeWatcher(db::Tx& tx, std::int64_t ticket_id, std::int64_t user_id);

// A link as seen from one ticket, with what the other is.
struct Link {
  std::int64_t other_id = 0;
  LinkKind kind = LinkKind::kRelated;
  std::string other_subject;
  State other_state = State::kNew;
  std::string other_ente;
  std::optional<std::int64_t> other_requester_id;
};
Result<std::vector<Link>> links(db::Tx& tx, std::int64_t ticket_id);
// Links `from` to `to` as `kind` (from `from`'s side), replacing a link the pair already had.
Status saveLink(db::Tx& tx, std::int64_t from, std::int64_t to, LinkKind kind,
                const std::string& at);
// false when the pair was not linked.
Result<bool> removeLink(db::Tx& tx, std::int64_t a, std::int64_t b);

struct CannedAnswer {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::optional<std::int64_t> category_id;
  std::string updated_at;
  std::string updated_by;
};
Result<std::vector<CannedAnswer>> cannedAnswers(db::Tx& tx);
Result<std::optional<CannedAnswer>> cannedAnswer(db::Tx& tx, std::int64_t id);
// kConflict when the title is taken.
Result<std::int64_t> insertCannedAnswer(db::Tx& tx, const CannedAnswer& c);
Status updateCannedAnswer(db::Tx& tx, const CannedAnswer& c);  // kNotFound, kConflict
Result<bool> deleteCannedAnswer(db::Tx& tx, std::int64_t id);

// A knowledge-base article.
struct Article {
  std::int64_t id = 0;
  std::optional<std::int64_t> category_id;
  std::string title;
  std::string body;
  bool internal = false;  // the desk's own; otherwise public
  std::string created_at, updated_at, updated_by;
};
struct ArticleFilter {
  bool with_internal = false;
  std::optional<std::int64_t> category_id;
  // Full-text: every word (a search), or any word (suggestions); ranked, title above body.
  std::optional<std::string> text;
  bool any_word = false;
  std::int64_t offset = 0;
  int limit = 50;
};
// Ranked by relevance with a text, by title without. kBadInput naming "q" when the text has no
// word in it.
Result<std::vector<Article>> articles(db::Tx& tx, const ArticleFilter& f);
Result<std::optional<Article>> article(db::Tx& tx, std::int64_t id);
Result<std::int64_t> insertArticle(db::Tx& tx, const Article& a);
Status updateArticle(db::Tx& tx, const Article& a);  // kNotFound
Result<bool> deleteArticle(db::Tx& tx, std::int64_t id);

// The requester's rating of a solved ticket.
struct Satisfaction {
  int score = 0;
  std::string comment;
  std::string answered_at;
};
Result<std::optional<Satisfaction>> satisfaction(db::Tx& tx, std::int64_t ticket_id);
// kConflict when the ticket was already rated.
Status insertSatisfaction(db::Tx& tx, std::int64_t ticket_id, const Satisfaction& s);

// Tickets opened in [from, to) (RFC 3339 UTC text), merged duplicates left out, for the reports;
// only these enti unless all_enti.
Result<std::vector<ReportTicket>> reportTickets(db::Tx& tx, const std::string& from,
                                                const std::string& to, bool all_enti,
                                                const std::set<std::string>& enti);

// Open tickets whose SLA must be evaluated again at `now`, oldest check first.
Result<std::vector<Ticket>> slaDue(db::Tx& tx, const std::string& now, int limit);

}  // namespace cst::helpdesk::store
