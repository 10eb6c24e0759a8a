#include "testkit/pdf_facts.hpp"

#include <fstream>
#include <regex>
#include <sstream>

#include "common/subprocess.hpp"

namespace cst::testkit {

namespace {
std::string run(const std::vector<std::string>& argv) {
  auto r = runProcess(argv, std::chrono::seconds(30));
  return r && r->exit_code == 0 ? r->output : std::string();
}

// pdfaid:part='2' (attribute form, Ghostscript's) or <pdfaid:part>2</pdfaid:part>.
std::string xmpValue(const std::string& pdf, const std::string& name) {
  std::smatch m;
  const std::regex attribute("pdfaid:" + name + "=['\"]([^'\"]*)['\"]");
  const std::regex element("<pdfaid:" + name + ">([^<]*)</pdfaid:" + name + ">");
  if (std::regex_search(pdf, m, attribute) || std::regex_search(pdf, m, element)) return m[1];
  return {};
}
}  // namespace

PdfFacts pdfFacts(const std::string& pdf, const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "facts.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  PdfFacts f;
  f.text = run({"pdftotext", "-layout", file.string(), "-"});
  // pdffonts: two header lines, then one row per font; "emb" is the fifth-from-last column.
  std::istringstream rows(run({"pdffonts", file.string()}));
  std::string line;
  for (int i = 0; std::getline(rows, line); ++i) {
    if (i < 2 || line.empty()) continue;
    std::istringstream cols(line);
    std::vector<std::string> c;
    for (std::string w; cols >> w;) c.push_back(w);
    if (c.size() < 6) continue;
    ++f.fonts;
    if (c[c.size() - 5] != "yes") ++f.fonts_not_embedded;
  }
  f.pdfa_part = xmpValue(pdf, "part");
  f.pdfa_conformance = xmpValue(pdf, "conformance");
  f.pdfa_output_intent = pdf.find("/GTS_PDFA1") != std::string::npos;
  return f;
}

}  // namespace cst::testkit
