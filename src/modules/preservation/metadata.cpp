// The checker: walks an object's table (metadata_fields.cpp) and reports every problem by path;
// the rules a table cannot say (roles, the registration's choice, attachments, digests) below.
#include "metadata.hpp"

#include <algorithm>
#include <cstdint>

#include "allegato5.hpp"

namespace cst::preservation {

using nlohmann::json;

namespace allegato5 {
namespace {

// Absent and null are the same: producers serialising optional fields often write null.
const json* find(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

bool isBlank(const json& v) {
  return v.is_string() &&
         std::all_of(v.get_ref<const std::string&>().begin(), v.get_ref<const std::string&>().end(),
                     [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

bool isCount(const json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
}

std::string listed(Values values) {
  std::string out;
  for (std::string_view v : values) out += (out.empty() ? "\"" : ", \"") + std::string(v) + "\"";
  return out;
}

std::string notAllowed(const json& v, Values allowed) {
  const std::string shown = v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
  return "valore non ammesso: " + shown + "; ammessi: " + listed(allowed);
}

bool isOneOf(const json& v, Values allowed, bool loose) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](std::string_view a) { return loose ? folded(a) == folded(s) : a == s; });
}

std::vector<std::string_view> namesOf(std::span<const Role> roles) {
  std::vector<std::string_view> names;
  for (const Role& r : roles) names.push_back(r.name);
  return names;
}

std::vector<std::string_view> keysOf(std::span<const Body> bodies) {
  std::vector<std::string_view> keys;
  for (const Body& b : bodies) keys.push_back(b.key);
  return keys;
}

const Role* roleNamed(ObjectKind kind, const json& tipo) {
  const auto roles = rolesOf(kind);
  const auto it = std::find_if(roles.begin(), roles.end(), [&](const Role& r) {
    return isOneOf(tipo, Values(&r.name, 1), looseRoleNames(kind));
  });
  return it == roles.end() ? nullptr : &*it;
}

}  // namespace

class Checker {
 public:
  explicit Checker(ObjectKind kind) : kind_(kind) {}
  ObjectKind kind() const { return kind_; }
  void add(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }
  std::vector<MetadataProblem> take() { return std::move(problems_); }

  // `v`'s fields, by `fields`; the extra ones are left alone.
  void object(const json& v, Fields fields, const std::string& path) {
    if (!v.is_object()) return add(path, "tipo errato: atteso un oggetto");
    for (const Field& f : fields) {
      std::string at = join(path, f.name);
      const json* found = find(v, f.name);
      if (!found && !f.other_name.empty() && (found = find(v, f.other_name))) {
        at = join(path, f.other_name);
      }
      if (!found) {
        if (f.required) add(at, "obbligatorio");
      } else if (f.shape == Shape::kSingle || !found->is_array()) {
        if (f.shape == Shape::kList) {
          add(at, "tipo errato: attesa una lista");
        } else {
          value(f, *found, at);
        }
      } else if (f.required && found->empty()) {
        add(at, "obbligatorio: almeno un elemento");
      } else {
        for (std::size_t i = 0; i < found->size(); ++i) {
          value(f, (*found)[i], at + "[" + std::to_string(i) + "]");
        }
      }
    }
  }

  // Exactly one of `choices` (an XSD choice), checked.
  void choice(const json& v, Fields choices, const std::string& path) {
    if (!v.is_object()) return add(path, "tipo errato: atteso un oggetto");
    std::vector<std::string_view> names;
    int present = 0;
    for (const Field& c : choices) {
      names.push_back(c.name);
      if (const json* found = find(v, c.name)) {
        ++present;
        value(c, *found, join(path, c.name));
      }
    }
    if (present == 0) add(path, "obbligatorio uno tra: " + listed(names));
    if (present > 1) add(path, "uno solo tra: " + listed(names));
  }

