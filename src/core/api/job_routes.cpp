#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;

void addJobRoutes(Platform& p) {
  p.router.add(http::Route::get(
      "/api/v1/jobs", "Scheduled and recent background jobs", "jobs", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kJobsRead); !s)
          return http::problem(s.error());
        return respond(p.scheduler->list(), [](const std::vector<jobs::JobInfo>& list) {
          Json items = Json::array();
          for (const auto& j : list) items.push_back(jobs::toJson(j));
          return Json{{"items", items}, {"next_cursor", nullptr}};
        });
      }));
  p.router.add(
      http::Route::post("/api/v1/jobs/{id}/run", "Run a job now (cst_admin)", "jobs",
                        [&p](Request& req) {
                          if (auto s = requireAny(p.policy, req, auth::action::kJobsManage); !s)
                            return http::problem(s.error());
                          const std::string& id = req.param("id");
                          if (id.empty() || id.size() > 18 ||
                              id.find_first_not_of("0123456789") != std::string::npos)
                            return http::problem(Error::badInput("id", "identificativo numerico"));
                          auto s = p.scheduler->runNow(std::stoll(id));
                          if (!s) return http::problem(s.error());
                          audit::Entry e = auditBy(req);
                          e.action = "job.run_now";
                          e.object_type = "job";
                          e.object_id = id;
                          (void)audit::appendAlone(*p.db, e, p.clock->now());
                          return http::json(202, {{"status", "scheduled"}});
                        })
          .noBody());
}

}  // namespace cst::api
