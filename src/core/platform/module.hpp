#pragma once
// What a domain module gives the platform. src/app/main.cpp lists every module explicitly, in one
// place (no static self-registration); the platform applies their migrations and policy rules
// and calls connect (published interfaces) when it opens, then install (routes, job kinds) for
// `cst serve`, and seedDemo for `cst serve --demo`.
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
  // Publishes the module's interfaces (platform.interfaces) and core hooks (the uploads'
  // quarantine), when the platform opens: for `cst serve` and for every CLI verb alike, so that a
  // file refused by `cst helpdesk mail-in` is quarantined exactly as one refused by the server.
  std::function<void(Platform&)> connect;
  // Routes, job kinds and recurring jobs: `cst serve` only, after every module's connect.
  std::function<void(Platform&)> install;
  std::function<Status(Platform&)> seedDemo;
};

}  // namespace cst
