#pragma once
// The route table: every endpoint of the platform is registered here, explicitly, by the module
// that owns it (no static self-registration). The same table drives dispatch, per-route body
// limits, metrics labels and the OpenAPI document, so none of them can drift from the others.
#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace cst::http {

using Handler = std::function<Response(Request&)>;

enum class BodyKind {
  kNone,    // no body expected; one is refused with 413 above the small default
  kJson,    // read into memory up to the JSON limit
  kUpload,  // streamed to a temporary file up to the upload limit
};

enum class Access {
  kPublic,         // no login needed (health, login itself, public pages)
  kAuthenticated,  // a session or bearer token is required; permissions checked by the handler
};

struct Route {
  Method method = Method::kGet;
  std::string pattern;  // "/api/v1/enti/{istat}"
  std::string summary;  // one line for the OpenAPI document
  std::string tag;      // module name, groups the OpenAPI document
  BodyKind body = BodyKind::kNone;
  Access access = Access::kAuthenticated;
  bool on_io_thread = false;  // only for trivial handlers (health): no I/O, no locks
  Json request_schema;        // optional JSON Schema of the body, for the OpenAPI document
  Handler handler;

  // Builders: GET/DELETE take no body, POST/PUT/PATCH a JSON body; all need a login unless
  // publicAccess() says otherwise.
  static Route get(std::string pattern, std::string summary, std::string tag, Handler h);
  static Route post(std::string pattern, std::string summary, std::string tag, Handler h);
  static Route put(std::string pattern, std::string summary, std::string tag, Handler h);
  static Route patch(std::string pattern, std::string summary, std::string tag, Handler h);
  static Route del(std::string pattern, std::string summary, std::string tag, Handler h);
  Route publicAccess() && {
    access = Access::kPublic;
    return std::move(*this);
  }
  Route ioThread() && {
    on_io_thread = true;
    return std::move(*this);
  }
  Route noBody() && {
    body = BodyKind::kNone;
    return std::move(*this);
  }
  Route uploadBody() && {
    body = BodyKind::kUpload;
    return std::move(*this);
  }
  Route schema(Json s) && {
    request_schema = std::move(s);
    return std::move(*this);
  }
};

class Router {
 public:
  void add(Route route);
  // Finds the route for method+path and fills `params`; sets `path_known` when some route has
  // this path with another method (405 rather than 404).
  const Route* match(Method method, const std::string& path,
                     std::map<std::string, std::string>& params, bool& path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" marks a parameter
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

std::vector<std::string> splitPath(const std::string& path);

}  // namespace cst::http
