// SQL of the knowledge base. Full-text search as for tickets: SQLite FTS5 ranked with bm25,
// PostgreSQL tsvector ('italian') ranked with ts_rank; the title weighs more than the body.
#include "store.hpp"
#include "store_rows.hpp"

namespace cst::helpdesk::store {

using db::Params;
using db::Row;

namespace {

constexpr const char* kColumns =
    "a.id, a.category_id, a.title, a.body, a.visibility, a.created_at, a.updated_at, "
    "a.updated_by";

Article articleOf(const Row& r) {
  Article a;
  a.id = r.integer(0);
  a.category_id = r.optInteger(1);
  a.title = r.text(2);
  a.body = r.text(3);
  a.internal = r.text(4) == "internal";
  a.created_at = r.text(5);
  a.updated_at = r.text(6);
  a.updated_by = r.text(7);
  return a;
}

Params articleValues(const Article& a) {
  Params p;
  p.reserve(8);  // and the id, for an update
  p.push_back(opt(a.category_id));
  p.push_back(a.title);
  p.push_back(a.body);
  p.push_back(std::string(a.internal ? "internal" : "public"));
  p.push_back(a.created_at);
  p.push_back(a.updated_at);
  p.push_back(a.updated_by);
  return p;
}

}  // namespace

Result<std::vector<Article>> articles(db::Tx& tx, const ArticleFilter& f) {
  const bool sqlite = tx.dialect() == db::Dialect::kSqlite;
  std::string search;
  if (f.text) {
    const auto words = searchWords(*f.text);
    if (words.empty()) return failField("q", "indicare almeno una parola da cercare");
    search = fullTextQuery(words, tx.dialect(), f.any_word);
  }
  std::string sql = std::string("SELECT ") + kColumns + " FROM helpdesk_articles a";
  Params p;
  if (f.text && sqlite) {
    sql +=
        " JOIN helpdesk_articles_fts ON helpdesk_articles_fts.rowid = a.id"
        " WHERE helpdesk_articles_fts MATCH ?";
    p.push_back(search);
  } else if (f.text) {
    sql += " WHERE a.search @@ to_tsquery('italian', ?)";
    p.push_back(search);
  } else {
    sql += " WHERE 1 = 1";
  }
  if (!f.with_internal) sql += " AND a.visibility = 'public'";
  if (f.category_id) {
    sql += " AND a.category_id = ?";
    p.emplace_back(*f.category_id);
  }
  if (f.text && sqlite) {
    sql += " ORDER BY bm25(helpdesk_articles_fts, 4.0, 1.0), a.id DESC";
  } else if (f.text) {
    sql += " ORDER BY ts_rank(a.search, to_tsquery('italian', ?)) DESC, a.id DESC";
    p.push_back(search);
  } else {
    sql += " ORDER BY a.title, a.id";
  }
  sql += " LIMIT ? OFFSET ?";
  p.emplace_back(std::int64_t{f.limit});
  p.emplace_back(f.offset);
  return mapRows<Article>(tx.query(sql, p), articleOf);
}

Result<std::optional<Article>> article(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query(
      std::string("SELECT ") + kColumns + " FROM helpdesk_articles a WHERE a.id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Article>{};
  return std::optional(articleOf(rows->front()));
}

Result<std::int64_t> insertArticle(db::Tx& tx, const Article& a) {
  auto r = tx.one(
      "INSERT INTO helpdesk_articles (category_id, title, body, visibility, created_at, "
      "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      articleValues(a));
  if (!r) return tl::unexpected(r.error());
  return r->integer(0);
}

Status updateArticle(db::Tx& tx, const Article& a) {
  Params p = articleValues(a);
  p.emplace_back(a.id);
  auto n = tx.exec(
      "UPDATE helpdesk_articles SET category_id = ?, title = ?, body = ?, visibility = ?, "
      "created_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
      p);
  if (!n) return tl::unexpected(n.error());
  if (*n != 1) return fail(ErrorCode::kNotFound, "articolo non trovato");
  return {};
}

Result<bool> deleteArticle(db::Tx& tx, std::int64_t id) {
  auto n = tx.exec("DELETE FROM helpdesk_articles WHERE id = ?", {id});
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

}  // namespace cst::helpdesk::store