 private:
  void value(const Field& f, const json& v, const std::string& path) {
    if (f.required && isBlank(v)) return add(path, "obbligatorio");
    switch (f.kind) {
      case Kind::kText:
        if (!v.is_string()) add(path, "tipo errato: atteso testo");
        return;
      case Kind::kNumbering:
        if (!v.is_string() && !isCount(v)) add(path, "tipo errato: atteso testo o numero intero");
        return;
      case Kind::kDate:
        if (!v.is_string() || !isIsoDate(v.get_ref<const std::string&>())) {
          add(path, "data non valida (AAAA-MM-GG)");
        }
        return;
      case Kind::kTime:
        if (!v.is_string() || !isXsdTime(v.get_ref<const std::string&>())) {
          add(path, "ora non valida (hh:mm:ss)");
        }
        return;
      case Kind::kBoolean:
        if (!v.is_boolean()) add(path, "tipo errato: atteso true o false");
        return;
      case Kind::kCount:
        if (!isCount(v)) add(path, "atteso un numero intero maggiore o uguale a 0");
        return;
      case Kind::kYears:
        if (!isCount(v) || v.get<std::int64_t>() == 0) {
          add(path, "atteso un numero intero di anni maggiore di 0");
        }
        return;
      case Kind::kOneOf:
        if (!isOneOf(v, f.allowed, f.loose)) add(path, notAllowed(v, f.allowed));
        return;
      case Kind::kObject:
        object(v, f.children, path);
        if (f.special && v.is_object()) f.special(*this, v, path);
        return;
      case Kind::kAnything:
        return;
      case Kind::kSpecial:
        f.special(*this, v, path);
        return;
    }
  }

