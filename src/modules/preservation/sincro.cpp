#include "sincro.hpp"

#include <libxml/tree.h>

#include <memory>

#include "xml/xml.hpp"

namespace cst::embedded {
const std::vector<xml::EmbeddedFile>& preservationSchemas();  // cst_embed_text (CMakeLists.txt)
}

namespace cst::preservation {

namespace {

constexpr std::string_view kNs = "http://www.uni.com/U3011/sincro-v2/";
constexpr std::string_view kUri = "http://www.uni.com/U3011/sincro-v2/PIndex.xsd";
constexpr std::string_view kHolderRole = "soggetto produttore";

using Attributes = std::vector<std::pair<std::string_view, std::string_view>>;

// The index, indented by two spaces a level, attributes in the order given: one struct, one
// sequence of bytes.
class Writer {
 public:
  Writer() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

  void open(std::string_view name, const Attributes& attributes = {}, bool root = false) {
    startTag(name, attributes, root);
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</sincro:";
    out_ += name;
    out_ += ">\n";
  }
  void leaf(std::string_view name, std::string_view text, const Attributes& attributes = {}) {
    startTag(name, attributes, false);
    out_ += ">";
    out_ += xml::escape(text);
    out_ += "</sincro:";
    out_ += name;
    out_ += ">\n";
  }
  // Optional elements the struct leaves empty are not written.
  void optionalLeaf(std::string_view name, std::string_view text) {
    if (!text.empty()) leaf(name, text);
  }
  std::string take() { return std::move(out_); }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  void startTag(std::string_view name, const Attributes& attributes, bool root) {
    indent();
    out_ += "<sincro:";
    out_ += name;
    if (root) {
      out_ += " xmlns:sincro=\"";
      out_ += kNs;
      out_ += "\"";
    }
    // attributeFormDefault="qualified": every attribute carries the prefix (reference §4.2).
    for (const auto& [attribute, value] : attributes) {
      out_ += " sincro:";
      out_ += attribute;
      out_ += "=\"";
      out_ += xml::escape(value);
      out_ += "\"";
    }
  }

