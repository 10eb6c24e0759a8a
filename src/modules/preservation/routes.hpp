#pragma once
// HTTP routes and permissions of the preservation service (docs/preservation.md).
#include "auth/policy.hpp"

namespace cst {
class Platform;
}

namespace cst::preservation {

class Service;

namespace action {
inline constexpr const char* kRead = "preservation.read";      // receipts, AIPs, their content
inline constexpr const char* kSubmit = "preservation.submit";  // offer SIPs
}  // namespace action

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);

}  // namespace cst::preservation
