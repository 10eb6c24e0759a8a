// Text formats: plain text (UTF-8, ASCII, UTF-16), XML and the markup with a format of its own
// (SVG, HTML), JSON, e-mail messages and mbox.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/text.hpp"
#include "format_detect.hpp"
#include "xml/xml.hpp"

namespace cst::preservation::detect {

namespace {

bool isAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

struct Prolog {
  bool declared = false;  // <?xml ...?>
  std::string doctype;    // the DOCTYPE's root name
  std::string root;       // the root element's qualified name
  std::string root_tag;   // the root start tag, for its attributes
};

std::size_t skipPast(std::string_view s, std::size_t from, std::string_view end) {
  const std::size_t at = s.find(end, from);
  return at == std::string_view::npos ? std::string_view::npos : at + end.size();
}

// The prolog of an XML or HTML document up to its root start tag; nullopt when `s` does not
// start as markup (text before the first tag).
std::optional<Prolog> prolog(std::string_view s) {
  Prolog p;
  std::size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && isSpace(s[i])) ++i;
  };
  ws();
  if (startsWith(s.substr(i), "<?xml") && i + 5 < s.size() && isSpace(s[i + 5])) {
    p.declared = true;
    i = skipPast(s, i, "?>");
  }
  while (i != std::string_view::npos && i < s.size()) {
    ws();
    const std::string_view rest = s.substr(i);
    if (startsWith(rest, "<!--")) {
      i = skipPast(s, i + 4, "-->");
    } else if (startsWith(rest, "<?")) {
      i = skipPast(s, i + 2, "?>");
    } else if (startsWithNoCase(rest, "<!doctype")) {
      std::size_t n = i + 9;
      while (n < s.size() && isSpace(s[n])) ++n;
      std::size_t e = n;
      while (e < s.size() && (isNameChar(s[e]) || s[e] == ':')) ++e;
      p.doctype = std::string(s.substr(n, e - n));
      const std::size_t subset = s.find('[', e), close = s.find('>', e);
      i = subset != std::string_view::npos && subset < close ? skipPast(s, subset, "]") : e;
      if (i != std::string_view::npos) i = skipPast(s, i, ">");
    } else if (rest.size() > 1 && rest[0] == '<' &&
               (std::isalpha(static_cast<unsigned char>(rest[1])) || rest[1] == '_' ||
                static_cast<unsigned char>(rest[1]) >= 0x80)) {
      std::size_t e = 1;
      while (e < rest.size() && !isSpace(rest[e]) && rest[e] != '>' && rest[e] != '/') ++e;
      p.root = std::string(rest.substr(1, e - 1));
      const std::size_t close = rest.find('>');
      p.root_tag = std::string(rest.substr(0, close == std::string_view::npos ? 4096 : close));
      return p;
    } else {
      break;
    }
  }
  if (p.declared || !p.doctype.empty()) return p;  // the root is past what was read
  return std::nullopt;
}

std::string attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    if (at == 0 || !isSpace(tag[at - 1])) continue;
    std::string_view rest = skipSpace(tag.substr(at + name.size()));
    if (rest.empty() || rest.front() != '=') continue;
    rest = skipSpace(rest.substr(1));
    if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) continue;
    const std::size_t end = rest.find(rest.front(), 1);
    if (end != std::string_view::npos) return std::string(rest.substr(1, end - 1));
  }
  return {};
}

// RFC 8259: an object or an array. A file larger than the head is judged by its two ends.
bool isJson(std::string_view head, std::string_view tail, bool whole) {
  const std::string_view start = skipSpace(head);
  if (start.empty() || (start.front() != '{' && start.front() != '[')) return false;
  if (whole) return nlohmann::json::accept(head);
  const std::string_view next = skipSpace(start.substr(1));
  if (next.empty()) return false;
  const char n = next.front();
  if (start.front() == '{' && n != '"' && n != '}') return false;
  if (start.front() == '[' && !(n == '{' || n == '[' || n == '"' || n == ']' || n == '-' ||
                                (n >= '0' && n <= '9') || n == 't' || n == 'f' || n == 'n'))
    return false;
  std::string_view end = tail;
  while (!end.empty() && isSpace(end.back())) end.remove_suffix(1);
  return !end.empty() && end.back() == (start.front() == '{' ? '}' : ']');
}

