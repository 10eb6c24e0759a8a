// PDF and PDF/A, from the header and the XMP metadata (ISO 32000, ISO 19005).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "format_detect.hpp"

namespace cst::preservation::detect {

std::optional<std::string> pdfVersion(std::string_view head) {
  const std::size_t at = head.substr(0, 1024 + 5).find("%PDF-");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view v = head.substr(at + 5, 3);
  if (v.size() == 3 && v[0] >= '0' && v[0] <= '9' && v[1] == '.' && v[2] >= '0' && v[2] <= '9')
    return std::string(v);
  return std::string();
}

std::string xmpProperty(std::string_view window, std::string_view prefix, std::string_view name) {
  const std::string qname = std::string(prefix) + ":" + std::string(name);
  for (std::size_t at = window.find(qname); at != std::string_view::npos;
       at = window.find(qname, at + 1)) {
    // Whole names only: not "xpdfaid:part", not "pdfaid:partX".
    if (at > 0 && isNameChar(window[at - 1])) continue;
    if (at > 0 && window[at - 1] == ':') continue;
    std::string_view rest = window.substr(at + qname.size());
    if (rest.empty() || isNameChar(rest.front())) continue;
    if (at > 0 && window[at - 1] == '<' && rest.front() == '>') {
      rest.remove_prefix(1);
      const std::size_t end = rest.find('<');
      if (end == std::string_view::npos) continue;
      std::string_view v = rest.substr(0, end);
      while (!v.empty() && isSpace(v.front())) v.remove_prefix(1);
      while (!v.empty() && isSpace(v.back())) v.remove_suffix(1);
      return std::string(v);
    }
    rest = skipSpace(rest);
    if (rest.empty() || rest.front() != '=') continue;
    rest = skipSpace(rest.substr(1));
    if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) continue;
    const char quote = rest.front();
    const std::size_t end = rest.find(quote, 1);
    if (end == std::string_view::npos) continue;
    return std::string(rest.substr(1, end - 1));
  }
  return {};
}

namespace {

constexpr std::string_view kPdfaIdNs = "http://www.aiim.org/pdfa/ns/id/";

struct PdfAClaim {
  std::string part, conformance;
};

// The PDF/A identification declared by the namespace declaration of pdfaid whose URI starts at
// `uri` in `buf`: the prefix is whatever the producer chose, the properties are read in the
// declaring element and shortly after it.
std::optional<PdfAClaim> claimAt(std::string_view buf, std::size_t uri, std::size_t before,
                                 std::size_t after) {
  if (uri == 0 || (buf[uri - 1] != '"' && buf[uri - 1] != '\'')) return std::nullopt;
  std::size_t i = uri - 1;
  while (i > 0 && isSpace(buf[i - 1])) --i;
  if (i == 0 || buf[i - 1] != '=') return std::nullopt;
  --i;
  while (i > 0 && isSpace(buf[i - 1])) --i;
  const std::size_t prefix_end = i;
  while (i > 0 && isNameChar(buf[i - 1])) --i;
  if (i < 6 || buf.substr(i - 6, 6) != "xmlns:") return std::nullopt;
  const std::string_view prefix = buf.substr(i, prefix_end - i);
  if (prefix.empty()) return std::nullopt;
  const std::size_t from = uri > before ? uri - before : 0;
  const std::string_view window = buf.substr(from, uri - from + after);
  PdfAClaim c{xmpProperty(window, prefix, "part"), xmpProperty(window, prefix, "conformance")};
  for (char& ch : c.conformance) ch = lower(ch);
  if (c.part.empty()) return std::nullopt;
  return c;
}

// Scans the whole file in 1 MiB steps for the pdfaid namespace. The last declaration wins: an
// incremental update appends its new metadata after the old. Producers leave the XMP packet
// unfiltered (ISO 19005-1 §6.7.2 requires it, for tools that do not parse PDF): a PDF/A whose
// metadata stream is compressed is reported as a plain PDF.
std::optional<PdfAClaim> pdfaClaim(const Bytes& file) {
  constexpr std::size_t kStep = 1 << 20, kBefore = 512, kAfter = 8 * 1024;
  std::optional<PdfAClaim> claim;
  for (std::uint64_t pos = 0; pos < file.size(); pos += kStep) {
    const std::uint64_t start = pos < kBefore ? 0 : pos - kBefore;
    const std::size_t lead = static_cast<std::size_t>(pos - start);
    const std::string buf = file.read(start, lead + kStep + kAfter);
    // Each occurrence is handled in the step where it starts, with kAfter bytes after it.
    const std::size_t end = std::min(buf.size(), lead + kStep);
    for (std::size_t at = buf.find(kPdfaIdNs, lead); at != std::string::npos && at < end;
         at = buf.find(kPdfaIdNs, at + 1))
      if (auto c = claimAt(buf, at, kBefore, kAfter)) claim = std::move(c);
  }
  return claim;
}

}  // namespace

FileFormat pdf(std::string_view version, const Bytes& file) {
  if (auto claim = pdfaClaim(file)) {
    const std::string& p = claim->part;
    const std::string& c = claim->conformance;
    // ISO 19005: parts 1 (a, b), 2 and 3 (a, b, u); part 4 has no level or e, f.
    const bool valid = ((p == "1" && (c == "a" || c == "b")) ||
                        ((p == "2" || p == "3") && (c == "a" || c == "b" || c == "u")) ||
                        (p == "4" && (c.empty() || c == "e" || c == "f")));
    if (valid) return known("pdfa-" + p + c);
  }
  const std::string id = "pdf-" + std::string(version);
  if (lookup(id) != nullptr) return known(id);
  return known("pdf", version.empty() ? "" : "PDF " + std::string(version), "");
}

}  // namespace cst::preservation::detect
