// The manuale di conservazione as HTML: fixed text where the process is fixed (it is what the code
// does), generated sections where it depends on the configuration.
#include "manuale.hpp"

#include <openssl/x509.h>

#include <sstream>

#include "allegato5.hpp"
#include "common/crypto.hpp"
#include "sign/openssl.hpp"
#include "xml/xml.hpp"

namespace cst::preservation {

namespace {

using xml::escape;

std::string nameText(const X509_NAME* name) {
  sign::ossl::Bio out = sign::ossl::writeBio();
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) return "";
  return sign::ossl::bioBytes(out.get());
}

std::string timeText(const ASN1_TIME* t) {
  sign::ossl::Bio out = sign::ossl::writeBio();
  if (!out || ASN1_TIME_print(out.get(), t) != 1) return "";
  return sign::ossl::bioBytes(out.get());
}

// One table row per accepted format.
std::string formatRows(const std::vector<FileFormat>& formats) {
  std::string rows;
  for (const FileFormat& f : formats)
    rows += "<tr><td>" + escape(f.name) + "</td><td><code>" + escape(f.id) + "</code></td><td>" +
            escape(f.mime) + "</td><td>" + escape(f.extension) + "</td><td>" +
            escape(f.puid.empty() ? "—" : f.puid) + "</td></tr>\n";
  return rows;
}

// The mandatory top-level metadata of each kind of object, from the table the check walks.
std::string metadataRows() {
  std::string rows;
  for (ObjectKind kind :
       {ObjectKind::kDocumentoInformatico, ObjectKind::kDocumentoAmministrativoInformatico,
        ObjectKind::kAggregazione}) {
    std::string required, optional;
    for (const allegato5::Field& field : allegato5::fieldsOf(kind)) {
      std::string& list = field.required ? required : optional;
      list += (list.empty() ? "" : ", ") + std::string(field.name);
    }
    rows += "<tr><td><code>" + escape(nameOf(kind)) + "</code></td><td>" + escape(required) +
            "</td><td>" + escape(optional.empty() ? "—" : optional) + "</td></tr>\n";
  }
  return rows;
}

std::string certificateRows(const CertificateFacts& c) {
  return "<tr><th>Soggetto</th><td>" + escape(c.subject) + "</td></tr><tr><th>Emittente</th><td>" +
         escape(c.issuer) + "</td></tr><tr><th>Validità</th><td>dal " + escape(c.not_before) +
         " al " + escape(c.not_after) + "</td></tr><tr><th>Impronta SHA-256</th><td><code>" +
         escape(c.sha256) + "</code></td></tr>";
}

std::string retentionRows(const std::vector<RetentionRule>& rules) {
  if (rules.empty())
    return "<tr><td colspan=\"3\">Nessuna regola: ogni classe documentale è conservata "
           "illimitatamente.</td></tr>";
  std::string rows;
  for (const RetentionRule& r : rules)
    rows += "<tr><td>" + escape(r.document_class) + "</td><td>" +
            (r.years ? std::to_string(*r.years) + " anni" : std::string("illimitata")) +
            "</td><td>" + escape(r.note) + "</td></tr>\n";
  return rows;
}

}  // namespace

CertificateFacts certificateFacts(const std::string& pem) {
  CertificateFacts c;
  auto cert = sign::ossl::certificateFromPem(pem, "certificato");
  if (!cert) return c;
  c.subject = nameText(X509_get_subject_name(cert->get()));
  c.issuer = nameText(X509_get_issuer_name(cert->get()));
  c.not_before = timeText(X509_get0_notBefore(cert->get()));
  c.not_after = timeText(X509_get0_notAfter(cert->get()));
  c.sha256 = sha256Hex(pem);
  return c;
}

