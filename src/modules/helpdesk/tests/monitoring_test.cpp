// The service desk's published interface (MonitoringDesk), its SLA job and its store's search
// window, through the real platform wiring (SQLite in a temporary directory, or a fresh PostgreSQL
// schema when the suite runs on PostgreSQL), with a clock the test moves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "calendar/calendar.hpp"
#include "helpdesk/api.hpp"
#include "helpdesk/module.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "store.hpp"
#include "testkit/sample_enti.hpp"
#include "testkit/server_process.hpp"

namespace cst::helpdesk {
namespace {

TimePoint romeTime(const std::string& text) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      *calendar::parseDateTime(text, "t"));
}

class Monitoring : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cst-helpdesk-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Config config;
    config.data_dir = dir_;
    config.database_url = testkit::freshDatabaseUrl();  // PostgreSQL when the suite runs on it
    // Monday 23 November 2026, 09:00 in Rome: the desk is open.
    auto clock = std::make_unique<ManualClock>(romeTime("2026-11-23T09:00"));
    clock_ = clock.get();
    auto p = Platform::open(config, {makeModule()}, std::move(clock));
    ASSERT_TRUE(p) << p.error().detail;
    platform_ = std::move(*p);
    ASSERT_TRUE(platform_->install());
    ASSERT_TRUE(platform_->enti->ensure(testkit::provinciaDiCremona()));
    ASSERT_TRUE(platform_->enti->ensure(testkit::comuneDiCrema()));
    desk_ = platform_->interfaces.find<MonitoringDesk>();
    ASSERT_NE(desk_, nullptr) << "the module publishes its interface";
  }
  void TearDown() override {
    desk_.reset();
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<TicketDetail> read(std::int64_t id) {
    Service reader(*platform_->db, *clock_, *platform_->enti, *platform_->identity,
                   platform_->policy);
    return reader.get(id, Visibility{true, {}, std::nullopt, true});
  }

  std::filesystem::path dir_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<Platform> platform_;
  std::shared_ptr<MonitoringDesk> desk_;
};

const MonitoringAlert kMissed{"019035",
                              "backup",
                              "repo:server:missed",
                              "Backup mancato: server",
                              "Nessuno snapshot da 26 ore.",
                              4,
                              3};

TEST_F(Monitoring, TheSameOpenConditionNeverOpensTwoTickets) {
  auto first = desk_->raise(kMissed);
  ASSERT_TRUE(first) << first.error().detail;
  clock_->advance(std::chrono::hours(1));
  auto again = desk_->raise(kMissed);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
  auto t = read(*first);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ticket.channel, Channel::kMonitoring);
  EXPECT_EQ(t->ticket.requester_name, "Monitoraggio backup");
  EXPECT_EQ(t->ticket.priority, 4);
  EXPECT_EQ(t->timeline.size(), 1u) << "raising again adds nothing";

  // Another condition of the same ente is another ticket.
  MonitoringAlert other = kMissed;
  other.key = "repo:pc-anagrafe:missed";
  auto second = desk_->raise(other);
  ASSERT_TRUE(second);
  EXPECT_NE(*second, *first);
}

TEST_F(Monitoring, RecoveryNotesAndSolvesAndTheNextAlarmIsANewTicket) {
  auto id = desk_->raise(kMissed);
  ASSERT_TRUE(id);
  clock_->advance(std::chrono::hours(1));  // within the time to own: no SLA event in between
  auto recovered = desk_->recover(
      {"019035", "backup", "repo:server:missed", "Snapshot ricevuto alle 10:00.", true});
  ASSERT_TRUE(recovered);
  ASSERT_TRUE(*recovered);
  EXPECT_EQ(**recovered, *id);
  auto t = read(*id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ticket.state, State::kSolved);
  EXPECT_EQ(t->timeline.back().kind, EventKind::kState);
  EXPECT_EQ(t->timeline[t->timeline.size() - 2].body, "Snapshot ricevuto alle 10:00.");
  // Nothing open any more for the condition: recovering again finds nothing.
  auto none = desk_->recover({"019035", "backup", "repo:server:missed", "", true});
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  // The condition comes back: a new ticket.
  auto again = desk_->raise(kMissed);
  ASSERT_TRUE(again);
  EXPECT_NE(*again, *id);
}

