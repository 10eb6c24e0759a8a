// The fields of Allegato 5 as reference §2 gives them (the final structure, cross-checked there
// across implementations of AgID's XSDs, [S]): one table per object, one line per field. Where the
// reference marks a name or a structure uncertain ([U]) the table is lenient and says so. Fields
// the tables do not name are allowed: producers may add their own, and the official XSDs (not
// available, reference §8) may hold some the reference does not list.
#include "allegato5.hpp"

namespace cst::preservation::allegato5 {
namespace {

constexpr Field one(std::string_view n, Kind k) { return {.name = n, .kind = k}; }
constexpr Field one(std::string_view n, Fields c) {
  return {.name = n, .kind = Kind::kObject, .children = c};
}
constexpr Field one(std::string_view n, Values v) {
  return {.name = n, .kind = Kind::kOneOf, .allowed = v};
}
constexpr Field one(std::string_view n, Special s) {
  return {.name = n, .kind = Kind::kSpecial, .special = s};
}
template <typename T>
constexpr Field opt(std::string_view n, const T& what) {
  Field f = one(n, what);
  f.required = false;
  return f;
}

// §2.5: the XSD enumeration's long text; the letters a–d of the guidelines are not values.
constexpr std::string_view kModalita[] = {
    "creazione tramite utilizzo di strumenti software che assicurino la produzione di documenti "
    "nei formati previsti in allegato 2",
    "acquisizione di un documento informatico per via telematica o su supporto informatico, "
    "acquisizione della copia per immagine su supporto informatico di un documento analogico, "
    "acquisizione della copia informatica di un documento analogico",
    "memorizzazione su supporto informatico in formato digitale delle informazioni risultanti da "
    "transazioni o processi informatici o dalla presentazione telematica di dati attraverso "
    "moduli o formulari resi disponibili ad utente",
    "generazione o raggruppamento anche in via automatica di un insieme di dati o registrazioni, "
    "provenienti da una o più banche dati, anche appartenenti a più soggetti interoperanti, "
    "secondo una struttura logica predeterminata e memorizzata in forma statica",
};
constexpr std::string_view kFlussi[] = {"E", "U", "I"};  // entrata, uscita, interno
constexpr std::string_view kNessuno[] = {"Nessuno"};
constexpr std::string_view kProtocollo[] = {"ProtocolloOrdinario\\ProtocolloEmergenza"};
constexpr std::string_view kRepertorio[] = {"Repertorio\\Registro"};
constexpr std::string_view kTipiAggregazione[] = {"Fascicolo", "Serie Documentale",
                                                  "Serie di Fascicoli"};
constexpr std::string_view kTipologieFascicolo[] = {
    "Affare", "Attività", "Persona Fisica", "Persona Giuridica", "Procedimento Amministrativo"};
constexpr std::string_view kTipiAssegnazione[] = {"per competenza", "per conoscenza"};
constexpr std::string_view kTipiModifica[] = {"Annullamento", "Rettifica", "Integrazione",
                                              "Annotazione"};

// §2.2, the subjects' bodies.
constexpr Field kCodiceIpa[] = {one("Denominazione", Kind::kText), one("CodiceIPA", Kind::kText)};
constexpr Field kAddresses = opt("IndirizziDigitaliDiRiferimento", Kind::kText).list();
constexpr Field kSomeAddress = one("IndirizziDigitaliDiRiferimento", Kind::kText).list();
// The IPA codes are DAI's addition to PF (§2.3); harmless, and optional, in a DI.
constexpr Field kPf[] = {one("Cognome", Kind::kText),
                         one("Nome", Kind::kText),
                         one("CodiceFiscale", Kind::kText),
                         opt("IPAAmm", kCodiceIpa),
                         opt("IPAAOO", kCodiceIpa),
                         opt("IPAUOR", kCodiceIpa),
                         kAddresses};
constexpr Field kPg[] = {one("DenominazioneOrganizzazione", Kind::kText),
                         opt("CodiceFiscale_PartitaIva", Kind::kText),
                         opt("DenominazioneUfficio", Kind::kText), kAddresses};
constexpr Field kPai[] = {one("IPAAmm", kCodiceIpa), one("IPAAOO", kCodiceIpa),
                          opt("IPAUOR", kCodiceIpa), kAddresses};
// DAI's "Amministrazione Che Effettua La Registrazione": its digital address is mandatory (§2.3).
constexpr Field kPaiRegistering[] = {one("IPAAmm", kCodiceIpa), one("IPAAOO", kCodiceIpa),
                                     opt("IPAUOR", kCodiceIpa), kSomeAddress};
constexpr Field kPae[] = {one("DenominazioneAmministrazione", Kind::kText),
                          opt("DenominazioneUfficio", Kind::kText), kAddresses};
constexpr Field kAsDi[] = {opt("Cognome", Kind::kText),
                           opt("Nome", Kind::kText),
                           opt("CodiceFiscale", Kind::kText),
                           one("DenominazioneOrganizzazione", Kind::kText),
                           one("DenominazioneUfficio", Kind::kText),
                           kSomeAddress};
constexpr Field kAsPa[] = {opt("Cognome", Kind::kText),
                           opt("Nome", Kind::kText),
                           opt("CodiceFiscale", Kind::kText),
                           one("IPAAmm", kCodiceIpa),
                           one("IPAAOO", kCodiceIpa),
                           one("IPAUOR", kCodiceIpa),
                           kSomeAddress};
constexpr Field kRup[] = {one("Cognome", Kind::kText),
                          one("Nome", Kind::kText),
                          opt("CodiceFiscale", Kind::kText),
                          opt("IPAAmm", kCodiceIpa),
                          opt("IPAAOO", kCodiceIpa),
                          opt("IPAUOR", kCodiceIpa),
                          kSomeAddress};
constexpr Field kSw[] = {one("DenominazioneSistema", Kind::kText)};

constexpr std::string_view kBodyKeys[] = {"PF", "PG", "PAI", "PAE", "AS", "SW", "RUP"};
constexpr Body kAnyParty[] = {{"PF", kPf}, {"PG", kPg}, {"PAI", kPai}, {"PAE", kPae}};
constexpr Body kPersonOrOrganisation[] = {{"PF", kPf}, {"PG", kPg}};
constexpr Body kPerson[] = {{"PF", kPf}};
constexpr Body kOrganisation[] = {{"PG", kPg}};
constexpr Body kSoftware[] = {{"SW", kSw}};
constexpr Body kAssigneeDi[] = {{"AS", kAsDi}};
constexpr Body kAssigneePa[] = {{"AS", kAsPa}};
constexpr Body kRegistering[] = {{"PAI", kPaiRegistering}};
constexpr Body kItalianPa[] = {{"PAI", kPai}};
constexpr Body kAnyPa[] = {{"PAI", kPai}, {"PAE", kPae}};
// The element holding the RUP's data is not named by the reference: "RUP" as one implementation
// has it, or "PF" as for the other persons.
constexpr Body kRupBody[] = {{"RUP", kRup}, {"PF", kRup}};

constexpr Role kDiRoles[] = {
    {"Soggetto Che Effettua La Registrazione", kPersonOrOrganisation},
    {"Assegnatario", kAssigneeDi},
    {"Destinatario", kAnyParty},
    {"Mittente", kAnyParty},
    {"Autore", kAnyParty},
    {"Altro", kAnyParty},
    {"Operatore", kPerson},
    {"Responsabile della Gestione Documentale", kPerson},
    {"Responsabile del Servizio di Protocollo", kPerson},
    {"Produttore", kSoftware},
};
// §2.3: DAI drops "Soggetto Che Effettua La Registrazione" and "Altro", adds the registering
// administration and the RUP; its assignee is named by IPA codes.
constexpr Role kDaiRoles[] = {
    {"Amministrazione Che Effettua La Registrazione", kRegistering},
    {"Assegnatario", kAssigneePa},
    {"Destinatario", kAnyParty},
    {"Mittente", kAnyParty},
    {"Autore", kAnyParty},
    {"Operatore", kPerson},
    {"Responsabile della Gestione Documentale", kPerson},
    {"Responsabile del Servizio di Protocollo", kPerson},
    {"Produttore", kSoftware},
    {"RUP", kRupBody},
};
// §2.4: the exact spellings are [U], so these are matched ignoring case and spaces.
constexpr Role kAggregationRoles[] = {
    {"Amministrazione Titolare", kItalianPa},
    {"Amministrazione Partecipante", kAnyPa},
    {"Soggetto Intestatario Persona Giuridica", kOrganisation},
    {"Soggetto Intestatario Persona Fisica", kPerson},
    {"RUP", kRupBody},
    {"Assegnatario", kAssigneePa},
};

// §2.2, the document.
constexpr Field kImpronta[] = {one("Impronta", checkImpronta), one("Algoritmo", checkAlgoritmo)};
constexpr Field kIdDoc[] = {one("ImprontaCrittograficaDelDocumento", kImpronta),
                            one("Identificativo", Kind::kText),
                            opt("Segnatura", Kind::kAnything)};  // its form is not given
constexpr Field kNessunoRegistro[] = {
    one("TipoRegistro", kNessuno), one("DataDocumento", Kind::kDate),
    opt("OraDocumento", Kind::kTime), one("NumeroDocumento", Kind::kNumbering)};
constexpr Field kProtocolloRegistro[] = {
    one("TipoRegistro", kProtocollo), one("DataProtocollazioneDocumento", Kind::kDate),
    opt("OraProtocollazioneDocumento", Kind::kTime),
    one("NumeroProtocolloDocumento", Kind::kNumbering), one("CodiceRegistro", Kind::kText)};
constexpr Field kRepertorioRegistro[] = {
    one("TipoRegistro", kRepertorio), one("DataRegistrazioneDocumento", Kind::kDate),
    opt("OraRegistrazioneDocumento", Kind::kTime),
    one("NumeroRegistrazioneDocumento", Kind::kNumbering), one("CodiceRegistro", Kind::kText)};
// TipoRegistro's choices; "Nessuno" first, as a DAI is always registered (§2.3).
constexpr Field kRegistrations[] = {
    one("Nessuno", kNessunoRegistro),
    one("ProtocolloOrdinario_ProtocolloEmergenza", kProtocolloRegistro),
    one("Repertorio_Registro", kRepertorioRegistro)};
constexpr Field kDatiDiRegistrazione[] = {one("TipologiaDiFlusso", kFlussi),
                                          one("TipoRegistro", checkTipoRegistro)};
constexpr Field kSoggetti[] = {one("Ruolo", checkRuolo).list()};
// ParoleChiave: the reference could not find its maximum count ([U]), so none is enforced.
constexpr Field kChiaveDescrittiva[] = {one("Oggetto", Kind::kText),
                                        opt("ParoleChiave", Kind::kText).list()};
constexpr Field kIndiceAllegati[] = {one("IdDoc", kIdDoc), one("Descrizione", Kind::kText)};
constexpr Field kAllegati[] = {one("NumeroAllegati", Kind::kCount),
                               opt("IndiceAllegati", kIndiceAllegati).list()};
constexpr Field kClassificazione[] = {opt("IndiceDiClassificazione", Kind::kText),
                                      opt("Descrizione", Kind::kText),
                                      opt("PianoDiClassificazione", Kind::kText)};
constexpr Field kProdottoSoftware[] = {opt("NomeProdotto", Kind::kText),
                                       opt("VersioneProdotto", Kind::kText),
                                       opt("Produttore", Kind::kText)};
constexpr Field kFormato[] = {one("Formato", Kind::kText),
                              opt("ProdottoSoftware", kProdottoSoftware)};
constexpr Field kVerifica[] = {one("FirmatoDigitalmente", Kind::kBoolean),
                               one("SigillatoElettronicamente", Kind::kBoolean),
                               one("MarcaturaTemporale", Kind::kBoolean),
                               one("ConformitaCopieImmagineSuSupportoInformatico", Kind::kBoolean)};
constexpr Field kIdAgg[] = {one("TipoAggregazione", kTipiAggregazione),
                            one("IdAggregazione", Kind::kText)};
// "TipoAgg/IdAgg (*)": the element's name is uncertain, and one implementation has a single one.
constexpr Field kAgg[] = {opt("TipoAgg", kIdAgg).orNamed("IdAgg").singleOrList()};
constexpr Field kModifica[] = {one("TipoModifica", kTipiModifica),
                               one("SoggettoAutoreDellaModifica", kPf),
                               one("DataModifica", Kind::kDate), opt("OraModifica", Kind::kTime),
                               one("IdDocVersionePrecedente", kIdDoc)};

// DI and DAI share the table; what differs (registration, roles) is checked by kind.
constexpr Field kDocumento[] = {
    one("IdDoc", kIdDoc),
    one("ModalitaDiFormazione", kModalita),
    one("TipologiaDocumentale", Kind::kText),
    one("DatiDiRegistrazione", kDatiDiRegistrazione),
    one("Soggetti", kSoggetti).then(checkRoleSet),
    one("ChiaveDescrittiva", kChiaveDescrittiva),
    one("Allegati", kAllegati).then(checkAttachmentCount),
    opt("Classificazione", kClassificazione),
    one("Riservato", Kind::kBoolean),
    one("IdentificativoDelFormato", kFormato),
    // One implementation calls DAI's block "Verificazioni" ([U], §2.3): accepted for both.
    one("Verifica", kVerifica).orNamed("Verificazioni"),
    opt("Agg", kAgg),
    opt("IdIdentificativoDocumentoPrimario", kIdDoc),
    one("NomeDelDocumento", Kind::kText),
    one("VersioneDelDocumento", Kind::kNumbering),
    // "(?/*)" in the reference: one or a list.
    opt("TracciatureModificheDocumento", kModifica).singleOrList(),
    opt("TempoDiConservazione", Kind::kYears),
    opt("Note", Kind::kText),
};

// §2.4. Assegnazione's sub-fields, Progressivo's and ProcedimentoAmministrativo's structure are
// [U]: only what the reference names is checked, and only when present.
constexpr Field kAssegnazione[] = {opt("TipoAssegnazione", kTipiAssegnazione).looseMatch()};
constexpr Field kAggregazione[] = {
    one("IdAgg", kIdAgg),
    opt("TipologiaFascicolo", kTipologieFascicolo),
    one("Soggetti", kSoggetti).then(checkRoleSet),
    one("Assegnazione", kAssegnazione),
    one("DataApertura", Kind::kDate),
    one("Classificazione", kClassificazione),
    one("Progressivo", Kind::kAnything),
    one("ChiaveDescrittiva", kChiaveDescrittiva),
    opt("DataChiusura", Kind::kDate),
    opt("ProcedimentoAmministrativo", Kind::kAnything),
    one("IndiceDocumenti", kIdDoc).list(),
    opt("PosizioneFisicaAggregazioneDocumentale", Kind::kText),
    opt("IdAggPrimario", kIdAgg),
    opt("TempoDiConservazione", Kind::kYears),
    opt("Note", Kind::kText),
};

}  // namespace

Fields fieldsOf(ObjectKind kind) {
  return kind == ObjectKind::kAggregazione ? Fields{kAggregazione} : Fields{kDocumento};
}

std::span<const Role> rolesOf(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kDocumentoInformatico:
      return kDiRoles;
    case ObjectKind::kDocumentoAmministrativoInformatico:
      return kDaiRoles;
    case ObjectKind::kAggregazione:
      break;
  }
  return kAggregationRoles;
}

Fields registrationsOf(ObjectKind kind) {
  const Fields all = kRegistrations;
  return kind == ObjectKind::kDocumentoAmministrativoInformatico ? all.subspan(1) : all;
}

Values subjectKeys() { return kBodyKeys; }

bool looseRoleNames(ObjectKind kind) { return kind == ObjectKind::kAggregazione; }

}  // namespace cst::preservation::allegato5
