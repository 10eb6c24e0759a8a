// The outbox against a real SMTP server (aiosmtpd, testkit/smtp_sink.hpp), without HTTP: what is
// queued in a committed transaction arrives intact, a rolled-back one never leaves, a relay that
// is down is retried with backoff, a refusal is final, bad input names its field, and two
// instances send each message once. Runs on SQLite, and on PostgreSQL when CST_TEST_POSTGRES_URL
// is set. The clock is a ManualClock: backoff is checked to the millisecond, without waiting.
#include "mail/outbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "common/crypto.hpp"
#include "db/migrations.hpp"
#include "platform/platform.hpp"
#include "testkit/server_process.hpp"
#include "testkit/smtp_sink.hpp"

namespace cst::mail {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

const char* const kSubject = "Ticket #12: risposta dell'operatore – è arrivata";

struct Row {
  std::string state;
  std::int64_t attempts = 0;
  std::optional<std::string> next_attempt_at, last_error, sent_at;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cst-outbox-" + randomToken(6));
    fs::create_directories(dir_);
    url_ = testkit::usingPostgres() ? testkit::freshDatabaseUrl()
                                    : "sqlite:" + (dir_ / "cst.db").string();
    db_ = open();
    auto applied = db::migrate(*db_, {{"core", &db::coreMigrations()}});
    ASSERT_TRUE(applied) << applied.error().detail;
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::shared_ptr<db::Database> open() {
    auto db = db::Database::open(url_, dir_, 4);
    EXPECT_TRUE(db) << db.error().detail;
    return *db;
  }

  OutboxOptions options(const std::string& relay_url) {
    OutboxOptions o;
    o.relay.url = relay_url;
    o.relay.timeout = 10s;
    o.from = parseMailbox("Call center CST <noreply@cst.example>", "from").value();
    return o;
  }

  static OutgoingMail mailTo(const std::string& recipient, const std::string& subject = kSubject) {
    OutgoingMail m;
    m.recipient = recipient;
    m.subject = subject;
    m.body = "Gentile utente,\nla sua richiesta è stata presa in carico.\n";
    return m;
  }

  Status queue(const OutgoingMail& m) {
    return db_->transactStatus(db::TxMode::kWrite,
                               [&](db::Tx& tx) { return enqueue(tx, m, clock_.now()); });
  }

  std::vector<Row> rows() {
    auto r = db_->query(
        "SELECT state, attempts, next_attempt_at, last_error, sent_at FROM mail_outbox ORDER BY "
        "id");
    EXPECT_TRUE(r) << r.error().detail;
    std::vector<Row> out;
    if (r)
      for (const db::Row& row : *r)
        out.push_back(
            {row.text(0), row.integer(1), row.optText(2), row.optText(3), row.optText(4)});
    return out;
  }

  std::string in(std::chrono::milliseconds d) { return formatTimestamp(clock_.now() + d); }

