#pragma once
// What a test can check of a PDF from outside, with poppler's tools (poppler-utils) and its
// bytes: its text as a reader sees it, its fonts, and the PDF/A identification and output intent
// that ISO 19005 requires (a structural check; a full validation needs veraPDF, not packaged
// by Debian).
#include <filesystem>
#include <string>

namespace cst::testkit {

struct PdfFacts {
  std::string text;                 // pdftotext -layout
  int fonts = 0;                    // rows of pdffonts
  int fonts_not_embedded = 0;       // rows whose "emb" column is "no"
  std::string pdfa_part;            // XMP pdfaid:part, empty when absent
  std::string pdfa_conformance;     // XMP pdfaid:conformance
  bool pdfa_output_intent = false;  // an OutputIntent of subtype GTS_PDFA1
};

// `dir`: where the PDF is written for the tools to read.
PdfFacts pdfFacts(const std::string& pdf, const std::filesystem::path& dir);

// A one-page PDF (header `version`) showing `line` in the standard Helvetica, not embedded (as
// libharu writes them), with an Info title and its cross-reference table; `extra`, when given,
// goes in as one more stream object (an XMP packet, padding).
std::string onePagePdf(const std::string& line, const std::string& version = "1.4",
                       const std::string& extra = "");

}  // namespace cst::testkit
