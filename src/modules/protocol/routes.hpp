#pragma once
// HTTP <-> service for the protocol module, and its rows of the policy table.
#include "auth/policy.hpp"
#include "service.hpp"

namespace cst {
class Platform;
}

namespace cst::protocol {

namespace action {
inline constexpr const char* kRead = "protocol.read";            // registrations, registers
inline constexpr const char* kRegister = "protocol.register";    // register documents
inline constexpr const char* kAnnul = "protocol.annul";          // authorise and record annulments
inline constexpr const char* kConfigure = "protocol.configure";  // AOO, titolario, fascicoli
}  // namespace action

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);

}  // namespace cst::protocol
