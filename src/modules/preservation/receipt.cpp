#include "receipt.hpp"

#include <libxml/tree.h>

#include "xml/xml.hpp"

namespace cst::preservation {

namespace {
std::string element(const std::string& name, const std::string& text) {
  return "<" + name + ">" + xml::escape(text) + "</" + name + ">";
}
}  // namespace

Result<std::string> receiptXml(const Receipt& r, const std::string& ente_name,
                               const xml::SealKey& seal) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<RapportoDiVersamento xmlns=\"urn:cst:conservazione:rapporto:1\">";
  x += element("Identificativo", r.id);
  x += element("DataOraVersamento", r.received_at);
  x += "<Ente codiceIstat=\"" + xml::escape(r.ente) + "\">" + xml::escape(ente_name) + "</Ente>";
  x += element("Esito", r.accepted ? "ACCETTATO" : "RIFIUTATO");
  x += element("Origine", r.source);
  x += element("VersatoDa", r.submitted_by);
  if (r.accepted) x += element("PacchettoDiArchiviazione", r.aip_id);
  x += "<Oggetti>";
  for (const ObjectFacts& o : r.objects)
    x += "<Oggetto nome=\"" + xml::escape(o.name) + "\" ruolo=\"" + xml::escape(o.role) +
         "\" dimensione=\"" + std::to_string(o.size) + "\" formato=\"" + xml::escape(o.format) +
         "\"><Impronta algoritmo=\"SHA-256\">" + o.sha256 + "</Impronta></Oggetto>";
  x += "</Oggetti>";
  if (!r.problems.empty()) {
    x += "<Problemi>";
    for (const MetadataProblem& p : r.problems)
      x += "<Problema campo=\"" + xml::escape(p.field) + "\">" + xml::escape(p.message) +
           "</Problema>";
    x += "</Problemi>";
  }
  x += "</RapportoDiVersamento>";
  auto doc = xml::parse(x);
  if (!doc) return fail(ErrorCode::kInternal, "receipt XML: " + doc.error().detail);
  if (auto s = xml::signEnveloped(doc->get(), seal); !s) return tl::unexpected(s.error());
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &out, &size, "UTF-8");
  std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  return text;
}

}  // namespace cst::preservation
