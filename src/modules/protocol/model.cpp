#include "model.hpp"

#include <array>
#include <cstdio>
#include <regex>

#include "common/fiscal_code.hpp"
#include "common/json_fields.hpp"
#include "enti/enti.hpp"

namespace cst::protocol {

using nlohmann::json;
using Need = JsonFields::Need;

namespace {

// What a list item that is not an object is read as (every required field then missing). A
// reader keeps a reference to its object: never a temporary.
const json kEmptyObject = json::object();

constexpr std::array<std::pair<Flow, std::string_view>, 3> kFlows{
    {{Flow::kIncoming, "incoming"}, {Flow::kOutgoing, "outgoing"}, {Flow::kInternal, "internal"}}};

// IPA codes and register codes as the segnatura's types allow them.
bool validCode(const std::string& s, std::size_t max) {
  static const std::regex kCode(R"([A-Za-z0-9_.\-]+)");
  return !s.empty() && s.size() <= max && std::regex_match(s, kCode);
}

bool validDate(const std::string& s) {
  static const std::regex kDate(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  return std::regex_match(s, kDate);
}

bool validEmail(const std::string& s) {
  static const std::regex kEmail(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
  return s.size() <= 254 && std::regex_match(s, kEmail);
}

// A text field, required and non-empty, at most `max` bytes.
std::optional<std::string> boundedText(JsonFields& f, const char* key, Need need, std::size_t max) {
  auto v = f.text(key, need, true);
  if (v && v->size() > max) {
    f.bad(key, "al massimo " + std::to_string(max) + " caratteri");
    return std::nullopt;
  }
  return v;
}

// Each problem of an item is named "<list>[i].<field>" in the request's errors.
void mergeItem(const Status& s, const std::string& at, JsonFields& into) {
  if (!s)
    for (const FieldError& e : s.error().fields) into.bad(at + "." + e.field, e.message);
}

Result<Correspondent> correspondentFromJson(const json& item) {
  JsonFields f(item, "invalid correspondent");
  Correspondent c;
  const std::string kind = f.text("kind", Need::kRequired).value_or("");
  if (kind == "person")
    c.kind = Correspondent::Kind::kPerson;
  else if (kind == "company")
    c.kind = Correspondent::Kind::kCompany;
  else if (kind == "administration")
    c.kind = Correspondent::Kind::kAdministration;
  else if (!kind.empty())
    f.bad("kind", "person, company o administration");
  if (c.kind == Correspondent::Kind::kPerson) {
    c.first_name = boundedText(f, "first_name", Need::kRequired, 200).value_or("");
    c.last_name = boundedText(f, "last_name", Need::kRequired, 200).value_or("");
  } else {
    c.name = boundedText(f, "name", Need::kRequired, 500).value_or("");
  }
  if (auto cf = f.text("fiscal_code", Need::kOptional, true)) {
    c.fiscal_code = asciiUpper(*cf);
    if (c.kind == Correspondent::Kind::kPerson) {
      if (auto s = checkPersonalFiscalCode(*c.fiscal_code, "fiscal_code"); !s)
        f.bad("fiscal_code", s.error().fields.front().message);
    } else if (!enti::validNumericFiscalCode(*c.fiscal_code)) {
      f.bad("fiscal_code", "codice fiscale o partita IVA di 11 cifre, con la cifra di controllo");
    }
  }
  c.ipa_code = f.text("ipa_code", Need::kOptional, true);
  if (c.kind == Correspondent::Kind::kAdministration && !c.ipa_code)
    f.bad("ipa_code", "il codice IPA dell'amministrazione è obbligatorio");
  if (c.ipa_code && !validCode(*c.ipa_code, 32))
    f.bad("ipa_code", "codice IPA non valido (lettere, cifre, _ . -)");
  c.email = f.text("email", Need::kOptional, true);
  if (c.email && !validEmail(*c.email)) f.bad("email", "indirizzo e-mail o PEC non valido");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return c;
}

}  // namespace

std::string_view flowName(Flow f) {
  for (const auto& [flow, name] : kFlows)
    if (flow == f) return name;
  return "incoming";
}

std::optional<Flow> parseFlow(std::string_view text) {
  for (const auto& [flow, name] : kFlows)
    if (name == text) return flow;
  return std::nullopt;
}

std::string Correspondent::displayName() const {
  return kind == Kind::kPerson ? first_name + " " + last_name : name;
}

json toJson(const Correspondent& c) {
  static constexpr std::array<std::string_view, 3> kKinds{"person", "company", "administration"};
  json j{{"kind", kKinds[static_cast<std::size_t>(c.kind)]},
         {"display_name", c.displayName()},
         {"fiscal_code", c.fiscal_code ? json(*c.fiscal_code) : json()},
         {"ipa_code", c.ipa_code ? json(*c.ipa_code) : json()},
         {"email", c.email ? json(*c.email) : json()}};
  if (c.kind == Correspondent::Kind::kPerson) {
    j["first_name"] = c.first_name;
    j["last_name"] = c.last_name;
  } else {
    j["name"] = c.name;
  }
  return j;
}

Result<NewRegistration> registrationFromJson(const json& body) {
  JsonFields f(body, "invalid registration");
  NewRegistration r;
  r.ente = f.text("ente", Need::kRequired, true).value_or("");
  const std::string flow = f.text("flow", Need::kRequired, true).value_or("");
  if (auto parsed = parseFlow(flow))
    r.flow = *parsed;
  else if (!flow.empty())
    f.bad("flow", "incoming (in arrivo), outgoing (in partenza) o internal (interno)");
  r.subject = boundedText(f, "subject", Need::kRequired, kMaxSubject).value_or("");
  r.class_code = f.text("class_code", Need::kRequired, true).value_or("");
  r.folder_code = f.text("folder_code", Need::kOptional, true);
  r.channel = boundedText(f, "channel", Need::kOptional, 50);
  r.reserved = f.boolean("reserved").value_or(false);
  r.sender_date = f.text("sender_date", Need::kOptional, true);
  r.sender_number = boundedText(f, "sender_number", Need::kOptional, 100);
  if (r.sender_date && !validDate(*r.sender_date))
    f.bad("sender_date", "data nella forma AAAA-MM-GG");
  if (r.flow != Flow::kIncoming) {
    if (r.sender_date) f.bad("sender_date", "la data del mittente solo per un documento in arrivo");
    if (r.sender_number)
      f.bad("sender_number", "il numero del mittente solo per un documento in arrivo");
  }

  const json none = json::array();
  const json& list = body.contains("correspondents") ? body["correspondents"] : none;
  if (!list.is_array()) {
    f.bad("correspondents", "una lista di mittenti o destinatari");
  } else {
    if (list.size() > kMaxCorrespondents)
      f.bad("correspondents", "al massimo " + std::to_string(kMaxCorrespondents));
    for (std::size_t i = 0; i < list.size() && i < kMaxCorrespondents; ++i) {
      auto c = correspondentFromJson(list[i].is_object() ? list[i] : kEmptyObject);
      if (c)
        r.correspondents.push_back(std::move(*c));
      else
        mergeItem(tl::unexpected(c.error()), "correspondents[" + std::to_string(i) + "]", f);
    }
    if (r.flow == Flow::kIncoming && list.size() != 1)
      f.bad("correspondents", "un documento in arrivo ha un mittente");
    if (r.flow == Flow::kOutgoing && list.empty())
      f.bad("correspondents", "almeno un destinatario");
    if (r.flow == Flow::kInternal && !list.empty())
      f.bad("correspondents", "un documento interno non ha corrispondenti esterni");
  }

  if (!body.contains("primary_document") || !body["primary_document"].is_object()) {
    f.bad("primary_document", "il documento principale è obbligatorio (upload_id)");
  } else {
    JsonFields p(body["primary_document"], "invalid primary document");
    r.primary_upload = p.text("upload_id", Need::kRequired, true).value_or("");
    r.primary_description = boundedText(p, "description", Need::kOptional, 500);
    mergeItem(p.result(), "primary_document", f);
  }
  const json& atts = body.contains("attachments") ? body["attachments"] : none;
  if (!atts.is_array()) {
    f.bad("attachments", "una lista di allegati");
  } else {
    if (atts.size() > kMaxAttachments)
      f.bad("attachments", "al massimo " + std::to_string(kMaxAttachments));
    for (std::size_t i = 0; i < atts.size() && i < kMaxAttachments; ++i) {
      const json& item = atts[i].is_object() ? atts[i] : kEmptyObject;
      JsonFields a(item, "invalid attachment");
      NewRegistration::Attachment att;
      att.upload_id = a.text("upload_id", Need::kRequired, true).value_or("");
      // Art. 53 and the guidelines: the number and the description of the attachments.
      att.description = boundedText(a, "description", Need::kRequired, 500).value_or("");
      mergeItem(a.result(), "attachments[" + std::to_string(i) + "]", f);
      r.attachments.push_back(std::move(att));
    }
  }
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return r;
}

std::string formatNumber(std::int64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%07lld", static_cast<long long>(number));
  return buf;
}

json toJson(const Registration& r) {
  json correspondents = json::array();
  for (const Correspondent& c : r.correspondents) correspondents.push_back(toJson(c));
  json documents = json::array();
  for (const Document& d : r.documents)
    documents.push_back({{"seq", d.seq},
                         {"role", d.seq == 0 ? "primary" : "attachment"},
                         {"upload_id", d.upload_id},
                         {"filename", d.filename},
                         {"content_type", d.content_type},
                         {"sha256", d.sha256},
                         {"size", d.size},
                         {"description", d.description ? json(*d.description) : json()}});
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  json j{{"id", r.id},
         {"ente", r.ente},
         {"year", r.year},
         {"number", formatNumber(r.number)},
         {"registry_code", r.registry_code},
         {"registered_at", r.registered_at},
         {"registered_on", r.registered_on},
         {"flow", flowName(r.flow)},
         {"subject", r.subject},
         {"correspondents", correspondents},
         {"sender_date", opt(r.sender_date)},
         {"sender_number", opt(r.sender_number)},
         {"channel", opt(r.channel)},
         {"class_code", r.class_code},
         {"class_description", r.class_description},
         {"folder_code", opt(r.folder_code)},
         {"folder_subject", opt(r.folder_subject)},
         {"reserved", r.reserved},
         {"attachments_count", r.attachments_count},
         {"documents", documents},
         {"segnatura_sha256", r.segnatura_sha256},
         {"registered_by", r.registered_by},
         {"status", r.annulled() ? "annulled" : "registered"},
         {"annulment", json()}};
  if (r.annulled())
    j["annulment"] = {{"annulled_at", *r.annulled_at},
                      {"annulled_by", opt(r.annulled_by)},
                      {"reason", opt(r.annulment_reason)},
                      {"authorisation", opt(r.annulment_authorisation)}};
  return j;
}

json toJson(const Aoo& a) {
  return {{"ente", a.ente},
          {"aoo_code", a.aoo_code},
          {"aoo_name", a.aoo_name},
          {"registry_code", a.registry_code},
          {"pec", a.pec.empty() ? json() : json(a.pec)},
          {"updated_at", a.updated_at},
          {"updated_by", a.updated_by}};
}

Result<Aoo> aooFromJson(const std::string& ente, const json& body) {
  JsonFields f(body, "invalid AOO configuration");
  Aoo a;
  a.ente = ente;
  a.aoo_code = f.text("aoo_code", Need::kRequired, true).value_or("");
  a.aoo_name = boundedText(f, "aoo_name", Need::kRequired, 300).value_or("");
  a.registry_code = f.text("registry_code", Need::kRequired, true).value_or("");
  a.pec = f.text("pec", Need::kOptional, true).value_or("");
  if (!a.aoo_code.empty() && !validCode(a.aoo_code, 32))
    f.bad("aoo_code", "codice IPA dell'AOO: lettere, cifre, _ . - (al massimo 32)");
  if (!a.registry_code.empty() && !validCode(a.registry_code, 16))
    f.bad("registry_code", "codice del registro: lettere, cifre, _ . - (al massimo 16)");
  if (!a.pec.empty() && !validEmail(a.pec))
    f.bad("pec", "indirizzo PEC non valido (per esempio protocollo@pec.comune.example.it)");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return a;
}

json toJson(const ProtocolClass& c) {
  return {{"code", c.code}, {"description", c.description}, {"active", c.active}};
}

Result<ProtocolClass> classFromJson(const json& body) {
  JsonFields f(body, "invalid class");
  ProtocolClass c;
  c.code = f.text("code", Need::kRequired, true).value_or("");
  c.description = boundedText(f, "description", Need::kRequired, 300).value_or("");
  c.active = f.boolean("active").value_or(true);
  static const std::regex kClassCode(R"([0-9A-Za-z]{1,10}(\.[0-9A-Za-z]{1,10}){0,5})");
  if (!c.code.empty() && !std::regex_match(c.code, kClassCode))
    f.bad("code", "codice del titolario nella forma 6 o 6.3 (livelli separati da punti)");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return c;
}

json toJson(const Folder& fo) {
  return {{"ente", fo.ente},           {"code", fo.code},
          {"subject", fo.subject},     {"class_code", fo.class_code},
          {"opened_on", fo.opened_on}, {"closed_on", fo.closed_on ? json(*fo.closed_on) : json()}};
}

Result<Folder> folderFromJson(const std::string& ente, const json& body) {
  JsonFields f(body, "invalid folder");
  Folder fo;
  fo.ente = ente;
  fo.code = f.text("code", Need::kRequired, true).value_or("");
  fo.subject = boundedText(f, "subject", Need::kRequired, 1000).value_or("");
  fo.class_code = f.text("class_code", Need::kRequired, true).value_or("");
  if (!fo.code.empty() &&
      (fo.code.size() > 64 || fo.code.find_first_of("\r\n\t") != std::string::npos))
    f.bad("code", "al massimo 64 caratteri su una riga");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return fo;
}

Result<Annulment> annulmentFromJson(const json& body) {
  JsonFields f(body, "invalid annulment");
  Annulment a;
  a.reason = boundedText(f, "reason", Need::kRequired, 2000).value_or("");
  a.authorisation = boundedText(f, "authorisation", Need::kRequired, 500).value_or("");
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return a;
}

}  // namespace cst::protocol
