// The daily register: made by the job for each Rome day since the AOO was configured (empty days
// too), with the day's registrations and the annulments made that day, as PDF and JSON in the
// blob store, never remade, and published to subscribers.
#include "common/crypto.hpp"
#include "service_fixture.hpp"
#include "testkit/pdf_facts.hpp"

namespace cst::protocol {
namespace {

class DailyRegister : public ProtocolService {
 protected:
  // 26 November 2026, 10:00 in Rome.
  std::string start() const override { return "2026-11-26T09:00:00.000Z"; }

  std::string blob(const std::string& sha) {
    std::ifstream in(platform_->blobs->pathOf(sha), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // The text of a PDF as a reader sees it (poppler's pdftotext).
  std::string pdfText(const std::string& pdf) { return testkit::pdfFacts(pdf, dir_).text; }
};

TEST_F(DailyRegister, IsMadeOncePerDayWithTheDaysRegistrationsAndAnnulments) {
  std::vector<DailyRegisterProduced> heard;
  service_->subscribe([&](const DailyRegisterProduced& d) { heard.push_back(d); });
  auto a = registerOne("Convocazione della giunta");
  auto b = registerOne("Nota sull'àmbito di competenza");
  auto c = registerOne("Da annullare");
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(service_->annul(c->id, {{"reason", "Errore"}, {"authorisation", "Atto 1"}},
                              auth::EnteScope{true, {}, false}, who_));
  // Nothing before the day is over.
  auto none = service_->produceDailyRegisters();
  ASSERT_TRUE(none) << none.error().detail;
  EXPECT_EQ(*none, 0);
  auto listed = service_->dailyRegisters("019036", std::nullopt, 50);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->missing.empty());

  // 00:30 of 27 November in Rome (still the 26th in UTC); the first registration of the day
  // annulled now belongs to the 27th's register.
  clock_->advance(14h + 30min);
  ASSERT_TRUE(service_->annul(a->id, {{"reason", "Duplicato"}, {"authorisation", "Atto 2"}},
                              auth::EnteScope{true, {}, false}, who_));
  listed = service_->dailyRegisters("019036", std::nullopt, 50);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->missing, std::vector<std::string>{"2026-11-26"});
  auto made = service_->produceDailyRegisters();
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_EQ(*made, 1);
  ASSERT_EQ(heard.size(), 1u);
  const DailyRegisterProduced d = heard[0];
  EXPECT_EQ(d.day, "2026-11-26");
  EXPECT_EQ(d.registrations, 3);
  EXPECT_EQ(d.annulments, 1);
  const std::string json_text = blob(d.json_sha256);
  EXPECT_EQ(sha256Hex(json_text), d.json_sha256);
  const json j = json::parse(json_text);
  EXPECT_EQ(j["format"], "cst-registro-giornaliero/1");
  EXPECT_EQ(j["aoo_code"], "AOO_CR");
  EXPECT_TRUE(j["aoo_pec"].is_null()) << "the fixture's AOO has no PEC";
  ASSERT_EQ(j["registrations"].size(), 3u);
  EXPECT_EQ(j["registrations"][0]["number"], "0000001");
  EXPECT_EQ(j["registrations"][2]["number"], "0000003");
  EXPECT_EQ(j["registrations"][2]["status"], "annulled") << "annulled the same day";
  EXPECT_EQ(j["registrations"][0]["documents"][0]["sha256"], sha256Hex("%PDF-1.4 prova"));
  EXPECT_EQ(j["annulments"][0]["reason"], "Errore");
  const std::string pdf = blob(d.pdf_sha256);
  ASSERT_EQ(pdf.substr(0, 5), "%PDF-");
  const testkit::PdfFacts facts = testkit::pdfFacts(pdf, dir_);
  EXPECT_EQ(facts.pdfa_part, "2") << "kept as PDF/A-2b";
  EXPECT_EQ(facts.pdfa_conformance, "B");
  EXPECT_TRUE(facts.pdfa_output_intent);
  EXPECT_GE(facts.fonts, 1);
  EXPECT_EQ(facts.fonts_not_embedded, 0);
  const std::string& text = facts.text;
  EXPECT_NE(text.find("Registro giornaliero di protocollo del 26/11/2026"), std::string::npos)
      << text.substr(0, 500);
  EXPECT_NE(text.find("Nota sull'àmbito di competenza"), std::string::npos) << text;
  EXPECT_NE(text.find("0000003/2026"), std::string::npos);
  EXPECT_NE(text.find("ANNULLATA"), std::string::npos);

  // Not remade; the missing days are made when their time comes, empty ones too.
  auto again = service_->produceDailyRegisters();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  clock_->advance(48h);
  made = service_->produceDailyRegisters();
  ASSERT_TRUE(made);
  EXPECT_EQ(*made, 2);
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_EQ(heard[1].day, "2026-11-27");
  EXPECT_EQ(heard[1].registrations, 0);
  EXPECT_EQ(heard[1].annulments, 1) << "the annulment made on the 27th";
  EXPECT_EQ(heard[2].day, "2026-11-28");
  const json annulled_later = json::parse(blob(heard[1].json_sha256));
  EXPECT_EQ(annulled_later["annulments"][0]["number"], "0000001");
  EXPECT_NE(pdfText(blob(heard[2].pdf_sha256)).find("Nessuna registrazione in questo giorno"),
            std::string::npos);
  // The durable stream has them all, in order.
  auto after = service_->dailyRegistersAfter(0, 10);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].sequence, d.sequence);
  EXPECT_LT((*after)[1].sequence, (*after)[2].sequence);
  listed = service_->dailyRegisters("019036", std::nullopt, 50);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->missing.empty());
  EXPECT_EQ(listed->items.size(), 3u);
}

TEST_F(DailyRegister, NamesTheAoosPec) {
  const json aoo = {{"aoo_code", "AOO_CR"},
                    {"aoo_name", "AOO"},
                    {"registry_code", "PG"},
                    {"pec", "protocollo@pec.comune-cremona.example"}};
  auto saved = service_->saveAoo("019036", aoo, who_);
  ASSERT_TRUE(saved) << saved.error().detail;
  EXPECT_EQ(saved->pec, "protocollo@pec.comune-cremona.example");
  auto read = service_->aoo("019036");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->pec, "protocollo@pec.comune-cremona.example");

  std::vector<DailyRegisterProduced> heard;
  service_->subscribe([&](const DailyRegisterProduced& d) { heard.push_back(d); });
  ASSERT_TRUE(registerOne());
  clock_->advance(24h);
  auto made = service_->produceDailyRegisters();
  ASSERT_TRUE(made) << made.error().detail;
  ASSERT_EQ(heard.size(), 1u);
  const json j = json::parse(blob(heard[0].json_sha256));
  EXPECT_EQ(j["aoo_pec"], "protocollo@pec.comune-cremona.example");

  // A PUT without it (the whole AOO) removes it.
  auto cleared = service_->saveAoo(
      "019036", {{"aoo_code", "AOO_CR"}, {"aoo_name", "AOO"}, {"registry_code", "PG"}}, who_);
  ASSERT_TRUE(cleared);
  read = service_->aoo("019036");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->pec, "");
}

}  // namespace
}  // namespace cst::protocol
