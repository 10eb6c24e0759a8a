#pragma once
// HTTP <-> service for the payments module.
#include "auth/policy.hpp"
#include "http/message.hpp"
#include "service.hpp"

namespace cst {
class Platform;
}

namespace cst::payments {

namespace action {
inline constexpr const char* kCreditorRead = "payments.creditor.read";
inline constexpr const char* kCreditorManage = "payments.creditor.manage";
inline constexpr const char* kPositionRead = "payments.position.read";
inline constexpr const char* kPositionManage = "payments.position.manage";
// The CST's own registration with pagoPA (intermediary and station): its administrators only.
inline constexpr const char* kBrokerManage = "payments.broker.manage";
}  // namespace action

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);
// /api/v1/payments/positions (routes_positions.cpp).
void addPositionRoutes(Platform& p, Service& service);
// /api/v1/payments/imports: tax-roll imports from CSV and their reports (routes_imports.cpp).
void addImportRoutes(Platform& p, Service& service);
// The notice PDFs: /api/v1/payments/positions/{id}/notice.pdf, /api/v1/payments/notices.pdf
// (routes_notices.cpp).
void addNoticeRoutes(Platform& p, Service& service);

// The creditor-side SOAP interface POST /pagopa/paForNode, the intermediary's registration and
// the receipts (routes_node.cpp).
void addNodeRoutes(Platform& p, Service& service);
// /api/v1/payments/reconciliation: the reconciliation files (FdR), their reports and anomalies,
// the accounting export (routes_fdr.cpp).
void addReconciliationRoutes(Platform& p, Service& service);
// The citizen's lookup without login, /api/v1/payments/public/notices/{nav} (routes_citizen.cpp).
void addCitizenRoutes(Platform& p, Service& service);

// Shared by the position and notice routes (routes_positions.cpp).
// The enti the caller may act on for `act`; 401/403 when none at all.
Result<auth::EnteScope> scopeFor(const Platform& p, const http::Request& req, const char* act);
// The ?ente= of a list, checked (an ISTAT code) and within `scope`: nullopt when absent,
// kBadInput naming `ente`, kNotFound for an ente outside the scope (never revealing it).
Result<std::optional<std::string>> enteParam(const http::Request& req,
                                             const auth::EnteScope& scope);
// The filters of the positions list (ente, status, debtor_fiscal_code, notice_number, q) read
// from the query and restricted to `scope`, without paging: kBadInput naming the bad parameter,
// kNotFound for an ente outside the scope.
Result<store::PositionFilter> positionFilterOf(const http::Request& req,
                                               const auth::EnteScope& scope);

}  // namespace cst::payments
