// Zip containers: the central directory, the first bytes of a few entries (inflated with zlib),
// and the packages built on zip, ODF, ASiC and OOXML.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format_detect.hpp"

namespace cst::preservation::detect {

namespace {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflated
  std::uint64_t compressed = 0;
  std::uint64_t local_header = 0;
};

// A zip's central directory, from the end of central directory record and its ZIP64 form
// (APPNOTE.TXT §4.3.14-16); nullopt when it cannot be found or is implausibly large.
std::optional<std::vector<ZipEntry>> centralDirectory(const Bytes& file) {
  constexpr std::size_t kEocd = 22, kMaxComment = 0xFFFF;
  constexpr std::uint64_t kMaxDirectory = 64u << 20;
  const std::uint64_t tail_start =
      file.size() > kEocd + kMaxComment ? file.size() - (kEocd + kMaxComment) : 0;
  const std::string tail = file.read(tail_start, kEocd + kMaxComment);
  std::size_t at = tail.rfind(std::string_view("PK\x05\x06", 4));
  while (at != std::string::npos && at + kEocd > tail.size())
    at = at == 0 ? std::string::npos : tail.rfind(std::string_view("PK\x05\x06", 4), at - 1);
  if (at == std::string::npos) return std::nullopt;
  std::uint64_t count = le(tail, at + 10, 2), size = le(tail, at + 12, 4),
                offset = le(tail, at + 16, 4);
  if (count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF) {
    if (at < 20 || tail.compare(at - 20, 4, "PK\x06\x07") != 0) return std::nullopt;
    const std::string z64 = file.read(le(tail, at - 20 + 8, 8), 56);
    if (z64.size() < 56 || z64.compare(0, 4, "PK\x06\x06") != 0) return std::nullopt;
    count = le(z64, 32, 8);
    size = le(z64, 40, 8);
    offset = le(z64, 48, 8);
  }
  if (size > kMaxDirectory) return std::nullopt;
  const std::string dir = file.read(offset, static_cast<std::size_t>(size));
  std::vector<ZipEntry> entries;
  std::size_t p = 0;
  while (entries.size() < count && p + 46 <= dir.size() && dir.compare(p, 4, "PK\x01\x02") == 0) {
    const std::size_t name_len = le(dir, p + 28, 2), extra_len = le(dir, p + 30, 2),
                      comment_len = le(dir, p + 32, 2);
    if (p + 46 + name_len + extra_len > dir.size()) break;
    ZipEntry e;
    e.method = static_cast<std::uint16_t>(le(dir, p + 10, 2));
    e.compressed = le(dir, p + 20, 4);
    const std::uint64_t uncompressed = le(dir, p + 24, 4);
    e.local_header = le(dir, p + 42, 4);
    e.name = dir.substr(p + 46, name_len);
    // ZIP64 extended information (§4.5.3): only the fields whose 32-bit value is saturated.
    const std::string_view extra = std::string_view(dir).substr(p + 46 + name_len, extra_len);
    for (std::size_t x = 0; x + 4 <= extra.size();) {
      const std::size_t id = le(extra, x, 2), len = le(extra, x + 2, 2);
      if (id == 1) {
        std::size_t f = x + 4;
        if (uncompressed == 0xFFFFFFFF) f += 8;
        if (e.compressed == 0xFFFFFFFF) e.compressed = le(extra, f, 8), f += 8;
        if (e.local_header == 0xFFFFFFFF) e.local_header = le(extra, f, 8);
      }
      x += 4 + len;
    }
    entries.push_back(std::move(e));
    p += 46 + name_len + extra_len + comment_len;
  }
  return entries;
}

// The first `max` bytes of an entry's content, inflated when deflated; empty when unreadable.
std::string entryPrefix(const Bytes& file, const ZipEntry& e, std::size_t max) {
  const std::string local = file.read(e.local_header, 30);
  if (local.size() < 30 || local.compare(0, 4, "PK\x03\x04") != 0) return {};
  const std::uint64_t data = e.local_header + 30 + le(local, 26, 2) + le(local, 28, 2);
  if (e.method == 0)
    return file.read(data, static_cast<std::size_t>(std::min<std::uint64_t>(max, e.compressed)));
  if (e.method != 8) return {};
  // Deflate rarely compresses XML better than 1:50; this much input gives `max` bytes out.
  std::string in =
      file.read(data, static_cast<std::size_t>(std::min<std::uint64_t>(e.compressed, max * 64)));
  std::string out(max, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return {};
  z.next_in = reinterpret_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_SYNC_FLUSH);
  out.resize(out.size() - z.avail_out);
  inflateEnd(&z);
  if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return {};
  return out;
}

const ZipEntry* findEntry(const std::vector<ZipEntry>& entries, std::string_view name) {
  for (const ZipEntry& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

bool hasEntryUnder(const std::vector<ZipEntry>& entries, std::string_view dir) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const ZipEntry& e) { return startsWith(e.name, dir); });
}

