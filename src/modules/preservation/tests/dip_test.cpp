// The DIP end to end: downloaded from the real `cst serve`, checked offline by `cst conservazione
// verify` (and its pieces by standard tools), tampered with in every part it protects.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"
#include "pdf/pdfa.hpp"
#include "sample_sips.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/pdf_facts.hpp"
#include "zip_file.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Dip : public DemoServerSuite<Dip> {
 protected:
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override {
    fs::remove_all(dir_);
    DemoServerSuite<Dip>::TearDown();
  }
  // A new AIP of Cremona (its id) and its DIP's bytes.
  std::pair<std::string, std::string> aipWithDip(HttpClient& c) {
    const std::string id = offerRegisterAip(c, "019036");
    auto dip = c.get("/api/v1/preservation/aips/" + id + "/dip");
    EXPECT_EQ(dip.status, 200) << dip.body;
    return {id, dip.body};
  }
  // `cst conservazione verify` on `zip`: exit code and output.
  std::pair<int, std::string> verify(const std::string& zip, std::vector<std::string> extra = {}) {
    const fs::path file = dir_ / ("dip-" + randomToken(4) + ".zip");
    std::ofstream(file, std::ios::binary) << zip;
    std::vector<std::string> argv{CST_BINARY, "conservazione", "verify", file.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = runProcess(argv, 60s);
    EXPECT_TRUE(r.has_value());
    return r ? std::pair{r->exit_code, r->output} : std::pair{-1, std::string()};
  }
  // The DIP with `name` replaced by `bytes` (or removed when nullopt, or added when new).
  static std::string changed(const std::string& zip, const std::string& name,
                             const std::optional<std::string>& bytes) {
    auto entries = preservation::readZip(zip);
    EXPECT_TRUE(entries.has_value());
    std::vector<std::pair<std::string, std::string>> out;
    bool seen = false;
    for (auto& [n, b] : *entries) {
      if (n == name) {
        seen = true;
        if (bytes) out.emplace_back(n, *bytes);
      } else {
        out.emplace_back(n, b);
      }
    }
    if (!seen && bytes) out.emplace_back(name, *bytes);
    auto z = preservation::writeZip(out);
    EXPECT_TRUE(z.has_value());
    return z ? *z : "";
  }
  static std::string flipped(std::string s, std::size_t at) {
    s[at % s.size()] = static_cast<char>(s[at % s.size()] ^ 0x01);
    return s;
  }
  fs::path dir_ = fs::temp_directory_path() / ("cst-dip-test-" + randomToken(6));
};

TEST_F(Dip, ADownloadedDipVerifiesOfflineAndHoldsThePackage) {
  HttpClient clerk = as("impiegato.cremona");
  const auto [aip_id, zip] = aipWithDip(clerk);
  auto entries = preservation::readZip(zip);
  ASSERT_TRUE(entries.has_value()) << entries.error().detail;
  for (const std::string& name :
       {"documenti/01-" + kRegisterPdf, "documenti/02-" + kRegisterJson,
        std::string("metadati.json"), std::string("indice.xml"), std::string("indice.xml.p7s"),
        std::string("indice.xml.p7s.tsr"), std::string("certificati/sigillo.pem"),
        std::string("certificati/tsa.pem"), std::string("LEGGIMI.txt")})
    EXPECT_TRUE(entries->count(name)) << name;
  // Byte for byte what the AIP lists.
  const Json aip = clerk.get("/api/v1/preservation/aips/" + aip_id).json();
  for (const Json& f : aip["files"])
    EXPECT_EQ(sha256Hex(entries->at(f["path"].get<std::string>())), f["sha256"]) << f["path"];

  auto [code, out] = verify(zip);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("DIP integro"), std::string::npos) << out;
  // The zip was written to disk and streamed: nothing of it is left behind.
  for (const auto& e :
       fs::directory_iterator(server_->dataDir() / "conservazione" / "copia-1" / "tmp"))
    EXPECT_EQ(e.path().filename().string().rfind("dip-", 0), std::string::npos) << e.path();
  EXPECT_NE(out.find("firma CAdES dell'indice valida"), std::string::npos) << out;
  // Trusting certificates obtained independently: the server's own files.
  const fs::path keys = server_->dataDir() / "keys";
  std::tie(code, out) =
      verify(zip, {"--seal-certificate", (keys / "conservazione" / "seal-certificate.pem").string(),
                   "--tsa-certificate", (keys / "tsa" / "tsa-certificate.pem").string()});
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.find("contenuto nel DIP"), std::string::npos) << out;

  // Each download is in the audit log.
  HttpClient admin = as("admin");
  const Json audit = admin.get("/api/v1/audit?limit=50").json();
  bool logged = false;
  for (const Json& e : audit["items"])
    logged = logged || (e["action"] == "preservation.dip.download" && e["object_id"] == aip_id);
  EXPECT_TRUE(logged) << audit.dump().substr(0, 2000);
}

