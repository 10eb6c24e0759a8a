#include "pdf/pdfa.hpp"

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"

namespace cst::pdf {

namespace fs = std::filesystem;

namespace {

// PostScript string literal: the profile's path between parentheses, with the three characters
// PostScript escapes.
std::string psString(const std::string& s) {
  std::string out = "(";
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

// The pdfmark program, run before the input, that gives the output its PDF/A output intent: the
// ICC profile embedded as a stream, an OutputIntent of subtype GTS_PDFA1 pointing at it, in the
// catalogue (ISO 19005-2 §6.2.3).
std::string outputIntentProgram(const fs::path& icc) {
  return "%!\n"
         "[ /_objdef {cst_icc} /type /stream /OBJ pdfmark\n"
         "[ {cst_icc} << /N 3 >> /PUT pdfmark\n"
         "[ {cst_icc} " +
         psString(icc.string()) +
         " (r) file /PUT pdfmark\n"
         "[ /_objdef {cst_intent} /type /dict /OBJ pdfmark\n"
         "[ {cst_intent} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {cst_icc}\n"
         "   /OutputConditionIdentifier (sRGB) /Info (sRGB IEC61966-2.1) >> /PUT pdfmark\n"
         "[ {Catalog} << /OutputIntents [ {cst_intent} ] >> /PUT pdfmark\n";
}

struct WorkDir {
  fs::path path;
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool writeFile(const fs::path& p, std::string_view content) {
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out.flush());
}

}  // namespace

Result<std::string> toPdfA2b(std::string_view pdf, const PdfAOptions& o) {
  std::error_code ec;
  if (!fs::is_regular_file(o.icc_profile, ec))
    return fail(ErrorCode::kUnavailable,
                "PDF/A: profilo colore non trovato: " + o.icc_profile.string() +
                    " (pacchetto ghostscript, o [pdfa] icc_profile)");
  WorkDir work{(o.work_dir.empty() ? fs::temp_directory_path() : o.work_dir) /
               ("pdfa-" + randomToken(8))};
  fs::create_directories(work.path, ec);
  const fs::path input = work.path / "input.pdf", program = work.path / "intent.ps",
                 output = work.path / "output.pdf";
  if (ec || !writeFile(input, pdf) || !writeFile(program, outputIntentProgram(o.icc_profile)))
    return fail(ErrorCode::kUnavailable, "PDF/A: cannot write in " + work.path.string());

  auto run = runProcess({o.ghostscript, "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER",
                         "--permit-file-read=" + o.icc_profile.string(), "-sDEVICE=pdfwrite",
                         "-dPDFA=2", "-dPDFACompatibilityPolicy=2", "-sColorConversionStrategy=RGB",
                         "-sOutputFile=" + output.string(), program.string(), input.string()},
                        o.limit);
  if (!run) return tl::unexpected(run.error());
  if (run->exit_code != 0 || !fs::is_regular_file(output, ec))
    return fail(ErrorCode::kUnavailable, "PDF/A: Ghostscript (" + o.ghostscript +
                                             ") ha terminato con codice " +
                                             std::to_string(run->exit_code) + ": " + run->output);
  std::ifstream in(output, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace cst::pdf
