// The tax roll's CSV: records, columns, cells, the request of each position, the report.
#include "import_csv.hpp"

#include <algorithm>
#include <charconv>

#include "calendar/calendar.hpp"
#include "common/text.hpp"
#include "model_position.hpp"

namespace cst::payments::roll {

using nlohmann::json;

// ---- CSV records ---------------------------------------------------------------------------

namespace {

constexpr int kEnd = std::char_traits<char>::eof();

// Where a record parser reads from: the stream itself, or the header line read ahead of it
// (the separator is chosen from that line before it is split).
struct StreamSource {
  std::streambuf& in;
  int get() { return in.sbumpc(); }
  int peek() { return in.sgetc(); }
};
struct TextSource {
  std::string_view text;
  std::size_t at = 0;
  int get() { return at < text.size() ? static_cast<unsigned char>(text[at++]) : kEnd; }
  int peek() const { return at < text.size() ? static_cast<unsigned char>(text[at]) : kEnd; }
};

std::string lineField(int line) { return "riga " + std::to_string(line); }

Error tooLong(int line) {
  return Error::badInput(lineField(line),
                         "riga " + std::to_string(line) + ": più di " +
                             std::to_string(kMaxRecordBytes) +
                             " caratteri in un solo record (virgolette non chiuse?): il resto del "
                             "file non si può leggere");
}

// One record from `src`, counting physical lines in `line` / `at_line_start`. nullopt when the
// source is at its end before the record starts.
template <class Source>
Result<std::optional<CsvRecord>> parseRecord(Source& src, char separator, int& line,
                                             bool& at_line_start) {
  CsvRecord record;
  record.line = line;
  record.fields.emplace_back();
  std::size_t bytes = 0;
  bool consumed = false;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted and its closing quote was read
  int quote_line = line;    // where the open quote is, for the error
  const auto newline = [&](int c) {
    if (c == '\r' && src.peek() == '\n') src.get();
    ++line;
    at_line_start = true;
  };
  for (;;) {
    const int c = src.get();
    if (c == kEnd) {
      if (quoted)
        return failField(lineField(quote_line),
                         "virgolette aperte alla riga " + std::to_string(quote_line) +
                             " e mai chiuse: il resto del file non si può leggere");
      if (!consumed) return std::optional<CsvRecord>{};
      break;
    }
    consumed = true;
    if (++bytes > kMaxRecordBytes) return tl::unexpected(tooLong(record.line));
    std::string& field = record.fields.back();
    if (quoted) {
      if (c == '"') {
        if (src.peek() == '"') {
          src.get();
          field += '"';
        } else {
          quoted = false;
          was_quoted = true;
        }
      } else if (c == '\r' || c == '\n') {
        newline(c);
        field += '\n';
      } else {
        at_line_start = false;
        field += static_cast<char>(c);
      }
      continue;
    }
    if (c == '\r' || c == '\n') {
      newline(c);
      break;
    }
    at_line_start = false;
    if (c == separator) {
      record.fields.emplace_back();
      was_quoted = false;
      continue;
    }
    // A quote opens a quoted field only at its start (after spaces, which are dropped).
    if (c == '"' && !was_quoted &&
        std::all_of(field.begin(), field.end(), [](char f) { return f == ' ' || f == '\t'; })) {
      field.clear();
      quoted = true;
      quote_line = line;
      continue;
    }
    if (was_quoted) {
      if (c == ' ' || c == '\t') continue;
      if (!record.stray_quote_field) record.stray_quote_field = record.fields.size() - 1;
    }
    field += static_cast<char>(c);
  }
  return std::optional<CsvRecord>(std::move(record));
}

}  // namespace

int CsvReader::get() { return in_.sbumpc(); }
int CsvReader::peek() { return in_.sgetc(); }

Result<CsvRecord> CsvReader::header() {
  // The header line as written, up to its end outside quotes, to choose the separator.
  std::string raw;
  bool quoted = false;
  for (int c = peek(); c != kEnd; c = peek()) {
    if (!quoted && (c == '\r' || c == '\n')) break;
    if (c == '"') quoted = !quoted;
    raw += static_cast<char>(get());
    if (raw.size() > kMaxRecordBytes) return tl::unexpected(tooLong(1));
  }
  const auto starts = [&](std::string_view prefix) { return raw.rfind(prefix, 0) == 0; };
  if (starts("\xFF\xFE") || starts("\xFE\xFF"))
    return failField("file", "file in UTF-16: salvarlo come «CSV UTF-8» e ripetere l'importazione");
  if (starts("PK\x03\x04") || starts("\xD0\xCF\x11\xE0"))
    return failField("file",
                     "è una cartella di lavoro di Excel, non un CSV: salvarla come «CSV UTF-8 "
                     "(delimitato da virgole)» e ripetere l'importazione");
  if (starts("\xEF\xBB\xBF")) raw.erase(0, 3);
  std::size_t semicolons = 0, commas = 0;
  quoted = false;
  for (char c : raw) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == ';') ++semicolons;
    if (!quoted && c == ',') ++commas;
  }
  separator_ = commas > semicolons ? ',' : ';';
  TextSource text{raw};
  bool unused = false;
  auto record = parseRecord(text, separator_, line_, unused);
  if (!record) return tl::unexpected(record.error());
  if (!*record) return failField("file", "il file è vuoto");
  // The line break that ends the header, left in the stream above.
  at_line_start_ = false;
  if (const int c = peek(); c == '\r' || c == '\n') {
    get();
    if (c == '\r' && peek() == '\n') get();
    ++line_;
    at_line_start_ = true;
  }
  return std::move(**record);
}

