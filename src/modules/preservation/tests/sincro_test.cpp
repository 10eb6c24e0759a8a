// The SInCRO v2 index (UNI 11386:2020, reference §4): written deterministically, valid against our
// structure schema (compiled in, and the same file through xmllint), read back unchanged; broken
// indexes are refused with a message.
#include "sincro.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"

namespace cst::preservation {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

SincroAgent comune() {
  SincroAgent a;
  a.legal_person = true;
  a.agent_id = "VATIT-00297960197";
  a.formal_name = "Comune di Esempio";
  a.relevant_documents = {"Manuale di conservazione v1.0"};
  return a;
}

SincroIndex sample() {
  SincroIndex x;
  x.id = "urn:c_a001:IndiceAIP:2025:0000001";
  x.application_name = "cst";
  x.application_version = "1.2.0";
  x.producer = "Unione dei Comuni X";
  x.volume_id = "urn:c_a001:AIP:2025:0000001";
  x.volume_label = "Registro giornaliero di protocollo";
  x.volume_group_id = "urn:c_a001:registro:RGP";
  x.volume_group_label = "Registro o repertorio";
  x.file_groups = {{"urn:c_a001:doc:2025:RGP-20250102",
                    "Registro del 2 gennaio 2025",
                    {{"urn:c_a001:file:2025:RGP-20250102:1", "file/1-registro.pdf",
                      sha256Hex("registro"), "application/pdf", "pdf"},
                     {"urn:c_a001:file:2025:RGP-20250102:2", "file/1-segnatura.xml",
                      sha256Hex("segnatura"), "application/xml", "xml"}}},
                   {"urn:c_a001:doc:2025:RGP-20250103",
                    "",
                    {{"urn:c_a001:file:2025:RGP-20250103:1", "file/2-registro.txt",
                      sha256Hex("testo"), "text/plain", ""}}}};
  x.submitter = comune();
  x.holder = comune();
  x.holder.role = "soggetto produttore";
  SincroAgent rdc;
  rdc.legal_person = false;
  rdc.agent_id = "TINIT-RSSMRA80A01H501U";
  rdc.first_name = "Mario";
  rdc.last_name = "Rossi";
  rdc.role = "Responsabile della conservazione";
  rdc.relevant_documents = {"Atto di nomina n. 1/2025", "Manuale di conservazione v1.0"};
  SincroAgent seal = comune();
  seal.formal_name = "Unione dei Comuni X";
  seal.agent_id = "VATIT-01234567890";
  x.signers = {rdc, seal};
  x.time_info = "2025-01-03T08:00:00Z";
  x.laws_and_regulations =
      "Linee Guida AgID sulla formazione, gestione e conservazione dei documenti informatici";
  return x;
}

// `xml` without the first element `open` ... `close` (inclusive).
std::string without(std::string xml, const std::string& open, const std::string& close) {
  const std::size_t from = xml.find(open);
  const std::size_t to = xml.find(close, from);
  EXPECT_NE(from, std::string::npos) << open;
  EXPECT_NE(to, std::string::npos) << close;
  if (from == std::string::npos || to == std::string::npos) return xml;
  return xml.erase(from, to + close.size() - from);
}

std::string replaced(std::string xml, const std::string& from, const std::string& to) {
  const std::size_t at = xml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) xml.replace(at, from.size(), to);
  return xml;
}

std::string schemaPath() {
  return std::string(CST_SOURCE_DIR) + "/src/modules/preservation/schemas/sincro-v2-structure.xsd";
}

