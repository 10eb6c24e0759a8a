// The Allegato 5 metadata check: complete DI, DAI (a daily protocol register) and fascicolo pass;
// each missing mandatory field, bad value, date and digest is reported by its JSON path, and
// every problem at once.
#include "metadata.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cst::preservation {
namespace {

using nlohmann::json;

// Values of ModalitaDiFormazione (reference §2.5): a, b and d.
const std::string kModalitaA =
    "creazione tramite utilizzo di strumenti software che assicurino la produzione di documenti "
    "nei formati previsti in allegato 2";
const std::string kModalitaB =
    "acquisizione di un documento informatico per via telematica o su supporto informatico, "
    "acquisizione della copia per immagine su supporto informatico di un documento analogico, "
    "acquisizione della copia informatica di un documento analogico";
const std::string kModalitaD =
    "generazione o raggruppamento anche in via automatica di un insieme di dati o registrazioni, "
    "provenienti da una o più banche dati, anche appartenenti a più soggetti interoperanti, "
    "secondo una struttura logica predeterminata e memorizzata in forma statica";

// A quote received from a company by e-mail, not protocolled, with one attachment.
json documentoInformatico() {
  json m = R"({
    "IdDoc": {
      "ImprontaCrittograficaDelDocumento": {
        "Impronta": "5f505c19ddedb8c79a4bc54169fbf164a3b71077c364e91cb8196a475696cc1d",
        "Algoritmo": "SHA-256"
      },
      "Identificativo": "DOC-2026-000153"
    },
    "TipologiaDocumentale": "Preventivo",
    "DatiDiRegistrazione": {
      "TipologiaDiFlusso": "E",
      "TipoRegistro": {
        "Nessuno": {
          "TipoRegistro": "Nessuno",
          "DataDocumento": "2026-11-20",
          "OraDocumento": "10:42:07",
          "NumeroDocumento": "P-88/2026"
        }
      }
    },
    "Soggetti": {
      "Ruolo": [
        {"TipoRuolo": "Mittente",
         "PG": {"DenominazioneOrganizzazione": "Edilizia Padana S.r.l.",
                "CodiceFiscale_PartitaIva": "01234567890",
                "IndirizziDigitaliDiRiferimento": ["edilizia.padana@pec.example.it"]}},
        {"TipoRuolo": "Destinatario",
         "PAI": {"IPAAmm": {"Denominazione": "Comune di Cremona", "CodiceIPA": "c_d150"},
                 "IPAAOO": {"Denominazione": "Protocollo generale", "CodiceIPA": "AOO_CR"}}},
        {"TipoRuolo": "Assegnatario",
         "AS": {"DenominazioneOrganizzazione": "Comune di Cremona",
                "DenominazioneUfficio": "Ufficio tecnico",
                "IndirizziDigitaliDiRiferimento": ["ufficio.tecnico@comune.example.it"]}},
        {"TipoRuolo": "Operatore",
         "PF": {"Cognome": "Rossi", "Nome": "Maria", "CodiceFiscale": "RSSMRA80A41D150X"}},
        {"TipoRuolo": "Produttore", "SW": {"DenominazioneSistema": "Posta elettronica"}}
      ]
    },
    "ChiaveDescrittiva": {"Oggetto": "Preventivo per la manutenzione della scuola primaria",
                          "ParoleChiave": ["manutenzione", "scuola"]},
    "Allegati": {
      "NumeroAllegati": 1,
      "IndiceAllegati": [
        {"IdDoc": {"ImprontaCrittograficaDelDocumento": {
                     "Impronta": "ef51e42dd1d47a3ddc8bfa489b8d74631ccb816d3a6a1171039cc9fcd926d08a",
                     "Algoritmo": "SHA-256"},
                   "Identificativo": "DOC-2026-000154"},
         "Descrizione": "Computo metrico"}
      ]
    },
    "Classificazione": {"IndiceDiClassificazione": "6.5", "Descrizione": "Edilizia scolastica",
                        "PianoDiClassificazione": "https://comune.example.it/titolario"},
    "Riservato": false,
    "IdentificativoDelFormato": {"Formato": "application/pdf",
                                 "ProdottoSoftware": {"NomeProdotto": "LibreOffice",
                                                      "VersioneProdotto": "7.4",
                                                      "Produttore": "The Document Foundation"}},
    "Verifica": {"FirmatoDigitalmente": true, "SigillatoElettronicamente": false,
                 "MarcaturaTemporale": false,
                 "ConformitaCopieImmagineSuSupportoInformatico": false},
    "Agg": {"TipoAgg": [{"TipoAggregazione": "Fascicolo", "IdAggregazione": "2026-6.5-12"}]},
    "NomeDelDocumento": "preventivo.pdf",
    "VersioneDelDocumento": "1",
    "TracciatureModificheDocumento": [
      {"TipoModifica": "Annotazione",
       "SoggettoAutoreDellaModifica": {"Cognome": "Rossi", "Nome": "Maria",
                                       "CodiceFiscale": "RSSMRA80A41D150X"},
       "DataModifica": "2026-11-21", "OraModifica": "09:00:00+01:00",
       "IdDocVersionePrecedente": {"ImprontaCrittograficaDelDocumento": {
           "Impronta": "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=", "Algoritmo": "SHA-256"},
         "Identificativo": "DOC-2026-000152"}}
    ],
    "TempoDiConservazione": 10,
    "Note": "Pervenuto per posta elettronica certificata"
  })"_json;
  m["ModalitaDiFormazione"] = kModalitaB;
  return m;
}

