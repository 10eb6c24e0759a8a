// Taxonomy codes, the creditor's fiscal code and the creditor configuration of an ente.
#include <algorithm>
#include <set>

#include "common/json_fields.hpp"
#include "enti/enti.hpp"
#include "model.hpp"

namespace cst::payments {

using nlohmann::json;
using Need = JsonFields::Need;

namespace {

bool allDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isLegalReason(std::string_view s) {
  return s == "IM" || s == "TS" || s == "SP" || s == "SA" || s == "AP";
}

}  // namespace

std::string TaxonomyCode::text() const {
  return std::string(1, prefix) + "/" + ente_type + macro_area + service_type + legal_reason + "/";
}

Result<TaxonomyCode> parseTaxonomyCode(std::string_view text, const std::string& field) {
  const std::string_view bare = text.size() == 12 ? text.substr(2, 9) : text;
  const bool bare_shape =
      bare.size() == 9 && allDigits(bare.substr(0, 7)) && isLegalReason(bare.substr(7, 2));
  if (text.size() == 9 && bare_shape)
    return failField(field,
                     "usare la forma completa della tassonomia: 9/" + std::string(text) + "/");
  if (text.size() != 12 || text[0] < '6' || text[0] > '9' || text[1] != '/' || text[11] != '/' ||
      !bare_shape)
    return failField(field,
                     "codice di tassonomia nella forma 9/TTMMSSSRR/ (tipo ente, macro area, "
                     "tipologia di servizio, motivo giuridico IM, TS, SP, SA o AP), ad esempio "
                     "9/0101002IM/");
  return TaxonomyCode{text[0], std::string(bare.substr(0, 2)), std::string(bare.substr(2, 2)),
                      std::string(bare.substr(4, 3)), std::string(bare.substr(7, 2))};
}

Status checkCreditorFiscalCode(std::string_view cf, const std::string& field) {
  if (cf.size() != 11 || !allDigits(cf))
    return failField(field, "il codice fiscale dell'ente creditore è di 11 cifre");
  if (!enti::validNumericFiscalCode(std::string(cf)))
    return failField(field, "codice fiscale non valido: cifra di controllo errata");
  return {};
}

namespace {

// Each problem of an item is named "<list>[i].<field>" in the request's errors.
void mergeItemErrors(const Status& s, const std::string& at, JsonFields& f) {
  if (!s)
    for (const FieldError& e : s.error().fields) f.bad(at + "." + e.field, e.message);
}

std::optional<std::string> labelOf(JsonFields& item, Need need) {
  auto label = item.text("label", need, true);
  if (label && label->size() > kMaxLabel) {
    item.bad("label", "massimo " + std::to_string(kMaxLabel) + " caratteri");
    return std::nullopt;
  }
  return label;
}

std::vector<CreditorIban> ibansFrom(const json& body, JsonFields& f) {
  std::vector<CreditorIban> out;
  if (!body.contains("ibans") || !body["ibans"].is_array() || body["ibans"].empty()) {
    f.bad("ibans", "indicare almeno un IBAN di accredito");
    return out;
  }
  if (body["ibans"].size() > kMaxIbans) {
    f.bad("ibans", "al massimo " + std::to_string(kMaxIbans) + " IBAN");
    return out;
  }
  std::set<std::string> seen;
  std::size_t i = 0, primaries = 0;
  for (const json& item : body["ibans"]) {
    const std::string at = "ibans[" + std::to_string(i++) + "]";
    if (!item.is_object()) {
      f.bad(at, "atteso {iban, label, primary}");
      continue;
    }
    JsonFields itf(item, "IBAN");
    CreditorIban c;
    if (auto text = itf.text("iban", Need::kRequired, true)) {
      c.iban = normalizeIban(*text);
      if (auto s = checkIban(c.iban, "iban"); !s)
        itf.bad("iban", s.error().detail);
      else if (!seen.insert(c.iban).second)
        itf.bad("iban", "IBAN ripetuto nell'elenco");
    }
    c.label = labelOf(itf, Need::kOptional);
    c.primary = itf.boolean("primary").value_or(false);
    if (c.primary) ++primaries;
    mergeItemErrors(itf.result(), at, f);
    out.push_back(std::move(c));
  }
  // One account is where a transfer goes when nothing else is said: a single one is it.
  if (out.size() == 1 && primaries == 0) out[0].primary = true;
  if (out.size() > 1 && primaries != 1)
    f.bad("ibans", "indicare un solo IBAN predefinito (primary: true)");
  return out;
}

std::vector<ServiceCode> serviceCodesFrom(const json& body, JsonFields& f) {
  std::vector<ServiceCode> out;
  if (!f.has("service_codes")) return out;
  if (!body["service_codes"].is_array()) {
    f.bad("service_codes", "atteso un elenco di {code, label}");
    return out;
  }
  if (body["service_codes"].size() > kMaxServiceCodes) {
    f.bad("service_codes", "al massimo " + std::to_string(kMaxServiceCodes) + " codici");
    return out;
  }
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const json& item : body["service_codes"]) {
    const std::string at = "service_codes[" + std::to_string(i++) + "]";
    if (!item.is_object()) {
      f.bad(at, "atteso {code, label}");
      continue;
    }
    JsonFields itf(item, "tassonomia");
    ServiceCode c;
    if (auto code = itf.text("code", Need::kRequired, true)) {
      if (auto parsed = parseTaxonomyCode(*code, "code"); !parsed)
        itf.bad("code", parsed.error().detail);
      else if (!seen.insert(*code).second)
        itf.bad("code", "codice di tassonomia ripetuto nell'elenco");
      else
        c.code = *code;
    }
    c.label = labelOf(itf, Need::kRequired).value_or("");
    mergeItemErrors(itf.result(), at, f);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<Creditor> creditorFromJson(const json& body, const std::string& ente) {
  JsonFields f(body, "configurazione del creditore non valida");
  Creditor c;
  c.ente = ente;
  if (auto cf = f.text("fiscal_code", Need::kRequired, true)) {
    c.fiscal_code = *cf;
    if (auto s = checkCreditorFiscalCode(*cf, "fiscal_code"); !s)
      f.bad("fiscal_code", s.error().detail);
  }
  if (auto seg = f.text("segregation_code", Need::kRequired, true)) {
    c.segregation_code = *seg;
    if (auto s = checkSegregationCode(*seg, "segregation_code"); !s)
      f.bad("segregation_code", s.error().detail);
  }
  c.ibans = ibansFrom(body, f);
  c.service_codes = serviceCodesFrom(body, f);
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return c;
}

json toJson(const Creditor& c) {
  json ibans = json::array();
  for (const auto& i : c.ibans)
    ibans.push_back(
        {{"iban", i.iban}, {"label", i.label ? json(*i.label) : json()}, {"primary", i.primary}});
  json codes = json::array();
  for (const auto& s : c.service_codes) codes.push_back({{"code", s.code}, {"label", s.label}});
  return {{"ente", c.ente},
          {"configured", true},
          {"fiscal_code", c.fiscal_code},
          {"segregation_code", c.segregation_code},
          {"ibans", ibans},
          {"service_codes", codes},
          {"updated_at", c.updated_at},
          {"updated_by", c.updated_by}};
}

json unconfiguredCreditorJson(const std::string& ente) {
  return {{"ente", ente},           {"configured", false},
          {"fiscal_code", nullptr}, {"segregation_code", nullptr},
          {"ibans", json::array()}, {"service_codes", json::array()},
          {"updated_at", nullptr},  {"updated_by", nullptr}};
}

}  // namespace cst::payments
