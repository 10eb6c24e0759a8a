// The lexical forms of Allegato 5's values that JSON does not type: xs:date, xs:time, the digest
// in Impronta and its algorithm's name.
#include <algorithm>
#include <chrono>

#include "allegato5.hpp"

namespace cst::preservation::allegato5 {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Digits only (no sign, no blanks, unlike stoi), as a number.
std::optional<unsigned> number(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), digit)) return std::nullopt;
  unsigned n = 0;
  for (char c : s) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (digit(c)) return c - '0' + 52;
  if (c == '+') return 62;
  return c == '/' ? 63 : -1;
}

}  // namespace

bool isIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  const auto y = number(d.substr(0, 4)), m = number(d.substr(5, 2)), day = number(d.substr(8, 2));
  return y && m && day &&
         std::chrono::year_month_day{std::chrono::year(static_cast<int>(*y)),
                                     std::chrono::month(*m), std::chrono::day(*day)}
             .ok();
}

bool isXsdTime(std::string_view t) {
  const auto two = [&](std::size_t at, unsigned max) {
    const auto n = at + 2 <= t.size() ? number(t.substr(at, 2)) : std::nullopt;
    return n && *n <= max;
  };
  if (t.size() < 8 || !two(0, 23) || t[2] != ':' || !two(3, 59) || t[5] != ':' || !two(6, 59)) {
    return false;
  }
  std::size_t i = 8;
  if (i < t.size() && t[i] == '.') {
    const std::size_t first = ++i;
    while (i < t.size() && digit(t[i])) ++i;
    if (i == first) return false;
  }
  if (i == t.size() || t.substr(i) == "Z") return true;
  return t.size() - i == 6 && (t[i] == '+' || t[i] == '-') && two(i + 1, 14) && t[i + 3] == ':' &&
         two(i + 4, 59);
}

// Allegato 5's Impronta is xs:base64Binary (reference §2.2, §2.6); hex is what everyone else
// writes, and 64 hex digits can never be 32 bytes of base64 (44 characters), so both are read.
std::optional<std::string> sha256Hex(std::string_view s) {
  constexpr std::string_view kHex = "0123456789abcdef";
  if (s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
      })) {
    std::string hex(s);
    std::transform(hex.begin(), hex.end(), hex.begin(), lower);
    return hex;
  }
  if (s.size() != 44 || s[43] != '=') return std::nullopt;
  std::string hex;
  unsigned buffer = 0, bits = 0;
  for (char c : s.substr(0, 43)) {  // 258 bits: 32 bytes and 2 padding bits
    const int six = base64Value(c);
    if (six < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(six);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const unsigned byte = (buffer >> bits) & 0xFFu;
      buffer &= (1u << bits) - 1;
      hex += kHex[byte >> 4];
      hex += kHex[byte & 0xFu];
    }
  }
  return hex;
}

std::string folded(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '_') out += lower(c);
  }
  return out;
}

// Allegato 6's URI is a name as good as the usual one (reference §2.6).
bool isSha256Name(std::string_view s) {
  const std::string f = folded(s);
  return f == "sha-256" || f == "sha256" || f == "http://www.w3.org/2001/04/xmlenc#sha256";
}

}  // namespace cst::preservation::allegato5
