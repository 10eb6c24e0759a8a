#pragma once
// Small helpers every route file uses (core and modules): permission checks through the policy
// table, paging parameters, audit context, and Result -> Response.
#include <optional>
#include <string>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "auth/principal.hpp"
#include "http/message.hpp"
#include "uploads/uploads.hpp"

namespace cst::api {

// 404 rather than 403 when the ente is not visible: never reveal another ente's objects.
Status requireOnEnte(const auth::Policy& policy, const http::Request& req,
                     const std::string& action, const std::string& istat);
// 403 when no grant of the caller allows the action anywhere.
Status requireAny(const auth::Policy& policy, const http::Request& req, const std::string& action);
// The three checks of a request about one ente named by the caller (path or query): `istat` well
// formed (400 naming `field`), then 403 when the role may not do `action` anywhere, then 404 when
// not on this ente.
Status requireActionOn(const auth::Policy& policy, const http::Request& req,
                       const std::string& action, const std::string& istat,
                       const std::string& field);

// ?limit= (1..200, default 50).
Result<int> limitParam(const http::Request& req);
// A numeric path parameter (ids), or kBadInput naming it.
Result<std::int64_t> numericParam(const http::Request& req, const std::string& name);
// ?name= as a positive integer (a filter by id); nullopt when absent, kBadInput naming it.
Result<std::optional<std::int64_t>> numericQuery(const http::Request& req, const std::string& name);
// ?cursor= of lists paged by a numeric key; nullopt when absent.
Result<std::optional<std::int64_t>> numericCursor(const http::Request& req);
// {"items": [...], "next_cursor": "..."|null}: the list shape of every endpoint.
template <class Items, class ToJson, class Cursor>
http::Json pageJson(const Items& items, const std::optional<Cursor>& next, ToJson to_json) {
  http::Json out = http::Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  http::Json cursor;
  if constexpr (std::is_integral_v<Cursor>) {
    if (next) cursor = std::to_string(*next);
  } else {
    if (next) cursor = *next;
  }
  return {{"items", out}, {"next_cursor", cursor}};
}

// The response of a list paged by numeric id, newest first: the items, and as next cursor the
// last item's id when the page is full (`limit` items).
template <class Items, class ToJson>
http::Response idPage(const Result<Items>& items, int limit, ToJson to_json) {
  if (!items) return http::problem(items.error());
  std::optional<std::int64_t> next;
  if (static_cast<int>(items->size()) == limit && !items->empty()) next = items->back().id;
  return http::json(200, pageJson(*items, next, to_json));
}

// A required 6- or 3-digit ISTAT code in a query or path value.
Status checkIstat(const std::string& value, const std::string& field);

audit::Entry auditBy(const http::Request& req);

// A file as a download (Content-Disposition: attachment, nosniff), streamed from disk.
http::Response download(const std::filesystem::path& file, const std::string& filename,
                        const std::string& content_type);
// A file made for this request (a DIP) as a download, streamed and then removed; no-store.
http::Response temporaryDownload(const std::filesystem::path& file, const std::string& filename,
                                 const std::string& content_type);
// A document made for this request (a PDF, a receipt, a CSV) as a download: attachment,
// nosniff, and no-store (it holds personal data: never kept by a shared cache).
http::Response attachment(std::string body, const std::string& filename,
                          const std::string& content_type);
// The content of an upload as a download (streamed from the blob store), the read audited. The
// caller has checked that the reader may see it.
http::Response uploadContent(uploads::Uploads& uploads, const uploads::Upload& u,
                             const audit::Entry& who);

template <class T, class ToJson>
http::Response respond(const Result<T>& r, ToJson to_json, int status = 200) {
  if (!r) return http::problem(r.error());
  return http::json(status, to_json(*r));
}

inline http::Response respondStatus(const Status& s) {
  if (!s) return http::problem(s.error());
  return http::noContent();
}

}  // namespace cst::api
