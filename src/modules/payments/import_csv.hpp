#pragma once
// The tax roll (ruolo, lista di carico) as an office exports it from its spreadsheet: a CSV file
// read one record at a time, its columns named by an Italian header, each position's rows turned
// into the creation request of POST /positions (so that positionFromJson stays the one place of
// the validation rules), and the import's report. Pure: no I/O but the stream it is given, no
// database. The service (service_import.cpp) stores what this reads.
#include <array>
#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "model_position.hpp"

namespace cst::payments::roll {

// ---- CSV records (RFC 4180) ----------------------------------------------------------------

// One record longer than this is refused: a quote never closed would otherwise swallow the rest
// of the file into one field.
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;  // the physical line the record starts on; the header is line 1
  // The first field where a closing quote is followed by text ("ab"c;): the field is read on to
  // the separator, and the caller reports it.
  std::optional<std::size_t> stray_quote_field;
};

// Reads records from `in` one at a time; at most one record is held in memory. Fields are split
// on the separator outside double quotes; a quoted field may hold the separator, line breaks and
// doubled quotes (""). A quote inside an unquoted field is kept as a character. Line breaks are
// CRLF, LF or a lone CR; each counts as one physical line, inside quoted fields too (where a
// CRLF becomes LF), so that a record's `line` is the one a spreadsheet or an editor shows.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(*in.rdbuf()) {}

  // The first record. Skips a UTF-8 byte order mark; the separator is ';' (what spreadsheets
  // write with Italian settings) unless the header line has more ',' than ';' outside quotes.
  // kBadInput for an empty file, a UTF-16 file or an Excel workbook (not CSV).
  Result<CsvRecord> header();
  // The next record, nullopt at the end of the file. kBadInput (field "riga N") for a quote
  // never closed or a record longer than kMaxRecordBytes: past either, the rest of the file
  // cannot be split reliably.
  Result<std::optional<CsvRecord>> next();

  char separator() const { return separator_; }
  // Physical lines read so far; at the end, the file's lines (a final line break ends the last
  // line rather than starting an empty one).
  int lines() const { return at_line_start_ ? line_ - 1 : line_; }

 private:
  int get();
  int peek();

  std::streambuf& in_;
  char separator_ = ';';
  int line_ = 1;               // the physical line of the next character
  bool at_line_start_ = true;  // nothing read on line_ yet
};

// ---- The roll's columns ----------------------------------------------------------------------

// Header names are matched without regard to case, surrounding spaces, or spaces and dashes
// written for underscores ("Codice Fiscale" is codice_fiscale).
enum class Column : std::size_t {
  kCodice,         // the position's reference (required)
  kDescrizione,    // description (required)
  kTassonomia,     // service_code (required)
  kTipoDebitore,   // F or G (required)
  kCodiceFiscale,  // the debtor's fiscal code (required)
  kNominativo,     // the debtor's name (required)
  kIndirizzo,
  kCivico,
  kCap,
  kComune,
  kProvincia,
  kNazione,
  kEmail,
  kImporto,     // euro, "123,45" or "123.45" (required)
  kScadenza,    // GG/MM/AAAA or AAAA-MM-GG (required)
  kRata,        // empty: the single payment; 1..N: the instalments of the plan, in order
  kValidaFino,  // last day it may be paid
  kCausale,     // the remittance; the description when empty
  kIban,        // one of the ente's accounts; its primary one when empty
  kCount
};
inline constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::kCount);

std::string_view columnName(Column c);
// True for the columns every file must have.
bool isRequired(Column c);
// True for the columns that describe the position (the debtor, the description, ...): the rows
// of a plan repeat them or leave them empty.
bool isPerPosition(Column c);

// Where each column is in the file.
struct Layout {
  std::array<std::optional<std::size_t>, kColumnCount> index{};
  std::size_t width = 0;  // fields in the header
  bool has(Column c) const { return index[static_cast<std::size_t>(c)].has_value(); }
};

// The layout of a header; kBadInput naming every unknown, repeated, unnamed or missing column
// (field: the column's name as written, or "colonna N" for an unnamed one).
Result<Layout> layoutOf(const std::vector<std::string>& header);

// ---- Cells ---------------------------------------------------------------------------------

// Euro as offices write them: digits, optionally ',' or '.' and one or two decimals
// ("12", "12,5", "12.50"), read exactly into cents with no floating point. Refused: negative or
// signed amounts, a currency sign, more than 9 digits of euro (the node's limit), and a
// separator followed by three digits ("1.234" or "12,345": thousands or a third decimal?) or
// used twice ("1.234,56"). Zero is refused too: nothing is owed. kBadInput naming `field`.
Result<std::int64_t> parseEuroCents(std::string_view text, const std::string& field);
// GG/MM/AAAA (day and month may have one digit) or AAAA-MM-GG, a real calendar day, as
// AAAA-MM-GG. kBadInput naming `field`.
Result<std::string> parseRollDate(std::string_view text, const std::string& field);

// ---- Rows and positions --------------------------------------------------------------------

// One data row: its cells by column (empty for a column the file does not have), trimmed.
struct RollRow {
  int line = 0;
  std::array<std::string, kColumnCount> cells{};
  const std::string& cell(Column c) const { return cells[static_cast<std::size_t>(c)]; }
};

// A problem of the file, where the office can find it. `field` is the creation request's field
// (debtor.fiscal_code, options[1].due_date) when the rule that refused it is the API's, empty
// for what is found in the file itself.
struct RowError {
  int line = 0;
  std::string column;  // the header's name, or empty for the whole row
  std::string field;
  std::string message;
};

