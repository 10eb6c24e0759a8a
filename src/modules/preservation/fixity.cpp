// The fixity audits: re-hash, compare the copies, repair from a good one, alarm when none is
// left, and report.
#include "fixity.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <shared_mutex>

#include "common/crypto.hpp"
#include "fixity_store.hpp"
#include "helpdesk/api.hpp"
#include "platform/platform.hpp"

namespace cst::preservation {

namespace {

// Object states are written in batches: one transaction per object would cost a commit (an
// fsync) for every few hundred KB re-hashed.
constexpr std::size_t kFlushEvery = 256;
constexpr int kDueBatch = 512;

std::string alarmKey(const std::string& sha256) { return "oggetto:" + sha256; }

}  // namespace

struct FixityAuditor::Run {
  FixityReport report;
  std::vector<store::KeptObject> checked;  // states not yet written
};

FixityAuditor::FixityAuditor(Platform& p, Copies& copies)
    : p_(p), copies_(copies), cycle_days_(p.config.preservation.fixity_cycle_days) {}

Status FixityAuditor::check(Run& run, const store::KeptObject& object) {
  // Shared with ingests, exclusive with a scarto: an object a scarto deleted after this run
  // listed it is found no longer listed below, not "lost" or "repaired" back into a copy.
  std::shared_lock content(copies_.contentLock());
  auto states = copies_.verify(object.sha256);
  if (!states) return tl::unexpected(states.error());
  if (std::any_of(states->begin(), states->end(), [](const auto& c) { return !c.intact; })) {
    auto listed = p_.db->transact<bool>(
        db::TxMode::kRead, [&](db::Tx& tx) { return store::objectListed(tx, object.sha256); });
    if (!listed) return tl::unexpected(listed.error());
    if (!*listed) return {};
  }
  FixityReport& r = run.report;
  ++r.objects;
  r.copies_checked += static_cast<std::int64_t>(states->size());
  std::optional<std::size_t> good;
  std::vector<std::size_t> bad;
  for (std::size_t i = 0; i < states->size(); ++i) {
    if ((*states)[i].intact) {
      if (!good) good = i;
      r.bytes += (*states)[i].size;
    } else {
      bad.push_back(i);
    }
  }
  store::KeptObject now{object.sha256, "intact"};
  if (bad.empty()) {
    ++r.intact;
  } else {
    auto enti = p_.db->transact<std::vector<std::string>>(
        db::TxMode::kRead, [&](db::Tx& tx) { return store::entiHolding(tx, object.sha256); });
    if (!enti) return tl::unexpected(enti.error());
    std::optional<std::int64_t> ticket;
    if (good) {
      for (std::size_t i : bad)
        if (auto s = copies_.repair(object.sha256, *good, i); !s) return s;
      ++r.repaired;
      now.state = "repaired";
      spdlog::warn("fixity: {} repaired in {} cop{}", object.sha256, bad.size(),
                   bad.size() == 1 ? "y" : "ies");
    } else {
      ++r.lost;
      now.state = "lost";
      spdlog::error("fixity: no intact copy of {} is left", object.sha256);
    }
    for (const std::string& ente : *enti) {
      if (!good) ticket = raiseLost(ente, object.sha256);
      for (std::size_t i : bad)
        r.findings.push_back({object.sha256, ente, static_cast<int>(i) + 1,
                              (*states)[i].present ? "damaged" : "missing",
                              good ? "repaired" : "lost", good ? std::nullopt : ticket});
    }
  }
  // An object an earlier audit found lost has a good copy again (restored by an operator from a
  // backup): the alarm is closed.
  if (object.state == "lost" && now.state != "lost") noteRecovered(object.sha256);
  run.checked.push_back(now);
  if (run.checked.size() >= kFlushEvery) return flush(run);
  return {};
}

std::optional<std::int64_t> FixityAuditor::raiseLost(const std::string& ente,
                                                     const std::string& sha256) {
  auto desk = p_.interfaces.find<helpdesk::MonitoringDesk>();
  if (!desk) return std::nullopt;  // no service desk installed: the report and the log remain
  auto aips = p_.db->transact<std::vector<std::string>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::aipsHolding(tx, sha256, ente); });
  std::string where;
  if (aips)
    for (const std::string& a : *aips) where += (where.empty() ? "" : ", ") + a;
  auto id = desk->raise(
      {ente, "preservation", alarmKey(sha256), "Conservazione: oggetto senza copie integre",
       "La verifica di integrità ha trovato alterate o mancanti tutte le " +
           std::to_string(copies_.count()) + " copie dell'oggetto " + sha256 +
           (where.empty() ? "" : " (pacchetti: " + where + ")") +
           ". Ripristinarlo da un backup nelle directory delle copie; la verifica successiva "
           "chiuderà la segnalazione.",
       5, 4});
  if (!id) {
    spdlog::error("fixity: cannot raise the alarm for {}: {}", sha256, id.error().detail);
    return std::nullopt;
  }
  return *id;
}

