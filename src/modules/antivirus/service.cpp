// The quarantine, scanning as a service, settings and events. The engine, the endpoints and the
// watch job are in service_watch.cpp.
#include "service.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "common/crypto.hpp"
#include "helpdesk/api.hpp"
#include "mail/outbox.hpp"
#include "platform/platform.hpp"

namespace cst::antivirus {

namespace {

constexpr const char* kSource = "antivirus";

std::string quarantineKey(std::int64_t id) { return "quarantine:" + std::to_string(id); }

std::filesystem::path quarantineDir(const Platform& p) { return p.config.data_dir / "quarantine"; }

Status checkReason(const std::string& reason) {
  if (reason.empty() || reason.size() > 500)
    return failField("reason", "motivo obbligatorio (massimo 500 caratteri)");
  return {};
}

}  // namespace

Service::Service(Platform& p) : p_(p), held_(quarantineDir(p), p.config.max_blob_bytes) {
  // Infected content: the server's user only. The blob store makes its own subdirectories.
  std::error_code ec;
  std::filesystem::create_directories(quarantineDir(p), ec);
  ::chmod(quarantineDir(p).c_str(), 0700);
}

TimePoint Service::now() const { return p_.clock->now(); }

store::Scope Service::scopeOf(const Visibility& v, const ListQuery& q) const {
  return {v.all_enti, v.enti, q.ente, q.before, q.limit};
}

Status Service::record(db::Tx& tx, Event e) {
  e.created_at = formatTimestamp(now());
  auto id = store::insertEvent(tx, e);
  if (!id) return tl::unexpected(id.error());
  return {};
}

Result<std::optional<std::int64_t>> Service::raiseTicket(const std::string& ente,
                                                         const std::string& key,
                                                         const std::string& subject,
                                                         const std::string& detail, int urgency) {
  auto desk = p_.interfaces.find<helpdesk::MonitoringDesk>();
  if (!desk) return std::optional<std::int64_t>{};
  auto id = desk->raise({ente, kSource, key, subject, detail, urgency, 3});
  if (!id) return tl::unexpected(id.error());
  return std::optional(*id);
}

Result<std::optional<std::int64_t>> Service::recoverTicket(const std::string& ente,
                                                           const std::string& key,
                                                           const std::string& note) {
  auto desk = p_.interfaces.find<helpdesk::MonitoringDesk>();
  if (!desk) return std::optional<std::int64_t>{};
  return desk->recover({ente, kSource, key, note, true});
}

Result<std::string> Service::hold(const uploads::InfectedUpload& u, const audit::Entry& who) {
  auto referents = p_.identity->usersWithRole(u.ente, auth::Role::kEnteAdmin);
  if (!referents) return tl::unexpected(referents.error());
  auto stored = held_.adoptFile(u.file);
  if (!stored) return tl::unexpected(stored.error());
  QuarantineRecord r;
  r.ente = u.ente;
  if (u.owner_id) r.owner_id = u.owner_id;
  r.actor = who.actor.empty() ? "system" : who.actor;
  r.source = u.source;
  r.filename = u.filename;
  r.content_type = u.content_type;
  r.size = static_cast<std::int64_t>(stored->size);
  r.sha256 = stored->sha256;
  r.signature = u.signature;
  r.detected_at = formatTimestamp(now());
  const std::string ente_name = p_.enti->name(u.ente);
  const std::string subject = "File infetto bloccato: " + u.filename;
  const std::string detail = "Il file «" + u.filename + "» caricato da " + r.actor + " (" +
                             r.source + ") il " + r.detected_at +
                             " è stato bloccato dall'antivirus: firma " + r.signature +
                             ". SHA-256 " + r.sha256 + ". Il file è in quarantena presso il CST.";
  auto id =
      p_.db->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::int64_t> {
        auto id = store::insertQuarantine(tx, r);
        if (!id) return id;
        audit::Entry e = who;
        e.ente = r.ente;
        e.action = "antivirus.quarantine";
        e.object_type = "quarantine";
        e.object_id = std::to_string(*id);
        e.detail = {{"filename", r.filename},
                    {"signature", r.signature},
                    {"sha256", r.sha256},
                    {"size", r.size},
                    {"source", r.source}};
        if (auto s = audit::append(tx, e, now()); !s) return tl::unexpected(s.error());
        if (auto s = record(tx, {0, r.ente, EventKind::kQuarantine, subject, detail, {}, {}}); !s)
          return tl::unexpected(s.error());
        for (const auth::User& referent : *referents) {
          if (!referent.email) continue;
          mail::OutgoingMail m{r.ente,
                               *referent.email,
                               "[CST] File infetto bloccato - " + ente_name,
                               "Gentile " + referent.display_name + ",\n\n" + detail +
                                   "\n\nSe il file era atteso e si ritiene un falso positivo, "
                                   "risponda alla segnalazione aperta presso il call center del "
                                   "CST.\n\nCentro Servizi Territoriale",
                               {},
                               {}};
          // A stored address the outbox refuses must not lose the quarantine record.
          if (auto s = mail::enqueue(tx, m, now()); !s && s.error().code != ErrorCode::kBadInput)
            return tl::unexpected(s.error());
        }
        return id;
      });
  if (!id) return tl::unexpected(id.error());
  // The desk's ticket is the desk's own transaction: a failure leaves the record (and the event)
  // in place and is logged; the ente's referents have their mail anyway.
  auto ticket = raiseTicket(r.ente, quarantineKey(*id), subject, detail, 4);
  if (!ticket)
    spdlog::error("antivirus: no ticket for quarantine {}: {}", *id, ticket.error().detail);
  else if (*ticket)
    if (auto s = p_.db->transactStatus(
            db::TxMode::kWrite,
            [&](db::Tx& tx) { return store::setQuarantineTicket(tx, *id, **ticket); });
        !s)
      spdlog::error("antivirus: quarantine {} ticket not recorded: {}", *id, s.error().detail);
  return std::to_string(*id);
}