Result<std::optional<CsvRecord>> CsvReader::next() {
  StreamSource source{in_};
  return parseRecord(source, separator_, line_, at_line_start_);
}

// ---- Columns -------------------------------------------------------------------------------

namespace {

struct ColumnInfo {
  std::string_view name;
  bool required;
  bool per_position;
};
// In the order of Column.
constexpr std::array<ColumnInfo, kColumnCount> kColumns{{
    {"codice", true, true},        {"descrizione", true, true},    {"tassonomia", true, true},
    {"tipo_debitore", true, true}, {"codice_fiscale", true, true}, {"nominativo", true, true},
    {"indirizzo", false, true},    {"civico", false, true},        {"cap", false, true},
    {"comune", false, true},       {"provincia", false, true},     {"nazione", false, true},
    {"email", false, true},        {"importo", true, false},       {"scadenza", true, false},
    {"rata", false, false},        {"valida_fino", false, true},   {"causale", false, false},
    {"iban", false, false},
}};

const ColumnInfo& info(Column c) { return kColumns[static_cast<std::size_t>(c)]; }

std::string trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string headerKey(std::string_view raw) {
  std::string key = trim(raw);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
  }
  return key;
}

std::string allColumnNames() {
  std::string out;
  for (const ColumnInfo& c : kColumns) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

}  // namespace

std::string_view columnName(Column c) { return info(c).name; }
bool isRequired(Column c) { return info(c).required; }
bool isPerPosition(Column c) { return info(c).per_position; }

Result<Layout> layoutOf(const std::vector<std::string>& header) {
  Layout layout;
  layout.width = header.size();
  Error e = Error::make(ErrorCode::kBadInput, "");
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string key = headerKey(validUtf8(header[i]));
    if (key.empty()) {
      e.fields.push_back({"colonna " + std::to_string(i + 1),
                          "colonna senza nome nell'intestazione: darle un nome o toglierla"});
      continue;
    }
    const auto found = std::find_if(kColumns.begin(), kColumns.end(),
                                    [&](const ColumnInfo& c) { return c.name == key; });
    if (found == kColumns.end()) {
      e.fields.push_back({trim(validUtf8(header[i])),
                          "colonna sconosciuta; le colonne sono: " + allColumnNames()});
      continue;
    }
    auto& slot = layout.index[static_cast<std::size_t>(found - kColumns.begin())];
    if (slot) {
      e.fields.push_back({key, "colonna ripetuta nell'intestazione"});
      continue;
    }
    slot = i;
  }
  for (std::size_t c = 0; c < kColumnCount; ++c)
    if (kColumns[c].required && !layout.index[c])
      e.fields.push_back({std::string(kColumns[c].name), "colonna obbligatoria mancante"});
  if (e.fields.empty()) return layout;
  e.detail = "intestazione del file non valida: " + e.fields.front().field + ": " +
             e.fields.front().message;
  if (e.fields.size() > 1)
    e.detail += " (e altri " + std::to_string(e.fields.size() - 1) + " problemi)";
  return tl::unexpected(std::move(e));
}

