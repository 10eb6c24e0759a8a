#pragma once
// The knowledge base: articles per category that the desk writes once and everyone reads, public
// (requesters; suggested while they write a ticket's subject, so that some problems are solved
// before a ticket exists) or internal (the desk's own procedures). One base for every Comune: the
// point of a shared service centre.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::helpdesk {

struct ArticleText {
  std::optional<std::int64_t> category_id;
  std::string title;
  std::string body;
  bool internal = false;
};

class KnowledgeBase {
 public:
  KnowledgeBase(db::Database& db, const Clock& clock);

  // Articles the reader may see (internal ones for the desk only): with a text, every word
  // matched and ranked; without, by title.
  Result<std::vector<store::Article>> list(const store::ArticleFilter& f);
  // Up to `limit` articles for what a requester is typing (any word of 3 letters or more,
  // ranked); empty when nothing is worth suggesting yet.
  Result<std::vector<store::Article>> suggest(const std::string& typed, bool with_internal,
                                              int limit = 5);
  // kNotFound when absent, or internal and the reader is not the desk.
  Result<store::Article> get(std::int64_t id, bool with_internal);
  // The desk only. kBadInput naming title/body/category_id.
  Result<store::Article> create(const ArticleText& in, const Actor& by);
  Result<store::Article> update(std::int64_t id, const ArticleText& in, const Actor& by);
  Status remove(std::int64_t id, const Actor& by);

 private:
  Result<store::Article> save(std::optional<std::int64_t> id, const ArticleText& in,
                              const Actor& by);

  db::Database& db_;
  const Clock& clock_;
};

// `excerpt`: the body cut to a preview (lists and suggestions); the full body otherwise.
nlohmann::json toJson(const store::Article& a, bool excerpt);

}  // namespace cst::helpdesk
