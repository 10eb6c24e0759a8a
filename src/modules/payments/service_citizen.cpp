// The citizen's lookup of a notice: the two keys a debtor holds (the notice number printed on
// the paper, their own fiscal code), the state computed by the same rule the node is answered
// with, so that the page and the PSP never disagree.
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
  const std::string today = romeToday(p_.clock->now());
  auto notices = p_.db->transact<std::vector<CitizenNotice>>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<std::vector<CitizenNotice>> {
        auto found = store::optionsOfDebtor(tx, notice_number, debtor_fiscal_code);
        if (!found) return tl::unexpected(found.error());
        std::vector<CitizenNotice> out;
        for (const store::DebtorOption& f : *found) {
          auto position = store::position(tx, f.position_id);
          if (!position) return tl::unexpected(position.error());
          auto creditor = store::creditor(tx, f.ente);
          if (!creditor) return tl::unexpected(creditor.error());
          auto paid = store::paidOptions(tx, f.position_id);
          if (!paid) return tl::unexpected(paid.error());
          if (!*position || !*creditor) continue;
          const DebtPosition& p = **position;
          CitizenNotice n;
          for (const PaymentOption& o : p.options) {
            n.instalments += o.instalment ? 1 : 0;
            if (o.id == f.option_id) {
              n.option = o;
              if (o.instalment) n.instalment_number = n.instalments;  // options are in seq order
            }
          }
          n.state = citizenState(payableOption(p, n.option, *paid, today));
          if (n.state.empty()) continue;
          if (auto by = paid->find(f.option_id); by != paid->end()) {
            auto r = store::receiptByReceiptId(tx, f.ente, by->second);
            if (!r) return tl::unexpected(r.error());
            n.receipt = std::move(*r);
          }
          n.ente = f.ente;
          n.creditor_fiscal_code = (*creditor)->fiscal_code;
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