// ---- Cells ---------------------------------------------------------------------------------

Result<std::int64_t> parseEuroCents(std::string_view text, const std::string& field) {
  const std::string example = " (ad esempio 1234,56 o 1234.56)";
  if (!text.empty() && (text.front() == '-' || text.front() == '+'))
    return failField(field, "importo con segno: indicare la somma dovuta, maggiore di zero");
  const std::size_t separators = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return c == ',' || c == '.'; }));
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ',' || c == '.';
      }))
    return failField(field, "importo in euro: solo cifre e la virgola dei centesimi" + example);
  if (separators > 1)
    return failField(
        field,
        "un solo separatore, quello dei centesimi, senza separatore delle migliaia" + example);
  const std::size_t sep = text.find_first_of(",.");
  const std::string_view whole = text.substr(0, sep);
  const std::string_view fraction =
      sep == std::string_view::npos ? std::string_view() : text.substr(sep + 1);
  if (whole.empty()) return failField(field, "mancano gli euro prima della virgola" + example);
  if (sep != std::string_view::npos && fraction.empty())
    return failField(field, "mancano i centesimi dopo la virgola" + example);
  if (fraction.size() == 3)
    return failField(field, "«" + std::string(text) +
                                "» è ambiguo: separatore delle migliaia o tre decimali? Scrivere "
                                "l'importo senza separatore delle migliaia e con al più due "
                                "decimali" +
                                example);
  if (fraction.size() > 2) return failField(field, "al più due decimali (i centesimi)" + example);
  const std::string_view significant =
      whole.substr(std::min(whole.find_first_not_of('0'), whole.size()));
  // The node's limit: 99,999,999,999 cents, so nine digits of euro.
  if (significant.size() > 9)
    return failField(field, "importo oltre il massimo di 999999999,99 euro");
  std::int64_t euro = 0;
  std::from_chars(significant.data(), significant.data() + significant.size(), euro);
  std::int64_t cents = 0;
  if (!fraction.empty())
    cents = (fraction[0] - '0') * 10 + (fraction.size() == 2 ? fraction[1] - '0' : 0);
  const std::int64_t total = euro * 100 + cents;
  if (total == 0) return failField(field, "l'importo deve essere maggiore di zero");
  return total;
}

Result<std::string> parseRollDate(std::string_view text, const std::string& field) {
  const auto isDigits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string iso;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    iso = std::string(text);
  } else if (const auto a = text.find('/'), b = text.rfind('/');
             a != std::string_view::npos && b != a) {
    const std::string_view day = text.substr(0, a), month = text.substr(a + 1, b - a - 1),
                           year = text.substr(b + 1);
    if (isDigits(day) && day.size() <= 2 && isDigits(month) && month.size() <= 2 &&
        isDigits(year) && year.size() == 4)
      iso = std::string(year) + "-" + (month.size() == 1 ? "0" : "") + std::string(month) + "-" +
            (day.size() == 1 ? "0" : "") + std::string(day);
  }
  if (iso.empty() || !isDigits(iso.substr(0, 4)) || !isDigits(iso.substr(5, 2)) ||
      !isDigits(iso.substr(8, 2)))
    return failField(field, "data nella forma GG/MM/AAAA (o AAAA-MM-GG)");
  if (!calendar::parseDate(iso, field))
    return failField(field, "«" + std::string(text) + "» non è una data del calendario");
  return iso;
}

