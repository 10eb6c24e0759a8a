#pragma once
// Helpers shared by the store's files (private to the store).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "store.hpp"

namespace cst::helpdesk::store {

inline db::Value opt(const std::optional<std::int64_t>& v) {
  return v ? db::Value{*v} : db::null();
}

// Multi-row statements over `items`, a hundred rows each (well under both backends' limits on
// bound parameters): `row(sql, params, item)` appends one row's placeholders and values to a
// statement that starts with `head` and ends with `tail`.
template <class Item, class RowFn>
Status inChunks(db::Tx& tx, const std::vector<Item>& items, const std::string& head,
                const std::string& tail, RowFn row) {
  constexpr std::size_t kRows = 100;
  for (std::size_t from = 0; from < items.size(); from += kRows) {
    const std::size_t to = std::min(items.size(), from + kRows);
    std::string sql = head;
    db::Params params;
    for (std::size_t i = from; i < to; ++i) {
      if (i > from) sql += ", ";
      row(sql, params, items[i]);
    }
    if (auto r = tx.exec(sql + tail, params); !r) return tl::unexpected(r.error());
  }
  return {};
}

template <class T, class F>
Result<std::vector<T>> mapRows(const Result<db::Rows>& rows, F f) {
  if (!rows) return tl::unexpected(rows.error());
  std::vector<T> out;
  out.reserve(rows->size());
  for (const db::Row& r : *rows) out.push_back(f(r));
  return out;
}

// Tickets as read: the SELECT (alias t; the stored columns and the assignee's name) and its row.
const std::string& selectTickets();
Ticket ticketOf(const db::Row& r);

// The queue filters as " AND ..." conditions, their parameters appended to `p`: on the ente (column
// `ente` of `alias`; false when the caller may see no ente at all), on the other columns of the
// tickets (alias t), and both.
bool appendEnteFilters(const Filter& f, const std::string& alias, std::string& sql, db::Params& p);
void appendTicketFilters(const Filter& f, std::string& sql, db::Params& p);
bool appendFilters(const Filter& f, std::string& sql, db::Params& p);

// The page of a full-text search (f.text set): store_search.cpp.
Result<std::vector<Ticket>> searchTickets(db::Tx& tx, const Filter& f, const SearchLimits& limits);

// The words of a search text: runs of letters and digits (any non-ASCII byte counts as a letter,
// so accented words stay whole), lower-cased, at most 16. Everything else, quotes and operators
// included, separates: a search text never reaches the query syntax.
std::vector<std::string> searchWords(const std::string& text);
// The words as a full-text query, each as a word prefix ("firm" finds "firma"): every word must
// match, or (any_word) any of them, in the backend's syntax (FTS5 MATCH, to_tsquery).
std::string fullTextQuery(const std::vector<std::string>& words, db::Dialect dialect,
                          bool any_word);

}  // namespace cst::helpdesk::store
