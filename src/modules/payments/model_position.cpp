// Debt positions: the debtor's codice fiscale, the state machine, and the creation request.
#include "model_position.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "calendar/calendar.hpp"
#include "common/json_fields.hpp"
#include "enti/enti.hpp"

namespace cst::payments {

using nlohmann::json;
using Need = JsonFields::Need;

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

// ---- State machine -------------------------------------------------------------------------

namespace {

struct StatusText {
  PositionStatus status;
  std::string_view name;
};
constexpr std::array<StatusText, 7> kStatusNames{
    {{PositionStatus::kDraft, "DRAFT"},
     {PositionStatus::kValid, "VALID"},
     {PositionStatus::kPartiallyPaid, "PARTIALLY_PAID"},
     {PositionStatus::kPaid, "PAID"},
     {PositionStatus::kReported, "REPORTED"},
     {PositionStatus::kExpired, "EXPIRED"},
     {PositionStatus::kInvalid, "INVALID"}}};

struct Transition {
  PositionStatus from;
  PositionEvent event;
  PositionStatus to;
};
using S = PositionStatus;
using E = PositionEvent;
constexpr std::array<Transition, 11> kTransitions{{
    {S::kDraft, E::kPublish, S::kValid},
    {S::kDraft, E::kInvalidate, S::kInvalid},
    {S::kValid, E::kInvalidate, S::kInvalid},
    {S::kValid, E::kExpire, S::kExpired},
    {S::kValid, E::kPartialPayment, S::kPartiallyPaid},
    {S::kValid, E::kFullPayment, S::kPaid},
    {S::kPartiallyPaid, E::kPartialPayment, S::kPartiallyPaid},
    {S::kPartiallyPaid, E::kFullPayment, S::kPaid},
    {S::kPaid, E::kReport, S::kReported},
    // Late receipts: the node may confirm a payment it started before the position expired.
    {S::kExpired, E::kPartialPayment, S::kPartiallyPaid},
    {S::kExpired, E::kFullPayment, S::kPaid},
}};
// Not in the table, on purpose: PARTIALLY_PAID -> INVALID (money was collected: it must be
// refunded or reported, not hidden), and anything out of INVALID or REPORTED (final).

}  // namespace

std::string_view statusName(PositionStatus s) {
  for (const auto& t : kStatusNames)
    if (t.status == s) return t.name;
  return "DRAFT";
}

std::optional<PositionStatus> parsePositionStatus(std::string_view text) {
  for (const auto& t : kStatusNames)
    if (t.name == text) return t.status;
  return std::nullopt;
}

std::string_view eventName(PositionEvent e) {
  switch (e) {
    case E::kPublish:
      return "publish";
    case E::kInvalidate:
      return "invalidate";
    case E::kExpire:
      return "expire";
    case E::kPartialPayment:
      return "partial_payment";
    case E::kFullPayment:
      return "full_payment";
    case E::kReport:
      return "report";
  }
  return "publish";
}

std::optional<PositionStatus> nextStatus(PositionStatus from, PositionEvent event) {
  for (const Transition& t : kTransitions)
    if (t.from == from && t.event == event) return t.to;
  return std::nullopt;
}

// ---- The creation request ------------------------------------------------------------------

namespace {

// A nested object's problems named under `at` ("debtor.fiscal_code").
void mergeErrors(const Status& s, const std::string& at, JsonFields& f) {
  if (!s)
    for (const FieldError& e : s.error().fields) f.bad(at + "." + e.field, e.message);
}

std::optional<std::string> boundedText(JsonFields& f, const char* key, Need need, std::size_t max) {
  auto v = f.text(key, need, true);
  if (v && v->size() > max) {
    f.bad(key, "massimo " + std::to_string(max) + " caratteri");
    return std::nullopt;
  }
  return v;
}

// Amounts are integer cents only: a float (12.5) or a field named "amount" (euro?) is refused,
// never rounded.
std::optional<std::int64_t> amountCents(const json& obj, JsonFields& f) {
  if (obj.contains("amount"))
    f.bad("amount", "gli importi si indicano in centesimi interi, nel campo amount_cents");
  auto cents = f.integer("amount_cents", Need::kRequired);
  if (cents && (*cents < 1 || *cents > kMaxAmountCents)) {
    f.bad("amount_cents", "importo in centesimi da 1 a " + std::to_string(kMaxAmountCents));
    return std::nullopt;
  }
  return cents;
}

// A date not before today; kBadInput text in `f` otherwise.
std::optional<std::string> futureDate(JsonFields& f, const char* key, Need need,
                                      std::string_view today) {
  auto text = f.text(key, need, true);
  if (!text) return std::nullopt;
  if (auto d = calendar::parseDate(*text, key); !d) {
    f.bad(key, "data nella forma AAAA-MM-GG");
    return std::nullopt;
  }
  if (*text < today) {
    f.bad(key, "la data è già passata");
    return std::nullopt;
  }
  return text;
}

bool isEmailShape(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && s.find('@', at + 1) == std::string_view::npos &&
         s.find('.', at) != std::string_view::npos && s.back() != '.' &&
         std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

Debtor debtorFrom(const json& body, JsonFields& f) {
  Debtor d;
  if (!body.contains("debtor") || !body["debtor"].is_object()) {
    f.bad("debtor", "indicare il debitore: {type, fiscal_code, name, ...}");
    return d;
  }
  JsonFields df(body["debtor"], "debitore");
  // A plain string, not an optional: GCC 12 misreads the optional's lifetime here.
  const std::string type = df.text("type", Need::kRequired, true).value_or("");
  const bool known_type = type == "F" || type == "G";
  if (!type.empty() && !known_type) df.bad("type", "F (persona fisica) o G (persona giuridica)");
  if (known_type) d.type = type[0];
  if (auto cf = df.text("fiscal_code", Need::kRequired, true)) {
    d.fiscal_code = asciiUpper(*cf);
    if (known_type && d.type == 'F') {
      if (auto s = checkPersonalFiscalCode(d.fiscal_code, "fiscal_code"); !s)
        df.bad("fiscal_code", s.error().detail);
    } else if (known_type && !enti::validNumericFiscalCode(d.fiscal_code)) {
      df.bad("fiscal_code",
             "codice fiscale o partita IVA di una persona giuridica: 11 cifre con cifra di "
             "controllo");
    }
  }
  d.name = boundedText(df, "name", Need::kRequired, 70).value_or("");
  // pagoPA's lengths for the debtor's address (ctSubject of paGetPaymentV2).
  d.street = boundedText(df, "street", Need::kOptional, 70);
  d.civic_number = boundedText(df, "civic_number", Need::kOptional, 16);
  d.postal_code = boundedText(df, "postal_code", Need::kOptional, 16);
  d.city = boundedText(df, "city", Need::kOptional, 35);
  for (const char* key : {"province", "country"}) {
    auto v = df.text(key, Need::kOptional, true);
    if (v) {
      *v = asciiUpper(*v);
      if (v->size() != 2 || !isUpper((*v)[0]) || !isUpper((*v)[1])) {
        df.bad(key, "due lettere (ad esempio CR, IT)");
        v.reset();
      }
    }
    (std::string_view(key) == "province" ? d.province : d.country) = v;
  }
  d.email = boundedText(df, "email", Need::kOptional, 256);
  if (d.email && !isEmailShape(*d.email)) {
    df.bad("email", "indirizzo e-mail non valido");
    d.email.reset();
  }
  mergeErrors(df.result(), "debtor", f);
  return d;
}

bool ownIban(const Creditor& c, const std::string& iban) {
  return std::any_of(c.ibans.begin(), c.ibans.end(),
                     [&](const CreditorIban& i) { return i.iban == iban; });
}

std::string primaryIban(const Creditor& c) {
  for (const CreditorIban& i : c.ibans)
    if (i.primary) return i.iban;
  return c.ibans.empty() ? std::string() : c.ibans.front().iban;
}

Transfer transferFrom(const json& item, std::size_t index, const Creditor& creditor,
                      JsonFields& tf) {
  Transfer t;
  t.seq = static_cast<int>(index) + 1;
  t.amount_cents = amountCents(item, tf).value_or(0);
  t.remittance = boundedText(tf, "remittance", Need::kRequired, 140).value_or("");
  if (auto b = tf.text("beneficiary_fiscal_code", Need::kOptional, true)) {
    if (!enti::validNumericFiscalCode(*b))
      tf.bad("beneficiary_fiscal_code", "codice fiscale dell'ente beneficiario: 11 cifre");
    else if (*b != creditor.fiscal_code)
      t.beneficiary_fiscal_code = *b;
  }
  // pagoPA: the first transfer is always the creditor's own (the one that owns the notice).
  if (index == 0 && t.beneficiary_fiscal_code) {
    tf.bad("beneficiary_fiscal_code",
           "il primo versamento è dell'ente creditore: altri beneficiari dal secondo in poi");
    t.beneficiary_fiscal_code.reset();
  }
  auto iban = tf.text("iban", Need::kOptional, true);
  if (!iban) {
    if (t.beneficiary_fiscal_code)
      tf.bad("iban", "indicare l'IBAN dell'ente beneficiario");
    else
      t.iban = primaryIban(creditor);  // the ente's own account when nothing is said
    return t;
  }
  t.iban = normalizeIban(*iban);
  if (auto s = checkIban(t.iban, "iban"); !s)
    tf.bad("iban", s.error().detail);
  else if (!t.beneficiary_fiscal_code && !ownIban(creditor, t.iban))
    tf.bad("iban", "IBAN non presente nella configurazione di creditore dell'ente");
  return t;
}

PaymentOption optionFrom(const json& item, std::size_t index, const Creditor& creditor,
                         std::string_view today, JsonFields& of) {
  PaymentOption o;
  o.seq = static_cast<int>(index) + 1;
  o.amount_cents = amountCents(item, of).value_or(0);
  o.due_date = futureDate(of, "due_date", Need::kRequired, today).value_or("");
  o.instalment = of.boolean("instalment").value_or(false);
  o.description = boundedText(of, "description", Need::kOptional, 140);
  if (!item.contains("transfers") || !item["transfers"].is_array() || item["transfers"].empty() ||
      item["transfers"].size() > kMaxTransfers) {
    of.bad("transfers", "da 1 a " + std::to_string(kMaxTransfers) + " versamenti");
    return o;
  }
  std::int64_t sum = 0;
  bool amounts_known = true;
  for (std::size_t i = 0; i < item["transfers"].size(); ++i) {
    const json& t = item["transfers"][i];
    const std::string at = "transfers[" + std::to_string(i) + "]";
    if (!t.is_object()) {
      of.bad(at, "atteso {amount_cents, iban, remittance, beneficiary_fiscal_code}");
      amounts_known = false;
      continue;
    }
    JsonFields tf(t, "versamento");
    o.transfers.push_back(transferFrom(t, i, creditor, tf));
    amounts_known = amounts_known && o.transfers.back().amount_cents > 0;
    sum += o.transfers.back().amount_cents;
    mergeErrors(tf.result(), at, of);
  }
  // pagoPA refuses an option whose transfers do not add up (PAA_SINTASSI / GPD validation).
  if (amounts_known && o.amount_cents > 0 && sum != o.amount_cents)
    of.bad("transfers", "la somma dei versamenti (" + std::to_string(sum) +
                            " centesimi) differisce dall'importo (" +
                            std::to_string(o.amount_cents) + ")");
  return o;
}

std::vector<PaymentOption> optionsFrom(const json& body, const Creditor& creditor,
                                       std::string_view today, JsonFields& f) {
  std::vector<PaymentOption> out;
  if (!body.contains("options") || !body["options"].is_array() || body["options"].empty() ||
      body["options"].size() > kMaxOptions) {
    f.bad("options", "da 1 a " + std::to_string(kMaxOptions) +
                         " opzioni di pagamento (pagamento unico e/o rate)");
    return out;
  }
  std::size_t singles = 0, instalments = 0;
  for (std::size_t i = 0; i < body["options"].size(); ++i) {
    const json& item = body["options"][i];
    const std::string at = "options[" + std::to_string(i) + "]";
    if (!item.is_object()) {
      f.bad(at, "atteso {amount_cents, due_date, instalment, transfers}");
      continue;
    }
    JsonFields of(item, "opzione di pagamento");
    out.push_back(optionFrom(item, i, creditor, today, of));
    if (out.back().instalment) {
      ++instalments;
    } else if (++singles > 1) {
      of.bad("instalment", "una sola opzione di pagamento unico: le altre sono rate");
    }
    mergeErrors(of.result(), at, f);
  }
  if (instalments == 1)
    f.bad("options", "un piano rateale ha almeno due rate (una rata sola è un pagamento unico)");
  return out;
}

}  // namespace

Result<DebtPosition> positionFromJson(const json& body, const Creditor& creditor,
                                      std::string_view today) {
  JsonFields f(body, "posizione debitoria non valida");
  DebtPosition p;
  p.ente = creditor.ente;
  if (auto ref = boundedText(f, "reference", Need::kRequired, 35)) {
    if (!std::all_of(ref->begin(), ref->end(), [](char c) {
          return isDigit(c) || isUpper(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
                 c == '.' || c == '/';
        }))
      f.bad("reference", "lettere, cifre e . _ - / (il codice della posizione per l'ente)");
    else
      p.reference = *ref;
  }
  p.description = boundedText(f, "description", Need::kRequired, 140).value_or("");
  if (auto code = f.text("service_code", Need::kRequired, true)) {
    if (auto parsed = parseTaxonomyCode(*code, "service_code"); !parsed)
      f.bad("service_code", parsed.error().detail);
    else if (std::none_of(creditor.service_codes.begin(), creditor.service_codes.end(),
                          [&](const ServiceCode& s) { return s.code == *code; }))
      f.bad("service_code", "codice di tassonomia non configurato per l'ente");
    else
      p.service_code = *code;
  }
  p.valid_until = futureDate(f, "valid_until", Need::kOptional, today);
  p.debtor = debtorFrom(body, f);
  p.options = optionsFrom(body, creditor, today, f);
  if (p.valid_until)
    for (const PaymentOption& o : p.options)
      if (!o.due_date.empty() && o.due_date > *p.valid_until) {
        f.bad("valid_until", "precede la scadenza dell'opzione " + std::to_string(o.seq) + " (" +
                                 o.due_date + ")");
        break;
      }
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return p;
}

// ---- JSON ----------------------------------------------------------------------------------

namespace {

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(); }

}  // namespace

json toJson(const Debtor& d) {
  return {{"type", std::string(1, d.type)},
          {"fiscal_code", d.fiscal_code},
          {"name", d.name},
          {"street", opt(d.street)},
          {"civic_number", opt(d.civic_number)},
          {"postal_code", opt(d.postal_code)},
          {"city", opt(d.city)},
          {"province", opt(d.province)},
          {"country", opt(d.country)},
          {"email", opt(d.email)}};
}

json toJson(const PaymentOption& o) {
  json transfers = json::array();
  for (const Transfer& t : o.transfers)
    transfers.push_back({{"seq", t.seq},
                         {"amount_cents", t.amount_cents},
                         {"iban", t.iban},
                         {"remittance", t.remittance},
                         {"beneficiary_fiscal_code", opt(t.beneficiary_fiscal_code)}});
  return {{"id", o.id},
          {"seq", o.seq},
          {"instalment", o.instalment},
          {"amount_cents", o.amount_cents},
          {"due_date", o.due_date},
          {"description", opt(o.description)},
          {"iuv", o.iuv},
          {"notice_number", o.notice_number},
          {"notice_number_printed", formatNoticeNumber(o.notice_number)},
          {"transfers", transfers}};
}

json summaryJson(const DebtPosition& p) {
  return {{"id", p.id},
          {"ente", p.ente},
          {"reference", p.reference},
          {"status", std::string(statusName(p.status))},
          {"debtor", toJson(p.debtor)},
          {"description", p.description},
          {"service_code", p.service_code},
          {"valid_until", opt(p.valid_until)},
          {"invalid_reason", opt(p.invalid_reason)},
          {"amount_cents", p.amount_cents},
          {"options_count", p.options_count},
          {"created_at", p.created_at},
          {"created_by", p.created_by},
          {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

json toJson(const DebtPosition& p) {
  json out = summaryJson(p);
  json options = json::array();
  for (const PaymentOption& o : p.options) options.push_back(toJson(o));
  out["options"] = options;
  json timeline = json::array();
  for (const PositionEventRecord& e : p.timeline)
    timeline.push_back({{"at", e.at},
                        {"actor", e.actor},
                        {"event", e.event},
                        {"from_status", opt(e.from_status)},
                        {"to_status", e.to_status},
                        {"reason", opt(e.reason)}});
  out["timeline"] = timeline;
  return out;
}

std::string iuvBaseOf(std::int64_t n) {
  std::string digits = std::to_string(n);
  if (digits.size() < 13) digits.insert(0, 13 - digits.size(), '0');
  return digits;
}

}  // namespace cst::payments