TEST_F(Monitoring, BadAlertsAreRefusedNamingTheField) {
  MonitoringAlert bad = kMissed;
  bad.key = "";
  bad.urgency = 0;
  auto r = desk_->raise(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "key");
  EXPECT_EQ(r.error().fields[1].field, "urgency");
  MonitoringAlert nowhere = kMissed;
  nowhere.ente = "099001";
  EXPECT_EQ(desk_->raise(nowhere).error().code, ErrorCode::kNotFound);
}

TEST_F(Monitoring, TheSlaJobEvaluatesEachDueTicketOnceAlsoInManySmallBatches) {
  // On PostgreSQL the job runs several lanes at once over the same due tickets (rows locked and
  // skipped): every ticket must be evaluated by exactly one of them.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 40; ++i) {
    MonitoringAlert a = kMissed;
    a.key = "repo:pc-" + std::to_string(i) + ":missed";
    auto id = desk_->raise(a);
    ASSERT_TRUE(id) << id.error().detail;
    ids.push_back(*id);
  }
  // Monday 09:00 + 2 h of opening hours: none of the 40 was owned in time.
  clock_->advance(std::chrono::hours(3));
  Service job(*platform_->db, *clock_, *platform_->enti, *platform_->identity, platform_->policy);
  auto n = job.evaluateSla(3);
  ASSERT_TRUE(n) << n.error().detail;
  EXPECT_EQ(*n, 40);
  auto again = job.evaluateSla(3);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0) << "nothing is due twice";
  for (std::int64_t id : ids) {
    auto t = read(id);
    ASSERT_TRUE(t);
    int breaches = 0;
    for (const Event& e : t->timeline)
      breaches += e.kind == EventKind::kSla && e.body == "Tempo di presa in carico superato";
    EXPECT_EQ(breaches, 1) << "ticket " << id;
    EXPECT_EQ(t->ticket.sla_own, SlaStatus::kBreached);
  }
}

