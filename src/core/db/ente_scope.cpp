#include "db/ente_scope.hpp"

namespace cst::db {

bool appendEnteScope(std::string& sql, Params& params, const std::string& column, bool all,
                     const std::set<std::string>& visible, const std::optional<std::string>& ente) {
  if (!all) {
    if (visible.empty()) return false;
    sql += " AND " + column + " IN (";
    for (std::size_t i = 0; i < visible.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
    for (const std::string& e : visible) params.emplace_back(e);
  }
  if (ente) {
    sql += " AND " + column + " = ?";
    params.emplace_back(*ente);
  }
  return true;
}

std::string containsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out + "%";
}

}  // namespace cst::db