// The row of `record` under `layout`, and what is wrong with the record itself (wrong number of
// fields, text that is not UTF-8, a stray quote): such a row is refused, its cells are still
// read where they can be, so that it stays with its position.
struct ReadRow {
  RollRow row;
  std::vector<RowError> errors;
};
ReadRow readRow(const CsvRecord& record, const Layout& layout);
// An empty line, or one of separators only (spreadsheets write those for rows left blank).
bool isBlank(const CsvRecord& record);

// The creation request of one position from its rows (consecutive, the same codice), with the
// problems found in the cells themselves: amounts, dates, instalment numbers, a per-position
// cell that differs from the first row's. A cell with a problem is left out of the request.
struct PositionRequest {
  nlohmann::json body;
  std::vector<RowError> errors;
};
PositionRequest positionRequest(const std::vector<RollRow>& rows, const Layout& layout);

// positionFromJson's field error placed in the file: options[i] is rows[i]'s line, the
// position's own fields the first row's; the column is the one the field was read from.
RowError locate(const FieldError& e, const std::vector<RollRow>& rows);

// The rows of one position as the file has them.
struct PositionRows {
  std::vector<RollRow> rows;       // at most kMaxOptions + 1: enough for positionFromJson to refuse
  std::vector<int> dropped_lines;  // rows of a plan beyond that, not kept
  std::vector<RowError> errors;    // of the records themselves (readRow) and of a repeated codice
  std::int64_t count() const {
    return static_cast<std::int64_t>(rows.size() + dropped_lines.size());
  }
};

// The rows checked as one position: positionRequest, then positionFromJson against the ente's
// `creditor` and `today` (so the rules are the API's), its errors placed by `locate`. An error of
// the API about a cell already reported by the file's own checks (the same line and column, or a
// row that could not be split) is dropped: one cause, one message. When anything is wrong the
// position is refused whole, and each of its rows without an error of its own gets one saying
// so: every refused row is in the report. Errors in line order.
struct CheckedPosition {
  std::optional<DebtPosition> position;
  std::vector<RowError> errors;
};
CheckedPosition checkPosition(const PositionRows& rows, const Layout& layout,
                              const Creditor& creditor, std::string_view today);
// `errors` of a position refused whole, completed so that each of its rows is in the report: a
// row without an error of its own gets one saying that it went with its position. In line order.
std::vector<RowError> refusal(const PositionRows& rows, std::vector<RowError> errors);

// The most data rows one file may have (blank lines are not rows), and its most bytes: twice a
// large Comune's roll (100,000 rows of about 250 bytes), so that one import stays within a minute
// of the database's write lock.
inline constexpr std::int64_t kMaxRows = 200'000;
inline constexpr std::int64_t kMaxFileBytes = 64 * 1024 * 1024;

// The roll read one position at a time: records (CsvReader), rows (readRow), consecutive rows
// with the same codice grouped. A row with an empty codice is a position alone. A codice that
// comes back after other rows is refused with an error naming the line where it was first seen:
// the first position stands.
class RollReader {
 public:
  explicit RollReader(std::istream& in) : csv_(in) {}

  // Reads the header: kBadInput naming every problem of the columns (layoutOf) or of the file
  // (CsvReader::header), before any row is read.
  Status start();
  // The next position's rows, nullopt at the end. kBadInput when the file cannot be read on
  // (CsvReader::next); kTooLarge past kMaxRows data rows.
  Result<std::optional<PositionRows>> next();

  const Layout& layout() const { return layout_; }
  std::int64_t rows() const { return rows_; }
  int lines() const { return csv_.lines(); }

 private:
  // The next non-blank row, nullopt at the end.
  Result<std::optional<ReadRow>> nextRow();

  CsvReader csv_;
  Layout layout_;
  std::optional<ReadRow> ahead_;  // the first row of the next position, read already
  std::unordered_map<std::string, int> first_line_;  // codice -> the line of its position
  std::int64_t rows_ = 0;
};

// ---- The report ----------------------------------------------------------------------------

enum class ImportMode {
  kAllOrNothing,  // any error: nothing is stored
  kValidRows,     // the valid positions are stored, the others reported
};
std::string_view modeName(ImportMode m);  // "all_or_nothing", "valid_rows"
std::optional<ImportMode> parseImportMode(std::string_view text);

// The errors listed in a report; the rest are counted (errors_total).
inline constexpr std::size_t kMaxListedErrors = 1000;

struct ImportReport {
  std::int64_t id = 0;
  std::string ente;
  ImportMode mode = ImportMode::kAllOrNothing;
  bool publish = false;
  // completed: every row stored; partial: some (valid_rows); rejected: none.
  std::string outcome;
  std::int64_t file_bytes = 0;
  std::string file_sha256;
  std::int64_t lines = 0;  // physical lines of the file, the header included
  // Data rows read (blank lines are not rows): always rows_accepted + rows_rejected.
  std::int64_t rows = 0;
  std::int64_t rows_accepted = 0;
  std::int64_t rows_rejected = 0;
  std::int64_t positions_created = 0;
  std::int64_t positions_rejected = 0;
  std::int64_t errors_total = 0;
  std::vector<RowError> errors;  // the first kMaxListedErrors, in file order
  std::string started_at, finished_at, by;

  // Lists `e` while there is room; counts it always.
  void add(RowError e);
};

// The report as the API gives it; summary: without the errors (lists).
nlohmann::json toJson(const ImportReport& r, bool summary = false);
// The listed errors as stored with the report, and back.
nlohmann::json errorsJson(const std::vector<RowError>& errors);
std::vector<RowError> errorsFromJson(const nlohmann::json& errors);
// The errors for the office's spreadsheet: a UTF-8 BOM (so that Excel reads the accents), the
// header "riga;colonna;errore", one record per listed error, and a last record saying how many
// were not listed, if any.
std::string errorsCsv(const ImportReport& r);

}  // namespace cst::payments::roll