TEST_F(Monitoring, TheSlaJobRecordsEscalationsAndTheBreachOnTimeAndMailsThem) {
  // Priority 4 (urgency 4 x impact 3): 2 h to own, 16 h to resolve, escalations 4 h and 1 h
  // before the deadline (migration 0001). The desk is open 08:30-13:00 and 14:00-17:30 (8 h a
  // day). Opened Monday 09:00: 7.5 h on Monday, 8 h on Tuesday, 0.5 h on Wednesday -> due
  // Wednesday 09:00; escalations at 12 h (Tuesday 13:00) and 15 h (Tuesday 17:00).
  // The desk's mailbox hears of what nobody is assigned to.
  ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto s = store::settings(tx);
    if (!s) return tl::unexpected(s.error());
    s->notify_email = "callcenter@cst-cremona.example";
    return store::saveSettings(tx, *s, formatTimestamp(clock_->now()));
  }));
  auto id = desk_->raise(kMissed);
  ASSERT_TRUE(id);
  auto t = read(*id);
  ASSERT_TRUE(t);
  auto rome = [](TimePoint at) {
    return calendar::formatRome(std::chrono::floor<std::chrono::seconds>(at));
  };
  EXPECT_EQ(rome(t->sla.due_own), "2026-11-23T11:00:00+01:00");
  EXPECT_EQ(rome(t->sla.due_resolve), "2026-11-25T09:00:00+01:00");
  ASSERT_EQ(t->sla.escalation_at.size(), 2u);
  EXPECT_EQ(rome(t->sla.escalation_at[0]), "2026-11-24T13:00:00+01:00");
  EXPECT_EQ(rome(t->sla.escalation_at[1]), "2026-11-24T17:00:00+01:00");

  Service job(*platform_->db, *clock_, *platform_->enti, *platform_->identity, platform_->policy);
  auto runAt = [&](const std::string& when) {
    const auto target = romeTime(when);
    clock_->advance(std::chrono::duration_cast<std::chrono::milliseconds>(target - clock_->now()));
    auto n = job.evaluateSla();
    EXPECT_TRUE(n) << when;
    return n.value_or(-1);
  };
  EXPECT_EQ(runAt("2026-11-23T10:59"), 0) << "nothing is due yet";
  EXPECT_EQ(runAt("2026-11-23T11:05"), 1) << "not owned within 2 h";
  EXPECT_EQ(runAt("2026-11-24T12:55"), 0);
  EXPECT_EQ(runAt("2026-11-24T13:30"), 1) << "first escalation";
  EXPECT_EQ(runAt("2026-11-24T17:15"), 1) << "second escalation";
  EXPECT_EQ(runAt("2026-11-25T09:30"), 1) << "deadline passed";
  EXPECT_EQ(runAt("2026-11-26T09:30"), 0) << "a breached ticket waits for people, not for time";

  t = read(*id);
  ASSERT_TRUE(t);
  std::vector<std::string> sla;
  for (const Event& e : t->timeline)
    if (e.kind == EventKind::kSla) sla.push_back(e.body);
  EXPECT_EQ(
      sla, (std::vector<std::string>{"Tempo di presa in carico superato", "Escalation di livello 1",
                                     "Escalation di livello 2", "Tempo di risoluzione superato"}));
  EXPECT_EQ(t->ticket.sla_resolve, SlaStatus::kBreached);
  EXPECT_FALSE(t->ticket.sla_check_at.has_value());

  // Queued in the outbox with each event: the new ticket, then the four alarms.
  auto mails = platform_->db->query("SELECT recipient, subject, body FROM mail_outbox ORDER BY id");
  ASSERT_TRUE(mails);
  ASSERT_EQ(mails->size(), 5u);
  for (const db::Row& m : *mails) {
    EXPECT_EQ(m.text(0), "callcenter@cst-cremona.example");
    EXPECT_EQ(m.text(1).rfind("[Assistenza #" + std::to_string(*id) + "] ", 0), 0u) << m.text(1);
  }
  EXPECT_NE(mails->at(1).text(2).find("Tempo di presa in carico superato"), std::string::npos);
  EXPECT_NE(mails->at(4).text(2).find("Tempo di risoluzione superato: segnalazione"),
            std::string::npos)
      << mails->at(4).text(2);
}

