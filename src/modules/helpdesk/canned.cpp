#include "canned.hpp"

#include <nlohmann/json.hpp>

#include "service_kit.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTitle = 120;

audit::Entry auditOfAnswer(const Actor& by, std::int64_t id, const std::string& action,
                           json detail) {
  audit::Entry a = by.audit;
  a.action = action;
  a.object_type = "helpdesk_canned_answer";
  a.object_id = std::to_string(id);
  a.detail = std::move(detail);
  return a;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

CannedAnswers::CannedAnswers(db::Database& db, const Clock& clock, enti::Registry& enti)
    : db_(db), clock_(clock), enti_(enti) {}

Result<std::vector<store::CannedAnswer>> CannedAnswers::list() {
  return db_.transact<std::vector<store::CannedAnswer>>(
      db::TxMode::kRead, [](db::Tx& tx) { return store::cannedAnswers(tx); });
}

Result<store::CannedAnswer> CannedAnswers::get(std::int64_t id) {
  return db_.transact<store::CannedAnswer>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<store::CannedAnswer> {
        auto a = store::cannedAnswer(tx, id);
        if (!a) return tl::unexpected(a.error());
        if (!*a) return fail(ErrorCode::kNotFound, "risposta predefinita non trovata");
        return std::move(**a);
      });
}

Result<store::CannedAnswer> CannedAnswers::create(const CannedText& in, const Actor& by) {
  return save(std::nullopt, in, by);
}

Result<store::CannedAnswer> CannedAnswers::update(std::int64_t id, const CannedText& in,
                                                  const Actor& by) {
  return save(id, in, by);
}

Result<store::CannedAnswer> CannedAnswers::save(std::optional<std::int64_t> id,
                                                const CannedText& in, const Actor& by) {
  Problems p("risposta predefinita non valida");
  store::CannedAnswer a;
  a.title = trimmed(in.title);
  a.body = trimmed(in.body);
  a.category_id = in.category_id;
  if (a.title.empty() || a.title.size() > kMaxTitle) p.add("title", "da 1 a 120 caratteri");
  if (a.body.empty() || a.body.size() > kMaxText) p.add("body", "da 1 a 20000 caratteri");
  if (!by.agent) return fail(ErrorCode::kForbidden, "solo il call center gestisce le risposte");
  if (p.any()) return tl::unexpected(p.error);
  const TimePoint now = clock_.now();
  a.updated_at = formatTimestamp(now);
  a.updated_by = by.name;
  return db_.transact<store::CannedAnswer>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<store::CannedAnswer> {
        if (a.category_id) {
          auto c = store::category(tx, *a.category_id);
          if (!c) return tl::unexpected(c.error());
          if (!*c) return failField("category_id", "categoria inesistente");
        }
        Status saved;
        if (id) {
          a.id = *id;
          saved = store::updateCannedAnswer(tx, a);
        } else if (auto n = store::insertCannedAnswer(tx, a); n) {
          a.id = *n;
        } else {
          saved = tl::unexpected(n.error());
        }
        if (!saved && saved.error().code == ErrorCode::kConflict)
          return fail(Error{ErrorCode::kConflict,
                            "esiste già una risposta con questo titolo",
                            {{"title", "titolo già usato"}},
                            {}});
        if (!saved) return tl::unexpected(saved.error());
        if (auto s = audit::append(
                tx,
                auditOfAnswer(by, a.id, id ? "helpdesk.canned.update" : "helpdesk.canned.create",
                              {{"title", a.title}}),
                now);
            !s)
          return tl::unexpected(s.error());
        return a;
      });
}

Status CannedAnswers::remove(std::int64_t id, const Actor& by) {
  if (!by.agent) return fail(ErrorCode::kForbidden, "solo il call center gestisce le risposte");
  const TimePoint now = clock_.now();
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto gone = store::deleteCannedAnswer(tx, id);
    if (!gone) return tl::unexpected(gone.error());
    if (!*gone) return fail(ErrorCode::kNotFound, "risposta predefinita non trovata");
    return audit::append(tx, auditOfAnswer(by, id, "helpdesk.canned.delete", json::object()), now);
  });
}

std::string CannedAnswers::fill(const store::CannedAnswer& a, const Ticket& t, const Actor& by) {
  std::string text = a.body;
  const std::string ente = enti_.name(t.ente);
  replaceAll(text, "{richiedente}", t.requester_name);
  replaceAll(text, "{ticket}", "#" + std::to_string(t.id));
  replaceAll(text, "{oggetto}", t.subject);
  replaceAll(text, "{operatore}", by.name);
  replaceAll(text, "{ente}", ente);
  return text;
}

json toJson(const store::CannedAnswer& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"body", a.body},
          {"category_id", a.category_id ? json(*a.category_id) : json()},
          {"updated_at", a.updated_at},
          {"updated_by", a.updated_by}};
}

}  // namespace cst::helpdesk
