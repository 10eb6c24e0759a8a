#include "auth/identity.hpp"

#include <regex>

#include "auth/password.hpp"
#include "auth/totp.hpp"
#include "common/crypto.hpp"
#include "common/fiscal_code.hpp"
#include "common/json_fields.hpp"

namespace cst::auth {

using nlohmann::json;

namespace {

json grantsJson(const std::vector<Grant>& grants) {
  json out = json::array();
  for (const Grant& g : grants)
    out.push_back({{"role", roleName(g.role)}, {"ente", g.ente ? json(*g.ente) : json()}});
  return out;
}

Result<std::vector<Grant>> loadGrants(db::Tx& tx, std::int64_t user_id) {
  auto rows =
      tx.query("SELECT role, ente FROM grants WHERE user_id = ? ORDER BY role, ente", {user_id});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Grant> out;
  for (const db::Row& r : *rows)
    if (auto role = parseRole(r.text(0))) out.push_back({*role, r.optText(1)});
  return out;
}

constexpr const char* kFiscalCodeTaken = "codice fiscale già associato a un altro utente";

// The id of the account holding `fiscal_code`, if any (none for an absent code).
Result<std::optional<std::int64_t>> fiscalCodeHolder(
    db::Tx& tx, const std::optional<std::string>& fiscal_code) {
  if (!fiscal_code) return std::optional<std::int64_t>();
  auto rows = tx.query("SELECT id FROM users WHERE fiscal_code = ?", {*fiscal_code});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows->front().integer(0));
}

constexpr const char* kUserColumns =
    "id, username, display_name, email, disabled, totp_secret, created_at, password_hash, "
    "failed_logins, locked_until, totp_last_step, fiscal_code";

}  // namespace

json toJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email ? json(*u.email) : json()},
          {"fiscal_code", u.fiscal_code ? json(*u.fiscal_code) : json()},
          {"disabled", u.disabled},
          {"totp_enabled", u.totp_enabled},
          {"grants", grantsJson(u.grants)},
          {"created_at", u.created_at}};
}

