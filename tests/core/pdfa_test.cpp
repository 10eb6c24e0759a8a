// Running helper programs, and PDF/A-2b through Ghostscript (the daily protocol register's form
// for preservation), checked from outside with poppler's tools.
#include "pdf/pdfa.hpp"

#include <gtest/gtest.h>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"
#include "testkit/pdf_facts.hpp"

namespace cst {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(Subprocess, ReportsExitCodeAndOutputWithoutAShell) {
  auto r = runProcess({"sh", "-c", "echo fuori; echo errore >&2; exit 3"}, 10s);
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_NE(r->output.find("fuori"), std::string::npos);
  EXPECT_NE(r->output.find("errore"), std::string::npos);
  // An argument is one argument: nothing in it is interpreted.
  r = runProcess({"echo", "$HOME; rm -rf /"}, 10s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->output, "$HOME; rm -rf /\n");
}

TEST(Subprocess, AMissingProgramOrOneOverItsTimeIsUnavailable) {
  auto missing = runProcess({"/nonexistent/gs"}, 10s);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  const auto t0 = std::chrono::steady_clock::now();
  auto slow = runProcess({"sleep", "30"}, 300ms);
  ASSERT_FALSE(slow.has_value());
  EXPECT_EQ(slow.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(slow.error().detail.find("stopped"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 20s) << "killed, not waited for";
}

std::string plainPdf(const std::string& line) { return testkit::onePagePdf(line); }

class PdfA : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("cst-pdfa-test-" + randomToken(8));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  pdf::PdfAOptions options() const {
    pdf::PdfAOptions o;
    o.work_dir = dir_;
    return o;
  }
};

TEST_F(PdfA, APlainPdfBecomesPdfA2bWithItsTextFontsEmbeddedAndTheOutputIntent) {
  const std::string plain = plainPdf("Protocollo n. 0000001 del 26/11/2026");
  const testkit::PdfFacts before = testkit::pdfFacts(plain, dir_);
  ASSERT_NE(before.text.find("Protocollo n. 0000001"), std::string::npos) << "a valid input";
  EXPECT_EQ(before.fonts_not_embedded, 1);
  EXPECT_TRUE(before.pdfa_part.empty());

  auto a = pdf::toPdfA2b(plain, options());
  ASSERT_TRUE(a.has_value()) << a.error().detail;
  const testkit::PdfFacts after = testkit::pdfFacts(*a, dir_);
  EXPECT_EQ(after.pdfa_part, "2");
  EXPECT_EQ(after.pdfa_conformance, "B");
  EXPECT_TRUE(after.pdfa_output_intent);
  EXPECT_GE(after.fonts, 1);
  EXPECT_EQ(after.fonts_not_embedded, 0) << "PDF/A embeds every font";
  EXPECT_NE(after.text.find("Protocollo n. 0000001 del 26/11/2026"), std::string::npos);
  EXPECT_NE(a->find("Registro giornaliero di prova"), std::string::npos)
      << "the title reaches the metadata";
  std::size_t left = 0;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().filename().string().starts_with("pdfa-")) ++left;
  EXPECT_EQ(left, 0u) << "the work directory is removed";
}

TEST_F(PdfA, WithoutGhostscriptOrItsProfileNothingIsPassedOffAsPdfA) {
  pdf::PdfAOptions o = options();
  o.ghostscript = "/nonexistent/gs";
  auto a = pdf::toPdfA2b(plainPdf("x"), o);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);

  o = options();
  o.icc_profile = dir_ / "missing.icc";
  a = pdf::toPdfA2b(plainPdf("x"), o);
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().detail.find("missing.icc"), std::string::npos);

  a = pdf::toPdfA2b("questo non è un PDF", options());
  ASSERT_FALSE(a.has_value()) << "Ghostscript's refusal is an error, not an empty PDF";
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace cst
