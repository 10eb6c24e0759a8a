// Service-level benchmarks of the protocol register (issue 6), each beside a named baseline
// measured in the same run on the same database:
//   registrations/s with 10 concurrent clients (Service::registerDocument: number, segnatura
//   signed with the seal, record, documents, audit, in one transaction)
//     vs the same clients committing a write transaction with one audit entry (the least a
//        registration writes), and the segnatura alone (built, signed, validated) on one thread;
//   the daily register of a day of 5,000 registrations (read, JSON, PDF, blob store, row)
//     vs reading that day's registrations and documents alone.
// Prints a Markdown section on stdout (bench/protocol.sh puts it into docs/PERFORMANCE.md).
//
//   cst_protocol_bench [--clients 10] [--registrations 2000] [--day 5000]
//                      [--database-url postgresql://...]
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "audit/audit.hpp"
#include "bench_database.hpp"
#include "platform/platform.hpp"
#include "protocol/module.hpp"
#include "segnatura.hpp"
#include "service.hpp"
#include "store.hpp"

namespace {

using namespace cst;
using namespace cst::protocol;
using Steady = std::chrono::steady_clock;

int fail(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.detail << "\n";
  return 1;
}

double seconds(Steady::time_point from) {
  return std::chrono::duration<double>(Steady::now() - from).count();
}

// Runs `each` `total` times split over `clients` threads; returns the operations per second.
double concurrently(int clients, int total, const std::function<bool(int)>& each) {
  std::atomic<int> next{0}, failed{0};
  const auto start = Steady::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&] {
      for (int i = next++; i < total; i = next++)
        if (!each(i)) ++failed;
    });
  for (auto& t : threads) t.join();
  const double s = seconds(start);
  if (failed > 0) std::cerr << failed << " operations failed\n";
  return total / s;
}