Result<NewUser> newUserFromJson(const json& body) {
  JsonFields fields(body, "invalid user");
  auto bad = [&](std::string f, std::string m) { fields.bad(std::move(f), std::move(m)); };
  NewUser u;
  auto str = [&](const char* key, bool required) {
    return fields.text(key, required ? JsonFields::Need::kRequired : JsonFields::Need::kOptional,
                       true);
  };
  u.username = str("username", true).value_or("");
  u.display_name = str("display_name", true).value_or("");
  u.email = str("email", false);
  u.password = str("password", true).value_or("");
  static const std::regex kUsername(R"([a-z0-9][a-z0-9._-]{2,63})");
  if (!u.username.empty() && !std::regex_match(u.username, kUsername))
    bad("username", "3-64 caratteri: lettere minuscole, cifre, punto, trattino, trattino basso");
  static const std::regex kEmail(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
  if (u.email && !std::regex_match(*u.email, kEmail)) bad("email", "indirizzo e-mail non valido");
  if (auto cf = str("fiscal_code", false)) {
    u.fiscal_code = asciiUpper(*cf);
    if (auto s = checkPersonalFiscalCode(*u.fiscal_code, "fiscal_code"); !s)
      bad("fiscal_code", s.error().fields.front().message);
  }
  if (!u.password.empty())
    if (auto s = checkPasswordRules(u.password); !s)
      bad("password", s.error().fields.front().message);
  if (!body.contains("grants") || !body["grants"].is_array() || body["grants"].empty()) {
    bad("grants", "almeno un ruolo è obbligatorio");
  } else {
    for (std::size_t i = 0; i < body["grants"].size(); ++i) {
      const json& g = body["grants"][i];
      const std::string field = "grants[" + std::to_string(i) + "]";
      if (!g.is_object() || !g.value("role", json()).is_string()) {
        bad(field + ".role", "ruolo obbligatorio");
        continue;
      }
      auto role = parseRole(g["role"].get<std::string>());
      if (!role) {
        bad(field + ".role", "ruolo sconosciuto: " + g["role"].get<std::string>());
        continue;
      }
      std::optional<std::string> ente;
      if (g.contains("ente") && !g["ente"].is_null()) {
        if (!g["ente"].is_string()) {
          bad(field + ".ente", "codice ISTAT come stringa");
          continue;
        }
        ente = g["ente"].get<std::string>();
      }
      if (isCstWide(*role) && ente)
        bad(field + ".ente", "un ruolo del CST vale per tutti gli enti: ente deve essere null");
      if (!isCstWide(*role) && !ente) bad(field + ".ente", "ente obbligatorio per questo ruolo");
      u.grants.push_back({*role, ente});
    }
  }
  if (auto st = fields.result(); !st) return tl::unexpected(st.error());
  return u;
}

Identity::HashSlot::HashSlot(std::atomic<int>& used, int max) : used_(used) {
  held_ = used_.fetch_add(1) < max;
  if (!held_) used_.fetch_sub(1);
}

Identity::HashSlot::~HashSlot() {
  if (held_) used_.fetch_sub(1);
}

namespace {
Error busy() {
  return Error::make(ErrorCode::kUnavailable,
                     "troppi accessi contemporanei: riprovare tra qualche secondo");
}
}  // namespace

Identity::Identity(db::Database& db, const Clock& clock, const Policy& policy,
                   IdentityOptions options)
    : db_(db),
      clock_(clock),
      policy_(policy),
      opt_(options),
      logins_(clock, options.attempts_per_minute_per_address) {}

bool Identity::canManage(const Principal& actor, const std::vector<Grant>& grants) const {
  EnteScope scope = policy_.scope(actor, action::kUsersManage);
  if (scope.all) return true;
  for (const Grant& g : grants)
    if (!g.ente || !scope.contains(*g.ente)) return false;
  return !scope.empty();
}

bool Identity::needsTotpEnrollment(const Principal& p) const {
  if (!opt_.totp_required_for_staff || p.totp_enabled || p.api_token) return false;
  for (const Grant& g : p.grants)
    if (isStaff(g.role)) return true;
  return false;
}

Result<User> Identity::loadUser(db::Tx& tx, std::int64_t id) {
  auto row = tx.one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  if (!row)
    return tl::unexpected(row.error().code == ErrorCode::kNotFound
                              ? Error::make(ErrorCode::kNotFound, "utente non trovato")
                              : row.error());
  User u;
  u.id = row->integer(0);
  u.username = row->text(1);
  u.display_name = row->text(2);
  u.email = row->optText(3);
  u.fiscal_code = row->optText(11);
  u.disabled = row->boolean(4);
  u.totp_enabled = !row->isNull(5);
  u.created_at = row->text(6);
  auto grants = loadGrants(tx, id);
  if (!grants) return tl::unexpected(grants.error());
  u.grants = std::move(*grants);
  return u;
}

Result<std::optional<User>> Identity::userByEmail(const std::string& email) {
  if (email.empty()) return std::optional<User>{};
  return db_.transact<std::optional<User>>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<std::optional<User>> {
        auto rows = tx.query(
            "SELECT id FROM users WHERE LOWER(email) = LOWER(?) AND disabled = 0 LIMIT 2", {email});
        if (!rows) return tl::unexpected(rows.error());
        if (rows->size() != 1) return std::optional<User>{};  // nobody, or ambiguous
        auto u = loadUser(tx, rows->front().integer(0));
        if (!u) return tl::unexpected(u.error());
        return std::optional(std::move(*u));
      });
}

Result<std::optional<User>> Identity::userById(std::int64_t id) {
  return db_.transact<std::optional<User>>(db::TxMode::kRead,
                                           [&](db::Tx& tx) -> Result<std::optional<User>> {
                                             auto u = loadUser(tx, id);
                                             if (!u && u.error().code == ErrorCode::kNotFound)
                                               return std::optional<User>{};
                                             if (!u) return tl::unexpected(u.error());
                                             return std::optional(std::move(*u));
                                           });
}