TEST_F(Monitoring, TheAssignedGroupsOlaRunsFromTheAssignmentPausesAndRestartsWithANewGroup) {
  // Priority 4: the group owes 1 h to take the ticket and 12 h to solve it (migration 0011),
  // in the desk's hours (08:30-13:00, 14:00-17:30).
  auto id = desk_->raise(kMissed);
  ASSERT_TRUE(id);
  Service desk(*platform_->db, *clock_, *platform_->enti, *platform_->identity, platform_->policy);
  const Actor agent{std::nullopt, "Operatore", true, false, {}};
  const Visibility all{true, {}, std::nullopt, true};
  auto at = [&](const std::string& when) {
    clock_->advance(
        std::chrono::duration_cast<std::chrono::milliseconds>(romeTime(when) - clock_->now()));
  };
  auto rome = [](const std::optional<std::string>& text) {
    return text ? calendar::formatRome(
                      std::chrono::floor<std::chrono::seconds>(*parseTimestamp(*text)))
                : "";
  };
  auto change = [&](TicketChange c) {
    auto d = desk.change(*id, c, agent, all);
    EXPECT_TRUE(d) << (d ? "" : d.error().detail);
    return d ? d->ticket : Ticket{};
  };
  // No group, no OLA.
  ASSERT_FALSE(read(*id)->ola.has_value());
  // An unknown group is refused, naming the field; nothing changes.
  TicketChange unknown;
  unknown.assignee_group = std::optional<std::string>("Nessuno");
  auto refused = desk.change(*id, unknown, agent, all);
  ASSERT_FALSE(refused);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "assignee_group");
  EXPECT_FALSE(read(*id)->ticket.assignee_group.has_value());

  at("2026-11-23T09:30");
  TicketChange to_reti;
  to_reti.assignee_group = std::optional<std::string>("Reti");
  Ticket t = change(to_reti);
  EXPECT_EQ(rome(t.ola_due_own), "2026-11-23T10:30:00+01:00");
  // 12 h: 3.5 + 3.5 on Monday, 4.5 on Tuesday morning, 0.5 after lunch.
  EXPECT_EQ(rome(t.ola_due_resolve), "2026-11-24T14:30:00+01:00");

  // Nobody of the group takes it within the hour: the job records the OLA breach, once.
  at("2026-11-23T10:45");
  ASSERT_TRUE(desk.evaluateSla());
  ASSERT_TRUE(desk.evaluateSla());
  auto d = read(*id);
  ASSERT_TRUE(d);
  int breaches = 0;
  for (const Event& e : d->timeline)
    breaches +=
        e.kind == EventKind::kSla && e.body == "OLA superato: presa in carico del gruppo Reti";
  EXPECT_EQ(breaches, 1);
  ASSERT_TRUE(d->ola);
  EXPECT_EQ(d->ola->own, SlaStatus::kBreached);
  EXPECT_EQ(d->ticket.ola_own, SlaStatus::kBreached) << "stored by the job";

  // Work starts at 11:00, waits on the Comune 11:30-14:30 (2 business hours, not counted).
  at("2026-11-23T11:00");
  TicketChange working;
  working.state = State::kInProgress;
  change(working);
  at("2026-11-23T11:30");
  TicketChange waiting;
  waiting.state = State::kPending;
  change(waiting);
  at("2026-11-23T14:30");
  t = change(working);
  EXPECT_EQ(t.group_paused_minutes, 120);
  EXPECT_EQ(rome(t.ola_due_resolve), "2026-11-24T16:30:00+01:00");
  EXPECT_EQ(t.ola_own, SlaStatus::kBreached) << "taken, but late";

  // Another group: its clocks start now, with no alarm of the first.
  at("2026-11-23T15:00");
  TicketChange to_posta;
  to_posta.assignee_group = std::optional<std::string>("Posta");
  t = change(to_posta);
  EXPECT_EQ(rome(t.group_since), "2026-11-23T15:00:00+01:00");
  EXPECT_EQ(t.ola_own, SlaStatus::kRunning);
  EXPECT_EQ(rome(t.ola_due_own), "2026-11-23T16:00:00+01:00");
  EXPECT_EQ(t.group_paused_minutes, 0);
  // The SLA the desk owes the Comune did not restart: 16 h from Monday 09:00 plus the wait.
  EXPECT_EQ(rome(std::optional(t.due_resolve)), "2026-11-25T11:00:00+01:00");
  // No group: no OLA.
  TicketChange none;
  none.assignee_group = std::optional<std::string>{};
  t = change(none);
  EXPECT_FALSE(t.group_since.has_value());
  EXPECT_FALSE(t.ola_due_own.has_value());
}

TEST_F(Monitoring, ATicketSolvedAtFirstContactWasOwnedAndNeverBreachesItsTimeToOwn) {
  // Priority 4: 2 h to own. Solved straight from new at 09:10, then the job runs the next day.
  auto id = desk_->raise(kMissed);
  ASSERT_TRUE(id);
  Service desk(*platform_->db, *clock_, *platform_->enti, *platform_->identity, platform_->policy);
  clock_->advance(std::chrono::minutes(10));
  TicketChange solve;
  solve.state = State::kSolved;
  ASSERT_TRUE(desk.change(*id, solve, Actor{std::nullopt, "Operatore", true, false, {}},
                          Visibility{true, {}, std::nullopt, true}));
  clock_->advance(std::chrono::hours(24));
  ASSERT_TRUE(desk.evaluateSla());
  auto t = read(*id);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->ticket.owned_at.has_value());
  EXPECT_EQ(t->ticket.sla_own, SlaStatus::kMet);
  EXPECT_EQ(t->sla.own, SlaStatus::kMet);
  for (const Event& e : t->timeline) EXPECT_NE(e.kind, EventKind::kSla) << e.body;
}

