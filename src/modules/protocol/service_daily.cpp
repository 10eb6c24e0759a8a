// The daily register (registro giornaliero di protocollo): made by a job for every ente with an
// AOO and every Rome day since it was configured, empty days included, never remade; published to
// the subscribers (preservation) once stored.
#include <spdlog/spdlog.h>

#include <sstream>

#include "calendar/calendar.hpp"
#include "daily_register.hpp"
#include "pdf/pdfa.hpp"
#include "platform/platform.hpp"
#include "service.hpp"

namespace cst::protocol {

namespace {

// The day after `day` (YYYY-MM-DD).
std::string nextDay(const std::string& day) {
  auto d = calendar::parseDate(day, "day");
  if (!d) return day;
  return calendar::formatDate(std::chrono::sys_days(*d) + std::chrono::days(1));
}

// The UTC timestamps (formatTimestamp) of the start of `day` and of the next one in Rome.
Result<std::pair<std::string, std::string>> romeDayBounds(const std::string& day) {
  auto from = calendar::parseDateTime(day + "T00:00", "day");
  if (!from) return tl::unexpected(from.error());
  auto to = calendar::parseDateTime(nextDay(day) + "T00:00", "day");
  if (!to) return tl::unexpected(to.error());
  return std::pair{formatTimestamp(*from), formatTimestamp(*to)};
}

// At most this many days are made per ente in one run: a register left behind for months (the
// job was down) is caught up over a few runs rather than in one long one.
constexpr int kMaxDaysPerRun = 400;

}  // namespace

void Service::subscribe(Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(std::move(listener));
}

void Service::publish(const DailyRegisterProduced& d) {
  std::vector<Listener> listeners;
  {
    std::lock_guard lock(listeners_mutex_);
    listeners = listeners_;
  }
  for (const Listener& l : listeners) {
    try {
      l(d);
    } catch (const std::exception& e) {
      spdlog::error("protocol: a daily register listener failed: {}", e.what());
    }
  }
}

Result<std::vector<DailyRegisterProduced>> Service::dailyRegistersAfter(std::int64_t sequence,
                                                                        int limit) {
  return p_.db->transact<std::vector<DailyRegisterProduced>>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::dailyRegistersAfter(tx, sequence, limit);
  });
}

Result<int> Service::produceDailyRegisters() {
  auto aoos = p_.db->transact<std::vector<store::ConfiguredAoo>>(
      db::TxMode::kRead, [](db::Tx& tx) { return store::configuredAoos(tx); });
  if (!aoos) return tl::unexpected(aoos.error());
  const std::string today = romeDay(p_.clock->now());
  int made = 0;
  for (const store::ConfiguredAoo& a : *aoos) {
    auto last = p_.db->transact<std::optional<std::string>>(
        db::TxMode::kRead, [&](db::Tx& tx) { return store::lastDailyRegisterDay(tx, a.ente); });
    if (!last) return tl::unexpected(last.error());
    std::string day = *last ? nextDay(**last) : a.configured_on;
    for (int n = 0; day < today && n < kMaxDaysPerRun; ++n, day = nextDay(day)) {
      auto d = produceDailyRegister(a.ente, day);
      if (!d) {
        spdlog::error("protocol: daily register of {} for {} not made: {}", a.ente, day,
                      d.error().detail);
        break;  // the next run tries the same day again; days are never skipped
      }
      ++made;
    }
  }
  return made;
}

