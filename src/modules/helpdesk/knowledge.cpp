#include "knowledge.hpp"

#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "service_kit.hpp"
#include "store_rows.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxBody = 100000;
constexpr std::size_t kExcerpt = 240;

Status deskOnly(const Actor& by) {
  if (by.agent) return {};
  return fail(ErrorCode::kForbidden, "solo il call center scrive la base di conoscenza");
}

audit::Entry auditOfArticle(const Actor& by, std::int64_t id, const std::string& action,
                            json detail) {
  audit::Entry a = by.audit;
  a.action = action;
  a.object_type = "helpdesk_article";
  a.object_id = std::to_string(id);
  a.detail = std::move(detail);
  return a;
}

}  // namespace

KnowledgeBase::KnowledgeBase(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<std::vector<store::Article>> KnowledgeBase::list(const store::ArticleFilter& f) {
  return db_.transact<std::vector<store::Article>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::articles(tx, f); });
}

Result<std::vector<store::Article>> KnowledgeBase::suggest(const std::string& typed,
                                                           bool with_internal, int limit) {
  // Short words ("la", "il", "di") would match nearly everything as prefixes.
  std::string words;
  for (const std::string& w : store::searchWords(typed))
    if (w.size() >= 3) words += (words.empty() ? "" : " ") + w;
  if (words.empty()) return std::vector<store::Article>{};
  store::ArticleFilter f;
  f.with_internal = with_internal;
  f.text = words;
  f.any_word = true;
  f.limit = limit;
  return list(f);
}

Result<store::Article> KnowledgeBase::get(std::int64_t id, bool with_internal) {
  return db_.transact<store::Article>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<store::Article> {
    auto a = store::article(tx, id);
    if (!a) return tl::unexpected(a.error());
    if (!*a || ((*a)->internal && !with_internal))
      return fail(ErrorCode::kNotFound, "articolo non trovato");
    return std::move(**a);
  });
}

Result<store::Article> KnowledgeBase::create(const ArticleText& in, const Actor& by) {
  return save(std::nullopt, in, by);
}

Result<store::Article> KnowledgeBase::update(std::int64_t id, const ArticleText& in,
                                             const Actor& by) {
  return save(id, in, by);
}

Result<store::Article> KnowledgeBase::save(std::optional<std::int64_t> id, const ArticleText& in,
                                           const Actor& by) {
  if (auto s = deskOnly(by); !s) return tl::unexpected(s.error());
  Problems p("articolo non valido");
  store::Article a;
  a.category_id = in.category_id;
  a.title = trimmed(in.title);
  a.body = trimmed(in.body);
  a.internal = in.internal;
  if (a.title.empty() || a.title.size() > kMaxTitle) p.add("title", "da 1 a 200 caratteri");
  if (a.body.empty() || a.body.size() > kMaxBody) p.add("body", "da 1 a 100000 caratteri");
  if (p.any()) return tl::unexpected(p.error);
  const TimePoint now = clock_.now();
  a.updated_at = formatTimestamp(now);
  a.updated_by = by.name;
  return db_.transact<store::Article>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<store::Article> {
        if (a.category_id) {
          auto c = store::category(tx, *a.category_id);
          if (!c) return tl::unexpected(c.error());
          if (!*c) return failField("category_id", "categoria inesistente");
        }
        if (id) {
          auto old = store::article(tx, *id);
          if (!old) return tl::unexpected(old.error());
          if (!*old) return fail(ErrorCode::kNotFound, "articolo non trovato");
          a.id = *id;
          a.created_at = (*old)->created_at;
          if (auto s = store::updateArticle(tx, a); !s) return tl::unexpected(s.error());
        } else {
          a.created_at = a.updated_at;
          auto n = store::insertArticle(tx, a);
          if (!n) return tl::unexpected(n.error());
          a.id = *n;
        }
        if (auto s = audit::append(
                tx,
                auditOfArticle(by, a.id, id ? "helpdesk.article.update" : "helpdesk.article.create",
                               {{"title", a.title}, {"internal", a.internal}}),
                now);
            !s)
          return tl::unexpected(s.error());
        return a;
      });
}

Status KnowledgeBase::remove(std::int64_t id, const Actor& by) {
  if (auto s = deskOnly(by); !s) return s;
  const TimePoint now = clock_.now();
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto gone = store::deleteArticle(tx, id);
    if (!gone) return tl::unexpected(gone.error());
    if (!*gone) return fail(ErrorCode::kNotFound, "articolo non trovato");
    return audit::append(tx, auditOfArticle(by, id, "helpdesk.article.delete", json::object()),
                         now);
  });
}

json toJson(const store::Article& a, bool excerpt) {
  json out{{"id", a.id},
           {"category_id", a.category_id ? json(*a.category_id) : json()},
           {"title", a.title},
           {"visibility", a.internal ? "internal" : "public"},
           {"created_at", a.created_at},
           {"updated_at", a.updated_at},
           {"updated_by", a.updated_by}};
  if (excerpt)
    out["excerpt"] = a.body.size() > kExcerpt ? truncateUtf8(a.body, kExcerpt) + "…" : a.body;
  else
    out["body"] = a.body;
  return out;
}

}  // namespace cst::helpdesk