void FixityAuditor::noteRecovered(const std::string& sha256) {
  auto desk = p_.interfaces.find<helpdesk::MonitoringDesk>();
  if (!desk) return;
  auto enti = p_.db->transact<std::vector<std::string>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::entiHolding(tx, sha256); });
  if (!enti) return;
  for (const std::string& ente : *enti)
    if (auto s =
            desk->recover({ente, "preservation", alarmKey(sha256),
                           "L'oggetto " + sha256 +
                               " è di nuovo integro in tutte le copie (verifica di integrità).",
                           true});
        !s)
      spdlog::warn("fixity: cannot note the recovery of {}: {}", sha256, s.error().detail);
}

Status FixityAuditor::flush(Run& run) {
  if (run.checked.empty()) return {};
  const std::string at = formatTimestamp(p_.clock->now());
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    return store::setObjectStates(tx, run.checked, at);
  });
  if (s) run.checked.clear();
  return s;
}

Result<FixityReport> FixityAuditor::finish(Run& run) {
  if (auto s = flush(run); !s) return tl::unexpected(s.error());
  FixityReport& r = run.report;
  r.finished_at = formatTimestamp(p_.clock->now());
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    if (auto w = store::insertFixityRun(tx, r); !w) return w;
    audit::Entry e;
    e.actor = r.requested_by;
    if (!r.scope_ente.empty()) e.ente = r.scope_ente;
    e.action = "preservation.fixity.run";
    e.object_type = "fixity_run";
    e.object_id = r.id;
    e.outcome = r.lost > 0 ? "failed" : "ok";
    e.detail = {{"objects", r.objects}, {"repaired", r.repaired}, {"lost", r.lost}};
    return audit::append(tx, e, p_.clock->now());
  });
  if (!s) return tl::unexpected(s.error());
  return r;
}

namespace {
FixityReport started(const std::string& kind, const std::string& by, TimePoint at) {
  FixityReport r;
  r.id = randomToken(16);
  r.kind = kind;
  r.requested_by = by;
  r.started_at = formatTimestamp(at);
  return r;
}
}  // namespace

Result<std::optional<FixityReport>> FixityAuditor::runScheduled(std::chrono::seconds budget) {
  const TimePoint start = p_.clock->now();
  const auto deadline = std::chrono::steady_clock::now() + budget;
  const std::string cycle_start = formatTimestamp(start - std::chrono::days(cycle_days_));
  Run run{started("scheduled", "system", start), {}};
  while (std::chrono::steady_clock::now() < deadline) {
    auto due = p_.db->transact<std::vector<store::KeptObject>>(db::TxMode::kRead, [&](db::Tx& tx) {
      return store::objectsDue(tx, cycle_start, kDueBatch);
    });
    if (!due) return tl::unexpected(due.error());
    if (due->empty()) break;
    for (const store::KeptObject& o : *due) {
      if (auto s = check(run, o); !s) return tl::unexpected(s.error());
      if (std::chrono::steady_clock::now() >= deadline) break;
    }
    // The batch's states are written before the next is read, so that it is not read again.
    if (auto s = flush(run); !s) return tl::unexpected(s.error());
  }
  if (run.report.objects == 0) return std::optional<FixityReport>{};
  auto r = finish(run);
  if (!r) return tl::unexpected(r.error());
  return std::optional(std::move(*r));
}

