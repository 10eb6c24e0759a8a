// The registration request, the number format, and the segnatura: valid against the official
// schema (the copy compiled in, checked identical to ../shared/reference/protocollo-aoo/ when that
// is present) and signed so that a change of any byte is detected.
#include "model.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/crypto.hpp"
#include "segnatura.hpp"

namespace cst::protocol {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::set<std::string> fieldsOf(const Error& e) {
  std::set<std::string> out;
  for (const FieldError& f : e.fields) out.insert(f.field);
  return out;
}

json incoming() {
  return {{"ente", "019036"},
          {"flow", "incoming"},
          {"subject", "Richiesta di accesso agli atti"},
          {"class_code", "6.3"},
          {"correspondents",
           {{{"kind", "person"},
             {"first_name", "Mario"},
             {"last_name", "Rossi"},
             {"fiscal_code", "rssmra85t10a562s"},
             {"email", "mario.rossi@pec.example.it"}}}},
          {"sender_date", "2026-11-20"},
          {"sender_number", "12/2026"},
          {"primary_document", {{"upload_id", "u1"}, {"description", "Istanza"}}},
          {"attachments", {{{"upload_id", "u2"}, {"description", "Documento di identità"}}}}};
}

TEST(RegistrationRequest, ReadsAValidIncomingDocument) {
  auto r = registrationFromJson(incoming());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->flow, Flow::kIncoming);
  ASSERT_EQ(r->correspondents.size(), 1u);
  EXPECT_EQ(r->correspondents[0].fiscal_code, "RSSMRA85T10A562S");
  EXPECT_EQ(r->correspondents[0].displayName(), "Mario Rossi");
  EXPECT_EQ(r->attachments.size(), 1u);
}

TEST(RegistrationRequest, NamesEveryBadField) {
  json body = incoming();
  body["flow"] = "sideways";
  body["subject"] = "";
  body["correspondents"][0]["fiscal_code"] = "RSSMRA85T10A562T";
  body["correspondents"][0]["email"] = "not-an-address";
  body["attachments"][0].erase("description");
  body["sender_date"] = "20/11/2026";
  auto r = registrationFromJson(body);
  ASSERT_FALSE(r);
  EXPECT_EQ(fieldsOf(r.error()),
            (std::set<std::string>{"flow", "subject", "correspondents[0].fiscal_code",
                                   "correspondents[0].email", "attachments[0].description",
                                   "sender_date"}));

  json outgoing = incoming();
  outgoing["flow"] = "outgoing";
  outgoing["correspondents"] = json::array();
  auto o = registrationFromJson(outgoing);
  ASSERT_FALSE(o);
  EXPECT_EQ(fieldsOf(o.error()),
            (std::set<std::string>{"correspondents", "sender_date", "sender_number"}));
  json no_doc = incoming();
  no_doc.erase("primary_document");
  no_doc["correspondents"][0] = {{"kind", "administration"}, {"name", "Regione Lombardia"}};
  auto n = registrationFromJson(no_doc);
  ASSERT_FALSE(n);
  EXPECT_EQ(fieldsOf(n.error()),
            (std::set<std::string>{"primary_document", "correspondents[0].ipa_code"}));
}

json aooBody() { return {{"aoo_code", "AOO_CR"}, {"aoo_name", "AOO"}, {"registry_code", "PG"}}; }

TEST(AooConfiguration, ReadsTheOptionalPec) {
  json body = aooBody();
  body["pec"] = "protocollo@pec.comune-cremona.example";
  auto a = aooFromJson("019036", body);
  ASSERT_TRUE(a) << a.error().detail;
  EXPECT_EQ(a->pec, "protocollo@pec.comune-cremona.example");
  EXPECT_EQ(toJson(*a)["pec"], "protocollo@pec.comune-cremona.example");
  // Absent, null or empty: not set, and null in the JSON.
  json with_null = aooBody(), with_empty = aooBody();
  with_null["pec"] = nullptr;
  with_empty["pec"] = "";
  for (const json& b : {aooBody(), with_null, with_empty}) {
    auto u = aooFromJson("019036", b);
    ASSERT_TRUE(u) << b.dump() << ": " << u.error().detail;
    EXPECT_EQ(u->pec, "");
    EXPECT_TRUE(toJson(*u)["pec"].is_null());
  }
}

TEST(AooConfiguration, RefusesAPecThatIsNotAnAddress) {
  const std::string long_local(250, 'a');
  for (const std::string& bad :
       {std::string("protocollo"), std::string("protocollo@pec"), std::string("a@b@pec.it"),
        std::string("proto collo@pec.comune.it"), std::string("protocollo@pec.comune.it "),
        long_local + "@pec.it"}) {
    json body = aooBody();
    body["pec"] = bad;
    auto a = aooFromJson("019036", body);
    ASSERT_FALSE(a) << bad;
    EXPECT_EQ(fieldsOf(a.error()), std::set<std::string>{"pec"}) << bad;
  }
  json not_text = aooBody();
  not_text["pec"] = 42;
  auto n = aooFromJson("019036", not_text);
  ASSERT_FALSE(n);
  EXPECT_EQ(fieldsOf(n.error()), std::set<std::string>{"pec"});
}

