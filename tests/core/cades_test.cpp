// CAdES-BES detached signatures, checked by verifyDetached and, independently, by the OpenSSL
// command line (`openssl cms -verify -cades`): what an auditor would run on a package.
#include "sign/cades.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"

namespace cst::sign {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void writeFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ProcessOutcome openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  auto outcome = runProcess(args, 60s);
  EXPECT_TRUE(outcome) << outcome.error().detail;
  return outcome ? *outcome : ProcessOutcome{};
}

// Binary on purpose: NUL, CR LF and a lone LF must be signed as they are (CMS_BINARY).
const std::string kIndex = std::string("<PIndex>\r\nindice\0del PdA\n</PIndex>", 34);

class CadesTest : public ::testing::Test {
 protected:
  // Two seals for the whole suite: an RSA-3072 key takes a while to make.
  static void SetUpTestSuite() {
    keys_ = fs::temp_directory_path() / ("cst-cades-keys-" + randomToken(8));
    auto seal = xml::loadOrCreateSeal(keys_ / "seal", "Sigillo di prova");
    auto other = xml::loadOrCreateSeal(keys_ / "other", "Altro sigillo");
    ASSERT_TRUE(seal && other);
    seal_ = *seal;
    other_ = *other;
  }
  static void TearDownTestSuite() { fs::remove_all(keys_); }
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  // The signature, the content and the seal's certificate as files, for the command line.
  void writeForCli(const std::string& signature, const std::string& content) {
    writeFile(dir_ / "sig.p7s", signature);
    writeFile(dir_ / "data", content);
    writeFile(dir_ / "cert.pem", seal_.certificate_pem);
  }
  ProcessOutcome cliVerify(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"cms",
                                     "-verify",
                                     "-binary",
                                     "-inform",
                                     "DER",
                                     "-in",
                                     (dir_ / "sig.p7s").string(),
                                     "-content",
                                     (dir_ / "data").string(),
                                     "-CAfile",
                                     (dir_ / "cert.pem").string(),
                                     "-out",
                                     "/dev/null"};
    args.insert(args.begin() + 3, extra.begin(), extra.end());
    return openssl(args);
  }

  static inline fs::path keys_;
  static inline xml::SealKey seal_;
  static inline xml::SealKey other_;
  fs::path dir_ = fs::temp_directory_path() / ("cst-cades-test-" + randomToken(8));
};

TEST_F(CadesTest, ADetachedSignatureVerifiesWithTheOpensslCommandLine) {
  auto signature = signDetached(kIndex, seal_);
  ASSERT_TRUE(signature) << signature.error().detail;
  writeForCli(*signature, kIndex);
  const ProcessOutcome verified = cliVerify({"-cades"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("Verification successful"), std::string::npos) << verified.output;

  const ProcessOutcome printed =
      openssl({"cms", "-cmsout", "-print", "-inform", "DER", "-in", (dir_ / "sig.p7s").string()});
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_NE(printed.output.find("signingCertificateV2"), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find("signingTime"), std::string::npos);
  EXPECT_NE(printed.output.find("messageDigest"), std::string::npos);
  EXPECT_NE(printed.output.find("eContent: <ABSENT>"), std::string::npos) << "not detached";
  EXPECT_EQ(printed.output.find("smimeCapabilities"), std::string::npos) << printed.output;
  EXPECT_NE(printed.output.find("algorithm: sha256"), std::string::npos);

  // The command line tells the content apart as well: one byte more and it refuses.
  writeFile(dir_ / "data", kIndex + " ");
  EXPECT_NE(cliVerify({"-cades"}).exit_code, 0);
}

TEST_F(CadesTest, VerifyDetachedAcceptsTheSignatureAndRefusesAnyChange) {
  auto signature = signDetached(kIndex, seal_);
  ASSERT_TRUE(signature) << signature.error().detail;
  auto ok = verifyDetached(*signature, kIndex, seal_.certificate_pem);
  EXPECT_TRUE(ok) << ok.error().detail;

  std::string content = kIndex;
  content[10] ^= 0x01;
  auto changed_content = verifyDetached(*signature, content, seal_.certificate_pem);
  ASSERT_FALSE(changed_content);
  EXPECT_EQ(changed_content.error().code, ErrorCode::kBadInput);

  // The last byte of the DER is the last byte of the RSA signature value.
  std::string tampered = *signature;
  tampered.back() ^= 0x01;
  auto changed_signature = verifyDetached(tampered, kIndex, seal_.certificate_pem);
  ASSERT_FALSE(changed_signature);
  EXPECT_EQ(changed_signature.error().code, ErrorCode::kBadInput);

  auto other_trust = verifyDetached(*signature, kIndex, other_.certificate_pem);
  ASSERT_FALSE(other_trust);
  EXPECT_EQ(other_trust.error().code, ErrorCode::kBadInput);
  EXPECT_NE(other_trust.error().detail.find("fidato"), std::string::npos)
      << other_trust.error().detail;

  auto garbage = verifyDetached("not a signature", kIndex, seal_.certificate_pem);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kBadInput);
}

