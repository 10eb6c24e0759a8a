// Registry: the enti store (the only SQL on enti) and its use cases.
#include "enti/enti.hpp"

namespace cst::enti {

using nlohmann::json;

namespace {
constexpr const char* kColumns =
    "istat, name, kind, parent, codice_fiscale, ipa_code, cadastral_code, population, "
    "adhesion_date, services, patron_name, patron_month, patron_day";

Ente fromRow(const db::Row& r) {
  Ente e;
  e.istat = r.text(0);
  e.name = r.text(1);
  e.kind = r.text(2);
  e.parent = r.optText(3);
  e.codice_fiscale = r.text(4);
  e.ipa_code = r.optText(5);
  e.cadastral_code = r.optText(6);
  e.population = r.integer(7);
  e.adhesion_date = r.optText(8);
  json services = json::parse(r.text(9), nullptr, false);
  if (services.is_array())
    for (const json& s : services) e.services.push_back(s.get<std::string>());
  if (!r.isNull(10) && !r.isNull(11) && !r.isNull(12))
    e.patron = Patron{r.text(10), static_cast<unsigned>(r.integer(11)),
                      static_cast<unsigned>(r.integer(12))};
  return e;
}

db::Params rowParams(const Ente& e) {
  return {e.istat,
          e.name,
          e.kind,
          db::optionalText(e.parent),
          e.codice_fiscale,
          db::optionalText(e.ipa_code),
          db::optionalText(e.cadastral_code),
          e.population,
          db::optionalText(e.adhesion_date),
          json(e.services).dump(),
          e.patron ? db::Value{e.patron->name} : db::null(),
          e.patron ? db::Value{std::int64_t(e.patron->month)} : db::null(),
          e.patron ? db::Value{std::int64_t(e.patron->day)} : db::null()};
}

Status insert(db::Tx& tx, const Ente& e, const std::string& now) {
  // Checked first: on PostgreSQL a failed INSERT aborts the transaction, so the cause of a
  // constraint error could not be asked afterwards.
  auto taken = tx.query("SELECT 1 FROM enti WHERE istat = ?", {e.istat});
  if (!taken) return tl::unexpected(taken.error());
  if (!taken->empty()) return conflictField("istat", "esiste già un ente con questo codice ISTAT");
  db::Params p = rowParams(e);
  p.push_back(now);
  p.push_back(now);
  auto r = tx.exec(std::string("INSERT INTO enti (") + kColumns +
                       ", created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   p);
  if (!r) {
    // The ISTAT code was free a moment ago: either a concurrent registration took it, or the
    // parent provincia does not exist (the only foreign key).
    if (r.error().code == ErrorCode::kConflict)
      return e.parent ? failField("parent", "la provincia indicata non esiste")
                      : conflictField("istat", "esiste già un ente con questo codice ISTAT");
    return tl::unexpected(r.error());
  }
  return {};
}
}  // namespace

Result<Registry::Page> Registry::list(bool all, const std::set<std::string>& visible,
                                      const std::optional<std::string>& q,
                                      const std::optional<std::string>& after, int limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM enti WHERE 1=1";
  db::Params params;
  if (!all) {
    if (visible.empty()) return Page{};
    sql += " AND istat IN (";
    for (auto it = visible.begin(); it != visible.end(); ++it) {
      sql += it == visible.begin() ? "?" : ",?";
      params.push_back(*it);
    }
    sql += ")";
  }
  if (q) {
    sql += " AND (LOWER(name) LIKE ? OR istat LIKE ?)";
    std::string pattern = "%";
    for (char c : *q) pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    pattern += "%";
    params.push_back(pattern);
    params.push_back("%" + *q + "%");
  }
  if (after) sql += " AND istat > ?", params.push_back(*after);
  sql += " ORDER BY istat LIMIT ?";
  params.push_back(static_cast<std::int64_t>(limit + 1));
  auto rows = db_.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  Page page;
  for (const db::Row& r : *rows) page.items.push_back(fromRow(r));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().istat;
  }
  return page;
}

Result<Ente> Registry::get(const std::string& istat) {
  auto rows = db_.query(std::string("SELECT ") + kColumns + " FROM enti WHERE istat = ?", {istat});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "ente " + istat + " non trovato");
  return fromRow(rows->front());
}