std::string fixed(double v, int decimals = 0) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(decimals) << v;
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Protocol register benchmarks"};
  int clients = 10, registrations = 2000, day = 5000;
  std::string database_url;
  app.add_option("--clients", clients, "concurrent clients");
  app.add_option("--registrations", registrations, "registrations to time");
  app.add_option("--day", day, "registrations of the day whose register is made");
  app.add_option("--database-url", database_url, "PostgreSQL URL (default: SQLite in a temp dir)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  const auto dir =
      std::filesystem::temp_directory_path() / ("cst-protocol-bench-" + std::to_string(::getpid()));
  Config config;
  config.data_dir = dir;
  const std::string schema = "bench_protocol_" + std::to_string(::getpid());
  auto onServer = [&](const std::string& sql) { return bench::onServer(database_url, dir, sql); };
  if (!database_url.empty()) {
    if (auto s = onServer("CREATE SCHEMA " + schema); !s) return fail("schema", s.error());
    config.database_url = bench::inSchema(database_url, schema);
  }
  // 26 November 2026, 09:00 in Rome: the registrations of the timed runs fall on this day.
  auto owned_clock = std::make_unique<ManualClock>(*parseTimestamp("2026-11-26T08:00:00.000Z"));
  ManualClock& clock = *owned_clock;
  auto opened = Platform::open(config, {makeModule()}, std::move(owned_clock));
  if (!opened) return fail("open", opened.error());
  Platform& p = **opened;
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
                       std::nullopt}) ||
      !p.enti->ensure({"019036",
                       "Cremona",
                       "comune",
                       "019",
                       "00297960197",
                       "c_d150",
                       "D150",
                       71000,
                       std::nullopt,
                       {},
                       std::nullopt}))
    return fail("enti", Error::make(ErrorCode::kInternal, "ensure"));
  Service service(p);
  audit::Entry who;
  who.actor = "bench";
  if (auto s = service.saveAoo(
          "019036", {{"aoo_code", "AOO_CR"}, {"aoo_name", "AOO"}, {"registry_code", "PG"}}, who);
      !s)
    return fail("aoo", s.error());
  if (auto s =
          service.addClass("019036", {{"code", "6.3"}, {"description", "Edilizia privata"}}, who);
      !s)
    return fail("class", s.error());
  const auto temp = dir / "doc.pdf";
  std::ofstream(temp, std::ios::binary) << "%PDF-1.4 documento del benchmark";
  auto upload = p.uploads->store({{"019036", 0, "istanza.pdf", "application/pdf", temp}, {}}, who);
  if (!upload) return fail("upload", upload.error());
  auto request = registrationFromJson(
      {{"ente", "019036"},
       {"flow", "incoming"},
       {"subject", "Richiesta di accesso agli atti della pratica edilizia 12/2026"},
       {"class_code", "6.3"},
       {"correspondents",
        {{{"kind", "person"},
          {"first_name", "Mario"},
          {"last_name", "Rossi"},
          {"fiscal_code", "RSSMRA85T10A562S"},
          {"email", "mario.rossi@pec.example.it"}}}},
       {"primary_document", {{"upload_id", upload->id}, {"description", "Istanza"}}}});
  if (!request) return fail("request", request.error());

  // Baseline 1: a write transaction with one audit entry, the same clients.
  const double audited = concurrently(clients, registrations, [&](int i) {
    return static_cast<bool>(p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      audit::Entry e = who;
      e.ente = "019036";
      e.action = "bench.write";
      e.object_type = "bench";
      e.object_id = std::to_string(i);
      return audit::append(tx, e, clock.now());
    }));
  });
  // Baseline 2: the segnatura alone, one thread (its signature is most of a registration's CPU).
  Registration sample;
  sample.ente = "019036";
  sample.year = 2026;
  sample.number = 1;
  sample.registry_code = "PG";
  sample.registered_at = formatTimestamp(clock.now());
  sample.registered_on = "2026-11-26";
  sample.subject = request->subject;
  sample.correspondents = request->correspondents;
  sample.class_code = "6.3";
  sample.class_description = "Edilizia privata";
  sample.documents = {
      {0, upload->id, "istanza.pdf", "application/pdf", upload->sha256, 32, "Istanza"}};
  auto seal = xml::loadOrCreateSeal(dir / "keys", "bench");
  if (!seal) return fail("seal", seal.error());
  const AooIdentity identity{
      {"019036", "AOO_CR", "AOO", "PG", "", "", ""}, "Comune di Cremona", "c_d150", "00297960197"};
  const int segnature = std::max(200, registrations / 10);
  auto t0 = Steady::now();
  for (int i = 0; i < segnature; ++i)
    if (!makeSegnatura(sample, identity, *seal)) return 1;
  const double segnatura_rate = segnature / seconds(t0);
  // Registrations through the service.
  const double registered = concurrently(clients, registrations, [&](int) {
    return static_cast<bool>(service.registerDocument(*request, who));
  });

  // The day of `day` registrations (those above count): fill it up, then make its register.
  const int more = std::max(0, day - registrations);
  concurrently(clients, more,
               [&](int) { return static_cast<bool>(service.registerDocument(*request, who)); });
  t0 = Steady::now();
  std::size_t read_rows = 0;
  auto read = p.db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
    auto regs = store::ofDay(tx, "019036", "2026-11-26");
    if (!regs) return tl::unexpected(regs.error());
    auto docs = store::documentsOfDay(tx, "019036", "2026-11-26");
    if (!docs) return tl::unexpected(docs.error());
    read_rows = regs->size();
    return {};
  });
  if (!read) return fail("read", read.error());
  const double read_seconds = seconds(t0);
  t0 = Steady::now();
  auto made = service.produceDailyRegister("019036", "2026-11-26");
  if (!made) return fail("daily register", made.error());
  const double register_seconds = seconds(t0);

  const std::string backend = database_url.empty() ? "SQLite" : "PostgreSQL";
  std::cout << "#### " << backend << "\n\n";
  std::cout << "| operation | per second | ratio to the baseline |\n| --- | ---: | ---: |\n";
  std::cout << "| baseline: write transaction with one audit entry, " << clients << " clients | "
            << fixed(audited) << " | 1.00× |\n";
  std::cout << "| segnatura alone (XML, RSA-3072 signature, XSD check), 1 thread | "
            << fixed(segnatura_rate) << " | " << fixed(segnatura_rate / audited, 2) << "× |\n";
  std::cout << "| **registration** (" << registrations << ", " << clients << " clients) | "
            << fixed(registered) << " | " << fixed(registered / audited, 2) << "× |\n\n";
  std::cout << "| daily register of " << made->registrations
            << " registrations | seconds | ratio |\n"
            << "| --- | ---: | ---: |\n";
  std::cout << "| baseline: reading the day's " << read_rows << " registrations and documents | "
            << fixed(read_seconds, 3) << " | 1.00× |\n";
  std::cout << "| **making the register** (read, JSON " << made->json_size / 1024 << " KiB, PDF "
            << made->pdf_size / 1024 << " KiB, blob store, row) | " << fixed(register_seconds, 3)
            << " | " << fixed(register_seconds / read_seconds, 1) << "× |\n\n";
  opened->reset();
  if (!database_url.empty()) (void)onServer("DROP SCHEMA " + schema + " CASCADE");
  std::filesystem::remove_all(dir);
  return 0;
}
