// RFC 3161 time-stamps: the built-in TSA checked by verifyTimeStamp and, independently, by
// `openssl ts -verify`; the HTTP TSA client against a real HTTP server on 127.0.0.1 (a socket
// thread in this file) that answers with the local TSA's replies, or with wrong ones.
#include "sign/timestamp.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"
#include "testkit/smtp_sink.hpp"  // freePort

namespace cst::sign {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void writeFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

ProcessOutcome openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  auto outcome = runProcess(args, 60s);
  EXPECT_TRUE(outcome) << outcome.error().detail;
  return outcome ? *outcome : ProcessOutcome{};
}

// Seconds between an ISO 8601 UTC time ("2026-11-27T14:30:00Z") and now.
long secondsFromNow(const std::string& iso) {
  std::tm tm{};
  if (!::strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 1L << 30;
  return static_cast<long>(::timegm(&tm) - std::time(nullptr));
}

const std::string kIndex = "<PIndex>indice del pacchetto di archiviazione</PIndex>\n";

class TimeStampTest : public ::testing::Test {
 protected:
  // Two TSAs for the whole suite: an RSA-3072 key takes a while to make.
  static void SetUpTestSuite() {
    keys_ = fs::temp_directory_path() / ("cst-tsa-keys-" + randomToken(8));
    auto tsa = LocalTsa::open(keys_ / "tsa", "TSA locale di prova");
    auto other = LocalTsa::open(keys_ / "other", "Altra TSA");
    ASSERT_TRUE(tsa) << tsa.error().detail;
    ASSERT_TRUE(other) << other.error().detail;
    tsa_ = std::move(*tsa);
    other_ = std::move(*other);
  }
  static void TearDownTestSuite() {
    tsa_.reset();
    other_.reset();
    fs::remove_all(keys_);
  }
  void SetUp() override {
    ASSERT_TRUE(tsa_ && other_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static inline fs::path keys_;
  static inline std::unique_ptr<LocalTsa> tsa_;
  static inline std::unique_ptr<LocalTsa> other_;
  fs::path dir_ = fs::temp_directory_path() / ("cst-tsa-test-" + randomToken(8));
};

TEST_F(TimeStampTest, ALocalStampVerifiesWithTheOpensslCommandLine) {
  auto stamp = tsa_->stamp(kIndex);
  ASSERT_TRUE(stamp) << stamp.error().detail;
  writeFile(dir_ / "data", kIndex);
  writeFile(dir_ / "resp.tsr", stamp->response_der);
  writeFile(dir_ / "tsa-certificate.pem", tsa_->certificatePem());
  const auto verify = [&] {
    return openssl({"ts", "-verify", "-data", (dir_ / "data").string(), "-in",
                    (dir_ / "resp.tsr").string(), "-CAfile",
                    (dir_ / "tsa-certificate.pem").string(), "-untrusted",
                    (dir_ / "tsa-certificate.pem").string()});
  };
  const ProcessOutcome verified = verify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("Verification: OK"), std::string::npos) << verified.output;

  // What the command line reads in the token is what stamp() reported.
  const ProcessOutcome text =
      openssl({"ts", "-reply", "-in", (dir_ / "resp.tsr").string(), "-text"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("Status: Granted."), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Policy OID: " + std::string(kLocalTsaPolicy)), std::string::npos);
  EXPECT_NE(text.output.find("Hash Algorithm: sha256"), std::string::npos);
  EXPECT_NE(text.output.find("Accuracy: 0x01 seconds"), std::string::npos) << text.output;
  std::string serial = stamp->serial;
  for (char& c : serial) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_NE(text.output.find(serial), std::string::npos) << stamp->serial << "\n" << text.output;

  writeFile(dir_ / "data", kIndex + " ");
  EXPECT_NE(verify().exit_code, 0) << "the command line accepted other data";
}

TEST_F(TimeStampTest, VerifyTimeStampReturnsTheTokenFactsAndRefusesOtherData) {
  auto stamp = tsa_->stamp(kIndex);
  ASSERT_TRUE(stamp) << stamp.error().detail;
  auto checked = verifyTimeStamp(stamp->response_der, kIndex, tsa_->certificatePem());
  ASSERT_TRUE(checked) << checked.error().detail;
  EXPECT_LE(std::abs(secondsFromNow(checked->gen_time)), 60) << checked->gen_time;
  EXPECT_EQ(checked->gen_time.size(), 20u) << "whole seconds, Z: " << checked->gen_time;
  EXPECT_EQ(checked->policy, kLocalTsaPolicy);
  EXPECT_FALSE(checked->serial.empty());
  EXPECT_LE(checked->serial.size(), 32u) << "more than 128 bits";
  EXPECT_EQ(checked->serial.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(checked->gen_time, stamp->gen_time);
  EXPECT_EQ(checked->serial, stamp->serial);
  EXPECT_EQ(checked->response_der, stamp->response_der);

  auto tampered = verifyTimeStamp(stamp->response_der, kIndex + " ", tsa_->certificatePem());
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error().code, ErrorCode::kBadInput);

  auto other_tsa = verifyTimeStamp(stamp->response_der, kIndex, other_->certificatePem());
  ASSERT_FALSE(other_tsa);
  EXPECT_EQ(other_tsa.error().code, ErrorCode::kBadInput);

  std::string flipped = stamp->response_der;
  flipped.back() ^= 0x01;  // the end of the token's signature value
  EXPECT_FALSE(verifyTimeStamp(flipped, kIndex, tsa_->certificatePem()));
  EXPECT_FALSE(verifyTimeStamp("not a reply", kIndex, tsa_->certificatePem()));
}

TEST_F(TimeStampTest, TheTsaCertificateHasTheCriticalTimeStampingUsageOnly) {
  writeFile(dir_ / "tsa-certificate.pem", tsa_->certificatePem());
  const ProcessOutcome text =
      openssl({"x509", "-in", (dir_ / "tsa-certificate.pem").string(), "-noout", "-text"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  const auto eku = text.output.find("X509v3 Extended Key Usage: critical");
  ASSERT_NE(eku, std::string::npos) << text.output;
  const auto next_line = text.output.find('\n', eku) + 1;
  const std::string usages =
      text.output.substr(next_line, text.output.find('\n', next_line) - next_line);
  EXPECT_EQ(usages.substr(usages.find_first_not_of(' ')), "Time Stamping") << text.output;
  EXPECT_NE(text.output.find("Public-Key: (3072 bit)"), std::string::npos);
  EXPECT_NE(text.output.find("CN = TSA locale di prova"), std::string::npos);
  // The command line's own purpose check agrees.
  const ProcessOutcome purpose =
      openssl({"x509", "-in", (dir_ / "tsa-certificate.pem").string(), "-noout", "-purpose"});
  EXPECT_NE(purpose.output.find("Time Stamp signing : Yes"), std::string::npos) << purpose.output;
  EXPECT_EQ(tsa_->name(), "local");
  EXPECT_FALSE(tsa_->qualified());
}

TEST_F(TimeStampTest, ReopeningTheDirectoryKeepsTheKeyPrivateAndTheCertificate) {
  struct stat st {};
  ASSERT_EQ(::stat((keys_ / "tsa" / "tsa-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the TSA key is readable by others";
  auto again = openLocalTsa(keys_ / "tsa", "Un altro nome");
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ((*again)->certificatePem(), tsa_->certificatePem()) << "a second TSA key was made";
  // The reopened TSA signs with the same key: its stamps verify against the first certificate.
  auto stamp = (*again)->stamp(kIndex);
  ASSERT_TRUE(stamp) << stamp.error().detail;
  EXPECT_TRUE(verifyTimeStamp(stamp->response_der, kIndex, tsa_->certificatePem()));
}

TEST_F(TimeStampTest, StampsFromManyThreadsAllVerifyWithDistinctSerials) {
  std::mutex mutex;
  std::set<std::string> serials;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string data = kIndex + std::to_string(t) + "/" + std::to_string(i);
        auto stamp = tsa_->stamp(data);
        if (!stamp || !verifyTimeStamp(stamp->response_der, data, tsa_->certificatePem())) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        serials.insert(stamp->serial);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(serials.size(), 20u) << "two stamps share a serial";
}

TEST_F(TimeStampTest, AMalformedRequestGetsARejectionNotAToken) {
  auto reply = tsa_->reply("not a TimeStampReq");
  ASSERT_TRUE(reply) << reply.error().detail;
  auto checked = verifyTimeStamp(*reply, kIndex, tsa_->certificatePem());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::kBadInput);
  EXPECT_NE(checked.error().detail.find("badDataFormat"), std::string::npos)
      << checked.error().detail;
}

// One HTTP/1.1 exchange per connection on 127.0.0.1: enough of a TSA server for the client.
class TsaServer {
 public:
  struct Answer {
    int status = 200;
    std::string body;
  };
  using Handler = std::function<Answer(const std::string& request_body)>;

  explicit TsaServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("TsaServer: cannot listen");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TsaServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  TsaServer(const TsaServer&) = delete;
  TsaServer& operator=(const TsaServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/tsa"; }
  // The head (request line and headers) and body of the last request.
  std::string lastHead() const {
    std::lock_guard lock(mutex_);
    return head_;
  }
  std::string lastBody() const {
    std::lock_guard lock(mutex_);
    return body_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      exchange(fd);
      ::close(fd);
    }
  }
  void exchange(int fd) {
    std::string in;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    std::size_t length = 0;
    while (true) {
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        std::string lower = in.substr(0, head_end);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (const auto at = lower.find("content-length:"); at != std::string::npos)
          length = std::stoul(lower.substr(at + 15));
      }
      if (head_end != std::string::npos && in.size() >= head_end + 4 + length) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
    }
    const std::string body = in.substr(head_end + 4, length);
    {
      std::lock_guard lock(mutex_);
      head_ = in.substr(0, head_end);
      body_ = body;
    }
    const Answer answer = handler_(body);
    const std::string out = "HTTP/1.1 " + std::to_string(answer.status) +
                            " X\r\nContent-Type: application/timestamp-reply\r\nContent-Length: " +
                            std::to_string(answer.body.size()) + "\r\nConnection: close\r\n\r\n" +
                            answer.body;
    for (std::size_t done = 0; done < out.size();) {
      const ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::string head_;
  std::string body_;
  std::thread thread_;
};

using TsaHttpTest = TimeStampTest;

TsaServer::Answer replyBy(LocalTsa& tsa, const std::string& request) {
  auto reply = tsa.reply(request);
  return reply ? TsaServer::Answer{200, *reply} : TsaServer::Answer{500, ""};
}

TEST_F(TsaHttpTest, AStampThroughAnHttpTsaIsCheckedAndVerifiable) {
  TsaServer server([](const std::string& request) { return replyBy(*tsa_, request); });
  auto client = httpTsa(server.url(), tsa_->certificatePem());
  auto stamp = client->stamp(kIndex);
  ASSERT_TRUE(stamp) << stamp.error().detail;
  EXPECT_TRUE(verifyTimeStamp(stamp->response_der, kIndex, tsa_->certificatePem()));
  EXPECT_EQ(stamp->policy, kLocalTsaPolicy);
  EXPECT_EQ(client->name(), server.url());
  EXPECT_EQ(client->certificatePem(), tsa_->certificatePem());

  const std::string head = server.lastHead();
  EXPECT_EQ(head.rfind("POST /tsa HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: application/timestamp-query"), std::string::npos) << head;
  EXPECT_EQ(head.find("Authorization:"), std::string::npos) << "credentials nobody configured";
  // The request as the command line reads it: SHA-256 of the data, a nonce, certReq.
  writeFile(dir_ / "req.tsq", server.lastBody());
  const ProcessOutcome text =
      openssl({"ts", "-query", "-in", (dir_ / "req.tsq").string(), "-text"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("Hash Algorithm: sha256"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Nonce: 0x"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Certificate required: yes"), std::string::npos) << text.output;
  std::string digest = sha256Hex(kIndex);
  std::string printed;  // "Message data:" is a hex dump, 16 bytes a line
  for (std::size_t at = text.output.find("Message data:"); at != std::string::npos;) {
    at = text.output.find(" - ", at);
    if (at == std::string::npos) break;
    printed += text.output.substr(at + 3, 47);
    at += 3;
  }
  printed.erase(
      std::remove_if(printed.begin(), printed.end(), [](char c) { return c == ' ' || c == '-'; }),
      printed.end());
  EXPECT_EQ(printed, digest) << text.output;
}

TEST_F(TsaHttpTest, AReplySignedByAnotherTsaIsRefused) {
  TsaServer server([](const std::string& request) { return replyBy(*other_, request); });
  auto stamp = httpTsa(server.url(), tsa_->certificatePem())->stamp(kIndex);
  ASSERT_FALSE(stamp);
  EXPECT_EQ(stamp.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(stamp.error().detail.find(server.url()), std::string::npos) << stamp.error().detail;
}

TEST_F(TsaHttpTest, AReplayedReplyIsRefusedByItsNonceOrImprint) {
  std::mutex mutex;
  std::string recorded;
  TsaServer server([&](const std::string& request) {
    std::lock_guard lock(mutex);
    if (recorded.empty()) recorded = replyBy(*tsa_, request).body;
    return TsaServer::Answer{200, recorded};
  });
  auto client = httpTsa(server.url(), tsa_->certificatePem());
  ASSERT_TRUE(client->stamp(kIndex));
  auto same_data = client->stamp(kIndex);  // the same imprint, another nonce
  ASSERT_FALSE(same_data);
  EXPECT_EQ(same_data.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(same_data.error().detail.find("nonce"), std::string::npos) << same_data.error().detail;
  auto other_data = client->stamp(kIndex + " ");
  ASSERT_FALSE(other_data);
  EXPECT_EQ(other_data.error().code, ErrorCode::kUnavailable);
}

TEST_F(TsaHttpTest, RefusalsErrorsAndSilenceAreUnavailable) {
  TsaServer rejecting([](const std::string&) { return replyBy(*tsa_, "garbage"); });
  auto rejected = httpTsa(rejecting.url(), tsa_->certificatePem())->stamp(kIndex);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(rejected.error().detail.find("rifiutato"), std::string::npos)
      << rejected.error().detail;

  TsaServer failing([](const std::string&) { return TsaServer::Answer{500, "errore"}; });
  auto failed = httpTsa(failing.url(), tsa_->certificatePem())->stamp(kIndex);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().detail.find("500"), std::string::npos) << failed.error().detail;

  const std::string nobody = "http://127.0.0.1:" + std::to_string(testkit::freePort()) + "/tsa";
  auto unreachable = httpTsa(nobody, tsa_->certificatePem())->stamp(kIndex);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
}

TEST_F(TsaHttpTest, CredentialsGoAsHttpBasic) {
  TsaServer server([](const std::string& request) { return replyBy(*tsa_, request); });
  auto client = httpTsa(server.url(), tsa_->certificatePem(), "ente", "pa:ss@word");
  auto stamp = client->stamp(kIndex);
  ASSERT_TRUE(stamp) << stamp.error().detail;
  EXPECT_NE(server.lastHead().find("Authorization: Basic " + base64("ente:pa:ss@word")),
            std::string::npos)
      << server.lastHead();
  EXPECT_EQ(client->name(), server.url()) << "the password shows in the TSA's name";
}

}  // namespace
}  // namespace cst::sign
