#pragma once
// Registration of the core's own endpoints, one function per area.
#include "http/server.hpp"
namespace cst {
class Platform;
}

namespace cst::api {

void addSystemRoutes(Platform& p);  // health, readiness, metrics, OpenAPI, modules
void addAuthRoutes(Platform& p);    // login, logout, me, TOTP, API tokens
void addEntiRoutes(Platform& p);
void addUserRoutes(Platform& p);
void addAuditRoutes(Platform& p);
void addJobRoutes(Platform& p);
void addUploadRoutes(Platform& p);

// Authentication for every request: session cookie or bearer token, CSRF for cookie writes,
// TOTP enrolment gate for staff.
http::Middleware authenticationMiddleware(Platform& p);

}  // namespace cst::api