// ---- Rows ----------------------------------------------------------------------------------

bool isBlank(const CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return trim(f).empty(); });
}

ReadRow readRow(const CsvRecord& record, const Layout& layout) {
  ReadRow out;
  out.row.line = record.line;
  if (record.fields.size() != layout.width)
    out.errors.push_back({record.line, "", "",
                          "la riga ha " + std::to_string(record.fields.size()) +
                              " campi invece dei " + std::to_string(layout.width) +
                              " dell'intestazione: controllare separatori e virgolette"});
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    const auto& at = layout.index[c];
    if (!at || *at >= record.fields.size()) continue;
    std::string value = trim(record.fields[*at]);
    if (!isValidUtf8(value)) {
      out.errors.push_back({record.line, std::string(kColumns[c].name), "",
                            "testo non in UTF-8 (lettere accentate illeggibili): salvare il file "
                            "come «CSV UTF-8»"});
      continue;
    }
    if (record.stray_quote_field == *at)
      out.errors.push_back({record.line, std::string(kColumns[c].name), "",
                            "testo dopo le virgolette che chiudono il campo: raddoppiare le "
                            "virgolette interne (\"\")"});
    out.row.cells[c] = std::move(value);
  }
  return out;
}

// ---- The request of a position -------------------------------------------------------------

namespace {

// The creation request's field each position-level column fills.
struct FieldColumn {
  std::string_view field;
  Column column;
};
constexpr std::array<FieldColumn, 16> kPositionFields{{
    {"reference", Column::kCodice},
    {"description", Column::kDescrizione},
    {"service_code", Column::kTassonomia},
    {"valid_until", Column::kValidaFino},
    {"debtor", Column::kCodiceFiscale},
    {"debtor.type", Column::kTipoDebitore},
    {"debtor.fiscal_code", Column::kCodiceFiscale},
    {"debtor.name", Column::kNominativo},
    {"debtor.street", Column::kIndirizzo},
    {"debtor.civic_number", Column::kCivico},
    {"debtor.postal_code", Column::kCap},
    {"debtor.city", Column::kComune},
    {"debtor.province", Column::kProvincia},
    {"debtor.country", Column::kNazione},
    {"debtor.email", Column::kEmail},
    // The plan as a whole (a single instalment, too many options).
    {"options", Column::kRata},
}};
// And each option-level one, under options[i].
constexpr std::array<FieldColumn, 8> kOptionFields{{
    {"amount_cents", Column::kImporto},
    {"due_date", Column::kScadenza},
    {"instalment", Column::kRata},
    {"transfers", Column::kImporto},
    {"transfers[0].amount_cents", Column::kImporto},
    {"transfers[0].remittance", Column::kCausale},
    {"transfers[0].iban", Column::kIban},
    {"transfers[0]", Column::kImporto},
}};

std::optional<Column> columnOf(std::string_view field, const auto& table) {
  for (const FieldColumn& f : table)
    if (f.field == field) return f.column;
  return std::nullopt;
}

RowError cellError(int line, Column c, const Error& e) {
  return {line, std::string(columnName(c)), "", e.fields.empty() ? e.detail : e.fields[0].message};
}

}  // namespace

