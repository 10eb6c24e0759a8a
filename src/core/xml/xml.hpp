#pragma once
// XML from outside (SOAP requests of the pagoPA node, reconciliation files, segnature) read safely
// with libxml2 and checked against the official schemas, which ship inside the executable. Only
// core/xml and the code that walks a parsed document include libxml2.
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::xml {

// A schema file compiled into the executable (cst_embed_text in cmake/CstModule.cmake).
struct EmbeddedFile {
  std::string_view name;  // the file name, e.g. "paForNode.xsd"
  std::string_view text;  // a string literal: NUL-terminated, static (libxml2 reads it in place)
};

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Parses `text` without touching the network or expanding external entities (no XXE, no entity
// bombs beyond libxml2's own limits). kBadInput with the parser's message (line: text) otherwise.
Result<Doc> parse(std::string_view text);

// The first child element of `parent` with this local name (any namespace), or null.
xmlNode* child(const xmlNode* parent, std::string_view local_name);
// Every child element with this local name, in document order.
std::vector<xmlNode*> children(const xmlNode* parent, std::string_view local_name);
// The first child element, whatever its name, or null.
xmlNode* firstElement(const xmlNode* parent);
// The element's text content (empty for null).
std::string text(const xmlNode* node);
// The text of child `local_name`, or empty when there is none.
std::string childText(const xmlNode* parent, std::string_view local_name);
std::string_view localName(const xmlNode* node);
std::string_view namespaceOf(const xmlNode* node);
// The element serialised as XML, namespaces declared on it as needed (to store what came in).
std::string serialize(xmlNode* node);

// `text` escaped for element content and attribute values alike: markup characters as entities,
// tab, newline and carriage return as character references, other control characters (not
// allowed in XML 1.0) dropped.
std::string escape(std::string_view text);

// A compiled schema (an XSD with the files it imports or includes), safe to use from many threads
// at once. Imports are resolved only among `files` by file name: nothing is fetched.
class Schema {
 public:
  // `main` is the name of the entry file among `files`. kInternal when the schema does not
  // compile (a build defect, not bad input).
  static Result<std::shared_ptr<const Schema>> compile(const std::vector<EmbeddedFile>& files,
                                                       std::string_view main);
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // Validates `element` (and everything in it) as an instance of its global declaration.
  // kBadInput whose detail lists the first problems found (line and message).
  Status validate(xmlNode* element) const;
  Status validate(xmlDoc* doc) const;

 private:
  Schema() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cst::xml
