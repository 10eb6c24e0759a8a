#pragma once
// PDF/A-2b (ISO 19005-2, level B), the format the AgID guidelines (Allegato 2) prefer for
// documents kept in preservation, made from an ordinary PDF by Ghostscript's pdfwrite: fonts
// embedded (subsets; the standard Helvetica of libharu's PDFs becomes its metric-compatible URW
// clone), colours converted to sRGB with the sRGB profile as output intent, XMP metadata with
// the PDF/A identification taken from the input's Info dictionary. libharu, which draws the
// platform's PDFs, cannot write PDF/A itself.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::pdf {

struct PdfAOptions {
  std::string ghostscript = "gs";  // [pdfa] ghostscript: a path or a name in PATH
  // [pdfa] icc_profile: the output intent's profile (Debian: package ghostscript)
  std::filesystem::path icc_profile = "/usr/share/color/icc/ghostscript/srgb.icc";
  std::filesystem::path work_dir;  // where the temporary files go (removed before returning)
  std::chrono::milliseconds limit{60'000};
};

// The PDF/A-2b version of `pdf`. Ghostscript is told to stop rather than write a file that would
// not be PDF/A (PDFACompatibilityPolicy=2): kUnavailable with its message, never a plain PDF
// passed off as PDF/A.
Result<std::string> toPdfA2b(std::string_view pdf, const PdfAOptions& options);

}  // namespace cst::pdf
