#include "disposal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "disposal_store.hpp"
#include "fixity_store.hpp"
#include "platform/platform.hpp"

namespace cst::preservation {

namespace {

constexpr std::size_t kMaxClass = 100;
constexpr std::size_t kMaxText = 2000;
constexpr int kMaxYears = 100;

Json orNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// UTF-8 characters, not bytes: the limits are what the user sees.
std::size_t characters(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

const char* italianState(const std::string& state) {
  if (state == "proposed") return "proposto";
  if (state == "approved") return "approvato";
  if (state == "authorised") return "autorizzato";
  if (state == "executed") return "eseguito";
  if (state == "cancelled") return "annullato";
  return "sconosciuto";
}

// 409 naming the state the disposal is in and the ones the step starts from.
Error wrongState(const std::string& state, const std::vector<std::string>& from) {
  std::string allowed;
  for (const std::string& s : from)
    allowed +=
        (allowed.empty() ? "" : " o ") + std::string("\"") + s + "\" (" + italianState(s) + ")";
  return Error::make(ErrorCode::kConflict, "lo scarto è nello stato \"" + state + "\" (" +
                                               italianState(state) +
                                               "): l'operazione richiede lo stato " + allowed);
}

// The date, when `v` is an Allegato 5 date (AAAA-MM-GG naming a real day).
std::optional<std::string> dateIn(const Json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (!calendar::parseDate(s, "date")) return std::nullopt;
  return s;
}

// The Europe/Rome day of a platform timestamp (UTC).
std::string romeDay(const std::string& timestamp) {
  if (auto t = parseTimestamp(timestamp))
    return calendar::formatDate(calendar::romeDate(std::chrono::floor<std::chrono::seconds>(*t)));
  return timestamp.substr(0, 10);
}

std::optional<std::string> field(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return std::nullopt;
  return dateIn(object[key]);
}

}  // namespace

Json toJson(const RetentionTable& t) {
  Json rules = Json::array();
  for (const RetentionRule& r : t.rules)
    rules.push_back({{"document_class", r.document_class},
                     {"years", r.years ? Json(*r.years) : Json(nullptr)},
                     {"note", r.note}});
  return {{"ente", t.ente},
          {"rules", rules},
          {"updated_at", orNull(t.updated_at)},
          {"updated_by", orNull(t.updated_by)}};
}

Result<std::vector<RetentionRule>> parseRetentionRules(const Json& body) {
  if (!body.is_object() || !body.contains("rules") || !body["rules"].is_array())
    return tl::unexpected(Error::badInput("rules",
                                          "elenco delle regole di conservazione "
                                          "obbligatorio (anche vuoto)"));
  const Json& list = body["rules"];
  Error e = Error::make(ErrorCode::kBadInput, "tabella dei tempi di conservazione non valida");
  if (list.size() > 1000)
    return tl::unexpected(Error::badInput("rules", "al massimo 1000 classi documentali"));
  std::vector<RetentionRule> rules;
  std::set<std::string> seen;
  // Every problem is named, up to a page of them.
  for (std::size_t i = 0; i < list.size() && e.fields.size() < 50; ++i) {
    const std::string at = "rules[" + std::to_string(i) + "]";
    const Json& r = list[i];
    if (!r.is_object()) {
      e.fields.push_back({at, "deve essere un oggetto {document_class, years, note}"});
      continue;
    }
    RetentionRule rule;
    if (!r.contains("document_class") || !r["document_class"].is_string() ||
        trimmed(r["document_class"].get<std::string>()).empty()) {
      e.fields.push_back({at + ".document_class", "classe documentale obbligatoria"});
    } else {
      rule.document_class = trimmed(r["document_class"].get<std::string>());
      if (characters(rule.document_class) > kMaxClass)
        e.fields.push_back(
            {at + ".document_class", "al massimo " + std::to_string(kMaxClass) + " caratteri"});
      else if (!seen.insert(rule.document_class).second)
        e.fields.push_back(
            {at + ".document_class", "classe documentale ripetuta: " + rule.document_class});
    }
    // null (or absent) is "permanente": never proposed for scarto.
    if (r.contains("years") && !r["years"].is_null()) {
      const Json& y = r["years"];
      if (!y.is_number_integer() || y.get<std::int64_t>() < 1 || y.get<std::int64_t>() > kMaxYears)
        e.fields.push_back({at + ".years", "numero intero di anni da 1 a " +
                                               std::to_string(kMaxYears) +
                                               ", oppure null per la conservazione permanente"});
      else
        rule.years = static_cast<int>(y.get<std::int64_t>());
    }
    if (r.contains("note") && !r["note"].is_null()) {
      if (!r["note"].is_string())
        e.fields.push_back({at + ".note", "deve essere un testo"});
      else if (characters(r["note"].get<std::string>()) > kMaxText)
        e.fields.push_back({at + ".note", "al massimo " + std::to_string(kMaxText) + " caratteri"});
      else
        rule.note = r["note"].get<std::string>();
    }
    rules.push_back(std::move(rule));
  }
  if (!e.fields.empty()) {
    e.detail = e.fields.front().field + ": " + e.fields.front().message;
    return tl::unexpected(e);
  }
  std::sort(rules.begin(), rules.end(), [](const RetentionRule& a, const RetentionRule& b) {
    return a.document_class < b.document_class;
  });
  return rules;
}

std::string documentDate(const std::string& kind, const Json& metadati,
                         const std::string& created_at) {
  if (kind == "aggregazione") {
    // An open fascicolo has no closing date: its retention cannot run from it yet.
    if (auto d = field(metadati, "DataChiusura")) return *d;
  } else if (metadati.is_object() && metadati.contains("DatiDiRegistrazione") &&
             metadati["DatiDiRegistrazione"].is_object() &&
             metadati["DatiDiRegistrazione"].contains("TipoRegistro")) {
    // TipoRegistro is an XSD choice: one of Nessuno, ProtocolloOrdinario_ProtocolloEmergenza,
    // Repertorio_Registro, each with its own date field.
    const Json& choice = metadati["DatiDiRegistrazione"]["TipoRegistro"];
    for (const char* date :
         {"DataDocumento", "DataProtocollazioneDocumento", "DataRegistrazioneDocumento"}) {
      if (auto d = field(choice, date)) return *d;
      if (choice.is_object())
        for (const auto& [name, body] : choice.items())
          if (auto d = field(body, date)) return *d;
    }
  }
  return romeDay(created_at);
}

Json toJson(const DisposalItem& i) {
  Json documents = Json::array();
  for (const DisposalDocument& d : i.documents)
    documents.push_back({{"path", d.path}, {"sha256", d.sha256}, {"size", d.size}});
  return {{"aip_id", i.aip_id},
          {"title", i.title},
          {"document_class", i.document_class},
          {"kind", i.kind},
          {"document_date", i.document_date},
          {"retention_years", i.retention_years},
          {"expired_on", i.expired_on},
          {"index_sha256", i.index_sha256},
          {"package_bytes", i.package_bytes},
          {"documents", documents},
          {"deleted_objects", i.deleted_objects ? Json(*i.deleted_objects) : Json(nullptr)}};
}

std::int64_t Disposal::totalBytes() const {
  std::int64_t n = 0;
  for (const DisposalItem& i : items) n += i.package_bytes;
  return n;
}

Json toJson(const Disposal& d) {
  Json items = Json::array();
  for (const DisposalItem& i : d.items) items.push_back(toJson(i));
  Json authorisation = nullptr;
  if (d.authorisation)
    authorisation = {{"authority", d.authorisation->authority},
                     {"reference", d.authorisation->reference},
                     {"date", d.authorisation->date},
                     {"recorded_by", d.authorisation->recorded_by},
                     {"recorded_at", d.authorisation->recorded_at}};
  return {{"id", d.id},
          {"ente", d.ente},
          {"state", d.state},
          {"reason", d.reason},
          {"created_at", d.created_at},
          {"created_by", d.created_by},
          {"approved_at", orNull(d.approved_at)},
          {"approved_by", orNull(d.approved_by)},
          {"approval_note", orNull(d.approval_note)},
          {"authorisation", authorisation},
          {"executed_at", orNull(d.executed_at)},
          {"executed_by", orNull(d.executed_by)},
          {"cancelled_at", orNull(d.cancelled_at)},
          {"cancelled_by", orNull(d.cancelled_by)},
          {"cancel_reason", orNull(d.cancel_reason)},
          {"items", items},
          {"item_count", d.items.size()},
          {"total_bytes", d.totalBytes()}};
}

Disposals::Disposals(Platform& p, Copies& copies) : p_(p), copies_(copies) {}

std::string Disposals::today() const {
  return calendar::formatDate(
      calendar::romeDate(std::chrono::floor<std::chrono::seconds>(p_.clock->now())));
}

Result<RetentionTable> Disposals::retention(const std::string& ente) {
  return p_.db->transact<RetentionTable>(db::TxMode::kRead,
                                         [&](db::Tx& tx) { return store::retention(tx, ente); });
}

Result<RetentionTable> Disposals::setRetention(const std::string& ente,
                                               std::vector<RetentionRule> rules,
                                               const audit::Entry& who) {
  if (auto e = p_.enti->get(ente); !e) {
    if (e.error().code == ErrorCode::kNotFound)
      return fail(ErrorCode::kNotFound, "ente non trovato: " + ente);
    return tl::unexpected(e.error());
  }
  const auto now = p_.clock->now();
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto before = store::retention(tx, ente);
    if (!before) return tl::unexpected(before.error());
    if (auto w = store::replaceRetention(tx, ente, rules, formatTimestamp(now), who.actor); !w)
      return w;
    RetentionTable after{ente, rules, "", ""};
    audit::Entry e = who;
    e.ente = ente;
    e.action = "preservation.retention.update";
    e.object_type = "retention";
    e.object_id = ente;
    // Classes and years, before and after: the notes are in the table itself.
    const auto brief = [](const RetentionTable& t) {
      Json out = Json::array();
      for (const RetentionRule& r : t.rules)
        out.push_back({{"document_class", r.document_class},
                       {"years", r.years ? Json(*r.years) : Json(nullptr)}});
      return out;
    };
    e.detail = {{"rules", brief(after)}, {"previous", brief(*before)}};
    return audit::append(tx, e, now);
  });
  if (!s) return tl::unexpected(s.error());
  return retention(ente);
}

