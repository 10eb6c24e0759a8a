// Payment notices: the positions and creditor configurations are read in short read
// transactions, and the PDF is rendered outside them (notice_pdf.hpp), so that a long print run
// holds no transaction open.
#include <algorithm>
#include <cctype>
#include <map>

#include "notice_pdf.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "store.hpp"
#include "store_positions.hpp"

namespace cst::payments {

namespace {

// Positions loaded per read transaction in a bulk run: enough to amortise the transaction,
// few enough that only a handful of positions are held besides the growing document.
constexpr std::size_t kBulkBatch = 50;

tl::unexpected<Error> notPayable(const DebtPosition& p) {
  std::string why;
  switch (p.status) {
    case PositionStatus::kDraft:
      why =
          "la posizione è in bozza (DRAFT) e non è ancora pagabile: pubblicare la posizione "
          "prima di stampare l'avviso";
      break;
    case PositionStatus::kInvalid:
      why = "la posizione è annullata (INVALID): il suo avviso non è più pagabile";
      break;
    case PositionStatus::kExpired:
      why = "la posizione è scaduta (EXPIRED): il suo avviso non è più pagabile";
      break;
    default:
      why = "la posizione è già pagata (" + std::string(statusName(p.status)) +
            "): non c'è un avviso da stampare";
  }
  Error e = Error::make(ErrorCode::kConflict, why);
  e.type = "notice-not-printable";
  return fail(std::move(e));
}

// The creditor configuration and registry name of each ente, read once per request.
struct EnteNotices {
  Creditor creditor;
  std::string name;
};

}  // namespace

Result<Service::Notice> Service::noticePdf(std::int64_t id, const auth::EnteScope& scope) {
  auto p = position(id, scope);
  if (!p) return tl::unexpected(p.error());
  if (!isPayable(p->status)) return notPayable(*p);
  auto ente = p_.enti->get(p->ente);
  if (!ente) return tl::unexpected(ente.error());
  auto c = creditor(p->ente);
  if (!c) return tl::unexpected(c.error());
  // A position is created only for a configured ente, and a configuration is never removed.
  if (!*c) return fail(ErrorCode::kInternal, "ente " + p->ente + " senza configurazione pagoPA");
  auto pdf = renderNoticePdf({enti::formalName(*ente), **c, *p});
  if (!pdf) return tl::unexpected(pdf.error());
  return Notice{std::move(*p), std::move(*pdf)};
}

Result<std::string> Service::noticesPdf(const store::PositionFilter& filter) {
  std::vector<PositionStatus> statuses{PositionStatus::kValid, PositionStatus::kPartiallyPaid};
  if (filter.status) {
    if (!isPayable(*filter.status))
      return failField("status",
                       "gli avvisi si stampano solo per le posizioni pagabili: VALID o "
                       "PARTIALLY_PAID");
    statuses = {*filter.status};
  }

  // The ids first (headers only, one more than the cap to tell "too many"), then the positions
  // in batches, each rendered and dropped before the next batch is read.
  std::vector<std::int64_t> ids;
  auto listed = p_.db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
    for (PositionStatus s : statuses) {
      store::PositionFilter f = filter;
      f.status = s;
      f.before.reset();
      f.limit = static_cast<int>(kMaxNoticesPerPdf) + 1;
      auto page = store::listPositions(tx, f);
      if (!page) return tl::unexpected(page.error());
      for (const DebtPosition& p : *page) ids.push_back(p.id);
    }
    return {};
  });
  if (!listed) return tl::unexpected(listed.error());
  if (ids.size() > kMaxNoticesPerPdf) {
    Error e = Error::make(ErrorCode::kRuleViolated,
                          "troppi avvisi per un solo PDF: al massimo " +
                              std::to_string(kMaxNoticesPerPdf) +
                              " per richiesta; restringere i filtri (ente, stato, q, ...)");
    e.type = "too-many-notices";
    return fail(std::move(e));
  }
  std::sort(ids.begin(), ids.end());  // oldest first: the order the bills were issued in

  NoticeDocument doc("Avvisi di pagamento pagoPA");
  std::map<std::string, EnteNotices> enti;
  for (std::size_t from = 0; from < ids.size(); from += kBulkBatch) {
    const std::size_t to = std::min(ids.size(), from + kBulkBatch);
    std::vector<DebtPosition> batch;
    auto read = p_.db->transactStatus(db::TxMode::kRead, [&](db::Tx& tx) -> Status {
      batch.clear();
      for (std::size_t i = from; i < to; ++i) {
        auto p = store::position(tx, ids[i]);
        if (!p) return tl::unexpected(p.error());
        // Changed since the listing (paid, invalidated, expired, deleted): not printed.
        if (!*p || !isPayable((*p)->status)) continue;
        if (!enti.contains((*p)->ente)) {
          auto c = store::creditor(tx, (*p)->ente);
          if (!c) return tl::unexpected(c.error());
          if (!*c)
            return fail(ErrorCode::kInternal,
                        "ente " + (*p)->ente + " senza configurazione pagoPA");
          enti.emplace((*p)->ente, EnteNotices{std::move(**c), {}});
        }
        batch.push_back(std::move(**p));
      }
      return {};
    });
    if (!read) return tl::unexpected(read.error());
    for (const DebtPosition& p : batch) {
      EnteNotices& e = enti.at(p.ente);
      if (e.name.empty()) {
        auto ente = p_.enti->get(p.ente);
        if (!ente) return tl::unexpected(ente.error());
        e.name = enti::formalName(*ente);
      }
      if (auto s = doc.add({e.name, e.creditor, p}); !s) return tl::unexpected(s.error());
    }
  }
  if (doc.notices() == 0) {
    Error e = Error::make(ErrorCode::kNotFound,
                          "nessun avviso da stampare: nessuna posizione pagabile (VALID o "
                          "PARTIALLY_PAID) corrisponde ai filtri");
    e.type = "no-notices";
    return fail(std::move(e));
  }
  return doc.finish();
}

}  // namespace cst::payments
