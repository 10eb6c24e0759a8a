#pragma once
// What a domain module gives the platform. src/app/main.cpp lists every module explicitly, in one
// place (no static self-registration); the platform applies their migrations and policy rules,
// then calls install (routes, job kinds, published interfaces) for `cst serve`, and seedDemo for
// `cst serve --demo`.
#include <functional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "db/migrations.hpp"

namespace cst {

class Platform;
namespace auth {
class Policy;
}

struct Module {
  std::string id;    // "payments": the service code enti subscribe
  std::string name;  // Italian name for the navigation: "Pagamenti online"
  std::string path;  // UI route: "/pagamenti"
  const std::vector<db::MigrationScript>* migrations = nullptr;
  // The module's rows of the policy table; added when the platform opens, so that CLI verbs
  // decide permissions exactly as the server does.
  std::function<void(auth::Policy&)> policy;
  std::function<void(Platform&)> install;
  std::function<Status(Platform&)> seedDemo;
};

}  // namespace cst