// The daily protocol register of 26 November 2026, as the protocol module makes it (PDF/A), in
// the repertorio of the daily registers.
json registroGiornaliero() {
  json m = R"({
    "IdDoc": {
      "ImprontaCrittograficaDelDocumento": {
        "Impronta": "ddea6da3af0b7fce795deb5c42adf6c28d0381c2eb22cba0e0cea68ef59806e4",
        "Algoritmo": "SHA-256"
      },
      "Identificativo": "c_d150-AOO_CR-PG-RG-2026-11-26"
    },
    "TipologiaDocumentale": "Registro giornaliero di protocollo",
    "DatiDiRegistrazione": {
      "TipologiaDiFlusso": "I",
      "TipoRegistro": {
        "Repertorio_Registro": {
          "TipoRegistro": "Repertorio\\Registro",
          "DataRegistrazioneDocumento": "2026-11-27",
          "OraRegistrazioneDocumento": "00:05:12",
          "NumeroRegistrazioneDocumento": "330",
          "CodiceRegistro": "PG"
        }
      }
    },
    "Soggetti": {
      "Ruolo": [
        {"TipoRuolo": "Amministrazione Che Effettua La Registrazione",
         "PAI": {"IPAAmm": {"Denominazione": "Comune di Cremona", "CodiceIPA": "c_d150"},
                 "IPAAOO": {"Denominazione": "Protocollo generale", "CodiceIPA": "AOO_CR"},
                 "IndirizziDigitaliDiRiferimento": ["protocollo@pec.comune.example.it"]}},
        {"TipoRuolo": "Autore",
         "PAI": {"IPAAmm": {"Denominazione": "Comune di Cremona", "CodiceIPA": "c_d150"},
                 "IPAAOO": {"Denominazione": "Protocollo generale", "CodiceIPA": "AOO_CR"}}},
        {"TipoRuolo": "Produttore", "SW": {"DenominazioneSistema": "cst protocollo informatico"}}
      ]
    },
    "ChiaveDescrittiva": {"Oggetto": "Registro giornaliero di protocollo del 26/11/2026"},
    "Allegati": {"NumeroAllegati": 0},
    "Riservato": false,
    "IdentificativoDelFormato": {"Formato": "application/pdf"},
    "Verifica": {"FirmatoDigitalmente": false, "SigillatoElettronicamente": false,
                 "MarcaturaTemporale": false,
                 "ConformitaCopieImmagineSuSupportoInformatico": false},
    "NomeDelDocumento": "registro-giornaliero-2026-11-26.pdf",
    "VersioneDelDocumento": "1"
  })"_json;
  m["ModalitaDiFormazione"] = kModalitaD;
  return m;
}

