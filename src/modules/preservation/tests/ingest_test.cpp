// Ingest end to end: the real `cst serve` with demo data and clamd, SIPs offered as multipart
// requests, the AIP checked from outside: its files in both copies, the SInCRO index against our
// schema with xmllint, the CAdES signature with `openssl cms -verify`, the time-stamp with
// `openssl ts -verify`, the receipt's XML signature; rejections naming every problem and keeping
// nothing; isolation between enti.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <set>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"
#include "pdf/pdfa.hpp"
#include "sample_sips.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/pdf_facts.hpp"
#include "testkit/samples.hpp"
#include "xml/signature.hpp"
#include "xml/xml.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kSips = "/api/v1/preservation/sips";

class Ingest : public DemoServerSuite<Ingest> {
 protected:
  fs::path copy(int n) const {
    return server_->dataDir() / "conservazione" / ("copia-" + std::to_string(n));
  }
  fs::path objectIn(int copy, const std::string& sha) const {
    return objectInCopy(*server_, copy, sha);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static std::size_t filesUnder(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) n += e.is_regular_file();
    return n;
  }
  // Runs a command; its output on failure.
  static std::string run(const std::vector<std::string>& argv) {
    auto r = runProcess(argv, 60s);
    if (!r) return "cannot run: " + r.error().detail;
    return r->exit_code == 0 ? "" : r->output;
  }
};

TEST_F(Ingest, AnAcceptedSipBecomesASignedTimeStampedAipInBothCopies) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string primary = pdfA("Registro giornaliero di protocollo del 26/11/2026");
  const std::string attachment = "{\"format\": \"cst-registro-giornaliero/1\"}";
  Json envelope = daiEnvelope("019036", sha256Hex(primary), sha256Hex(attachment));
  auto r = offerSip(clerk, envelope,
                    {{"documento", kRegisterPdf, "application/pdf", primary},
                     {"documento", kRegisterJson, "application/json", attachment}});
  ASSERT_EQ(r.status, 201) << r.body;
  const Json receipt = r.json();
  EXPECT_EQ(receipt["outcome"], "accepted");
  EXPECT_EQ(receipt["objects"].size(), 2u);
  EXPECT_TRUE(receipt["problems"].empty());
  const std::string aip_id = receipt["aip_id"].get<std::string>();

  auto got = clerk.get("/api/v1/preservation/aips/" + aip_id);
  ASSERT_EQ(got.status, 200) << got.body;
  const Json aip = got.json();
  EXPECT_EQ(aip["ente"], "019036");
  EXPECT_EQ(aip["kind"], "documento_amministrativo_informatico");
  ASSERT_EQ(aip["files"].size(), 6u) << aip.dump(2);
  EXPECT_EQ(aip["files"][0]["role"], "principale");
  EXPECT_EQ(aip["files"][0]["sha256"], sha256Hex(primary));
  EXPECT_EQ(aip["files"][0]["format"].get<std::string>().substr(0, 4), "pdfa");
  EXPECT_EQ(aip["files"][1]["role"], "allegato");
  EXPECT_EQ(aip["documents_bytes"], primary.size() + attachment.size());

  // Every file in both copies, byte for byte what its hash says.
  for (const Json& f : aip["files"])
    for (int n : {1, 2}) {
      const std::string bytes = read(objectIn(n, f["sha256"].get<std::string>()));
      EXPECT_EQ(sha256Hex(bytes), f["sha256"]) << f["path"] << " in copy " << n;
    }

  // Checked from outside, as an auditor would: the index against its structure, the CAdES
  // signature with the seal's certificate, the time-stamp with the TSA's.
  const fs::path dir = server_->dataDir() / "check";
  fs::create_directories(dir);
  const auto path = [&](const std::string& role) {
    for (const Json& f : aip["files"])
      if (f["role"] == role) return objectIn(1, f["sha256"].get<std::string>());
    return fs::path();
  };
  EXPECT_EQ(run({"xmllint", "--noout", "--schema",
                 std::string(CST_SOURCE_DIR) +
                     "/src/modules/preservation/schemas/sincro-v2-structure.xsd",
                 path("indice").string()}),
            "");
  const std::string index = read(path("indice"));
  EXPECT_NE(index.find("http://www.uni.com/U3011/sincro-v2/"), std::string::npos);
  EXPECT_NE(index.find(sha256Hex(primary)), std::string::npos);
  const fs::path seal = server_->dataDir() / "keys" / "conservazione" / "seal-certificate.pem";
  EXPECT_EQ(run({"openssl", "cms", "-verify", "-binary", "-cades", "-inform", "DER", "-in",
                 path("firma").string(), "-content", path("indice").string(), "-CAfile",
                 seal.string(), "-purpose", "any", "-out", "/dev/null"}),
            "");
  const fs::path tsa = server_->dataDir() / "keys" / "tsa" / "tsa-certificate.pem";
  EXPECT_EQ(
      run({"openssl", "ts", "-verify", "-data", path("firma").string(), "-in",
           path("marca_temporale").string(), "-CAfile", tsa.string(), "-untrusted", tsa.string()}),
      "");

  // The receipt: signed by the seal, naming the AIP and the hashes.
  auto xml_receipt = clerk.get(kSips + "/" + receipt["id"].get<std::string>() + "/receipt.xml");
  ASSERT_EQ(xml_receipt.status, 200);
  EXPECT_NE(xml_receipt.body.find(aip_id), std::string::npos);
  EXPECT_NE(xml_receipt.body.find(sha256Hex(primary)), std::string::npos);
  auto doc = xml::parse(xml_receipt.body);
  ASSERT_TRUE(doc.has_value());
  EXPECT_TRUE(xml::verifyEnveloped(doc->get(), read(seal)).has_value());
}