namespace {

// The due AIPs of the ente's rules as of `today`: a document is due once its date plus the years
// is today or earlier, found as its date being on or before today minus the years (an index
// range); for a 29 February the two differ by one day, the later one.
Result<std::vector<DisposalItem>> dueOn(db::Tx& tx, const std::string& ente,
                                        const std::string& today) {
  auto day = calendar::parseDate(today, "today");
  if (!day) return tl::unexpected(day.error());
  auto table = store::retention(tx, ente);
  if (!table) return tl::unexpected(table.error());
  std::vector<DisposalItem> out;
  for (const RetentionRule& rule : table->rules) {
    if (!rule.years) continue;  // permanente
    const std::string cutoff = calendar::formatDate(calendar::addMonths(*day, -12 * *rule.years));
    auto expired = store::expiredAips(tx, ente, rule.document_class, cutoff);
    if (!expired) return tl::unexpected(expired.error());
    for (DisposalItem& i : *expired) {
      auto from = calendar::parseDate(i.document_date, "document_date");
      if (!from) continue;  // a date that cannot be read is never taken as expired
      i.retention_years = *rule.years;
      i.expired_on = calendar::formatDate(calendar::addMonths(*from, 12 * *rule.years));
      out.push_back(std::move(i));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<DisposalItem>> Disposals::due(const std::string& ente) {
  const std::string day = today();
  return p_.db->transact<std::vector<DisposalItem>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return dueOn(tx, ente, day); });
}

Result<Disposal> Disposals::propose(const std::string& ente, const std::string& reason,
                                    const audit::Entry& who) {
  if (characters(reason) > kMaxText)
    return tl::unexpected(
        Error::badInput("reason", "al massimo " + std::to_string(kMaxText) + " caratteri"));
  const auto now = p_.clock->now();
  const std::string day = today();
  Disposal d;
  d.id = randomToken(12);
  d.ente = ente;
  d.state = "proposed";
  d.reason = trimmed(reason);
  d.created_at = formatTimestamp(now);
  d.created_by = who.actor;
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto due = dueOn(tx, ente, day);
    if (!due) return tl::unexpected(due.error());
    d.items.clear();
    for (DisposalItem& i : *due)
      if (i.in_disposal.empty()) d.items.push_back(std::move(i));
    if (d.items.empty())
      return fail(ErrorCode::kRuleViolated,
                  "nessun pacchetto dell'ente ha superato il tempo di conservazione al " + day +
                      " (o è già in una proposta di scarto aperta): controllare la tabella dei "
                      "tempi di conservazione");
    if (auto w = store::insertDisposal(tx, d); !w) return w;
    std::set<std::string> classes;
    for (const DisposalItem& i : d.items) classes.insert(i.document_class);
    audit::Entry e = who;
    e.ente = ente;
    e.action = "preservation.disposal.propose";
    e.object_type = "disposal";
    e.object_id = d.id;
    e.detail = {
        {"aips", d.items.size()}, {"bytes", d.totalBytes()}, {"classes", classes}, {"as_of", day}};
    return audit::append(tx, e, now);
  });
  if (!s) return tl::unexpected(s.error());
  auth::EnteScope scope;
  scope.enti.insert(ente);
  return get(d.id, scope);
}

