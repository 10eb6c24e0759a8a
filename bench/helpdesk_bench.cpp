// Service-level benchmarks of the service desk (issue 3): full-text search over a large ticket
// archive, the SLA job over many open tickets, and ticket creation, each beside a named baseline
// measured in the same run on the same database:
//   search       vs the queue page without a query (newest 50 by id)
//   SLA job      vs reading the same open tickets without evaluating them
//   creation     (Service::open, one transaction each) vs a one-row read by id
// Prints a Markdown section on stdout (bench/helpdesk.sh puts it into docs/PERFORMANCE.md).
//
//   cst_helpdesk_bench --tickets 1000000 --open 100000 [--database-url postgresql://...]
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "bench_database.hpp"
#include "calendar/calendar.hpp"
#include "helpdesk/module.hpp"
#include "model.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "store.hpp"

namespace {

using namespace cst;
using namespace cst::helpdesk;
using Clock_ = std::chrono::steady_clock;

// Words of real tickets, most frequent first: a search for one of them matches many tickets.
const std::vector<std::string> kCommon = {
    "stampante",  "rete",          "posta",     "password",    "accesso", "errore",  "firma",
    "protocollo", "pagamento",     "anagrafe",  "portale",     "scanner", "monitor", "server",
    "backup",     "antivirus",     "telefono",  "certificato", "pec",     "vpn",     "wifi",
    "licenza",    "aggiornamento", "sportello", "tributi",     "suap",    "fattura", "utente"};

struct Corpus {
  std::mt19937_64 rng{20261126};
  // Zipf-like: word k of the vocabulary with weight 1/(k+1).
  std::vector<std::string> vocabulary;
  std::discrete_distribution<std::size_t> pick;
  Corpus() {
    vocabulary = kCommon;
    for (int i = 0; vocabulary.size() < 20000; ++i)
      vocabulary.push_back("voce" + std::to_string(i));
    std::vector<double> w;
    for (std::size_t k = 0; k < vocabulary.size(); ++k) w.push_back(1.0 / double(k + 1));
    pick = std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }
  std::string words(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? " " : "") + vocabulary[pick(rng)];
    return out;
  }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * double(v.size())))];
}

double msSince(Clock_::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock_::now() - t0).count();
}

TimePoint romeTime(const std::string& text) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      *calendar::parseDateTime(text, "t"));
}

