#include "service.hpp"

#include "calendar/calendar.hpp"
#include "common/crypto.hpp"
#include "platform/platform.hpp"
#include "segnatura.hpp"

namespace cst::protocol {

using nlohmann::json;

namespace {

// A registration that took its number just before midnight of 31 December and its time just
// after: the transaction is rolled back (the number returns) and run again in the new year.
constexpr const char* kYearTurned = "protocol-year-turned";

audit::Entry entryFor(const audit::Entry& who, const std::string& ente, const std::string& action,
                      const std::string& object_type, const std::string& object_id) {
  audit::Entry e = who;
  e.ente = ente;
  e.action = action;
  e.object_type = object_type;
  e.object_id = object_id;
  return e;
}

Result<Registration> visible(Result<std::optional<Registration>> found,
                             const auth::EnteScope& scope) {
  if (!found) return tl::unexpected(found.error());
  if (!*found || !scope.contains((*found)->ente))
    return fail(ErrorCode::kNotFound, "registrazione di protocollo non trovata");
  return std::move(**found);
}

}  // namespace

std::string romeDay(TimePoint t) {
  return calendar::formatDate(calendar::romeDate(std::chrono::floor<std::chrono::seconds>(t)));
}

int romeYear(TimePoint t) {
  return static_cast<int>(calendar::romeDate(std::chrono::floor<std::chrono::seconds>(t)).year());
}

Service::Service(Platform& p) : p_(p) {}

Result<xml::SealKey> Service::seal() {
  // Loaded (or created) at the first registration, not when the module connects: CLI verbs that
  // never register do not touch <data>/keys.
  std::lock_guard lock(seal_mutex_);
  if (!seal_) {
    auto loaded = xml::loadOrCreateSeal(p_.config.data_dir / "keys",
                                        "CST - sigillo elettronico del protocollo informatico");
    if (!loaded) return tl::unexpected(loaded.error());
    seal_ = std::move(*loaded);
  }
  return *seal_;
}

Result<std::optional<Aoo>> Service::aoo(const std::string& ente) {
  return p_.db->transact<std::optional<Aoo>>(db::TxMode::kRead,
                                             [&](db::Tx& tx) { return store::aoo(tx, ente); });
}

Result<Aoo> Service::saveAoo(const std::string& ente, const json& body, const audit::Entry& who) {
  auto a = aooFromJson(ente, body);
  if (!a) return a;
  const TimePoint now = p_.clock->now();
  a->updated_at = formatTimestamp(now);
  a->updated_by = who.actor;
  a->configured_on = romeDay(now);  // kept from the first configuration on
  return p_.db->transact<Aoo>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Aoo> {
    if (auto s = store::saveAoo(tx, *a); !s) return tl::unexpected(s.error());
    auto saved = store::aoo(tx, ente);
    if (!saved) return tl::unexpected(saved.error());
    audit::Entry e = entryFor(who, ente, "protocol.aoo.update", "protocol_aoo", ente);
    e.detail = toJson(**saved);
    if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
    return **saved;
  });
}

Result<std::vector<ProtocolClass>> Service::classes(const std::string& ente) {
  return p_.db->transact<std::vector<ProtocolClass>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::classes(tx, ente); });
}

Result<ProtocolClass> Service::addClass(const std::string& ente, const json& body,
                                        const audit::Entry& who) {
  auto c = classFromJson(body);
  if (!c) return c;
  return p_.db->transact<ProtocolClass>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<ProtocolClass> {
        const TimePoint now = p_.clock->now();
        if (auto s = store::insertClass(tx, ente, *c, formatTimestamp(now)); !s)
          return tl::unexpected(s.error());
        audit::Entry e = entryFor(who, ente, "protocol.class.create", "protocol_class", c->code);
        e.detail = toJson(*c);
        if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
        return *c;
      });
}

Result<std::vector<Folder>> Service::folders(const std::string& ente) {
  return p_.db->transact<std::vector<Folder>>(db::TxMode::kRead,
                                              [&](db::Tx& tx) { return store::folders(tx, ente); });
}

