// `cst helpdesk mail-in` against a running demo server's database: messages as a mail server
// pipes them, checked through the HTTP API.
#include <gtest/gtest.h>

#include "testkit/demo_suite.hpp"
#include "testkit/samples.hpp"

namespace cst::testkit {
namespace {

class MailIn : public DemoServerSuite<MailIn> {
 protected:
  static CommandResult deliver(const std::string& message, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"helpdesk", "mail-in"};
    for (const auto& a : server_->cliArgs()) args.push_back(a);
    for (auto& a : extra) args.push_back(std::move(a));
    return runCli(args, message, server_->cliEnv());
  }
  // The ticket number in "segnalazione aperta: N [Assistenza #N]".
  static std::int64_t ticketOf(const CommandResult& r) {
    const auto hash = r.out.find('#');
    return hash == std::string::npos ? 0 : std::stoll(r.out.substr(hash + 1));
  }
  static Json ticket(std::int64_t id) {
    return as("operatore").get("/api/v1/helpdesk/tickets/" + std::to_string(id)).json();
  }
  // Tickets opened by mail: the antivirus module's monitoring ticket for a quarantined
  // attachment is the quarantine's, not the message's.
  static std::size_t ticketCount() {
    const Json all = as("operatore").get("/api/v1/helpdesk/tickets?limit=200").json();
    std::size_t n = 0;
    for (const auto& t : all["items"]) n += t["channel"] != "monitoring";
    return n;
  }
};

TEST_F(MailIn, AKnownSenderOpensATicketWithEncodedSubjectAndLatin1Text) {
  const std::string message =
      "From: Impiegato <impiegato.cremona@cst-cremona.example>\r\n"
      "To: assistenza@cst-cremona.example\r\n"
      "Subject: =?UTF-8?Q?Stampante_guasta_=E2=80=93_urgente?=\r\n"
      "Message-ID: <a1@example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
      "La stampante dell'ufficio =E8 bloccata.\r\n";
  auto r = deliver(message);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::int64_t id = ticketOf(r);
  ASSERT_GT(id, 0) << r.out;
  const Json t = ticket(id);
  EXPECT_EQ(t["channel"], "email");
  EXPECT_EQ(t["ente"], "019036") << "the sender's own ente";
  EXPECT_EQ(t["subject"], "Stampante guasta – urgente");
  EXPECT_EQ(t["description"], "La stampante dell'ufficio è bloccata.");
  EXPECT_EQ(t["requester"]["name"], "Impiegato del Comune di Cremona");
  EXPECT_FALSE(t["requester"]["id"].is_null());
  // The clerk sees it in the portal as their own ticket.
  EXPECT_EQ(as("impiegato.cremona").get("/api/v1/helpdesk/tickets/" + std::to_string(id)).status,
            200);

  // A reply naming the ticket in the subject is added to it.
  auto reply = deliver("From: impiegato.cremona@cst-cremona.example\r\nSubject: Re: [Assistenza #" +
                       std::to_string(id) + "] Stampante guasta\r\n\r\nOra stampa di nuovo.\r\n");
  ASSERT_EQ(reply.exit_code, 0) << reply.err;
  EXPECT_NE(reply.out.find("risposta aggiunta"), std::string::npos) << reply.out;
  const Json after = ticket(id);
  EXPECT_EQ(after["timeline"].back()["kind"], "reply");
  EXPECT_EQ(after["timeline"].back()["body"], "Ora stampa di nuovo.");
}

TEST_F(MailIn, AttachmentsAreScannedAndKept) {
  auto r = deliver(mailWithAttachment("ref.crema@cst-cremona.example", "Log del server",
                                      "errori.log", "riga 1\nriga 2\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::int64_t id = ticketOf(r);
  const Json t = ticket(id);
  EXPECT_EQ(t["ente"], "019035");
  const Json last = t["timeline"].back();
  ASSERT_EQ(last["kind"], "attachment") << t.dump();
  EXPECT_EQ(last["data"]["filename"], "errori.log");
  auto content = as("ref.crema")
                     .get("/api/v1/helpdesk/tickets/" + std::to_string(id) + "/attachments/" +
                          last["data"]["upload_id"].get<std::string>());
  EXPECT_EQ(content.body, "riga 1\nriga 2\n");
}

TEST_F(MailIn, AnInfectedAttachmentRefusesTheWholeMessage) {
  const std::size_t before = ticketCount();
  auto r = deliver(
      mailWithAttachment("ref.crema@cst-cremona.example", "Fattura", "fattura.pdf.exe", eicar()));
  EXPECT_EQ(r.exit_code, 65) << r.out << r.err;
  EXPECT_NE(r.err.find("EICAR"), std::string::npos) << r.err;
  EXPECT_EQ(ticketCount(), before) << "nothing stored";
}

TEST_F(MailIn, UnknownSendersNeedTheAliasEnteAndFollowTheirTicketByAddress) {
  const std::string message =
      "From: Mario Verdi <mario.verdi@posta.example>\r\nSubject: Accesso al portale\r\n\r\n"
      "Non riesco ad accedere.\r\n";
  auto nowhere = deliver(message);
  EXPECT_EQ(nowhere.exit_code, 67) << nowhere.out << nowhere.err;
  EXPECT_NE(nowhere.err.find("--ente"), std::string::npos) << nowhere.err;

  auto r = deliver(message, {"--ente", "019035"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::int64_t id = ticketOf(r);
  Json t = ticket(id);
  EXPECT_EQ(t["ente"], "019035");
  EXPECT_TRUE(t["requester"]["id"].is_null());
  EXPECT_EQ(t["requester"]["name"], "Mario Verdi");
  EXPECT_EQ(t["requester"]["email"], "mario.verdi@posta.example");

  const std::string tag = "[Assistenza #" + std::to_string(id) + "]";
  auto reply = deliver(
      "From: mario.verdi@posta.example\r\nSubject: Re: " + tag + "\r\n\r\nHo riprovato.\r\n",
      {"--ente", "019035"});
  ASSERT_EQ(reply.exit_code, 0) << reply.err;
  EXPECT_EQ(ticketOf(reply), id);
  // Somebody else quoting the tag does not get into the ticket: theirs is a new one.
  auto stranger = deliver("From: altro@posta.example\r\nSubject: Re: " + tag + "\r\n\r\nCiao\r\n",
                          {"--ente", "019035"});
  ASSERT_EQ(stranger.exit_code, 0) << stranger.err;
  EXPECT_NE(ticketOf(stranger), id);
  EXPECT_EQ(ticket(id)["timeline"].size(), t["timeline"].size() + 1);
}

TEST_F(MailIn, RawBytesAndLongSubjectsNeverMakeATicketUnreadable) {
  // No charset declared and a Latin-1 byte in subject and body; a subject of 300 bytes.
  std::string subject;
  for (int i = 0; i < 150; ++i) subject += "à";
  auto r = deliver("From: ref.crema@cst-cremona.example\r\nSubject: Perch\xE8 " + subject +
                   "\r\n\r\nIl PC non si accende perch\xE8 manca corrente.\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto read = as("operatore").get("/api/v1/helpdesk/tickets/" + std::to_string(ticketOf(r)));
  ASSERT_EQ(read.status, 200) << read.body;
  const Json t = read.json();
  EXPECT_EQ(t["description"], "Il PC non si accende perch\uFFFD manca corrente.");
  EXPECT_LE(t["subject"].get<std::string>().size(), 200u);
  EXPECT_EQ(t["subject"].get<std::string>().rfind("Perch", 0), 0u) << t["subject"];
}

TEST_F(MailIn, BrokenMessagesAreRefusedAndChangeNothing) {
  const std::size_t before = ticketCount();
  for (const std::string& broken :
       {std::string(""), std::string("solo testo, senza intestazione\n"),
        std::string("Subject: senza mittente\r\n\r\ntesto\r\n"),
        std::string("From: non-un-indirizzo\r\n\r\ntesto\r\n")}) {
    auto r = deliver(broken);
    EXPECT_EQ(r.exit_code, 65) << "[" << broken << "] " << r.out << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_EQ(ticketCount(), before);
}

}  // namespace
}  // namespace cst::testkit