PositionRequest positionRequest(const std::vector<RollRow>& rows, const Layout& layout) {
  PositionRequest out;
  json& body = out.body;
  const RollRow& first = rows.front();
  const auto put = [&](json& obj, const char* key, Column c) {
    if (!first.cell(c).empty()) obj[key] = first.cell(c);
  };
  put(body, "reference", Column::kCodice);
  put(body, "description", Column::kDescrizione);
  put(body, "service_code", Column::kTassonomia);
  if (const std::string& v = first.cell(Column::kValidaFino); !v.empty()) {
    auto date = parseRollDate(v, "valid_until");
    if (date)
      body["valid_until"] = *date;
    else
      out.errors.push_back(cellError(first.line, Column::kValidaFino, date.error()));
  }
  json debtor = json::object();
  if (const std::string& type = first.cell(Column::kTipoDebitore); !type.empty())
    debtor["type"] = asciiUpper(type);
  put(debtor, "fiscal_code", Column::kCodiceFiscale);
  put(debtor, "name", Column::kNominativo);
  put(debtor, "street", Column::kIndirizzo);
  put(debtor, "civic_number", Column::kCivico);
  put(debtor, "postal_code", Column::kCap);
  put(debtor, "city", Column::kComune);
  put(debtor, "province", Column::kProvincia);
  put(debtor, "country", Column::kNazione);
  put(debtor, "email", Column::kEmail);
  body["debtor"] = std::move(debtor);

  // The rows of a plan describe one position: a per-position cell is repeated or left empty.
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      const Column col = static_cast<Column>(c);
      if (!isPerPosition(col) || !layout.has(col)) continue;
      const std::string& v = rows[i].cells[c];
      if (!v.empty() && v != first.cells[c])
        out.errors.push_back({rows[i].line, std::string(columnName(col)), "",
                              "diverso dalla riga " + std::to_string(first.line) +
                                  ", la prima della posizione " + first.cell(Column::kCodice) +
                                  ": le righe di una posizione ripetono i suoi dati o li lasciano "
                                  "vuoti"});
    }

  json options = json::array();
  int next_instalment = 1;
  for (const RollRow& row : rows) {
    json option = json::object();
    json transfer = json::object();
    if (const std::string& v = row.cell(Column::kImporto); !v.empty()) {
      auto cents = parseEuroCents(v, "importo");
      if (cents) {
        option["amount_cents"] = *cents;
        transfer["amount_cents"] = *cents;
      } else {
        out.errors.push_back(cellError(row.line, Column::kImporto, cents.error()));
      }
    }
    if (const std::string& v = row.cell(Column::kScadenza); !v.empty()) {
      auto date = parseRollDate(v, "scadenza");
      if (date)
        option["due_date"] = *date;
      else
        out.errors.push_back(cellError(row.line, Column::kScadenza, date.error()));
    }
    option["instalment"] = false;
    if (const std::string& v = row.cell(Column::kRata); !v.empty()) {
      option["instalment"] = true;
      int n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n < 1 ||
          n > static_cast<int>(kMaxOptions)) {
        out.errors.push_back({row.line, std::string(columnName(Column::kRata)), "",
                              "numero della rata da 1 a " + std::to_string(kMaxOptions) +
                                  "; vuoto per il pagamento in un'unica soluzione"});
      } else if (n != next_instalment) {
        out.errors.push_back({row.line, std::string(columnName(Column::kRata)), "",
                              "rata " + v + " fuori ordine: attesa la rata " +
                                  std::to_string(next_instalment) +
                                  " (le rate di una posizione stanno in righe consecutive, "
                                  "numerate 1, 2, 3…)"});
        next_instalment = n + 1;
      } else {
        ++next_instalment;
      }
    }
    // One transfer, to the ente itself: the remittance is the description unless given.
    const std::string& remittance = row.cell(Column::kCausale).empty()
                                        ? first.cell(Column::kDescrizione)
                                        : row.cell(Column::kCausale);
    if (!remittance.empty()) transfer["remittance"] = remittance;
    if (const std::string& v = row.cell(Column::kIban); !v.empty()) transfer["iban"] = v;
    option["transfers"] = json::array({std::move(transfer)});
    options.push_back(std::move(option));
  }
  body["options"] = std::move(options);
  return out;
}

RowError locate(const FieldError& e, const std::vector<RollRow>& rows) {
  RowError out{rows.front().line, "", e.field, e.message};
  std::optional<Column> column = columnOf(e.field, kPositionFields);
  constexpr std::string_view kOptions = "options[";
  if (!column && e.field.rfind(kOptions, 0) == 0) {
    const std::size_t close = std::min(e.field.find(']'), e.field.size());
    std::size_t index = 0;
    const auto [end, ec] =
        std::from_chars(e.field.data() + kOptions.size(), e.field.data() + close, index);
    if (close < e.field.size() && end == e.field.data() + close && ec == std::errc() &&
        index < rows.size()) {
      out.line = rows[index].line;
      if (close + 1 < e.field.size() && e.field[close + 1] == '.')
        column = columnOf(std::string_view(e.field).substr(close + 2), kOptionFields);
      // Without a causale the remittance is the description: a problem with it is the
      // description's, on the position's first line.
      if (column == Column::kCausale && rows[index].cell(Column::kCausale).empty()) {
        column = Column::kDescrizione;
        out.line = rows.front().line;
      }
    }
  }
  if (column) out.column = std::string(columnName(*column));
  return out;
}