Result<Folder> Service::openFolder(const std::string& ente, const json& body,
                                   const audit::Entry& who) {
  auto f = folderFromJson(ente, body);
  if (!f) return f;
  return p_.db->transact<Folder>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Folder> {
    const TimePoint now = p_.clock->now();
    auto c = store::classByCode(tx, ente, f->class_code);
    if (!c) return tl::unexpected(c.error());
    if (!*c || !(*c)->active)
      return failField("class_code", "classe del titolario inesistente o non più in uso");
    f->opened_on = romeDay(now);
    if (auto s = store::insertFolder(tx, *f, who.actor); !s) return tl::unexpected(s.error());
    audit::Entry e = entryFor(who, ente, "protocol.folder.create", "protocol_folder", f->code);
    e.detail = toJson(*f);
    if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
    return *f;
  });
}

Result<Registration> Service::registerDocument(const NewRegistration& in, const audit::Entry& who) {
  // The documents are read before the transaction (their own connection): each an upload of
  // this ente, clean, that the caller may use.
  std::vector<uploads::Upload> docs;
  Error bad = Error::make(ErrorCode::kBadInput, "documenti non utilizzabili");
  auto take = [&](const std::string& id, const std::string& field) {
    auto u = p_.uploads->get(id);
    if (!u || u->ente != in.ente) {
      bad.fields.push_back({field, "file non trovato tra quelli caricati per questo ente"});
      return;
    }
    if (u->scan != uploads::ScanState::kClean) {
      bad.fields.push_back({field, "file non verificato dall'antivirus: non protocollabile"});
      return;
    }
    docs.push_back(std::move(*u));
  };
  take(in.primary_upload, "primary_document.upload_id");
  for (std::size_t i = 0; i < in.attachments.size(); ++i)
    take(in.attachments[i].upload_id, "attachments[" + std::to_string(i) + "].upload_id");
  if (!bad.fields.empty()) {
    bad.detail = bad.fields.front().field + ": " + bad.fields.front().message;
    return tl::unexpected(bad);
  }
  for (int attempt = 0;; ++attempt) {
    auto r = registerOnce(in, who, docs);
    if (r || r.error().type != kYearTurned || attempt == 2) return r;
  }
}

Result<Registration> Service::registerOnce(const NewRegistration& in, const audit::Entry& who,
                                           const std::vector<uploads::Upload>& docs) {
  auto seal_key = seal();
  if (!seal_key) return tl::unexpected(seal_key.error());
  // Outside the transaction: these take a pooled connection of their own.
  auto ente = p_.enti->get(in.ente);
  if (!ente) return tl::unexpected(ente.error());
  if (!ente->ipa_code)
    return failField("ente", "l'ente non ha un codice IPA: indicarlo nell'anagrafica degli enti");
  AooIdentity identity{{}, enti::formalName(*ente), *ente->ipa_code, ente->codice_fiscale};
  return p_.db->transact<Registration>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Registration> {
    auto aoo = store::aoo(tx, in.ente);
    if (!aoo) return tl::unexpected(aoo.error());
    if (!*aoo) {
      Error e = Error::make(ErrorCode::kRuleViolated,
                            "protocollo non configurato per l'ente: indicare prima l'AOO");
      e.fields.push_back({"ente", "AOO e registro di protocollo non configurati"});
      return tl::unexpected(e);
    }
    identity.aoo = **aoo;
    auto c = store::classByCode(tx, in.ente, in.class_code);
    if (!c) return tl::unexpected(c.error());
    if (!*c || !(*c)->active)
      return failField("class_code", "classe del titolario inesistente o non più in uso");
    Registration r;
    if (in.folder_code) {
      auto f = store::folderByCode(tx, in.ente, *in.folder_code);
      if (!f) return tl::unexpected(f.error());
      if (!*f || (*f)->closed_on) return failField("folder_code", "fascicolo inesistente o chiuso");
      r.folder_subject = (*f)->subject;
    }
    const int year = romeYear(p_.clock->now());
    auto number = store::nextNumber(tx, in.ente, year);
    if (!number) return tl::unexpected(number.error());
    // The time after the number: numbers and times of one register go up together.
    const TimePoint now = p_.clock->now();
    if (romeYear(now) != year) {
      Error e = Error::make(ErrorCode::kConflict, "anno cambiato durante la registrazione");
      e.type = kYearTurned;
      return tl::unexpected(e);
    }
    r.ente = in.ente;
    r.year = year;
    r.number = *number;
    r.registry_code = identity.aoo.registry_code;
    r.registered_at = formatTimestamp(now);
    r.registered_on = romeDay(now);
    r.flow = in.flow;
    r.subject = in.subject;
    r.correspondents = in.correspondents;
    r.sender_date = in.sender_date;
    r.sender_number = in.sender_number;
    r.channel = in.channel;
    r.class_code = (*c)->code;
    r.class_description = (*c)->description;
    r.folder_code = in.folder_code;
    r.reserved = in.reserved;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const uploads::Upload& u = docs[i];
      r.documents.push_back(
          {static_cast<int>(i), u.id, u.filename, u.content_type, u.sha256, u.size,
           i == 0 ? in.primary_description : std::optional(in.attachments[i - 1].description)});
    }
    r.attachments_count = static_cast<int>(in.attachments.size());
    r.registered_by = who.actor;
    auto segnatura = makeSegnatura(r, identity, *seal_key);
    if (!segnatura) return tl::unexpected(segnatura.error());
    r.segnatura_sha256 = sha256Hex(*segnatura);
    if (auto s = store::insertRegistration(tx, r, *segnatura); !s) return tl::unexpected(s.error());
    audit::Entry e = entryFor(who, in.ente, "protocol.registration.create", "protocol_registration",
                              std::to_string(r.id));
    e.detail = {{"year", r.year},
                {"number", formatNumber(r.number)},
                {"flow", flowName(r.flow)},
                {"segnatura_sha256", r.segnatura_sha256}};
    if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
    return r;
  });
}

