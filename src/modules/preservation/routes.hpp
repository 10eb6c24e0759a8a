#pragma once
// HTTP routes and permissions of the preservation service (docs/preservation.md).
#include "auth/policy.hpp"
#include "common/result.hpp"
#include "http/message.hpp"

namespace cst {
class Platform;
}

namespace cst::preservation {

class Service;
class FixityAuditor;
class Disposals;

namespace action {
inline constexpr const char* kRead = "preservation.read";      // receipts, AIPs, their content
inline constexpr const char* kSubmit = "preservation.submit";  // offer SIPs
inline constexpr const char* kAudit = "preservation.audit";    // run fixity audits on demand
// The retention table of an ente's document classes.
inline constexpr const char* kRetention = "preservation.retention";
// Scarto: propose the list of expired packages, approve it for the ente, record the
// Soprintendenza's authorisation and carry the disposal out.
inline constexpr const char* kDisposalPropose = "preservation.disposal.propose";
inline constexpr const char* kDisposalApprove = "preservation.disposal.approve";
inline constexpr const char* kDisposalExecute = "preservation.disposal.execute";
}  // namespace action

void addPolicy(auth::Policy& policy);
// The ?ente= of a request about one ente's objects: present and well formed (400 naming it), the
// role allowed `action` somewhere (403) and on this ente (404).
Result<std::string> enteQuery(const Platform& p, const http::Request& req, const char* action);
// body[name] as text: "" when absent or null, kBadInput naming it when not a string.
Result<std::string> bodyText(const http::Json& body, const char* name);
void addRoutes(Platform& p, Service& service);
void addFixityRoutes(Platform& p, FixityAuditor& auditor);                  // fixity_routes.cpp
void addDisposalRoutes(Platform& p, Disposals& disposals);                  // disposal_routes.cpp
void addManualeRoute(Platform& p, Service& service, Disposals& disposals);  // manuale_routes.cpp

}  // namespace cst::preservation
