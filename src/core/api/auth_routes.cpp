#include "api/core_routes.hpp"
#include "api/route_kit.hpp"
#include "auth/totp.hpp"
#include "common/crypto.hpp"
#include "platform/platform.hpp"

namespace cst::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr const char* kSessionCookie = "cst_session";
constexpr const char* kCsrfCookie = "cst_csrf";

std::optional<std::string> bearerToken(const Request& req) {
  auto h = req.header("authorization");
  if (!h || h->rfind("Bearer ", 0) != 0) return std::nullopt;
  return h->substr(7);
}

std::string cookie(const std::string& name, const std::string& value, bool http_only, bool secure,
                   int max_age_seconds) {
  std::string c =
      name + "=" + value + "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
  if (http_only) c += "; HttpOnly";
  if (secure) c += "; Secure";
  return c;
}

Json userJson(const auth::User& u) { return auth::toJson(u); }

bool isWrite(http::Method m) {
  return m == http::Method::kPost || m == http::Method::kPut || m == http::Method::kPatch ||
         m == http::Method::kDelete;
}

}  // namespace

http::Middleware authenticationMiddleware(Platform& p) {
  return [&p](Request& req, const http::Route& route) -> std::optional<Response> {
    const auto bearer = bearerToken(req);
    const auto session = req.cookie(kSessionCookie);
    const std::optional<std::string> token = bearer ? bearer : session;
    if (!token) {
      if (route.access == http::Access::kPublic) return std::nullopt;
      return http::problem(Error::make(ErrorCode::kUnauthenticated, "accesso richiesto"));
    }
    auto principal = p.identity->authenticate(*token);
    if (!principal) {
      if (route.access == http::Access::kPublic) return std::nullopt;
      return http::problem(principal.error());
    }
    // Double-submit CSRF check for writes authenticated by the cookie (bearer tokens are never
    // sent by the browser on its own, so they need none).
    if (!bearer && isWrite(req.method) && route.pattern != "/api/v1/auth/login") {
      auto sent = req.header("x-csrf-token");
      if (!sent || !constantTimeEquals(*sent, principal->csrf_token))
        return http::problem(
            Error::make(ErrorCode::kForbidden, "token CSRF mancante o non valido"));
    }
    if (route.access == http::Access::kAuthenticated &&
        p.identity->needsTotpEnrollment(*principal) &&
        route.pattern.rfind("/api/v1/auth/", 0) != 0) {
      Error e = Error::make(ErrorCode::kForbidden,
                            "attivare il secondo fattore (OTP) prima di continuare");
      e.type = "totp-enrollment-required";
      return http::problem(e);
    }
    req.principal = std::make_shared<const auth::Principal>(std::move(*principal));
    return std::nullopt;
  };
}

