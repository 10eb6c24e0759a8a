#pragma once
// The detectors behind identify() (format.hpp), one file a family: format.cpp dispatches on the
// head of the file and holds the shared byte and character helpers, format_pdf.cpp, format_zip.cpp,
// format_cms.cpp, format_media.cpp and format_text.cpp recognise their formats. Private to the
// module: nothing outside format*.cpp includes it.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "format.hpp"

namespace cst::preservation::detect {

// Random-access reads of the file being identified.
class Bytes {
 public:
  Bytes(std::ifstream& in, std::uint64_t size) : in_(in), size_(size) {}
  std::uint64_t size() const { return size_; }
  // Up to `n` bytes from `offset`: fewer at the end of the file, none past it.
  std::string read(std::uint64_t offset, std::size_t n) const {
    if (offset >= size_) return {};
    n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
    std::string out(n, '\0');
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(out.data(), static_cast<std::streamsize>(n));
    out.resize(static_cast<std::size_t>(std::max<std::streamsize>(in_.gcount(), 0)));
    return out;
  }

 private:
  std::ifstream& in_;
  std::uint64_t size_;
};

// format.cpp: bytes, characters and the catalogue.

// Little- and big-endian integers at `at`; 0 past the end (callers check sizes first where it
// matters).
std::uint64_t le(std::string_view b, std::size_t at, int n);
std::uint64_t be(std::string_view b, std::size_t at, int n);

bool startsWith(std::string_view s, std::string_view prefix);
char lower(char c);  // ASCII only
bool startsWithNoCase(std::string_view s, std::string_view prefix);
bool isSpace(char c);  // XML's white space
std::string_view skipSpace(std::string_view s);
bool isNameChar(char c);  // the ASCII characters of an XML name, but ':'

// The entry of knownFormats() with this id; nullptr when there is none.
const FileFormat* lookup(std::string_view id);
// The entry with this id, optionally with a refined name and PUID (empty: the catalogue's).
FileFormat known(std::string_view id);
FileFormat known(std::string_view id, std::string name, std::string puid);

// format_pdf.cpp

// ISO 32000-1 §7.5.2: "%PDF-1.n" opens the file; readers accept it within the first 1024 bytes.
// The version ("1.7"), empty when no "n.n" follows the header; nullopt without a header.
std::optional<std::string> pdfVersion(std::string_view head);
// A PDF/A when the file's XMP claims a valid part and level, else the PDF of `version`.
FileFormat pdf(std::string_view version, const Bytes& file);
// The value of `prefix:name` in `window`, written as an attribute (pdfaid:part="2") or as an
// element (<pdfaid:part>2</pdfaid:part>): XMP allows both. Empty when absent.
std::string xmpProperty(std::string_view window, std::string_view prefix, std::string_view name);

// format_zip.cpp

// A zip (its head starts with a local file header): ODF, ASiC, OOXML or a plain "zip".
FileFormat zip(std::string_view head, const Bytes& file);

// format_cms.cpp

// What a DER/BER file is: a CMS envelope ("p7m", "p7s"), a time-stamp token ("tst") or a
// time-stamp reply ("tsr"); nullopt for anything else.
std::optional<std::string_view> derKind(std::string_view der);
// A CAdES envelope saved as text: PEM ("-----BEGIN PKCS7-----", "-----BEGIN CMS-----") or bare
// base64, as some signing applications write their .p7m.
std::optional<std::string_view> textualCms(std::string_view text);

// format_media.cpp

// TIFF 6.0 §8 (and BigTIFF): "tiff" when the first image has no compression (tag 259 absent or
// 1), as Allegato 2's card asks, "tiff-compressed" otherwise.
FileFormat tiff(std::string_view head, const Bytes& file);
// RIFF WAVE: "wav" for PCM or IEEE float samples (uncompressed, as Allegato 2's WAV card asks),
// "wav-compressed" for any other codec.
FileFormat wav(std::string_view head);
// "jpeg", with the JFIF version when the head has one.
FileFormat jpeg(std::string_view head);

// format_text.cpp

// Valid UTF-8 text: no NUL, no control characters other than tab, line breaks and form feed.
// `cut_start`/`cut_end`: the sample was cut out of a longer file there, so a character split by
// the cut is not an error.
bool isText(std::string_view s, bool cut_start, bool cut_end);
// UTF-16 text narrowed to one byte a character, enough to read markup: ASCII kept, anything
// else 'x', NUL kept (so that binary content still fails isText).
std::string narrowUtf16(std::string_view s, bool little);
// XML, and the XML and HTML documents with a format of their own. `whole`: `s` is the entire
// file, so an XML without declaration can be checked for being well formed.
std::optional<FileFormat> markup(std::string_view s, bool text, bool whole);
// What a text (`head`, and `tail` unless `whole`) is: markup, JSON, a message or an mbox, else
// plain text.
FileFormat textual(std::string_view head, std::string_view tail, bool whole);

}  // namespace cst::preservation::detect
