// Search by metadata, single-file downloads and the volumes summary, end to end against the real
// `cst serve` with demo data: SIPs offered as multipart requests, then found by text, class,
// kind, date and metadata path; a file downloaded byte for byte and found in the audit log; the
// summary's numbers moved by known SIPs; isolation between enti; AIPs kept before the metadata
// index indexed from their metadati.json after a restart.
#include "search.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <set>

#include "common/crypto.hpp"
#include "db/db.hpp"
#include "http/client.hpp"
#include "pdf/pdfa.hpp"
#include "sample_sips.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/pdf_facts.hpp"

namespace cst::testkit {
namespace {

const std::string kAips = "/api/v1/preservation/aips";
const std::string kSummary = "/api/v1/preservation/summary";

// A marker that no other test's AIP carries: hex, so that no LIKE wildcard hides in it.
std::string marker() { return sha256Hex(randomToken()).substr(0, 10); }

// The day before or after `date` (YYYY-MM-DD).
std::string dayAfter(const std::string& date, int days) {
  using namespace std::chrono;
  const year_month_day ymd{year(std::stoi(date.substr(0, 4))),
                           month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                           day(static_cast<unsigned>(std::stoi(date.substr(8, 2))))};
  const year_month_day moved{sys_days(ymd) + std::chrono::days(days)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(moved.year()), unsigned(moved.month()),
                unsigned(moved.day()));
  return buf;
}

std::set<std::string> idsOf(const HttpResponse& r) {
  std::set<std::string> ids;
  const Json page = r.json();
  for (const Json& a : page["items"]) ids.insert(a["id"].get<std::string>());
  return ids;
}

// The index's rows, without a server: lists under their own path, scalars as JSON writes them,
// nothing for null or empty, a long value cut on a character boundary.
TEST(SearchIndex, FlattensTheMetadataForTheIndex) {
  using preservation::MetadataValue;
  const Json metadati = {
      {"Soggetti",
       {{"Ruolo",
         {{{"TipoRuolo", "Autore"}}, {{"TipoRuolo", "Mittente"}}, {{"TipoRuolo", "Autore"}}}}}},
      {"ChiaveDescrittiva", {{"ParoleChiave", {"scuola", "manutenzione"}}, {"Oggetto", ""}}},
      {"Allegati", {{"NumeroAllegati", 2}}},
      {"Riservato", false},
      {"Note", nullptr}};
  EXPECT_EQ(preservation::flattenMetadata(metadati),
            (std::vector<MetadataValue>{{"Allegati.NumeroAllegati", "2"},
                                        {"ChiaveDescrittiva.ParoleChiave", "manutenzione"},
                                        {"ChiaveDescrittiva.ParoleChiave", "scuola"},
                                        {"Riservato", "false"},
                                        {"Soggetti.Ruolo.TipoRuolo", "Autore"},
                                        {"Soggetti.Ruolo.TipoRuolo", "Mittente"}}));
  // "è" is two bytes: the cut falls in its middle and goes back before it.
  const std::string long_value = std::string(preservation::kIndexedValueBytes - 1, 'a') + "è";
  const std::string cut = preservation::indexedValue(long_value);
  EXPECT_EQ(cut, std::string(preservation::kIndexedValueBytes - 1, 'a'));
  EXPECT_EQ(preservation::flattenMetadata(Json{{"Note", long_value}}).front().value, cut);
}

class Search : public DemoServerSuite<Search> {
 protected:
  // A daily register of Cremona (a documento amministrativo informatico) in `classe`, its subject
  // "Registro <subject>" and `keyword` among its ParoleChiave. The AIP's id.
  std::string offerRegister(HttpClient& c, const std::string& classe, const std::string& subject,
                            const std::string& keyword) {
    primary_ = pdfA("Registro " + subject);
    attachment_ = "{\"registro\": \"" + subject + "\"}";
    Json e = daiEnvelope("019036", sha256Hex(primary_), sha256Hex(attachment_));
    e["classe_documentale"] = classe;
    e.erase("titolo");  // from ChiaveDescrittiva.Oggetto
    e["metadati"]["ChiaveDescrittiva"]["Oggetto"] = "Registro " + subject;
    e["metadati"]["ChiaveDescrittiva"]["ParoleChiave"] = {"registro giornaliero", keyword};
    auto r = offerSip(c, e,
                      {{"documento", kRegisterPdf, "application/pdf", primary_},
                       {"documento", kRegisterJson, "application/json", attachment_}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("aip_id", "");
  }

  // A quote received by PEC (a documento informatico, not registered) numbered `number`.
  std::string offerQuote(HttpClient& c, const std::string& classe, const std::string& number) {
    const std::string pdf = pdfA("Preventivo " + number);
    const Json metadati = {
        {"IdDoc",
         {{"ImprontaCrittograficaDelDocumento",
           {{"Impronta", sha256Hex(pdf)}, {"Algoritmo", "SHA-256"}}},
          {"Identificativo", "DOC-" + number}}},
        {"ModalitaDiFormazione",
         "acquisizione di un documento informatico per via telematica o su supporto "
         "informatico, acquisizione della copia per immagine su supporto informatico di un "
         "documento analogico, acquisizione della copia informatica di un documento analogico"},
        {"TipologiaDocumentale", "Preventivo"},
        {"DatiDiRegistrazione",
         {{"TipologiaDiFlusso", "E"},
          {"TipoRegistro",
           {{"Nessuno",
             {{"TipoRegistro", "Nessuno"},
              {"DataDocumento", "2026-11-20"},
              {"NumeroDocumento", number}}}}}}},
        {"Soggetti",
         {{"Ruolo",
           {{{"TipoRuolo", "Mittente"},
             {"PG",
              {{"DenominazioneOrganizzazione", "Edilizia Padana S.r.l."},
               {"CodiceFiscale_PartitaIva", "01234567890"},
               {"IndirizziDigitaliDiRiferimento", {"edilizia.padana@pec.example.it"}}}}},
            {{"TipoRuolo", "Operatore"},
             {"PF",
              {{"Cognome", "Rossi"},
               {"Nome", "Maria"},
               {"CodiceFiscale", "RSSMRA80A41D150X"}}}}}}}},
        {"ChiaveDescrittiva", {{"Oggetto", "Preventivo per la manutenzione della scuola"}}},
        {"Allegati", {{"NumeroAllegati", 0}}},
        {"Riservato", false},
        {"IdentificativoDelFormato", {{"Formato", "application/pdf"}}},
        {"Verifica",
         {{"FirmatoDigitalmente", false},
          {"SigillatoElettronicamente", false},
          {"MarcaturaTemporale", false},
          {"ConformitaCopieImmagineSuSupportoInformatico", false}}},
        {"NomeDelDocumento", "preventivo.pdf"},
        {"VersioneDelDocumento", "1"}};
    const Json e{
        {"ente", "019036"},
        {"tipo", "documento_informatico"},
        {"classe_documentale", classe},
        {"documenti",
         {{{"nome", "preventivo.pdf"}, {"ruolo", "principale"}, {"impronta", sha256Hex(pdf)}}}},
        {"metadati", metadati}};
    auto r = offerSip(c, e, {{"documento", "preventivo.pdf", "application/pdf", pdf}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("aip_id", "");
  }

  std::string primary_, attachment_;
};

TEST_F(Search, FindsAipsByTextClassKindDateAndMetadata) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string m = marker();
  const std::string classe = "delibere-" + m;
  const std::string reg = offerRegister(clerk, classe, "alfa " + m, "parola-" + m);
  const std::string quote = offerQuote(clerk, classe, "P-" + m);
  const std::string base = kAips + "?ente=019036";
  const auto search = [&](const std::string& filters) {
    auto r = clerk.get(base + filters);
    EXPECT_EQ(r.status, 200) << filters << ": " << r.body;
    return r;
  };
  const std::set<std::string> both{reg, quote}, only_reg{reg}, only_quote{quote}, none;

  // q: in the title, in any case; in any metadata value, list items included.
  EXPECT_EQ(idsOf(search("&q=" + http::urlEncode("ALFA " + m))), only_reg);
  EXPECT_EQ(idsOf(search("&q=" + http::urlEncode("PAROLA-" + m))), only_reg)
      << "a ParoleChiave item";
  EXPECT_EQ(idsOf(search("&q=" + http::urlEncode("p-" + m))), only_quote) << "NumeroDocumento";
  // LIKE's wildcards are plain characters in q.
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&q=" + http::urlEncode("%"))), none);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&q=" + http::urlEncode("registro_alfa"))), none);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&q=" + http::urlEncode("c_d150"))), only_reg)
      << "CodiceIPA";

