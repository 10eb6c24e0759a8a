// The knowledge base through the public HTTP interface, on the real `cst serve --demo`: the desk
// writes articles, everyone reads the public ones, full-text search is ranked, and suggestions
// follow what a requester types.
#include <gtest/gtest.h>

#include "testkit/demo_suite.hpp"

namespace cst::testkit {
namespace {

class Knowledge : public DemoServerSuite<Knowledge> {
 protected:
  static std::vector<std::string> titles(const Json& page) {
    std::vector<std::string> out;
    for (const Json& a : page["items"]) out.push_back(a["title"].get<std::string>());
    return out;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
};

TEST_F(Knowledge, TheDeskWritesArticlesAndRequestersReadOnlyThePublicOnes) {
  HttpClient agent = as("operatore");
  HttpClient clerk = as("impiegato.cremona");
  HttpClient citizen = as("cittadino.bianchi");
  auto pub = agent.post("/api/v1/helpdesk/articles",
                        {{"title", "Firma digitale: rinnovo del certificato"},
                         {"body",
                          "Il certificato di firma scade dopo tre anni: rinnovarlo dal "
                          "portale del certificatore prima della scadenza."},
                         {"visibility", "public"}});
  ASSERT_EQ(pub.status, 201) << pub.body;
  auto internal = agent.post("/api/v1/helpdesk/articles",
                             {{"title", "Firma digitale: procedura interna di verifica"},
                              {"body", "Controllare il lettore di smart card dal pannello."},
                              {"visibility", "internal"}});
  ASSERT_EQ(internal.status, 201) << internal.body;
  const std::string internal_path =
      "/api/v1/helpdesk/articles/" + std::to_string(internal.json()["id"].get<int>());

  // Everyone who reads tickets reads public articles; internal ones are the desk's.
  for (HttpClient* reader : {&clerk, &citizen}) {
    const auto found = titles(reader->get("/api/v1/helpdesk/articles?q=firma").json());
    EXPECT_TRUE(has(found, "Firma digitale: rinnovo del certificato"));
    EXPECT_FALSE(has(found, "Firma digitale: procedura interna di verifica"));
    EXPECT_EQ(reader->get(internal_path).status, 404);
  }
  EXPECT_TRUE(has(titles(agent.get("/api/v1/helpdesk/articles?q=firma").json()),
                  "Firma digitale: procedura interna di verifica"));
  auto full = agent.get(internal_path);
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.json()["body"], "Controllare il lettore di smart card dal pannello.");

  // Only the desk writes; bad input is named; a refused write changes nothing.
  EXPECT_EQ(clerk.post("/api/v1/helpdesk/articles", {{"title", "x"}, {"body", "y"}}).status, 403);
  auto bad = agent.post("/api/v1/helpdesk/articles",
                        {{"title", ""}, {"body", "testo"}, {"visibility", "segreta"}});
  ASSERT_EQ(bad.status, 400);
  std::vector<std::string> fields;
  const Json problem = bad.json();
  for (const Json& e : problem["errors"]) fields.push_back(e["field"].get<std::string>());
  EXPECT_TRUE(has(fields, "visibility")) << bad.body;
  auto edited = agent.request("PUT", internal_path,
                              Json{{"title", "Firma digitale: verifica del lettore"},
                                   {"body", "Aggiornare i driver del lettore."},
                                   {"visibility", "internal"}}
                                  .dump());
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(agent.get(internal_path).json()["title"], "Firma digitale: verifica del lettore");
  EXPECT_EQ(agent.request("DELETE", internal_path).status, 204);
  EXPECT_EQ(agent.get(internal_path).status, 404);
}

TEST_F(Knowledge, SearchIsRankedAndSuggestionsFollowTheSubjectBeingTyped) {
  HttpClient agent = as("operatore");
  HttpClient clerk = as("impiegato.cremona");
  ASSERT_EQ(agent
                .post("/api/v1/helpdesk/articles",
                      {{"title", "Scanner di rete: invio alla cartella condivisa"},
                       {"body", "Configurare il percorso della cartella sullo scanner."}})
                .status,
            201);
  ASSERT_EQ(agent
                .post("/api/v1/helpdesk/articles",
                      {{"title", "Cartelle condivise del Comune"},
                       {"body", "Come mappare le cartelle. Anche lo scanner le usa."}})
                .status,
            201);
  // The word in the title ranks above the word in the body.
  const auto ranked = titles(clerk.get("/api/v1/helpdesk/articles?q=scanner").json());
  ASSERT_GE(ranked.size(), 2u);
  EXPECT_EQ(ranked[0], "Scanner di rete: invio alla cartella condivisa");

  // What a requester types as a ticket subject brings the demo's printer article first.
  auto suggested = clerk.get("/api/v1/helpdesk/articles/suggest?q=la%20stampante%20non%20va");
  ASSERT_EQ(suggested.status, 200) << suggested.body;
  const auto first = titles(suggested.json());
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0], "La stampante non stampa: cosa controllare");
  EXPECT_TRUE(suggested.json()["items"][0].contains("excerpt"));
  // Internal procedures are never suggested to requesters; too little typed suggests nothing.
  EXPECT_FALSE(
      has(titles(clerk.get("/api/v1/helpdesk/articles/suggest?q=sblocco%20account").json()),
          "Procedura interna: sblocco account di dominio"));
  EXPECT_TRUE(clerk.get("/api/v1/helpdesk/articles/suggest?q=la").json()["items"].empty());
  auto nothing = clerk.get("/api/v1/helpdesk/articles?q=%22%2A%22");
  EXPECT_EQ(nothing.status, 400);
  EXPECT_EQ(nothing.json()["errors"][0]["field"], "q");
}

}  // namespace
}  // namespace cst::testkit
