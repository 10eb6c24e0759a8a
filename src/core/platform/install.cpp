#include <spdlog/spdlog.h>

#include "api/core_routes.hpp"
#include "audit/audit.hpp"
#include "platform/platform.hpp"

namespace cst {

Status Platform::install() {
  api::addSystemRoutes(*this);
  api::addAuthRoutes(*this);
  api::addEntiRoutes(*this);
  api::addUserRoutes(*this);
  api::addAuditRoutes(*this);
  api::addJobRoutes(*this);
  api::addUploadRoutes(*this);

  scheduler->registerKind("sessions.purge", [this](const nlohmann::json&) -> Status {
    auto n = identity->purgeExpiredSessions();
    if (!n) return tl::unexpected(n.error());
    return {};
  });
  // A broken chain makes the job fail: it shows as failed in the UI and in the log every night.
  scheduler->registerKind("audit.verify", [this](const nlohmann::json&) -> Status {
    auto report = audit::verify(*db);
    if (!report) return tl::unexpected(report.error());
    if (!report->intact)
      return fail(ErrorCode::kInternal, "audit chain broken at entry " +
                                            std::to_string(report->first_bad_seq.value_or(0)) +
                                            ": " + report->problem);
    return {};
  });
  // A relay that is down fails the run, so the jobs page and the log show it; each message keeps
  // its own backoff and last error in mail_outbox.
  scheduler->registerKind("mail.deliver", [this](const nlohmann::json&) -> Status {
    auto run = outbox->deliverDue();
    if (!run) return tl::unexpected(run.error());
    if (run->stopped_by) return fail(ErrorCode::kUnavailable, *run->stopped_by);
    return {};
  });
  for (auto [name, kind, schedule] :
       {std::tuple{"core.sessions.purge", "sessions.purge", "@hourly"},
        std::tuple{"core.audit.verify", "audit.verify", "@daily 02:30"},
        std::tuple{"Invio posta", "mail.deliver", "@every 30s"}}) {
    if (auto s = scheduler->ensureRecurring(name, kind, schedule); !s) return s;
  }
  for (Module& m : modules)
    if (m.install) m.install(*this);
  return {};
}

}  // namespace cst