  fs::path dir_;
  std::string url_;
  std::shared_ptr<db::Database> db_;
  ManualClock clock_{parseTimestamp("2026-01-15T09:00:00Z").value()};
};

TEST_F(OutboxTest, AQueuedMailArrivesIntact) {
  testkit::SmtpSink sink;
  Outbox outbox(*db_, clock_, options(sink.url()));
  OutgoingMail m = mailTo("mario.rossi@comune.cremona.it");
  // Accents, a line that SMTP would take for the end of data, one longer than 998 octets, and a
  // "From " line that mbox would mangle.
  const std::string long_line(1200, 'x');
  m.body = "Gentile Mario,\n\nl'operatore ha risposto: è già risolto, perché la VPN è attiva.\n" +
           std::string(".\n.. due punti\nFrom Cremona con cortesia\n") + long_line +
           "\n\n-- \nCall center CST – Provincia di Cremona\n";
  m.headers = {{"In-Reply-To", "<caso-12@comune.cremona.it>"},
               {"References", "<caso-12@comune.cremona.it>"}};
  ASSERT_TRUE(queue(m));

  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->sent, 1);
  EXPECT_FALSE(run->stopped_by);
  const auto got = sink.received();
  ASSERT_EQ(got.size(), 1u);
  const json& mail = got[0];
  EXPECT_EQ(mail["mail_from"], "noreply@cst.example");
  EXPECT_EQ(mail["rcpt_tos"], json::array({"mario.rossi@comune.cremona.it"}));
  const json& h = mail["headers"];
  EXPECT_EQ(h["Subject"], kSubject);
  EXPECT_EQ(h["From"], "Call center CST <noreply@cst.example>");
  EXPECT_EQ(h["To"], "mario.rossi@comune.cremona.it");
  EXPECT_EQ(h["MIME-Version"], "1.0");
  EXPECT_NE(h["Content-Type"].get<std::string>().find("text/plain"), std::string::npos);
  EXPECT_NE(h["Content-Type"].get<std::string>().find("utf-8"), std::string::npos);
  EXPECT_EQ(h["Content-Transfer-Encoding"], "quoted-printable");
  EXPECT_EQ(h["Auto-Submitted"], "auto-generated");
  EXPECT_EQ(h["In-Reply-To"], "<caso-12@comune.cremona.it>");
  EXPECT_EQ(h["References"], "<caso-12@comune.cremona.it>");
  EXPECT_EQ(h["Date"], "Thu, 15 Jan 2026 09:00:00 +0000");
  EXPECT_EQ(h["Message-Id"], "<cst.1.20260115090000000@cst.example>");  // GMime's spelling
  EXPECT_EQ(mail["body"], m.body);
  EXPECT_TRUE(mail["seven_bit"]) << "no 8BITMIME needed at the relay";
  const std::string raw = mail["raw"];
  const auto subject_at = raw.find("Subject: ");
  ASSERT_NE(subject_at, std::string::npos);
  const std::string subject_line =
      raw.substr(subject_at, raw.find("\r\n", subject_at) - subject_at);
  EXPECT_NE(subject_line.find("=?UTF-8?"), std::string::npos) << "RFC 2047: " << subject_line;
  for (std::size_t at = raw.find('\n'); at != std::string::npos; at = raw.find('\n', at + 1))
    ASSERT_EQ(raw[at - 1], '\r') << "bare LF at " << at;

  const auto r = rows();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].state, "sent");
  EXPECT_EQ(r[0].attempts, 1);
  EXPECT_EQ(r[0].sent_at.value_or(""), in(0ms));
  EXPECT_FALSE(r[0].next_attempt_at);
  EXPECT_EQ(outbox.sentTotal(), 1);

  clock_.advance(1h);
  EXPECT_EQ(outbox.deliverDue().value().sent, 0) << "sent once, not again";
  EXPECT_EQ(sink.received().size(), 1u);
}

TEST_F(OutboxTest, AMailQueuedInARolledBackTransactionIsNeverSent) {
  testkit::SmtpSink sink;
  Outbox outbox(*db_, clock_, options(sink.url()));
  auto s = db_->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    if (auto q = enqueue(tx, mailTo("mario.rossi@comune.cremona.it"), clock_.now()); !q) return q;
    return fail(ErrorCode::kConflict, "il ticket è stato modificato da un altro operatore");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(rows().empty());
  clock_.advance(1h);
  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->sent, 0);
  EXPECT_TRUE(sink.received().empty());
}

TEST_F(OutboxTest, ARelayThatIsDownIsRetriedWithBackoffThenDelivered) {
  const int port = testkit::freePort();  // nobody listens yet
  Outbox outbox(*db_, clock_, options("smtp://127.0.0.1:" + std::to_string(port)));
  ASSERT_TRUE(queue(mailTo("mario.rossi@comune.cremona.it")));
  ASSERT_TRUE(queue(mailTo("anna.bianchi@comune.crema.cr.it", "Secondo messaggio")));

  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->sent, 0);
  EXPECT_EQ(run->retrying, 1) << "the run stops at the relay that is down";
  ASSERT_TRUE(run->stopped_by);
  auto r = rows();
  EXPECT_EQ(r[0].state, "queued");
  EXPECT_EQ(r[0].attempts, 1);
  EXPECT_EQ(r[0].next_attempt_at.value_or(""), in(1min));
  EXPECT_NE(r[0].last_error.value_or("").find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << r[0].last_error.value_or("");
  EXPECT_EQ(r[1].attempts, 0) << "not tried: the relay was known to be down";

  // The second message is still due: it meets the same closed port, and waits 1 minute.
  EXPECT_EQ(outbox.deliverDue().value().retrying, 1);
  clock_.advance(1min);
  EXPECT_EQ(outbox.deliverDue().value().retrying, 1);
  r = rows();
  EXPECT_EQ(r[0].attempts, 2);
  EXPECT_EQ(r[0].next_attempt_at.value_or(""), in(2min)) << "backoff doubles";
  EXPECT_EQ(r[1].attempts, 1);

  testkit::SmtpSink sink(port);  // the relay comes back
  clock_.advance(59s);
  EXPECT_EQ(outbox.deliverDue().value().sent, 1) << "only the one whose wait is over";
  clock_.advance(61s);  // the first one's 2-minute wait is over
  EXPECT_EQ(outbox.deliverDue().value().sent, 1);
  r = rows();
  EXPECT_EQ(r[0].state, "sent");
  EXPECT_EQ(r[0].attempts, 3);
  EXPECT_EQ(r[1].state, "sent");
  EXPECT_EQ(r[1].attempts, 2);
  EXPECT_EQ(sink.received().size(), 2u);
}