TEST(SincroWrite, ValidatesAgainstOurSchema) {
  const std::string xml = sincroXml(sample());
  auto ok = checkSincroStructure(xml);
  EXPECT_TRUE(ok.has_value()) << ok.error().detail << "\n" << xml;
  EXPECT_NE(xml.find("<sincro:PIndex xmlns:sincro=\"http://www.uni.com/U3011/sincro-v2/\" "
                     "sincro:language=\"it\" sincro:sincroVersion=\"2.0\" "
                     "sincro:uri=\"http://www.uni.com/U3011/sincro-v2/PIndex.xsd\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<sincro:Hash sincro:hashFunction=\"SHA-256\" sincro:canonicalXML=\"false\">" +
                     sha256Hex("registro") + "</sincro:Hash>"),
            std::string::npos);
}

TEST(SincroWrite, ValidatesWithXmllintToo) {
  const fs::path dir = fs::temp_directory_path() / ("cst-sincro-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto lint = [&](const std::string& name, const std::string& xml) {
    const fs::path file = dir / name;
    std::ofstream(file, std::ios::binary) << xml;
    auto r = runProcess({"xmllint", "--noout", "--schema", schemaPath(), file.string()}, 30s);
    EXPECT_TRUE(r.has_value()) << r.error().detail;
    return r ? *r : ProcessOutcome{};
  };
  const std::string xml = sincroXml(sample());
  const ProcessOutcome good = lint("indice.xml", xml);
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_NE(good.output.find("validates"), std::string::npos) << good.output;
  const ProcessOutcome bad =
      lint("rotto.xml", replaced(xml, "sincro:hashFunction=", "hashFunction="));
  EXPECT_NE(bad.exit_code, 0) << bad.output;
  fs::remove_all(dir);
}

TEST(SincroWrite, IsDeterministicAndQualifiesEveryAttribute) {
  const std::string xml = sincroXml(sample());
  EXPECT_EQ(xml, sincroXml(sample()));
  SincroIndex other = sample();
  other.file_groups[0].files[0].sha256 = sha256Hex("altro");
  EXPECT_NE(xml, sincroXml(other));
  // Every attribute after the XML declaration is sincro:..., or the namespace declaration.
  const std::string body = xml.substr(xml.find("?>") + 2);
  const std::regex attribute(R"re(\s([A-Za-z_][\w:.-]*)\s*=\s*")re");
  int count = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), attribute);
       it != std::sregex_iterator(); ++it, ++count) {
    const std::string name = (*it)[1];
    EXPECT_TRUE(name.rfind("sincro:", 0) == 0 || name == "xmlns:sincro") << name;
  }
  EXPECT_GT(count, 20);
}

TEST(SincroRoundTrip, WriteThenParseGivesTheSameIndex) {
  const SincroIndex x = sample();
  auto back = parseSincro(sincroXml(x));
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(back->signers.size(), 2u);
  EXPECT_EQ(back->signers[0].first_name, "Mario");
  EXPECT_EQ(back->file_groups[1].files[0].extension, "");
  EXPECT_TRUE(*back == x);
  // And the same bytes again from what was read.
  EXPECT_EQ(sincroXml(*back), sincroXml(x));
}

TEST(SincroRoundTrip, SpecialCharactersSurvive) {
  SincroIndex x = sample();
  x.volume_label = "Fatture & note <2025> \"urgenti\" di Forlì, l'ente: 10 €";
  x.holder.formal_name = "Comune di Città & Dintorni <CD>";
  x.signers[0].role = "Responsabile \"della\" conservazione & <archivio>\tà";
  x.file_groups[0].label = "riga uno\r\nriga due\n\tfine";
  x.laws_and_regulations = "D.Lgs. 82/2005 art. 44 & 'Linee Guida' <AgID>";
  const std::string xml = sincroXml(x);
  EXPECT_NE(xml.find("Fatture &amp; note &lt;2025&gt; &quot;urgenti&quot; di Forlì"),
            std::string::npos)
      << xml;
  auto ok = checkSincroStructure(xml);
  EXPECT_TRUE(ok.has_value()) << ok.error().detail;
  auto back = parseSincro(xml);
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(back->volume_label, x.volume_label);
  EXPECT_EQ(back->holder.formal_name, x.holder.formal_name);
  EXPECT_EQ(back->signers[0].role, x.signers[0].role);
  EXPECT_EQ(back->file_groups[0].label, x.file_groups[0].label);
  EXPECT_TRUE(*back == x);
}

