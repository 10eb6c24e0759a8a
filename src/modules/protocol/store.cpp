#include "store.hpp"

#include "db/ente_scope.hpp"

namespace cst::protocol::store {

using db::Params;
using db::Row;
using nlohmann::json;

namespace {

constexpr const char* kColumns =
    "id, ente, year, number, registry_code, registered_at, registered_on, flow, subject, "
    "correspondents, sender_date, sender_number, channel, class_code, class_description, "
    "folder_code, folder_subject, reserved, attachments_count, segnatura_sha256, registered_by, "
    "annulled_at, annulled_by, annulment_reason, annulment_authorisation";

Correspondent correspondentOf(const json& j) {
  Correspondent c;
  const std::string kind = j.value("kind", "person");
  c.kind = kind == "company"          ? Correspondent::Kind::kCompany
           : kind == "administration" ? Correspondent::Kind::kAdministration
                                      : Correspondent::Kind::kPerson;
  c.name = j.value("name", "");
  c.first_name = j.value("first_name", "");
  c.last_name = j.value("last_name", "");
  auto opt = [&](const char* k) -> std::optional<std::string> {
    return j.contains(k) && j[k].is_string() ? std::optional(j[k].get<std::string>())
                                             : std::nullopt;
  };
  c.fiscal_code = opt("fiscal_code");
  c.ipa_code = opt("ipa_code");
  c.email = opt("email");
  return c;
}

Registration registrationOf(const Row& r) {
  Registration g;
  g.id = r.integer(0);
  g.ente = r.text(1);
  g.year = static_cast<int>(r.integer(2));
  g.number = r.integer(3);
  g.registry_code = r.text(4);
  g.registered_at = r.text(5);
  g.registered_on = r.text(6);
  g.flow = parseFlow(r.text(7)).value_or(Flow::kIncoming);
  g.subject = r.text(8);
  const json list = json::parse(r.text(9), nullptr, false);
  if (list.is_array())
    for (const json& c : list) g.correspondents.push_back(correspondentOf(c));
  g.sender_date = r.optText(10);
  g.sender_number = r.optText(11);
  g.channel = r.optText(12);
  g.class_code = r.text(13);
  g.class_description = r.text(14);
  g.folder_code = r.optText(15);
  g.folder_subject = r.optText(16);
  g.reserved = r.boolean(17);
  g.attachments_count = static_cast<int>(r.integer(18));
  g.segnatura_sha256 = r.text(19);
  g.registered_by = r.text(20);
  g.annulled_at = r.optText(21);
  g.annulled_by = r.optText(22);
  g.annulment_reason = r.optText(23);
  g.annulment_authorisation = r.optText(24);
  return g;
}

Result<std::vector<Registration>> registrations(db::Tx& tx, const std::string& sql,
                                                const Params& params) {
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Registration> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(registrationOf(r));
  return out;
}

Status conflictOn(const Result<std::int64_t>& r, const char* field, const char* message) {
  if (r) return {};
  if (r.error().code == ErrorCode::kConflict) return conflictField(field, message);
  return tl::unexpected(r.error());
}

}  // namespace

Result<std::optional<Aoo>> aoo(db::Tx& tx, const std::string& ente) {
  auto rows = tx.query(
      "SELECT ente, aoo_code, aoo_name, registry_code, pec, updated_at, updated_by, "
      "configured_on FROM protocol_aoo WHERE ente = ?",
      {ente});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Aoo>();
  const Row& r = rows->front();
  // A NULL pec (an AOO configured before the column existed) reads as empty: not set.
  return std::optional<Aoo>(
      Aoo{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7)});
}

