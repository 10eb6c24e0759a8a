#include "model.hpp"

#include <cctype>

namespace cst::preservation {

namespace {
bool isHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string stringAt(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}
}  // namespace

SipEnvelope parseEnvelope(const Json& j, std::vector<MetadataProblem>& problems) {
  SipEnvelope e;
  if (!j.is_object()) {
    problems.push_back({"metadata", "deve essere un oggetto JSON"});
    return e;
  }
  e.ente = stringAt(j, "ente");
  if (e.ente.empty()) problems.push_back({"ente", "codice ISTAT dell'ente obbligatorio"});
  const std::string tipo = stringAt(j, "tipo");
  e.kind = kindFromName(tipo);
  if (!e.kind)
    problems.push_back({"tipo",
                        "obbligatorio: documento_informatico, documento_amministrativo_informatico "
                        "o aggregazione"});
  e.document_class = stringAt(j, "classe_documentale");
  e.title = stringAt(j, "titolo");
  if (!j.contains("metadati") || !j["metadati"].is_object())
    problems.push_back({"metadati", "oggetto dei metadati (Allegato 5) obbligatorio"});
  else
    e.metadati = j["metadati"];
  if (!j.contains("documenti") || !j["documenti"].is_array() || j["documenti"].empty()) {
    problems.push_back({"documenti", "elenco dei documenti obbligatorio (almeno uno)"});
    return e;
  }
  int primaries = 0;
  for (std::size_t i = 0; i < j["documenti"].size(); ++i) {
    const Json& d = j["documenti"][i];
    const std::string at = "documenti[" + std::to_string(i) + "]";
    if (!d.is_object()) {
      problems.push_back({at, "deve essere un oggetto {nome, ruolo, impronta}"});
      continue;
    }
    DeclaredDocument doc;
    doc.name = stringAt(d, "nome");
    if (doc.name.empty()) problems.push_back({at + ".nome", "nome del file obbligatorio"});
    const std::string role = stringAt(d, "ruolo");
    if (role != "principale" && role != "allegato")
      problems.push_back({at + ".ruolo", "deve essere \"principale\" o \"allegato\""});
    doc.primary = role == "principale";
    primaries += doc.primary ? 1 : 0;
    doc.sha256 = lower(stringAt(d, "impronta"));
    if (!isHex64(doc.sha256))
      problems.push_back(
          {at + ".impronta", "impronta SHA-256 obbligatoria (64 cifre esadecimali)"});
    for (const DeclaredDocument& other : e.documents)
      if (!doc.name.empty() && other.name == doc.name)
        problems.push_back({at + ".nome", "file elencato due volte: " + doc.name});
    e.documents.push_back(doc);
  }
  if (primaries != 1)
    problems.push_back({"documenti", "serve esattamente un documento con ruolo \"principale\""});
  return e;
}

Json toJson(const ObjectFacts& o) {
  Json j{{"name", o.name}, {"role", o.role},     {"sha256", o.sha256},
         {"size", o.size}, {"format", o.format}, {"mime", o.mime}};
  if (!o.path.empty()) j["path"] = o.path;
  return j;
}

ObjectFacts objectFromJson(const Json& j) {
  ObjectFacts o;
  o.name = stringAt(j, "name");
  o.role = stringAt(j, "role");
  o.sha256 = stringAt(j, "sha256");
  o.size = j.value("size", std::int64_t{0});
  o.format = stringAt(j, "format");
  o.mime = stringAt(j, "mime");
  o.path = stringAt(j, "path");
  return o;
}

Json toJson(const Receipt& r) {
  Json objects = Json::array();
  for (const ObjectFacts& o : r.objects) objects.push_back(toJson(o));
  Json problems = Json::array();
  for (const MetadataProblem& p : r.problems)
    problems.push_back({{"field", p.field}, {"message", p.message}});
  Json j{{"id", r.id},
         {"ente", r.ente},
         {"received_at", r.received_at},
         {"outcome", r.accepted ? "accepted" : "rejected"},
         {"source", r.source},
         {"submitted_by", r.submitted_by},
         {"objects", objects},
         {"problems", problems},
         {"receipt_sha256", r.receipt_sha256},
         {"receipt_url", "/api/v1/preservation/sips/" + r.id + "/receipt.xml"}};
  j["aip_id"] = r.aip_id.empty() ? Json(nullptr) : Json(r.aip_id);
  if (!r.source_ref.empty()) j["source_ref"] = r.source_ref;
  return j;
}

Json toJson(const Aip& a) {
  Json files = Json::array();
  for (const ObjectFacts& f : a.files) files.push_back(toJson(f));
  Json disposal =
      a.disposal_id.empty() ? Json(nullptr) : Json{{"id", a.disposal_id}, {"at", a.disposed_at}};
  return {{"id", a.id},
          {"ente", a.ente},
          {"sip_id", a.sip_id},
          {"kind", a.kind},
          {"document_class", a.document_class.empty() ? Json(nullptr) : Json(a.document_class)},
          {"title", a.title},
          {"created_at", a.created_at},
          {"index_sha256", a.index_sha256},
          {"signature_sha256", a.signature_sha256},
          {"timestamp_sha256", a.timestamp_sha256},
          {"timestamp_time", a.timestamp_time},
          {"tsa", a.tsa},
          {"documents_bytes", a.documents_bytes},
          {"package_bytes", a.package_bytes},
          {"files", files},
          {"document_date", a.document_date.empty() ? Json(nullptr) : Json(a.document_date)},
          {"disposal", disposal}};
}

}  // namespace cst::preservation