Result<std::vector<User>> Identity::usersWithRole(const std::string& ente, Role role) {
  return db_.transact<std::vector<User>>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<std::vector<User>> {
        auto rows = tx.query(
            "SELECT DISTINCT u.id FROM users u JOIN grants g ON g.user_id = u.id "
            "WHERE g.ente = ? AND g.role = ? AND u.disabled = 0 ORDER BY u.id",
            {ente, std::string(roleName(role))});
        if (!rows) return tl::unexpected(rows.error());
        std::vector<User> out;
        for (const db::Row& r : *rows) {
          auto u = loadUser(tx, r.integer(0));
          if (!u) return tl::unexpected(u.error());
          out.push_back(std::move(*u));
        }
        return out;
      });
}

Result<User> Identity::createUser(const NewUser& u, const Principal* actor,
                                  const audit::Entry& who) {
  if (actor && !canManage(*actor, u.grants))
    return fail(ErrorCode::kForbidden, "non è possibile assegnare questi ruoli o enti");
  Result<std::string> hash = tl::unexpected(busy());
  if (HashSlot slot(hashes_running_, opt_.max_concurrent_hashes); slot)
    hash = hashPassword(u.password);
  if (!hash) return tl::unexpected(hash.error());
  return db_.transact<User>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<User> {
    const TimePoint now = clock_.now();
    const std::string ts = formatTimestamp(now);
    // Before the insert: on PostgreSQL a failed statement ends what the transaction may do.
    auto holder = fiscalCodeHolder(tx, u.fiscal_code);
    if (!holder) return tl::unexpected(holder.error());
    if (*holder) return conflictField("fiscal_code", kFiscalCodeTaken);
    auto ins = tx.query(
        "INSERT INTO users (username, display_name, email, fiscal_code, password_hash, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
        {u.username, u.display_name, db::optionalText(u.email), db::optionalText(u.fiscal_code),
         *hash, ts, ts});
    if (!ins) {
      if (ins.error().code == ErrorCode::kConflict)
        return conflictField("username", "nome utente già in uso");
      return tl::unexpected(ins.error());
    }
    const std::int64_t id = ins->front().integer(0);
    for (const Grant& g : u.grants) {
      auto r = tx.exec("INSERT INTO grants (user_id, role, ente) VALUES (?,?,?)",
                       {id, std::string(roleName(g.role)), db::optionalText(g.ente)});
      if (!r) {
        if (r.error().code == ErrorCode::kConflict)
          return failField("grants", "ente inesistente o ruolo ripetuto");
        return tl::unexpected(r.error());
      }
    }
    audit::Entry entry = who;
    entry.action = "user.create";
    entry.object_type = "user";
    entry.object_id = std::to_string(id);
    entry.detail = {{"username", u.username}, {"grants", grantsJson(u.grants)}};
    // An entry per ente involved would duplicate the chain; the first ente grant files it.
    for (const Grant& g : u.grants)
      if (g.ente) {
        entry.ente = g.ente;
        break;
      }
    if (auto s = audit::append(tx, entry, now); !s) return tl::unexpected(s.error());
    return loadUser(tx, id);
  });
}

Result<User> Identity::getUser(std::int64_t id, const Principal& viewer) {
  auto user = db_.transact<User>(db::TxMode::kRead, [&](db::Tx& tx) { return loadUser(tx, id); });
  if (!user) return user;
  EnteScope scope = policy_.scope(viewer, action::kUsersRead);
  bool visible = scope.all || user->id == viewer.user_id;
  for (const Grant& g : user->grants)
    if (g.ente && scope.contains(*g.ente)) visible = true;
  if (!visible) return fail(ErrorCode::kNotFound, "utente non trovato");
  return user;
}