TEST_F(CadesTest, ACmsSignatureWithoutTheSigningCertificateAttributeIsNotCades) {
  writeFile(dir_ / "data", kIndex);
  writeFile(dir_ / "key.pem", seal_.key_pem);
  writeFile(dir_ / "cert.pem", seal_.certificate_pem);
  const ProcessOutcome signed_plain =
      openssl({"cms", "-sign", "-binary", "-md", "sha256", "-in", (dir_ / "data").string(),
               "-signer", (dir_ / "cert.pem").string(), "-inkey", (dir_ / "key.pem").string(),
               "-outform", "DER", "-out", (dir_ / "sig.p7s").string()});
  ASSERT_EQ(signed_plain.exit_code, 0) << signed_plain.output;
  // A valid CMS signature by the right key: refused only for the missing ESS attribute.
  ASSERT_EQ(cliVerify().exit_code, 0);
  auto refused = verifyDetached(readFile(dir_ / "sig.p7s"), kIndex, seal_.certificate_pem);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kBadInput);
  EXPECT_NE(refused.error().detail.find("signing-certificate-v2"), std::string::npos)
      << refused.error().detail;

  // Enveloping (.p7m) instead of detached: refused, the content must be a file of its own.
  const ProcessOutcome signed_attached = openssl(
      {"cms", "-sign", "-binary", "-nodetach", "-cades", "-md", "sha256", "-in",
       (dir_ / "data").string(), "-signer", (dir_ / "cert.pem").string(), "-inkey",
       (dir_ / "key.pem").string(), "-outform", "DER", "-out", (dir_ / "sig.p7m").string()});
  ASSERT_EQ(signed_attached.exit_code, 0) << signed_attached.output;
  EXPECT_FALSE(verifyDetached(readFile(dir_ / "sig.p7m"), kIndex, seal_.certificate_pem));
}

// A seal issued by a CA, with an extended key usage that is not e-mail protection: trusted
// through its CA or as itself, since verifyDetached asks for no S/MIME purpose.
TEST_F(CadesTest, ASealIssuedByATrustedCertificateVerifies) {
  const std::string d = dir_.string();
  writeFile(dir_ / "leaf.cnf",
            "keyUsage=critical,digitalSignature,nonRepudiation\n"
            "extendedKeyUsage=clientAuth\n");
  ASSERT_EQ(openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/ca.key",
                     "-subj", "/C=IT/CN=CA di prova", "-days", "30", "-addext",
                     "basicConstraints=critical,CA:TRUE", "-addext",
                     "keyUsage=critical,keyCertSign", "-out", d + "/ca.pem"})
                .exit_code,
            0);
  ASSERT_EQ(openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/leaf.key", "-subj",
                     "/C=IT/CN=Sigillo AOO", "-out", d + "/leaf.csr"})
                .exit_code,
            0);
  const ProcessOutcome issued = openssl(
      {"x509", "-req", "-in", d + "/leaf.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
       "-CAcreateserial", "-days", "30", "-extfile", d + "/leaf.cnf", "-out", d + "/leaf.pem"});
  ASSERT_EQ(issued.exit_code, 0) << issued.output;
  const xml::SealKey leaf{readFile(dir_ / "leaf.key"), readFile(dir_ / "leaf.pem")};
  auto signature = signDetached(kIndex, leaf);
  ASSERT_TRUE(signature) << signature.error().detail;
  auto by_ca = verifyDetached(*signature, kIndex, readFile(dir_ / "ca.pem"));
  EXPECT_TRUE(by_ca) << by_ca.error().detail;
  auto by_itself = verifyDetached(*signature, kIndex, leaf.certificate_pem);
  EXPECT_TRUE(by_itself) << by_itself.error().detail;
  EXPECT_FALSE(verifyDetached(*signature, kIndex, seal_.certificate_pem));
}

TEST_F(CadesTest, AKeyThatIsNotPemIsAnInternalError) {
  auto refused = signDetached(kIndex, xml::SealKey{"no key", seal_.certificate_pem});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace cst::sign
