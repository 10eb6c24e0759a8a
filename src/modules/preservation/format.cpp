// identify(): reads the head (and tail) of the file and hands it to the detector of the family
// its signature names (format_detect.hpp); the catalogue of known formats; FormatPolicy.
#include "format.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "format_detect.hpp"

namespace cst::preservation {

namespace fs = std::filesystem;

namespace detect {

std::uint64_t le(std::string_view b, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = (v << 8) | (at + i < b.size() ? static_cast<unsigned char>(b[at + i]) : 0u);
  return v;
}
std::uint64_t be(std::string_view b, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v = (v << 8) | (at + i < b.size() ? static_cast<unsigned char>(b[at + i]) : 0u);
  return v;
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view skipSpace(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  return s;
}

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

const FileFormat* lookup(std::string_view id) {
  for (const FileFormat& f : knownFormats())
    if (f.id == id) return &f;
  return nullptr;
}

FileFormat known(std::string_view id) {
  const FileFormat* f = lookup(id);
  return f != nullptr ? *f : knownFormats().back();  // every id used below is in the catalogue
}

FileFormat known(std::string_view id, std::string name, std::string puid) {
  FileFormat f = known(id);
  if (!name.empty()) f.name = std::move(name);
  if (!puid.empty()) f.puid = std::move(puid);
  return f;
}

namespace {

// Reference §3.3: the head and the tail decide almost everything; only a PDF is read whole (its
// XMP may be anywhere) and only a zip's central directory and a few small entries are read.
constexpr std::size_t kHead = 64 * 1024;
constexpr std::size_t kTail = 1024;

bool magic(std::string_view head, std::string_view bytes, std::size_t at = 0) {
  return head.size() >= at + bytes.size() && head.compare(at, bytes.size(), bytes) == 0;
}

FileFormat identifyBytes(const Bytes& file) {
  if (file.size() == 0) return known("unknown");
  const std::string head = file.read(0, kHead);
  const bool whole = head.size() == file.size();
  const std::string tail =
      whole ? std::string()
            : file.read(file.size() - std::min<std::uint64_t>(file.size(), kTail), kTail);
  using sv = std::string_view;

  // A PDF header at the very start wins; one further in (readers tolerate junk before it) only
  // after every signature at offset 0: a signed PDF (.p7m) carries the header a few bytes in.
  const auto pdf_version = pdfVersion(head);
  if (pdf_version && startsWith(head, "%PDF-")) return pdf(*pdf_version, file);
  if (magic(head, sv("\x89PNG\r\n\x1a\n", 8))) return known("png");
  if (magic(head, sv("\xFF\xD8\xFF", 3))) return jpeg(head);
  if (magic(head, "GIF87a")) return known("gif", "GIF 87a", "fmt/3");
  if (magic(head, "GIF89a")) return known("gif", "GIF 89a", "fmt/4");
  if (magic(head, sv("II*\0", 4)) || magic(head, sv("MM\0*", 4)) || magic(head, sv("II+\0", 4)) ||
      magic(head, sv("MM\0+", 4)))
    return tiff(head, file);
  if (magic(head, sv("\0\0\0\x0CjP  \r\n\x87\n", 12))) return known("jp2");
  if (magic(head, "RIFF") && magic(head, "WAVE", 8)) return wav(head);
  if (magic(head, sv("PK\x03\x04", 4))) return zip(head, file);
  if (magic(head, sv("PK\x05\x06", 4))) return known("zip");  // empty archive
  if (magic(head, sv("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return known("ole2");
  if (magic(head, sv("\x1F\x8B", 2))) return known("gzip");
  if (magic(head, sv("7z\xBC\xAF\x27\x1C", 6))) return known("7z");
  if (magic(head, sv("Rar!\x1A\x07", 6))) return known("rar");
  if (magic(head, "ustar", 257)) return known("tar");
  if (magic(head, "{\\rtf")) return known("rtf");
  if (magic(head, "%!PS")) return known("ps");
  if (auto kind = derKind(head)) return known(*kind);
  // Further in, the file must also end as a PDF does, or a text quoting a header would pass.
  const std::string_view end =
      whole ? sv(head).substr(head.size() - std::min(head.size(), kTail)) : sv(tail);
  if (pdf_version && end.find("%%EOF") != std::string_view::npos) return pdf(*pdf_version, file);

  // Text: an encoding the content itself declares (BOM), else UTF-8.
  if (magic(head, sv("\xFE\xFF", 2)) || magic(head, sv("\xFF\xFE", 2))) {
    const bool little = head[0] == '\xFF';
    const std::string narrow = narrowUtf16(sv(head).substr(2), little);
    if (!isText(narrow, false, false)) return known("unknown");
    if (auto f = markup(narrow, true, false)) return *f;
    return known("text", "Testo semplice (UTF-16)", "");
  }
  sv body = head;
  if (magic(head, sv("\xEF\xBB\xBF", 3))) body.remove_prefix(3);
  const bool text = isText(body, false, !whole) && isText(tail, true, false);
  // An XML declaration names its own encoding (ISO-8859-1 is still common); HTML often is
  // Windows-1252: both are markup whatever their bytes.
  if (!text) {
    if (auto f = markup(body, false, whole)) return *f;
    return known("unknown");
  }
  if (auto kind = textualCms(body)) return known(*kind);
  return textual(body, tail, whole);
}

}  // namespace
}  // namespace detect

const std::vector<FileFormat>& knownFormats() {
  // Names, MIME types and extensions from Allegato 2's cards; PUIDs from PRONOM (DROID V118,
  // reference §3.2) where the content fixes them.
  static const std::vector<FileFormat> formats = {
      {"pdf-1.0", "PDF 1.0", "application/pdf", "pdf", "fmt/14"},
      {"pdf-1.1", "PDF 1.1", "application/pdf", "pdf", "fmt/15"},
      {"pdf-1.2", "PDF 1.2", "application/pdf", "pdf", "fmt/16"},
      {"pdf-1.3", "PDF 1.3", "application/pdf", "pdf", "fmt/17"},
      {"pdf-1.4", "PDF 1.4", "application/pdf", "pdf", "fmt/18"},
      {"pdf-1.5", "PDF 1.5", "application/pdf", "pdf", "fmt/19"},
      {"pdf-1.6", "PDF 1.6", "application/pdf", "pdf", "fmt/20"},
      {"pdf-1.7", "PDF 1.7", "application/pdf", "pdf", "fmt/276"},
      {"pdf-2.0", "PDF 2.0", "application/pdf", "pdf", "fmt/1129"},
      {"pdf", "PDF", "application/pdf", "pdf", ""},
      {"pdfa-1a", "PDF/A-1a", "application/pdf", "pdf", "fmt/95"},
      {"pdfa-1b", "PDF/A-1b", "application/pdf", "pdf", "fmt/354"},
      {"pdfa-2a", "PDF/A-2a", "application/pdf", "pdf", "fmt/476"},
      {"pdfa-2b", "PDF/A-2b", "application/pdf", "pdf", "fmt/477"},
      {"pdfa-2u", "PDF/A-2u", "application/pdf", "pdf", "fmt/478"},
      {"pdfa-3a", "PDF/A-3a", "application/pdf", "pdf", "fmt/479"},
      {"pdfa-3b", "PDF/A-3b", "application/pdf", "pdf", "fmt/480"},
      {"pdfa-3u", "PDF/A-3u", "application/pdf", "pdf", "fmt/481"},
      {"pdfa-4", "PDF/A-4", "application/pdf", "pdf", ""},
      {"pdfa-4e", "PDF/A-4e", "application/pdf", "pdf", ""},
      {"pdfa-4f", "PDF/A-4f", "application/pdf", "pdf", ""},
      {"xml", "XML", "application/xml", "xml", "fmt/101"},
      {"svg", "SVG", "image/svg+xml", "svg", ""},
      {"html", "HTML", "text/html", "html", "fmt/96"},
      {"json", "JSON", "application/json", "json", "fmt/817"},
      {"text", "Testo semplice (UTF-8)", "text/plain", "txt", "x-fmt/111"},
      {"eml", "Messaggio di posta elettronica", "message/rfc822", "eml", "fmt/278"},
      {"mbox", "Casella di posta (mbox)", "application/mbox", "mbox", ""},
      {"p7m", "Busta crittografica CAdES (P7M)", "application/pkcs7-mime", "p7m", "fmt/670"},
      {"p7s", "Firma CAdES separata (P7S)", "application/pkcs7-signature", "p7s", "fmt/670"},
      {"tst", "Marca temporale RFC 3161", "application/vnd.etsi.timestamp-token", "tst",
       "fmt/1717"},
      {"tsr", "Risposta di marca temporale RFC 3161 (TSR)", "application/timestamp-reply", "tsr",
       ""},
      {"png", "PNG", "image/png", "png", ""},
      {"jpeg", "JPEG", "image/jpeg", "jpg", ""},
      {"tiff", "TIFF non compresso", "image/tiff", "tif", "fmt/353"},
      {"tiff-compressed", "TIFF compresso", "image/tiff", "tif", "fmt/353"},
      {"gif", "GIF", "image/gif", "gif", ""},
      {"jp2", "JPEG 2000", "image/jp2", "jp2", ""},
      {"wav", "WAV non compresso", "audio/wav", "wav", ""},
      {"wav-compressed", "WAV compresso", "audio/wav", "wav", ""},
      {"odt", "OpenDocument Testo", "application/vnd.oasis.opendocument.text", "odt", ""},
      {"ods", "OpenDocument Foglio di calcolo", "application/vnd.oasis.opendocument.spreadsheet",
       "ods", ""},
      {"odp", "OpenDocument Presentazione", "application/vnd.oasis.opendocument.presentation",
       "odp", ""},
      {"odg", "OpenDocument Disegno", "application/vnd.oasis.opendocument.graphics", "odg", ""},
      {"odb", "OpenDocument Database", "application/vnd.oasis.opendocument.base", "odb", ""},
      {"docx", "Office Open XML Word (Transitional)",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
       "fmt/412"},
      {"xlsx", "Office Open XML Excel (Transitional)",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "fmt/214"},
      {"pptx", "Office Open XML PowerPoint (Transitional)",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
       "fmt/215"},
      {"docx-strict", "Office Open XML Word (Strict)",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
       "fmt/1827"},
      {"xlsx-strict", "Office Open XML Excel (Strict)",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "fmt/1828"},
      {"pptx-strict", "Office Open XML PowerPoint (Strict)",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
       "fmt/1829"},
      {"asic-s", "Contenitore firmato ASiC-S", "application/vnd.etsi.asic-s+zip", "asics",
       "fmt/1341"},
      {"asic-e", "Contenitore firmato ASiC-E", "application/vnd.etsi.asic-e+zip", "asice",
       "fmt/1564"},
      {"zip", "Archivio ZIP", "application/zip", "zip", "x-fmt/263"},
      {"gzip", "Archivio GZIP", "application/gzip", "gz", ""},
      {"tar", "Archivio TAR", "application/x-tar", "tar", ""},
      {"7z", "Archivio 7z", "application/x-7z-compressed", "7z", ""},
      {"rar", "Archivio RAR", "application/vnd.rar", "rar", ""},
      {"ole2", "Documento Office 97-2003 (OLE2: doc, xls, ppt)", "application/x-ole-storage", "",
       ""},
      {"rtf", "RTF", "text/rtf", "rtf", ""},
      {"ps", "PostScript", "application/postscript", "ps", ""},
      {"unknown", "Formato sconosciuto", "application/octet-stream", "", ""},
  };
  return formats;
}

Result<FileFormat> identify(const fs::path& file) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec || !fs::is_regular_file(file, ec))
    return fail(ErrorCode::kUnavailable, "file non leggibile: " + file.string());
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::kUnavailable, "file non leggibile: " + file.string());
  return detect::identifyBytes(detect::Bytes(in, size));
}

bool FormatPolicy::accepts(const FileFormat& f) const {
  return f.id != "unknown" && std::find(accepted.begin(), accepted.end(), f.id) != accepted.end();
}

FormatPolicy FormatPolicy::defaults() {
  // Allegato 2's "Conservazione" verdicts (reference §3.2), for what identify() tells apart:
  // - PDF only as PDF/A: a plain PDF (pdf-1.x) is refused and must be converted
  //   (pdf::toPdfA2b). PDF/A-4 postdates the annex's list: add "pdfa-4*" by configuration.
  // - XML only with its XSD, JSON only with its schema: the schema travels in the same package,
  //   which the SIP checks, not the format.
  // - CSV is "Sì" and is text; TXT was in the 2013 list with a declared charset, and identify()
  //   calls text only what is UTF-8 (or carries a BOM), so its charset is known.
  // - TIFF only uncompressed, JPEG only when born as JPEG (the producer's declaration), PNG.
  // - ODF text, spreadsheet and presentation (not ODG, ODB); OOXML only Strict.
  // - EML and MBOX; WAV only uncompressed (its card reads "Sì, senza compressione").
  // Not here: containers whose verdict is their content's (zip, tar, gzip, 7z: "depends on the
  // content"; p7m/p7s/ASiC envelopes: §3.3 judges the innermost document), for the caller to
  // open and judge; time-stamps (tst, tsr), evidence kept beside a document rather than
  // documents; formats the annex refuses (GIF, JPEG 2000, OLE2, RTF, RAR) or does not list (SVG,
  // HTML, PostScript).
  return FormatPolicy{{"pdfa-1a",     "pdfa-1b",     "pdfa-2a", "pdfa-2b", "pdfa-2u", "pdfa-3a",
                       "pdfa-3b",     "pdfa-3u",     "xml",     "json",    "text",    "tiff",
                       "jpeg",        "png",         "odt",     "ods",     "odp",     "docx-strict",
                       "xlsx-strict", "pptx-strict", "eml",     "mbox",    "wav"}};
}

Result<FormatPolicy> FormatPolicy::fromIds(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    if (detect::lookup(id) == nullptr || id == "unknown")
      return failField("formats",
                       "formato sconosciuto nell'elenco dei formati ammessi: \"" + id + "\"");
  }
  return FormatPolicy{ids};
}

}  // namespace cst::preservation