Result<Identity::Page> Identity::listUsers(const Principal& viewer,
                                           const std::optional<std::string>& ente,
                                           std::optional<std::int64_t> after, int limit) {
  EnteScope scope = policy_.scope(viewer, action::kUsersRead);
  if (scope.empty()) return fail(ErrorCode::kForbidden, "non autorizzato a vedere gli utenti");
  if (ente && !scope.contains(*ente)) return Page{};
  return db_.transact<Page>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<Page> {
    std::string sql =
        "SELECT DISTINCT u.id FROM users u LEFT JOIN grants g ON g.user_id = u.id WHERE 1=1";
    db::Params params;
    if (ente) sql += " AND g.ente = ?", params.push_back(*ente);
    if (!scope.all) {
      sql += " AND g.ente IN (";
      for (auto it = scope.enti.begin(); it != scope.enti.end(); ++it) {
        sql += it == scope.enti.begin() ? "?" : ",?";
        params.push_back(*it);
      }
      sql += ")";
    }
    if (after) sql += " AND u.id > ?", params.push_back(*after);
    sql += " ORDER BY u.id LIMIT ?";
    params.push_back(static_cast<std::int64_t>(limit + 1));
    auto ids = tx.query(sql, params);
    if (!ids) return tl::unexpected(ids.error());
    Page page;
    for (const db::Row& r : *ids) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.next_cursor = page.items.back().id;
        break;
      }
      auto u = loadUser(tx, r.integer(0));
      if (!u) return tl::unexpected(u.error());
      page.items.push_back(std::move(*u));
    }
    return page;
  });
}

Result<User> Identity::updateUser(std::int64_t id, const json& patch, const Principal& actor,
                                  const audit::Entry& who) {
  auto current = getUser(id, actor);
  if (!current) return current;
  if (!canManage(actor, current->grants))
    return fail(ErrorCode::kForbidden, "non autorizzato a modificare questo utente");
  Error errors = Error::make(ErrorCode::kBadInput, "invalid update");
  for (const auto& [key, value] : patch.items()) {
    if (key == "display_name" && (!value.is_string() || value.get<std::string>().empty()))
      errors.fields.push_back({key, "stringa non vuota"});
    else if (key == "email" && !value.is_null() && !value.is_string())
      errors.fields.push_back({key, "stringa o null"});
    else if (key == "fiscal_code" && !value.is_null() &&
             (!value.is_string() ||
              !checkPersonalFiscalCode(asciiUpper(value.get<std::string>()), key)))
      errors.fields.push_back(
          {key,
           "codice fiscale di una persona (16 caratteri, con il carattere di controllo) o null"});
    else if (key == "disabled" && !value.is_boolean())
      errors.fields.push_back({key, "true o false"});
    else if (key == "password" &&
             (!value.is_string() || !checkPasswordRules(value.get<std::string>())))
      errors.fields.push_back({key, "almeno 10 caratteri"});
    else if (key != "display_name" && key != "email" && key != "fiscal_code" && key != "disabled" &&
             key != "password")
      errors.fields.push_back({key, "campo non modificabile"});
  }
  if (!errors.fields.empty()) {
    errors.detail = errors.fields.front().field + ": " + errors.fields.front().message;
    return tl::unexpected(errors);
  }
  if (id == actor.user_id && patch.value("disabled", false))
    return failField("disabled", "non è possibile disattivare il proprio utente");
  std::optional<std::string> new_hash;
  if (patch.contains("password")) {
    HashSlot slot(hashes_running_, opt_.max_concurrent_hashes);
    if (!slot) return tl::unexpected(busy());
    auto h = hashPassword(patch["password"].get<std::string>());
    if (!h) return tl::unexpected(h.error());
    new_hash = *h;
  }
  auto done = db_.transact<User>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<User> {
    const TimePoint now = clock_.now();
    const std::string ts = formatTimestamp(now);
    if (patch.contains("display_name"))
      if (auto r = tx.exec("UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
                           {patch["display_name"].get<std::string>(), ts, id});
          !r)
        return tl::unexpected(r.error());
    if (patch.contains("email"))
      if (auto r = tx.exec(
              "UPDATE users SET email = ?, updated_at = ? WHERE id = ?",
              {patch["email"].is_null() ? db::null() : db::Value{patch["email"].get<std::string>()},
               ts, id});
          !r)
        return tl::unexpected(r.error());
    if (patch.contains("fiscal_code")) {
      std::optional<std::string> cf;
      if (patch["fiscal_code"].is_string())
        cf = asciiUpper(patch["fiscal_code"].get<std::string>());
      auto holder = fiscalCodeHolder(tx, cf);
      if (!holder) return tl::unexpected(holder.error());
      if (*holder && **holder != id) return conflictField("fiscal_code", kFiscalCodeTaken);
      if (auto r = tx.exec("UPDATE users SET fiscal_code = ?, updated_at = ? WHERE id = ?",
                           {db::optionalText(cf), ts, id});
          !r) {
        if (r.error().code == ErrorCode::kConflict)
          return conflictField("fiscal_code", kFiscalCodeTaken);
        return tl::unexpected(r.error());
      }
    }
    if (patch.contains("disabled")) {
      const bool disabled = patch["disabled"].get<bool>();
      if (auto r = tx.exec("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
                           {std::int64_t(disabled), ts, id});
          !r)
        return tl::unexpected(r.error());
      // Disabling ends every session and token of the user at once.
      if (disabled)
        if (auto r = tx.exec("UPDATE auth_tokens SET revoked = 1 WHERE user_id = ?", {id}); !r)
          return tl::unexpected(r.error());
    }
    if (new_hash)
      if (auto r =
              tx.exec("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, "
                      "updated_at = ? WHERE id = ?",
                      {*new_hash, ts, id});
          !r)
        return tl::unexpected(r.error());
    json changed = patch;
    if (changed.contains("password")) changed["password"] = "(changed)";
    audit::Entry entry = who;
    entry.action = "user.update";
    entry.object_type = "user";
    entry.object_id = std::to_string(id);
    entry.detail = {{"username", current->username}, {"changed", changed}};
    for (const Grant& g : current->grants)
      if (g.ente) {
        entry.ente = g.ente;
        break;
      }
    if (auto s = audit::append(tx, entry, now); !s) return tl::unexpected(s.error());
    return loadUser(tx, id);
  });
  // After the commit: a request racing the change must not cache the old session again.
  forgetSessions();
  return done;
}

