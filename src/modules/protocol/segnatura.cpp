#include "segnatura.hpp"

#include <libxml/tree.h>

#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"

namespace cst::embedded {
const std::vector<xml::EmbeddedFile>& protocolSchemas();  // cst_embed_text (CMakeLists.txt)
}

namespace cst::protocol {

namespace {

constexpr const char* kNs = "http://www.agid.gov.it/protocollo/";

// Builds the document with libxml2's tree API, which escapes text and attribute values.
class Builder {
 public:
  Builder() : doc_(xmlNewDoc(BAD_CAST "1.0")) {
    root_ = xmlNewNode(nullptr, BAD_CAST "SegnaturaInformatica");
    ns_ = xmlNewNs(root_, BAD_CAST kNs, BAD_CAST "prot");
    xmlSetNs(root_, ns_);
    xmlDocSetRootElement(doc_.get(), root_);
    attr(root_, "versione", "3.0.0");
    attr(root_, "lang", "it");
  }
  xmlNode* root() const { return root_; }
  xmlDoc* doc() const { return doc_.get(); }
  xml::Doc release() { return std::move(doc_); }

  xmlNode* el(xmlNode* parent, const char* name, const std::string* text = nullptr) {
    return xmlNewTextChild(parent, ns_, BAD_CAST name, text ? BAD_CAST text->c_str() : nullptr);
  }
  xmlNode* el(xmlNode* parent, const char* name, const std::string& text) {
    return el(parent, name, &text);
  }
  // The schema qualifies its attributes (attributeFormDefault="qualified"): prot:nomeFile, ...
  void attr(xmlNode* node, const char* name, const std::string& value) {
    xmlNewNsProp(node, ns_, BAD_CAST name, BAD_CAST value.c_str());
  }

 private:
  xml::Doc doc_;
  xmlNode* root_ = nullptr;
  xmlNs* ns_ = nullptr;
};

void ourAdministration(Builder& b, xmlNode* soggetto, const AooIdentity& who) {
  xmlNode* a = b.el(soggetto, "Amministrazione");
  b.el(a, "DenominazioneAmministrazione", who.ente_name);
  if (who.ente_fiscal_code.size() == 11) b.el(a, "CFAmministrazione", who.ente_fiscal_code);
  b.el(a, "CodiceIPAAmministrazione", who.ente_ipa_code);
  b.el(a, "CodiceIPAAOO", who.aoo.aoo_code);
}

void email(Builder& b, xmlNode* contatti_parent, const char* contatti, const Correspondent& c) {
  if (!c.email) return;
  xmlNode* k = b.el(contatti_parent, contatti);
  xmlNode* t = b.el(k, "IndirizzoTelematico", *c.email);
  b.attr(t, "tipo", "smtp");  // the schema has no "pec": a PEC address is an SMTP one
}

void correspondent(Builder& b, xmlNode* soggetto, const Correspondent& c) {
  switch (c.kind) {
    case Correspondent::Kind::kPerson: {
      xmlNode* p = b.el(soggetto, "PersonaFisica");
      b.el(p, "Nome", c.first_name);
      b.el(p, "Cognome", c.last_name);
      if (c.fiscal_code) b.el(p, "CodiceFiscale", *c.fiscal_code);
      email(b, p, "Contatti", c);
      break;
    }
    case Correspondent::Kind::kCompany: {
      xmlNode* g = b.el(soggetto, "PersonaGiuridica");
      b.el(g, "Denominazione", c.name);
      if (c.fiscal_code) b.el(g, "PIVAoCF", *c.fiscal_code);
      email(b, g, "ContattiPersonaGiuridica", c);
      break;
    }
    case Correspondent::Kind::kAdministration: {
      xmlNode* a = b.el(soggetto, "Amministrazione");
      b.el(a, "DenominazioneAmministrazione", c.name);
      if (c.fiscal_code) b.el(a, "CFAmministrazione", *c.fiscal_code);
      b.el(a, "CodiceIPAAmministrazione", c.ipa_code.value_or(""));
      email(b, a, "ContattiAmministrazione", c);
      break;
    }
  }
}

void document(Builder& b, xmlNode* parent, const char* name, const Document& d) {
  xmlNode* n = b.el(parent, name);
  b.attr(n, "nomeFile", d.filename);
  b.attr(n, "mimeType", d.content_type);
  if (d.description) b.el(n, "Descrizione", *d.description);
  // base64 of the 32 bytes of the digest, as the schema's base64Binary wants it.
  xmlNode* impronta = b.el(n, "Impronta", base64(fromHex(d.sha256)));
  b.attr(impronta, "algoritmo", "SHA-256");
}

}  // namespace

Result<std::shared_ptr<const xml::Schema>> segnaturaSchema() {
  static const auto schema =
      xml::Schema::compile(embedded::protocolSchemas(), "segnatura_protocollo.xsd");
  return schema;
}

Result<std::string> makeSegnatura(const Registration& r, const AooIdentity& who,
                                  const xml::SealKey& seal) {
  Builder b;
  xmlNode* head = b.el(b.root(), "Intestazione");
  xmlNode* id = b.el(head, "Identificatore");
  xmlNode* amm = b.el(id, "CodiceAmministrazione", who.ente_ipa_code);
  b.attr(amm, "descrizione", who.ente_name);
  b.el(id, "CodiceAOO", who.aoo.aoo_code);
  b.el(id, "CodiceRegistro", r.registry_code);
  b.el(id, "NumeroRegistrazione", formatNumber(r.number));
  b.el(id, "DataRegistrazione", r.registered_on);
  // The time in Rome with its offset ("10:15:30+01:00"), beside the Rome date.
  if (auto at = parseTimestamp(r.registered_at))
    b.el(id, "OraRegistrazione",
         calendar::formatRome(std::chrono::floor<std::chrono::seconds>(*at)).substr(11));
  b.el(head, "Oggetto", r.subject);
  xmlNode* classifica = b.el(head, "Classifica");
  b.el(classifica, "Denominazione", r.class_description);
  b.el(classifica, "CodiceFlat", r.class_code);
  if (r.folder_code) {
    xmlNode* folder = b.el(head, "Fascicolo");
    b.el(folder, "Denominazione", r.folder_subject.value_or(*r.folder_code));
    b.el(folder, "CodiceFascicolo", *r.folder_code);
  }
  if (r.reserved) b.el(head, "Riservato", std::string("true"));

  xmlNode* desc = b.el(b.root(), "Descrizione");
  xmlNode* sender = b.el(desc, "Mittente");
  if (r.flow == Flow::kIncoming && !r.correspondents.empty())
    correspondent(b, sender, r.correspondents.front());
  else
    ourAdministration(b, sender, who);
  if (r.flow == Flow::kOutgoing) {
    for (const Correspondent& c : r.correspondents) correspondent(b, b.el(desc, "Destinatario"), c);
  } else {
    // Incoming and internal: the AOO itself receives it (the schema wants a recipient).
    ourAdministration(b, b.el(desc, "Destinatario"), who);
  }
  for (const Document& d : r.documents)
    document(b, desc, d.seq == 0 ? "DocumentoPrimario" : "Allegato", d);

  if (auto s = xml::signEnveloped(b.doc(), seal); !s) return tl::unexpected(s.error());
  auto schema = segnaturaSchema();
  if (!schema) return tl::unexpected(schema.error());
  if (auto v = (*schema)->validate(b.doc()); !v)
    return fail(ErrorCode::kInternal,
                "segnatura not valid against its schema: " + v.error().detail);
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(b.doc(), &out, &size, "UTF-8");
  std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  return text;
}

}  // namespace cst::protocol
