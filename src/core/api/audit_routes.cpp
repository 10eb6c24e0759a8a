#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "calendar/calendar.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;

void addAuditRoutes(Platform& p) {
  p.router.add(http::Route::get(
      "/api/v1/audit", "Browse the audit log (filters: ente, action, actor, from, to; paging)",
      "audit", [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kAuditRead); !s)
          return http::problem(s.error());
        auto limit = limitParam(req);
        if (!limit) return http::problem(limit.error());
        const auth::EnteScope scope = p.policy.scope(*req.principal, auth::action::kAuditRead);
        audit::Filter f;
        f.all_enti = scope.all;
        f.enti = scope.enti;
        f.limit = *limit;
        f.ente = req.queryParam("ente");
        if (f.ente)
          if (auto s = checkIstat(*f.ente, "ente"); !s) return http::problem(s.error());
        f.action = req.queryParam("action");
        f.actor = req.queryParam("actor");
        for (auto [key, slot] : {std::pair{"from", &f.from_date}, std::pair{"to", &f.to_date}}) {
          *slot = req.queryParam(key);
          if (*slot)
            if (auto d = calendar::parseDate(**slot, key); !d) return http::problem(d.error());
        }
        auto before = numericCursor(req);
        if (!before) return http::problem(before.error());
        f.before_seq = *before;
        return respond(audit::list(*p.db, f), [](const audit::Page& pg) {
          return pageJson(pg.items, pg.next_before_seq, audit::toJson);
        });
      }));
  p.router.add(http::Route::get(
      "/api/v1/audit/verify", "Verify the hash chain of the audit log", "audit",
      [&p](Request& req) {
        if (auto s = requireAny(p.policy, req, auth::action::kAuditRead); !s)
          return http::problem(s.error());
        if (!p.policy.scope(*req.principal, auth::action::kAuditRead).all)
          return http::problem(
              Error::make(ErrorCode::kForbidden, "riservato a chi vede l'intero registro"));
        return respond(audit::verify(*p.db), [](const audit::VerifyReport& r) {
          return Json{{"intact", r.intact},
                      {"checked", r.checked},
                      {"first_bad_seq", r.first_bad_seq ? Json(*r.first_bad_seq) : Json()},
                      {"problem", r.problem}};
        });
      }));
}

}  // namespace cst::api
