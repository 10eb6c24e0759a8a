#pragma once
// File formats of the documents offered for preservation, identified from their content (magic
// bytes and structure), never from the file name, and checked against the formats Allegato 2 of
// the AgID guidelines accepts for preservation (docs/preservation.md; reference §3). The list of
// accepted formats is configuration, this file's defaults the guidelines' own.
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cst::preservation {

struct FileFormat {
  std::string id;         // stable short name: "pdfa-2b", "pdf-1.7", "xml", "p7m", "unknown", ...
  std::string name;       // for people: "PDF/A-2b", "PDF 1.7", "XML", ...
  std::string mime;       // "application/pdf", "application/xml", ...
  std::string extension;  // the usual one, without the dot: "pdf", "xml", "p7m"
  std::string puid;       // PRONOM identifier when known ("fmt/476"), else empty
};

// What the content of `file` is. Reads at most what it needs (the head, the tail of a PDF, the
// central directory of a zip). An unrecognised content is {"unknown", ...}; an unreadable file is
// kUnavailable.
Result<FileFormat> identify(const std::filesystem::path& file);

// How a document is judged for preservation: its format, and whether the policy accepts it. A
// CAdES envelope (.p7m) is judged by the document it signs (reference §3.3), opened layer by
// layer with every signature checked against its content: `id` is then "p7m:<inner id>" and
// `signers` names each layer's signers. `problem` says why a refused document is refused.
struct Judged {
  FileFormat format;  // the file's own (the envelope's, for a .p7m)
  std::string id;     // what is recorded: format.id, or "p7m:<inner id>"
  bool accepted = false;
  std::string problem;
  std::vector<std::string> signers;
};
struct FormatPolicy;
Result<Judged> judge(const std::filesystem::path& file, const FormatPolicy& policy);

// Every format identify() can return, "unknown" last. identify() may refine the name and PUID of
// an entry with the version it reads (an ODF 1.2 text is "odt", "OpenDocument Testo 1.2",
// fmt/291), never its id, MIME type or extension.
const std::vector<FileFormat>& knownFormats();

// The formats accepted for preservation: ids of FileFormat, as in [preservation] formats.
struct FormatPolicy {
  std::vector<std::string> accepted;
  bool accepts(const FileFormat& f) const;
  // Allegato 2's formats for preservation among those identify() knows.
  static FormatPolicy defaults();
  // The policy of the configuration's list; kBadInput naming any id identify() never returns (a
  // typo would otherwise silently refuse a format), and for "unknown".
  static Result<FormatPolicy> fromIds(const std::vector<std::string>& ids);
};

}  // namespace cst::preservation