// A fascicolo of two documents, closed.
json fascicolo() {
  return R"({
    "IdAgg": {"TipoAggregazione": "Fascicolo", "IdAggregazione": "2026-6.5-12"},
    "TipologiaFascicolo": "Affare",
    "Soggetti": {
      "Ruolo": [
        {"TipoRuolo": "Amministrazione Titolare",
         "PAI": {"IPAAmm": {"Denominazione": "Comune di Cremona", "CodiceIPA": "c_d150"},
                 "IPAAOO": {"Denominazione": "Protocollo generale", "CodiceIPA": "AOO_CR"}}},
        {"TipoRuolo": "RUP",
         "RUP": {"Cognome": "Bianchi", "Nome": "Luca",
                 "IndirizziDigitaliDiRiferimento": ["luca.bianchi@comune.example.it"]}}
      ]
    },
    "Assegnazione": {"TipoAssegnazione": "per competenza"},
    "DataApertura": "2026-03-02",
    "DataChiusura": "2026-11-25",
    "Classificazione": {"IndiceDiClassificazione": "6.5", "Descrizione": "Edilizia scolastica"},
    "Progressivo": 12,
    "ChiaveDescrittiva": {"Oggetto": "Manutenzione della scuola primaria"},
    "IndiceDocumenti": [
      {"ImprontaCrittograficaDelDocumento": {
         "Impronta": "4e8e87401f9595a8cf97f6b34bbe67b2f002a978ddbb9adfaad821b9550e1d7e",
         "Algoritmo": "SHA-256"},
       "Identificativo": "DOC-2026-000153"},
      {"ImprontaCrittograficaDelDocumento": {
         "Impronta": "ccae6938b611fe89a82597ddd801d2f69283e984067276b5384b70ff05f58540",
         "Algoritmo": "SHA-256"},
       "Identificativo": "DOC-2026-000201"}
    ],
    "TempoDiConservazione": 10
  })"_json;
}

constexpr auto kDi = ObjectKind::kDocumentoInformatico;
constexpr auto kDai = ObjectKind::kDocumentoAmministrativoInformatico;
constexpr auto kAgg = ObjectKind::kAggregazione;

std::string describe(const std::vector<MetadataProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "\n  " + p.field + ": " + p.message;
  return out.empty() ? " (none)" : out;
}

std::vector<std::string> fieldsOf(const std::vector<MetadataProblem>& problems) {
  std::vector<std::string> fields;
  for (const auto& p : problems) fields.push_back(p.field);
  std::sort(fields.begin(), fields.end());
  return fields;
}

// The one problem of `m`, which the test expects to have exactly one.
MetadataProblem onlyProblem(ObjectKind kind, const json& m) {
  const auto problems = checkMetadata(kind, m);
  EXPECT_EQ(problems.size(), 1u) << describe(problems);
  return problems.empty() ? MetadataProblem{} : problems.front();
}

