#include "common/text.hpp"

namespace cst {

namespace {
// Length of the valid UTF-8 sequence at `i`, or 0 (RFC 3629: no overlongs, no surrogates, no
// code points above U+10FFFF).
std::size_t sequenceAt(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}
}  // namespace

std::string validUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequenceAt(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool isValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequenceAt(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string truncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back off over continuation bytes to the start of the character that would be cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

namespace {

// "-12", "-10,50", "-3.5": a spreadsheet reads it as a number, never as a formula.
bool isPlainNumber(std::string_view f) {
  if (!f.empty() && f.front() == '-') f.remove_prefix(1);
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const auto mark = f.find_first_of(".,");
  if (mark == std::string_view::npos) return digits(f);
  return digits(f.substr(0, mark)) && digits(f.substr(mark + 1));
}

}  // namespace

std::string csvRecord(const std::vector<std::string>& fields, char separator) {
  std::string out;
  const std::string special = std::string(1, separator) + "\"\r\n";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += separator;
    std::string f = fields[i];
    if (!f.empty() && std::string_view("=+-@\t\r").find(f.front()) != std::string_view::npos &&
        !isPlainNumber(f))
      f.insert(0, "'");
    if (f.find_first_of(special) == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\r\n";
}

std::string spreadsheetCsvHeader(const std::vector<std::string>& header) {
  return "\xEF\xBB\xBF" + csvRecord(header, ';');
}

}  // namespace cst
