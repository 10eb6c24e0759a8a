// The tax-roll import: the file read one position at a time (import_csv.hpp), each valid
// position stored as createPosition stores one (storeNewPosition), all in one transaction, and
// the report kept with its audit entry.
#include "platform/platform.hpp"
#include "position_lifecycle.hpp"
#include "service.hpp"
#include "store_imports.hpp"
#include "store_positions.hpp"

namespace cst::payments {

namespace {

// Valid positions waiting for their notice numbers: one allocator call per block rather than per
// position, with memory bounded whatever the size of the file.
constexpr std::size_t kBlock = 500;

audit::Entry importAudit(const audit::Entry& who, const roll::ImportReport& r) {
  audit::Entry e = who;
  if (e.actor.empty()) e.actor = "system";
  e.ente = r.ente;
  e.action = "payments.import";
  e.object_type = "payments_import";
  e.object_id = std::to_string(r.id);
  // An all-or-nothing import refused by its errors changed nothing.
  if (r.outcome == "rejected") e.outcome = "failed";
  e.detail = roll::toJson(r, true);
  return e;
}

std::string outcomeOf(const roll::ImportReport& r) {
  if (r.rows_rejected == 0) return "completed";
  return r.positions_created > 0 ? "partial" : "rejected";
}

// Refusing a whole all-or-nothing import rolls its transaction back; this error carries that
// decision out of Database::transact, and the report is stored afterwards on its own.
constexpr const char* kRefused = "importazione rifiutata per errori nel file";

}  // namespace

Result<roll::ImportReport> Service::importRoll(const ImportRequest& r, std::istream& csv,
                                               const audit::Entry& who) {
  if (auto e = p_.enti->get(r.ente); !e) return tl::unexpected(e.error());
  const TimePoint started = p_.clock->now();
  const std::string today = romeToday(started);
  const auth::EnteScope own{false, {r.ente}, false};
  roll::ImportReport report;
  bool refused = false;
  auto stored = p_.db->transact<roll::ImportReport>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<roll::ImportReport> {
        // From the start on every attempt: the pool may run this again after a busy database.
        csv.clear();
        csv.seekg(0);
        report = {};
        report.ente = r.ente;
        report.mode = r.mode;
        report.publish = r.publish;
        report.file_bytes = r.file_bytes;
        report.file_sha256 = r.file_sha256;
        report.started_at = formatTimestamp(started);
        report.finished_at = report.started_at;
        report.by = who.actor.empty() ? "system" : who.actor;
        report.outcome = "rejected";
        refused = false;

        auto creditor = requireCreditor(tx, r.ente);
        if (!creditor) return tl::unexpected(creditor.error());
        roll::RollReader reader(csv);
        if (auto s = reader.start(); !s) return tl::unexpected(s.error());
        // The row first, so that each position's audit entry can name its import.
        if (auto s = store::insertImport(tx, report); !s) return tl::unexpected(s.error());
        const nlohmann::json detail{{"import_id", report.id}};

        // all_or_nothing stops storing at the first error (it will all be rolled back) but reads
        // on: the report lists every error of the file.
        bool storing = true;
        std::vector<DebtPosition> block;
        IuvBases bases;
        const auto flush = [&]() -> Status {
          if (block.empty()) return {};
          std::int64_t options = 0;
          for (const DebtPosition& p : block)
            options += static_cast<std::int64_t>(p.options.size());
          auto first = store::allocateIuvBases(tx, r.ente, creditor->segregation_code, options);
          if (!first) return tl::unexpected(first.error());
          bases = {*first, options};
          for (DebtPosition& p : block) {
            if (auto s = storeNewPosition(tx, p, creditor->segregation_code, bases, who, started,
                                          detail);
                !s)
              return s;
            if (r.publish) {
              auto published = applyTransition(tx, p.id, PositionEvent::kPublish, std::nullopt, own,
                                               who, started);
              if (!published) return tl::unexpected(published.error());
            }
            ++report.positions_created;
          }
          block.clear();
          return {};
        };

        for (;;) {
          auto group = reader.next();
          if (!group) return tl::unexpected(group.error());
          if (!*group) break;
          auto checked = roll::checkPosition(**group, reader.layout(), *creditor, today);
          if (checked.position) {
            // Checked here rather than left to storeNewPosition, so that a block reserves
            // exactly the notice numbers it uses.
            auto taken = store::referenceTaken(tx, r.ente, checked.position->reference);
            if (!taken) return tl::unexpected(taken.error());
            if (*taken) {
              checked.errors = roll::refusal(
                  **group, {{(*group)->rows.front().line,
                             std::string(roll::columnName(roll::Column::kCodice)), "reference",
                             "codice già usato dall'ente per un'altra posizione"}});
              checked.position.reset();
            }
          }
          if (!checked.position) {
            for (roll::RowError& e : checked.errors) report.add(std::move(e));
            report.rows_rejected += (*group)->count();
            ++report.positions_rejected;
            if (r.mode == roll::ImportMode::kAllOrNothing) {
              storing = false;
              block.clear();
            }
            continue;
          }
          report.rows_accepted += (*group)->count();
          if (!storing) continue;
          block.push_back(std::move(*checked.position));
          if (block.size() >= kBlock)
            if (auto s = flush(); !s) return tl::unexpected(s.error());
        }
        report.lines = reader.lines();
        report.rows = reader.rows();
        if (report.rows == 0)
          return failField("file",
                           "il file non ha righe di dati: solo l'intestazione, o righe vuote");
        if (!storing) {
          report.rows_accepted = 0;
          report.rows_rejected = report.rows;
          report.positions_created = 0;
          report.finished_at = formatTimestamp(p_.clock->now());
          refused = true;
          return fail(ErrorCode::kRuleViolated, kRefused);
        }
        if (auto s = flush(); !s) return tl::unexpected(s.error());
        report.outcome = outcomeOf(report);
        const TimePoint finished = p_.clock->now();
        report.finished_at = formatTimestamp(finished);
        if (auto s = store::updateImport(tx, report); !s) return tl::unexpected(s.error());
        if (auto s = audit::append(tx, importAudit(who, report), finished); !s)
          return tl::unexpected(s.error());
        return report;
      });
  if (stored || !refused) return stored;
  // Refused whole: none of its positions was kept, its report is (a new row: the first one was
  // rolled back with them).
  return p_.db->transact<roll::ImportReport>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<roll::ImportReport> {
        roll::ImportReport kept = report;
        if (auto s = store::insertImport(tx, kept); !s) return tl::unexpected(s.error());
        if (auto s = audit::append(tx, importAudit(who, kept), p_.clock->now()); !s)
          return tl::unexpected(s.error());
        return kept;
      });
}

Result<roll::ImportReport> Service::importReport(std::int64_t id, const auth::EnteScope& scope) {
  return p_.db->transact<roll::ImportReport>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<roll::ImportReport> {
        auto r = store::import(tx, id);
        if (!r) return tl::unexpected(r.error());
        if (!*r || !scope.contains((*r)->ente))
          return fail(ErrorCode::kNotFound, "importazione non trovata");
        return std::move(**r);
      });
}

Result<std::vector<roll::ImportReport>> Service::importReports(const store::ImportFilter& filter) {
  return p_.db->transact<std::vector<roll::ImportReport>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listImports(tx, filter); });
}

}  // namespace cst::payments
