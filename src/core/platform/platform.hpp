#pragma once
// The platform: the core services wired together once, shared by `cst serve` and every CLI verb
// that touches the database or the blob store. Modules receive it in Module::install.
#include <memory>
#include <string>
#include <vector>

#include "auth/identity.hpp"
#include "auth/policy.hpp"
#include "blob/blob_store.hpp"
#include "common/clock.hpp"
#include "config/config.hpp"
#include "db/db.hpp"
#include "enti/enti.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "jobs/jobs.hpp"
#include "mail/outbox.hpp"
#include "platform/interfaces.hpp"
#include "platform/module.hpp"
#include "scan/clamd_scanner.hpp"
#include "scan/clamd_supervisor.hpp"
#include "scan/scanner.hpp"
#include "uploads/uploads.hpp"

namespace cst {

std::string platformVersion();

class Platform {
 public:
  // Opens the database and applies every pending migration (core and modules).
  static Result<std::unique_ptr<Platform>> open(Config config, std::vector<Module> modules,
                                                std::unique_ptr<Clock> clock = nullptr);
  ~Platform();

  // Connects to the configured clamd, or starts and supervises our own (serve only).
  Status startScanner();
  // For CLI verbs: uses the configured clamd, or the one a running `cst serve` supervises on the
  // same data directory; never starts one. Scanning fails (kUnavailable) if neither answers.
  Status connectScanner();
  // Registers the core routes and every module's, job kinds and recurring jobs.
  Status install();
  // Seeds the demo data (core and modules); idempotent. Returns the demo credentials.
  Result<std::vector<std::pair<std::string, std::string>>> seedDemo();

  Config config;
  std::unique_ptr<Clock> clock;
  std::shared_ptr<db::Database> db;
  auth::Policy policy;
  std::unique_ptr<auth::Identity> identity;
  std::unique_ptr<enti::Registry> enti;
  std::unique_ptr<jobs::Scheduler> scheduler;
  std::unique_ptr<blob::BlobStore> blobs;
  std::shared_ptr<scan::Scanner> scanner;  // null until startScanner succeeds
  std::unique_ptr<scan::ClamdSupervisor> clamd;
  std::unique_ptr<uploads::Uploads> uploads;
  // Delivers queued e-mail (the "Invio posta" job). Modules queue a message with
  // mail::enqueue(tx, mail, clock->now()) inside their own transaction.
  std::unique_ptr<mail::Outbox> outbox;
  http::Router router;
  http::Metrics metrics;
  std::vector<Module> modules;
  Interfaces interfaces;  // what modules publish to each other

 private:
  Platform() = default;
  Status useScanner(const scan::ClamdScannerOptions& opt);
};

// Core migrations, embedded from src/core/migrations.
namespace db {
const std::vector<MigrationScript>& coreMigrations();
}

}  // namespace cst
