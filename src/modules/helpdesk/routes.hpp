#pragma once
// HTTP <-> service for the service desk: the ticket routes (routes.cpp), the console's
// (routes_console.cpp), the knowledge base's (routes_knowledge.cpp), the survey's and reports'
// (routes_reports.cpp) and the configuration's (routes_settings.cpp), with the few helpers they
// share.
#include "auth/policy.hpp"
#include "canned.hpp"
#include "http/router.hpp"
#include "knowledge.hpp"
#include "service.hpp"

namespace cst {
class Platform;
}

namespace cst::helpdesk {

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service, CannedAnswers& canned);
void addConsoleRoutes(Platform& p, Service& service, CannedAnswers& canned);
void addKnowledgeRoutes(Platform& p, KnowledgeBase& kb);
void addReportRoutes(Platform& p, Service& service);
void addSettingsRoutes(Platform& p, Service& service);

// What the caller may see, and who they are as an actor of the desk.
Visibility visibilityOf(const Platform& p, const http::Request& req);
Actor actorOf(const Platform& p, const http::Request& req);
// The {id} of a /tickets/{id} route, once the policy lets the caller `act` somewhere (which
// tickets they see is the service's business).
Result<std::int64_t> ticketId(const Platform& p, const http::Request& req, const char* act);
http::Response detailResponse(const Result<TicketDetail>& d, int status = 200);
// A PATCH body (or a bulk change's "change"), every problem named by field.
Result<TicketChange> changeFrom(const http::Json& body);

}  // namespace cst::helpdesk