  // classe, tipo.
  EXPECT_EQ(idsOf(search("&classe=" + classe)), both);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&tipo=documento_informatico")), only_quote);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&tipo=documento_amministrativo_informatico")),
            only_reg);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&tipo=aggregazione")), none);

  // dal/al: the UTC days of created_at, both inclusive.
  const Json first = search("&classe=" + classe).json()["items"][0];
  const std::string today = first["created_at"].get<std::string>().substr(0, 10);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&dal=" + today + "&al=" + today)), both);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&dal=" + dayAfter(today, 1))), none);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&al=" + dayAfter(today, -1))), none);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&dal=" + dayAfter(today, -1))), both);

  // meta.<path>=<value>: exact, on the flattened path; several are ANDed.
  const std::string number = "&meta.DatiDiRegistrazione.TipoRegistro.Nessuno.NumeroDocumento=";
  EXPECT_EQ(idsOf(search(number + "P-" + m)), only_quote);
  EXPECT_EQ(idsOf(search(number + "p-" + m)), none) << "exact, case included";
  EXPECT_EQ(idsOf(search(number + "P-" + m.substr(1))), none) << "exact, not a substring";
  EXPECT_EQ(idsOf(search("&meta.ChiaveDescrittiva.ParoleChiave=parola-" + m)), only_reg);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&meta.Soggetti.Ruolo.TipoRuolo=Mittente")),
            only_quote)
      << "a list item's field, whatever its position";
  EXPECT_EQ(idsOf(search("&classe=" + classe +
                         "&meta.Soggetti.Ruolo.TipoRuolo=Mittente&meta.Riservato=false")),
            only_quote);
  EXPECT_EQ(idsOf(search("&classe=" + classe +
                         "&meta.Soggetti.Ruolo.TipoRuolo=Mittente&meta.Riservato=true")),
            none);
  EXPECT_EQ(idsOf(search("&classe=" + classe + "&meta.Allegati.NumeroAllegati=1")), only_reg);

  // Pages: newest first, `next_cursor` to go on, null at the end.
  auto page1 = search("&classe=" + classe + "&limit=1").json();
  ASSERT_EQ(page1["items"].size(), 1u);
  EXPECT_EQ(page1["items"][0]["id"], quote) << "the newest first";
  EXPECT_EQ(page1["items"][0]["files"].size(), 5u) << "the items carry their files";
  ASSERT_TRUE(page1["next_cursor"].is_string()) << page1.dump(2);
  auto page2 = search("&classe=" + classe +
                      "&limit=1&cursor=" + http::urlEncode(page1["next_cursor"].get<std::string>()))
                   .json();
  ASSERT_EQ(page2["items"].size(), 1u);
  EXPECT_EQ(page2["items"][0]["id"], reg);
  EXPECT_TRUE(page2["next_cursor"].is_null()) << "the last page";
  EXPECT_TRUE(search("&classe=" + classe).json()["next_cursor"].is_null());
}