void addAuthRoutes(Platform& p) {
  p.router.add(
      http::Route::post(
          "/api/v1/auth/login", "Log in with username and password (and OTP)", "auth",
          [&p](Request& req) {
            auto body = http::parseJsonObject(req);
            if (!body) return http::problem(body.error());
            Error errors = Error::make(ErrorCode::kBadInput, "username e password obbligatori");
            for (const char* f : {"username", "password"})
              if (!body->contains(f) || !(*body)[f].is_string() ||
                  (*body)[f].get<std::string>().empty())
                errors.fields.push_back({f, "campo obbligatorio"});
            if (body->contains("totp") && !(*body)["totp"].is_string())
              errors.fields.push_back({"totp", "deve essere una stringa"});
            if (!errors.fields.empty()) return http::problem(errors);
            std::optional<std::string> totp;
            if (body->contains("totp")) totp = (*body)["totp"].get<std::string>();
            auto r = p.identity->login((*body)["username"], (*body)["password"], totp,
                                       req.remote_address, req.request_id);
            if (!r) return http::problem(r.error());
            const int ttl = p.config.session_ttl_minutes * 60;
            Response resp =
                http::json(200, {{"token", r->token},
                                 {"csrf_token", r->csrf_token},
                                 {"totp_enrollment_required", r->totp_enrollment_required},
                                 {"user", userJson(r->user)}});
            resp.header("Set-Cookie", cookie(kSessionCookie, r->token, true, req.secure, ttl));
            resp.header("Set-Cookie", cookie(kCsrfCookie, r->csrf_token, false, req.secure, ttl));
            resp.header("Cache-Control", "no-store");
            return resp;
          })
          .publicAccess()
          .schema(Json{{"type", "object"},
                       {"required", {"username", "password"}},
                       {"properties",
                        {{"username", {{"type", "string"}}},
                         {"password", {{"type", "string"}}},
                         {"totp", {{"type", "string"}}}}}}));

  p.router.add(http::Route::post(
                   "/api/v1/auth/logout", "End the current session", "auth",
                   [&p](Request& req) {
                     const auto token =
                         bearerToken(req) ? bearerToken(req) : req.cookie(kSessionCookie);
                     if (auto s = p.identity->logout(*token, *req.principal, req.request_id); !s)
                       return http::problem(s.error());
                     Response resp = http::noContent();
                     resp.header("Set-Cookie", cookie(kSessionCookie, "", true, req.secure, 0));
                     resp.header("Set-Cookie", cookie(kCsrfCookie, "", false, req.secure, 0));
                     return resp;
                   })
                   .noBody());

  p.router.add(
      http::Route::get("/api/v1/auth/me", "The logged-in user", "auth", [&p](Request& req) {
        auto u = p.identity->getUser(req.principal->user_id, *req.principal);
        if (!u) return http::problem(u.error());
        Json body = userJson(*u);
        body["totp_enrollment_required"] = p.identity->needsTotpEnrollment(*req.principal);
        return http::json(200, body);
      }));

  p.router.add(
      http::Route::post("/api/v1/auth/totp/setup", "Start TOTP enrolment: a new secret", "auth",
                        [](Request& req) {
                          const std::string secret = auth::newTotpSecret();
                          return http::json(
                              200, {{"secret", secret},
                                    {"uri", auth::totpUri(secret, req.principal->username)}});
                        })
          .noBody());

  p.router.add(
      http::Route::post("/api/v1/auth/totp/confirm", "Confirm TOTP enrolment with a code", "auth",
                        [&p](Request& req) {
                          auto body = http::parseJsonObject(req);
                          if (!body) return http::problem(body.error());
                          for (const char* f : {"secret", "code"})
                            if (!body->contains(f) || !(*body)[f].is_string())
                              return http::problem(Error::badInput(f, "campo obbligatorio"));
                          return respondStatus(p.identity->enableTotp(
                              *req.principal, (*body)["secret"], (*body)["code"], req.request_id));
                        })
          .schema(Json{
              {"type", "object"},
              {"required", {"secret", "code"}},
              {"properties", {{"secret", {{"type", "string"}}}, {"code", {{"type", "string"}}}}}}));

  p.router.add(
      http::Route::post("/api/v1/tokens", "Create an API token for a machine or user", "auth",
                        [&p](Request& req) {
                          auto body = http::parseJsonObject(req);
                          if (!body) return http::problem(body.error());
                          if (!body->contains("name") || !(*body)["name"].is_string())
                            return http::problem(Error::badInput("name", "campo obbligatorio"));
                          std::int64_t user_id = req.principal->user_id;
                          if (body->contains("user_id")) {
                            if (!(*body)["user_id"].is_number_integer())
                              return http::problem(Error::badInput("user_id", "numero intero"));
                            user_id = (*body)["user_id"];
                            if (auto s = requireAny(p.policy, req, auth::action::kTokensManage);
                                !s && user_id != req.principal->user_id)
                              return http::problem(s.error());
                          }
                          auto token = p.identity->createApiToken(user_id, (*body)["name"],
                                                                  *req.principal, auditBy(req));
                          return respond(
                              token,
                              [](const std::string& t) {
                                return Json{{"token", t}};
                              },
                              201);
                        })
          .schema(Json{{"type", "object"},
                       {"required", {"name"}},
                       {"properties",
                        {{"name", {{"type", "string"}}}, {"user_id", {{"type", "integer"}}}}}}));
}

}  // namespace cst::api
