#include "xml/xml.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <cstring>
#include <mutex>

namespace cst::xml {

namespace {

// libxml2's global state (its entity loader among it) is set up once, before any thread parses.
void initOnce();

// The schema files the current thread is compiling: the only documents the entity loader
// serves. Anything else (a DTD, an http:// import) is refused, so nothing is ever fetched.
thread_local const std::vector<EmbeddedFile>* tl_files = nullptr;

xmlParserInputPtr embeddedLoader(const char* url, const char* /*id*/, xmlParserCtxtPtr ctxt) {
  if (tl_files == nullptr || url == nullptr) return nullptr;
  std::string_view name(url);
  if (auto slash = name.find_last_of('/'); slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  for (const EmbeddedFile& f : *tl_files)
    if (f.name == name) {
      // libxml2 2.9 reads the buffer in place, without copying it: the embedded text is a
      // string literal (NUL-terminated, alive as long as the program).
      xmlParserInputPtr in =
          xmlNewStringInputStream(ctxt, reinterpret_cast<const xmlChar*>(f.text.data()));
      if (in != nullptr && in->filename == nullptr)
        in->filename = reinterpret_cast<const char*>(xmlStrdup(BAD_CAST url));
      return in;
    }
  return nullptr;
}

void initOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(embeddedLoader);
  });
}

struct Messages {
  std::vector<std::string> lines;
};

void collect(void* user, const xmlError* e) {
  auto* m = static_cast<Messages*>(user);
  if (e == nullptr || m->lines.size() >= 5) return;
  std::string msg = e->message != nullptr ? e->message : "errore XML";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  m->lines.push_back(e->line > 0 ? "riga " + std::to_string(e->line) + ": " + msg : msg);
}

// libxml2 2.9 declares the structured handler with a non-const error.
void collectMutable(void* user, xmlError* e) { collect(user, e); }

std::string joined(const Messages& m, const char* fallback) {
  if (m.lines.empty()) return fallback;
  std::string out;
  for (const std::string& l : m.lines) out += (out.empty() ? "" : "; ") + l;
  return out;
}

}  // namespace

Result<Doc> parse(std::string_view text) {
  initOnce();
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(),
                                                                    xmlFreeParserCtxt);
  if (!ctxt) return fail(ErrorCode::kInternal, "memoria esaurita leggendo XML");
  Messages m;
  xmlSetStructuredErrorFunc(&m, collectMutable);
  xmlDoc* doc =
      xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()), nullptr, nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (doc == nullptr || !ctxt->wellFormed) {
    if (doc != nullptr) xmlFreeDoc(doc);
    if (m.lines.empty()) collect(&m, &ctxt->lastError);
    return fail(ErrorCode::kBadInput, "XML non ben formato: " + joined(m, "testo non leggibile"));
  }
  return Doc(doc);
}

std::string_view localName(const xmlNode* node) {
  return node != nullptr && node->name != nullptr
             ? std::string_view(reinterpret_cast<const char*>(node->name))
             : std::string_view();
}

std::string_view namespaceOf(const xmlNode* node) {
  return node != nullptr && node->ns != nullptr && node->ns->href != nullptr
             ? std::string_view(reinterpret_cast<const char*>(node->ns->href))
             : std::string_view();
}

xmlNode* firstElement(const xmlNode* parent) {
  if (parent == nullptr) return nullptr;
  for (xmlNode* c = parent->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE) return c;
  return nullptr;
}

xmlNode* child(const xmlNode* parent, std::string_view local_name) {
  if (parent == nullptr) return nullptr;
  for (xmlNode* c = parent->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE && localName(c) == local_name) return c;
  return nullptr;
}

std::vector<xmlNode*> children(const xmlNode* parent, std::string_view local_name) {
  std::vector<xmlNode*> out;
  if (parent == nullptr) return out;
  for (xmlNode* c = parent->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE && localName(c) == local_name) out.push_back(c);
  return out;
}