TEST_F(OutboxTest, AfterMaxAttemptsAMailIsGivenUp) {
  OutboxOptions o = options("smtp://127.0.0.1:" + std::to_string(testkit::freePort()));
  o.max_attempts = 3;
  Outbox outbox(*db_, clock_, o);
  ASSERT_TRUE(queue(mailTo("mario.rossi@comune.cremona.it")));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    EXPECT_EQ(outbox.deliverDue().value_or(DeliveryRun{}).stopped_by.has_value(), true);
    clock_.advance(1h);
  }
  const auto r = rows();
  EXPECT_EQ(r[0].state, "failed");
  EXPECT_EQ(r[0].attempts, 3);
  EXPECT_FALSE(r[0].next_attempt_at);
  EXPECT_EQ(outbox.counts().value().failed, 1);
  EXPECT_EQ(outbox.counts().value().queued, 0);
}

TEST_F(OutboxTest, APermanentRefusalFailsAndIsNotRetried) {
  testkit::SmtpSink sink;
  Outbox outbox(*db_, clock_, options(sink.url()));
  ASSERT_TRUE(queue(mailTo("inesistente@comune.cremona.it")));
  ASSERT_TRUE(queue(mailTo("mario.rossi@comune.cremona.it", "Dopo il rifiuto")));

  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->failed, 1);
  EXPECT_EQ(run->sent, 1) << "a refused message does not stop the others";
  EXPECT_FALSE(run->stopped_by);
  auto r = rows();
  EXPECT_EQ(r[0].state, "failed");
  EXPECT_EQ(r[0].attempts, 1);
  EXPECT_FALSE(r[0].next_attempt_at);
  EXPECT_NE(r[0].last_error.value_or("").find("550 5.1.1 Casella inesistente"), std::string::npos)
      << r[0].last_error.value_or("");

  clock_.advance(24h);
  EXPECT_EQ(outbox.deliverDue().value().failed, 0);
  EXPECT_EQ(rows()[0].attempts, 1) << "never tried again";
  ASSERT_EQ(sink.received().size(), 1u);
  EXPECT_EQ(sink.received()[0]["headers"]["Subject"], "Dopo il rifiuto");
}

TEST_F(OutboxTest, ATemporaryRefusalIsRetried) {
  testkit::SmtpSink sink;
  Outbox outbox(*db_, clock_, options(sink.url()));
  ASSERT_TRUE(queue(mailTo("piena@comune.cremona.it")));
  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->retrying, 1);
  const auto r = rows();
  EXPECT_EQ(r[0].state, "queued");
  EXPECT_EQ(r[0].next_attempt_at.value_or(""), in(1min));
  EXPECT_NE(r[0].last_error.value_or("").find("452"), std::string::npos);
}

TEST_F(OutboxTest, APasswordIsNeverSentWithoutTls) {
  testkit::SmtpSink sink;  // offers no STARTTLS
  OutboxOptions o = options(sink.url());
  o.relay.username = "cst";
  o.relay.password = "segreta-del-relay";
  Outbox outbox(*db_, clock_, o);
  ASSERT_TRUE(queue(mailTo("mario.rossi@comune.cremona.it")));
  auto run = outbox.deliverDue();
  ASSERT_TRUE(run) << run.error().detail;
  EXPECT_EQ(run->retrying, 1) << "a relay without TLS is a configuration problem: retried";
  const auto r = rows();
  EXPECT_EQ(r[0].state, "queued");
  EXPECT_EQ(r[0].last_error.value_or("").find("segreta"), std::string::npos);
  EXPECT_TRUE(sink.received().empty());
}

