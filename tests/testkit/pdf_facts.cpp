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

std::string onePagePdf(const std::string& line, const std::string& version,
                       const std::string& extra) {
  const std::string content = "BT /F1 14 Tf 72 720 Td (" + line + ") Tj ET";
  std::vector<std::string> objects{
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Title (Registro giornaliero di prova) /Producer (test) >>"};
  if (!extra.empty())
    objects.push_back("<< /Length " + std::to_string(extra.size()) + " >>\nstream\n" + extra +
                      "\nendstream");
  std::string pdf = "%PDF-" + version + "\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t o : offsets) {
    const std::string n = std::to_string(o);
    pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 6 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace cst::testkit