TEST(RegistrationNumber, HasAtLeastSevenDigits) {
  EXPECT_EQ(formatNumber(42), "0000042");
  EXPECT_EQ(formatNumber(1), "0000001");
  EXPECT_EQ(formatNumber(12345678), "12345678");
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Segnatura : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("cst-protocol-seal-" + std::to_string(::getpid()));
    auto seal = xml::loadOrCreateSeal(dir_, "Sigillo di prova");
    ASSERT_TRUE(seal) << seal.error().detail;
    seal_ = *seal;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static Registration registration(Flow flow) {
    Registration r;
    r.ente = "019036";
    r.year = 2026;
    r.number = 42;
    r.registry_code = "PG";
    r.registered_at = "2026-03-15T09:15:30.000Z";
    r.registered_on = "2026-03-15";
    r.flow = flow;
    r.subject = "Richiesta di accesso agli atti <pratica 12/2025> & allegati";
    Correspondent person;
    person.first_name = "Mario";
    person.last_name = "Rossi";
    person.fiscal_code = "RSSMRA85T10A562S";
    person.email = "mario.rossi@pec.example.it";
    Correspondent company;
    company.kind = Correspondent::Kind::kCompany;
    company.name = "Edilizia Padana S.r.l.";
    company.fiscal_code = "00318000197";
    Correspondent region;
    region.kind = Correspondent::Kind::kAdministration;
    region.name = "Regione Lombardia";
    region.ipa_code = "r_lombar";
    if (flow == Flow::kIncoming) r.correspondents = {person};
    if (flow == Flow::kOutgoing) r.correspondents = {person, company, region};
    r.class_code = "6.3";
    r.class_description = "Edilizia privata";
    r.folder_code = "2026-6.3-12";
    r.folder_subject = "Pratica edilizia 12/2026";
    r.documents = {
        {0, "u1", "richiesta.pdf", "application/pdf", sha256Hex("primary"), 7, "Istanza"},
        {1, "u2", "planimetria.pdf", "application/pdf", sha256Hex("allegato"), 8, "Planimetria"}};
    r.attachments_count = 1;
    return r;
  }
  static AooIdentity identity() {
    return {{"019036", "AOO_CR", "AOO del Comune di Cremona", "PG", "", ""},
            "Comune di Cremona",
            "c_d150",
            "00297960197"};
  }

  inline static fs::path dir_;
  inline static xml::SealKey seal_;
};

TEST_F(Segnatura, IsValidAgainstTheOfficialSchemaForEveryFlow) {
  for (Flow flow : {Flow::kIncoming, Flow::kOutgoing, Flow::kInternal}) {
    auto text = makeSegnatura(registration(flow), identity(), seal_);
    ASSERT_TRUE(text) << text.error().detail;
    auto doc = xml::parse(*text);
    ASSERT_TRUE(doc);
    auto valid = (*segnaturaSchema())->validate(doc->get());
    EXPECT_TRUE(valid) << (valid ? "" : valid.error().detail);
    EXPECT_NE(text->find("<prot:NumeroRegistrazione>0000042</prot:NumeroRegistrazione>"),
              std::string::npos);
    EXPECT_NE(text->find("<prot:DataRegistrazione>2026-03-15</prot:DataRegistrazione>"),
              std::string::npos);
    // 09:15:30 UTC is 10:15:30 in Rome in March (CET).
    EXPECT_NE(text->find("<prot:OraRegistrazione>10:15:30+01:00</prot:OraRegistrazione>"),
              std::string::npos);
    // The digest as base64 of its 32 bytes, not hex.
    EXPECT_NE(text->find(base64(fromHex(sha256Hex("primary")))), std::string::npos);
    EXPECT_NE(text->find("&lt;pratica 12/2025&gt; &amp; allegati"), std::string::npos);
  }
}

TEST_F(Segnatura, IsSignedWithTheSeal) {
  auto text = makeSegnatura(registration(Flow::kIncoming), identity(), seal_);
  ASSERT_TRUE(text);
  auto doc = xml::parse(*text);
  ASSERT_TRUE(doc);
  EXPECT_TRUE(xml::verifyEnveloped(doc->get(), seal_.certificate_pem));
  std::string changed = *text;
  changed.replace(changed.find("0000042"), 7, "0000043");
  auto tampered = xml::parse(changed);
  ASSERT_TRUE(tampered);
  EXPECT_FALSE(xml::verifyEnveloped(tampered->get(), seal_.certificate_pem));
}

TEST(SegnaturaSchema, TheCompiledCopyIsTheOfficialOne) {
  const fs::path reference =
      fs::path(CST_SOURCE_DIR) / ".." / "shared" / "reference" / "protocollo-aoo";
  if (!fs::exists(reference)) GTEST_SKIP() << "no " << reference << " on this machine";
  const fs::path ours = fs::path(CST_SOURCE_DIR) / "src/modules/protocol/schemas";
  for (const char* name : {"segnatura_protocollo.xsd", "xmldsig-core-schema.xsd"})
    EXPECT_EQ(readFile(ours / name), readFile(reference / name)) << name;
}

}  // namespace
}  // namespace cst::protocol