TEST_F(OutboxTest, WithoutARelayMailStaysQueued) {
  Outbox outbox(*db_, clock_, options(""));
  EXPECT_FALSE(outbox.enabled());
  ASSERT_TRUE(queue(mailTo("mario.rossi@comune.cremona.it")));
  for (int i = 0; i < 2; ++i) {
    auto run = outbox.deliverDue();
    ASSERT_TRUE(run) << run.error().detail;
    EXPECT_EQ(run->sent + run->retrying + run->failed, 0);
  }
  const auto r = rows();
  EXPECT_EQ(r[0].state, "queued");
  EXPECT_EQ(r[0].attempts, 0);
  EXPECT_EQ(outbox.counts().value().queued, 1);
}

TEST_F(OutboxTest, BadInputNamesTheFieldAndQueuesNothing) {
  for (const char* bad :
       {"", "mario", "mario@", "@comune.cremona.it", "mario@@comune.it", "mario rossi@comune.it",
        "mario@localhost", "mario..rossi@comune.it", ".mario@comune.it", "mario@-comune.it",
        "mario@comune_cremona.it", "Mario <mario@comune.it>", "màrio@comune.it",
        "mario@comune.it\r\nBcc: tutti@example.org"}) {
    auto s = queue(mailTo(bad));
    ASSERT_FALSE(s) << "accepted \"" << bad << "\"";
    EXPECT_EQ(s.error().code, ErrorCode::kBadInput) << bad;
    ASSERT_EQ(s.error().fields.size(), 1u) << bad;
    EXPECT_EQ(s.error().fields[0].field, "recipient") << bad;
  }
  auto fieldOf = [&](const OutgoingMail& m) {
    auto s = queue(m);
    return s ? std::string("(accepted)") : s.error().fields.at(0).field;
  };
  OutgoingMail m = mailTo("mario.rossi@comune.cremona.it");
  m.subject = "Riga uno\r\nBcc: tutti@example.org";
  EXPECT_EQ(fieldOf(m), "subject");
  m.subject = "";
  EXPECT_EQ(fieldOf(m), "subject");
  m = mailTo("mario.rossi@comune.cremona.it");
  m.body = "testo \xff non UTF-8";
  EXPECT_EQ(fieldOf(m), "body");
  m = mailTo("mario.rossi@comune.cremona.it");
  m.headers = {{"Bcc", "tutti@example.org"}};
  EXPECT_EQ(fieldOf(m), "headers.Bcc");
  m.headers = {{"In-Reply-To", "<a@b.it>\r\nBcc: tutti@example.org"}};
  EXPECT_EQ(fieldOf(m), "headers.In-Reply-To");
  m.headers = {{"References", "<a@b.it>"}, {"references", "<c@d.it>"}};
  EXPECT_EQ(fieldOf(m), "headers.references");
  m.headers = {};
  m.message_id = "<con-parentesi@cst.example>";
  EXPECT_EQ(fieldOf(m), "message_id");
  EXPECT_TRUE(rows().empty());

  for (const char* good : {"mario.rossi@comune.cremona.it", "protocollo+suap@comune.crema.cr.it",
                           "o'brien@example.org", "UFFICIO_TRIBUTI@Comune.Cremona.IT"})
    EXPECT_TRUE(queue(mailTo(good))) << good;
}

TEST_F(OutboxTest, TwoInstancesSendEachMailOnce) {
  testkit::SmtpSink sink;
  auto other_db = open();
  Outbox a(*db_, clock_, options(sink.url())), b(*other_db, clock_, options(sink.url()));
  constexpr int kMails = 12;
  for (int i = 0; i < kMails; ++i)
    ASSERT_TRUE(queue(mailTo("utente" + std::to_string(i) + "@comune.cremona.it",
                             "Messaggio " + std::to_string(i))));
  Result<DeliveryRun> ran_a = DeliveryRun{}, ran_b = DeliveryRun{};
  std::atomic<int> ready{0};
  auto together = [&] {
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();
  };
  std::thread ta([&] {
    together();
    ran_a = a.deliverDue();
  });
  std::thread tb([&] {
    together();
    ran_b = b.deliverDue();
  });
  ta.join();
  tb.join();
  ASSERT_TRUE(ran_a) << ran_a.error().detail;
  ASSERT_TRUE(ran_b) << ran_b.error().detail;
  EXPECT_EQ(ran_a->sent + ran_b->sent, kMails);
  std::multiset<std::string> subjects;
  for (const json& m : sink.received()) subjects.insert(m["headers"]["Subject"].get<std::string>());
  EXPECT_EQ(subjects.size(), std::size_t(kMails));
  for (int i = 0; i < kMails; ++i)
    EXPECT_EQ(subjects.count("Messaggio " + std::to_string(i)), 1u) << i;
}