// "/Soggetti/Ruolo/0/PF" → "Soggetti.Ruolo[0].PF", the checker's path of a JSON pointer.
std::string pathOf(const std::string& pointer) {
  std::string path;
  std::size_t at = 1;
  while (at <= pointer.size()) {
    const auto next = std::min(pointer.find('/', at), pointer.size());
    const std::string token = pointer.substr(at, next - at);
    const bool index = !token.empty() && std::all_of(token.begin(), token.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    path += index ? "[" + token + "]" : (path.empty() ? "" : ".") + token;
    at = next + 1;
  }
  return path;
}

json without(json m, const std::string& pointer) {
  const json::json_pointer p(pointer);
  m.at(p.parent_pointer()).erase(p.back());
  return m;
}

// Removes each of `pointers` in turn from `m` and expects exactly that field reported missing.
void expectEachMandatory(ObjectKind kind, const json& m, const std::vector<std::string>& pointers) {
  for (const auto& pointer : pointers) {
    SCOPED_TRACE(pointer);
    const auto problem = onlyProblem(kind, without(m, pointer));
    EXPECT_EQ(problem.field, pathOf(pointer));
    EXPECT_EQ(problem.message.rfind("obbligatorio", 0), 0u) << problem.message;
  }
}

TEST(MetadataKinds, NamesAreTheSipTipo) {
  for (auto kind : {kDi, kDai, kAgg}) EXPECT_EQ(kindFromName(nameOf(kind)), kind);
  EXPECT_EQ(nameOf(kDai), "documento_amministrativo_informatico");
  EXPECT_EQ(kindFromName("documento_informatico"), kDi);
  EXPECT_EQ(kindFromName("aggregazione"), kAgg);
  EXPECT_FALSE(kindFromName("fascicolo"));
  EXPECT_FALSE(kindFromName(""));
}

TEST(Metadata, CompleteDocumentsAndFascicoloPass) {
  EXPECT_TRUE(checkMetadata(kDi, documentoInformatico()).empty())
      << describe(checkMetadata(kDi, documentoInformatico()));
  EXPECT_TRUE(checkMetadata(kDai, registroGiornaliero()).empty())
      << describe(checkMetadata(kDai, registroGiornaliero()));
  EXPECT_TRUE(checkMetadata(kAgg, fascicolo()).empty())
      << describe(checkMetadata(kAgg, fascicolo()));
}

TEST(Metadata, NotAnObjectIsOneProblem) {
  for (const json& m : {json::array(), json("x"), json(nullptr), json(3)}) {
    const auto problem = onlyProblem(kDi, m);
    EXPECT_EQ(problem.field, "");
    EXPECT_EQ(problem.message, "i metadati devono essere un oggetto JSON");
  }
}

TEST(Metadata, EachMandatoryFieldOfADocumentoInformaticoIsNamed) {
  const std::string registro = "/DatiDiRegistrazione/TipoRegistro/Nessuno";
  const std::string impronta = "/IdDoc/ImprontaCrittograficaDelDocumento";
  const std::string allegato = "/Allegati/IndiceAllegati/0";
  const std::string modifica = "/TracciatureModificheDocumento/0";
  expectEachMandatory(kDi, documentoInformatico(),
                      {"/IdDoc",
                       impronta,
                       impronta + "/Impronta",
                       impronta + "/Algoritmo",
                       "/IdDoc/Identificativo",
                       "/ModalitaDiFormazione",
                       "/TipologiaDocumentale",
                       "/DatiDiRegistrazione",
                       "/DatiDiRegistrazione/TipologiaDiFlusso",
                       "/DatiDiRegistrazione/TipoRegistro",
                       registro + "/TipoRegistro",
                       registro + "/DataDocumento",
                       registro + "/NumeroDocumento",
                       "/Soggetti",
                       "/Soggetti/Ruolo",
                       "/Soggetti/Ruolo/0/TipoRuolo",
                       "/Soggetti/Ruolo/0/PG/DenominazioneOrganizzazione",
                       "/Soggetti/Ruolo/1/PAI/IPAAmm",
                       "/Soggetti/Ruolo/1/PAI/IPAAOO/CodiceIPA",
                       "/Soggetti/Ruolo/2/AS/DenominazioneUfficio",
                       "/Soggetti/Ruolo/2/AS/IndirizziDigitaliDiRiferimento",
                       "/Soggetti/Ruolo/3/PF/Cognome",
                       "/Soggetti/Ruolo/3/PF/Nome",
                       "/Soggetti/Ruolo/3/PF/CodiceFiscale",
                       "/Soggetti/Ruolo/4/SW/DenominazioneSistema",
                       "/ChiaveDescrittiva",
                       "/ChiaveDescrittiva/Oggetto",
                       "/Allegati",
                       "/Allegati/NumeroAllegati",
                       "/Allegati/IndiceAllegati",
                       allegato + "/IdDoc",
                       allegato + "/Descrizione",
                       "/Riservato",
                       "/IdentificativoDelFormato",
                       "/IdentificativoDelFormato/Formato",
                       "/Verifica",
                       "/Verifica/FirmatoDigitalmente",
                       "/Verifica/SigillatoElettronicamente",
                       "/Verifica/MarcaturaTemporale",
                       "/Verifica/ConformitaCopieImmagineSuSupportoInformatico",
                       "/Agg/TipoAgg/0/TipoAggregazione",
                       "/Agg/TipoAgg/0/IdAggregazione",
                       "/NomeDelDocumento",
                       "/VersioneDelDocumento",
                       modifica + "/TipoModifica",
                       modifica + "/SoggettoAutoreDellaModifica",
                       modifica + "/DataModifica",
                       modifica + "/IdDocVersionePrecedente"});
}

TEST(Metadata, EachMandatoryFieldOfTheDailyRegisterIsNamed) {
  const std::string registro = "/DatiDiRegistrazione/TipoRegistro/Repertorio_Registro";
  expectEachMandatory(kDai, registroGiornaliero(),
                      {"/IdDoc/ImprontaCrittograficaDelDocumento/Impronta",
                       "/IdDoc/Identificativo",
                       "/ModalitaDiFormazione",
                       "/TipologiaDocumentale",
                       "/DatiDiRegistrazione/TipologiaDiFlusso",
                       registro + "/TipoRegistro",
                       registro + "/DataRegistrazioneDocumento",
                       registro + "/NumeroRegistrazioneDocumento",
                       registro + "/CodiceRegistro",
                       "/Soggetti/Ruolo/0/TipoRuolo",
                       "/Soggetti/Ruolo/0/PAI/IPAAmm/Denominazione",
                       "/Soggetti/Ruolo/0/PAI/IndirizziDigitaliDiRiferimento",
                       "/Soggetti/Ruolo/1/PAI/IPAAOO",
                       "/ChiaveDescrittiva/Oggetto",
                       "/Allegati/NumeroAllegati",
                       "/Riservato",
                       "/IdentificativoDelFormato/Formato",
                       "/Verifica",
                       "/NomeDelDocumento",
                       "/VersioneDelDocumento"});
}

TEST(Metadata, EachMandatoryFieldOfAFascicoloIsNamed) {
  expectEachMandatory(
      kAgg, fascicolo(),
      {"/IdAgg", "/IdAgg/TipoAggregazione", "/IdAgg/IdAggregazione", "/Soggetti",
       "/Soggetti/Ruolo/0/TipoRuolo", "/Soggetti/Ruolo/0/PAI/IPAAmm",
       "/Soggetti/Ruolo/1/RUP/Cognome", "/Soggetti/Ruolo/1/RUP/IndirizziDigitaliDiRiferimento",
       "/Assegnazione", "/DataApertura", "/Classificazione", "/Progressivo", "/ChiaveDescrittiva",
       "/IndiceDocumenti", "/IndiceDocumenti/1/ImprontaCrittograficaDelDocumento",
       "/IndiceDocumenti/0/Identificativo"});
}

TEST(Metadata, EmptyOrBlankMandatoryValuesAreMissing) {
  auto m = registroGiornaliero();
  m["ChiaveDescrittiva"]["Oggetto"] = "  ";
  EXPECT_EQ(onlyProblem(kDai, m).field, "ChiaveDescrittiva.Oggetto");
  m = registroGiornaliero();
  m["NomeDelDocumento"] = nullptr;
  EXPECT_EQ(onlyProblem(kDai, m).field, "NomeDelDocumento");
  m = fascicolo();
  m["IndiceDocumenti"] = json::array();
  const auto problem = onlyProblem(kAgg, m);
  EXPECT_EQ(problem.field, "IndiceDocumenti");
  EXPECT_EQ(problem.message, "obbligatorio: almeno un elemento");
}

TEST(Metadata, AValueOutsideItsEnumerationIsNamedWithTheAllowedOnes) {
  auto m = registroGiornaliero();
  m["DatiDiRegistrazione"]["TipologiaDiFlusso"] = "Entrata";
  auto problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "DatiDiRegistrazione.TipologiaDiFlusso");
  EXPECT_EQ(problem.message, "valore non ammesso: \"Entrata\"; ammessi: \"E\", \"U\", \"I\"");

  // The letter of the guidelines is not the value: the long text is.
  m = registroGiornaliero();
  m["ModalitaDiFormazione"] = "d";
  problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "ModalitaDiFormazione");
  EXPECT_NE(problem.message.find("\"" + kModalitaD + "\""), std::string::npos);
  EXPECT_NE(problem.message.find("\"" + kModalitaA + "\""), std::string::npos);

  m = registroGiornaliero();
  m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]["TipoRegistro"] = "Repertorio";
  problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "DatiDiRegistrazione.TipoRegistro.Repertorio_Registro.TipoRegistro");
  EXPECT_EQ(problem.message,
            "valore non ammesso: \"Repertorio\"; ammessi: \"Repertorio\\Registro\"");

  m = fascicolo();
  m["IdAgg"]["TipoAggregazione"] = "Pratica";
  problem = onlyProblem(kAgg, m);
  EXPECT_EQ(problem.field, "IdAgg.TipoAggregazione");
  EXPECT_EQ(problem.message,
            "valore non ammesso: \"Pratica\"; ammessi: \"Fascicolo\", \"Serie Documentale\", "
            "\"Serie di Fascicoli\"");
}

