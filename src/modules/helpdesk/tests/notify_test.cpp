// E-mail notifications end to end: the real `cst serve --demo` queues them with each change and
// its "Invio posta" job delivers them to a real SMTP server (aiosmtpd) run by the test.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "testkit/demo_suite.hpp"
#include "testkit/smtp_sink.hpp"

namespace cst::testkit {
namespace {

class Notify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sink_ = std::make_unique<SmtpSink>();
    ServerOptions o;
    o.env["CST_MAIL_SMTP_URL"] = sink_->url();
    server_ = std::make_unique<ServerProcess>(o);
    server_->start();
  }
  static void TearDownTestSuite() {
    server_.reset();
    sink_.reset();
  }
  static HttpClient as(const std::string& user) { return loggedIn(*server_, user); }

  // Runs the delivery job now and waits (bounded) until `count` messages reached the relay.
  static std::vector<Json> deliver(std::size_t count) {
    HttpClient admin = as("admin");
    const Json jobs = admin.get("/api/v1/jobs").json();
    std::int64_t job = 0;
    for (const Json& j : jobs["items"])
      if (j["name"] == "Invio posta") job = j["id"];
    EXPECT_NE(job, 0) << jobs.dump();
    for (int i = 0; i < 100; ++i) {
      auto all = sink_->received();
      if (all.size() >= count) return all;
      admin.post("/api/v1/jobs/" + std::to_string(job) + "/run", Json::object());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return sink_->received();
  }
  static std::vector<Json> to(const std::vector<Json>& mails, const std::string& address) {
    std::vector<Json> out;
    for (const Json& m : mails)
      for (const Json& r : m["rcpt_tos"])
        if (r == address) out.push_back(m);
    return out;
  }

  inline static std::unique_ptr<SmtpSink> sink_;
  inline static std::unique_ptr<ServerProcess> server_;
};

TEST_F(Notify, RequesterAndWatchersHearOfRepliesAndStatesButNeverOfInternalNotes) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient agent = as("operatore");
  HttpClient referent = as("ref.cremona");
  auto opened = clerk.post(
      "/api/v1/helpdesk/tickets",
      {{"ente", "019036"}, {"subject", "Posta certificata è lenta"}, {"description", "Da ieri."}});
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::int64_t id = opened.json()["id"];
  const std::string path = "/api/v1/helpdesk/tickets/" + std::to_string(id);
  const std::string tag = "[Assistenza #" + std::to_string(id) + "]";
  ASSERT_EQ(referent.post(path + "/watchers", Json::object()).status, 201);
  ASSERT_EQ(
      agent.post(path + "/comments", {{"body", "Nota solo per noi"}, {"internal", true}}).status,
      201);
  ASSERT_EQ(agent.post(path + "/comments", {{"body", "Stiamo verificando il server."}}).status,
            201);
  ASSERT_EQ(agent.patch(path, {{"assignee_group", "Posta"}, {"state", "solved"}}).status, 200);

  // Acknowledgement, reply, state: three for the requester; reply and state for the watcher.
  const auto mails = deliver(5);
  const auto clerk_mails = to(mails, "impiegato.cremona@cst-cremona.example");
  const auto referent_mails = to(mails, "ref.cremona@cst-cremona.example");
  ASSERT_EQ(clerk_mails.size(), 3u) << Json(mails).dump();
  ASSERT_EQ(referent_mails.size(), 2u) << Json(mails).dump();
  for (const Json& m : clerk_mails) {
    EXPECT_EQ(m["headers"]["Subject"], tag + " Posta certificata è lenta") << m.dump();
    EXPECT_EQ(m["body"].get<std::string>().find("Nota solo per noi"), std::string::npos);
  }
  EXPECT_NE(clerk_mails[0]["body"].get<std::string>().find("Abbiamo ricevuto la segnalazione"),
            std::string::npos);
  EXPECT_NE(clerk_mails[1]["body"].get<std::string>().find("Stiamo verificando il server."),
            std::string::npos);
  EXPECT_NE(clerk_mails[2]["body"].get<std::string>().find("è ora: Risolto"), std::string::npos)
      << clerk_mails[2].dump();
  // The desk's own actions are not mailed back to the desk.
  EXPECT_TRUE(to(mails, "operatore@cst-cremona.example").empty());
}

TEST_F(Notify, ARefusedChangeSendsNothing) {
  HttpClient clerk = as("impiegato.cremona");
  const std::size_t before = deliver(0).size();
  auto refused =
      clerk.post("/api/v1/helpdesk/tickets",
                 {{"ente", "019036"}, {"subject", ""}, {"description", "senza oggetto"}});
  ASSERT_EQ(refused.status, 400);
  // A valid ticket afterwards: its acknowledgement is the only new mail.
  ASSERT_EQ(clerk
                .post("/api/v1/helpdesk/tickets",
                      {{"ente", "019036"}, {"subject", "Dopo il rifiuto"}, {"description", "ok"}})
                .status,
            201);
  const auto mails = deliver(before + 1);
  ASSERT_EQ(mails.size(), before + 1);
  EXPECT_NE(mails.back()["headers"]["Subject"].get<std::string>().find("Dopo il rifiuto"),
            std::string::npos);
}

}  // namespace
}  // namespace cst::testkit