TEST_F(Ingest, ARejectedSipNamesEveryProblemAndNothingOfItIsKept) {
  HttpClient clerk = as("impiegato.cremona");
  const std::string primary = pdfA("Delibera");
  const std::string exe = "MZ\x90\x00 not a document, whatever its name says";
  Json envelope = daiEnvelope("019036", std::string(64, 'a'), sha256Hex(exe));
  envelope["metadati"].erase("ModalitaDiFormazione");
  envelope["documenti"].push_back(
      {{"nome", "virus.txt"}, {"ruolo", "allegato"}, {"impronta", sha256Hex(eicar())}});
  envelope["documenti"][1]["nome"] = "planimetria.pdf";
  const std::size_t before_1 = filesUnder(copy(1) / "objects");
  auto r = offerSip(clerk, envelope,
                    {{"documento", kRegisterPdf, "application/pdf", primary},
                     {"documento", "planimetria.pdf", "application/pdf", exe},
                     {"documento", "virus.txt", "text/plain", eicar()}});
  ASSERT_EQ(r.status, 422) << r.body;
  const Json problem = r.json();
  std::set<std::string> fields;
  for (const Json& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("documenti[0].impronta")) << problem.dump(2);
  EXPECT_TRUE(fields.count("metadati.ModalitaDiFormazione")) << problem.dump(2);
  EXPECT_TRUE(fields.count("documenti[1]")) << "format not accepted: " << problem.dump(2);
  EXPECT_TRUE(fields.count("file:virus.txt")) << "infected: " << problem.dump(2);
  EXPECT_EQ(problem["receipt"]["outcome"], "rejected");
  EXPECT_TRUE(problem["receipt"]["aip_id"].is_null());
  // Only the signed receipt of the rejection was written, in each copy.
  EXPECT_EQ(filesUnder(copy(1) / "objects"), before_1 + 1);
  auto list = clerk.get("/api/v1/preservation/sips?ente=019036");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"][0]["outcome"], "rejected");
}

TEST_F(Ingest, BadRequestsAreRefusedNamingTheFieldAndChangeNothing) {
  HttpClient clerk = as("impiegato.cremona");
  const auto receipts = [&] {
    return clerk.get("/api/v1/preservation/sips?ente=019036&limit=200").json()["items"].size();
  };
  const std::size_t before = receipts();
  const std::size_t objects = filesUnder(copy(1) / "objects");
  auto r = clerk.request("POST", kSips, "{}", "application/json");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["errors"][0]["field"], "body");
  r = clerk.request("POST", kSips,
                    multipartBody({{"documento", "a.txt", "text/plain", "ciao"}}, "B"),
                    "multipart/form-data; boundary=B");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["errors"][0]["field"], "metadata");
  r = clerk.request("POST", kSips,
                    multipartBody({{"metadata", "", "application/json", "{non json"}}, "B"),
                    "multipart/form-data; boundary=B");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["errors"][0]["field"], "metadata");
  EXPECT_EQ(receipts(), before) << "no receipt for a request that is not a SIP";
  EXPECT_EQ(filesUnder(copy(1) / "objects"), objects);
}

TEST_F(Ingest, AnotherEntesPackagesAreAbsentAndCannotBeOfferedForIt) {
  HttpClient cremona = as("impiegato.cremona");
  const std::string primary = pdfA("Cremona");
  const std::string json_form = "{\"ente\": \"019036\"}";
  const std::vector<SipPart> files{{"documento", kRegisterPdf, "application/pdf", primary},
                                   {"documento", kRegisterJson, "application/json", json_form}};
  auto r =
      offerSip(cremona, daiEnvelope("019036", sha256Hex(primary), sha256Hex(json_form)), files);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string aip = r.json()["aip_id"], sip = r.json()["id"];
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get("/api/v1/preservation/aips/" + aip).status, 404);
  EXPECT_EQ(crema.get(kSips + "/" + sip).status, 404);
  EXPECT_EQ(crema.get(kSips + "/" + sip + "/receipt.xml").status, 404);
  EXPECT_EQ(crema.get("/api/v1/preservation/aips?ente=019036").status, 404);
  const std::size_t before = filesUnder(copy(1) / "objects");
  auto foreign =
      offerSip(crema, daiEnvelope("019036", sha256Hex(primary), sha256Hex(json_form)), files);
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  EXPECT_EQ(filesUnder(copy(1) / "objects"), before);
  auto own = crema.get("/api/v1/preservation/aips?ente=019035");
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(own.json()["items"].empty());
}

}  // namespace
}  // namespace cst::testkit
