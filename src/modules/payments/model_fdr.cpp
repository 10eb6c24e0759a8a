#include "model_fdr.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "common/text.hpp"

namespace cst::embedded {
const std::vector<xml::EmbeddedFile>& paymentsSchemas();
}

namespace cst::payments::fdr {

bool isKnownOutcome(int code) {
  return code == 0 || code == 3 || code == 4 || code == 8 || code == 9;
}

bool isExecuted(int code) { return code == 0 || code == 4 || code == 8 || code == 9; }

std::string outcomeName(int code) {
  switch (code) {
    case 0:
      return "eseguito";
    case 3:
      return "revocato";
    case 4:
      return "eseguito in Stand-In";
    case 8:
      return "eseguito in Stand-In senza ricevuta";
    case 9:
      return "eseguito senza ricevuta";
    default:
      return "codice " + std::to_string(code);
  }
}

std::int64_t Flow::totalCents() const {
  std::int64_t sum = 0;
  for (const FlowRow& r : rows) sum += r.amount_cents;
  return sum;
}

Result<std::shared_ptr<const xml::Schema>> flowSchema() {
  static const Result<std::shared_ptr<const xml::Schema>> schema =
      xml::Schema::compile(embedded::paymentsSchemas(), "FlussoRiversamento_1_0_4.xsd");
  return schema;
}

std::optional<std::int64_t> parseSignedWireAmount(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  auto cents = parseWireAmount(negative ? text.substr(1) : text);
  if (!cents) return std::nullopt;
  return negative ? -*cents : *cents;
}

std::string italianAmount(std::int64_t cents) {
  std::string out = (cents < 0 ? "-" : "") + wireAmount(cents < 0 ? -cents : cents);
  std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

namespace {

tl::unexpected<Error> invalid(const std::string& why) {
  return fail(ErrorCode::kBadInput, "flusso di rendicontazione non valido: " + why);
}

// Surrounding blanks are a pretty-printer's, never part of a code.
std::string trimmed(std::string text) {
  const auto blank = [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  while (!text.empty() && blank(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && blank(text[start])) ++start;
  return text.substr(start);
}

std::string field(const xmlNode* parent, std::string_view name) {
  return trimmed(xml::childText(parent, name));
}

std::optional<std::string> optionalField(const xmlNode* parent, std::string_view name) {
  if (xml::child(parent, name) == nullptr) return std::nullopt;
  return field(parent, name);
}

// xsd:integer and xsd:decimal without fraction, as the schema already checked them ("+2", "02",
// "2.0" are all lexically valid).
std::optional<std::int64_t> integerOf(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    if (text.find_first_not_of('0', dot + 1) != std::string_view::npos) return std::nullopt;
    text = text.substr(0, dot);
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void setText(xmlNode* node, const std::string& text) {
  xmlNodeSetContent(node, reinterpret_cast<const xmlChar*>(xml::escape(text).c_str()));
}

// The two facets the specification outgrew (reference §4.5), relaxed on the parsed document
// before it is validated: any one-digit outcome code becomes 0 (codes 4 and 8 are SACI 3.2's,
// unknown digits are reported per row), a leading '-' of an amount goes (SACI wants revocations
// negative; the XSD's stImporto starts at 0.01). The values were read before.
void relaxKnownDrifts(xmlNode* root) {
  const auto unsign = [](xmlNode* amount) {
    const std::string text = trimmed(xml::text(amount));
    if (amount != nullptr && !text.empty() && text.front() == '-') setText(amount, text.substr(1));
  };
  unsign(xml::child(root, "importoTotalePagamenti"));
  for (xmlNode* row : xml::children(root, "datiSingoliPagamenti")) {
    unsign(xml::child(row, "singoloImportoPagato"));
    xmlNode* outcome = xml::child(row, "codiceEsitoSingoloPagamento");
    const std::string code = trimmed(xml::text(outcome));
    if (outcome != nullptr && code.size() == 1 && code[0] >= '0' && code[0] <= '9')
      setText(outcome, "0");
  }
}

}  // namespace

Result<Flow> parseFlow(std::string_view text) {
  auto doc = xml::parse(text);
  if (!doc) return invalid(doc.error().detail);
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (xml::localName(root) != "FlussoRiversamento" || xml::namespaceOf(root) != kNamespace)
    return invalid("l'elemento principale è " + std::string(xml::localName(root)) +
                   ", atteso FlussoRiversamento (namespace " + kNamespace + ")");

  Flow f;
  f.version = field(root, "versioneOggetto");
  f.flow_id = field(root, "identificativoFlusso");
  f.flow_date_time = field(root, "dataOraFlusso");
  f.settlement_ref = field(root, "identificativoUnivocoRegolamento");
  f.settlement_date = field(root, "dataRegolamento");
  const xmlNode* sender = xml::child(root, "istitutoMittente");
  const xmlNode* sender_id = xml::child(sender, "identificativoUnivocoMittente");
  const std::string sender_type = field(sender_id, "tipoIdentificativoUnivoco");
  f.psp_id_type = sender_type.empty() ? 'B' : sender_type[0];
  f.psp_id = field(sender_id, "codiceIdentificativoUnivoco");
  f.psp_name = optionalField(sender, "denominazioneMittente");
  f.bic = optionalField(root, "codiceBicBancaDiRiversamento");
  const xmlNode* receiver = xml::child(root, "istitutoRicevente");
  f.receiver_fiscal_code =
      field(xml::child(receiver, "identificativoUnivocoRicevente"), "codiceIdentificativoUnivoco");
  f.receiver_name = optionalField(receiver, "denominazioneRicevente");
  const std::string declared_count = field(root, "numeroTotalePagamenti");
  const std::string declared_total = field(root, "importoTotalePagamenti");

  struct RawRow {
    std::string index, amount, outcome;
  };
  std::vector<RawRow> raw;
  for (const xmlNode* node : xml::children(root, "datiSingoliPagamenti")) {
    FlowRow r;
    r.seq = static_cast<int>(f.rows.size()) + 1;
    r.iuv = field(node, "identificativoUnivocoVersamento");
    r.iur = field(node, "identificativoUnivocoRiscossione");
    r.outcome_date = field(node, "dataEsitoSingoloPagamento");
    f.rows.push_back(std::move(r));
    raw.push_back({field(node, "indiceDatiSingoloPagamento"), field(node, "singoloImportoPagato"),
                   field(node, "codiceEsitoSingoloPagamento")});
  }

  relaxKnownDrifts(root);
  auto schema = flowSchema();
  if (!schema) return tl::unexpected(schema.error());
  if (auto valid = (*schema)->validate(doc->get()); !valid) return invalid(valid.error().detail);

  // Valid: what follows cannot fail on a flow the schema accepted, but is checked all the same
  // rather than trusted (the relaxed facets above are ours to check).
  const auto count = integerOf(declared_count);
  const auto total = parseSignedWireAmount(declared_total);
  if (!count || !total)
    return invalid("numeroTotalePagamenti o importoTotalePagamenti illeggibile");
  f.declared_count = *count;
  f.declared_total_cents = *total;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    FlowRow& r = f.rows[i];
    const std::string where = "pagamento " + std::to_string(r.seq) + ": ";
    if (!raw[i].index.empty()) {
      const auto index = integerOf(raw[i].index);
      if (!index) return invalid(where + "indiceDatiSingoloPagamento illeggibile");
      r.transfer_index = static_cast<int>(*index);
    }
    const auto amount = parseSignedWireAmount(raw[i].amount);
    if (!amount) return invalid(where + "singoloImportoPagato " + raw[i].amount + " illeggibile");
    r.amount_cents = *amount;
    if (raw[i].outcome.size() != 1)
      return invalid(where + "codiceEsitoSingoloPagamento illeggibile");
    r.outcome_code = raw[i].outcome[0] - '0';
  }
  return f;
}

// ---- Anomalies
// ------------------------------------------------------------------------------------

nlohmann::json toJson(const Anomaly& a) { return {{"code", a.code}, {"message", a.message}}; }

std::vector<Anomaly> flowAnomalies(const Flow& f) {
  std::vector<Anomaly> out;
  if (static_cast<std::int64_t>(f.rows.size()) != f.declared_count)
    out.push_back({anomaly::kCountMismatch, "il flusso contiene " + std::to_string(f.rows.size()) +
                                                " pagamenti ma ne dichiara " +
                                                std::to_string(f.declared_count) +
                                                " (numeroTotalePagamenti)"});
  if (f.totalCents() != f.declared_total_cents)
    out.push_back({anomaly::kTotalMismatch,
                   "la somma degli importi (" + italianAmount(f.totalCents()) +
                       " euro) è diversa dal totale dichiarato (" +
                       italianAmount(f.declared_total_cents) + " euro, importoTotalePagamenti)"});
  return out;
}

std::string_view rowStateName(RowState s) {
  switch (s) {
    case RowState::kOk:
      return "OK";
    case RowState::kAnomalous:
      return "ANOMALOUS";
    case RowState::kOtherIntermediary:
      return "OTHER_INTERMEDIARY";
  }
  return "OK";
}

std::optional<RowState> parseRowState(std::string_view text) {
  for (RowState s : {RowState::kOk, RowState::kAnomalous, RowState::kOtherIntermediary})
    if (rowStateName(s) == text) return s;
  return std::nullopt;
}

bool isOwnIuv(std::string_view iuv, std::string_view segregation_code) {
  return iuv.size() == 17 && iuv.find_first_not_of("0123456789") == std::string_view::npos &&
         iuv.substr(0, segregation_code.size()) == segregation_code;
}

RowVerdict judgeRow(const FlowRow& row, const std::string& receiver_fiscal_code,
                    const RowEvidence& e) {
  RowVerdict v;
  v.receipt_id = e.receipt ? std::optional(e.receipt->id) : std::nullopt;
  v.position_id = e.receipt ? e.receipt->position_id : e.position_id;
  const auto anomalous = [&v](const char* code, std::string message) {
    v.state = RowState::kAnomalous;
    v.anomaly = Anomaly{code, std::move(message)};
    return v;
  };
  const std::string amount = italianAmount(row.amount_cents) + " euro";
  if (e.duplicate_of)
    return anomalous(anomaly::kDuplicate,
                     "pagamento ripetuto: stessi IUV, IUR e indice del pagamento " +
                         std::to_string(*e.duplicate_of) + " di questo flusso");
  if (!isKnownOutcome(row.outcome_code))
    return anomalous(anomaly::kUnknownOutcome, "codice esito " + std::to_string(row.outcome_code) +
                                                   " sconosciuto (sono ammessi 0, 3, 4, 8 e 9)");
  const bool without_receipt = row.outcome_code == 8 || row.outcome_code == 9;
  if (e.receipt) {
    const auto& transfers = e.receipt->transfers;
    const auto t = std::find_if(transfers.begin(), transfers.end(), [&](const ReceiptTransfer& x) {
      return x.id == row.transfer_index;
    });
    if (t == transfers.end())
      return anomalous(anomaly::kPaymentUnknown, "la ricevuta " + row.iur +
                                                     " non ha il versamento con indice " +
                                                     std::to_string(row.transfer_index));
    if (t->fiscal_code != receiver_fiscal_code)
      return anomalous(anomaly::kOtherReceiver,
                       "il versamento " + std::to_string(row.transfer_index) +
                           " della ricevuta è a favore di un altro ente (" + t->fiscal_code +
                           "), non del destinatario del flusso");
    const std::string paid = italianAmount(t->amount_cents) + " euro";
    if (row.outcome_code == kRevoked) {
      if (std::llabs(row.amount_cents) != t->amount_cents)
        return anomalous(anomaly::kRevokedMismatch,
                         "importo revocato " + amount + " diverso da quello pagato " + paid);
      return v;
    }
    if (row.amount_cents != t->amount_cents)
      return anomalous(anomaly::kAmountMismatch,
                       "importo rendicontato " + amount + " diverso da quello pagato " + paid);
    if (e.reported_in)
      return anomalous(anomaly::kDuplicate, "pagamento già rendicontato nel flusso " +
                                                *e.reported_in + ": accreditato due volte?");
    return v;
  }
  if (!e.own_iuv) {
    // GovPay's ALTRO_INTERMEDIARIO: the creditor's money, collected through another
    // intermediary's notice; that intermediary reconciles it.
    v.state = RowState::kOtherIntermediary;
    return v;
  }
  if (without_receipt && !e.position_id)
    return anomalous(anomaly::kNoReceiptUnknown,
                     "pagamento " + outcomeName(row.outcome_code) +
                         " per uno IUV sconosciuto: nessuna posizione ha questo IUV");
  if (without_receipt)
    return anomalous(anomaly::kPaymentUnknown,
                     "pagamento senza ricevuta (" + outcomeName(row.outcome_code) +
                         "): la posizione esiste, recuperare la ricevuta dal nodo pagoPA");
  if (row.outcome_code == kRevoked)
    return anomalous(anomaly::kPaymentUnknown,
                     "revoca (" + amount + ") di un pagamento di cui non c'è la ricevuta");
  if (e.position_id)
    return anomalous(anomaly::kPaymentUnknown,
                     "ricevuta mancante: la posizione esiste ma la ricevuta di questo pagamento "
                     "non è arrivata; recuperarla dal nodo pagoPA");
  return anomalous(anomaly::kPaymentUnknown,
                   "IUV sconosciuto: nessuna posizione e nessuna ricevuta con questo IUV");
}

// ---- Stored flows
// ---------------------------------------------------------------------------------

std::string_view flowStateName(FlowState s) {
  return s == FlowState::kAnomalous ? "ANOMALOUS" : "ACQUIRED";
}

namespace {

nlohmann::json optionalJson(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json optionalJson(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json toJson(const StoredRow& s) {
  const FlowRow& r = s.row;
  return {{"id", s.id},
          {"seq", r.seq},
          {"iuv", r.iuv},
          {"iur", r.iur},
          {"transfer_index", r.transfer_index},
          {"amount_cents", r.amount_cents},
          {"outcome_code", r.outcome_code},
          {"outcome", outcomeName(r.outcome_code)},
          {"outcome_date", r.outcome_date},
          {"state", std::string(rowStateName(s.verdict.state))},
          {"anomaly", s.verdict.anomaly ? toJson(*s.verdict.anomaly) : nlohmann::json(nullptr)},
          {"receipt_id", optionalJson(s.verdict.receipt_id)},
          {"position_id", optionalJson(s.verdict.position_id)}};
}

nlohmann::json toJson(const StoredFlow& s, bool rows) {
  const Flow& f = s.flow;
  nlohmann::json anomalies = nlohmann::json::array();
  for (const Anomaly& a : s.anomalies) anomalies.push_back(toJson(a));
  nlohmann::json j{
      {"id", s.id},
      {"ente", s.ente},
      {"flow_id", f.flow_id},
      {"flow_date_time", f.flow_date_time},
      {"settlement_ref", f.settlement_ref},
      {"settlement_date", f.settlement_date},
      {"psp",
       {{"id", f.psp_id},
        {"id_type", std::string(1, f.psp_id_type)},
        {"name", optionalJson(f.psp_name)}}},
      {"bic", optionalJson(f.bic)},
      {"receiver",
       {{"fiscal_code", f.receiver_fiscal_code}, {"name", optionalJson(f.receiver_name)}}},
      {"declared_count", f.declared_count},
      {"declared_total_cents", f.declared_total_cents},
      {"rows_count", s.rows_count},
      {"total_cents", s.total_cents},
      {"rows_ok", s.rows_ok},
      {"rows_anomalous", s.rows_anomalous},
      {"rows_other_intermediary", s.rows_other},
      {"positions_reported", s.positions_reported},
      {"state", std::string(flowStateName(s.state))},
      {"anomalies", anomalies},
      {"superseded_by", optionalJson(s.superseded_by)},
      {"current", !s.superseded_by},
      {"xml_sha256", s.xml_sha256},
      {"imported_at", s.imported_at},
      {"imported_by", s.imported_by}};
  if (rows) {
    nlohmann::json list = nlohmann::json::array();
    for (const StoredRow& r : s.rows) list.push_back(toJson(r));
    j["rows"] = std::move(list);
  }
  return j;
}

// ---- Accounting export ------------------------------------------------------------------------

std::string exportCsv(const std::vector<ExportLine>& lines) {
  std::string out = spreadsheetCsvHeader({"data_regolamento", "identificativo_flusso", "iuv", "iur",
                                          "indice", "importo", "codice_fiscale_debitore", "causale",
                                          "tassonomia", "esito", "stato"});
  for (const ExportLine& l : lines) {
    std::string state = l.state == RowState::kOk                  ? "riconciliato"
                        : l.state == RowState::kOtherIntermediary ? "altro intermediario"
                                                                  : "anomalia";
    if (l.state == RowState::kAnomalous && l.anomaly_code) state += " " + *l.anomaly_code;
    out += csvRecord({l.settlement_date, l.flow_id, l.iuv, l.iur, std::to_string(l.transfer_index),
                      italianAmount(l.amount_cents), l.debtor_fiscal_code, l.remittance, l.category,
                      outcomeName(l.outcome_code), state},
                     ';');
  }
  return out;
}

}  // namespace cst::payments::fdr