TEST(Metadata, RolesAreThoseOfTheKind) {
  // "Altro" is a DI role only; "RUP" a DAI's and an aggregation's.
  auto m = registroGiornaliero();
  m["Soggetti"]["Ruolo"][2]["TipoRuolo"] = "Altro";
  auto problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "Soggetti.Ruolo[2].TipoRuolo");
  EXPECT_EQ(problem.message.rfind("valore non ammesso: \"Altro\"; ammessi: ", 0), 0u);
  EXPECT_NE(problem.message.find("\"Amministrazione Che Effettua La Registrazione\""),
            std::string::npos);
  EXPECT_NE(problem.message.find("\"RUP\""), std::string::npos);

  // A subject type the role does not admit: an Operatore is a person.
  m = documentoInformatico();
  m["Soggetti"]["Ruolo"][3]["PG"] = {{"DenominazioneOrganizzazione", "Poste"}};
  problem = onlyProblem(kDi, m);
  EXPECT_EQ(problem.field, "Soggetti.Ruolo[3].PG");
  EXPECT_EQ(problem.message,
            "tipo di soggetto non ammesso per il ruolo \"Operatore\"; ammessi: \"PF\"");

  m = documentoInformatico();
  m["Soggetti"]["Ruolo"][0].erase("PG");
  problem = onlyProblem(kDi, m);
  EXPECT_EQ(problem.field, "Soggetti.Ruolo[0]");
  EXPECT_EQ(problem.message, "manca il soggetto: uno tra \"PF\", \"PG\", \"PAI\", \"PAE\"");

  // An aggregation's role spellings are uncertain: case and spaces are not held against them.
  m = fascicolo();
  m["Soggetti"]["Ruolo"][0]["TipoRuolo"] = "amministrazione titolare";
  EXPECT_TRUE(checkMetadata(kAgg, m).empty()) << describe(checkMetadata(kAgg, m));
}