Status saveAoo(db::Tx& tx, const Aoo& a) {
  // No PEC is stored as NULL, like the AOOs configured before the column existed.
  auto r = tx.exec(
      "INSERT INTO protocol_aoo (ente, aoo_code, aoo_name, registry_code, pec, updated_at, "
      "updated_by, configured_on) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (ente) DO UPDATE SET "
      "aoo_code = excluded.aoo_code, "
      "aoo_name = excluded.aoo_name, registry_code = excluded.registry_code, pec = excluded.pec, "
      "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
      {a.ente, a.aoo_code, a.aoo_name, a.registry_code,
       a.pec.empty() ? db::null() : db::Value{a.pec}, a.updated_at, a.updated_by, a.configured_on});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Status setConfiguredOn(db::Tx& tx, const std::string& ente, const std::string& day) {
  auto r = tx.exec("UPDATE protocol_aoo SET configured_on = ? WHERE ente = ?", {day, ente});
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<std::vector<ProtocolClass>> classes(db::Tx& tx, const std::string& ente) {
  auto rows = tx.query(
      "SELECT code, description, active FROM protocol_classes WHERE ente = ? ORDER BY code",
      {ente});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ProtocolClass> out;
  for (const Row& r : *rows) out.push_back({r.text(0), r.text(1), r.boolean(2)});
  return out;
}

Result<std::optional<ProtocolClass>> classByCode(db::Tx& tx, const std::string& ente,
                                                 const std::string& code) {
  auto rows =
      tx.query("SELECT code, description, active FROM protocol_classes WHERE ente = ? AND code = ?",
               {ente, code});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<ProtocolClass>();
  const Row& r = rows->front();
  return std::optional<ProtocolClass>(ProtocolClass{r.text(0), r.text(1), r.boolean(2)});
}

Status insertClass(db::Tx& tx, const std::string& ente, const ProtocolClass& c,
                   const std::string& now) {
  return conflictOn(tx.exec("INSERT INTO protocol_classes (ente, code, description, active, "
                            "created_at) VALUES (?,?,?,?,?)",
                            {ente, c.code, c.description, std::int64_t(c.active), now}),
                    "code", "codice già presente nel titolario");
}

Result<std::vector<Folder>> folders(db::Tx& tx, const std::string& ente) {
  auto rows = tx.query(
      "SELECT ente, code, subject, class_code, opened_on, closed_on FROM protocol_folders WHERE "
      "ente = ? ORDER BY id DESC",
      {ente});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Folder> out;
  for (const Row& r : *rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.optText(5)});
  return out;
}

Result<std::optional<Folder>> folderByCode(db::Tx& tx, const std::string& ente,
                                           const std::string& code) {
  auto rows = tx.query(
      "SELECT ente, code, subject, class_code, opened_on, closed_on FROM protocol_folders WHERE "
      "ente = ? AND code = ?",
      {ente, code});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Folder>();
  const Row& r = rows->front();
  return std::optional<Folder>(
      Folder{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.optText(5)});
}

Status insertFolder(db::Tx& tx, const Folder& f, const std::string& by) {
  return conflictOn(tx.exec("INSERT INTO protocol_folders (ente, code, subject, class_code, "
                            "opened_on, created_by) VALUES (?,?,?,?,?,?)",
                            {f.ente, f.code, f.subject, f.class_code, f.opened_on, by}),
                    "code", "codice di fascicolo già usato");
}

Result<std::int64_t> nextNumber(db::Tx& tx, const std::string& ente, int year) {
  // Two transactions creating the row at once: PostgreSQL makes the second wait for the first
  // and then do nothing; both then increment the one row in turn.
  auto created = tx.exec(
      "INSERT INTO protocol_counters (ente, year, last_number) VALUES (?, ?, 0) "
      "ON CONFLICT (ente, year) DO NOTHING",
      {ente, std::int64_t(year)});
  if (!created) return tl::unexpected(created.error());
  auto row = tx.one(
      "UPDATE protocol_counters SET last_number = last_number + 1 WHERE ente = ? AND year = ? "
      "RETURNING last_number",
      {ente, std::int64_t(year)});
  if (!row) return tl::unexpected(row.error());
  return row->integer(0);
}

Status insertRegistration(db::Tx& tx, Registration& r, const std::string& segnatura) {
  json correspondents = json::array();
  std::string names;
  for (const Correspondent& c : r.correspondents) {
    correspondents.push_back(toJson(c));
    names += (names.empty() ? "" : "; ") + c.displayName();
  }
  auto id = tx.query(
      "INSERT INTO protocol_registrations (ente, year, number, registry_code, registered_at, "
      "registered_on, flow, subject, correspondents, correspondent_names, sender_date, "
      "sender_number, channel, class_code, class_description, folder_code, folder_subject, "
      "reserved, attachments_count, segnatura, segnatura_sha256, registered_by) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {r.ente,
       std::int64_t(r.year),
       r.number,
       r.registry_code,
       r.registered_at,
       r.registered_on,
       std::string(flowName(r.flow)),
       r.subject,
       correspondents.dump(),
       names,
       db::optionalText(r.sender_date),
       db::optionalText(r.sender_number),
       db::optionalText(r.channel),
       r.class_code,
       r.class_description,
       db::optionalText(r.folder_code),
       db::optionalText(r.folder_subject),
       std::int64_t(r.reserved),
       std::int64_t(r.attachments_count),
       segnatura,
       r.segnatura_sha256,
       r.registered_by});
  if (!id) return tl::unexpected(id.error());
  r.id = id->front().integer(0);
  for (const Document& d : r.documents)
    if (auto s = tx.exec("INSERT INTO protocol_documents (registration_id, seq, upload_id, "
                         "filename, content_type, sha256, size, description) "
                         "VALUES (?,?,?,?,?,?,?,?)",
                         {r.id, std::int64_t(d.seq), d.upload_id, d.filename, d.content_type,
                          d.sha256, d.size, db::optionalText(d.description)});
        !s)
      return tl::unexpected(s.error());
  return {};
}