TEST_F(Monitoring, ASearchRanksTheNewestMatchesAlsoWhenTheyLieInSeveralIdRanges) {
  // 40 tickets alternating between two enti; every third has "firma" in its subject (ranked
  // first), every fifth in its description only. With a window of 7 and a first walk of 2
  // tickets, PostgreSQL must gather the window in several steps what one query over the archive
  // would rank; SQLite's single query must agree.
  std::vector<std::int64_t> in_subject, in_description, crema_ids, open_ids;
  ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    for (int i = 0; i < 40; ++i) {
      Ticket t;
      t.ente = i % 2 ? "019035" : "019";
      t.subject = i % 3 == 0 ? "Firma digitale scaduta" : "Monitor sfarfalla";
      t.description = i % 5 == 0 && i % 3 ? "Serve rinnovare la firma." : "Nessun dettaglio.";
      t.urgency = t.impact = 3;
      t.priority = 3;
      t.requester_name = "Richiedente";
      t.opened_at = t.updated_at = formatTimestamp(clock_->now());
      if (i % 4 == 1) t.state = State::kClosed;
      auto id = store::insertTicket(tx, t);
      if (!id) return tl::unexpected(id.error());
      if (i % 3 == 0) in_subject.push_back(*id);
      if (i % 5 == 0 && i % 3) in_description.push_back(*id);
      if (i % 2) crema_ids.push_back(*id);
      if (i % 4 != 1) open_ids.push_back(*id);
    }
    return {};
  }));
  // What the window holds: the 7 newest matches, subject matches first, newest first.
  auto expected = [&](const std::set<std::int64_t>& visible) {
    std::vector<std::int64_t> all;
    for (auto* ids : {&in_subject, &in_description})
      for (std::int64_t id : *ids)
        if (visible.empty() || visible.count(id)) all.push_back(id);
    std::sort(all.rbegin(), all.rend());
    all.resize(std::min<std::size_t>(all.size(), 7));
    std::stable_partition(all.begin(), all.end(), [&](std::int64_t id) {
      return std::find(in_subject.begin(), in_subject.end(), id) != in_subject.end();
    });
    return all;
  };
  // PostgreSQL both ways: walking on after the first 2 tickets, and asking the full-text index
  // for ranges of ids after them.
  auto search = [&](store::Filter f) {
    f.text = "firma";
    std::vector<std::int64_t> walking, indexed;
    EXPECT_TRUE(platform_->db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
      for (auto [limits, ids] : {std::pair{store::SearchLimits{7, 2, 0.0}, &walking},
                                 std::pair{store::SearchLimits{7, 2, 1.1}, &indexed}}) {
        auto found = store::tickets(tx, f, limits);
        if (!found) return tl::unexpected(found.error());
        for (const Ticket& t : *found) ids->push_back(t.id);
      }
      return {};
    }));
    EXPECT_EQ(walking, indexed);
    return walking;
  };
  store::Filter everyone;
  everyone.all_enti = true;
  const auto all = expected({});
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(search(everyone), all);
  // Paged by offset inside the window.
  everyone.offset = 3;
  everyone.limit = 2;
  EXPECT_EQ(search(everyone), (std::vector<std::int64_t>{all[3], all[4]}));
  everyone.offset = 7;
  EXPECT_TRUE(search(everyone).empty()) << "nothing beyond the window";
  // A Comune's clerk: the window holds Crema's matches only.
  store::Filter crema;
  crema.enti = {"019035"};
  EXPECT_EQ(search(crema), expected({crema_ids.begin(), crema_ids.end()}));
  // A filter on the tickets themselves (PostgreSQL joins them).
  store::Filter open;
  open.all_enti = true;
  open.state = "open";
  EXPECT_EQ(search(open), expected({open_ids.begin(), open_ids.end()}));
}