// ---- Positions -----------------------------------------------------------------------------

CheckedPosition checkPosition(const PositionRows& group, const Layout& layout,
                              const Creditor& creditor, std::string_view today) {
  CheckedPosition out;
  const std::vector<RollRow>& rows = group.rows;
  PositionRequest request = positionRequest(rows, layout);
  out.errors = group.errors;
  out.errors.insert(out.errors.end(), request.errors.begin(), request.errors.end());
  const auto reported = [&](const RowError& e) {
    return std::any_of(out.errors.begin(), out.errors.end(), [&](const RowError& r) {
      return r.line == e.line && (r.column == e.column || r.column.empty());
    });
  };
  auto position = positionFromJson(request.body, creditor, today);
  if (!position) {
    std::vector<RowError> api;
    for (const FieldError& f : position.error().fields) {
      RowError e = locate(f, rows);
      const bool repeated = std::any_of(api.begin(), api.end(), [&](const RowError& a) {
        return a.line == e.line && a.column == e.column && a.message == e.message;
      });
      if (!reported(e) && !repeated) api.push_back(std::move(e));
    }
    out.errors.insert(out.errors.end(), api.begin(), api.end());
    // Refused without a field to name (not expected from positionFromJson): still reported.
    if (api.empty() && out.errors.empty())
      out.errors.push_back({rows.front().line, "", "", position.error().detail});
  }
  if (out.errors.empty() && group.dropped_lines.empty()) {
    out.position = std::move(*position);
    return out;
  }
  out.errors = refusal(group, std::move(out.errors));
  return out;
}

std::vector<RowError> refusal(const PositionRows& group, std::vector<RowError> errors) {
  const std::vector<RollRow>& rows = group.rows;
  const std::string& codice = rows.front().cell(Column::kCodice);
  const std::string column(columnName(Column::kCodice));
  const std::size_t own = errors.size();
  const auto hasOwn = [&](int line) {
    return std::any_of(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(own),
                       [&](const RowError& e) { return e.line == line; });
  };
  for (const RollRow& r : rows)
    if (!hasOwn(r.line))
      errors.push_back({r.line, column, "",
                        "scartata con la posizione " + codice + ", che ha errori in altre righe"});
  for (int line : group.dropped_lines)
    errors.push_back({line, column, "",
                      "oltre le " + std::to_string(kMaxOptions) +
                          " opzioni di pagamento di una posizione: scartata con la posizione " +
                          codice});
  std::stable_sort(errors.begin(), errors.end(),
                   [](const RowError& a, const RowError& b) { return a.line < b.line; });
  return errors;
}

Status RollReader::start() {
  auto header = csv_.header();
  if (!header) return tl::unexpected(header.error());
  auto layout = layoutOf(header->fields);
  if (!layout) return tl::unexpected(layout.error());
  layout_ = *layout;
  return {};
}

Result<std::optional<ReadRow>> RollReader::nextRow() {
  for (;;) {
    auto record = csv_.next();
    if (!record) return tl::unexpected(record.error());
    if (!*record) return std::optional<ReadRow>{};
    if (isBlank(**record)) continue;
    if (++rows_ > kMaxRows)
      return fail(ErrorCode::kTooLarge, "il file ha più di " + std::to_string(kMaxRows) +
                                            " righe di dati: dividerlo in più file");
    return std::optional<ReadRow>(readRow(**record, layout_));
  }
}

