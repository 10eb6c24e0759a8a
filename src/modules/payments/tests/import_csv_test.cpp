// The tax roll's CSV without a database: records (quotes, BOM, separators, line numbers), cells
// (euro into cents, dates), columns, the grouping of a plan's rows, the errors placed by line and
// column, the report's CSV.
#include "import_csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace cst::payments::roll {
namespace {

constexpr const char* kToday = "2026-11-27";
const std::string kHeader =
    "codice;descrizione;tassonomia;tipo_debitore;codice_fiscale;nominativo;importo;scadenza;rata;"
    "causale\n";

Creditor cremona() {
  return {"019036",
          "00297960197",
          "01",
          {{"IT60X0542811101000000123456", "Tesoreria comunale", true},
           {"IT42K0760111400000012345678", "Conto corrente postale", false}},
          {{"9/0101002IM/", "Diritti di segreteria"}, {"9/0101108TS/", "Servizi scolastici"}},
          "",
          ""};
}

// Every record of `text` after its header.
std::vector<CsvRecord> records(const std::string& text, char* separator = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in);
  auto header = reader.header();
  EXPECT_TRUE(header) << header.error().detail;
  if (separator) *separator = reader.separator();
  std::vector<CsvRecord> out;
  for (;;) {
    auto r = reader.next();
    EXPECT_TRUE(r) << r.error().detail;
    if (!r || !*r) break;
    out.push_back(**r);
  }
  return out;
}

TEST(CsvReader, SplitsQuotedFieldsWithSeparatorsDoubledQuotesAndLineBreaks) {
  char separator = 0;
  const auto rows = records(
      "\xEF\xBB\xBF"
      "a;b;c\r\n"
      "1;\"due; con punto e virgola\";\"il \"\"vecchio\"\" municipio\"\r\n"
      "2;\"via Roma 1\r\nsecondo piano\r\nscala B\";x\r\n"
      "3;;\"\"\r\n",
      &separator);
  EXPECT_EQ(separator, ';');
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"1", "due; con punto e virgola",
                                                      "il \"vecchio\" municipio"}));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].fields[1], "via Roma 1\nsecondo piano\nscala B");
  EXPECT_EQ(rows[1].line, 3);
  // The record after a field over three physical lines starts on the sixth.
  EXPECT_EQ(rows[2].line, 6);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "", ""}));
}

TEST(CsvReader, ChoosesTheCommaFromTheHeaderAndCountsLines) {
  std::istringstream in("codice,descrizione,\"importo; in euro\"\n1,\"a, b\",\"3,50\"\n\n2,c,4");
  CsvReader reader(in);
  auto header = reader.header();
  ASSERT_TRUE(header);
  EXPECT_EQ(reader.separator(), ',');
  EXPECT_EQ(header->fields,
            (std::vector<std::string>{"codice", "descrizione", "importo; in euro"}));
  auto first = reader.next();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->fields, (std::vector<std::string>{"1", "a, b", "3,50"}));
  auto blank = reader.next();
  ASSERT_TRUE(blank && *blank);
  EXPECT_TRUE(isBlank(**blank));
  EXPECT_EQ((*blank)->line, 3);
  auto last = reader.next();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->line, 4);
  auto end = reader.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  EXPECT_EQ(reader.lines(), 4);
}

TEST(CsvReader, CountsLoneCarriageReturnsAndAFinalLineBreak) {
  std::istringstream in("a;b\r1;2\r3;\"x\ry\"\r4;5\r");
  CsvReader reader(in);
  ASSERT_TRUE(reader.header());
  std::vector<int> lines;
  for (auto r = reader.next(); r && *r; r = reader.next()) lines.push_back((*r)->line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 5}));
  EXPECT_EQ(reader.lines(), 5);
}