TEST(Metadata, ADocumentNeedsItsAuthorOrSenderAndADaiItsRegisteringAdministration) {
  auto m = documentoInformatico();
  m["Soggetti"]["Ruolo"][0]["TipoRuolo"] = "Altro";
  auto problem = onlyProblem(kDi, m);
  EXPECT_EQ(problem.field, "Soggetti.Ruolo");
  EXPECT_EQ(problem.message, "serve almeno un soggetto con ruolo \"Autore\" o \"Mittente\"");

  m = registroGiornaliero();
  m["Soggetti"]["Ruolo"].erase(0);
  problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "Soggetti.Ruolo");
  EXPECT_EQ(problem.message,
            "obbligatorio un soggetto con ruolo \"Amministrazione Che Effettua La Registrazione\"");
}

TEST(Metadata, TheRegistrationIsExactlyOneAndADaiIsAlwaysRegistered) {
  auto m = registroGiornaliero();
  m["DatiDiRegistrazione"]["TipoRegistro"] = json::object();
  auto problem = onlyProblem(kDai, m);
  EXPECT_EQ(problem.field, "DatiDiRegistrazione.TipoRegistro");
  EXPECT_EQ(problem.message,
            "obbligatorio uno tra: \"ProtocolloOrdinario_ProtocolloEmergenza\", "
            "\"Repertorio_Registro\"");

  // The DI's "Nessuno" in a DAI.
  m = registroGiornaliero();
  m["DatiDiRegistrazione"] = documentoInformatico()["DatiDiRegistrazione"];
  const auto problems = checkMetadata(kDai, m);
  EXPECT_EQ(fieldsOf(problems),
            (std::vector<std::string>{"DatiDiRegistrazione.TipoRegistro",
                                      "DatiDiRegistrazione.TipoRegistro.Nessuno"}))
      << describe(problems);

  m = documentoInformatico();
  m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"] =
      registroGiornaliero()["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"];
  problem = onlyProblem(kDi, m);
  EXPECT_EQ(problem.field, "DatiDiRegistrazione.TipoRegistro");
  EXPECT_EQ(problem.message.rfind("uno solo tra: ", 0), 0u);

  // A protocolled DAI.
  m = registroGiornaliero();
  m["DatiDiRegistrazione"]["TipoRegistro"] = {
      {"ProtocolloOrdinario_ProtocolloEmergenza",
       {{"TipoRegistro", "ProtocolloOrdinario\\ProtocolloEmergenza"},
        {"DataProtocollazioneDocumento", "2026-11-27"},
        {"NumeroProtocolloDocumento", 4711},
        {"CodiceRegistro", "PG"}}}};
  EXPECT_TRUE(checkMetadata(kDai, m).empty()) << describe(checkMetadata(kDai, m));
}

