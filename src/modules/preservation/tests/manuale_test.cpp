// The generated manuale di conservazione: what it says follows the configuration (formats, seal,
// TSA, audit cycle) and the ente's retention table; another ente's is 404.
#include <gtest/gtest.h>

#include <cstdlib>

#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

const std::string kManuale = "/api/v1/preservation/manuale";

class Manuale : public DemoServerSuite<Manuale> {};

TEST_F(Manuale, DescribesTheConfiguredServiceAndTheEntesRetention) {
  HttpClient ref = as("ref.cremona");
  auto put = ref.request(
      "PUT", "/api/v1/preservation/retention?ente=019036",
      Json{{"rules",
            {{{"document_class", "contratti"}, {"years", 10}, {"note", "art. 2220 c.c."}},
             {{"document_class", "delibere"}, {"years", nullptr}}}}}
          .dump());
  ASSERT_EQ(put.status, 200) << put.body;

  auto r = ref.get(kManuale + "?ente=019036");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(r.header("content-disposition").find("manuale-di-conservazione-019036.html"),
            std::string::npos);
  const std::string& html = r.body;
  for (const char* expected :
       {"Comune di Cremona", "019036", "PDF/A-2b", "application/pdf", "documento_informatico",
        "IdDoc", "Servizio di conservazione - Centro Servizi Territoriale", "non qualificata",
        "almeno ogni 90 giorni", "2 copie", "contratti", "10 anni", "art. 2220 c.c.", "delibere",
        "illimitata", "Soprintendenza archivistica"})
    EXPECT_NE(html.find(expected), std::string::npos) << expected;
  const bool on_postgres = std::getenv("CST_TEST_POSTGRES_URL") != nullptr;
  EXPECT_NE(html.find(on_postgres ? "base dati PostgreSQL" : "base dati SQLite"),
            std::string::npos);
  // Item by item, the minimum content of the guidelines (a–l).
  for (char item = 'a'; item <= 'l'; ++item)
    EXPECT_NE(html.find(std::string("<h2>") + item + ")"), std::string::npos) << item;

  // The general manual (no ente), and isolation.
  HttpClient admin = as("admin");
  auto general = admin.get(kManuale);
  EXPECT_EQ(general.status, 200);
  EXPECT_EQ(general.body.find("contratti"), std::string::npos);
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get(kManuale + "?ente=019036").status, 404);
  HttpClient police = as("vigile.cremona");
  EXPECT_EQ(police.get(kManuale).status, 403);
}

}  // namespace
}  // namespace cst::testkit
