#include <gtest/gtest.h>
#include <libxml/xmlsave.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "xml/signature.hpp"

namespace cst::xml {
namespace {

namespace fs = std::filesystem;

std::string dump(xmlDoc* doc) {
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &out, &size, "UTF-8");
  std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  return text;
}

TEST(XmlSignature, ASealIsCreatedOnceAndSignsVerifiably) {
  const fs::path dir = fs::temp_directory_path() / ("cst-seal-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto seal = loadOrCreateSeal(dir, "Sigillo di prova");
  ASSERT_TRUE(seal) << seal.error().detail;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "seal-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the private key is readable by others";
  auto again = loadOrCreateSeal(dir, "Sigillo di prova");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->certificate_pem, seal->certificate_pem) << "a second seal was made";

  auto doc = parse(R"(<r xmlns="urn:x"><a>uno</a><b x="2">due</b></r>)");
  ASSERT_TRUE(doc) << doc.error().detail;
  ASSERT_TRUE(signEnveloped(doc->get(), *seal));
  const std::string signed_text = dump(doc->get());
  EXPECT_NE(signed_text.find("<X509Certificate>"), std::string::npos);
  // Read back from its text, as a receiver would.
  auto read = parse(signed_text);
  ASSERT_TRUE(read);
  auto ok = verifyEnveloped(read->get(), seal->certificate_pem);
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().detail);

  // One character changed: refused. Another seal's certificate: refused.
  std::string tampered = signed_text;
  tampered.replace(tampered.find("uno"), 3, "Uno");
  auto bad = parse(tampered);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(verifyEnveloped(bad->get(), seal->certificate_pem));
  auto other = loadOrCreateSeal(dir / "other", "Altro sigillo");
  ASSERT_TRUE(other);
  auto again_read = parse(signed_text);
  ASSERT_TRUE(again_read);
  EXPECT_FALSE(verifyEnveloped(again_read->get(), other->certificate_pem));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cst::xml
