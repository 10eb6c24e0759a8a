#include "protocol_intake.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::preservation {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr const char* kSource = "protocol.daily_register";

// A file of the platform's blob store, linked (or copied) into `dir` for the SIP, which removes it.
Result<fs::path> staged(const Platform& p, const std::string& sha, const fs::path& dir) {
  const fs::path target = dir / ("intake-" + randomToken(12));
  std::error_code ec;
  fs::create_hard_link(p.blobs->pathOf(sha), target, ec);
  if (ec) fs::copy_file(p.blobs->pathOf(sha), target, ec);
  if (ec) return fail(ErrorCode::kUnavailable, "register file " + sha + ": " + ec.message());
  return target;
}

// The register's number in the ente's series of daily registers: its day of the year (one
// register for every day, empty days included).
std::string dayOfYear(const std::string& day) {
  auto d = calendar::parseDate(day, "day");
  if (!d) return "0";
  const std::chrono::year_month_day ymd{*d};
  const auto first = std::chrono::sys_days{ymd.year() / std::chrono::January / 1};
  return std::to_string((std::chrono::sys_days{*d} - first).count() + 1);
}

std::string italianDate(const std::string& day) {
  return day.size() == 10 ? day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4)
                          : day;
}

}  // namespace

Json dailyRegisterEnvelope(const protocol::DailyRegisterProduced& d, const Json& content,
                           const std::string& ente_name) {
  const std::string ipa = content.value("ipa_code", "");
  const std::string aoo = content.value("aoo_code", "");
  const std::string registry = content.value("registry_code", "");
  const Json administration{
      {"IPAAmm", {{"Denominazione", ente_name}, {"CodiceIPA", ipa}}},
      {"IPAAOO",
       {{"Denominazione", content.value("aoo_name", "Area organizzativa omogenea " + aoo)},
        {"CodiceIPA", aoo}}}};
  Json registering = administration;
  // Without the AOO's PEC the metadata are incomplete: the SIP is rejected naming the field,
  // and the receipt tells the ente what to configure.
  if (content.contains("aoo_pec") && content["aoo_pec"].is_string())
    registering["IndirizziDigitaliDiRiferimento"] = {content["aoo_pec"]};
  const auto produced = parseTimestamp(d.produced_at);
  const std::string registered_on =
      produced ? calendar::formatDate(
                     calendar::romeDate(std::chrono::floor<std::chrono::seconds>(*produced)))
               : d.day;
  const std::string identifier = ipa + "-" + aoo + "-" + registry + "-" + d.day;
  const std::string pdf_name = "registro-giornaliero-" + d.ente + "-" + d.day + ".pdf";
  const Json metadati{
      {"IdDoc",
       {{"ImprontaCrittograficaDelDocumento",
         {{"Impronta", d.pdf_sha256}, {"Algoritmo", "SHA-256"}}},
        {"Identificativo", identifier}}},
      // Allegato 5, modalità d: generated automatically from the register's records.
      {"ModalitaDiFormazione",
       "generazione o raggruppamento anche in via automatica di un insieme di dati o "
       "registrazioni, provenienti da una o più banche dati, anche appartenenti a più soggetti "
       "interoperanti, secondo una struttura logica predeterminata e memorizzata in forma "
       "statica"},
      {"TipologiaDocumentale", "Registro giornaliero di protocollo"},
      {"DatiDiRegistrazione",
       {{"TipologiaDiFlusso", "I"},
        {"TipoRegistro",
         {{"Repertorio_Registro",
           {{"TipoRegistro", "Repertorio\\Registro"},
            {"DataRegistrazioneDocumento", registered_on},
            {"NumeroRegistrazioneDocumento", dayOfYear(d.day)},
            {"CodiceRegistro", registry}}}}}}},
      {"Soggetti",
       {{"Ruolo",
         {{{"TipoRuolo", "Amministrazione Che Effettua La Registrazione"}, {"PAI", registering}},
          {{"TipoRuolo", "Autore"}, {"PAI", administration}},
          {{"TipoRuolo", "Produttore"},
           {"SW", {{"DenominazioneSistema", "CST - Protocollo informatico"}}}}}}}},
      {"ChiaveDescrittiva",
       {{"Oggetto", "Registro giornaliero di protocollo del " + italianDate(d.day)},
        {"ParoleChiave", {"registro giornaliero di protocollo"}}}},
      {"Allegati",
       {{"NumeroAllegati", 1},
        {"IndiceAllegati",
         {{{"IdDoc",
            {{"ImprontaCrittograficaDelDocumento",
              {{"Impronta", d.json_sha256}, {"Algoritmo", "SHA-256"}}},
             {"Identificativo", identifier + "-json"}}},
           {"Descrizione",
            "Registro in forma strutturata (JSON, formato "
            "cst-registro-giornaliero/1)"}}}}}},
      {"Riservato", false},
      {"IdentificativoDelFormato", {{"Formato", "application/pdf"}}},
      {"Verifica",
       {{"FirmatoDigitalmente", false},
        {"SigillatoElettronicamente", false},
        {"MarcaturaTemporale", false},
        {"ConformitaCopieImmagineSuSupportoInformatico", false}}},
      {"NomeDelDocumento", pdf_name},
      {"VersioneDelDocumento", "1"}};
  const std::string base = "registro-giornaliero-" + d.ente + "-" + d.day;
  return {{"ente", d.ente},
          {"tipo", "documento_amministrativo_informatico"},
          {"classe_documentale", "registro-giornaliero-protocollo"},
          {"titolo", "Registro giornaliero di protocollo del " + italianDate(d.day)},
          {"documenti",
           {{{"nome", base + ".pdf"}, {"ruolo", "principale"}, {"impronta", d.pdf_sha256}},
            {{"nome", base + ".json"}, {"ruolo", "allegato"}, {"impronta", d.json_sha256}}}},
          {"metadati", metadati}};
}

