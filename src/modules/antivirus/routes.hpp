#pragma once
// HTTP <-> service for the antivirus: the quarantine, scan, engine and settings routes
// (routes.cpp) and the endpoint console's (routes_endpoints.cpp), with what they share.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/route_kit.hpp"
#include "auth/policy.hpp"
#include "http/router.hpp"
#include "service.hpp"

namespace cst {
class Platform;
}

namespace cst::antivirus {

namespace action {
inline constexpr const char* kQuarantineRead = "antivirus.quarantine.read";
inline constexpr const char* kQuarantineManage = "antivirus.quarantine.manage";
inline constexpr const char* kScan = "antivirus.scan";
inline constexpr const char* kRead = "antivirus.read";          // scans, events, endpoints
inline constexpr const char* kOverview = "antivirus.overview";  // engine, per-ente summary
inline constexpr const char* kReport = "antivirus.report";      // an endpoint's own report
inline constexpr const char* kManage = "antivirus.manage";      // retire endpoints, agent tokens
inline constexpr const char* kSettings = "antivirus.settings";
}  // namespace action

inline constexpr const char* kTag = "antivirus";

void addPolicy(auth::Policy& policy);
void addRoutes(Platform& p, Service& service);
void addEndpointRoutes(Platform& p, Service& service);

// 403 when the caller may not `act` anywhere; otherwise the enti they may act on.
Result<Visibility> visibility(const Platform& p, const http::Request& req, const char* act);
// ?ente= (checked; 404 when not visible), ?limit=, ?cursor=.
Result<ListQuery> listQuery(const http::Request& req, const Visibility& v);

// The list shape, with the next cursor when the page is full.
template <class T, class ToJson>
http::Response page(const Result<std::vector<T>>& items, const ListQuery& q, ToJson to_json) {
  if (!items) return http::problem(items.error());
  std::optional<std::int64_t> next;
  if (static_cast<int>(items->size()) == q.limit && !items->empty()) next = items->back().id;
  return http::json(200, api::pageJson(*items, next, to_json));
}

// An optional enum filter (?status=, ?verdict=): kBadInput naming it when not one of `allowed`.
template <class Parse>
auto enumQuery(const http::Request& req, const char* name, Parse parse, const char* allowed)
    -> Result<decltype(parse(std::string_view{}))> {
  using Opt = decltype(parse(std::string_view{}));
  auto v = req.queryParam(name);
  if (!v) return Opt{};
  auto parsed = parse(*v);
  if (!parsed) return failField(name, std::string("valori ammessi: ") + allowed);
  return parsed;
}

}  // namespace cst::antivirus