// OpenDocument (ODF 1.2 part 3 §3.3): `mimetype`, stored, is the package's first entry. Its
// version is office:version on the root of content.xml (or meta.xml).
std::optional<FileFormat> odf(std::string_view mimetype, const Bytes& file,
                              const std::vector<ZipEntry>& entries) {
  struct Kind {
    std::string_view mime, id, name, puid11, puid12, puid13;
  };
  static constexpr std::array<Kind, 5> kinds{{
      {"application/vnd.oasis.opendocument.text", "odt", "OpenDocument Testo", "fmt/290", "fmt/291",
       "fmt/1756"},
      {"application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument Foglio di calcolo",
       "fmt/294", "fmt/295", ""},
      {"application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument Presentazione",
       "fmt/292", "fmt/293", ""},
      {"application/vnd.oasis.opendocument.graphics", "odg", "OpenDocument Disegno", "", "", ""},
      {"application/vnd.oasis.opendocument.base", "odb", "OpenDocument Database", "", "", ""},
  }};
  for (const Kind& k : kinds) {
    if (mimetype != k.mime) continue;
    std::string version;
    for (std::string_view part : {"content.xml", "meta.xml"}) {
      const ZipEntry* e = findEntry(entries, part);
      if (e == nullptr) continue;
      version = xmpProperty(entryPrefix(file, *e, 4096), "office", "version");
      if (!version.empty()) break;
    }
    const std::string_view puid = version == "1.1"   ? k.puid11
                                  : version == "1.2" ? k.puid12
                                  : version == "1.3" ? k.puid13
                                                     : std::string_view();
    return known(k.id, version.empty() ? std::string() : std::string(k.name) + " " + version,
                 std::string(puid));
  }
  return std::nullopt;
}

// Office Open XML (ISO/IEC 29500): [Content_Types].xml, the main part under word/, xl/ or ppt/.
// Strict (ISO/IEC 29500-1 Strict conformance) uses http://purl.oclc.org/ooxml/ for its
// relationship types and namespaces, Transitional http://schemas.openxmlformats.org/.
std::optional<FileFormat> ooxml(const Bytes& file, const std::vector<ZipEntry>& entries) {
  if (findEntry(entries, "[Content_Types].xml") == nullptr) return std::nullopt;
  struct Kind {
    std::string_view dir, id, main_part, strict_ns;
  };
  static constexpr std::array<Kind, 3> kinds{{
      {"word/", "docx", "word/document.xml", "http://purl.oclc.org/ooxml/wordprocessingml/main"},
      {"xl/", "xlsx", "xl/workbook.xml", "http://purl.oclc.org/ooxml/spreadsheetml/main"},
      {"ppt/", "pptx", "ppt/presentation.xml", "http://purl.oclc.org/ooxml/presentationml/main"},
  }};
  for (const Kind& k : kinds) {
    if (!hasEntryUnder(entries, k.dir)) continue;
    bool strict = false;
    if (const ZipEntry* rels = findEntry(entries, "_rels/.rels"))
      strict = entryPrefix(file, *rels, 64 * 1024)
                   .find("http://purl.oclc.org/ooxml/officeDocument/relationships/") !=
               std::string::npos;
    if (const ZipEntry* main = findEntry(entries, k.main_part); main != nullptr && !strict)
      strict = entryPrefix(file, *main, 4096).find(k.strict_ns) != std::string::npos;
    return known(std::string(k.id) + (strict ? "-strict" : ""));
  }
  return std::nullopt;
}

}  // namespace

FileFormat zip(std::string_view head, const Bytes& file) {
  const auto entries = centralDirectory(file);
  // The first local header, for ODF's and ASiC's stored `mimetype`.
  if (head.size() >= 30 && head.compare(30, 8, "mimetype") == 0 && le(head, 26, 2) == 8 &&
      le(head, 8, 2) == 0) {
    const std::size_t data = 30 + 8 + le(head, 28, 2);
    const std::string_view mimetype =
        head.substr(std::min(data, head.size()), std::min<std::size_t>(le(head, 18, 4), 200));
    if (entries)
      if (auto f = odf(mimetype, file, *entries)) return *f;
    if (mimetype == "application/vnd.etsi.asic-s+zip") return known("asic-s");
    if (mimetype == "application/vnd.etsi.asic-e+zip") return known("asic-e");
  }
  if (entries)
    if (auto f = ooxml(file, *entries)) return *f;
  return known("zip");
}

}  // namespace cst::preservation::detect