Result<int> ingestDailyRegisters(Platform& p, Service& service) {
  auto reg = p.interfaces.find<protocol::ProtocolRegister>();
  if (!reg) return 0;  // no protocol module: nothing to take
  auto from = p.db->transact<std::int64_t>(
      db::TxMode::kRead, [](db::Tx& tx) { return store::intakePosition(tx, kSource); });
  if (!from) return tl::unexpected(from.error());
  int done = 0;
  for (;;) {
    auto batch = reg->dailyRegistersAfter(*from, 50);
    if (!batch) return tl::unexpected(batch.error());
    if (batch->empty()) return done;
    for (const protocol::DailyRegisterProduced& d : *batch) {
      auto json_file = staged(p, d.json_sha256, service.copies().tempDir());
      if (!json_file) return tl::unexpected(json_file.error());
      auto pdf_file = staged(p, d.pdf_sha256, service.copies().tempDir());
      if (!pdf_file) {
        fs::remove(*json_file);
        return tl::unexpected(pdf_file.error());
      }
      std::ifstream in(*json_file, std::ios::binary);
      const Json content = Json::parse(in, nullptr, false);
      const std::string base = "registro-giornaliero-" + d.ente + "-" + d.day;
      Sip sip;
      sip.envelope = dailyRegisterEnvelope(d, content.is_object() ? content : Json::object(),
                                           p.enti->formalName(d.ente));
      sip.files = {{base + ".pdf", "application/pdf", *pdf_file, d.pdf_sha256, d.pdf_size},
                   {base + ".json", "application/json", *json_file, d.json_sha256, d.json_size}};
      sip.source = kSource;
      sip.source_ref = std::to_string(d.sequence);
      audit::Entry who;
      who.actor = "system";
      who.request_id = "preservation.protocol-registers";
      auto r = service.ingest(std::move(sip), who);
      // Without a receipt (antivirus, storage or TSA unavailable) the job stops here and the
      // next run starts again from this register.
      if (!r) return tl::unexpected(r.error());
      if (!r->accepted)
        spdlog::error("preservation: daily register {} of {} ({}) rejected: receipt {}", d.sequence,
                      d.ente, d.day, r->id);
      if (auto s = p.db->transactStatus(
              db::TxMode::kWrite,
              [&](db::Tx& tx) { return store::setIntakePosition(tx, kSource, d.sequence); });
          !s)
        return tl::unexpected(s.error());
      *from = d.sequence;
      ++done;
    }
  }
}

}  // namespace cst::preservation