Result<std::optional<PositionRows>> RollReader::next() {
  if (!ahead_) {
    auto row = nextRow();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::optional<PositionRows>{};
    ahead_ = std::move(**row);
  }
  PositionRows group;
  const std::string codice = ahead_->row.cell(Column::kCodice);
  const int first_line = ahead_->row.line;
  const auto take = [&](ReadRow&& r) {
    group.errors.insert(group.errors.end(), r.errors.begin(), r.errors.end());
    if (group.rows.size() <= kMaxOptions)
      group.rows.push_back(std::move(r.row));
    else
      group.dropped_lines.push_back(r.row.line);
  };
  take(std::move(*ahead_));
  ahead_.reset();
  // An empty codice joins nothing: positionFromJson reports it on its own line.
  while (!codice.empty()) {
    auto row = nextRow();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    if ((*row)->row.cell(Column::kCodice) != codice) {
      ahead_ = std::move(**row);
      break;
    }
    take(std::move(**row));
  }
  if (!codice.empty()) {
    const auto [seen, fresh] = first_line_.try_emplace(codice, first_line);
    if (!fresh)
      group.errors.push_back({first_line, std::string(columnName(Column::kCodice)), "",
                              "codice " + codice + " già usato alla riga " +
                                  std::to_string(seen->second) +
                                  ": le righe di una posizione devono essere consecutive"});
  }
  return std::optional<PositionRows>(std::move(group));
}

// ---- The report ----------------------------------------------------------------------------

std::string_view modeName(ImportMode m) {
  return m == ImportMode::kValidRows ? "valid_rows" : "all_or_nothing";
}

std::optional<ImportMode> parseImportMode(std::string_view text) {
  if (text == "all_or_nothing") return ImportMode::kAllOrNothing;
  if (text == "valid_rows") return ImportMode::kValidRows;
  return std::nullopt;
}

void ImportReport::add(RowError e) {
  ++errors_total;
  if (errors.size() < kMaxListedErrors) errors.push_back(std::move(e));
}

json errorsJson(const std::vector<RowError>& errors) {
  json out = json::array();
  const auto orNull = [](const std::string& s) { return s.empty() ? json() : json(s); };
  for (const RowError& e : errors)
    out.push_back({{"line", e.line},
                   {"column", orNull(e.column)},
                   {"field", orNull(e.field)},
                   {"message", e.message}});
  return out;
}

std::vector<RowError> errorsFromJson(const json& errors) {
  std::vector<RowError> out;
  if (!errors.is_array()) return out;
  const auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : ""; };
  for (const json& e : errors)
    out.push_back({e.value("line", 0), text(e.value("column", json())),
                   text(e.value("field", json())), text(e.value("message", json()))});
  return out;
}

json toJson(const ImportReport& r, bool summary) {
  json out{{"id", r.id},
           {"ente", r.ente},
           {"mode", std::string(modeName(r.mode))},
           {"publish", r.publish},
           {"outcome", r.outcome},
           {"file_bytes", r.file_bytes},
           {"file_sha256", r.file_sha256},
           {"lines", r.lines},
           {"rows", r.rows},
           {"rows_accepted", r.rows_accepted},
           {"rows_rejected", r.rows_rejected},
           {"positions_created", r.positions_created},
           {"positions_rejected", r.positions_rejected},
           {"errors_total", r.errors_total},
           {"started_at", r.started_at},
           {"finished_at", r.finished_at},
           {"by", r.by}};
  if (!summary) out["errors"] = errorsJson(r.errors);
  return out;
}

std::string errorsCsv(const ImportReport& r) {
  std::string out = spreadsheetCsvHeader({"riga", "colonna", "errore"});
  for (const RowError& e : r.errors)
    out += csvRecord({std::to_string(e.line), e.column, e.message}, ';');
  if (r.errors_total > static_cast<std::int64_t>(r.errors.size()))
    out += csvRecord(
        {"", "",
         "altri " + std::to_string(r.errors_total - static_cast<std::int64_t>(r.errors.size())) +
             " errori non elencati: correggere questi e importare di nuovo il file"},
        ';');
  return out;
}

}  // namespace cst::payments::roll