TEST(Metadata, BadDatesAndTimesAreNamed) {
  const std::string at = "DatiDiRegistrazione.TipoRegistro.Repertorio_Registro.";
  for (const std::string bad : {"2026-02-29", "27/11/2026", "2026-11-7", "2026-13-01", "20261127",
                                "2026-11-27T00:00:00Z", ""}) {
    SCOPED_TRACE(bad);
    auto m = registroGiornaliero();
    m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]["DataRegistrazioneDocumento"] =
        bad;
    const auto problem = onlyProblem(kDai, m);
    EXPECT_EQ(problem.field, at + "DataRegistrazioneDocumento");
    EXPECT_EQ(problem.message, bad.empty() ? "obbligatorio" : "data non valida (AAAA-MM-GG)");
  }
  auto m = registroGiornaliero();
  m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]["DataRegistrazioneDocumento"] =
      "2028-02-29";  // a leap day
  EXPECT_TRUE(checkMetadata(kDai, m).empty());

  for (const std::string bad : {"24:00:00", "9:05:12", "00:05", "00:05:12+1", "00:05:12."}) {
    SCOPED_TRACE(bad);
    m = registroGiornaliero();
    m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]["OraRegistrazioneDocumento"] =
        bad;
    const auto problem = onlyProblem(kDai, m);
    EXPECT_EQ(problem.field, at + "OraRegistrazioneDocumento");
    EXPECT_EQ(problem.message, "ora non valida (hh:mm:ss)");
  }

  m = fascicolo();
  m["DataChiusura"] = "2026-03-01";
  const auto problem = onlyProblem(kAgg, m);
  EXPECT_EQ(problem.field, "DataChiusura");
  EXPECT_EQ(problem.message, "precedente a DataApertura");
}

TEST(Metadata, WrongTypesAreProblems) {
  auto m = documentoInformatico();
  m["Riservato"] = "no";
  m["Allegati"]["NumeroAllegati"] = -1;
  m["ChiaveDescrittiva"]["ParoleChiave"] = "manutenzione";
  m["Soggetti"]["Ruolo"][3]["PF"]["Cognome"] = 7;
  m["TempoDiConservazione"] = "10 anni";
  m["IdentificativoDelFormato"] = "application/pdf";
  const auto problems = checkMetadata(kDi, m);
  EXPECT_EQ(fieldsOf(problems),
            (std::vector<std::string>{"Allegati.NumeroAllegati", "ChiaveDescrittiva.ParoleChiave",
                                      "IdentificativoDelFormato", "Riservato",
                                      "Soggetti.Ruolo[3].PF.Cognome", "TempoDiConservazione"}))
      << describe(problems);
}

TEST(Metadata, UnknownFieldsAreAllowed) {
  auto m = registroGiornaliero();
  m["EstensioneComune"] = {{"Ufficio", "Protocollo"}};
  m["IdDoc"]["Versione"] = 2;
  m["Soggetti"]["Ruolo"][0]["PAI"]["Telefono"] = "0372 0000";
  EXPECT_TRUE(checkMetadata(kDai, m).empty()) << describe(checkMetadata(kDai, m));
}

TEST(Metadata, UncertainNamesAreAccepted) {
  // "Verificazioni" for DAI's Verifica (reference §2.3), IdAgg for TipoAgg, one for a list.
  auto m = registroGiornaliero();
  m["Verificazioni"] = m["Verifica"];
  m.erase("Verifica");
  m["Agg"] = {{"IdAgg", {{"TipoAggregazione", "Serie Documentale"}, {"IdAggregazione", "RG"}}}};
  EXPECT_TRUE(checkMetadata(kDai, m).empty()) << describe(checkMetadata(kDai, m));
  m["Verificazioni"].erase("MarcaturaTemporale");
  EXPECT_EQ(onlyProblem(kDai, m).field, "Verificazioni.MarcaturaTemporale");
}

TEST(Metadata, AttachmentsAreIndexedAsCounted) {
  auto m = documentoInformatico();
  m["Allegati"]["NumeroAllegati"] = 2;
  const auto problem = onlyProblem(kDi, m);
  EXPECT_EQ(problem.field, "Allegati.IndiceAllegati");
  EXPECT_EQ(problem.message, "elenca 1 allegati, NumeroAllegati ne indica 2");
}

