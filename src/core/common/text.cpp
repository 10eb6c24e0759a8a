#include "common/text.hpp"

#include <utility>

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

namespace {

// Windows-1252 0x80..0x9F; 0 where the code page has no character.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The code point of the UTF-8 sequence at `i` and its length; length 0 when it is not valid
// UTF-8 (sequenceAt).
std::pair<char32_t, std::size_t> decodeUtf8(std::string_view s, std::size_t i) {
  const std::size_t len = sequenceAt(s, i);
  if (len == 0) return {0, 0};
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = static_cast<unsigned char>(s[i]) & kLeadBits[len];
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {cp, len};
}

char cp1252Of(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return ' ';
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
  for (std::size_t k = 0; k < 32; ++k)
    if (kCp1252High[k] != 0 && kCp1252High[k] == cp) return static_cast<char>(0x80 + k);
  return '?';
}

}  // namespace

std::string pdfDocText(std::string_view cp1252) {
  std::string out;
  for (char c : cp1252) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0x80)
      out += static_cast<char>(0xA0);
    else if (b >= 0x80 && b < 0xA1)
      out += '?';
    else
      out += c;
  }
  return out;
}

std::string toCp1252(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto [cp, len] = decodeUtf8(utf8, i);
    if (len == 0) {
      out += '?';
      ++i;
      continue;
    }
    out += cp1252Of(cp);
    i += len;
  }
  return out;
}

std::string formatItalianDate(std::string_view iso) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (iso[i] < '0' || iso[i] > '9') return false;
    return true;
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
      !digits(8, 2))
    return std::string(iso);
  return std::string(iso.substr(8, 2)) + "/" + std::string(iso.substr(5, 2)) + "/" +
         std::string(iso.substr(0, 4));
}

}  // namespace cst