TEST_F(Monitoring, ASearchFindsEveryTermAWordBeginsAndRanksTheSubjectFirst) {
  // SQLite expands each word into the terms of the index it begins (store_search.cpp), unless it
  // begins too many, and finds the tickets whose terms have not joined the vocabulary yet (all
  // of them until the 64th ticket) through the recent index: every way must find what a prefix
  // query finds, on both backends.
  std::vector<std::int64_t> zeta, zeta3;
  std::int64_t in_subject = 0, in_description = 0, accented = 0, plain = 0;
  ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto add = [&](const std::string& subject, const std::string& description) {
      Ticket t;
      t.ente = "019035";
      t.subject = subject;
      t.description = description;
      t.urgency = t.impact = t.priority = 3;
      t.requester_name = "Richiedente";
      t.opened_at = t.updated_at = formatTimestamp(clock_->now());
      auto id = store::insertTicket(tx, t);
      EXPECT_TRUE(id) << id.error().detail;
      return id ? *id : 0;
    };
    // "zeta0" ... "zeta39": "zeta" begins 40 terms (a prefix query), "zeta3" 11 (expanded).
    for (int i = 0; i < 40; ++i) {
      const std::int64_t id = add("Codice zeta" + std::to_string(i), "Nessun dettaglio.");
      zeta.push_back(id);
      if (std::to_string(i).rfind('3', 0) == 0) zeta3.push_back(id);
    }
    in_subject = add("Scanner di rete bloccato", "Nessun dettaglio.");
    in_description = add("Richiesta generica", "Lo scanner di rete non risponde.");
    accented = add("Perché la città non riceve la PEC?", "Attività sospese.");
    plain = add("Perche la citta", "Nessun dettaglio.");
    return in_subject && in_description && accented && plain ? Status{}
                                                             : fail(ErrorCode::kInternal, "insert");
  }));
  auto search = [&](const std::string& q) {
    store::Filter f;
    f.all_enti = true;
    f.text = q;
    std::vector<std::int64_t> ids;
    EXPECT_TRUE(platform_->db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
      auto found = store::tickets(tx, f);
      if (!found) return tl::unexpected(found.error());
      for (const Ticket& t : *found) ids.push_back(t.id);
      return {};
    }));
    return ids;
  };
  auto sorted = [](std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(search("zeta")), zeta);
  EXPECT_EQ(sorted(search("zeta3")), zeta3);
  EXPECT_EQ(sorted(search("codice zeta3")), zeta3);
  EXPECT_TRUE(search("zetax").empty());
  EXPECT_TRUE(search("codice inesistente").empty());
  // The subject weighs more than the description, whichever is newer.
  EXPECT_EQ(search("scanner rete"), (std::vector<std::int64_t>{in_subject, in_description}));
  if (platform_->db->dialect() != db::Dialect::kSqlite) {
    // With statistics, PostgreSQL asks the planner how common the words are before walking.
    ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      return tx.exec("ANALYZE helpdesk_ticket_search").map([](auto) {});
    }));
    EXPECT_EQ(sorted(search("zeta")), zeta);
    EXPECT_EQ(sorted(search("codice zeta3")), zeta3);
    EXPECT_EQ(search("scanner rete"), (std::vector<std::int64_t>{in_subject, in_description}));
    return;
  }

  // SQLite folds accents as its index does (PostgreSQL's Italian configuration keeps them).
  EXPECT_EQ(search("perche"), (std::vector<std::int64_t>{plain, accented}));
  EXPECT_EQ(search("PERCHÉ città"), (std::vector<std::int64_t>{plain, accented}));
  EXPECT_EQ(search("attivita"), (std::vector<std::int64_t>{accented}));
  // Every 64th ticket moves the recent tickets' terms into the vocabulary; until then they are
  // found through the recent index. After a move, and after a change of a subject, the
  // vocabulary and the recent index together hold every term of the tickets' index.
  ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto recent = tx.one("SELECT count(*) FROM helpdesk_search_terms WHERE term = 'zeta39'");
    if (!recent) return tl::unexpected(recent.error());
    EXPECT_EQ(recent->integer(0), 0) << "44 tickets: no move yet";
    // (The change of a subject below moves the recent terms too.)
    if (auto r = tx.exec("UPDATE helpdesk_tickets SET subject = 'Tastiera scollegata' WHERE id = ?",
                         {plain});
        !r)
      return tl::unexpected(r.error());
    return {};
  }));
  EXPECT_EQ(search("tastiera"), (std::vector<std::int64_t>{plain}));
  EXPECT_EQ(sorted(search("zeta3")), zeta3);
  std::vector<std::int64_t> later;
  ASSERT_TRUE(platform_->db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    for (int i = 0; i < 30; ++i) {  // past the 64th ticket
      Ticket t;
      t.ente = "019035";
      t.subject = "Lettore badge k" + std::to_string(i);
      t.description = "Nessun dettaglio.";
      t.urgency = t.impact = t.priority = 3;
      t.requester_name = "Richiedente";
      t.opened_at = t.updated_at = formatTimestamp(clock_->now());
      auto id = store::insertTicket(tx, t);
      if (!id) return tl::unexpected(id.error());
      later.push_back(*id);
    }
    // The ticket whose id is a multiple of 64 moved its predecessors' terms; the later ones wait.
    const auto mover =
        std::find_if(later.begin(), later.end(), [](auto id) { return id % 64 == 0; });
    EXPECT_NE(mover, later.end());
    const auto before = std::to_string(mover - later.begin() - 1);
    const auto after = std::to_string(mover - later.begin() + 1);
    auto moved = tx.one(
        "SELECT (SELECT count(*) FROM helpdesk_search_terms WHERE term = ?), (SELECT count(*) FROM "
        "helpdesk_search_terms WHERE term = ?), (SELECT count(*) FROM helpdesk_search_recent_terms "
        "WHERE term = ?)",
        {"k" + before, "k" + after, "k" + after});
    if (!moved) return tl::unexpected(moved.error());
    EXPECT_EQ(moved->integer(0), 1) << "moved with the 64th ticket";
    EXPECT_EQ(moved->integer(1), 0) << "not moved yet";
    EXPECT_EQ(moved->integer(2), 1) << "in the recent index";
    if (auto r = tx.exec("CREATE VIRTUAL TABLE temp.index_terms USING fts5vocab(main, "
                         "'helpdesk_tickets_fts', 'row')");
        !r)
      return tl::unexpected(r.error());
    auto missing = tx.query(
        "SELECT term FROM temp.index_terms EXCEPT SELECT term FROM helpdesk_search_terms "
        "EXCEPT SELECT term FROM helpdesk_search_recent_terms");
    if (!missing) return tl::unexpected(missing.error());
    EXPECT_TRUE(missing->empty()) << missing->front().text(0);
    auto count = tx.one("SELECT count(*) FROM temp.index_terms");
    EXPECT_TRUE(count && count->integer(0) > 40);
    return tx.exec("DROP TABLE temp.index_terms").map([](auto) {});
  }));
  // Now through the vocabulary: expanded, and as a prefix query for a word of too many terms.
  EXPECT_EQ(sorted(search("zeta3")), zeta3);
  EXPECT_EQ(sorted(search("codice zeta3")), zeta3);
  EXPECT_EQ(sorted(search("zeta")), zeta);
  EXPECT_TRUE(search("zetax").empty());
  EXPECT_EQ(search("scanner rete"), (std::vector<std::int64_t>{in_subject, in_description}));
  EXPECT_EQ(search("PERCHÉ città"), (std::vector<std::int64_t>{accented}));
  EXPECT_EQ(search("attivita"), (std::vector<std::int64_t>{accented}));
  EXPECT_EQ(sorted(search("lettore badge")), later);
  EXPECT_EQ(search("k" + std::to_string(later.size() - 1)),
            (std::vector<std::int64_t>{later.back()}));
  EXPECT_EQ(search("perche"), (std::vector<std::int64_t>{accented}));
  EXPECT_EQ(search("tastiera"), (std::vector<std::int64_t>{plain}));
}

}  // namespace
}  // namespace cst::helpdesk