Result<std::vector<Disposal>> Disposals::list(const std::string& ente, int limit) {
  return p_.db->transact<std::vector<Disposal>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::disposals(tx, ente, limit); });
}

Result<Disposal> Disposals::get(const std::string& id, const auth::EnteScope& scope) {
  auto d = p_.db->transact<std::optional<Disposal>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::disposal(tx, id); });
  if (!d) return tl::unexpected(d.error());
  // Another ente's disposal is as absent as one that does not exist.
  if (!*d || !scope.contains((*d)->ente)) return fail(ErrorCode::kNotFound, "scarto non trovato");
  return **d;
}

Result<Disposal> Disposals::transition(
    const std::string& id, const auth::EnteScope& scope, const std::vector<std::string>& from,
    const std::function<Status(db::Tx&, const Disposal&)>& step) {
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto d = store::disposal(tx, id);
    if (!d) return tl::unexpected(d.error());
    if (!*d || !scope.contains((*d)->ente)) return fail(ErrorCode::kNotFound, "scarto non trovato");
    if (std::find(from.begin(), from.end(), (*d)->state) == from.end())
      return tl::unexpected(wrongState((*d)->state, from));
    return step(tx, **d);
  });
  if (!s) return tl::unexpected(s.error());
  return get(id, scope);
}