TEST_F(Search, BadFiltersAreRefusedNamingTheParameter) {
  HttpClient clerk = as("impiegato.cremona");
  const auto field = [&](const std::string& filters) {
    auto r = clerk.get(kAips + "?ente=019036" + filters);
    EXPECT_EQ(r.status, 400) << filters << ": " << r.body;
    return r.status == 400 ? r.json()["errors"][0]["field"].get<std::string>() : "";
  };
  EXPECT_EQ(field("&dal=2026-02-30"), "dal");
  EXPECT_EQ(field("&dal=ieri"), "dal");
  EXPECT_EQ(field("&al=26/11/2026"), "al");
  EXPECT_EQ(field("&dal=2026-11-27&al=2026-11-26"), "al");
  EXPECT_EQ(field("&tipo=delibera"), "tipo");
  EXPECT_EQ(field("&cursor=ultimo"), "cursor");
  EXPECT_EQ(field("&meta.=x"), "meta.");
  EXPECT_EQ(field("&meta.Riservato="), "meta.Riservato");
  EXPECT_EQ(field("&limit=0"), "limit");
  EXPECT_EQ(field("&q=" + std::string(201, 'x')), "q");
}

TEST_F(Search, AFileDownloadIsItsExactBytesAndIsInTheAuditLog) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string m = marker();
  const std::string id = offerRegister(clerk, "registri-" + m, "download " + m, "parola-" + m);
  const std::string primary = primary_, attachment = attachment_;

  auto pdf = clerk.get(kAips + "/" + id + "/files/0");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.body, primary);
  EXPECT_EQ(pdf.header("content-type").substr(0, 15), "application/pdf");
  EXPECT_NE(pdf.header("content-disposition").find("attachment; filename=\"01-" + kRegisterPdf),
            std::string::npos)
      << pdf.header("content-disposition");
  auto json = clerk.get(kAips + "/" + id + "/files/1");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body, attachment);
  auto metadata = clerk.get(kAips + "/" + id + "/files/2");
  ASSERT_EQ(metadata.status, 200);
  EXPECT_EQ(Json::parse(metadata.body)["metadati"]["ChiaveDescrittiva"]["Oggetto"],
            "Registro download " + m);

  for (const std::string bad : {"6", "99", "abc", "-1"}) {
    auto r = clerk.get(kAips + "/" + id + "/files/" + bad);
    EXPECT_EQ(r.status, 404) << bad;
    if (r.status == 404) {
      EXPECT_EQ(r.json()["errors"][0]["field"], "position") << bad;
    }
  }
  EXPECT_EQ(as("ref.crema").get(kAips + "/" + id + "/files/0").status, 404);
  EXPECT_EQ(as("vigile.cremona").get(kAips + "/" + id + "/files/0").status, 403);

  // Each download in the audit log, naming the package, the file and its hash.
  const Json log =
      as("admin").get("/api/v1/audit?action=preservation.file.download&limit=200").json();
  std::vector<Json> mine;
  for (const Json& e : log["items"])
    if (e["object_id"] == id) mine.push_back(e);
  ASSERT_EQ(mine.size(), 3u) << log.dump(2);
  std::set<std::string> paths;
  for (const Json& e : mine) {
    EXPECT_EQ(e["actor"], "impiegato.cremona");
    EXPECT_EQ(e["ente"], "019036");
    EXPECT_EQ(e["object_type"], "aip");
    paths.insert(e["detail"]["path"].get<std::string>());
    if (e["detail"]["position"] == 0) {
      EXPECT_EQ(e["detail"]["sha256"], sha256Hex(primary));
    }
  }
  EXPECT_EQ(paths, (std::set<std::string>{"documenti/01-" + kRegisterPdf,
                                          "documenti/02-" + kRegisterJson, "metadati.json"}));
}