TEST(SincroStructure, TheReferenceMinimalInstanceValidates) {
  const std::string hash = sha256Hex("doc1");
  const std::string body =
      "<sincro:AgentID>VATIT-00000000000</sincro:AgentID>\n"
      "<sincro:AgentName><sincro:FormalName>Comune di Esempio</sincro:FormalName></"
      "sincro:AgentName>\n"
      "<sincro:RelevantDocument>Manuale di conservazione v1.0</sincro:RelevantDocument>";
  const std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<sincro:PIndex xmlns:sincro="http://www.uni.com/U3011/sincro-v2/"
    sincro:language="it" sincro:sincroVersion="2.0"
    sincro:uri="http://www.uni.com/U3011/sincro-v2/PIndex.xsd">
  <sincro:SelfDescription>
    <sincro:ID sincro:scheme="local">urn:c_a001:AIP:2025:0000001</sincro:ID>
    <sincro:CreatingApplication><sincro:Name>consvc</sincro:Name><sincro:Version>0.1.0</sincro:Version>
      <sincro:Producer>Unione dei Comuni X</sincro:Producer></sincro:CreatingApplication>
  </sincro:SelfDescription>
  <sincro:PVolume><sincro:ID sincro:scheme="local">urn:c_a001:PVolume:2025:0000001</sincro:ID>
    <sincro:Label>Registro giornaliero di protocollo</sincro:Label></sincro:PVolume>
  <sincro:FileGroup><sincro:ID sincro:scheme="local">urn:c_a001:doc:2025:RGP-20250102</sincro:ID>
    <sincro:File sincro:encoding="binary" sincro:extension="txt" sincro:format="text/plain">
      <sincro:ID sincro:scheme="local">urn:c_a001:file:2025:RGP-20250102:1</sincro:ID>
      <sincro:Path>file/doc1.txt</sincro:Path>
      <sincro:Hash sincro:hashFunction="SHA-256" sincro:canonicalXML="false">)" +
      hash + R"(</sincro:Hash>
    </sincro:File></sincro:FileGroup>
  <sincro:Process>
    <sincro:Submitter sincro:agentType="legal person">)" +
      body + R"(</sincro:Submitter>
    <sincro:Holder sincro:agentType="legal person" sincro:holderRole="soggetto produttore">)" +
      body + R"(</sincro:Holder>
    <sincro:AuthorizedSigner sincro:agentType="natural person" sincro:signerRole="Responsabile della conservazione">
      <sincro:AgentID>TINIT-RSSMRA80A01H501U</sincro:AgentID>
      <sincro:AgentName><sincro:NameAndSurname><sincro:FirstName>Mario</sincro:FirstName><sincro:LastName>Rossi</sincro:LastName></sincro:NameAndSurname></sincro:AgentName>
      <sincro:RelevantDocument>Atto di nomina n. 1/2025</sincro:RelevantDocument></sincro:AuthorizedSigner>
    <sincro:TimeReference><sincro:TimeInfo sincro:attachedTimeStamp="false">2025-01-03T08:00:00Z</sincro:TimeInfo></sincro:TimeReference>
    <sincro:LawsAndRegulations>Linee Guida AgID formazione, gestione e conservazione dei documenti informatici</sincro:LawsAndRegulations>
  </sincro:Process>
</sincro:PIndex>
)";
  auto ok = checkSincroStructure(xml);
  EXPECT_TRUE(ok.has_value()) << ok.error().detail;
  auto read = parseSincro(xml);
  ASSERT_TRUE(read.has_value()) << read.error().detail;
  EXPECT_EQ(read->file_groups.at(0).files.at(0).sha256, hash);
  EXPECT_EQ(read->signers.at(0).last_name, "Rossi");
  EXPECT_EQ(read->holder.role, "soggetto produttore");
}

