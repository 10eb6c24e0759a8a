#pragma once
// Private to the metadata check (metadata.hpp): the fields of Allegato 5 as data, one table per
// object (metadata_fields.cpp), walked by the checker (metadata.cpp); the lexical forms of dates,
// times and digests (metadata_values.cpp). A field is named as in the annex's schema and says
// whether it is mandatory, what its value is and whether it repeats.
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "metadata.hpp"

namespace cst::preservation::allegato5 {

struct Field;
class Checker;  // metadata.cpp
using Fields = std::span<const Field>;
using Values = std::span<const std::string_view>;
// A check the table cannot express; reports through the checker.
using Special = void (*)(Checker&, const nlohmann::json& value, const std::string& path);

enum class Kind {
  kText,
  kNumbering,  // a registration or version number: text, or a JSON integer ≥ 0 (XML has no types)
  kDate,       // xs:date without time zone: AAAA-MM-GG
  kTime,       // xs:time: hh:mm:ss, optional fraction and zone
  kBoolean,
  kCount,     // integer ≥ 0
  kYears,     // integer > 0
  kOneOf,     // one of `allowed`
  kObject,    // an object with `children`
  kAnything,  // structure unknown ([U] in the reference): present is enough
  kSpecial,   // `special` checks it
};
enum class Shape { kSingle, kList, kSingleOrList };

struct Field {
  std::string_view name;
  bool required = true;
  Kind kind = Kind::kText;
  Fields children = {};
  Values allowed = {};
  Special special = nullptr;  // kSpecial: the check; kObject: a check run after the children
  Shape shape = Shape::kSingle;
  bool loose = false;           // kOneOf compared ignoring case and spaces ([U] spellings)
  std::string_view other_name;  // accepted in place of `name` ([U] names)

  constexpr Field list() const { return with(&Field::shape, Shape::kList); }
  constexpr Field singleOrList() const { return with(&Field::shape, Shape::kSingleOrList); }
  constexpr Field looseMatch() const { return with(&Field::loose, true); }
  constexpr Field orNamed(std::string_view other) const { return with(&Field::other_name, other); }
  constexpr Field then(Special check) const { return with(&Field::special, check); }

 private:
  template <typename T>
  constexpr Field with(T Field::*member, T value) const {
    Field f = *this;
    f.*member = value;
    return f;
  }
};

// A subject's role (Soggetti.Ruolo[i]): TipoRuolo and exactly one body, under one of `bodies`'
// keys (PF, PG, PAI, PAE, AS, SW, RUP).
struct Body {
  std::string_view key;
  Fields fields;
};
struct Role {
  std::string_view name;  // TipoRuolo
  std::span<const Body> bodies;
};

Fields fieldsOf(ObjectKind kind);
std::span<const Role> rolesOf(ObjectKind kind);
// TipoRegistro's choices (an XSD choice): a DAI is always registered, so "Nessuno" is DI's only.
Fields registrationsOf(ObjectKind kind);
Values subjectKeys();  // every key a body may have, to tell a misplaced body from an extra field
// Aggregations' role spellings are [U] (reference §2.4): compared ignoring case and spaces.
bool looseRoleNames(ObjectKind kind);

// The lexical forms JSON does not type (metadata_values.cpp).
bool isIsoDate(std::string_view date);  // xs:date without zone: AAAA-MM-GG, a real day
// xs:time: hh:mm:ss, then an optional fraction and an optional zone (Z or ±hh:mm).
bool isXsdTime(std::string_view time);
// A SHA-256 digest given as 64 hex digits (either case) or as base64 (44 characters, the last
// one padding), as lowercase hex; nullopt for anything else.
std::optional<std::string> sha256Hex(std::string_view impronta);
// "SHA-256" and its spellings (case, "SHA256", Allegato 6's URI ...#sha256).
bool isSha256Name(std::string_view algoritmo);
// Case, spaces and underscores removed: for names whose spelling the reference could not fix.
std::string folded(std::string_view name);

// The checks the tables name, in metadata.cpp.
void checkImpronta(Checker&, const nlohmann::json&, const std::string&);
void checkAlgoritmo(Checker&, const nlohmann::json&, const std::string&);
void checkRuolo(Checker&, const nlohmann::json&, const std::string&);
void checkRoleSet(Checker&, const nlohmann::json&, const std::string&);
void checkAttachmentCount(Checker&, const nlohmann::json&, const std::string&);
void checkTipoRegistro(Checker&, const nlohmann::json&, const std::string&);

}  // namespace cst::preservation::allegato5
