#pragma once
// SQL of the reconciliation files (portable: SQLite and PostgreSQL alike). Every function runs
// inside the caller's transaction. "Current" flows are those no later revision superseded.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "model_fdr.hpp"

namespace cst::payments::store {

// ---- Import ----

// The stored revision with exactly this key, header only (no rows, no XML).
Result<std::optional<fdr::StoredFlow>> flowRevision(db::Tx& tx, const std::string& ente,
                                                    const fdr::Flow& f);
// The current revision of (ente, identificativoFlusso, PSP), header only.
Result<std::optional<fdr::StoredFlow>> currentRevision(db::Tx& tx, const std::string& ente,
                                                       const fdr::Flow& f);
// Inserts the header (sets s.id), then its rows (s.rows, setting their ids).
Status insertFlow(db::Tx& tx, fdr::StoredFlow& s);
// Every current revision of the same flow but `s` now points to `s` (superseded).
Status supersedeOlderRevisions(db::Tx& tx, const fdr::StoredFlow& s);
Status setPositionsReported(db::Tx& tx, std::int64_t flow, std::int64_t count);

// ---- Evidence for fdr::judgeRow ----

// The ente's successful receipt with this receiptId (IUR) and IUV.
Result<std::optional<fdr::ReceiptEvidence>> receiptForRow(db::Tx& tx, const std::string& ente,
                                                          const std::string& iur,
                                                          const std::string& iuv);
// The ente's position whose option has this IUV.
Result<std::optional<std::int64_t>> positionWithIuv(db::Tx& tx, const std::string& ente,
                                                    const std::string& iuv);
// The identificativoFlusso of a current flow of the ente, other than `f` (any revision of it),
// where this payment (IUV, IUR, index) is already reported as collected and matched.
Result<std::optional<std::string>> reportedElsewhere(db::Tx& tx, const std::string& ente,
                                                     const fdr::Flow& f, const fdr::FlowRow& row);
// The transfer indexes of receipt `receipt_id` (payments_receipts.id) reported as collected, OK,
// in current flows.
Result<std::set<int>> reportedTransfers(db::Tx& tx, std::int64_t receipt_id);

// ---- Reading ----

// With its rows (in file order) when `rows`, with the XML when `xml`; nullopt when none.
Result<std::optional<fdr::StoredFlow>> flow(db::Tx& tx, std::int64_t id, bool rows, bool xml);

// Which flows a list returns: the enti the caller sees (all, or `enti`), one of them, the page
// (ids below `before`, newest first).
struct FlowFilter {
  bool all_enti = false;
  std::set<std::string> enti;
  std::optional<std::string> ente;
  std::optional<std::int64_t> before;
  int limit = 50;
};
// Headers only.
Result<std::vector<fdr::StoredFlow>> listFlows(db::Tx& tx, const FlowFilter& f);

// An anomalous row of a current flow, with the flow it is in.
struct OpenAnomaly {
  std::int64_t flow = 0;
  std::string ente, flow_id, psp_id, settlement_date;
  fdr::StoredRow row;
};
// Rows: newest first, below `before` (a row id). The same filter as the flows.
Result<std::vector<OpenAnomaly>> openAnomalies(db::Tx& tx, const FlowFilter& f);
// Current flows with anomalies of their own (count, total), newest first, at most f.limit.
Result<std::vector<fdr::StoredFlow>> anomalousFlows(db::Tx& tx, const FlowFilter& f);

// Every row of the ente's current flows settled between `from` and `to` (YYYY-MM-DD, inclusive,
// either open), by settlement date, flow and row, with the matched receipt's debtor, remittance
// and taxonomy.
Result<std::vector<fdr::ExportLine>> exportLines(db::Tx& tx, const std::string& ente,
                                                 const std::optional<std::string>& from,
                                                 const std::optional<std::string>& to);

}  // namespace cst::payments::store