Result<FixityReport> FixityAuditor::runOnDemand(const std::string& ente, const std::string& aip,
                                                const auth::EnteScope& scope,
                                                const audit::Entry& who) {
  std::string scope_ente = ente;
  if (!aip.empty()) {
    auto owner = p_.db->transact<std::optional<std::string>>(
        db::TxMode::kRead, [&](db::Tx& tx) { return store::enteOfAip(tx, aip); });
    if (!owner) return tl::unexpected(owner.error());
    if (!*owner || !scope.contains(**owner) || (!ente.empty() && ente != **owner))
      return fail(ErrorCode::kNotFound, "pacchetto non trovato");
    scope_ente = **owner;
  } else if (!ente.empty()) {
    if (!scope.contains(ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
  } else if (!scope.all) {
    return tl::unexpected(
        Error::badInput("ente", "indicare l'ente (o il pacchetto) da verificare"));
  }
  auto objects =
      p_.db->transact<std::vector<store::KeptObject>>(db::TxMode::kRead, [&](db::Tx& tx) {
        if (!aip.empty()) return store::objectsOfAip(tx, aip);
        if (!ente.empty()) return store::objectsOfEnte(tx, ente);
        return store::allObjects(tx);
      });
  if (!objects) return tl::unexpected(objects.error());
  Run run{started("on_demand", who.actor.empty() ? "system" : who.actor, p_.clock->now()), {}};
  run.report.scope_ente = scope_ente;
  run.report.scope_aip = aip;
  for (const store::KeptObject& o : *objects)
    if (auto s = check(run, o); !s) return tl::unexpected(s.error());
  return finish(run);
}

Result<std::vector<FixityReport>> FixityAuditor::reports(const std::string& ente, int limit) {
  return p_.db->transact<std::vector<FixityReport>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::fixityRuns(tx, ente, limit); });
}

Result<FixityReport> FixityAuditor::report(const std::string& id, const auth::EnteScope& scope) {
  auto r = p_.db->transact<std::optional<FixityReport>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::fixityRun(tx, id); });
  if (!r) return tl::unexpected(r.error());
  if (!*r || (!(*r)->scope_ente.empty() && !scope.contains((*r)->scope_ente)))
    return fail(ErrorCode::kNotFound, "verifica non trovata");
  FixityReport out = std::move(**r);
  if (!scope.all)
    std::erase_if(out.findings, [&](const FixityFinding& f) { return !scope.contains(f.ente); });
  return out;
}

Result<FixityStatus> FixityAuditor::status(const std::string& ente) {
  const std::string cycle_start = formatTimestamp(p_.clock->now() - std::chrono::days(cycle_days_));
  auto s = p_.db->transact<FixityStatus>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::fixityStatus(tx, ente, cycle_start); });
  if (s) s->cycle_days = cycle_days_;
  return s;
}

Json toJson(const FixityReport& r) {
  Json findings = Json::array();
  for (const FixityFinding& f : r.findings)
    findings.push_back({{"sha256", f.sha256},
                        {"ente", f.ente},
                        {"copy", f.copy},
                        {"problem", f.problem},
                        {"outcome", f.outcome},
                        {"ticket_id", f.ticket_id ? Json(*f.ticket_id) : Json()}});
  auto orNull = [](const std::string& v) { return v.empty() ? Json() : Json(v); };
  return {{"id", r.id},
          {"kind", r.kind},
          {"scope", {{"ente", orNull(r.scope_ente)}, {"aip", orNull(r.scope_aip)}}},
          {"requested_by", r.requested_by},
          {"started_at", r.started_at},
          {"finished_at", r.finished_at},
          {"objects", r.objects},
          {"bytes", r.bytes},
          {"copies_checked", r.copies_checked},
          {"intact", r.intact},
          {"repaired", r.repaired},
          {"lost", r.lost},
          {"findings", findings}};
}

Json toJson(const FixityStatus& s) {
  auto orNull = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(); };
  return {{"ente", s.ente},
          {"cycle_days", s.cycle_days},
          {"objects", s.objects},
          {"verified_in_cycle", s.verified_in_cycle},
          {"never_verified", s.never_verified},
          {"lost", s.lost},
          {"oldest_check", orNull(s.oldest_check)},
          {"last_run_at", orNull(s.last_run_at)}};
}

}  // namespace cst::preservation