std::string text(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

std::string childText(const xmlNode* parent, std::string_view local_name) {
  return text(child(parent, local_name));
}

std::string serialize(xmlNode* node) {
  if (node == nullptr) return {};
  // A copy in a document of its own, so that the namespaces it uses from its ancestors are
  // declared on it and the text stands alone.
  Doc doc(xmlNewDoc(BAD_CAST "1.0"));
  xmlNode* copy = xmlDocCopyNode(node, doc.get(), 1);
  if (copy == nullptr) return {};
  xmlDocSetRootElement(doc.get(), copy);
  xmlReconciliateNs(doc.get(), copy);
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buf(xmlBufferCreate(), xmlBufferFree);
  if (xmlNodeDump(buf.get(), doc.get(), copy, 0, 0) < 0) return {};
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buf.get())),
                     static_cast<std::size_t>(xmlBufferLength(buf.get())));
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      // As references: a parser turns a raw carriage return into a line feed, and in an
      // attribute a raw tab or line feed into a space (XML 1.0 §2.11, §3.3.3).
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        // Other control characters cannot be written in XML 1.0 at all: dropped.
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  return out;
}

struct Schema::Impl {
  xmlSchemaPtr schema = nullptr;
  ~Impl() {
    if (schema != nullptr) xmlSchemaFree(schema);
  }
};

Schema::~Schema() = default;

Result<std::shared_ptr<const Schema>> Schema::compile(const std::vector<EmbeddedFile>& files,
                                                      std::string_view main) {
  initOnce();
  const EmbeddedFile* entry = nullptr;
  for (const EmbeddedFile& f : files)
    if (f.name == main) entry = &f;
  if (entry == nullptr)
    return fail(ErrorCode::kInternal, "schema " + std::string(main) + " not embedded");
  tl_files = &files;
  Messages m;
  xmlSchemaParserCtxtPtr pctxt =
      xmlSchemaNewMemParserCtxt(entry->text.data(), static_cast<int>(entry->text.size()));
  xmlSchemaSetParserStructuredErrors(pctxt, collectMutable, &m);
  xmlSchemaPtr compiled = xmlSchemaParse(pctxt);
  xmlSchemaFreeParserCtxt(pctxt);
  tl_files = nullptr;
  if (compiled == nullptr)
    return fail(ErrorCode::kInternal,
                "schema " + std::string(main) + " does not compile: " + joined(m, "?"));
  std::shared_ptr<Schema> out(new Schema());
  out->impl_ = std::make_unique<Impl>();
  out->impl_->schema = compiled;
  return std::shared_ptr<const Schema>(std::move(out));
}

namespace {

template <class Validate>
Status runValidation(xmlSchemaPtr schema, Validate&& validate) {
  // A validation context per call: the compiled schema is read-only and shared, a context is
  // not (and costs microseconds).
  std::unique_ptr<xmlSchemaValidCtxt, decltype(&xmlSchemaFreeValidCtxt)> v(
      xmlSchemaNewValidCtxt(schema), xmlSchemaFreeValidCtxt);
  if (!v) return fail(ErrorCode::kInternal, "memoria esaurita validando XML");
  Messages m;
  xmlSchemaSetValidStructuredErrors(v.get(), collectMutable, &m);
  const int rc = validate(v.get());
  if (rc == 0) return {};
  if (rc < 0) return fail(ErrorCode::kInternal, "validazione XML non riuscita");
  return fail(ErrorCode::kBadInput, "XML non conforme allo schema: " + joined(m, "?"));
}

}  // namespace

Status Schema::validate(xmlNode* element) const {
  if (element == nullptr) return fail(ErrorCode::kBadInput, "XML: elemento mancante");
  return runValidation(impl_->schema, [element](xmlSchemaValidCtxtPtr v) {
    return xmlSchemaValidateOneElement(v, element);
  });
}

Status Schema::validate(xmlDoc* doc) const {
  return runValidation(impl_->schema,
                       [doc](xmlSchemaValidCtxtPtr v) { return xmlSchemaValidateDoc(v, doc); });
}

}  // namespace cst::xml
