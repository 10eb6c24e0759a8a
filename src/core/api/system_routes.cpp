#include "api/core_routes.hpp"
#include "http/openapi.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;
using http::Response;

void addSystemRoutes(Platform& p) {
  p.router.add(http::Route::get("/healthz", "Process is up", "system",
                                [](Request&) {
                                  return http::json(200, {{"status", "ok"}});
                                })
                   .publicAccess()
                   .ioThread());
  p.router.add(
      http::Route::get("/readyz", "Database (and scanner) reachable", "system", [&p](Request&) {
        const bool db_ok = p.db->ping();
        const bool scanner_ok = p.scanner && p.scanner->ping();
        Json body{{"database", db_ok ? "ok" : "unreachable"},
                  {"scanner", scanner_ok ? "ok" : "unavailable"}};
        // Uploads fail closed without a scanner, but the rest of the service works:
        // readiness follows the database only.
        body["status"] = db_ok ? "ready" : "not ready";
        return http::json(db_ok ? 200 : 503, body);
      }).publicAccess());
  p.router.add(http::Route::get("/metrics", "Prometheus metrics", "system", [&p](Request&) {
                 Response r;
                 r.content_type = "text/plain; version=0.0.4";
                 r.body = p.metrics.render();
                 return r;
               }).publicAccess());
  p.router.add(
      http::Route::get("/api/v1/openapi.json", "This OpenAPI document", "system", [&p](Request&) {
        return http::json(200, http::buildOpenApi(p.router, platformVersion()));
      }).publicAccess());
  p.router.add(
      http::Route::get("/api/v1/modules", "Modules installed (navigation)", "system",
                       [&p](Request&) {
                         Json items = Json::array();
                         for (const Module& m : p.modules)
                           items.push_back({{"id", m.id}, {"name", m.name}, {"path", m.path}});
                         return http::json(200, {{"items", items}});
                       })
          .publicAccess());

  p.metrics.addGauge("cst_db_pool_size", "Database connections in the pool.",
                     [&p] { return double(p.db->poolSize()); });
  p.metrics.addGauge("cst_db_pool_in_use", "Database connections leased right now.",
                     [&p] { return double(p.db->poolInUse()); });
  p.metrics.addGauge("cst_jobs_runs_total", "Job runs by this instance since start.",
                     [&p] { return double(p.scheduler->runsTotal()); });
  p.metrics.addGauge("cst_jobs_failures_total", "Failed job runs by this instance since start.",
                     [&p] { return double(p.scheduler->failuresTotal()); });
  // -1: the database did not answer the count.
  auto mailCount = [&p](std::int64_t mail::QueueCounts::*field) {
    return [&p, field] {
      auto c = p.outbox->counts();
      return c ? double((*c).*field) : -1.0;
    };
  };
  p.metrics.addGauge("cst_mail_queued", "E-mail messages waiting for delivery (all instances).",
                     mailCount(&mail::QueueCounts::queued));
  p.metrics.addGauge("cst_mail_failed", "E-mail messages given up (all instances).",
                     mailCount(&mail::QueueCounts::failed));
  p.metrics.addGauge("cst_mail_sent_total", "E-mail messages handed to the relay by this instance.",
                     [&p] { return double(p.outbox->sentTotal()); });
  p.metrics.addGauge("cst_scanner_up", "1 when the antivirus answers PING.",
                     [&p] { return p.scanner && p.scanner->ping() ? 1.0 : 0.0; });
}

}  // namespace cst::api