TEST_F(Dip, ATamperedDipFailsNamingWhatChanged) {
  HttpClient clerk = as("impiegato.cremona");
  const auto [aip_id, zip] = aipWithDip(clerk);
  auto entries = preservation::readZip(zip);
  ASSERT_TRUE(entries.has_value());
  const std::string doc = "documenti/01-" + kRegisterPdf;

  struct Case {
    std::string name;
    std::optional<std::string> bytes;
    std::string expected;  // in the output
  };
  const std::vector<Case> cases{
      {doc, flipped(entries->at(doc), 1000), doc + ": impronta SHA-256 diversa"},
      {doc, std::nullopt, doc + ": elencato nell'indice ma assente"},
      {"documenti/99-aggiunto.pdf", std::string("%PDF-1.7"),
       "documenti/99-aggiunto.pdf: file non elencato"},
      {"indice.xml", flipped(entries->at("indice.xml"), 40), "indice.xml.p7s: firma non valida"},
      {"indice.xml.p7s", flipped(entries->at("indice.xml.p7s"), 300), "indice.xml.p7s"},
      {"indice.xml.p7s.tsr", flipped(entries->at("indice.xml.p7s.tsr"), 200),
       "indice.xml.p7s.tsr: marca temporale non valida"},
  };
  for (const Case& c : cases) {
    auto [code, out] = verify(changed(zip, c.name, c.bytes));
    EXPECT_EQ(code, 1) << c.name << ":\n" << out;
    EXPECT_NE(out.find("ERRORE  " + c.expected), std::string::npos) << c.name << ":\n" << out;
    EXPECT_NE(out.find("DIP NON integro"), std::string::npos) << out;
  }
  // Another seal than the one that signed: refused.
  const fs::path other = dir_ / "other.pem";
  auto made = runProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                          (dir_ / "other.key").string(), "-out", other.string(), "-days", "1",
                          "-subj", "/CN=Altro sigillo"},
                         60s);
  ASSERT_TRUE(made && made->exit_code == 0);
  auto [code, out] = verify(zip, {"--seal-certificate", other.string()});
  EXPECT_EQ(code, 1) << out;
  // Not a zip at all.
  std::tie(code, out) = verify("questo non è uno zip");
  EXPECT_EQ(code, 2) << out;
}

TEST_F(Dip, AnotherEntesDipIsAbsent) {
  HttpClient clerk = as("impiegato.cremona");
  const auto [aip_id, zip] = aipWithDip(clerk);
  EXPECT_EQ(as("ref.crema").get("/api/v1/preservation/aips/" + aip_id + "/dip").status, 404);
  EXPECT_EQ(as("cittadino.bianchi").get("/api/v1/preservation/aips/" + aip_id + "/dip").status,
            403);
  EXPECT_EQ(clerk.get("/api/v1/preservation/aips/inesistente/dip").status, 404);
}

}  // namespace
}  // namespace cst::testkit