  std::string out_;
  int depth_ = 0;
};

void writeId(Writer& w, std::string_view id) { w.leaf("ID", id, {{"scheme", "local"}}); }

void writeAgent(Writer& w, std::string_view element, const SincroAgent& a, Attributes attributes) {
  attributes.insert(attributes.begin(),
                    {"agentType", a.legal_person ? "legal person" : "natural person"});
  w.open(element, attributes);
  if (!a.agent_id.empty()) w.leaf("AgentID", a.agent_id);
  w.open("AgentName");
  if (a.legal_person) {
    w.leaf("FormalName", a.formal_name);
  } else {
    w.open("NameAndSurname");
    w.leaf("FirstName", a.first_name);
    w.leaf("LastName", a.last_name);
    w.close("NameAndSurname");
  }
  w.close("AgentName");
  for (const std::string& d : a.relevant_documents) w.leaf("RelevantDocument", d);
  w.close(element);
}

std::string attributeOf(const xmlNode* node, std::string_view name) {
  if (node == nullptr) return {};
  const std::string n(name), ns(kNs);
  xmlChar* v = xmlGetNsProp(node, BAD_CAST n.c_str(), BAD_CAST ns.c_str());
  if (v == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Reads the struct's fields and remembers every missing or malformed one, so that a single
// error names them all.
class Reader {
 public:
  // The text of `parent`/`name`, required to be there and not empty.
  std::string text(const xmlNode* parent, std::string_view name, const std::string& path) {
    const xmlNode* n = xml::child(parent, name);
    std::string t = xml::text(n);
    if (n == nullptr || t.empty()) missing(path + "/" + std::string(name));
    return t;
  }
  const xmlNode* element(const xmlNode* parent, std::string_view name, const std::string& path) {
    const xmlNode* n = xml::child(parent, name);
    if (n == nullptr) missing(path + "/" + std::string(name));
    return n;
  }
  std::string attribute(const xmlNode* node, std::string_view name, const std::string& path) {
    std::string v = attributeOf(node, name);
    if (node != nullptr && v.empty()) missing(path + "/@sincro:" + std::string(name));
    return v;
  }
  void missing(std::string what) { problems_.push_back("manca " + std::move(what)); }
  void malformed(std::string what) { problems_.push_back(std::move(what)); }
  bool ok() const { return problems_.empty(); }
  std::string report() const {
    std::string out = "indice SInCRO non valido: ";
    for (std::size_t i = 0; i < problems_.size(); ++i) out += (i ? "; " : "") + problems_[i];
    return out;
  }

 private:
  std::vector<std::string> problems_;
};

SincroAgent readAgent(Reader& r, const xmlNode* node, const std::string& path,
                      std::string_view role_attribute) {
  SincroAgent a;
  if (node == nullptr) return a;
  const std::string type = r.attribute(node, "agentType", path);
  if (type == "natural person")
    a.legal_person = false;
  else if (!type.empty() && type != "legal person")
    r.malformed(path + ": agentType \"" + type + "\" non previsto");
  a.agent_id = xml::childText(node, "AgentID");
  if (!role_attribute.empty()) a.role = attributeOf(node, role_attribute);
  const xmlNode* name = r.element(node, "AgentName", path);
  if (name != nullptr) {
    if (a.legal_person) {
      a.formal_name = r.text(name, "FormalName", path + "/AgentName");
    } else {
      const xmlNode* full = r.element(name, "NameAndSurname", path + "/AgentName");
      if (full != nullptr) {
        a.first_name = r.text(full, "FirstName", path + "/AgentName/NameAndSurname");
        a.last_name = r.text(full, "LastName", path + "/AgentName/NameAndSurname");
      }
    }
  }
  for (const xmlNode* d : xml::children(node, "RelevantDocument"))
    a.relevant_documents.push_back(xml::text(d));
  if (a.relevant_documents.empty()) r.missing(path + "/RelevantDocument");
  return a;
}

Result<std::shared_ptr<const xml::Schema>> sincroSchema() {
  static const auto schema =
      xml::Schema::compile(embedded::preservationSchemas(), "sincro-v2-structure.xsd");
  return schema;
}

}  // namespace

std::string sincroXml(const SincroIndex& index) {
  Writer w;
  w.open("PIndex", {{"language", "it"}, {"sincroVersion", "2.0"}, {"uri", kUri}}, true);

  w.open("SelfDescription");
  writeId(w, index.id);
  w.open("CreatingApplication");
  w.leaf("Name", index.application_name);
  w.leaf("Version", index.application_version);
  w.leaf("Producer", index.producer);
  w.close("CreatingApplication");
  w.close("SelfDescription");

  w.open("PVolume");
  writeId(w, index.volume_id);
  w.optionalLeaf("Label", index.volume_label);
  if (!index.volume_group_id.empty()) {
    w.open("PVolumeGroup");
    writeId(w, index.volume_group_id);
    w.optionalLeaf("Label", index.volume_group_label);
    w.close("PVolumeGroup");
  }
  w.close("PVolume");

  for (const SincroFileGroup& g : index.file_groups) {
    w.open("FileGroup");
    writeId(w, g.id);
    w.optionalLeaf("Label", g.label);
    for (const SincroFile& f : g.files) {
      Attributes attributes{{"encoding", "binary"}};
      if (!f.extension.empty()) attributes.emplace_back("extension", f.extension);
      attributes.emplace_back("format", f.mime);
      w.open("File", attributes);
      writeId(w, f.id);
      w.leaf("Path", f.path);
      // The digest as lowercase hex, the form the manuale declares (reference §4.3).
      w.leaf("Hash", f.sha256, {{"hashFunction", "SHA-256"}, {"canonicalXML", "false"}});
      w.close("File");
    }
    w.close("FileGroup");
  }

  w.open("Process");
  writeAgent(w, "Submitter", index.submitter, {});
  writeAgent(w, "Holder", index.holder,
             {{"holderRole", index.holder.role.empty() ? kHolderRole : index.holder.role}});
  for (const SincroAgent& s : index.signers)
    writeAgent(w, "AuthorizedSigner", s,
               s.role.empty() ? Attributes{} : Attributes{{"signerRole", s.role}});
  w.open("TimeReference");
  w.leaf("TimeInfo", index.time_info, {{"attachedTimeStamp", "false"}});
  w.close("TimeReference");
  w.optionalLeaf("LawsAndRegulations", index.laws_and_regulations);
  w.close("Process");

  w.close("PIndex");
  return w.take();
}

Result<SincroIndex> parseSincro(std::string_view text) {
  auto doc = xml::parse(text);
  if (!doc) return tl::unexpected(doc.error());
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (xml::localName(root) != "PIndex" || xml::namespaceOf(root) != kNs)
    return fail(
        ErrorCode::kBadInput,
        "non è un indice SInCRO v2 (atteso PIndex nello spazio dei nomi " + std::string(kNs) + ")");
  Reader r;
  SincroIndex index;

  if (const xmlNode* self = r.element(root, "SelfDescription", "PIndex")) {
    index.id = r.text(self, "ID", "SelfDescription");
    if (const xmlNode* app = r.element(self, "CreatingApplication", "SelfDescription")) {
      const std::string path = "SelfDescription/CreatingApplication";
      index.application_name = r.text(app, "Name", path);
      index.application_version = r.text(app, "Version", path);
      index.producer = r.text(app, "Producer", path);
    }
  }

  if (const xmlNode* volume = r.element(root, "PVolume", "PIndex")) {
    index.volume_id = r.text(volume, "ID", "PVolume");
    index.volume_label = xml::childText(volume, "Label");
    if (const xmlNode* group = xml::child(volume, "PVolumeGroup")) {
      index.volume_group_id = r.text(group, "ID", "PVolume/PVolumeGroup");
      index.volume_group_label = xml::childText(group, "Label");
    }
  }

  const auto groups = xml::children(root, "FileGroup");
  if (groups.empty()) r.missing("FileGroup");
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const std::string gpath = "FileGroup[" + std::to_string(gi + 1) + "]";
    SincroFileGroup g;
    g.id = r.text(groups[gi], "ID", gpath);
    g.label = xml::childText(groups[gi], "Label");
    const auto files = xml::children(groups[gi], "File");
    if (files.empty()) r.missing(gpath + "/File");
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
      const std::string fpath = gpath + "/File[" + std::to_string(fi + 1) + "]";
      SincroFile f;
      f.id = r.text(files[fi], "ID", fpath);
      f.path = r.text(files[fi], "Path", fpath);
      f.sha256 = r.text(files[fi], "Hash", fpath);
      f.mime = r.attribute(files[fi], "format", fpath);
      f.extension = attributeOf(files[fi], "extension");
      const std::string function = attributeOf(xml::child(files[fi], "Hash"), "hashFunction");
      if (!f.sha256.empty() && function != "SHA-256")
        r.malformed(fpath + "/Hash: funzione di hash \"" + function + "\" invece di SHA-256");
      g.files.push_back(std::move(f));
    }
    index.file_groups.push_back(std::move(g));
  }

