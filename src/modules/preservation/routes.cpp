// HTTP <-> service for preservation. Another ente's receipt or AIP answers 404, a role without the
// action 403.
#include "routes.hpp"

#include <fstream>

#include "api/route_kit.hpp"
#include "mail/form_data.hpp"
#include "platform/platform.hpp"
#include "service.hpp"

namespace cst::preservation {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "preservation";
const std::string kBase = "/api/v1/preservation";

struct RemoveParts {
  std::vector<mail::FormPart>* parts;
  ~RemoveParts() {
    std::error_code ec;
    for (const mail::FormPart& p : *parts) std::filesystem::remove(p.file, ec);
  }
};

// The SIP of a multipart request: one "metadata" part (the JSON envelope), every part with a file
// name a document. The ente's permission is checked before anything is scanned or kept.
Result<Sip> sipOf(const Platform& p, const Request& req, std::vector<mail::FormPart>& parts) {
  Sip sip;
  int metadata_parts = 0;
  for (const mail::FormPart& part : parts) {
    if (part.name == "metadata" && part.filename.empty()) {
      ++metadata_parts;
      std::ifstream in(part.file, std::ios::binary);
      sip.envelope = Json::parse(in, nullptr, false);
      if (sip.envelope.is_discarded() || !sip.envelope.is_object())
        return tl::unexpected(Error::badInput("metadata", "deve essere un oggetto JSON"));
    } else if (!part.filename.empty()) {
      sip.files.push_back({part.filename, part.content_type, part.file, part.sha256,
                           static_cast<std::int64_t>(part.size)});
    }
  }
  if (metadata_parts != 1)
    return tl::unexpected(
        Error::badInput("metadata", "serve una parte \"metadata\" con il JSON del versamento"));
  if (!sip.envelope.contains("ente") || !sip.envelope["ente"].is_string())
    return tl::unexpected(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
  if (auto s = api::requireActionOn(p.policy, req, action::kSubmit,
                                    sip.envelope["ente"].get<std::string>(), "ente");
      !s)
    return tl::unexpected(s.error());
  return sip;
}

// 422 problem+json naming every problem, with the (signed) receipt of the rejection.
http::Response rejected(const Receipt& r) {
  Error e = Error::make(ErrorCode::kRuleViolated,
                        "versamento rifiutato: " + std::to_string(r.problems.size()) +
                            (r.problems.size() == 1 ? " problema" : " problemi"));
  for (const MetadataProblem& p : r.problems) e.fields.push_back({p.field, p.message});
  http::Response res = http::problem(e);
  Json body = Json::parse(res.body);
  body["receipt"] = toJson(r);
  res.body = body.dump();
  return res;
}

}  // namespace

Result<std::string> enteQuery(const Platform& p, const http::Request& req, const char* action) {
  auto ente = req.queryParam("ente");
  if (!ente) return tl::unexpected(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
  if (auto s = api::requireActionOn(p.policy, req, action, *ente, "ente"); !s)
    return tl::unexpected(s.error());
  return *ente;
}

Result<std::string> bodyText(const http::Json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::string();
  if (!body[name].is_string()) return tl::unexpected(Error::badInput(name, "deve essere un testo"));
  return body[name].get<std::string>();
}

void addPolicy(auth::Policy& policy) {
  using auth::Role;
  // The ente's own offices offer and read their packages; the CST's administrators run the
  // service; the auditor reads.
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin, Role::kEnteOperator, Role::kAuditor})
    policy.add(action::kRead, r);
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin, Role::kEnteOperator})
    policy.add(action::kSubmit, r);
  // Audits on demand: the CST (any ente, or the whole archive) and an ente's referent (its own).
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin}) policy.add(action::kAudit, r);
  // Scarto (reference §1.7): the CST, as responsabile del servizio, or the ente proposes the list
  // and keeps the retention table; the ente (its responsabile della gestione documentale)
  // approves; the CST records the Soprintendenza's authorisation and destroys.
  for (Role r : {Role::kCstAdmin, Role::kEnteAdmin}) {
    policy.add(action::kRetention, r);
    policy.add(action::kDisposalPropose, r);
  }
  policy.add(action::kDisposalApprove, Role::kEnteAdmin);
  policy.add(action::kDisposalExecute, Role::kCstAdmin);
}