Result<QuarantineRecord> Service::quarantined(std::int64_t id, const Visibility& v) {
  auto r = p_.db->transact<std::optional<QuarantineRecord>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::quarantine(tx, id); });
  if (!r) return tl::unexpected(r.error());
  if (!*r || !v.sees((*r)->ente))
    return fail(ErrorCode::kNotFound, "file in quarantena non trovato");
  return **r;
}

Result<std::vector<QuarantineRecord>> Service::quarantine(const Visibility& v, const ListQuery& q,
                                                          std::optional<QuarantineStatus> status) {
  return p_.db->transact<std::vector<QuarantineRecord>>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::listQuarantine(tx, scopeOf(v, q), status);
  });
}

Result<std::filesystem::path> Service::quarantineContent(const QuarantineRecord& r,
                                                         const audit::Entry& who) {
  if (r.status != QuarantineStatus::kHeld || !held_.exists(r.sha256))
    return fail(ErrorCode::kNotFound, "il contenuto non è più in quarantena");
  audit::Entry e = who;
  e.ente = r.ente;
  e.action = "antivirus.quarantine.read";
  e.object_type = "quarantine";
  e.object_id = std::to_string(r.id);
  e.detail = {{"filename", r.filename}, {"signature", r.signature}};
  if (auto s = audit::appendAlone(*p_.db, e, now()); !s) return tl::unexpected(s.error());
  return held_.pathOf(r.sha256);
}

Result<QuarantineRecord> Service::release(std::int64_t id, const std::string& reason,
                                          const audit::Entry& who) {
  return decide(id, QuarantineStatus::kReleased, reason, who);
}

Result<QuarantineRecord> Service::discard(std::int64_t id, const std::string& reason,
                                          const audit::Entry& who) {
  return decide(id, QuarantineStatus::kDiscarded, reason, who);
}

Result<QuarantineRecord> Service::decide(std::int64_t id, QuarantineStatus to,
                                         const std::string& reason, const audit::Entry& who) {
  if (auto s = checkReason(reason); !s) return tl::unexpected(s.error());
  auto found = quarantined(id, Visibility{true, {}});
  if (!found) return found;
  QuarantineRecord r = *found;
  if (r.status != QuarantineStatus::kHeld)
    return fail(ErrorCode::kConflict, "il file è già stato rilasciato o eliminato");
  const bool releasing = to == QuarantineStatus::kReleased;
  if (releasing) {
    // The content becomes an ordinary upload of its ente and owner, marked as released: a copy,
    // because another held record may share it (same SHA-256).
    const auto temp = p_.blobs->tempDir() / ("release-" + randomToken(12));
    std::error_code ec;
    std::filesystem::create_directories(temp.parent_path(), ec);
    if (!std::filesystem::copy_file(held_.pathOf(r.sha256), temp, ec) || ec)
      return fail(ErrorCode::kInternal, "copia dalla quarantena non riuscita: " + ec.message());
    uploads::NewUpload in{r.ente, r.owner_id.value_or(0), r.filename, r.content_type,
                          temp,   "antivirus.release"};
    auto upload = p_.uploads->store({in, uploads::ScanState::kReleased}, who);
    if (!upload) return tl::unexpected(upload.error());
    r.released_upload_id = upload->id;
  }
  r.status = to;
  r.decided_by = who.actor;
  r.decided_at = formatTimestamp(now());
  r.reason = reason;
  const std::string what = releasing ? "rilasciato" : "eliminato";
  auto others =
      p_.db->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::int64_t> {
        if (auto s = store::decideQuarantine(tx, r); !s) return tl::unexpected(s.error());
        audit::Entry e = who;
        e.ente = r.ente;
        e.action = releasing ? "antivirus.release" : "antivirus.discard";
        e.object_type = "quarantine";
        e.object_id = std::to_string(r.id);
        e.detail = {{"filename", r.filename}, {"signature", r.signature}, {"reason", reason}};
        if (r.released_upload_id) e.detail["upload_id"] = *r.released_upload_id;
        if (auto s = audit::append(tx, e, now()); !s) return tl::unexpected(s.error());
        return store::otherHolders(tx, r.sha256, r.id);
      });
  if (!others) return tl::unexpected(others.error());
  if (*others == 0) {
    std::error_code ec;
    std::filesystem::remove(held_.pathOf(r.sha256), ec);
  }
  auto noted = recoverTicket(r.ente, quarantineKey(r.id),
                             "File " + what + " dalla quarantena da " + who.actor + ": " + reason);
  if (!noted) spdlog::warn("antivirus: ticket of quarantine {}: {}", r.id, noted.error().detail);
  return r;
}

