// Reconciliation files (FdR): importing a flow for the creditor it is addressed to, matching every
// reported payment with our receipts (fdr::judgeRow), superseding older revisions, moving fully
// reported positions PAID -> REPORTED; the reports, the open anomalies and the accounting export.
// The policy is in docs/payments.md ("Riconciliazione (FdR)").
#include <map>
#include <set>
#include <tuple>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "platform/platform.hpp"
#include "position_lifecycle.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::payments {

namespace {

// The problem type of a revision imported before with other content: told apart from the unique
// index's conflict, which is retried.
constexpr const char* kRevisionConflict = "fdr-revision-conflict";

// What the archive knows about each row, gathered in the import's transaction.
Result<fdr::RowEvidence> evidenceFor(db::Tx& tx, const std::string& ente,
                                     const std::string& segregation_code, const fdr::Flow& f,
                                     const fdr::FlowRow& row) {
  fdr::RowEvidence e;
  auto receipt = store::receiptForRow(tx, ente, row.iur, row.iuv);
  if (!receipt) return tl::unexpected(receipt.error());
  e.receipt = std::move(*receipt);
  if (e.receipt) {
    if (fdr::isExecuted(row.outcome_code)) {
      auto elsewhere = store::reportedElsewhere(tx, ente, f, row);
      if (!elsewhere) return tl::unexpected(elsewhere.error());
      e.reported_in = std::move(*elsewhere);
    }
    return e;
  }
  // A receipt for another creditor's notice (we are a secondary beneficiary) is found above
  // whatever its IUV; without a receipt only our own IUVs can be ours to chase.
  e.own_iuv = fdr::isOwnIuv(row.iuv, segregation_code);
  if (!e.own_iuv) return e;
  auto position = store::positionWithIuv(tx, ente, row.iuv);
  if (!position) return tl::unexpected(position.error());
  e.position_id = *position;
  return e;
}

// PAID -> REPORTED once every receipt that paid the position has all of its transfers to the ente
// (`fiscal_code`) reported as collected in OK rows of current flows. The other creditors' transfers
// of a multi-beneficiary receipt are reported to them, in their own flows: we never see them.
// Receipts kept with an anomaly (a payment the position did not take) do not count: the office
// handles them apart. False when the position stays as it is.
Result<bool> reportIfComplete(db::Tx& tx, std::int64_t position_id, const std::string& fiscal_code,
                              const std::string& flow_id, const audit::Entry& who, TimePoint now) {
  auto p = store::position(tx, position_id);
  if (!p) return tl::unexpected(p.error());
  if (!*p || (*p)->status != PositionStatus::kPaid) return false;
  store::ReceiptFilter filter;
  filter.all_enti = true;
  filter.position_id = position_id;
  filter.limit = 1000;  // a position has at most kMaxOptions options, each paid once
  auto receipts = store::listReceipts(tx, filter);
  if (!receipts) return tl::unexpected(receipts.error());
  bool paid_by_any = false;
  for (const StoredReceipt& r : *receipts) {
    if (r.receipt.outcome != "OK" || !r.option_id || r.anomaly) continue;
    paid_by_any = true;
    auto reported = store::reportedTransfers(tx, r.id);
    if (!reported) return tl::unexpected(reported.error());
    for (const ReceiptTransfer& t : r.receipt.transfers)
      if (t.fiscal_code == fiscal_code && reported->count(t.id) == 0) return false;
  }
  if (!paid_by_any) return false;
  const auth::EnteScope every{true, {}, false};
  auto moved = applyTransition(tx, position_id, PositionEvent::kReport,
                               "rendicontata nel flusso " + flow_id, every, who, now);
  if (!moved) return tl::unexpected(moved.error());
  return true;
}

}  // namespace

