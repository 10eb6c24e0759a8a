#include "http/openapi.hpp"

#include <algorithm>
#include <cctype>

namespace cst::http {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Json problemRef() {
  return {
      {"description", "Error (RFC 9457 problem details)"},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}
}  // namespace

Json buildOpenApi(const Router& router, const std::string& version) {
  Json paths = Json::object();
  for (const Route& r : router.routes()) {
    Json op{{"summary", r.summary},
            {"tags", Json::array({r.tag})},
            {"operationId", lower(methodName(r.method)) + r.pattern}};
    Json params = Json::array();
    for (const std::string& seg : splitPath(r.pattern))
      if (seg.size() > 2 && seg.front() == '{')
        params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = params;
    if (r.body == BodyKind::kJson)
      op["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/json",
                              {{"schema", r.request_schema.is_null() ? Json{{"type", "object"}}
                                                                     : r.request_schema}}}}}};
    if (r.body == BodyKind::kUpload)
      op["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/octet-stream",
                              {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    if (r.access == Access::kAuthenticated)
      op["security"] = Json::array({{{"bearer", Json::array()}}, {{"cookie", Json::array()}}});
    op["responses"] = {{"200", {{"description", "Success"}}}, {"default", problemRef()}};
    paths[r.pattern][lower(methodName(r.method))] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "CST – Centro Servizi Territoriale API"},
            {"version", version},
            {"license",
             {{"name", "EUPL-1.2"},
              {"url", "https://interoperable-europe.ec.europa.eu/collection/eupl"}}}}},
          {"servers", Json::array({{{"url", "/"}}})},
          {"paths", paths},
          {"components",
           {{"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
              {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "cst_session"}}}}},
            {"schemas",
             {{"Problem",
               {{"type", "object"},
                {"properties",
                 {{"type", {{"type", "string"}}},
                  {"title", {{"type", "string"}}},
                  {"status", {{"type", "integer"}}},
                  {"detail", {{"type", "string"}}},
                  {"errors",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"field", {{"type", "string"}}},
                        {"message", {{"type", "string"}}}}}}}}}}}}}}}}}};
}

}  // namespace cst::http
