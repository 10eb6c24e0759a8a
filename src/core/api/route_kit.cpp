#include "api/route_kit.hpp"

#include <algorithm>
#include <regex>

namespace cst::api {

Status requireOnEnte(const auth::Policy& policy, const http::Request& req,
                     const std::string& action, const std::string& istat) {
  if (!req.principal) return fail(ErrorCode::kUnauthenticated, "accesso richiesto");
  if (!policy.allows(*req.principal, action, istat))
    return fail(ErrorCode::kNotFound, "risorsa non trovata");
  return {};
}

Status requireActionOn(const auth::Policy& policy, const http::Request& req,
                       const std::string& action, const std::string& istat,
                       const std::string& field) {
  if (auto s = checkIstat(istat, field); !s) return s;
  if (auto s = requireAny(policy, req, action); !s) return s;
  return requireOnEnte(policy, req, action, istat);
}

Status requireAny(const auth::Policy& policy, const http::Request& req, const std::string& action) {
  if (!req.principal) return fail(ErrorCode::kUnauthenticated, "accesso richiesto");
  if (!policy.allows(*req.principal, action, std::nullopt))
    return fail(ErrorCode::kForbidden, "operazione non consentita al proprio ruolo");
  return {};
}

Result<int> limitParam(const http::Request& req) {
  auto v = req.queryParam("limit");
  if (!v) return 50;
  static const std::regex kNumber(R"(\d{1,4})");
  if (!std::regex_match(*v, kNumber) || std::stoi(*v) < 1 || std::stoi(*v) > 200)
    return failField("limit", "numero intero da 1 a 200");
  return std::stoi(*v);
}

namespace {
std::optional<std::int64_t> parseId(const std::string& v) {
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(v);
}
}  // namespace

Result<std::int64_t> numericParam(const http::Request& req, const std::string& name) {
  auto id = parseId(req.param(name));
  if (!id) return failField(name, "identificativo numerico");
  return *id;
}

Result<std::optional<std::int64_t>> numericCursor(const http::Request& req) {
  auto c = req.queryParam("cursor");
  if (!c) return std::optional<std::int64_t>();
  auto id = parseId(*c);
  if (!id) return failField("cursor", "cursore non valido");
  return id;
}

Result<std::optional<std::int64_t>> numericQuery(const http::Request& req,
                                                 const std::string& name) {
  auto v = req.queryParam(name);
  if (!v) return std::optional<std::int64_t>();
  auto id = parseId(*v);
  if (!id || *id == 0) return failField(name, "numero intero positivo atteso");
  return id;
}

namespace {

http::Response attachmentHeaders(http::Response r, const std::string& filename) {
  std::string safe;
  for (char c : filename) safe += (c == '"' || c == '\\' || c < 0x20) ? '_' : c;
  r.header("Content-Disposition", "attachment; filename=\"" + safe + "\"");
  // Never rendered as the type a browser might guess (an uploaded HTML page, say).
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

http::Response download(const std::filesystem::path& file, const std::string& filename,
                        const std::string& content_type) {
  http::Response r;
  r.content_type = content_type;
  r.file = file;
  return attachmentHeaders(std::move(r), filename);
}

http::Response temporaryDownload(const std::filesystem::path& file, const std::string& filename,
                                 const std::string& content_type) {
  http::Response r = download(file, filename, content_type);
  r.remove_file = true;
  r.header("Cache-Control", "no-store");
  return r;
}

http::Response attachment(std::string body, const std::string& filename,
                          const std::string& content_type) {
  http::Response r;
  r.content_type = content_type;
  r.body = std::move(body);
  r = attachmentHeaders(std::move(r), filename);
  r.header("Cache-Control", "no-store");
  return r;
}

http::Response uploadContent(uploads::Uploads& uploads, const uploads::Upload& u,
                             const audit::Entry& who) {
  if (auto s = uploads.recordRead(u, who); !s) return http::problem(s.error());
  return download(uploads.contentPath(u), u.filename, u.content_type);
}

Status checkIstat(const std::string& value, const std::string& field) {
  const bool digits =
      std::all_of(value.begin(), value.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
  if (!digits || (value.size() != 3 && value.size() != 6))
    return failField(field, "codice ISTAT di 3 o 6 cifre");
  return {};
}

audit::Entry auditBy(const http::Request& req) {
  if (req.principal) return audit::Entry::by(*req.principal, req.request_id);
  audit::Entry e;
  e.actor = "anonymous";
  e.request_id = req.request_id;
  return e;
}

}  // namespace cst::api
