#pragma once
#include "auth/policy.hpp"
#include "service.hpp"

namespace cst {
class Platform;
}

namespace cst::helpdesk {

// Policy actions of the service desk.
namespace action {
inline constexpr const char* kRead = "helpdesk.read";          // see tickets
inline constexpr const char* kOpen = "helpdesk.open";          // open tickets, reply, attach
inline constexpr const char* kWork = "helpdesk.work";          // the desk: notes, assign, states
inline constexpr const char* kPriority = "helpdesk.priority";  // override the matrix
}  // namespace action

// What a principal may see of tickets, from the policy (the one place that decides it).
Visibility visibilityFor(const auth::Policy& policy, const auth::Principal& who);

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);

}  // namespace cst::helpdesk
