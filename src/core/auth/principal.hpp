#pragma once
// Who is making a request: the user, their grants (role x ente) and how they authenticated.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cst::auth {

// The fixed role names of DESIGN.md §1.
enum class Role {
  kCstAdmin,
  kCstAgent,
  kCommittee,
  kEnteAdmin,
  kEnteOperator,
  kPolice,
  kProfessional,
  kCitizen,
  kAuditor,
  kAgent,
};

std::string_view roleName(Role r);
std::optional<Role> parseRole(std::string_view name);
const std::vector<Role>& allRoles();
// CST-wide roles are granted on every ente; the others on one ente each.
bool isCstWide(Role r);
// Staff roles must use a second factor (TOTP) when configured so.
bool isStaff(Role r);

struct Grant {
  Role role;
  std::optional<std::string> ente;  // ISTAT code; nullopt = every ente
};

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> fiscal_code;  // the account's, when it has one (User::fiscal_code)
  std::vector<Grant> grants;
  bool api_token = false;  // authenticated by a machine token rather than a session
  std::string csrf_token;  // of the session (cookie auth only)
  bool totp_enabled = false;
};

}  // namespace cst::auth
