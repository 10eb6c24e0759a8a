#include "auth/principal.hpp"

#include <array>

namespace cst::auth {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 10> kRoles{{
    {Role::kCstAdmin, "cst_admin"},
    {Role::kCstAgent, "cst_agent"},
    {Role::kCommittee, "committee"},
    {Role::kEnteAdmin, "ente_admin"},
    {Role::kEnteOperator, "ente_operator"},
    {Role::kPolice, "police"},
    {Role::kProfessional, "professional"},
    {Role::kCitizen, "citizen"},
    {Role::kAuditor, "auditor"},
    {Role::kAgent, "agent"},
}};
}  // namespace

std::string_view roleName(Role r) {
  for (auto [role, name] : kRoles)
    if (role == r) return name;
  return "";
}

std::optional<Role> parseRole(std::string_view name) {
  for (auto [role, n] : kRoles)
    if (n == name) return role;
  return std::nullopt;
}

const std::vector<Role>& allRoles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> out;
    for (auto [role, name] : kRoles) out.push_back(role);
    return out;
  }();
  return roles;
}

bool isCstWide(Role r) {
  return r == Role::kCstAdmin || r == Role::kCstAgent || r == Role::kCommittee ||
         r == Role::kAuditor;
}

bool isStaff(Role r) {
  return r == Role::kCstAdmin || r == Role::kCstAgent || r == Role::kEnteAdmin ||
         r == Role::kAuditor;
}

}  // namespace cst::auth
