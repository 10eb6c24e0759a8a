#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;

namespace {
// The upload `id` if the caller may read it: 404 for another ente's, and for citizens and
// professionals (kOwn scope) for anybody else's.
Result<uploads::Upload> visibleUpload(Platform& p, const Request& req) {
  auto u = p.uploads->get(req.param("id"));
  if (!u) return u;
  if (auto s = requireOnEnte(p.policy, req, auth::action::kUploadsRead, u->ente); !s)
    return tl::unexpected(s.error());
  const auth::EnteScope scope = p.policy.scope(*req.principal, auth::action::kUploadsRead);
  if (scope.own_only && u->owner_id != req.principal->user_id)
    return fail(ErrorCode::kNotFound, "file non trovato");
  return u;
}
}  // namespace

void addUploadRoutes(Platform& p) {
  p.router.add(
      http::Route::post(
          "/api/v1/uploads",
          "Upload a file (raw body; query: ente, filename). Scanned by the antivirus before it is "
          "stored.",
          "uploads",
          [&p](Request& req) {
            auto ente = req.queryParam("ente");
            if (!ente)
              return http::problem(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
            if (auto s = checkIstat(*ente, "ente"); !s) return http::problem(s.error());
            if (auto s = requireOnEnte(p.policy, req, auth::action::kUploadsWrite, *ente); !s)
              return http::problem(s.error());
            uploads::NewUpload in{
                *ente, req.principal->user_id, req.queryParam("filename").value_or(""),
                req.header("content-type").value_or("application/octet-stream"), req.body_file};
            in.sha256 = req.body_sha256;
            return respond(p.uploads->accept(in, auditBy(req)), uploads::toJson, 201);
          })
          .uploadBody());
  p.router.add(http::Route::get(
      "/api/v1/uploads/{id}", "Metadata of an uploaded file", "uploads",
      [&p](Request& req) { return respond(visibleUpload(p, req), uploads::toJson); }));
  p.router.add(http::Route::get("/api/v1/uploads/{id}/content",
                                "Download an uploaded file (audited)", "uploads",
                                [&p](Request& req) {
                                  auto u = visibleUpload(p, req);
                                  if (!u) return http::problem(u.error());
                                  return uploadContent(*p.uploads, *u, auditBy(req));
                                }));
}

}  // namespace cst::api