Result<Service::FlowImport> Service::importFlow(const std::string& xml,
                                                const auth::EnteScope& scope,
                                                const audit::Entry& who) {
  if (xml.empty())
    return failField("file", "il corpo della richiesta è vuoto: inviare il file XML del flusso");
  if (static_cast<std::int64_t>(xml.size()) > fdr::kMaxFlowBytes)
    return fail(ErrorCode::kTooLarge,
                "flusso oltre " + std::to_string(fdr::kMaxFlowBytes / (1024 * 1024)) + " MiB");
  // Kept as received in a text column: PostgreSQL takes UTF-8 only (the node's flows are).
  if (!isValidUtf8(xml)) return failField("file", "il file non è in UTF-8");
  auto parsed = fdr::parseFlow(xml);
  if (!parsed) return tl::unexpected(parsed.error());
  const fdr::Flow& f = *parsed;
  const TimePoint now = p_.clock->now();
  const std::string sha = sha256Hex(xml);

  auto run = [&](db::Tx& tx) -> Result<FlowImport> {
    auto ente = store::enteWithFiscalCode(tx, f.receiver_fiscal_code);
    if (!ente) return tl::unexpected(ente.error());
    if (!*ente) {
      Error e = Error::badInput("istitutoRicevente",
                                "il flusso è per il codice fiscale " + f.receiver_fiscal_code +
                                    ", che non è un ente creditore servito dal CST");
      e.code = ErrorCode::kRuleViolated;
      return tl::unexpected(std::move(e));
    }
    if (!scope.contains(**ente)) return fail(ErrorCode::kNotFound, "ente non trovato");
    auto creditor = requireCreditor(tx, **ente);
    if (!creditor) return tl::unexpected(creditor.error());

    auto existing = store::flowRevision(tx, **ente, f);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      // The same file again (a retried upload, a second operator): the report it already has.
      if ((*existing)->xml_sha256 != sha) {
        Error e = Error::make(ErrorCode::kConflict,
                              "il flusso " + f.flow_id + " del PSP " + f.psp_id + " del " +
                                  f.flow_date_time +
                                  " è già stato importato con un contenuto diverso: una nuova "
                                  "versione deve avere un dataOraFlusso successivo");
        e.type = kRevisionConflict;
        return tl::unexpected(std::move(e));
      }
      auto stored = store::flow(tx, (*existing)->id, true, false);
      if (!stored) return tl::unexpected(stored.error());
      return FlowImport{std::move(**stored), false};
    }
    auto current = store::currentRevision(tx, **ente, f);
    if (!current) return tl::unexpected(current.error());

    fdr::StoredFlow s;
    s.ente = **ente;
    s.flow = f;
    s.flow.rows.clear();
    s.rows_count = static_cast<std::int64_t>(f.rows.size());
    s.total_cents = f.totalCents();
    s.anomalies = fdr::flowAnomalies(f);
    // An older revision arriving after a newer one is kept for the record, already replaced.
    if (*current && (*current)->flow.flow_date_time > f.flow_date_time)
      s.superseded_by = (*current)->id;
    s.xml_sha256 = sha;
    s.xml = xml;
    s.imported_at = formatTimestamp(now);
    s.imported_by = who.actor.empty() ? "system" : who.actor;

    // (IUV, IUR, index, revocation) -> seq: a payment and its revocation in one flow are two
    // facts, the same one twice is a duplicate.
    std::map<std::tuple<std::string, std::string, int, bool>, int> seen;
    for (const fdr::FlowRow& row : f.rows) {
      fdr::RowEvidence e;
      const auto [first, inserted] = seen.emplace(
          std::make_tuple(row.iuv, row.iur, row.transfer_index, row.outcome_code == fdr::kRevoked),
          row.seq);
      if (!inserted) {
        e.duplicate_of = first->second;
      } else {
        auto gathered = evidenceFor(tx, s.ente, creditor->segregation_code, f, row);
        if (!gathered) return tl::unexpected(gathered.error());
        e = std::move(*gathered);
      }
      fdr::StoredRow stored{0, row, fdr::judgeRow(row, f.receiver_fiscal_code, e)};
      switch (stored.verdict.state) {
        case fdr::RowState::kOk:
          ++s.rows_ok;
          break;
        case fdr::RowState::kAnomalous:
          ++s.rows_anomalous;
          break;
        case fdr::RowState::kOtherIntermediary:
          ++s.rows_other;
          break;
      }
      s.rows.push_back(std::move(stored));
    }
    s.state = s.rows_anomalous > 0 || !s.anomalies.empty() ? fdr::FlowState::kAnomalous
                                                           : fdr::FlowState::kAcquired;
    if (auto done = store::insertFlow(tx, s); !done) return tl::unexpected(done.error());
    s.xml.clear();
    if (!s.superseded_by)
      if (auto done = store::supersedeOlderRevisions(tx, s); !done)
        return tl::unexpected(done.error());

    if (!s.superseded_by) {
      std::set<std::int64_t> positions;
      for (const fdr::StoredRow& r : s.rows)
        if (r.verdict.state == fdr::RowState::kOk && fdr::isExecuted(r.row.outcome_code) &&
            r.verdict.receipt_id && r.verdict.position_id)
          positions.insert(*r.verdict.position_id);
      for (std::int64_t id : positions) {
        auto reported = reportIfComplete(tx, id, f.receiver_fiscal_code, f.flow_id, who, now);
        if (!reported) return tl::unexpected(reported.error());
        if (*reported) ++s.positions_reported;
      }
      if (auto done = store::setPositionsReported(tx, s.id, s.positions_reported); !done)
        return tl::unexpected(done.error());
    }

    audit::Entry e = who;
    if (e.actor.empty()) e.actor = "system";
    e.ente = s.ente;
    e.action = "payments.fdr.import";
    e.object_type = "payments_fdr_flow";
    e.object_id = std::to_string(s.id);
    e.detail = {{"flow_id", f.flow_id},
                {"flow_date_time", f.flow_date_time},
                {"psp", f.psp_id},
                {"rows", s.rows_count},
                {"total_cents", s.total_cents},
                {"rows_anomalous", s.rows_anomalous},
                {"state", std::string(fdr::flowStateName(s.state))},
                {"positions_reported", s.positions_reported},
                {"xml_sha256", sha}};
    if (*current) e.detail[s.superseded_by ? "superseded_by" : "supersedes"] = (*current)->id;
    if (auto done = audit::append(tx, e, now); !done) return tl::unexpected(done.error());
    return FlowImport{std::move(s), true};
  };
  auto imported = p_.db->transact<FlowImport>(db::TxMode::kWrite, run);
  // Two imports of one revision at once: the unique index stops the second, which on a second
  // look finds the first one's report.
  if (!imported && imported.error().code == ErrorCode::kConflict && imported.error().type.empty())
    imported = p_.db->transact<FlowImport>(db::TxMode::kWrite, run);
  return imported;
}