  ObjectKind kind_;
  std::vector<MetadataProblem> problems_;
};

void checkImpronta(Checker& ck, const json& v, const std::string& path) {
  if (!v.is_string() || !sha256Hex(v.get_ref<const std::string&>())) {
    ck.add(path,
           "impronta non valida: attesi 64 caratteri esadecimali o 44 caratteri base64 (32 byte, "
           "SHA-256)");
  }
}

// The guidelines allow SHA-224, SHA-256, SHA-384 and SHA-512 (Allegato 6, reference §2.6), but
// only SHA-256 can be checked here: ingest hashes every file once, with SHA-256 (reference §7.2),
// and compares the declared digest with it; the reference advises SHA-256 everywhere.
void checkAlgoritmo(Checker& ck, const json& v, const std::string& path) {
  constexpr std::string_view kAllowed[] = {"SHA-256"};
  if (!v.is_string() || !isSha256Name(v.get_ref<const std::string&>())) {
    ck.add(path, notAllowed(v, kAllowed));
  }
}

void checkTipoRegistro(Checker& ck, const json& v, const std::string& path) {
  if (ck.kind() == ObjectKind::kDocumentoAmministrativoInformatico && find(v, "Nessuno")) {
    ck.add(join(path, "Nessuno"),
           "non ammesso: un documento amministrativo informatico è sempre registrato (protocollo "
           "o repertorio)");
  }
  ck.choice(v, registrationsOf(ck.kind()), path);
}

// Soggetti.Ruolo[i]: a TipoRuolo of the object's kind and its one subject, of a type the role
// admits.
void checkRuolo(Checker& ck, const json& v, const std::string& path) {
  if (!v.is_object()) return ck.add(path, "tipo errato: atteso un oggetto");
  const std::string at = join(path, "TipoRuolo");
  const json* tipo = find(v, "TipoRuolo");
  if (!tipo || isBlank(*tipo)) return ck.add(at, "obbligatorio");
  const Role* role = roleNamed(ck.kind(), *tipo);
  if (!role) return ck.add(at, notAllowed(*tipo, namesOf(rolesOf(ck.kind()))));
  const auto admitted = keysOf(role->bodies);
  std::vector<const Body*> bodies;
  bool misplaced = false;
  for (std::string_view key : subjectKeys()) {
    if (!find(v, key)) continue;
    const auto b = std::find_if(role->bodies.begin(), role->bodies.end(),
                                [&](const Body& body) { return body.key == key; });
    if (b != role->bodies.end()) {
      bodies.push_back(&*b);
    } else {
      misplaced = true;
      ck.add(join(path, key), "tipo di soggetto non ammesso per il ruolo \"" +
                                  std::string(role->name) + "\"; ammessi: " + listed(admitted));
    }
  }
  if (bodies.empty() && !misplaced) ck.add(path, "manca il soggetto: uno tra " + listed(admitted));
  if (bodies.size() > 1) ck.add(path, "un solo soggetto per ruolo, uno tra " + listed(admitted));
  for (const Body* b : bodies) ck.object(*find(v, b->key), b->fields, join(path, b->key));
}

// The roles a document needs. Only judged when every role is known: a set with a role already
// reported would only add noise.
void checkRoleSet(Checker& ck, const json& soggetti, const std::string& path) {
  const json* ruoli = find(soggetti, "Ruolo");
  if (!ruoli || !ruoli->is_array() || ruoli->empty()) return;
  std::vector<std::string_view> names;
  for (const json& r : *ruoli) {
    const json* tipo = find(r, "TipoRuolo");
    const Role* role = tipo ? roleNamed(ck.kind(), *tipo) : nullptr;
    if (!role) return;
    names.push_back(role->name);
  }
  const auto has = [&](std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  const std::string at = join(path, "Ruolo");
  // The draft's rule, which the reference (§2.2) says survives: someone wrote or sent it.
  if (ck.kind() != ObjectKind::kAggregazione && !has("Autore") && !has("Mittente")) {
    ck.add(at, "serve almeno un soggetto con ruolo \"Autore\" o \"Mittente\"");
  }
  if (ck.kind() == ObjectKind::kDocumentoAmministrativoInformatico &&
      !has("Amministrazione Che Effettua La Registrazione")) {
    ck.add(at,
           "obbligatorio un soggetto con ruolo \"Amministrazione Che Effettua La Registrazione\"");
  }
}

// IndiceAllegati lists the attachments NumeroAllegati counts (reference §2.2).
void checkAttachmentCount(Checker& ck, const json& allegati, const std::string& path) {
  const json* count = find(allegati, "NumeroAllegati");
  if (!count || !isCount(*count)) return;
  const auto n = count->get<std::uint64_t>();
  const std::string at = join(path, "IndiceAllegati");
  const json* index = find(allegati, "IndiceAllegati");
  if (!index) {
    if (n > 0) ck.add(at, "obbligatorio quando NumeroAllegati è maggiore di 0");
  } else if (index->is_array() && index->size() != n) {
    ck.add(at, "elenca " + std::to_string(index->size()) + " allegati, NumeroAllegati ne indica " +
                   std::to_string(n));
  }
}

}  // namespace allegato5

std::optional<ObjectKind> kindFromName(std::string_view name) {
  for (auto kind : {ObjectKind::kDocumentoInformatico,
                    ObjectKind::kDocumentoAmministrativoInformatico, ObjectKind::kAggregazione}) {
    if (nameOf(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view nameOf(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kDocumentoInformatico:
      return "documento_informatico";
    case ObjectKind::kDocumentoAmministrativoInformatico:
      return "documento_amministrativo_informatico";
    case ObjectKind::kAggregazione:
      break;
  }
  return "aggregazione";
}

std::vector<MetadataProblem> checkMetadata(ObjectKind kind, const json& metadati) {
  if (!metadati.is_object()) return {{"", "i metadati devono essere un oggetto JSON"}};
  allegato5::Checker ck(kind);
  ck.object(metadati, allegato5::fieldsOf(kind), "");
  const json* opened = allegato5::find(metadati, "DataApertura");
  const json* closed = allegato5::find(metadati, "DataChiusura");
  // Both AAAA-MM-GG, so their text orders as their dates.
  if (kind == ObjectKind::kAggregazione && opened && closed && opened->is_string() &&
      closed->is_string() && allegato5::isIsoDate(opened->get_ref<const std::string&>()) &&
      allegato5::isIsoDate(closed->get_ref<const std::string&>()) && *closed < *opened) {
    ck.add("DataChiusura", "precedente a DataApertura");
  }
  return ck.take();
}

std::string declaredSha256(const json& metadati) {
  const json* id = allegato5::find(metadati, "IdDoc");
  const json* impronta = id ? allegato5::find(*id, "ImprontaCrittograficaDelDocumento") : nullptr;
  const json* hash = impronta ? allegato5::find(*impronta, "Impronta") : nullptr;
  const json* algorithm = impronta ? allegato5::find(*impronta, "Algoritmo") : nullptr;
  if (!hash || !algorithm || !hash->is_string() || !algorithm->is_string() ||
      !allegato5::isSha256Name(algorithm->get_ref<const std::string&>())) {
    return {};
  }
  return allegato5::sha256Hex(hash->get_ref<const std::string&>()).value_or("");
}

}  // namespace cst::preservation
