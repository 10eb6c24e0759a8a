#pragma once
// Helpers shared by the store's files (private to the store).
#include <optional>
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

}  // namespace cst::helpdesk::store
