#include "http/router.hpp"

#include <stdexcept>

namespace cst::http {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {
Route make(Method m, BodyKind body, std::string pattern, std::string summary, std::string tag,
           Handler h) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.summary = std::move(summary);
  r.tag = std::move(tag);
  r.body = body;
  r.handler = std::move(h);
  return r;
}
}  // namespace

Route Route::get(std::string pattern, std::string summary, std::string tag, Handler h) {
  return make(Method::kGet, BodyKind::kNone, std::move(pattern), std::move(summary), std::move(tag),
              std::move(h));
}
Route Route::post(std::string pattern, std::string summary, std::string tag, Handler h) {
  return make(Method::kPost, BodyKind::kJson, std::move(pattern), std::move(summary),
              std::move(tag), std::move(h));
}
Route Route::put(std::string pattern, std::string summary, std::string tag, Handler h) {
  return make(Method::kPut, BodyKind::kJson, std::move(pattern), std::move(summary), std::move(tag),
              std::move(h));
}
Route Route::patch(std::string pattern, std::string summary, std::string tag, Handler h) {
  return make(Method::kPatch, BodyKind::kJson, std::move(pattern), std::move(summary),
              std::move(tag), std::move(h));
}
Route Route::del(std::string pattern, std::string summary, std::string tag, Handler h) {
  return make(Method::kDelete, BodyKind::kNone, std::move(pattern), std::move(summary),
              std::move(tag), std::move(h));
}

void Router::add(Route route) {
  Compiled c{splitPath(route.pattern)};
  for (std::size_t i = 0; i < routes_.size(); ++i)
    if (routes_[i].method == route.method && routes_[i].pattern == route.pattern)
      throw std::logic_error("route registered twice: " + route.pattern);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

const Route* Router::match(Method method, const std::string& path,
                           std::map<std::string, std::string>& params, bool& path_known) const {
  const std::vector<std::string> parts = splitPath(path);
  path_known = false;
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string> best_params;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const auto& segs = compiled_[r].segments;
    if (segs.size() != parts.size()) continue;
    std::map<std::string, std::string> found;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      if (segs[i].size() > 2 && segs[i].front() == '{' && segs[i].back() == '}') {
        found[segs[i].substr(1, segs[i].size() - 2)] = parts[i];
      } else if (segs[i] == parts[i]) {
        ++literals;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    path_known = true;
    const bool method_ok = routes_[r].method == method ||
                           (method == Method::kHead && routes_[r].method == Method::kGet);
    // The most specific pattern wins: "/users/me" before "/users/{id}".
    if (method_ok && literals > best_literals) {
      best = &routes_[r];
      best_literals = literals;
      best_params = std::move(found);
    }
  }
  if (best) params = std::move(best_params);
  return best;
}

}  // namespace cst::http
