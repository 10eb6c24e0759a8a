#pragma once
// HTTP <-> service for the payments module.
#include "auth/policy.hpp"
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
}  // namespace action

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);
// /api/v1/payments/positions (routes_positions.cpp).
void addPositionRoutes(Platform& p, Service& service);

}  // namespace cst::payments