TEST(CsvReader, RefusesAnUnclosedQuoteNamingItsLine) {
  std::istringstream in("a;b\n1;2\n3;\"aperte\n4;5\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.header());
  ASSERT_TRUE(reader.next());
  auto bad = reader.next();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(bad.error().fields.front().field, "riga 3");
  EXPECT_NE(bad.error().detail.find("virgolette aperte alla riga 3"), std::string::npos)
      << bad.error().detail;
}

TEST(CsvReader, RefusesUtf16AndExcelWorkbooksAndEmptyFiles) {
  for (const std::string& text : {std::string("\xFF\xFE"
                                              "c\0o\0",
                                              6),
                                  std::string("PK\x03\x04rest"), std::string()}) {
    std::istringstream in(text);
    CsvReader reader(in);
    auto h = reader.header();
    ASSERT_FALSE(h) << text;
    EXPECT_EQ(h.error().fields.front().field, "file");
  }
}

TEST(CsvReader, MarksTextAfterAClosingQuote) {
  const auto rows = records("a;b;c\n1;\"ab\"c;d\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields[1], "abc");
  EXPECT_EQ(rows[0].stray_quote_field, 1u);
}

TEST(EuroCents, ReadsEuroExactlyIntoCents) {
  const std::vector<std::pair<std::string, std::int64_t>> good{{"12,5", 1250},
                                                               {"12.50", 1250},
                                                               {"12,05", 1205},
                                                               {"1234", 123400},
                                                               {"0,01", 1},
                                                               {"0.10", 10},
                                                               {"007,70", 770},
                                                               {"1234567,89", 123456789},
                                                               {"999999999,99", 99'999'999'999},
                                                               {"0,29", 29},
                                                               {"4.35", 435}};
  for (const auto& [text, cents] : good) {
    auto r = parseEuroCents(text, "importo");
    ASSERT_TRUE(r) << text << ": " << r.error().detail;
    EXPECT_EQ(*r, cents) << text;
  }
}

TEST(EuroCents, RefusesWhatCouldBeReadTwoWays) {
  const std::vector<std::pair<std::string, std::string>> bad{{"12,345", "ambiguo"},
                                                             {"1.234", "ambiguo"},
                                                             {"1.234,56", "un solo separatore"},
                                                             {"1,234.56", "un solo separatore"},
                                                             {"-5", "segno"},
                                                             {"+5", "segno"},
                                                             {"€ 5", "solo cifre"},
                                                             {"5 €", "solo cifre"},
                                                             {"1 234", "solo cifre"},
                                                             {"0", "maggiore di zero"},
                                                             {"0,00", "maggiore di zero"},
                                                             {"12,", "centesimi"},
                                                             {",50", "euro prima"},
                                                             {"12,3456", "due decimali"},
                                                             {"1000000000", "massimo"},
                                                             {"1e3", "solo cifre"}};
  for (const auto& [text, why] : bad) {
    auto r = parseEuroCents(text, "importo");
    ASSERT_FALSE(r) << text << " read as " << *r;
    EXPECT_EQ(r.error().fields.front().field, "importo");
    EXPECT_NE(r.error().fields.front().message.find(why), std::string::npos)
        << text << ": " << r.error().fields.front().message;
  }
}

TEST(RollDate, ReadsItalianAndIsoDates) {
  for (const auto& [text, iso] :
       std::vector<std::pair<std::string, std::string>>{{"31/01/2027", "2027-01-31"},
                                                        {"5/1/2027", "2027-01-05"},
                                                        {"2027-01-31", "2027-01-31"},
                                                        {"29/02/2028", "2028-02-29"}}) {
    auto r = parseRollDate(text, "scadenza");
    ASSERT_TRUE(r) << text;
    EXPECT_EQ(*r, iso);
  }
  for (const char* bad : {"31/02/2027", "29/02/2027", "31-01-2027", "2027/01/31", "31/01/27",
                          "domani", "2027-1-31", "31/01/2027 00:00"})
    EXPECT_FALSE(parseRollDate(bad, "scadenza")) << bad;
}

TEST(Layout, NamesUnknownRepeatedAndMissingColumns) {
  auto ok = layoutOf({"Codice", " DESCRIZIONE ", "tassonomia", "Tipo Debitore", "codice-fiscale",
                      "nominativo", "importo", "scadenza"});
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_EQ(ok->index[static_cast<std::size_t>(Column::kTipoDebitore)], 3u);
  EXPECT_FALSE(ok->has(Column::kRata));

  auto bad = layoutOf({"codice", "descrizione", "descrizione", "colore", "", "tassonomia",
                       "tipo_debitore", "codice_fiscale", "importo"});
  ASSERT_FALSE(bad);
  std::map<std::string, std::string> fields;
  for (const FieldError& f : bad.error().fields) fields[f.field] = f.message;
  EXPECT_EQ(fields.size(), 5u) << bad.error().detail;
  EXPECT_NE(fields["colore"].find("colonna sconosciuta"), std::string::npos);
  EXPECT_NE(fields["descrizione"].find("ripetuta"), std::string::npos);
  EXPECT_NE(fields["colonna 5"].find("senza nome"), std::string::npos);
  EXPECT_NE(fields["nominativo"].find("obbligatoria"), std::string::npos);
  EXPECT_NE(fields["scadenza"].find("obbligatoria"), std::string::npos);
}

// The positions of `text` (kHeader's columns unless it has its own), checked.
struct Read {
  std::vector<CheckedPosition> positions;
  std::vector<std::int64_t> rows;  // per position
  std::int64_t total_rows = 0;
  int lines = 0;
};
Read readRoll(const std::string& text) {
  std::istringstream in(text);
  RollReader reader(in);
  Read out;
  auto started = reader.start();
  EXPECT_TRUE(started) << started.error().detail;
  if (!started) return out;
  for (;;) {
    auto group = reader.next();
    EXPECT_TRUE(group) << group.error().detail;
    if (!group || !*group) break;
    out.rows.push_back((*group)->count());
    out.positions.push_back(checkPosition(**group, reader.layout(), cremona(), kToday));
  }
  out.total_rows = reader.rows();
  out.lines = reader.lines();
  return out;
}

std::string errorsText(const CheckedPosition& p) {
  std::string out;
  for (const RowError& e : p.errors)
    out += std::to_string(e.line) + " " + e.column + " " + e.field + ": " + e.message + "\n";
  return out;
}

TEST(Roll, ConsecutiveRowsOfOneCodiceAreOnePlan) {
  const Read r = readRoll(
      kHeader +
      "TARI-1;TARI 2027;9/0101002IM/;F;rssmra85t10a562s;Mario Rossi;300,00;31/03/2027;;TARI\n"
      "TARI-1;;;;;;150;31/03/2027;1;TARI rata 1\n"
      "TARI-1;TARI 2027;;;;;150,00;2027-09-30;2;\n"
      "\n"
      "TARI-2;TARI 2027;9/0101002IM/;G;00318000197;Edilizia Padana;12.5;31/03/2027;;\n");
  ASSERT_EQ(r.positions.size(), 2u);
  EXPECT_EQ(r.total_rows, 4);
  EXPECT_EQ(r.lines, 6);
  EXPECT_EQ(r.rows, (std::vector<std::int64_t>{3, 1}));
  const CheckedPosition& plan = r.positions[0];
  ASSERT_TRUE(plan.position) << errorsText(plan);
  const DebtPosition& p = *plan.position;
  EXPECT_EQ(p.reference, "TARI-1");
  EXPECT_EQ(p.debtor.fiscal_code, "RSSMRA85T10A562S");
  ASSERT_EQ(p.options.size(), 3u);
  EXPECT_FALSE(p.options[0].instalment);
  EXPECT_EQ(p.options[0].amount_cents, 30000);
  EXPECT_TRUE(p.options[1].instalment);
  EXPECT_EQ(p.options[1].amount_cents, 15000);
  EXPECT_EQ(p.options[2].due_date, "2027-09-30");
  EXPECT_EQ(p.options[1].transfers[0].remittance, "TARI rata 1");
  // No causale: the description; no IBAN: the ente's primary account.
  EXPECT_EQ(p.options[2].transfers[0].remittance, "TARI 2027");
  EXPECT_EQ(p.options[2].transfers[0].iban, "IT60X0542811101000000123456");
  ASSERT_TRUE(r.positions[1].position) << errorsText(r.positions[1]);
  EXPECT_EQ(r.positions[1].position->options[0].amount_cents, 1250);
  EXPECT_EQ(r.positions[1].position->debtor.type, 'G');
}

TEST(Roll, PlacesEveryErrorByLineAndColumn) {
  const Read r =
      readRoll(kHeader +
               "A-1;Mensa;9/0101002IM/;F;RSSMRA85T10A562T;Mario Rossi;12,345;31/02/2027;;\n"
               "B-1;Mensa;9/0101002IM/;F;RSSMRA85T10A562S;Mario Rossi;10;31/03/2027;;\n"
               "B-1;Mensa;9/0101002IM/;F;RSSMRA85T10A562S;Luigi Rossi;10;31/03/2025;1;\n"
               "B-1;;;;;;10;31/05/2027;3;\n"
               "C-1;Mensa;9/0101999ZZ/;X;RSSMRA85T10A562S;;5;31/03/2027;;\n");
  ASSERT_EQ(r.positions.size(), 3u);
  std::set<std::tuple<int, std::string, std::string>> where;
  for (const CheckedPosition& p : r.positions) {
    EXPECT_FALSE(p.position);
    for (const RowError& e : p.errors) where.insert({e.line, e.column, e.field});
  }
  const std::set<std::tuple<int, std::string, std::string>> expected{
      // The file's own checks: no API field.
      {2, "importo", ""},
      {2, "scadenza", ""},
      // positionFromJson's, placed: the position's fields on its first line.
      {2, "codice_fiscale", "debtor.fiscal_code"},
      // A plan row's per-position cell that differs, a past due date, an instalment out of order.
      {4, "nominativo", ""},
      {4, "scadenza", "options[1].due_date"},
      {5, "rata", ""},
      // The one row without its own problem is named too.
      {3, "codice", ""},
      {6, "tassonomia", "service_code"},
      {6, "tipo_debitore", "debtor.type"},
      {6, "nominativo", "debtor.name"},
  };
  EXPECT_EQ(where, expected) << errorsText(r.positions[0]) << errorsText(r.positions[1])
                             << errorsText(r.positions[2]);
  // No second message for a cell the file's checks refused already.
  for (const RowError& e : r.positions[0].errors)
    EXPECT_FALSE(e.column == "importo" && !e.field.empty()) << e.message;
  EXPECT_NE(errorsText(r.positions[0]).find("ambiguo"), std::string::npos);
}

TEST(Roll, ACodiceThatComesBackNamesBothLines) {
  const std::string row = ";Mensa;9/0101002IM/;F;RSSMRA85T10A562S;Mario Rossi;10;31/03/2027;;\n";
  const Read r = readRoll(kHeader + "X-1" + row + "Y-1" + row + "X-1" + row);
  ASSERT_EQ(r.positions.size(), 3u);
  EXPECT_TRUE(r.positions[0].position);
  EXPECT_TRUE(r.positions[1].position);
  ASSERT_FALSE(r.positions[2].position);
  ASSERT_EQ(r.positions[2].errors.size(), 1u);
  const RowError& e = r.positions[2].errors[0];
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.column, "codice");
  EXPECT_NE(e.message.find("già usato alla riga 2"), std::string::npos) << e.message;
}

TEST(Roll, ABrokenRowStaysWithItsPositionAndIsNamed) {
  const Read r =
      readRoll(kHeader +
               "P-1;Mensa;9/0101002IM/;F;RSSMRA85T10A562S;Mario Rossi;10;31/03/2027;1;\n"
               "P-1;Mensa;9/0101002IM/;F;RSSMRA85T10A562S;Mario Rossi;10;31/05/2027;2\n"
               "P-2;Men\xE8sa;9/0101002IM/;F;RSSMRA85T10A562S;Mario Rossi;10;31/05/2027;;\n");
  ASSERT_EQ(r.positions.size(), 2u);
  ASSERT_FALSE(r.positions[0].position);
  const std::string plan = errorsText(r.positions[0]);
  EXPECT_NE(plan.find("3  : la riga ha 9 campi invece dei 10"), std::string::npos) << plan;
  EXPECT_NE(plan.find("2 codice : scartata con la posizione P-1"), std::string::npos) << plan;
  ASSERT_FALSE(r.positions[1].position);
  const std::string latin1 = errorsText(r.positions[1]);
  EXPECT_NE(latin1.find("4 descrizione : testo non in UTF-8"), std::string::npos) << latin1;
  // The description is missing after that, but the API's "campo obbligatorio" is not repeated.
  EXPECT_EQ(r.positions[1].errors.size(), 1u) << latin1;
}

TEST(Roll, RefusesTheHeaderBeforeReadingRows) {
  std::istringstream in("codice;descrizione;importo\nA;b;1\n");
  RollReader reader(in);
  auto s = reader.start();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  std::set<std::string> missing;
  for (const FieldError& f : s.error().fields) missing.insert(f.field);
  EXPECT_EQ(missing, (std::set<std::string>{"tassonomia", "tipo_debitore", "codice_fiscale",
                                            "nominativo", "scadenza"}));
}

TEST(Report, CapsTheListedErrorsAndWritesThemForASpreadsheet) {
  ImportReport r;
  for (int i = 0; i < static_cast<int>(kMaxListedErrors) + 5; ++i)
    r.add({i + 2, "importo", "", "importo non valido; \"12,345\""});
  EXPECT_EQ(r.errors.size(), kMaxListedErrors);
  EXPECT_EQ(r.errors_total, static_cast<std::int64_t>(kMaxListedErrors) + 5);
  const std::string csv = errorsCsv(r);
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBFriga;colonna;errore\r\n", 0), 0u) << csv.substr(0, 40);
  EXPECT_NE(csv.find("\r\n2;importo;\"importo non valido; \"\"12,345\"\"\"\r\n"),
            std::string::npos);
  EXPECT_NE(csv.find(";;altri 5 errori non elencati"), std::string::npos);

  const nlohmann::json json = toJson(r);
  EXPECT_EQ(json["errors"].size(), kMaxListedErrors);
  EXPECT_EQ(json["errors"][0]["line"], 2);
  EXPECT_EQ(json["errors"][0]["column"], "importo");
  EXPECT_TRUE(json["errors"][0]["field"].is_null());
  EXPECT_FALSE(toJson(r, true).contains("errors"));
  const auto back = errorsFromJson(errorsJson(r.errors));
  ASSERT_EQ(back.size(), r.errors.size());
  EXPECT_EQ(back[3].line, 5);
  EXPECT_EQ(back[3].message, r.errors[3].message);
}

}  // namespace
}  // namespace cst::payments::roll