Result<DailyRegisterProduced> Service::produceDailyRegister(const std::string& ente,
                                                            const std::string& day) {
  auto ente_row = p_.enti->get(ente);
  if (!ente_row) return tl::unexpected(ente_row.error());
  auto bounds = romeDayBounds(day);
  if (!bounds) return tl::unexpected(bounds.error());
  DailyRegisterContent content;
  content.day = day;
  content.produced_at = formatTimestamp(p_.clock->now());
  content.who.ente_name = enti::formalName(*ente_row);
  content.who.ente_ipa_code = ente_row->ipa_code.value_or("");
  content.who.ente_fiscal_code = ente_row->codice_fiscale;
  auto read = p_.db->transact<bool>(db::TxMode::kRead, [&](db::Tx& tx) -> Result<bool> {
    auto aoo = store::aoo(tx, ente);
    if (!aoo) return tl::unexpected(aoo.error());
    if (!*aoo) return fail(ErrorCode::kNotFound, "AOO non configurata");
    content.who.aoo = **aoo;
    auto regs = store::ofDay(tx, ente, day);
    if (!regs) return tl::unexpected(regs.error());
    auto docs = store::documentsOfDay(tx, ente, day);
    if (!docs) return tl::unexpected(docs.error());
    for (Registration& r : *regs)
      if (auto it = docs->find(r.id); it != docs->end()) r.documents = std::move(it->second);
    content.registrations = std::move(*regs);
    auto annulled = store::annulledBetween(tx, ente, bounds->first, bounds->second);
    if (!annulled) return tl::unexpected(annulled.error());
    content.annulled = std::move(*annulled);
    return true;
  });
  if (!read) return tl::unexpected(read.error());
  const std::string json_text = dailyRegisterJson(content);
  auto drawn = dailyRegisterPdf(content);
  if (!drawn) return tl::unexpected(drawn.error());
  // Kept as PDF/A-2b, the form the register goes into preservation in; no register is kept in
  // another PDF form (the job retries, and the console shows the day missing meanwhile).
  pdf::PdfAOptions pdfa;
  pdfa.ghostscript = p_.config.pdfa.ghostscript;
  pdfa.icc_profile = p_.config.pdfa.icc_profile;
  pdfa.work_dir = p_.blobs->tempDir();
  auto pdf = pdf::toPdfA2b(*drawn, pdfa);
  if (!pdf) return tl::unexpected(pdf.error());
  // The files first (content-addressed: writing one twice is harmless), then the row.
  std::istringstream pdf_in(*pdf), json_in(json_text);
  auto pdf_blob = p_.blobs->put(pdf_in);
  if (!pdf_blob) return tl::unexpected(pdf_blob.error());
  auto json_blob = p_.blobs->put(json_in);
  if (!json_blob) return tl::unexpected(json_blob.error());
  DailyRegisterProduced d;
  d.ente = ente;
  d.day = day;
  d.registrations = static_cast<int>(content.registrations.size());
  d.annulments = static_cast<int>(content.annulled.size());
  d.pdf_sha256 = pdf_blob->sha256;
  d.pdf_size = static_cast<std::int64_t>(pdf_blob->size);
  d.json_sha256 = json_blob->sha256;
  d.json_size = static_cast<std::int64_t>(json_blob->size);
  d.produced_at = content.produced_at;
  auto stored = p_.db->transact<bool>(db::TxMode::kWrite, [&](db::Tx& tx) -> Result<bool> {
    auto inserted = store::insertDailyRegister(tx, d);
    if (!inserted || !*inserted) return inserted;
    audit::Entry e;
    e.actor = "system";
    e.ente = ente;
    e.action = "protocol.daily_register.create";
    e.object_type = "protocol_daily_register";
    e.object_id = std::to_string(d.sequence);
    e.detail = {{"day", day},
                {"registrations", d.registrations},
                {"annulments", d.annulments},
                {"pdf_sha256", d.pdf_sha256},
                {"json_sha256", d.json_sha256}};
    if (auto s = audit::append(tx, e, p_.clock->now()); !s) return tl::unexpected(s.error());
    return true;
  });
  if (!stored) return tl::unexpected(stored.error());
  if (*stored) publish(d);
  return d;
}

Result<Service::DailyRegisters> Service::dailyRegisters(const std::string& ente,
                                                        std::optional<std::int64_t> before,
                                                        int limit) {
  const std::string today = romeDay(p_.clock->now());
  return p_.db->transact<DailyRegisters>(
      db::TxMode::kRead, [&](db::Tx& tx) -> Result<DailyRegisters> {
        DailyRegisters out;
        auto items = store::dailyRegisters(tx, ente, before, limit);
        if (!items) return tl::unexpected(items.error());
        out.items = std::move(*items);
        if (static_cast<int>(out.items.size()) == limit) out.next = out.items.back().sequence;
        auto aoo = store::aoo(tx, ente);
        if (!aoo) return tl::unexpected(aoo.error());
        if (!*aoo) return out;
        // The past days of the last year since configuration that have no register yet (the
        // job makes yesterday's within the hour after midnight).
        std::string from = (*aoo)->configured_on;
        const auto year_ago = calendar::parseDate(today, "today");
        if (year_ago) {
          const std::string floor =
              calendar::formatDate(std::chrono::sys_days(*year_ago) - std::chrono::days(366));
          if (from < floor) from = floor;
        }
        auto have = store::daysWithRegister(tx, ente, from, today);
        if (!have) return tl::unexpected(have.error());
        for (std::string day = from; day < today; day = nextDay(day))
          if (!have->count(day)) out.missing.push_back(day);
        return out;
      });
}

Result<DailyRegisterProduced> Service::dailyRegister(std::int64_t id,
                                                     const auth::EnteScope& scope) {
  auto found = p_.db->transact<std::optional<DailyRegisterProduced>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::dailyRegister(tx, id); });
  if (!found) return tl::unexpected(found.error());
  if (!*found || !scope.contains((*found)->ente))
    return fail(ErrorCode::kNotFound, "registro giornaliero non trovato");
  return **found;
}

}  // namespace cst::protocol
