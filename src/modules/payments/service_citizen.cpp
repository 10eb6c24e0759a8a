// The citizen's lookup of a notice: the two keys a debtor holds (the notice number printed on
// the paper, their own fiscal code), the state computed by the same rule the node is answered
// with, so that the page and the PSP never disagree.
#include <map>

#include "platform/platform.hpp"
#include "position_lifecycle.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::payments {

namespace {

std::string citizenState(const Status& payable) {
  if (payable) return "da_pagare";
  const std::string code = faultCodeOf(payable.error());
  if (code == fault::kExpired) return "scaduto";
  if (code == fault::kCancelled) return "annullato";
  if (code == fault::kAlreadyPaid) return "pagato";
  return "";  // unknown to the node (a draft): not shown
}

}  // namespace

Result<std::vector<Service::CitizenNotice>> Service::citizenNotices(
    const std::string& notice_number, const std::string& debtor_fiscal_code) {
  // A number belongs to one option per ente: a handful at most.
  return noticesOfDebtor(notice_number, debtor_fiscal_code, 100);
}

Result<std::vector<Service::CitizenNotice>> Service::debtorNotices(
    const std::string& debtor_fiscal_code) {
  return noticesOfDebtor(std::nullopt, debtor_fiscal_code, kMaxOwnNotices);
}

Result<std::vector<Service::CitizenNotice>> Service::noticesOfDebtor(
    const std::optional<std::string>& notice_number, const std::string& debtor_fiscal_code,
    std::size_t limit) {
  const std::string today = romeToday(p_.clock->now());
  // What every option of one position shares, read once per position (a plan has several).
  struct Read {
    std::optional<DebtPosition> position;
    std::optional<Creditor> creditor;
    std::map<std::int64_t, std::string> paid;
  };
  auto notices = p_.db->transact<std::vector<CitizenNotice>>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<std::vector<CitizenNotice>> {
        auto found = store::optionsOfDebtor(tx, notice_number, debtor_fiscal_code, limit);
        if (!found) return tl::unexpected(found.error());
        std::map<std::int64_t, Read> read;
        std::vector<CitizenNotice> out;
        for (const store::DebtorOption& f : *found) {
          auto at = read.find(f.position_id);
          if (at == read.end()) {
            auto position = store::position(tx, f.position_id);
            if (!position) return tl::unexpected(position.error());
            auto creditor = store::creditor(tx, f.ente);
            if (!creditor) return tl::unexpected(creditor.error());
            auto paid = store::paidOptions(tx, f.position_id);
            if (!paid) return tl::unexpected(paid.error());
            at = read.emplace(f.position_id,
                              Read{std::move(*position), std::move(*creditor), std::move(*paid)})
                     .first;
          }
          const Read& r = at->second;
          if (!r.position || !r.creditor) continue;
          const DebtPosition& p = *r.position;
          CitizenNotice n;
          for (const PaymentOption& o : p.options) {
            n.instalments += o.instalment ? 1 : 0;
            if (o.id == f.option_id) {
              n.option = o;
              if (o.instalment) n.instalment_number = n.instalments;  // options are in seq order
            }
          }
          n.state = citizenState(payableOption(p, n.option, r.paid, today));
          if (n.state.empty()) continue;
          if (auto by = r.paid.find(f.option_id); by != r.paid.end()) {
            auto receipt = store::receiptByReceiptId(tx, f.ente, by->second);
            if (!receipt) return tl::unexpected(receipt.error());
            n.receipt = std::move(*receipt);
          }
          n.ente = f.ente;
          n.creditor_fiscal_code = r.creditor->fiscal_code;
          n.position_id = p.id;
          n.reference = p.reference;
          n.description = p.description;
          out.push_back(std::move(n));
        }
        return out;
      });
  // Outside the transaction (see noticeForNode).
  if (notices)
    for (CitizenNotice& n : *notices) n.ente_name = p_.enti->formalName(n.ente);
  return notices;
}

}  // namespace cst::payments
