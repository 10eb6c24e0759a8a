#pragma once
// The one policy table that decides every permission of the platform: role x action -> scope.
// Handlers never test roles themselves; they ask `allows` (one ente) or `scope` (lists).
// Modules add their actions with Policy::add when they are registered.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.hpp"

namespace cst::auth {

enum class Scope {
  kGrantedEnte,  // on the ente of the grant (all enti for CST-wide grants)
  kOwn,          // only objects the user owns (citizens, professionals); the module checks owner
};

// Which enti a principal may act on for an action: every ente, or the listed ones.
struct EnteScope {
  bool all = false;
  std::set<std::string> enti;
  bool own_only = false;  // the only grants are kOwn: the module must filter by owner
  bool contains(const std::string& istat) const { return all || enti.count(istat) > 0; }
  bool empty() const { return !all && enti.empty(); }
};

class Policy {
 public:
  Policy();  // the core's own rules
  void add(const std::string& action, Role role, Scope scope = Scope::kGrantedEnte);
  // May `p` perform `action` on ente `istat`? For actions that are not ente-bound (e.g. reading
  // the enti registry) pass nullopt: any grant of a permitted role suffices.
  bool allows(const Principal& p, const std::string& action,
              const std::optional<std::string>& istat) const;
  EnteScope scope(const Principal& p, const std::string& action) const;
  // Rows of the table, for documentation and the test that every route has a rule.
  std::vector<std::tuple<std::string, Role, Scope>> rules() const;

 private:
  std::map<std::string, std::map<Role, Scope>> rules_;
};

// Action names of the core.
namespace action {
inline constexpr const char* kEntiRead = "enti.read";
inline constexpr const char* kEntiManage = "enti.manage";
inline constexpr const char* kUsersRead = "users.read";
inline constexpr const char* kUsersManage = "users.manage";
inline constexpr const char* kAuditRead = "audit.read";
inline constexpr const char* kJobsRead = "jobs.read";
inline constexpr const char* kJobsManage = "jobs.manage";
inline constexpr const char* kUploadsWrite = "uploads.write";
inline constexpr const char* kUploadsRead = "uploads.read";
inline constexpr const char* kTokensManage = "tokens.manage";
}  // namespace action

}  // namespace cst::auth
