#include "service.hpp"

#include "platform/platform.hpp"
#include "store.hpp"

namespace cst::payments {

Result<std::optional<Creditor>> Service::creditor(const std::string& ente) {
  if (auto e = p_.enti->get(ente); !e) return tl::unexpected(e.error());
  return p_.db->transact<std::optional<Creditor>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::creditor(tx, ente); });
}

Result<Creditor> Service::saveCreditor(const std::string& ente, const nlohmann::json& body,
                                       const audit::Entry& who) {
  if (auto e = p_.enti->get(ente); !e) return tl::unexpected(e.error());
  auto next = creditorFromJson(body, ente);
  if (!next) return next;
  const TimePoint now = p_.clock->now();
  next->updated_at = formatTimestamp(now);
  next->updated_by = who.actor.empty() ? "system" : who.actor;
  return p_.db->transact<Creditor>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<Creditor> {
    // The node names the creditor by fiscal code alone: two enti with one code could not be told
    // apart when it asks for a notice.
    auto holder = store::enteWithFiscalCode(tx, next->fiscal_code);
    if (!holder) return tl::unexpected(holder.error());
    if (*holder && **holder != ente)
      return conflictField("fiscal_code", "codice fiscale già configurato per un altro ente");
    auto previous = store::creditor(tx, ente);
    if (!previous) return tl::unexpected(previous.error());
    if (auto s = store::saveCreditor(tx, *next); !s) return tl::unexpected(s.error());
    audit::Entry e = who;
    e.ente = ente;
    e.action = "payments.creditor.update";
    e.object_type = "payments_creditor";
    e.object_id = ente;
    e.detail = toJson(*next);
    e.detail["created"] = !previous->has_value();
    if (auto s = audit::append(tx, e, now); !s) return tl::unexpected(s.error());
    return *next;
  });
}

}  // namespace cst::payments