void addRoutes(Platform& p, Service& service) {
  auto scopeOf = [&p](const Request& req) { return p.policy.scope(*req.principal, action::kRead); };
  // One receipt or AIP: 403 for a role that reads none anywhere, then 404 outside its enti.
  const auto readable = [&p](const Request& req) {
    return api::requireAny(p.policy, req, action::kRead);
  };
  p.router.add(
      http::Route::post(
          kBase + "/sips",
          "Offer a SIP (multipart/form-data: a \"metadata\" part with the JSON envelope and "
          "Allegato 5 metadata, and the documents as file parts). 201 with the receipt and the "
          "AIP id; 422 naming every problem, with the receipt of the rejection.",
          kTag,
          [&p, &service](Request& req) {
            auto parts = mail::splitFormData(req.body_file, req.header("content-type").value_or(""),
                                             service.copies().tempDir());
            if (!parts) return http::problem(parts.error());
            RemoveParts cleanup{&*parts};
            auto sip = sipOf(p, req, *parts);
            if (!sip) return http::problem(sip.error());
            auto r = service.ingest(std::move(*sip), api::auditBy(req));
            if (!r) return http::problem(r.error());
            return r->accepted ? http::json(201, toJson(*r)) : rejected(*r);
          })
          .uploadBody());
  p.router.add(http::Route::get(
      kBase + "/sips",
      "The ente's receipts, accepted and rejected, newest first "
      "(?ente=&limit=&cursor=): {\"items\", \"next_cursor\"}",
      kTag, [&p, &service](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        std::optional<PageCursor> cursor;
        if (auto c = req.queryParam("cursor")) {
          auto parsed = parseCursor(*c);
          if (!parsed) return http::problem(parsed.error());
          cursor = *parsed;
        }
        auto page = service.receipts(*ente, *limit, cursor);
        if (!page) return http::problem(page.error());
        return http::json(
            200, api::pageJson(page->items,
                               page->next ? std::optional(formatCursor(*page->next)) : std::nullopt,
                               [](const Receipt& r) { return toJson(r); }));
      }));
  p.router.add(http::Route::get(kBase + "/sips/{id}", "One receipt (rapporto di versamento)", kTag,
                                [&service, scopeOf, readable](Request& req) {
                                  if (auto s = readable(req); !s) return http::problem(s.error());
                                  return api::respond(
                                      service.receipt(req.param("id"), scopeOf(req)),
                                      [](const Receipt& r) { return toJson(r); });
                                }));
  p.router.add(http::Route::get(
      kBase + "/sips/{id}/receipt.xml", "The receipt as the signed XML document", kTag,
      [&service, scopeOf, readable](Request& req) {
        if (auto s = readable(req); !s) return http::problem(s.error());
        auto doc = service.receiptDocument(req.param("id"), scopeOf(req));
        if (!doc) return http::problem(doc.error());
        return api::attachment(*doc, "rapporto-di-versamento-" + req.param("id") + ".xml",
                               "application/xml");
      }));
  p.router.add(http::Route::get(
      kBase + "/aips",
      "The ente's AIPs, newest first, found by their metadata (?ente=&q=&classe=&tipo=&dal=&al="
      "&meta.<path>=<value>&limit=&cursor=): {\"items\", \"next_cursor\"}",
      kTag, [&p, &service](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        auto limit = api::limitParam(req);
        if (!limit) return http::problem(limit.error());
        auto query = parseAipQuery(req.query);
        if (!query) return http::problem(query.error());
        query->ente = *ente;
        query->limit = *limit;
        return api::respond(service.searchAips(*query),
                            [](const AipPage& page) { return toJson(page); });
      }));
  p.router.add(http::Route::get(
      kBase + "/aips/{id}/files/{position}",
      "One file of the AIP (0-based position in its files) from the first intact copy (audited)",
      kTag, [&service, scopeOf, readable](Request& req) {
        if (auto s = readable(req); !s) return http::problem(s.error());
        const std::string& position = req.param("position");
        // Not a position of any package: as absent as one beyond the last file.
        if (position.empty() || position.size() > 6 ||
            position.find_first_not_of("0123456789") != std::string::npos) {
          Error e = Error::badInput("position", "posizione del file non valida: " + position);
          e.code = ErrorCode::kNotFound;
          return http::problem(e);
        }
        auto f =
            service.file(req.param("id"), std::stoul(position), scopeOf(req), api::auditBy(req));
        if (!f) return http::problem(f.error());
        const std::string& path = f->first.path;
        http::Response r =
            api::download(f->second, path.substr(path.rfind('/') + 1),
                          f->first.mime.empty() ? "application/octet-stream" : f->first.mime);
        r.header("Cache-Control", "no-store");  // a Comune's document: never in a shared cache
        return r;
      }));
  p.router.add(http::Route::get(
      kBase + "/summary",
      "Volumes and ingest outcomes per ente the caller reads (?ente=), with totals and copies",
      kTag, [&p, &service, scopeOf, readable](Request& req) {
        if (auto s = readable(req); !s) return http::problem(s.error());
        const auto ente = req.queryParam("ente");
        if (ente)
          if (auto s = api::requireActionOn(p.policy, req, action::kRead, *ente, "ente"); !s)
            return http::problem(s.error());
        return api::respond(service.summary(scopeOf(req), ente),
                            [](const VolumesSummary& s) { return toJson(s); });
      }));
  p.router.add(http::Route::get(
      kBase + "/aips/{id}/dip",
      "The AIP's DIP: a zip with its documents, metadata, SInCRO index, signature, time-stamp "
      "and the certificates to verify them (audited)",
      kTag, [&service, scopeOf, readable](Request& req) {
        if (auto s = readable(req); !s) return http::problem(s.error());
        auto zip = service.dip(req.param("id"), scopeOf(req), api::auditBy(req));
        if (!zip) return http::problem(zip.error());
        return api::temporaryDownload(*zip, "dip-" + req.param("id") + ".zip", "application/zip");
      }));
  p.router.add(http::Route::get(kBase + "/aips/{id}", "One AIP with its files and their hashes",
                                kTag, [&service, scopeOf, readable](Request& req) {
                                  if (auto s = readable(req); !s) return http::problem(s.error());
                                  return api::respond(service.aip(req.param("id"), scopeOf(req)),
                                                      [](const Aip& a) { return toJson(a); });
                                }));
}

}  // namespace cst::preservation