Result<LoginResult> Identity::login(const std::string& username, const std::string& password,
                                    const std::optional<std::string>& totp,
                                    const std::string& address, const std::string& request_id) {
  audit::Entry entry;
  entry.actor = username.substr(0, 64);
  entry.action = "auth.login";
  entry.object_type = "user";
  entry.object_id = username.substr(0, 64);
  entry.request_id = request_id;
  entry.detail = {{"address", address}};
  auto refuse = [&](Error e, const std::string& reason) -> Result<LoginResult> {
    entry.outcome = "denied";
    entry.detail["reason"] = reason;
    (void)audit::appendAlone(db_, entry, clock_.now());
    return tl::unexpected(std::move(e));
  };
  const Error wrong = Error::make(ErrorCode::kUnauthenticated, "nome utente o password non validi");
  HashSlot slot(hashes_running_, opt_.max_concurrent_hashes);
  if (!slot) return tl::unexpected(busy());
  if (logins_.limited(address))
    return refuse(Error::make(ErrorCode::kRateLimited, "troppi tentativi: riprovare tra un minuto"),
                  "throttled");

  auto row = db_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?",
                       {username});
  if (!row) return tl::unexpected(row.error());
  if (row->empty()) {
    // Spend the same time as a real check so that timing does not reveal which usernames exist.
    (void)verifyPassword(password,
                         "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                         "Ck2Z7rUZBp0EF9Vb5DQs6mY/XKlLkXEU1aaa3YoRrHM");
    return refuse(wrong, "unknown user");
  }
  const db::Row& r = row->front();
  const std::int64_t id = r.integer(0);
  entry.actor_id = id;
  entry.object_id = std::to_string(id);
  const TimePoint now = clock_.now();
  if (auto locked = r.optText(9); locked && *locked > formatTimestamp(now))
    return refuse(Error::make(ErrorCode::kRateLimited,
                              "utente temporaneamente bloccato per troppi tentativi falliti"),
                  "locked");
  if (r.boolean(4)) {
    (void)verifyPassword(password, r.text(7));
    return refuse(wrong, "disabled");
  }
  const bool password_ok = verifyPassword(password, r.text(7));
  const std::optional<std::string> secret = r.optText(5);
  bool totp_ok = true;
  std::optional<std::int64_t> totp_step;
  if (password_ok && secret) {
    if (totp)
      totp_step = matchTotpStep(*secret, *totp,
                                std::chrono::system_clock::time_point(now.time_since_epoch()));
    // A code already used (same or earlier step) is refused: an observed code cannot be replayed.
    totp_ok = totp_step && (r.isNull(10) || *totp_step > r.integer(10));
  }
  if (!password_ok || !totp_ok) {
    if (password_ok && !totp) {
      Error e = Error::make(ErrorCode::kUnauthenticated,
                            "inserire il codice OTP dell'app di autenticazione");
      e.type = "totp-required";
      return refuse(e, "totp missing");
    }
    const std::int64_t failures = r.integer(8) + 1;
    std::optional<std::string> lock_until;
    if (failures >= opt_.lockout_threshold)
      lock_until = formatTimestamp(now + opt_.lockout_duration);
    (void)db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      auto u = tx.exec("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                       {lock_until ? std::int64_t(0) : failures, db::optionalText(lock_until), id});
      if (!u) return tl::unexpected(u.error());
      return {};
    });
    if (!password_ok)
      return refuse(wrong, lock_until ? "bad password, account locked" : "bad password");
    Error e = Error::make(ErrorCode::kUnauthenticated, "codice OTP non valido");
    e.type = "totp-required";
    return refuse(e, "bad totp");
  }

  LoginResult out;
  out.token = randomToken();
  out.csrf_token = randomToken(24);
  auto created = db_.transact<User>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<User> {
    const std::string ts = formatTimestamp(now);
    auto ins = tx.exec(
        "INSERT INTO auth_tokens (token_hash, user_id, kind, csrf_token, created_at, expires_at, "
        "last_used_at) VALUES (?,?,'session',?,?,?,?)",
        {sha256Hex(out.token), id, out.csrf_token, ts, formatTimestamp(now + opt_.session_ttl),
         ts});
    if (!ins) return tl::unexpected(ins.error());
    if (totp_step) {
      // Conditional on the step, so two logins racing with the same code cannot both pass.
      auto used = tx.exec(
          "UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR "
          "totp_last_step < ?)",
          {*totp_step, id, *totp_step});
      if (!used) return tl::unexpected(used.error());
      if (*used == 0) return fail(ErrorCode::kUnauthenticated, "codice OTP già usato");
    }
    if (auto u =
            tx.exec("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", {id});
        !u)
      return tl::unexpected(u.error());
    auto user = loadUser(tx, id);
    if (!user) return user;
    for (const Grant& g : user->grants)
      if (g.ente) {
        entry.ente = g.ente;
        break;
      }
    if (auto s = audit::append(tx, entry, now); !s) return tl::unexpected(s.error());
    return user;
  });
  if (!created) return tl::unexpected(created.error());
  out.user = std::move(*created);
  Principal p;
  p.grants = out.user.grants;
  p.totp_enabled = out.user.totp_enabled;
  out.totp_enrollment_required = needsTotpEnrollment(p);
  return out;
}