Result<Registration> Service::registration(std::int64_t id, const auth::EnteScope& scope) {
  return visible(p_.db->transact<std::optional<Registration>>(
                     db::TxMode::kRead, [&](db::Tx& tx) { return store::registration(tx, id); }),
                 scope);
}

Result<Registration> Service::registration(std::int64_t id) {
  return registration(id, auth::EnteScope{true, {}, false});
}

Result<std::string> Service::segnatura(std::int64_t id, const auth::EnteScope& scope) {
  auto found = p_.db->transact<std::optional<store::StoredSegnatura>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::segnatura(tx, id); });
  if (!found) return tl::unexpected(found.error());
  if (!*found || !scope.contains((*found)->ente))
    return fail(ErrorCode::kNotFound, "registrazione di protocollo non trovata");
  return std::move((*found)->xml);
}

Result<std::vector<Registration>> Service::search(const store::Filter& filter) {
  return p_.db->transact<std::vector<Registration>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::search(tx, filter); });
}

Result<Registration> Service::annul(std::int64_t id, const json& body, const auth::EnteScope& scope,
                                    const audit::Entry& who) {
  auto current = registration(id, scope);
  if (!current) return current;
  audit::Entry e = entryFor(who, current->ente, "protocol.registration.annul",
                            "protocol_registration", std::to_string(id));
  e.detail = {{"year", current->year}, {"number", formatNumber(current->number)}};
  auto refused = [&](const Error& err) -> Result<Registration> {
    audit::Entry d = e;
    d.outcome = "denied";
    d.detail["error"] = err.detail;
    (void)audit::appendAlone(*p_.db, d, p_.clock->now());
    return tl::unexpected(err);
  };
  auto a = annulmentFromJson(body);
  if (!a) return refused(a.error());
  auto done =
      p_.db->transact<Registration>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Registration> {
        const TimePoint now = p_.clock->now();
        auto changed = store::annul(tx, id, *a, who.actor, formatTimestamp(now));
        if (!changed) return tl::unexpected(changed.error());
        if (!*changed)
          return fail(ErrorCode::kConflict,
                      "registrazione già annullata: l'annullamento non si ripete");
        e.detail["reason"] = a->reason;
        e.detail["authorisation"] = a->authorisation;
        if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
        auto r = store::registration(tx, id);
        if (!r) return tl::unexpected(r.error());
        return std::move(**r);
      });
  if (!done && done.error().code != ErrorCode::kInternal &&
      done.error().code != ErrorCode::kUnavailable)
    return refused(done.error());
  return done;
}

Status Service::refuseChange(std::int64_t id, const auth::EnteScope& scope,
                             const audit::Entry& who) {
  auto current = registration(id, scope);
  if (!current) return tl::unexpected(current.error());
  audit::Entry e = entryFor(who, current->ente, "protocol.registration.modify",
                            "protocol_registration", std::to_string(id));
  e.outcome = "denied";
  e.detail = {{"year", current->year}, {"number", formatNumber(current->number)}};
  (void)audit::appendAlone(*p_.db, e, p_.clock->now());
  return fail(ErrorCode::kRuleViolated,
              "una registrazione di protocollo non si modifica (DPR 445/2000 art. 53): si può "
              "solo annullare indicando motivo e autorizzazione");
}

}  // namespace cst::protocol