// RFC 5322 §2.2: a message opens with header fields ("Name: value", folded lines starting with
// white space) up to an empty line. A message needs From and at least one of the fields a mail
// client always writes. An mbox (RFC 4155) opens with a "From " separator line, then a message.
std::optional<FileFormat> mail(std::string_view head) {
  bool mbox = false;
  if (startsWith(head, "From ")) {
    const std::size_t eol = head.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    head.remove_prefix(eol + 1);
    mbox = true;
  }
  bool from = false, other = false, mime = false, ended = false;
  int fields = 0;
  while (!head.empty()) {
    const std::size_t eol = head.find('\n');
    if (eol == std::string_view::npos) break;
    std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      ended = true;
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (fields == 0) return std::nullopt;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 76) return std::nullopt;
    for (char c : line.substr(0, colon))
      if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127)
        return std::nullopt;
    const std::string_view name = line.substr(0, colon);
    ++fields;
    auto is = [&](std::string_view n) {
      return name.size() == n.size() && startsWithNoCase(name, n);
    };
    if (is("From")) from = true;
    if (is("Date") || is("To") || is("Subject") || is("Message-ID") || is("Received")) other = true;
    if (is("MIME-Version")) mime = other = true;
  }
  if (!ended || !from || !other) return std::nullopt;
  if (mbox) return known("mbox");
  return mime ? known("eml", "Messaggio di posta elettronica MIME 1.0", "fmt/950") : known("eml");
}

}  // namespace

bool isText(std::string_view s, bool cut_start, bool cut_end) {
  if (cut_start)
    for (int i = 0; i < 3 && !s.empty() && (static_cast<unsigned char>(s.front()) & 0xC0) == 0x80;
         ++i)
      s.remove_prefix(1);
  if (cut_end) {
    std::size_t i = s.size();
    int back = 0;
    while (i > 0 && back < 3 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i, ++back;
    if (i > 0 && static_cast<unsigned char>(s[i - 1]) >= 0xC0) s = s.substr(0, i - 1);
  }
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
  }
  return isValidUtf8(s);
}

std::string narrowUtf16(std::string_view s, bool little) {
  std::string out;
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
    const std::uint64_t u = little ? le(s, i, 2) : be(s, i, 2);
    out.push_back(u < 0x80 ? static_cast<char>(u) : 'x');
  }
  return out;
}

std::optional<FileFormat> markup(std::string_view s, bool text, bool whole) {
  auto p = prolog(s);
  if (!p) return std::nullopt;
  std::string local =
      p->root.substr(p->root.find(':') == std::string::npos ? 0 : p->root.find(':') + 1);
  if (local == "svg") {
    const std::string version = attribute(p->root_tag, "version");
    return known("svg", version.empty() ? "" : "SVG " + version,
                 version == "1.0"   ? "fmt/91"
                 : version == "1.1" ? "fmt/92"
                                    : "");
  }
  std::string lowered;
  for (char c : local) lowered.push_back(lower(c));
  std::string doctype;
  for (char c : p->doctype) doctype.push_back(lower(c));
  if (lowered == "html" || doctype == "html") return known("html");
  if (p->declared) return known("xml");
  // Without a declaration only well-formed markup is XML; an unfinished tag is text.
  if (!text || p->root.empty()) return std::nullopt;
  if (whole && !xml::parse(s)) return std::nullopt;
  return known("xml");
}

FileFormat textual(std::string_view head, std::string_view tail, bool whole) {
  if (auto f = markup(head, true, whole)) return *f;
  if (isJson(head, tail, whole)) return known("json");
  if (auto f = mail(head)) return *f;
  if (isAscii(head) && isAscii(tail)) return known("text", "Testo semplice (ASCII)", "");
  return known("text");
}

}  // namespace cst::preservation::detect
