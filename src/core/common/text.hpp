#pragma once
// UTF-8 text from outside (mail headers and bodies, file names) made safe to store and to put in
// JSON: nlohmann::json refuses to serialise invalid UTF-8, so one bad byte would make a whole
// ticket unreadable.
#include <string>
#include <string_view>
#include <vector>

namespace cst {

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string validUtf8(std::string_view text);

// True when every byte of `text` is part of a valid UTF-8 sequence (what validUtf8 keeps as is).
bool isValidUtf8(std::string_view text);

// At most `max_bytes` of valid UTF-8 `text`, cut at a character boundary.
std::string truncateUtf8(std::string_view text, std::size_t max_bytes);

// One CSV record (RFC 4180, comma-separated, CRLF-terminated) for the exports users open in a
// spreadsheet: fields with a comma, quote or line break are quoted, and a text starting with
// = + - @ (or a tab or carriage return) gets a leading apostrophe, so that a spreadsheet shows
// it instead of running it as a formula (OWASP "CSV injection"). Numbers are passed already
// formatted; a field that is only a number ("-10,50", "-3.5") is left as it is, so that a
// negative amount stays a number and not text. `separator`: ';' for files meant for spreadsheets
// with Italian settings, which split on it.
std::string csvRecord(const std::vector<std::string>& fields, char separator = ',');

// The start of a CSV meant for a spreadsheet with Italian settings: a UTF-8 BOM (so that Excel
// reads the accents) and the header record, ';'-separated. The records follow with
// csvRecord(fields, ';').
std::string spreadsheetCsvHeader(const std::vector<std::string>& header);

// UTF-8 to Windows-1252, the encoding of the PDFs' standard fonts (WinAnsiEncoding): accented
// letters and € (0x80) are kept, control characters become spaces, anything else (other scripts,
// bytes that are not UTF-8) becomes '?'.
std::string toCp1252(std::string_view utf8);
// PDF metadata strings are PDFDocEncoding, which is Windows-1252 above 0xA0 but not in
// 0x80..0x9F (there € is 0xA0): Windows-1252 text converted for the Info dictionary.
std::string pdfDocText(std::string_view cp1252);

// "2030-06-30" -> "30/06/2030"; any other text is returned unchanged.
std::string formatItalianDate(std::string_view iso_date);

}  // namespace cst