std::string manualeHtml(const ManualeFacts& f) {
  const bool for_ente = !f.ente_istat.empty();
  const std::string titolare =
      for_ente ? escape(f.ente_name) + " (codice ISTAT " + escape(f.ente_istat) +
                     (f.ente_ipa.empty() ? "" : ", codice IPA " + escape(f.ente_ipa)) + ")"
               : "ciascun ente aderente al Centro Servizi Territoriale";
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">"
       "<title>Manuale di conservazione"
    << (for_ente ? " — " + escape(f.ente_name) : "")
    << "</title><style>body{font-family:serif;max-width:52em;margin:2em auto;line-height:1.45}"
       "table{border-collapse:collapse;width:100%;margin:.5em 0}"
       "td,th{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}"
       "code{font-size:.9em;word-break:break-all}.avviso{border:2px solid #b00;padding:.5em}"
       "</style></head><body>\n"
    << "<h1>Manuale di conservazione</h1>\n<p>Servizio di conservazione dei documenti informatici "
       "del Centro Servizi Territoriale (CST), ai sensi delle Linee guida AgID sulla formazione, "
       "gestione e conservazione dei documenti informatici.</p>\n"
    << "<table><tr><th>Titolare degli oggetti</th><td>" << titolare
    << "</td></tr><tr><th>Generato il</th><td>" << escape(f.generated_at)
    << " (UTC) dalla configurazione del sistema, versione " << escape(f.version)
    << "</td></tr></table>\n";
  if (!f.tsa_qualified)
    h << "<p class=\"avviso\">La marca temporale è apposta dall'autorità di marcatura temporale "
         "interna del sistema, <strong>non qualificata</strong>: configurare una TSA qualificata "
         "prima dell'uso in produzione (<code>[preservation] tsa_url</code>).</p>\n";

  h << "<h2>a) Responsabilità</h2>\n<p>Il titolare è " << titolare
    << ". Il Responsabile della conservazione è nominato dal titolare con proprio atto, che "
       "indica le attività affidate al Responsabile del servizio di conservazione del CST. Le "
       "nomine che si succedono nel tempo sono conservate come documenti del titolare.</p>\n"
    << "<h2>b) Struttura organizzativa</h2>\n<p>Il personale del CST con ruolo di amministratore "
       "gestisce il servizio (verifiche, autorizzazioni e scarto); gli uffici dell'ente versano e "
       "consultano i propri pacchetti; il referente dell'ente approva le proposte di scarto; il "
       "revisore consulta. Ogni accesso e ogni operazione sono registrati nel registro di "
       "audit.</p>\n";

  h << "<h2>c) Oggetti conservati, formati e metadati</h2>\n<p>Sono conservati documenti "
       "informatici, documenti amministrativi informatici e aggregazioni documentali "
       "informatiche, con i metadati dell'Allegato 5. Metadati obbligatori per tipo (verificati "
       "a ogni versamento):</p>\n<table><tr><th>Tipo</th><th>Obbligatori</th><th>Facoltativi</th>"
       "</tr>\n"
    << metadataRows()
    << "</table>\n<p>Formati ammessi (Allegato 2), riconosciuti dal contenuto del file e non "
       "dall'estensione:</p>\n<table><tr><th>Formato</th><th>Identificativo</th><th>Tipo "
       "MIME</th><th>Estensione</th><th>PRONOM</th></tr>\n"
    << formatRows(f.formats) << "</table>\n";

  h << "<h2>d) Presa in carico dei pacchetti di versamento</h2>\n<p>I pacchetti di versamento "
       "sono trasmessi con <code>POST /api/v1/preservation/sips</code> (multipart: i documenti e "
       "i metadati in JSON) o prodotti dai moduli del sistema (il registro giornaliero di "
       "protocollo è versato entro pochi minuti dalla sua produzione). Prima dell'accettazione "
       "sono verificati: la completezza e la forma dei metadati, il formato di ogni documento, "
       "l'impronta SHA-256 dichiarata, l'assenza di virus. Per ogni pacchetto, accettato o "
       "rifiutato, è emesso un rapporto di versamento con identificativo univoco, riferimento "
       "temporale UTC, impronte degli oggetti ed esito, firmato (XMLDSig) con il sigillo del "
       "servizio e conservato. Un pacchetto rifiutato non è conservato: il rapporto ne elenca "
       "tutti i problemi.</p>\n";

  h << "<h2>e) Processo di conservazione e pacchetti di archiviazione</h2>\n<p>Ogni pacchetto di "
       "archiviazione contiene i documenti, i metadati, l'indice UNI 11386:2020 (SInCRO v2) con "
       "l'impronta SHA-256 di ogni file, la firma CAdES-BES dell'indice apposta con il sigillo "
       "del servizio e la marca temporale RFC 3161 sulla firma. Sigillo del servizio:</p>\n<table>"
    << certificateRows(f.seal) << "</table>\n<p>Autorità di marcatura temporale ("
    << (f.tsa_name == "local" ? std::string("interna, non qualificata") : escape(f.tsa_name))
    << "):</p>\n<table>" << certificateRows(f.tsa) << "</table>\n";

  h << "<h2>f) Esibizione ed esportazione</h2>\n<p>Ogni pacchetto è esibito come pacchetto di "
       "distribuzione (zip con documenti, metadati, indice, firma, marca temporale e "
       "certificati), verificabile senza il sistema con il comando <code>cst conservazione "
       "verify</code> o con gli strumenti standard (<code>openssl cms -verify</code>, "
       "<code>openssl ts -verify</code>, <code>sha256sum</code>). Ogni scaricamento di contenuto "
       "conservato è registrato.</p>\n";

  h << "<h2>g) Descrizione del sistema</h2>\n<p>Il sistema è il modulo Conservazione della "
       "piattaforma del CST (versione "
    << escape(f.version) << "), con base dati " << escape(f.database)
    << ". Il contenuto è memorizzato per impronta (nome del file = SHA-256 del contenuto) in "
    << f.copies
    << " copie indipendenti, su directory configurate, che devono risiedere su supporti "
       "distinti.</p>\n";

  h << "<h2>h) Monitoraggio e verifiche di integrità</h2>\n<p>Ogni oggetto conservato è "
       "verificato in ogni copia (ricalcolo dell'impronta) almeno ogni "
    << f.fixity_cycle_days
    << " giorni, entro il limite di cinque anni delle Linee guida; la verifica pianificata è "
       "eseguita con cadenza <code>"
    << escape(f.fixity_schedule)
    << "</code> ed è possibile su richiesta per un ente o un pacchetto. Una copia alterata o "
       "mancante è ripristinata da una copia integra; un oggetto senza alcuna copia integra apre "
       "una segnalazione urgente al servizio di assistenza per ogni ente interessato, da risolvere "
       "con il ripristino da backup. Ogni verifica produce un rapporto conservato nel "
       "sistema.</p>\n";

  h << "<h2>i) Duplicati e copie</h2>\n<p>Un contenuto identico versato più volte è memorizzato "
       "una sola volta per copia (stessa impronta); ogni pacchetto che lo contiene lo "
       "referenzia. Le copie sono scritte in modo atomico e sincronizzato su disco prima che il "
       "versamento sia confermato.</p>\n";

  h << "<h2>j) Tempi di versamento e di scarto</h2>\n<p>Il registro giornaliero di protocollo è "
       "versato entro il giorno lavorativo successivo (di norma entro dieci minuti). Gli altri "
       "documenti sono versati secondo il piano di conservazione del titolare.</p>\n";
  if (f.retention) {
    h << "<p>Tempi di conservazione delle classi documentali di " << escape(f.ente_name)
      << ", decorrenti dalla data del documento:</p>\n<table><tr><th>Classe "
         "documentale</th><th>Conservazione</th><th>Nota</th></tr>\n"
      << retentionRows(*f.retention) << "</table>\n";
  }
  h << "<p>Lo scarto dei pacchetti con tempo di conservazione scaduto segue la procedura: "
       "proposta dell'elenco, approvazione dell'ente, autorizzazione della Soprintendenza "
       "archivistica (D.Lgs. 42/2004, art. 21) registrata nel sistema, distruzione del contenuto "
       "in tutte le copie. Restano per sempre l'elenco, le impronte, i metadati dello scarto e i "
       "riferimenti dell'autorizzazione.</p>\n";

  h << "<h2>k) Intervento del pubblico ufficiale</h2>\n<p>È richiesto nei casi previsti dalla "
       "legge, in particolare per attestare la conformità all'originale delle copie di documenti "
       "analogici originali unici; il titolare lo designa caso per caso.</p>\n"
    << "<h2>l) Normativa applicabile e localizzazione dei dati</h2>\n<p>Codice "
       "dell'amministrazione digitale (D.Lgs. 82/2005), DPR 445/2000, Linee guida AgID e "
       "allegati, Codice dei beni culturali (D.Lgs. 42/2004), Regolamento (UE) 2016/679. I dati "
       "e le loro copie risiedono nei sistemi del CST, che devono trovarsi nel territorio "
       "italiano.</p>\n</body></html>\n";
  return h.str();
}

}  // namespace cst::preservation