Result<std::optional<Registration>> registration(db::Tx& tx, std::int64_t id) {
  auto found = registrations(
      tx, std::string("SELECT ") + kColumns + " FROM protocol_registrations WHERE id = ?", {id});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return std::optional<Registration>();
  Registration r = std::move(found->front());
  auto docs = tx.query(
      "SELECT seq, upload_id, filename, content_type, sha256, size, description FROM "
      "protocol_documents WHERE registration_id = ? ORDER BY seq",
      {id});
  if (!docs) return tl::unexpected(docs.error());
  for (const Row& d : *docs)
    r.documents.push_back({static_cast<int>(d.integer(0)), d.text(1), d.text(2), d.text(3),
                           d.text(4), d.integer(5), d.optText(6)});
  return std::optional<Registration>(std::move(r));
}

Result<std::optional<StoredSegnatura>> segnatura(db::Tx& tx, std::int64_t id) {
  auto rows = tx.query("SELECT ente, segnatura FROM protocol_registrations WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<StoredSegnatura>();
  return std::optional<StoredSegnatura>(
      StoredSegnatura{rows->front().text(0), rows->front().text(1)});
}

Result<std::vector<Registration>> search(db::Tx& tx, const Filter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM protocol_registrations WHERE 1 = 1";
  Params params;
  if (!db::appendEnteScope(sql, params, "ente", f.all_enti, f.enti, f.ente))
    return std::vector<Registration>{};
  if (f.year) {
    sql += " AND year = ?";
    params.emplace_back(std::int64_t(*f.year));
  }
  if (f.flow) {
    sql += " AND flow = ?";
    params.emplace_back(std::string(flowName(*f.flow)));
  }
  if (f.from) {
    sql += " AND registered_on >= ?";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    sql += " AND registered_on <= ?";
    params.emplace_back(*f.to);
  }
  if (f.class_code) {
    sql += " AND class_code = ?";
    params.emplace_back(*f.class_code);
  }
  if (f.annulled) sql += *f.annulled ? " AND annulled_at IS NOT NULL" : " AND annulled_at IS NULL";
  if (f.text) {
    sql +=
        " AND (LOWER(subject) LIKE ? ESCAPE '\\' OR LOWER(correspondent_names) LIKE ? ESCAPE "
        "'\\')";
    for (int i = 0; i < 2; ++i) params.emplace_back(db::containsPattern(*f.text));
  }
  if (f.before) {
    sql += " AND id < ?";
    params.emplace_back(*f.before);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(f.limit);
  return registrations(tx, sql, params);
}

Result<std::vector<Registration>> ofDay(db::Tx& tx, const std::string& ente,
                                        const std::string& day) {
  return registrations(tx,
                       std::string("SELECT ") + kColumns +
                           " FROM protocol_registrations WHERE ente = ? AND registered_on = ? "
                           "ORDER BY year, number",
                       {ente, day});
}

Result<std::map<std::int64_t, std::vector<Document>>> documentsOfDay(db::Tx& tx,
                                                                     const std::string& ente,
                                                                     const std::string& day) {
  auto rows = tx.query(
      "SELECT d.registration_id, d.seq, d.upload_id, d.filename, d.content_type, d.sha256, "
      "d.size, d.description FROM protocol_documents d JOIN protocol_registrations r ON r.id = "
      "d.registration_id WHERE r.ente = ? AND r.registered_on = ? ORDER BY d.registration_id, "
      "d.seq",
      {ente, day});
  if (!rows) return tl::unexpected(rows.error());
  std::map<std::int64_t, std::vector<Document>> out;
  for (const Row& d : *rows)
    out[d.integer(0)].push_back({static_cast<int>(d.integer(1)), d.text(2), d.text(3), d.text(4),
                                 d.text(5), d.integer(6), d.optText(7)});
  return out;
}

Result<std::vector<Registration>> annulledBetween(db::Tx& tx, const std::string& ente,
                                                  const std::string& from, const std::string& to) {
  return registrations(tx,
                       std::string("SELECT ") + kColumns +
                           " FROM protocol_registrations WHERE ente = ? AND annulled_at >= ? AND "
                           "annulled_at < ? ORDER BY annulled_at, id",
                       {ente, from, to});
}

Result<std::vector<ConfiguredAoo>> configuredAoos(db::Tx& tx) {
  auto rows = tx.query("SELECT ente, configured_on FROM protocol_aoo ORDER BY ente");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ConfiguredAoo> out;
  for (const Row& r : *rows) out.push_back({r.text(0), r.text(1)});
  return out;
}

Result<std::optional<std::string>> lastDailyRegisterDay(db::Tx& tx, const std::string& ente) {
  auto rows = tx.query("SELECT MAX(day) FROM protocol_daily_registers WHERE ente = ?", {ente});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? std::optional<std::string>() : rows->front().optText(0);
}

namespace {
constexpr const char* kRegisterColumns =
    "id, ente, day, registrations, annulments, pdf_sha256, json_sha256, pdf_size, json_size, "
    "produced_at";

DailyRegisterProduced dailyRegisterOf(const Row& r) {
  return {r.integer(0),
          r.text(1),
          r.text(2),
          static_cast<int>(r.integer(3)),
          static_cast<int>(r.integer(4)),
          r.text(5),
          r.text(6),
          r.integer(7),
          r.integer(8),
          r.text(9)};
}

Result<std::vector<DailyRegisterProduced>> dailyRegisterRows(db::Tx& tx, const std::string& sql,
                                                             const Params& params) {
  auto rows = tx.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<DailyRegisterProduced> out;
  for (const Row& r : *rows) out.push_back(dailyRegisterOf(r));
  return out;
}
}  // namespace

Result<bool> insertDailyRegister(db::Tx& tx, DailyRegisterProduced& d) {
  auto id = tx.query(
      "INSERT INTO protocol_daily_registers (ente, day, registrations, annulments, pdf_sha256, "
      "pdf_size, json_sha256, json_size, produced_at) VALUES (?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (ente, day) DO NOTHING RETURNING id",
      {d.ente, d.day, std::int64_t(d.registrations), std::int64_t(d.annulments), d.pdf_sha256,
       d.pdf_size, d.json_sha256, d.json_size, d.produced_at});
  if (!id) return tl::unexpected(id.error());
  if (id->empty()) return false;
  d.sequence = id->front().integer(0);
  return true;
}

Result<std::vector<DailyRegisterProduced>> dailyRegisters(db::Tx& tx, const std::string& ente,
                                                          std::optional<std::int64_t> before,
                                                          int limit) {
  std::string sql =
      std::string("SELECT ") + kRegisterColumns + " FROM protocol_daily_registers WHERE ente = ?";
  Params params{ente};
  if (before) {
    sql += " AND id < ?";
    params.emplace_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit);
  return dailyRegisterRows(tx, sql, params);
}

Result<std::optional<DailyRegisterProduced>> dailyRegister(db::Tx& tx, std::int64_t id) {
  auto found = dailyRegisterRows(
      tx, std::string("SELECT ") + kRegisterColumns + " FROM protocol_daily_registers WHERE id = ?",
      {id});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return std::optional<DailyRegisterProduced>();
  return std::optional<DailyRegisterProduced>(found->front());
}

Result<std::vector<DailyRegisterProduced>> dailyRegistersAfter(db::Tx& tx, std::int64_t sequence,
                                                               int limit) {
  return dailyRegisterRows(tx,
                           std::string("SELECT ") + kRegisterColumns +
                               " FROM protocol_daily_registers WHERE id > ? ORDER BY id LIMIT " +
                               std::to_string(limit),
                           {sequence});
}

Result<std::set<std::string>> daysWithRegister(db::Tx& tx, const std::string& ente,
                                               const std::string& from, const std::string& to) {
  auto rows =
      tx.query("SELECT day FROM protocol_daily_registers WHERE ente = ? AND day >= ? AND day <= ?",
               {ente, from, to});
  if (!rows) return tl::unexpected(rows.error());
  std::set<std::string> out;
  for (const Row& r : *rows) out.insert(r.text(0));
  return out;
}

Result<bool> annul(db::Tx& tx, std::int64_t id, const Annulment& a, const std::string& by,
                   const std::string& at) {
  auto changed = tx.exec(
      "UPDATE protocol_registrations SET annulled_at = ?, annulled_by = ?, annulment_reason = ?, "
      "annulment_authorisation = ? WHERE id = ? AND annulled_at IS NULL",
      {at, by, a.reason, a.authorisation, id});
  if (!changed) return tl::unexpected(changed.error());
  return *changed == 1;
}

}  // namespace cst::protocol::store