TEST_F(Search, AnotherEntesAipsAndVolumesAreAbsent) {
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get(kAips + "?ente=019036&q=registro").status, 404);
  EXPECT_EQ(crema.get(kAips + "?ente=019036&meta.Riservato=false").status, 404);
  EXPECT_EQ(crema.get(kSummary + "?ente=019036").status, 404);
  auto own = crema.get(kSummary);
  ASSERT_EQ(own.status, 200) << own.body;
  const Json volumes = own.json();
  for (const Json& i : volumes["items"]) EXPECT_EQ(i["ente"], "019035");
  EXPECT_EQ(as("vigile.cremona").get(kSummary).status, 403);
  EXPECT_EQ(as("vigile.cremona").get(kAips + "?ente=019036&q=x").status, 403);
}

TEST_F(Search, TheSummaryCountsVolumesAndOutcomesPerEnte) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient admin = as("admin");
  const auto cremona = [&] {
    auto r = admin.get(kSummary + "?ente=019036");
    EXPECT_EQ(r.status, 200) << r.body;
    const Json items = r.json()["items"];
    return items.empty() ? Json{{"aips", 0},          {"documents", 0},     {"documents_bytes", 0},
                                {"package_bytes", 0}, {"sips_accepted", 0}, {"sips_rejected", 0}}
                         : items[0];
  };
  const Json before = cremona();
  const std::string m = marker();
  const std::string id = offerRegister(clerk, "volumi-" + m, "volumi " + m, "parola-" + m);
  const std::int64_t documents_bytes =
      static_cast<std::int64_t>(primary_.size() + attachment_.size());
  Json rejected = daiEnvelope("019036", std::string(64, 'a'), sha256Hex(attachment_));
  EXPECT_EQ(offerSip(clerk, rejected,
                     {{"documento", kRegisterPdf, "application/pdf", primary_},
                      {"documento", kRegisterJson, "application/json", attachment_}})
                .status,
            422);
  const Json aip = clerk.get(kAips + "/" + id).json();

  const Json after = cremona();
  const auto delta = [&](const char* key) {
    return after[key].get<std::int64_t>() - before[key].get<std::int64_t>();
  };
  EXPECT_EQ(after["ente"], "019036");
  EXPECT_EQ(delta("aips"), 1);
  EXPECT_EQ(delta("documents"), 2);
  EXPECT_EQ(delta("documents_bytes"), documents_bytes);
  EXPECT_EQ(delta("package_bytes"), aip["package_bytes"].get<std::int64_t>());
  EXPECT_EQ(delta("sips_accepted"), 1);
  EXPECT_EQ(delta("sips_rejected"), 1);
  ASSERT_TRUE(after["last_ingest_at"].is_string());
  EXPECT_GE(after["last_ingest_at"].get<std::string>(), aip["created_at"].get<std::string>());

  // Every ente for the CST, the totals their sums, the copies configured.
  const Json all = admin.get(kSummary).json();
  Json sums = Json::object();
  for (const char* key : {"aips", "documents", "documents_bytes", "package_bytes", "sips_accepted",
                          "sips_rejected"}) {
    std::int64_t sum = 0;
    for (const Json& i : all["items"]) sum += i[key].get<std::int64_t>();
    EXPECT_EQ(all["totals"][key].get<std::int64_t>(), sum) << key;
  }
  EXPECT_FALSE(all["totals"].contains("ente"));
  EXPECT_EQ(all["copies"], 2);

  // An ente's user sees its own ente only.
  auto own = clerk.get(kSummary);
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(own.json()["items"].size(), 1u) << own.body;
  EXPECT_EQ(own.json()["items"][0]["ente"], "019036");
  EXPECT_EQ(own.json()["totals"]["aips"], own.json()["items"][0]["aips"]);
}

