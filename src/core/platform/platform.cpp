#include "platform/platform.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "common/crypto.hpp"
#include "scan/clamd_config.hpp"
#include "scan/clamd_scanner.hpp"

namespace cst {

std::string platformVersion() { return CST_VERSION; }

Platform::~Platform() {
  if (scheduler) scheduler->stop();
  if (clamd) clamd->stop();
}

Result<std::unique_ptr<Platform>> Platform::open(Config config, std::vector<Module> modules,
                                                 std::unique_ptr<Clock> clock) {
  std::unique_ptr<Platform> p(new Platform());
  p->config = std::move(config);
  p->modules = std::move(modules);
  p->clock = clock ? std::move(clock) : std::make_unique<SystemClock>();
  std::error_code ec;
  std::filesystem::create_directories(p->config.data_dir, ec);
  if (ec)
    return failField("data_dir",
                     "cannot create " + p->config.data_dir.string() + ": " + ec.message());
  auto db =
      db::Database::open(p->config.database_url, p->config.data_dir, p->config.database_pool_size);
  if (!db) return tl::unexpected(db.error());
  p->db = *db;
  // A PostgreSQL read waits a network round trip, during which its thread does nothing: four per
  // core keep the cores busy. SQLite reads are CPU-bound: the server's one per core is right.
  if (p->config.server.read_threads == 0 && p->db->dialect() == db::Dialect::kPostgres)
    p->config.server.read_threads =
        4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::vector<db::MigrationSet> sets{{"core", &db::coreMigrations()}};
  for (const Module& m : p->modules)
    if (m.migrations) sets.push_back({m.id, m.migrations});
  auto applied = db::migrate(*p->db, sets);
  if (!applied) return tl::unexpected(applied.error());
  for (const std::string& name : *applied) spdlog::info("migration applied: {}", name);

  for (const Module& m : p->modules)
    if (m.policy) m.policy(p->policy);

  auth::IdentityOptions id_opt;
  id_opt.session_ttl = std::chrono::minutes(p->config.session_ttl_minutes);
  id_opt.lockout_threshold = p->config.lockout_threshold;
  id_opt.lockout_duration = std::chrono::minutes(p->config.lockout_minutes);
  id_opt.totp_required_for_staff = p->config.totp_required_for_staff;
  id_opt.attempts_per_minute_per_address = p->config.login_attempts_per_minute;
  id_opt.max_concurrent_hashes =
      p->config.max_concurrent_logins > 0
          ? p->config.max_concurrent_logins
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  p->identity = std::make_unique<auth::Identity>(*p->db, *p->clock, p->policy, id_opt);
  p->enti = std::make_unique<enti::Registry>(*p->db, *p->clock);
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  p->scheduler = std::make_unique<jobs::Scheduler>(
      *p->db, *p->clock,
      std::string(host) + ":" + std::to_string(::getpid()) + ":" + randomToken(6));
  p->blobs =
      std::make_unique<blob::BlobStore>(p->config.data_dir / "blobs", p->config.max_blob_bytes);
  p->uploads = std::make_unique<uploads::Uploads>(*p->db, *p->blobs, nullptr, *p->clock);
  auto oversize = uploads::parseOversizePolicy(p->config.oversize);
  if (!oversize) return tl::unexpected(oversize.error());
  p->uploads->setOversizePolicy(*oversize);

  auto from = mail::parseMailbox(p->config.mail.from, "mail.from");
  if (!from) return tl::unexpected(from.error());
  mail::OutboxOptions outbox;
  outbox.relay = {p->config.mail.smtp_url, p->config.mail.username, p->config.mail.password,
                  std::chrono::seconds(p->config.mail.timeout_seconds)};
  outbox.from = *from;
  p->outbox = std::make_unique<mail::Outbox>(*p->db, *p->clock, std::move(outbox));
  for (Module& m : p->modules)
    if (m.connect) m.connect(*p);
  return p;
}

Status Platform::startScanner() {
  scan::ClamdScannerOptions opt;
  opt.max_stream_bytes = config.max_stream_bytes;
  if (config.clamd.empty()) {
    scan::ClamdSupervisorOptions sup;
    sup.work_dir = config.data_dir / "clamd";
    sup.database_dir = config.signatures_dir;
    sup.clamd_binary = config.clamd_binary;
    sup.max_stream_bytes = config.max_stream_bytes;
    clamd = std::make_unique<scan::ClamdSupervisor>(sup);
    if (auto s = clamd->start(); !s) return s;
    opt = clamd->scannerOptions();
  } else {
    opt.endpoint = config.clamd;
    opt.fd_passing = config.fd_passing;
  }
  return useScanner(opt);
}

Status Platform::connectScanner() {
  scan::ClamdScannerOptions opt;
  opt.max_stream_bytes = config.max_stream_bytes;
  if (config.clamd.empty()) {
    std::error_code ec;
    const auto dir = std::filesystem::absolute(config.data_dir / "clamd", ec);
    opt.endpoint = "unix:" + scan::ClamdConfig::socketIn(dir).string();
  } else {
    opt.endpoint = config.clamd;
    opt.fd_passing = config.fd_passing;
  }
  return useScanner(opt);
}

Status Platform::useScanner(const scan::ClamdScannerOptions& opt) {
  auto scanner_or = scan::ClamdScanner::create(opt);
  if (!scanner_or) return tl::unexpected(scanner_or.error());
  scanner = std::shared_ptr<scan::Scanner>(std::move(*scanner_or));
  uploads->setScanner(scanner);
  return {};
}

}  // namespace cst
