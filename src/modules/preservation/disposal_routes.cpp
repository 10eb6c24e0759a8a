// HTTP <-> Disposals: the retention table and the scarto workflow (docs/preservation.md,
// "Retention and scarto"). A role without the step's action answers 403; another ente's table or
// disposal 404, exactly as one that does not exist.
#include "api/route_kit.hpp"
#include "disposal.hpp"
#include "platform/platform.hpp"
#include "routes.hpp"

namespace cst::preservation {

using http::Json;
using http::Request;

namespace {

constexpr const char* kTag = "preservation";
const std::string kBase = "/api/v1/preservation";

// The JSON object of the body; an empty body is an empty object (every field optional).
Result<Json> optionalBody(const Request& req) {
  if (req.body.empty()) return Json::object();
  return http::parseJsonObject(req);
}

Json items(const std::vector<Disposal>& list) {
  Json out = Json::array();
  for (const Disposal& d : list) out.push_back(toJson(d));
  return {{"items", out}};
}

}  // namespace

void addDisposalRoutes(Platform& p, Disposals& disposals) {
  // One step on one disposal: 403 for a role that may not take it anywhere, then 404 outside the
  // enti where it may.
  const auto step =
      [&p](const char* action,
           std::function<Result<Disposal>(const Request&, const auth::EnteScope&, const Json&)> run,
           bool body_required) {
        return [&p, action, run, body_required](Request& req) {
          if (auto s = api::requireAny(p.policy, req, action); !s) return http::problem(s.error());
          auto body = body_required ? http::parseJsonObject(req) : optionalBody(req);
          if (!body) return http::problem(body.error());
          return api::respond(run(req, p.policy.scope(*req.principal, action), *body),
                              [](const Disposal& d) { return toJson(d); });
        };
      };

  p.router.add(http::Route::get(
      kBase + "/retention",
      "The ente's retention table: {ente, rules: [{document_class, years (null: permanente), "
      "note}]} (?ente=)",
      kTag, [&p, &disposals](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        return api::respond(disposals.retention(*ente),
                            [](const RetentionTable& t) { return toJson(t); });
      }));
  p.router.add(http::Route::put(
      kBase + "/retention",
      "Replace the ente's retention table (?ente=; body {rules: [{document_class, years, "
      "note}]}); a class without a rule is kept permanently (audited)",
      kTag, [&p, &disposals](Request& req) {
        auto ente = enteQuery(p, req, action::kRetention);
        if (!ente) return http::problem(ente.error());
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto rules = parseRetentionRules(*body);
        if (!rules) return http::problem(rules.error());
        return api::respond(disposals.setRetention(*ente, std::move(*rules), api::auditBy(req)),
                            [](const RetentionTable& t) { return toJson(t); });
      }));

  p.router.add(http::Route::get(
      kBase + "/disposals/due",
      "The ente's AIPs whose retention has expired today and that are not disposed, each with "
      "the open disposal already listing it (disposal_id) or null (?ente=)",
      kTag, [&p, &disposals](Request& req) {
        auto ente = enteQuery(p, req, action::kRead);
        if (!ente) return http::problem(ente.error());
        auto due = disposals.due(*ente);
        if (!due) return http::problem(due.error());
        Json out = Json::array();
        for (const DisposalItem& i : *due) {
          Json j = toJson(i);
          j["disposal_id"] = i.in_disposal.empty() ? Json(nullptr) : Json(i.in_disposal);
          out.push_back(std::move(j));
        }
        return http::json(200, {{"ente", *ente}, {"items", out}});
      }));
  p.router.add(http::Route::get(kBase + "/disposals",
                                "The ente's disposals (scarto), newest first (?ente=&limit=)", kTag,
                                [&p, &disposals](Request& req) {
                                  auto ente = enteQuery(p, req, action::kRead);
                                  if (!ente) return http::problem(ente.error());
                                  auto limit = api::limitParam(req);
                                  if (!limit) return http::problem(limit.error());
                                  auto list = disposals.list(*ente, *limit);
                                  if (!list) return http::problem(list.error());
                                  return http::json(200, items(*list));
                                }));
  p.router.add(http::Route::post(
      kBase + "/disposals",
      "Propose a scarto ({ente, reason?}): 201 with every AIP of the ente whose retention has "
      "expired, not disposed nor in another open disposal; 422 when none is due (audited)",
      kTag, [&p, &disposals](Request& req) {
        auto body = http::parseJsonObject(req);
        if (!body) return http::problem(body.error());
        auto ente = bodyText(*body, "ente");
        if (!ente) return http::problem(ente.error());
        if (ente->empty())
          return http::problem(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
        if (auto s = api::requireActionOn(p.policy, req, action::kDisposalPropose, *ente, "ente");
            !s)
          return http::problem(s.error());
        auto reason = bodyText(*body, "reason");
        if (!reason) return http::problem(reason.error());
        return api::respond(
            disposals.propose(*ente, *reason, api::auditBy(req)),
            [](const Disposal& d) { return toJson(d); }, 201);
      }));
  p.router.add(http::Route::get(
      kBase + "/disposals/{id}",
      "One disposal: its state, approval, authorisation, execution and the AIPs it lists", kTag,
      [&p, &disposals](Request& req) {
        if (auto s = api::requireAny(p.policy, req, action::kRead); !s)
          return http::problem(s.error());
        return api::respond(
            disposals.get(req.param("id"), p.policy.scope(*req.principal, action::kRead)),
            [](const Disposal& d) { return toJson(d); });
      }));
  p.router.add(http::Route::post(
      kBase + "/disposals/{id}/approve",
      "The ente approves the proposal ({note?}): proposed → approved (audited)", kTag,
      step(
          action::kDisposalApprove,
          [&disposals](const Request& req, const auth::EnteScope& scope,
                       const Json& body) -> Result<Disposal> {
            auto note = bodyText(body, "note");
            if (!note) return tl::unexpected(note.error());
            return disposals.approve(req.param("id"), scope, *note, api::auditBy(req));
          },
          false)));
  p.router.add(http::Route::post(
      kBase + "/disposals/{id}/authorisation",
      "Record the Soprintendenza archivistica's authorisation ({authority, reference, date "
      "YYYY-MM-DD}): approved → authorised (audited)",
      kTag,
      step(
          action::kDisposalExecute,
          [&disposals](const Request& req, const auth::EnteScope& scope,
                       const Json& body) -> Result<Disposal> {
            Authorisation a;
            for (auto [name, into] :
                 {std::pair{"authority", &a.authority}, std::pair{"reference", &a.reference},
                  std::pair{"date", &a.date}}) {
              auto v = bodyText(body, name);
              if (!v) return tl::unexpected(v.error());
              *into = *v;
            }
            return disposals.authorise(req.param("id"), scope, std::move(a), api::auditBy(req));
          },
          true)));
  p.router.add(http::Route::post(
      kBase + "/disposals/{id}/execute",
      "Carry the scarto out: authorised → executed; the AIPs' content deleted from every copy "
      "(objects other live packages hold, receipts and certificates kept), their records kept "
      "(audited)",
      kTag,
      step(
          action::kDisposalExecute,
          [&disposals](const Request& req, const auth::EnteScope& scope,
                       const Json&) -> Result<Disposal> {
            return disposals.execute(req.param("id"), scope, api::auditBy(req));
          },
          false)));
  p.router.add(http::Route::post(
      kBase + "/disposals/{id}/cancel",
      "Withdraw the proposal ({reason}): proposed or approved → cancelled, its AIPs free again "
      "(audited)",
      kTag,
      step(
          action::kDisposalPropose,
          [&disposals](const Request& req, const auth::EnteScope& scope,
                       const Json& body) -> Result<Disposal> {
            auto reason = bodyText(body, "reason");
            if (!reason) return tl::unexpected(reason.error());
            return disposals.cancel(req.param("id"), scope, *reason, api::auditBy(req));
          },
          true)));
}

}  // namespace cst::preservation