Result<ScanRecord> Service::scan(const ScanRequest& req, const audit::Entry& who) {
  if (auto s = uploads::checkFilename(req.filename); !s) return tl::unexpected(s.error());
  if (!p_.enti->get(req.ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
  if (!p_.scanner) return fail(ErrorCode::kUnavailable, "antivirus non disponibile");
  ScanRecord r;
  r.ente = req.ente;
  r.filename = req.filename;
  r.actor = who.actor;
  std::error_code ec;
  r.size = static_cast<std::int64_t>(std::filesystem::file_size(req.file, ec));
  if (ec) return fail(ErrorCode::kInternal, "file non leggibile: " + ec.message());
  const auto started = std::chrono::steady_clock::now();
  const scan::ScanVerdict v = p_.scanner->scanFile(req.file);
  using F = scan::ScanVerdict::Failure;
  if (v.clean()) {
    r.verdict = Verdict::kClean;
  } else if (v.infected()) {
    r.verdict = Verdict::kInfected;
    r.signature = v.signature;
  } else if (v.failure == F::kLimitExceeded ||
             (v.failure == F::kTooLarge &&
              p_.uploads->oversizePolicy() == uploads::OversizePolicy::kFlag)) {
    r.verdict = Verdict::kError;
    r.reason = v.failure == F::kTooLarge ? "too_large" : "not_fully_scanned";
  } else {
    return tl::unexpected(scan::verdictToStatus(v).error());
  }
  r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  // The hash taken as the body arrived, else the scanner's (it streamed the file), else a read.
  r.sha256 = !req.sha256.empty() ? req.sha256 : v.sha256;
  if (r.sha256.empty()) {
    auto sha = sha256File(req.file);
    if (!sha) return tl::unexpected(sha.error());
    r.sha256 = *sha;
  }
  r.scanned_at = formatTimestamp(now());
  auto id = p_.db->transact<std::int64_t>(db::TxMode::kWrite,
                                          [&](db::Tx& tx) { return store::insertScan(tx, r); });
  if (!id) return tl::unexpected(id.error());
  r.id = *id;
  return r;
}

Result<std::vector<ScanRecord>> Service::scans(const Visibility& v, const ListQuery& q,
                                               std::optional<Verdict> verdict) {
  return p_.db->transact<std::vector<ScanRecord>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listScans(tx, scopeOf(v, q), verdict); });
}

Result<Settings> Service::settings() {
  return p_.db->transact<Settings>(db::TxMode::kRead,
                                   [](db::Tx& tx) { return store::settings(tx); });
}

Result<Settings> Service::updateSettings(const nlohmann::json& body, const audit::Entry& who) {
  return p_.db->transact<Settings>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Settings> {
    auto current = store::settings(tx);
    if (!current) return current;
    auto next = settingsFromJson(body, *current);
    if (!next) return next;
    next->updated_at = formatTimestamp(now());
    if (auto s = store::saveSettings(tx, *next); !s) return tl::unexpected(s.error());
    audit::Entry e = who;
    e.action = "antivirus.settings";
    e.object_type = "antivirus_settings";
    e.object_id = "1";
    e.detail = toJson(*next);
    if (auto s = audit::append(tx, e, now()); !s) return tl::unexpected(s.error());
    return next;
  });
}

Result<std::vector<Event>> Service::events(const Visibility& v, const ListQuery& q) {
  return p_.db->transact<std::vector<Event>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listEvents(tx, scopeOf(v, q)); });
}

}  // namespace cst::antivirus