// The wiring: the platform builds the outbox from [mail], and its "Invio posta" job delivers.
TEST_F(OutboxTest, ThePlatformJobDeliversQueuedMail) {
  testkit::SmtpSink sink;
  Config config;
  config.data_dir = dir_ / "platform";
  config.database_url = testkit::freshDatabaseUrl();  // SQLite: a file in data_dir
  config.mail.smtp_url = sink.url();
  config.mail.from = "Comune di Cantù <protocollo@comune.cantu.co.it>";
  auto clock = std::make_unique<ManualClock>(clock_.now());
  ManualClock& now = *clock;
  auto opened = Platform::open(config, {}, std::move(clock));
  ASSERT_TRUE(opened) << opened.error().detail;
  Platform& p = **opened;
  ASSERT_TRUE(p.install());
  ASSERT_TRUE(p.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) {
    return enqueue(tx, mailTo("mario.rossi@comune.cremona.it"), now.now());
  }));
  now.advance(30s);
  auto ran = p.scheduler->runDue();
  ASSERT_TRUE(ran) << ran.error().detail;
  const auto got = sink.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["headers"]["From"], "Comune di Cantù <protocollo@comune.cantu.co.it>");
  const std::string metrics = p.metrics.render();
  EXPECT_NE(metrics.find("cst_mail_queued 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("cst_mail_sent_total 1\n"), std::string::npos) << metrics;
  auto jobs = p.scheduler->list();
  ASSERT_TRUE(jobs);
  EXPECT_TRUE(std::any_of(jobs->begin(), jobs->end(), [](const jobs::JobInfo& j) {
    return j.name == "Invio posta" && j.kind == "mail.deliver" && !j.last_error;
  }));
}

TEST(MailConfig, ReadFromTheFileAndTheEnvironment) {
  const fs::path file = fs::temp_directory_path() / ("cst-mail-" + randomToken(6) + ".toml");
  auto load = [&](const std::string& toml) {
    std::ofstream(file) << toml;
    return loadConfig(file.string());
  };
  auto c = load(
      "[mail]\nsmtp_url = \"smtp://relay.provincia.cremona.it:587\"\nusername = \"cst\"\n"
      "password = \"dal-file\"\ntimeout_seconds = 12\n");
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->mail.smtp_url, "smtp://relay.provincia.cremona.it:587");
  EXPECT_EQ(c->mail.from, "Call center CST <noreply@cst.example>") << "the default";
  EXPECT_EQ(c->mail.username, "cst");
  EXPECT_EQ(c->mail.timeout_seconds, 12);

  ::setenv("CST_MAIL_PASSWORD", "dall-ambiente", 1);
  ::setenv("CST_MAIL_FROM", "CST <cst@provincia.cremona.it>", 1);
  c = load("[mail]\npassword = \"dal-file\"\n");
  ::unsetenv("CST_MAIL_PASSWORD");
  ::unsetenv("CST_MAIL_FROM");
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->mail.password, "dall-ambiente");
  EXPECT_EQ(c->mail.from, "CST <cst@provincia.cremona.it>");

  for (const char* bad : {"[mail]\nsmtp_url = \"http://relay:25\"\n",
                          "[mail]\nsmtp_url = \"smtp://cst:segreta@relay:587\"\n"}) {
    c = load(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().fields.at(0).field, "mail.smtp_url") << bad;
    EXPECT_EQ(c.error().detail.find("segreta"), std::string::npos) << "no secret in the error";
  }
  c = load("[mail]\ntimeout_seconds = 0\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().fields.at(0).field, "mail.timeout_seconds");
  fs::remove(file);

  EXPECT_EQ(describeRelay("smtps://cst:segreta@relay.example:465"), "smtps://relay.example:465");
  EXPECT_EQ(describeRelay("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
  auto from = parseMailbox("\"Comune di Cantù\" <protocollo@comune.cantu.co.it>", "mail.from");
  ASSERT_TRUE(from);
  EXPECT_EQ(from->name, "Comune di Cantù");
  EXPECT_EQ(from->address, "protocollo@comune.cantu.co.it");
  EXPECT_EQ(parseMailbox("CST <noreply>", "mail.from").error().fields.at(0).field, "mail.from");
}

}  // namespace
}  // namespace cst::mail