Result<Principal> Identity::authenticate(const std::string& token) {
  if (token.empty() || token.size() > 128)
    return fail(ErrorCode::kUnauthenticated, "sessione non valida");
  const TimePoint now = clock_.now();
  const std::string key = sha256Hex(token);
  const auto steady = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(sessions_mu_);
    auto hit = sessions_.find(key);
    if (hit != sessions_.end() && hit->second.fresh_until > steady &&
        (!hit->second.expires_at || *hit->second.expires_at > now))
      return hit->second.principal;
  }
  // One statement per request: the session, its user and the user's grants (a row per grant).
  auto rows = db_.query(
      "SELECT t.user_id, t.kind, t.csrf_token, t.expires_at, t.revoked, u.username, "
      "u.display_name, u.disabled, u.totp_secret, g.role, g.ente, u.fiscal_code FROM auth_tokens t "
      "JOIN users u ON u.id = t.user_id LEFT JOIN grants g ON g.user_id = u.id "
      "WHERE t.token_hash = ?",
      {key});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kUnauthenticated, "sessione non valida o scaduta");
  const db::Row& r = rows->front();
  if (r.boolean(4) || r.boolean(7))
    return fail(ErrorCode::kUnauthenticated, "sessione non valida o scaduta");
  if (auto exp = r.optText(3); exp && *exp <= formatTimestamp(now))
    return fail(ErrorCode::kUnauthenticated, "sessione scaduta: accedere di nuovo");
  Principal p;
  p.user_id = r.integer(0);
  p.api_token = r.text(1) == "api";
  p.csrf_token = r.text(2);
  p.username = r.text(5);
  p.display_name = r.text(6);
  p.totp_enabled = !r.isNull(8);
  p.fiscal_code = r.optText(11);
  for (const db::Row& g : *rows)
    if (!g.isNull(9))
      if (auto role = parseRole(g.text(9))) p.grants.push_back({*role, g.optText(10)});
  std::lock_guard lock(sessions_mu_);
  // Bounded: a spray of distinct tokens cannot grow it without limit.
  if (sessions_.size() >= 10000) sessions_.clear();
  std::optional<TimePoint> expires_at;
  if (auto exp = r.optText(3)) expires_at = parseTimestamp(*exp);
  sessions_[key] = CachedSession{p, expires_at, steady + kSessionCacheTtl};
  return p;
}