  if (const xmlNode* process = r.element(root, "Process", "PIndex")) {
    index.submitter =
        readAgent(r, r.element(process, "Submitter", "Process"), "Process/Submitter", "");
    index.holder =
        readAgent(r, r.element(process, "Holder", "Process"), "Process/Holder", "holderRole");
    const auto signers = xml::children(process, "AuthorizedSigner");
    if (signers.empty()) r.missing("Process/AuthorizedSigner");
    for (std::size_t i = 0; i < signers.size(); ++i)
      index.signers.push_back(readAgent(
          r, signers[i], "Process/AuthorizedSigner[" + std::to_string(i + 1) + "]", "signerRole"));
    if (const xmlNode* time = r.element(process, "TimeReference", "Process"))
      index.time_info = r.text(time, "TimeInfo", "Process/TimeReference");
    index.laws_and_regulations = xml::childText(process, "LawsAndRegulations");
  }

  if (!r.ok()) return fail(ErrorCode::kBadInput, r.report());
  return index;
}

Status checkSincroStructure(std::string_view text) {
  auto schema = sincroSchema();
  if (!schema) return tl::unexpected(schema.error());
  auto doc = xml::parse(text);
  if (!doc) return tl::unexpected(doc.error());
  auto valid = (*schema)->validate(doc->get());
  if (!valid)
    return fail(ErrorCode::kBadInput, "indice SInCRO non conforme: " + valid.error().detail);
  return {};
}

}  // namespace cst::preservation