TEST(Metadata, EveryProblemIsReportedAtOnce) {
  auto m = registroGiornaliero();
  m.erase("TipologiaDocumentale");
  m["Riservato"] = "false";
  m["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]["DataRegistrazioneDocumento"] =
      "2026-11-31";
  m["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Algoritmo"] = "MD5";
  m["Soggetti"]["Ruolo"][1]["TipoRuolo"] = "Redattore";
  m["Verifica"].erase("FirmatoDigitalmente");
  const auto problems = checkMetadata(kDai, m);
  EXPECT_EQ(
      fieldsOf(problems),
      (std::vector<std::string>{
          "DatiDiRegistrazione.TipoRegistro.Repertorio_Registro.DataRegistrazioneDocumento",
          "IdDoc.ImprontaCrittograficaDelDocumento.Algoritmo", "Riservato",
          "Soggetti.Ruolo[1].TipoRuolo", "TipologiaDocumentale", "Verifica.FirmatoDigitalmente"}))
      << describe(problems);
}

TEST(MetadataHash, AMalformedDigestIsNamed) {
  const std::string at = "IdDoc.ImprontaCrittograficaDelDocumento.Impronta";
  const std::string hex = "ddea6da3af0b7fce795deb5c42adf6c28d0381c2eb22cba0e0cea68ef59806e4";
  for (const json& bad :
       {json(hex.substr(1)), json(hex + "0"), json("g" + hex.substr(1)), json(hex.substr(0, 40)),
        json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"),  // no padding
        json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hS=="),   // 31 bytes
        json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3h*uFU="), json(42)}) {
    SCOPED_TRACE(bad.dump());
    auto m = registroGiornaliero();
    m["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Impronta"] = bad;
    const auto problem = onlyProblem(kDai, m);
    EXPECT_EQ(problem.field, at);
    EXPECT_EQ(problem.message.rfind("impronta non valida", 0), 0u) << problem.message;
    EXPECT_EQ(declaredSha256(m), "");
  }
  // An attachment's digest is checked the same way.
  auto m = documentoInformatico();
  m["Allegati"]["IndiceAllegati"][0]["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Impronta"] =
      "abc";
  EXPECT_EQ(onlyProblem(kDi, m).field,
            "Allegati.IndiceAllegati[0].IdDoc.ImprontaCrittograficaDelDocumento.Impronta");
}

TEST(MetadataHash, OnlySha256IsAccepted) {
  for (const std::string other :
       {"SHA-1", "SHA-384", "SHA-512", "MD5", "http://www.w3.org/2001/04/xmlenc#sha512"}) {
    SCOPED_TRACE(other);
    auto m = registroGiornaliero();
    m["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Algoritmo"] = other;
    const auto problem = onlyProblem(kDai, m);
    EXPECT_EQ(problem.field, "IdDoc.ImprontaCrittograficaDelDocumento.Algoritmo");
    EXPECT_EQ(problem.message, "valore non ammesso: \"" + other + "\"; ammessi: \"SHA-256\"");
    EXPECT_EQ(declaredSha256(m), "");
  }
  for (const std::string same : {"SHA-256", "sha256", "http://www.w3.org/2001/04/xmlenc#sha256"}) {
    auto m = registroGiornaliero();
    m["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Algoritmo"] = same;
    EXPECT_TRUE(checkMetadata(kDai, m).empty()) << same;
  }
}

TEST(MetadataHash, TheDeclaredDigestIsLowercaseHex) {
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  auto m = registroGiornaliero();
  auto& impronta = m["IdDoc"]["ImprontaCrittograficaDelDocumento"]["Impronta"];
  EXPECT_EQ(declaredSha256(m), impronta.get<std::string>());
  impronta = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
  EXPECT_EQ(declaredSha256(m), empty);
  // Base64, as Allegato 5's xs:base64Binary has it: the SHA-256 of "" and of "x".
  impronta = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  EXPECT_TRUE(checkMetadata(kDai, m).empty());
  EXPECT_EQ(declaredSha256(m), empty);
  impronta = "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=";
  EXPECT_EQ(declaredSha256(m), "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
  EXPECT_EQ(declaredSha256(json::object()), "");
  EXPECT_EQ(declaredSha256(json("x")), "");
}

}  // namespace
}  // namespace cst::preservation