// An AIP kept before the metadata index (its rows absent, the AIP pending as migration 0005
// leaves it) is indexed from its metadati.json by the first search after a restart.
TEST_F(Search, EarlierAipsAreIndexedFromTheirMetadataFile) {
  const std::string m = marker();
  std::string id;
  {
    HttpClient clerk = as("impiegato.cremona");
    id = offerRegister(clerk, "storici-" + m, "storico " + m, "parola-" + m);
  }
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(server_->stop(), 0);
  {
    const auto env = server_->cliEnv();
    auto db = db::Database::open(
        env.count("CST_DATABASE_URL") ? env.at("CST_DATABASE_URL") : std::string(),
        server_->dataDir(), 1);
    ASSERT_TRUE(db.has_value()) << db.error().detail;
    auto s = (*db)->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
      if (auto w = tx.exec("DELETE FROM preservation_metadata WHERE aip_id = ?", {id}); !w)
        return tl::unexpected(w.error());
      if (auto w = tx.exec("INSERT INTO preservation_metadata_pending (aip_id) VALUES (?)", {id});
          !w)
        return tl::unexpected(w.error());
      return {};
    });
    ASSERT_TRUE(s.has_value()) << s.error().detail;
  }
  server_->start();
  HttpClient clerk = as("impiegato.cremona");
  auto r = clerk.get(kAips + "?ente=019036&meta.ChiaveDescrittiva.ParoleChiave=parola-" + m);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(idsOf(r), std::set<std::string>{id});
  EXPECT_EQ(idsOf(clerk.get(kAips + "?ente=019036&q=" + http::urlEncode("PAROLA-" + m))),
            std::set<std::string>{id});
}

TEST_F(Search, ReceiptsComeInPagesNewestFirst) {
  HttpClient clerk = as("impiegato.cremona");
  offerRegisterAip(clerk, "019036");
  offerRegisterAip(clerk, "019036");
  const std::string sips = "/api/v1/preservation/sips?ente=019036";
  const Json all = clerk.get(sips + "&limit=200").json();
  ASSERT_GE(all["items"].size(), 2u);
  std::vector<std::string> paged;
  std::string cursor;
  for (int guard = 0; guard < 500; ++guard) {
    auto r =
        clerk.get(sips + "&limit=1" + (cursor.empty() ? "" : "&cursor=" + http::urlEncode(cursor)));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json page = r.json();
    for (const Json& item : page["items"]) paged.push_back(item["id"]);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  std::vector<std::string> whole;
  for (const Json& item : all["items"]) whole.push_back(item["id"]);
  EXPECT_EQ(paged, whole) << "page by page, the same receipts in the same order";
  auto bad = clerk.get(sips + "&cursor=ieri");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["errors"][0]["field"], "cursor") << bad.body;
}

}  // namespace
}  // namespace cst::testkit
