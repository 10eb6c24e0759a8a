#include "auth/policy.hpp"

namespace cst::auth {

Policy::Policy() {
  using R = Role;
  for (R r : allRoles()) {
    if (r == R::kAgent) continue;
    add(action::kEntiRead, r);
  }
  add(action::kEntiManage, R::kCstAdmin);
  for (R r : {R::kCstAdmin, R::kEnteAdmin, R::kAuditor}) add(action::kUsersRead, r);
  for (R r : {R::kCstAdmin, R::kEnteAdmin}) add(action::kUsersManage, r);
  for (R r : {R::kCstAdmin, R::kAuditor, R::kEnteAdmin}) add(action::kAuditRead, r);
  for (R r : {R::kCstAdmin, R::kCstAgent, R::kAuditor}) add(action::kJobsRead, r);
  add(action::kJobsManage, R::kCstAdmin);
  for (R r : {R::kCstAdmin, R::kCstAgent, R::kEnteAdmin, R::kEnteOperator}) {
    add(action::kUploadsWrite, r);
    add(action::kUploadsRead, r);
  }
  for (R r : {R::kProfessional, R::kCitizen}) {
    add(action::kUploadsWrite, r, Scope::kOwn);
    add(action::kUploadsRead, r, Scope::kOwn);
  }
  add(action::kUploadsRead, R::kAuditor);
  for (R r : {R::kCstAdmin, R::kEnteAdmin}) add(action::kTokensManage, r);
}

void Policy::add(const std::string& action, Role role, Scope scope) {
  rules_[action][role] = scope;
}

EnteScope Policy::scope(const Principal& p, const std::string& action) const {
  EnteScope out;
  auto it = rules_.find(action);
  if (it == rules_.end()) return out;
  bool any_full = false;
  bool any_own = false;
  for (const Grant& g : p.grants) {
    auto rule = it->second.find(g.role);
    if (rule == it->second.end()) continue;
    if (rule->second == Scope::kOwn)
      any_own = true;
    else
      any_full = true;
    if (!g.ente)
      out.all = true;
    else
      out.enti.insert(*g.ente);
  }
  out.own_only = any_own && !any_full;
  return out;
}

bool Policy::allows(const Principal& p, const std::string& action,
                    const std::optional<std::string>& istat) const {
  EnteScope s = scope(p, action);
  if (!istat) return !s.empty();
  return s.contains(*istat);
}

std::vector<std::tuple<std::string, Role, Scope>> Policy::rules() const {
  std::vector<std::tuple<std::string, Role, Scope>> out;
  for (const auto& [action, roles] : rules_)
    for (const auto& [role, scope] : roles) out.emplace_back(action, role, scope);
  return out;
}

}  // namespace cst::auth