Result<fdr::StoredFlow> Service::reconciliationFlow(std::int64_t id, const auth::EnteScope& scope,
                                                    bool xml) {
  return p_.db->transact<fdr::StoredFlow>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<fdr::StoredFlow> {
        auto f = store::flow(tx, id, !xml, xml);
        if (!f) return tl::unexpected(f.error());
        if (!*f || !scope.contains((*f)->ente))
          return fail(ErrorCode::kNotFound, "flusso di rendicontazione non trovato");
        return std::move(**f);
      });
}

Result<std::vector<fdr::StoredFlow>> Service::reconciliationFlows(const store::FlowFilter& filter) {
  return p_.db->transact<std::vector<fdr::StoredFlow>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::listFlows(tx, filter); });
}

Result<Service::OpenAnomalies> Service::openAnomalies(const store::FlowFilter& filter) {
  return p_.db->transact<OpenAnomalies>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<OpenAnomalies> {
        OpenAnomalies out;
        auto rows = store::openAnomalies(tx, filter);
        if (!rows) return tl::unexpected(rows.error());
        out.rows = std::move(*rows);
        if (!filter.before) {  // the flows' own anomalies head the first page only
          store::FlowFilter flows = filter;
          flows.limit = 200;
          auto anomalous = store::anomalousFlows(tx, flows);
          if (!anomalous) return tl::unexpected(anomalous.error());
          out.flows = std::move(*anomalous);
        }
        return out;
      });
}

Result<std::string> Service::accountingExport(const std::string& ente,
                                              const std::optional<std::string>& from,
                                              const std::optional<std::string>& to) {
  auto lines = p_.db->transact<std::vector<fdr::ExportLine>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::exportLines(tx, ente, from, to); });
  if (!lines) return tl::unexpected(lines.error());
  return fdr::exportCsv(*lines);
}

}  // namespace cst::payments