namespace {

// Moves the disposal from the state it was read in; kConflict when a concurrent step moved it.
// A step's store update: kConflict when the disposal left the state it was read in.
Status advanced(const Result<bool>& moved) {
  if (!moved) return tl::unexpected(moved.error());
  if (!*moved) return fail(ErrorCode::kConflict, "lo scarto è cambiato nel frattempo: riprovare");
  return {};
}

audit::Entry entryFor(const audit::Entry& who, const Disposal& d, const std::string& action) {
  audit::Entry e = who;
  e.ente = d.ente;
  e.action = action;
  e.object_type = "disposal";
  e.object_id = d.id;
  return e;
}

}  // namespace

Result<Disposal> Disposals::approve(const std::string& id, const auth::EnteScope& scope,
                                    const std::string& note, const audit::Entry& who) {
  if (characters(note) > kMaxText)
    return tl::unexpected(
        Error::badInput("note", "al massimo " + std::to_string(kMaxText) + " caratteri"));
  const auto now = p_.clock->now();
  return transition(id, scope, {"proposed"}, [&](db::Tx& tx, const Disposal& d) -> Status {
    const std::string kept = trimmed(note);
    if (auto s = advanced(
            store::approveDisposal(tx, d.id, d.state, formatTimestamp(now), who.actor, kept));
        !s)
      return s;
    audit::Entry e = entryFor(who, d, "preservation.disposal.approve");
    e.detail = {{"aips", d.items.size()}, {"note", kept}};
    return audit::append(tx, e, now);
  });
}

Result<Disposal> Disposals::authorise(const std::string& id, const auth::EnteScope& scope,
                                      Authorisation a, const audit::Entry& who) {
  const std::string day = today();
  a.authority = trimmed(a.authority);
  a.reference = trimmed(a.reference);
  Error bad = Error::make(ErrorCode::kBadInput, "autorizzazione allo scarto non valida");
  if (a.authority.empty())
    bad.fields.push_back({"authority",
                          "ente che ha autorizzato lo scarto obbligatorio (es. "
                          "Soprintendenza archivistica)"});
  else if (characters(a.authority) > 200)
    bad.fields.push_back({"authority", "al massimo 200 caratteri"});
  if (a.reference.empty())
    bad.fields.push_back({"reference", "numero di protocollo dell'autorizzazione obbligatorio"});
  else if (characters(a.reference) > 100)
    bad.fields.push_back({"reference", "al massimo 100 caratteri"});
  if (!calendar::parseDate(a.date, "date"))
    bad.fields.push_back({"date", "data dell'autorizzazione obbligatoria, nel formato AAAA-MM-GG"});
  else if (a.date > day)
    bad.fields.push_back({"date", "la data dell'autorizzazione non può essere nel futuro"});
  if (!bad.fields.empty()) {
    bad.detail = bad.fields.front().field + ": " + bad.fields.front().message;
    return tl::unexpected(bad);
  }
  const auto now = p_.clock->now();
  return transition(id, scope, {"approved"}, [&](db::Tx& tx, const Disposal& d) -> Status {
    // The Soprintendenza authorises a list it was sent: not before the list existed.
    const std::string proposed_on = romeDay(d.created_at);
    if (a.date < proposed_on)
      return tl::unexpected(Error::badInput(
          "date",
          "la data dell'autorizzazione precede la proposta di scarto (" + proposed_on + ")"));
    if (auto s = advanced(
            store::authoriseDisposal(tx, d.id, d.state, a, who.actor, formatTimestamp(now)));
        !s)
      return s;
    audit::Entry e = entryFor(who, d, "preservation.disposal.authorise");
    e.detail = {{"authority", a.authority}, {"reference", a.reference}, {"date", a.date}};
    return audit::append(tx, e, now);
  });
}

