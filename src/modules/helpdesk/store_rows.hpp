#pragma once
// Helpers shared by the store's files (private to the store).
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace cst::helpdesk::store {

inline db::Value opt(const std::optional<std::int64_t>& v) {
  return v ? db::Value{*v} : db::null();
}

template <class T, class F>
Result<std::vector<T>> mapRows(const Result<db::Rows>& rows, F f) {
  if (!rows) return tl::unexpected(rows.error());
  std::vector<T> out;
  out.reserve(rows->size());
  for (const db::Row& r : *rows) out.push_back(f(r));
  return out;
}

// The words of a search text: runs of letters and digits (any non-ASCII byte counts as a letter,
// so accented words stay whole), lower-cased, at most 16. Everything else, quotes and operators
// included, separates: a search text never reaches the query syntax.
std::vector<std::string> searchWords(const std::string& text);
// The words as a full-text query, each as a word prefix ("firm" finds "firma"): every word must
// match, or (any_word) any of them, in the backend's syntax (FTS5 MATCH, to_tsquery).
std::string fullTextQuery(const std::vector<std::string>& words, db::Dialect dialect,
                          bool any_word);

}  // namespace cst::helpdesk::store
