// The desk's configuration: calendar, reopen window, mailbox, SLA and OLA targets, groups.
#include <nlohmann/json.hpp>

#include "mail/smtp.hpp"
#include "service.hpp"
#include "service_kit.hpp"

namespace cst::helpdesk {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxTargetMinutes = 60 * 24 * 30;  // a month of business minutes is plenty

void checkTargets(const std::map<int, SlaTargets>& targets, Problems& p) {
  for (int priority = 1; priority <= kMajorPriority; ++priority) {
    const std::string at = "policies[" + std::to_string(priority) + "]";
    auto t = targets.find(priority);
    if (t == targets.end()) {
      p.add(at, "manca la politica della priorità " + std::to_string(priority));
      continue;
    }
    const SlaTargets& s = t->second;
    if (s.own.count() < 1 || s.own.count() > kMaxTargetMinutes)
      p.add(at + ".own_minutes", "da 1 a 43200 minuti lavorativi");
    if (s.resolve < s.own || s.resolve.count() > kMaxTargetMinutes)
      p.add(at + ".resolve_minutes", "non meno del tempo di presa in carico, al massimo 43200");
    // Levels come before the deadline, the earliest first: strictly decreasing distances.
    for (std::size_t i = 0; i < s.escalations.size(); ++i)
      if (s.escalations[i].count() < 1 || s.escalations[i] >= s.resolve ||
          (i > 0 && s.escalations[i] >= s.escalations[i - 1])) {
        p.add(at + ".escalations",
              "minuti prima della scadenza, decrescenti e minori del tempo di risoluzione");
        break;
      }
  }
}

// The groups' targets: one per priority, each within the SLA of its priority (a group that keeps
// its OLA leaves the desk time to keep the SLA).
void checkOla(const std::map<int, SlaTargets>& ola, const std::map<int, SlaTargets>& sla,
              Problems& p) {
  for (int priority = 1; priority <= kMajorPriority; ++priority) {
    const std::string at = "ola[" + std::to_string(priority) + "]";
    auto t = ola.find(priority);
    if (t == ola.end()) {
      p.add(at, "manca l'OLA della priorità " + std::to_string(priority));
      continue;
    }
    auto s = sla.find(priority);
    const std::int64_t own_cap = s == sla.end() ? kMaxTargetMinutes : s->second.own.count();
    const std::int64_t resolve_cap = s == sla.end() ? kMaxTargetMinutes : s->second.resolve.count();
    if (t->second.own.count() < 1 || t->second.own.count() > own_cap)
      p.add(at + ".own_minutes",
            "da 1 al tempo di presa in carico dello SLA (" + std::to_string(own_cap) + " minuti)");
    if (t->second.resolve < t->second.own || t->second.resolve.count() > resolve_cap)
      p.add(at + ".resolve_minutes",
            "non meno della presa in carico, al massimo il tempo di risoluzione dello SLA (" +
                std::to_string(resolve_cap) + " minuti)");
  }
}

constexpr std::size_t kMaxGroupName = 80;

void checkGroups(const std::vector<std::string>& groups, Problems& p) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string at = "groups[" + std::to_string(i) + "]";
    if (groups[i].empty() || groups[i].size() > kMaxGroupName || groups[i] != trimmed(groups[i]))
      p.add(at, "un nome da 1 a 80 caratteri, senza spazi all'inizio o alla fine");
    else if (!seen.insert(groups[i]).second)
      p.add(at, "gruppo ripetuto");
  }
}

}  // namespace

Result<DeskSettings> Service::deskSettings() {
  return db_.transact<DeskSettings>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<DeskSettings> {
    auto ctx = slaContext(tx);
    if (!ctx) return tl::unexpected(ctx.error());
    return DeskSettings{ctx->settings, ctx->targets, ctx->ola,
                        std::vector<std::string>(ctx->groups.begin(), ctx->groups.end())};
  });
}

Result<DeskSettings> Service::saveDeskSettings(const DeskSettings& in, const Actor& by) {
  Problems p("configurazione del call center non valida");
  if (auto h = calendar::OpeningHours::parse(in.settings.opening_hours, "opening_hours"); !h)
    for (const FieldError& e : h.error().fields) p.add(e.field, e.message);
  if (in.settings.calendar_ente && !enti_.get(*in.settings.calendar_ente))
    p.add("calendar_ente", "ente inesistente");
  if (in.settings.reopen_days < 1 || in.settings.reopen_days > 90)
    p.add("reopen_days", "da 1 a 90 giorni");
  if (in.settings.notify_email)
    if (auto s = mail::checkAddress(*in.settings.notify_email, "notify_email"); !s)
      p.add("notify_email",
            s.error().fields.empty() ? s.error().detail : s.error().fields.front().message);
  checkTargets(in.targets, p);
  checkOla(in.ola, in.targets, p);
  checkGroups(in.groups, p);
  if (p.any()) return tl::unexpected(p.error);
  const TimePoint now = clock_.now();
  const std::string at = formatTimestamp(now);
  auto saved =
      db_.transact<DeskSettings>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<DeskSettings> {
        if (auto s = store::saveSettings(tx, in.settings, at); !s) return tl::unexpected(s.error());
        if (auto s = store::saveSlaTargets(tx, in.targets, at); !s)
          return tl::unexpected(s.error());
        if (auto s = store::saveOlaTargets(tx, in.ola, at); !s) return tl::unexpected(s.error());
        if (auto s = store::saveGroups(tx, in.groups, at); !s) return tl::unexpected(s.error());
        if (auto s = store::recheckOpenTickets(tx, at); !s) return tl::unexpected(s.error());
        audit::Entry a = by.audit;
        a.action = "helpdesk.settings.update";
        a.object_type = "helpdesk_settings";
        a.object_id = "1";
        a.detail = {{"opening_hours", in.settings.opening_hours},
                    {"reopen_days", in.settings.reopen_days},
                    {"groups", in.groups}};
        if (auto s = audit::append(tx, a, now); !s) return tl::unexpected(s.error());
        return in;
      });
  forgetSettings();
  return saved;
}

}  // namespace cst::helpdesk