std::optional<Registry::Named> Registry::named(const std::string& istat) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(names_mu_);
    if (now >= names_until_) {
      names_.clear();
      names_until_ = now + std::chrono::minutes(1);
    }
    if (auto hit = names_.find(istat); hit != names_.end()) return hit->second;
  }
  auto rows = db_.query("SELECT name, kind FROM enti WHERE istat = ?", {istat});
  if (!rows || rows->empty()) return std::nullopt;  // not cached: the next call asks again
  Named found{rows->front().text(0), rows->front().text(1)};
  std::lock_guard lock(names_mu_);
  names_[istat] = found;
  return found;
}

std::string Registry::name(const std::string& istat) {
  auto n = named(istat);
  return n ? n->name : istat;
}

std::string Registry::formalName(const std::string& istat) {
  auto n = named(istat);
  return n ? enti::formalName(n->name, n->kind) : istat;
}

void Registry::forgetNames() {
  std::lock_guard lock(names_mu_);
  names_.clear();
}

Result<Ente> Registry::create(const Ente& e, const audit::Entry& who) {
  return db_.transact<Ente>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Ente> {
    const TimePoint now = clock_.now();
    if (auto s = insert(tx, e, formatTimestamp(now)); !s) return tl::unexpected(s.error());
    audit::Entry entry = who;
    entry.ente = e.istat;
    entry.action = "ente.create";
    entry.object_type = "ente";
    entry.object_id = e.istat;
    entry.detail = {{"name", e.name}};
    if (auto s = audit::append(tx, entry, now); !s) return tl::unexpected(s.error());
    return e;
  });
}

Result<Ente> Registry::update(const std::string& istat, const json& patch,
                              const audit::Entry& who) {
  auto updated = db_.transact<Ente>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Ente> {
    auto row = tx.one(std::string("SELECT ") + kColumns + " FROM enti WHERE istat = ?", {istat});
    if (!row)
      return tl::unexpected(row.error().code == ErrorCode::kNotFound
                                ? Error::make(ErrorCode::kNotFound, "ente non trovato")
                                : row.error());
    json merged = toJson(fromRow(*row));
    for (const char* fixed : {"istat", "kind", "parent"})
      if (patch.contains(fixed) && patch[fixed] != merged[fixed])
        return failField(fixed, "non modificabile");
    merged.merge_patch(patch);
    auto updated = enteFromJson(merged);
    if (!updated) return updated;
    db::Params p = rowParams(*updated);
    p.erase(p.begin());  // istat goes last, in the WHERE
    const TimePoint now = clock_.now();
    p.push_back(formatTimestamp(now));
    p.push_back(istat);
    auto r = tx.exec(
        "UPDATE enti SET name = ?, kind = ?, parent = ?, codice_fiscale = ?, ipa_code = ?, "
        "cadastral_code = ?, population = ?, adhesion_date = ?, services = ?, patron_name = ?, "
        "patron_month = ?, patron_day = ?, updated_at = ? WHERE istat = ?",
        p);
    if (!r) return tl::unexpected(r.error());
    audit::Entry entry = who;
    entry.ente = istat;
    entry.action = "ente.update";
    entry.object_type = "ente";
    entry.object_id = istat;
    entry.detail = {{"changed", patch}};
    if (auto s = audit::append(tx, entry, now); !s) return tl::unexpected(s.error());
    return *updated;
  });
  // After the commit: a name read meanwhile must not stay cached with the old value.
  forgetNames();
  return updated;
}

Result<bool> Registry::ensure(const Ente& e) {
  return db_.transact<bool>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<bool> {
    auto seen = tx.query("SELECT 1 FROM enti WHERE istat = ?", {e.istat});
    if (!seen) return tl::unexpected(seen.error());
    if (!seen->empty()) return false;
    if (auto s = insert(tx, e, formatTimestamp(clock_.now())); !s) return tl::unexpected(s.error());
    return true;
  });
}

}  // namespace cst::enti