void Identity::forgetSessions() {
  std::lock_guard lock(sessions_mu_);
  sessions_.clear();
}

Status Identity::logout(const std::string& token, const Principal& p,
                        const std::string& request_id) {
  auto done = db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?", {sha256Hex(token)});
    if (!r) return tl::unexpected(r.error());
    audit::Entry e = audit::Entry::by(p, request_id);
    e.action = "auth.logout";
    e.object_type = "user";
    e.object_id = std::to_string(p.user_id);
    return audit::append(tx, e, clock_.now());
  });
  // After the commit: a request racing the change must not cache the old session again.
  forgetSessions();
  return done;
}

Result<std::string> Identity::createApiToken(std::int64_t user_id, const std::string& name,
                                             const Principal& actor, const audit::Entry& who) {
  if (name.empty() || name.size() > 100) return failField("name", "da 1 a 100 caratteri");
  auto target = getUser(user_id, actor);
  if (!target) return tl::unexpected(target.error());
  if (user_id != actor.user_id && !canManage(actor, target->grants))
    return fail(ErrorCode::kForbidden, "non autorizzato a creare token per questo utente");
  const std::string token = "cst_" + randomToken();
  auto s = db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    const TimePoint now = clock_.now();
    auto r = tx.exec(
        "INSERT INTO auth_tokens (token_hash, user_id, kind, name, csrf_token, created_at) VALUES "
        "(?,?,'api',?,?,?)",
        {sha256Hex(token), user_id, name, randomToken(24), formatTimestamp(now)});
    if (!r) return tl::unexpected(r.error());
    audit::Entry e = who;
    e.action = "token.create";
    e.object_type = "user";
    e.object_id = std::to_string(user_id);
    e.detail = {{"name", name}, {"username", target->username}};
    for (const Grant& g : target->grants)
      if (g.ente) {
        e.ente = g.ente;
        break;
      }
    return audit::append(tx, e, now);
  });
  if (!s) return tl::unexpected(s.error());
  return token;
}

Status Identity::enableTotp(const Principal& p, const std::string& secret, const std::string& code,
                            const std::string& request_id) {
  const TimePoint now = clock_.now();
  const auto step =
      matchTotpStep(secret, code, std::chrono::system_clock::time_point(now.time_since_epoch()));
  if (!step) return failField("code", "codice OTP non valido per questo segreto");
  auto done = db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r =
        tx.exec("UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
                {secret, *step, formatTimestamp(now), p.user_id});
    if (!r) return tl::unexpected(r.error());
    audit::Entry e = audit::Entry::by(p, request_id);
    e.action = "auth.totp_enable";
    e.object_type = "user";
    e.object_id = std::to_string(p.user_id);
    return audit::append(tx, e, now);
  });
  // After the commit: a request racing the change must not cache the old session again.
  forgetSessions();
  return done;
}

Result<std::int64_t> Identity::purgeExpiredSessions() {
  return db_.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) {
    return tx.exec(
        "DELETE FROM auth_tokens WHERE kind = 'session' AND (expires_at < ? OR revoked = 1)",
        {formatTimestamp(clock_.now())});
  });
}

}  // namespace cst::auth