void expectRefused(const std::string& xml, const std::string& mentions) {
  auto r = checkSincroStructure(xml);
  ASSERT_FALSE(r.has_value()) << "accepted:\n" << xml;
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().detail.find(mentions), std::string::npos) << r.error().detail;
}

TEST(SincroStructure, AnUnprefixedAttributeFails) {
  const std::string xml = sincroXml(sample());
  expectRefused(replaced(xml, "sincro:hashFunction=", "hashFunction="), "hashFunction");
  expectRefused(replaced(xml, "sincro:agentType=", "agentType="), "agentType");
}

TEST(SincroStructure, AMissingMandatoryElementFails) {
  const std::string xml = sincroXml(sample());
  expectRefused(without(xml, "<sincro:PVolume>", "</sincro:PVolume>"), "PVolume");
  expectRefused(without(xml, "<sincro:TimeReference>", "</sincro:TimeReference>"), "TimeReference");
  SincroIndex no_documents = sample();
  no_documents.submitter.relevant_documents.clear();
  expectRefused(sincroXml(no_documents), "RelevantDocument");
  SincroIndex no_groups = sample();
  no_groups.file_groups.clear();
  expectRefused(sincroXml(no_groups), "FileGroup");
}

TEST(SincroStructure, ABadAgentIdFails) {
  SincroIndex x = sample();
  x.signers[0].agent_id = "RSSMRA80A01H501U";  // the fiscal code without TINIT-
  expectRefused(sincroXml(x), "pattern");
  x.signers[0].agent_id = "VAT-IT00297960197";
  expectRefused(sincroXml(x), "pattern");
}

TEST(SincroStructure, EnumerationsAndDatesAreChecked) {
  SincroIndex role = sample();
  role.holder.role = "soggetto qualunque";
  expectRefused(sincroXml(role), "holderRole");
  SincroIndex date = sample();
  date.time_info = "03/01/2025 08:00";
  expectRefused(sincroXml(date), "dateTime");
  expectRefused(
      replaced(sincroXml(sample()), "sincro:encoding=\"binary\"", "sincro:encoding=\"zip\""),
      "encoding");
  expectRefused(
      replaced(sincroXml(sample()), "sincro:sincroVersion=\"2.0\"", "sincro:sincroVersion=\"1.0\""),
      "sincroVersion");
}

TEST(SincroParse, NamesWhatIsMissing) {
  std::string xml = sincroXml(sample());
  xml = without(xml, "<sincro:ID sincro:scheme=\"local\">urn:c_a001:AIP:2025:0000001</sincro:ID>",
                "</sincro:ID>");
  xml = without(xml, "<sincro:TimeReference>", "</sincro:TimeReference>");
  xml = replaced(xml, "sincro:format=\"application/pdf\"", "format=\"application/pdf\"");
  auto r = parseSincro(xml);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  for (const char* path :
       {"PVolume/ID", "Process/TimeReference", "FileGroup[1]/File[1]/@sincro:format"})
    EXPECT_NE(r.error().detail.find(path), std::string::npos) << path << ": " << r.error().detail;
}

TEST(SincroParse, RefusesWhatIsNotASincroV2Index) {
  for (const char* xml :
       {"<a/>", "<sincro:PIndex xmlns:sincro=\"http://www.uni.com/U3011/sincro/\"/>",
        "<sincro:IdC xmlns:sincro=\"http://www.uni.com/U3011/sincro/\"/>", "<non chiuso", ""}) {
    auto r = parseSincro(xml);
    ASSERT_FALSE(r.has_value()) << xml;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput) << xml;
  }
  EXPECT_FALSE(checkSincroStructure("<a/>").has_value());
}

}  // namespace
}  // namespace cst::preservation