Result<Disposal> Disposals::execute(const std::string& id, const auth::EnteScope& scope,
                                    const audit::Entry& who) {
  // Exclusive: no ingest is between writing objects to the copies and committing the rows that
  // hold them, so "no live package holds it" below is the whole truth until the files are gone.
  std::unique_lock lock(copies_.contentLock());
  const auto now = p_.clock->now();
  const std::string at = formatTimestamp(now);
  std::vector<std::string> deletable;
  std::string ente;
  auto done = transition(id, scope, {"authorised"}, [&](db::Tx& tx, const Disposal& d) -> Status {
    ente = d.ente;
    auto objects = store::disposeAips(tx, d.id, at);
    if (!objects) return tl::unexpected(objects.error());
    deletable = std::move(*objects);
    // The fixity audits stop looking for what is about to be destroyed.
    for (const std::string& sha : deletable)
      if (auto s = store::forgetObject(tx, sha); !s) return s;
    if (auto s = advanced(store::executeDisposal(tx, d.id, d.state, at, who.actor)); !s) return s;
    for (const DisposalItem& i : d.items) {
      audit::Entry e = who;
      e.ente = d.ente;
      e.action = "preservation.aip.dispose";
      e.object_type = "aip";
      e.object_id = i.aip_id;
      e.detail = {{"disposal", d.id},
                  {"title", i.title},
                  {"document_class", i.document_class},
                  {"index_sha256", i.index_sha256}};
      if (auto s = audit::append(tx, e, now); !s) return s;
    }
    audit::Entry e = entryFor(who, d, "preservation.disposal.execute");
    e.detail = {{"aips", d.items.size()},
                {"bytes", d.totalBytes()},
                {"deleted_objects", deletable.size()},
                {"authority", d.authorisation ? d.authorisation->authority : ""},
                {"reference", d.authorisation ? d.authorisation->reference : ""}};
    return audit::append(tx, e, now);
  });
  if (!done) return done;
  // The files go only after the rows say so: a crash in between leaves orphan objects in the
  // copies (found and removable later), never a live package without its content.
  std::vector<std::string> left;
  for (const std::string& sha : deletable)
    if (auto s = copies_.remove(sha); !s) {
      spdlog::error("preservation: scarto {}: object {} not deleted: {}", id, sha,
                    s.error().detail);
      left.push_back(sha);
    }
  if (!left.empty()) {
    audit::Entry e = entryFor(who, *done, "preservation.disposal.leftovers");
    e.outcome = "failed";
    e.detail = {{"objects", left}};
    if (auto s = audit::appendAlone(*p_.db, e, p_.clock->now()); !s)
      spdlog::error("preservation: scarto {}: audit: {}", id, s.error().detail);
  }
  spdlog::info("preservation: scarto {} of {} executed ({} AIPs, {} objects deleted)", id, ente,
               done->items.size(), deletable.size() - left.size());
  return done;
}

Result<Disposal> Disposals::cancel(const std::string& id, const auth::EnteScope& scope,
                                   const std::string& reason, const audit::Entry& who) {
  const std::string why = trimmed(reason);
  if (why.empty())
    return tl::unexpected(Error::badInput("reason", "motivo dell'annullamento obbligatorio"));
  if (characters(why) > kMaxText)
    return tl::unexpected(
        Error::badInput("reason", "al massimo " + std::to_string(kMaxText) + " caratteri"));
  const auto now = p_.clock->now();
  return transition(
      id, scope, {"proposed", "approved"}, [&](db::Tx& tx, const Disposal& d) -> Status {
        if (auto s = advanced(
                store::cancelDisposal(tx, d.id, d.state, formatTimestamp(now), who.actor, why));
            !s)
          return s;
        // Its packages may be proposed again.
        if (auto s = store::releaseItems(tx, d.id); !s) return s;
        audit::Entry e = entryFor(who, d, "preservation.disposal.cancel");
        e.detail = {{"reason", why}, {"from_state", d.state}, {"aips", d.items.size()}};
        return audit::append(tx, e, now);
      });
}

}  // namespace cst::preservation