int fail(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.detail << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Service desk benchmarks"};
  std::int64_t total = 100000, open_tickets = 10000;
  int searches = 200, creations = 1000;
  std::string database_url;
  app.add_option("--tickets", total, "tickets in the archive");
  app.add_option("--open", open_tickets, "of which open (the SLA job's work)");
  app.add_option("--searches", searches, "search queries to time");
  app.add_option("--creations", creations, "tickets to open through the service");
  app.add_option("--database-url", database_url, "PostgreSQL URL (default: SQLite in a temp dir)");
  bool keep = false;
  std::string reuse;
  app.add_option("--reuse", reuse,
                 "PostgreSQL: search again the archive a --keep run left in this schema (searches "
                 "only)");
  app.add_flag("--keep", keep,
               "keep the generated archive (SQLite directory or PostgreSQL schema) for EXPLAIN");
  CLI11_PARSE(app, argc, argv);
  // stdout carries the Markdown section only.
  spdlog::set_level(spdlog::level::warn);

  const auto dir =
      std::filesystem::temp_directory_path() / ("cst-helpdesk-bench-" + std::to_string(::getpid()));
  Config config;
  config.data_dir = dir;
  // PostgreSQL: a schema of its own, dropped at the end, so that runs never see each other.
  const std::string schema = "bench_" + std::to_string(::getpid());
  auto onServer = [&](const std::string& sql) { return bench::onServer(database_url, dir, sql); };
  if (!reuse.empty()) {
    if (database_url.empty()) {
      std::cerr << "--reuse needs --database-url\n";
      return 2;
    }
    config.database_url = bench::inSchema(database_url, reuse);
  } else if (!database_url.empty()) {
    if (auto s = onServer("CREATE SCHEMA " + schema); !s) return fail("schema", s.error());
    config.database_url = bench::inSchema(database_url, schema);
  }
  // Monday 2 November 2026, 09:00 in Rome; the archive spreads over the two years before.
  auto owned_clock = std::make_unique<ManualClock>(romeTime("2026-11-02T09:00"));
  ManualClock& clock = *owned_clock;
  auto opened = Platform::open(config, {makeModule()}, std::move(owned_clock));
  if (!opened) return fail("open", opened.error());
  Platform& p = **opened;
  const std::vector<std::string> comuni = {"019001", "019002", "019003", "019004", "019005",
                                           "019006", "019007", "019008", "019009", "019010"};
  if (!p.enti->ensure({"019",
                       "Provincia di Cremona",
                       "provincia",
                       std::nullopt,
                       "80002130195",
                       std::nullopt,
                       std::nullopt,
                       350000,
                       std::nullopt,
                       {},
                       std::nullopt}))
    return 1;
  for (const std::string& c : comuni)
    if (!p.enti->ensure({c,
                         "Comune " + c,
                         "comune",
                         std::string("019"),
                         "00297960197",
                         std::nullopt,
                         std::nullopt,
                         1000,
                         std::nullopt,
                         {},
                         std::nullopt}))
      return 1;
  Service service(*p.db, clock, *p.enti, *p.identity, p.policy);

  // --- the archive, written through the store in transactions of 5,000
  Corpus corpus;
  auto gen0 = Clock_::now();
  const TimePoint now = clock.now();
  for (std::int64_t done = reuse.empty() ? 0 : total; done < total;) {
    const std::int64_t batch = std::min<std::int64_t>(5000, total - done);
    auto s = p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      for (std::int64_t i = 0; i < batch; ++i) {
        const std::int64_t n = done + i;
        Ticket t;
        t.ente = comuni[static_cast<std::size_t>(n) % comuni.size()];
        t.subject = corpus.words(4);
        t.description = corpus.words(25);
        t.urgency = 1 + static_cast<int>(n % 5);
        t.impact = 1 + static_cast<int>((n / 5) % 5);
        t.priority = priorityFor(t.urgency, t.impact);
        t.requester_name = "Richiedente " + std::to_string(n % 997);
        // The last `open_tickets` are open; the rest were solved and closed long ago.
        const bool is_open = n >= total - open_tickets;
        const auto age = std::chrono::minutes(is_open ? (total - n) % (60 * 24 * 5)
                                                      : 60 * 24 * 700 - n % (60 * 24 * 600));
        t.opened_at = t.updated_at = formatTimestamp(now - age);
        t.state = is_open ? State::kInProgress : State::kClosed;
        if (!is_open) t.solved_at = t.closed_at = t.opened_at;
        t.owned_at = t.opened_at;
        t.due_own = t.due_resolve = t.opened_at;
        // Open tickets wait for the SLA job from now on.
        if (is_open) t.sla_check_at = formatTimestamp(now);
        auto id = store::insertTicket(tx, t);
        if (!id) return tl::unexpected(id.error());
      }
      return {};
    });
    if (!s) return fail("generate", s.error());
    done += batch;
  }
  const double gen_ms = msSince(gen0);
  // PostgreSQL: the statistics autovacuum would have gathered by then on a live archive, so that
  // the searches are planned as they would be in production, not blind after a bulk load, and do
  // not depend on whether autovacuum's own ANALYZE happens to land before them. (SQLite keeps no
  // statistics unless asked, and the server never asks: none here either.)
  if (!database_url.empty() && reuse.empty())
    if (auto s = onServer("ANALYZE " + schema + ".helpdesk_tickets, " + schema +
                          ".helpdesk_ticket_search, " + schema + ".helpdesk_events");
        !s)
      return fail("analyze", s.error());

  // --- search, with the queue page as baseline
  store::Filter base;
  base.all_enti = true;
  std::vector<double> queue_ms, search_ms;
  // The same times by kind of query, to say which kind a slow p95 comes from.
  const std::array<const char*, 4> kinds = {"one common word", "one rarer word", "two common words",
                                            "one common word, one ente"};
  std::array<std::vector<double>, 4> kind_ms;
  std::mt19937_64 rng(7);
  std::size_t hits = 0;
  for (int i = 0; i < searches; ++i) {
    auto t0 = Clock_::now();
    auto page = service.list(base);
    queue_ms.push_back(msSince(t0));
    if (!page) return fail("queue", page.error());

    store::Filter f = base;
    // A mix: a common word, a rarer one, two words, and a Comune's clerk's view of one ente.
    switch (i % 4) {
      case 0:
        f.text = kCommon[rng() % kCommon.size()];
        break;
      case 1:
        f.text = corpus.vocabulary[200 + rng() % 5000];
        break;
      case 2:
        f.text = kCommon[rng() % kCommon.size()] + " " + kCommon[rng() % kCommon.size()];
        break;
      default:
        f.text = kCommon[rng() % kCommon.size()];
        f.all_enti = false;
        f.enti = {comuni[rng() % comuni.size()]};
    }
    t0 = Clock_::now();
    auto found = service.list(f);
    search_ms.push_back(msSince(t0));
    kind_ms[static_cast<std::size_t>(i % 4)].push_back(search_ms.back());
    if (!found) return fail("search", found.error());
    hits += found->size();
  }

  // "kind p50 / p95 / max; ..." for each kind of query.
  auto printKinds = [&] {
    for (std::size_t k = 0; k < kinds.size(); ++k)
      std::cout << (k ? ";" : "") << " " << kinds[k] << " " << percentile(kind_ms[k], 0.5) << " / "
                << percentile(kind_ms[k], 0.95) << " / " << percentile(kind_ms[k], 1.0);
  };
  if (!reuse.empty()) {
    std::cout << "search of " << reuse << ": p50 " << percentile(search_ms, 0.5) << " ms, p95 "
              << percentile(search_ms, 0.95) << " ms, max " << percentile(search_ms, 1.0)
              << " ms; by kind (p50 / p95 / max):";
    printKinds();
    std::cout << "\n";
    return 0;
  }

  // --- the SLA job over the open tickets, with reading them as baseline
  auto read0 = Clock_::now();
  std::size_t read_rows = 0;
  auto read = p.db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
    auto rows = store::slaDue(tx, formatTimestamp(now), static_cast<int>(open_tickets) + 1);
    if (!rows) return tl::unexpected(rows.error());
    read_rows = rows->size();
    return {};
  });
  if (!read) return fail("read open", read.error());
  const double read_ms = msSince(read0);
  auto sla0 = Clock_::now();
  auto evaluated = service.evaluateSla();
  const double sla_ms = msSince(sla0);
  if (!evaluated) return fail("sla", evaluated.error());

  // --- creation through the service, with a one-row read as baseline
  Actor by{std::nullopt, "Benchmark", true, false, {}};
  by.audit.actor = "bench";
  std::vector<double> create_ms, get_ms;
  Visibility all{true, {}, std::nullopt, true};
  for (int i = 0; i < creations; ++i) {
    NewTicket in;
    in.ente = comuni[static_cast<std::size_t>(i) % comuni.size()];
    in.subject = corpus.words(4);
    in.description = corpus.words(25);
    auto t0 = Clock_::now();
    auto created = service.open(in, by);
    create_ms.push_back(msSince(t0));
    if (!created) return fail("create", created.error());
    t0 = Clock_::now();
    auto got = service.get(created->ticket.id, all);
    get_ms.push_back(msSince(t0));
    if (!got) return fail("get", got.error());
  }
  double create_total = 0, get_total = 0;
  for (double v : create_ms) create_total += v;
  for (double v : get_ms) get_total += v;

  std::cout.setf(std::ios::fixed);
  std::cout.precision(2);
  const std::string backend = p.db->dialect() == db::Dialect::kSqlite ? "SQLite" : "PostgreSQL";
  std::cout << "#### " << backend << ", " << total << " tickets (" << open_tickets << " open)\n\n"
            << "Archive written through the store in " << gen_ms / 1000 << " s ("
            << double(total) / (gen_ms / 1000) << " tickets/s, full-text index included).\n\n"
            << "| measurement | p50 | p95 | max | baseline (same run) | ratio | aim |\n"
            << "| --- | ---: | ---: | ---: | --- | ---: | --- |\n"
            << "| search, " << searches << " queries (mean " << double(hits) / searches
            << " results) | " << percentile(search_ms, 0.5) << " ms | "
            << percentile(search_ms, 0.95) << " ms | " << percentile(search_ms, 1.0)
            << " ms | queue page without q: p95 " << percentile(queue_ms, 0.95) << " ms | "
            << percentile(search_ms, 0.95) / std::max(0.001, percentile(queue_ms, 0.95))
            << "× | p95 < 50 ms |\n"
            << "| SLA job over " << *evaluated << " open tickets | | | " << sla_ms / 1000
            << " s | reading them: " << read_ms / 1000 << " s (" << read_rows << " rows) | "
            << sla_ms / std::max(0.001, read_ms) << "× | < 10 s for 100,000 |\n"
            << "| ticket creation (service, one transaction each) | " << percentile(create_ms, 0.5)
            << " ms | " << percentile(create_ms, 0.95) << " ms | " << percentile(create_ms, 1.0)
            << " ms | one-ticket read: p50 " << percentile(get_ms, 0.5) << " ms | "
            << create_total / std::max(0.001, get_total) << "× | " << creations << " created at "
            << double(creations) / (create_total / 1000) << "/s |\n\n"
            << "Search by kind of query (p50 / p95 / max, ms):";
  printKinds();
  std::cout << ".\n\n";
  opened->reset();
  if (keep) {
    std::cerr << "kept: " << (database_url.empty() ? dir.string() : "schema " + schema) << "\n";
    return 0;
  }
  if (!database_url.empty()) (void)onServer("DROP SCHEMA " + schema + " CASCADE");
  std::filesystem::remove_all(dir);
  return 0;
}
