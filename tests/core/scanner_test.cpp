// Scanner tests against a REAL clamd (Debian's /usr/sbin/clamd) started by ClamdSupervisor in a
// temp dir with the project's offline signatures, resources/clamav-testdb. The test finds that
// directory through the environment variable CST_SOURCE_DIR (the repository root); without it, it
// walks up from the current directory and then from this source file's directory.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "scan/clamd_config.hpp"
#include "scan/clamd_scanner.hpp"
#include "scan/clamd_supervisor.hpp"

extern char** environ;

namespace cst::scan {

// Readable gtest messages for the verdict enums (found by ADL, so outside the unnamed namespace).
void PrintTo(ScanVerdict::Outcome o, std::ostream* os) {
  constexpr const char* kNames[] = {"kClean", "kInfected", "kError"};
  *os << kNames[static_cast<int>(o)];
}
void PrintTo(ScanVerdict::Failure f, std::ostream* os) {
  constexpr const char* kNames[] = {"kNone", "kTooLarge", "kLimitExceeded", "kUnavailable",
                                    "kFileUnreadable"};
  *os << kNames[static_cast<int>(f)];
}

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Outcome = ScanVerdict::Outcome;
using Failure = ScanVerdict::Failure;
using Clock = std::chrono::steady_clock;

// Small limits keep the over-limit files small; the supervisor writes the same StreamMaxLength.
constexpr std::uint64_t kMaxStream = 1 << 20;

fs::path findTestDb() {
  const fs::path rel = fs::path("resources") / "clamav-testdb";
  if (const char* env = std::getenv("CST_SOURCE_DIR"); env != nullptr && *env != '\0') {
    return fs::path(env) / rel;
  }
  std::error_code ec;
  for (fs::path start : {fs::current_path(ec), fs::path(__FILE__).parent_path()}) {
    for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
      if (fs::exists(dir / rel / "cst_test.ndb", ec)) return dir / rel;
      if (dir == dir.parent_path()) break;
    }
  }
  return {};
}

// Built from pieces so that this source file is not itself detected as EICAR (or as our marker).
std::string eicar() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-" +
         "ANTIVIRUS-TEST-FILE!$H+H*";
}
std::string marker() { return std::string("CST-TEST-") + "MALWARE-MARKER"; }

// bzip2 of 8 MiB of zeros: 48 bytes that expand beyond the 4 MiB MaxScanSize the supervisor derives
// from kMaxStream. Without AlertExceedsMax clamd would answer "OK" after scanning only part of it.
const unsigned char kZeroBomb[] = {
    0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0xa2, 0x3d, 0x4b, 0x58, 0x00, 0x40,
    0x40, 0x40, 0x80, 0xc0, 0x00, 0x00, 0x04, 0x00, 0x08, 0x20, 0x00, 0x30, 0xcc, 0x05, 0x29, 0xa6,
    0x01, 0x00, 0xd8, 0x80, 0x80, 0x78, 0xbb, 0x92, 0x29, 0xc2, 0x84, 0x85, 0x11, 0xea, 0x5a, 0xc0};

class TempDir {
 public:
  TempDir() {
    // Under /tmp, short: the clamd socket path must fit in 107 bytes.
    std::string templ = "/tmp/cst-scan-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path writeFile(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + p.string());
  return p;
}

ClamdSupervisorOptions supervisorOptions(const fs::path& work_dir, const fs::path& db) {
  ClamdSupervisorOptions o;
  o.work_dir = work_dir;
  o.database_dir = db;
  o.max_stream_bytes = kMaxStream;
  o.ready_timeout = 60s;
  o.stop_timeout = 5s;
  o.initial_backoff = 100ms;
  o.max_backoff = 2s;
  return o;
}

std::unique_ptr<ClamdScanner> makeScanner(ClamdScannerOptions o) {
  auto s = ClamdScanner::create(std::move(o));
  if (!s) throw std::runtime_error("ClamdScanner::create: " + s.error().detail);
  return std::move(*s);
}

bool processGone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  // An orphan that exited stays a zombie until init reaps it; containers' init may never do so.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() || text[close + 2] == 'Z' ||
         text[close + 2] == 'X';
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

// ---------------------------------------------------------------------------------------------
// Pure parsing and configuration: no daemon.

TEST(ClamdEndpointTest, ParsesUnixAndTcp) {
  auto u = parseClamdEndpoint("unix:/run/cst/clamd.sock");
  ASSERT_TRUE(u) << u.error().detail;
  EXPECT_EQ(u->kind, ClamdEndpoint::Kind::kUnix);
  EXPECT_EQ(u->path, "/run/cst/clamd.sock");
  EXPECT_EQ(u->toString(), "unix:/run/cst/clamd.sock");

  auto t = parseClamdEndpoint("tcp:clamav.internal:3310");
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ(t->kind, ClamdEndpoint::Kind::kTcp);
  EXPECT_EQ(t->host, "clamav.internal");
  EXPECT_EQ(t->port, 3310);

  auto v6 = parseClamdEndpoint("tcp:[::1]:3310");
  ASSERT_TRUE(v6) << v6.error().detail;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->toString(), "tcp:[::1]:3310");
}

TEST(ClamdEndpointTest, RejectsMalformedWithClearErrors) {
  for (const char* bad : {"", "/run/clamd.sock", "unix:", "unix:relative.sock", "tcp:", "tcp:host",
                          "tcp::3310", "tcp:host:0", "tcp:host:65536", "tcp:host:33x",
                          "tcp:::1:3310", "tcp:[::1]3310", "http://localhost:3310"}) {
    auto e = parseClamdEndpoint(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::kBadInput) << bad;
    ASSERT_EQ(e.error().fields.size(), 1u);
    EXPECT_EQ(e.error().fields[0].field, "endpoint");
    EXPECT_FALSE(e.error().detail.empty());
  }
  auto too_long = parseClamdEndpoint("unix:/" + std::string(120, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().detail.find("longer than 107"), std::string::npos)
      << too_long.error().detail;

  auto c = ClamdScanner::create({.endpoint = "tcp:nohost"});
  EXPECT_FALSE(c);
  auto big = ClamdScanner::create({.endpoint = "unix:/x.sock", .max_stream_bytes = 3ull << 30});
  EXPECT_FALSE(big);
}

TEST(ClamdReplyTest, InstreamReplies) {
  EXPECT_EQ(parseScanReply("stream: OK").outcome, Outcome::kClean);

  auto found = parseScanReply("stream: Win.Test.EICAR_HDB-1 FOUND");
  EXPECT_EQ(found.outcome, Outcome::kInfected);
  EXPECT_EQ(found.signature, "Win.Test.EICAR_HDB-1");

  auto limit = parseScanReply("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND");
  EXPECT_EQ(limit.outcome, Outcome::kError);
  EXPECT_EQ(limit.failure, Failure::kLimitExceeded);
  EXPECT_TRUE(limit.signature.empty());

  auto size = parseScanReply("INSTREAM size limit exceeded. ERROR");
  EXPECT_EQ(size.outcome, Outcome::kError);
  EXPECT_EQ(size.failure, Failure::kTooLarge);

  for (const char* other : {"", "OK", "stream: ", "stream: OK FOUND extra", "stream:OK",
                            "stream: Can't allocate memory ERROR", "COMMAND READ TIMED OUT",
                            "stream: FOUND", "stream: two words FOUND", "1: stream: OK"}) {
    auto v = parseScanReply(other);
    EXPECT_EQ(v.outcome, Outcome::kError) << other;
    EXPECT_FALSE(v.clean()) << other;
  }
}

TEST(ClamdReplyTest, DescriptorReplies) {
  EXPECT_EQ(parseScanReply("fd[9]: OK").outcome, Outcome::kClean);
  auto found = parseScanReply("fd[12]: Cst.Test.EICAR.NDB.UNOFFICIAL FOUND");
  EXPECT_EQ(found.outcome, Outcome::kInfected);
  EXPECT_EQ(found.signature, "Cst.Test.EICAR.NDB.UNOFFICIAL");
  auto limit = parseScanReply("fd[9]: Heuristics.Limits.Exceeded.MaxFileSize FOUND");
  EXPECT_EQ(limit.failure, Failure::kLimitExceeded);
  for (const char* other : {"fd[]: OK", "fd[x]: OK", "fd[9] OK", "fd[9]:OK",
                            "fd[9]: ", "fd[9]: lstat() failed: No such file or directory. ERROR"}) {
    auto v = parseScanReply(other);
    EXPECT_EQ(v.outcome, Outcome::kError) << other;
  }
}

TEST(ClamdReplyTest, VersionReplies) {
  auto full = parseVersionReply("ClamAV 1.0.7/27471/Tue Nov 25 09:21:45 2025");
  ASSERT_TRUE(full) << full.error().detail;
  EXPECT_EQ(full->engine_version, "1.0.7");
  EXPECT_EQ(full->signature_version, 27471);
  EXPECT_EQ(full->signature_date, "Tue Nov 25 09:21:45 2025");

  auto short_form = parseVersionReply("ClamAV 1.4.6");
  ASSERT_TRUE(short_form) << short_form.error().detail;
  EXPECT_EQ(short_form->engine_version, "1.4.6");
  EXPECT_FALSE(short_form->signature_version);
  EXPECT_FALSE(short_form->signature_date);

  EXPECT_FALSE(parseVersionReply("PONG"));
  EXPECT_FALSE(parseVersionReply("ClamAV "));
  EXPECT_FALSE(parseVersionReply("ClamAV 1.4.6/notanumber/Tue"));
}

TEST(ClamdConfigTest, RendersFailClosedSettings) {
  auto c = ClamdConfig::forWorkDir("/srv/cst/clamd", "/srv/cst/sigs", 25 << 20);
  auto text = renderClamdConf(c);
  ASSERT_TRUE(text) << text.error().detail;
  for (const char* line :
       {"Foreground yes\n", "LocalSocket /srv/cst/clamd/clamd.sock\n",
        "DatabaseDirectory /srv/cst/sigs\n", "PidFile /srv/cst/clamd/clamd.pid\n",
        "TemporaryDirectory /srv/cst/clamd/tmp\n", "StreamMaxLength 26214400\n",
        "MaxFileSize 104857600\n", "MaxScanSize 104857600\n", "AlertExceedsMax yes\n",
        "LogSyslog no\n", "FixStaleSocket yes\n"}) {
    EXPECT_NE(text->find(line), std::string::npos) << line << "\n" << *text;
  }
  EXPECT_EQ(text->find("TCPSocket"), std::string::npos);
  EXPECT_EQ(text->find("User root") != std::string::npos, ::geteuid() == 0);
}

TEST(ClamdConfigTest, RejectsWhatClamdConfCannotExpress) {
  auto relative = ClamdConfig::forWorkDir("relative/dir", "/sigs", 1024);
  EXPECT_FALSE(renderClamdConf(relative));
  auto newline = ClamdConfig::forWorkDir("/srv/x", "/sigs\nTCPSocket 3310", 1024);
  EXPECT_FALSE(renderClamdConf(newline));
  auto long_socket = ClamdConfig::forWorkDir("/" + std::string(110, 'd'), "/sigs", 1024);
  EXPECT_FALSE(renderClamdConf(long_socket));
  auto zero = ClamdConfig::forWorkDir("/srv/x", "/sigs", 0);
  EXPECT_FALSE(renderClamdConf(zero));
  auto small_scan = ClamdConfig::forWorkDir("/srv/x", "/sigs", 1024);
  small_scan.max_scan_bytes = 512;
  EXPECT_FALSE(renderClamdConf(small_scan));
}

TEST(ScanVerdictTest, OnlyCleanIsOk) {
  EXPECT_TRUE(verdictToStatus(ScanVerdict::makeClean()));
  EXPECT_EQ(verdictToStatus(ScanVerdict::makeInfected("X")).error().code, ErrorCode::kRuleViolated);
  EXPECT_EQ(verdictToStatus(ScanVerdict::makeError(Failure::kTooLarge, "")).error().code,
            ErrorCode::kTooLarge);
  EXPECT_EQ(verdictToStatus(ScanVerdict::makeError(Failure::kUnavailable, "")).error().code,
            ErrorCode::kUnavailable);
  EXPECT_FALSE(verdictToStatus(ScanVerdict{}));  // a default verdict is an error, never clean
}

// ---------------------------------------------------------------------------------------------
// Fail closed without any clamd.

TEST(ClamdFailClosedTest, UnreachableEndpointsAreErrors) {
  TempDir dir;
  auto file = writeFile(dir.path() / "clean.txt", "hello");

  // A free TCP port: bind an ephemeral one and release it.
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(probe);
  const std::string free_port = std::to_string(ntohs(addr.sin_port));

  for (std::string ep :
       {"unix:" + (dir.path() / "missing.sock").string(), "tcp:127.0.0.1:" + free_port}) {
    auto scanner = makeScanner({.endpoint = ep, .connect_timeout = 1000ms});
    auto v = scanner->scanFile(file);
    EXPECT_EQ(v.outcome, Outcome::kError) << ep;
    EXPECT_EQ(v.failure, Failure::kUnavailable) << ep;
    EXPECT_NE(v.detail.find(ep.substr(ep.find(':') + 1, 9)), std::string::npos) << v.detail;
    EXPECT_FALSE(scanner->ping()) << ep;
    auto info = scanner->engineInfo();
    ASSERT_FALSE(info) << ep;
    EXPECT_EQ(info.error().code, ErrorCode::kUnavailable);
  }
}

TEST(ClamdFailClosedTest, SilentServerTimesOut) {
  TempDir dir;
  const auto sock_path = dir.path() / "silent.sock";
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, sock_path.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);  // connections queue in the backlog; nobody answers

  auto scanner = makeScanner(
      {.endpoint = "unix:" + sock_path.string(), .send_timeout = 300ms, .reply_timeout = 300ms});
  const auto t0 = Clock::now();
  auto v = scanner->scanFile(writeFile(dir.path() / "f.txt", "hello"));
  const auto took = Clock::now() - t0;
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_NE(v.detail.find("timed out"), std::string::npos) << v.detail;
  EXPECT_LT(took, 3s);
  EXPECT_FALSE(scanner->ping());
  ::close(listener);
}

TEST(ClamdFailClosedTest, ServerHangingUpIsError) {
  TempDir dir;
  const auto sock_path = dir.path() / "rude.sock";
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, sock_path.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  std::thread server([listener] {
    int c = ::accept(listener, nullptr, nullptr);
    char buf[16];
    [[maybe_unused]] auto n = ::read(c, buf, sizeof buf);
    ::close(c);
  });
  auto scanner = makeScanner({.endpoint = "unix:" + sock_path.string()});
  auto v = scanner->scanFile(writeFile(dir.path() / "f.bin", std::string(300000, 'x')));
  server.join();
  ::close(listener);
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_EQ(v.failure, Failure::kUnavailable) << v.detail;
}

// ---------------------------------------------------------------------------------------------
// A real clamd, shared by the tests of this suite.

// Every test runs twice: clamd given the file's descriptor (FILDES, the default on a unix
// socket) and the file streamed (INSTREAM, what a TCP endpoint always uses).
class ClamdTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    db_ = findTestDb();
    dir_ = std::make_unique<TempDir>();
    supervisor_ = std::make_unique<ClamdSupervisor>(supervisorOptions(dir_->path() / "clamd", db_));
    const auto t0 = Clock::now();
    start_status_ = supervisor_->start();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    std::cout << "[          ] clamd start with " << db_ << ": " << ms.count() << " ms"
              << std::endl;
  }
  static void TearDownTestSuite() {
    supervisor_.reset();
    dir_.reset();
  }
  void SetUp() override {
    ASSERT_FALSE(db_.empty()) << "resources/clamav-testdb not found: set CST_SOURCE_DIR";
    ASSERT_TRUE(start_status_) << start_status_.error().detail;
    scanner_ = makeScanner(options());
  }
  static bool passesDescriptor() { return GetParam(); }
  static ClamdScannerOptions options() {
    auto o = supervisor_->scannerOptions();
    o.fd_passing = passesDescriptor();
    return o;
  }

  fs::path file(const std::string& name, const std::string& content) {
    return writeFile(dir_->path() / name, content);
  }

  static inline fs::path db_;
  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ClamdSupervisor> supervisor_;
  static inline Status start_status_;
  std::unique_ptr<ClamdScanner> scanner_;
};

TEST_P(ClamdTest, CleanFilesAreClean) {
  const std::string text = "Determina dirigenziale n. 42 del 2025\n";
  auto v = scanner_->scanFile(file("clean.txt", text));
  EXPECT_EQ(v.outcome, Outcome::kClean) << v.detail;
  EXPECT_TRUE(v.signature.empty());
  auto empty = scanner_->scanFile(file("empty.txt", ""));
  EXPECT_EQ(empty.outcome, Outcome::kClean) << empty.detail;
  if (passesDescriptor()) {
    EXPECT_TRUE(v.sha256.empty()) << "clamd read the file, we did not";
  } else {
    EXPECT_EQ(v.sha256, sha256Hex(text)) << "the hash of what was streamed";
    EXPECT_EQ(empty.sha256, sha256Hex(""));
  }
}

TEST_P(ClamdTest, EicarIsInfected) {
  auto v = scanner_->scanFile(file("eicar.com", eicar()));
  EXPECT_EQ(v.outcome, Outcome::kInfected) << v.detail;
  EXPECT_EQ(v.signature.rfind("Cst.Test.EICAR.", 0), 0u) << v.signature;

  // Inside a larger file the hashes no longer match: only the body signature can find it.
  auto embedded = scanner_->scanFile(
      file("embedded.bin", std::string(200000, 'a') + eicar() + std::string(200000, 'b')));
  EXPECT_EQ(embedded.outcome, Outcome::kInfected) << embedded.detail;
  EXPECT_EQ(embedded.signature, "Cst.Test.EICAR.NDB.UNOFFICIAL");
}

TEST_P(ClamdTest, MarkerIsInfected) {
  auto v = scanner_->scanFile(file("marker.txt", "intro " + marker() + " outro"));
  EXPECT_EQ(v.outcome, Outcome::kInfected) << v.detail;
  EXPECT_EQ(v.signature, "Cst.Test.Marker.NDB.UNOFFICIAL");
}

TEST_P(ClamdTest, WholeFileUpToTheLimitIsScanned) {
  // The marker in the very last bytes of a file of exactly the limit: every chunk was streamed.
  std::string content(kMaxStream - marker().size(), 'z');
  content += marker();
  auto v = scanner_->scanFile(file("at_limit.bin", content));
  EXPECT_EQ(v.outcome, Outcome::kInfected) << v.detail;
  auto clean = scanner_->scanFile(file("at_limit_clean.bin", std::string(kMaxStream, 'z')));
  EXPECT_EQ(clean.outcome, Outcome::kClean) << clean.detail;
}

TEST_P(ClamdTest, FileOverTheLimitIsErrorNeverClean) {
  auto v = scanner_->scanFile(file("too_big.bin", std::string(kMaxStream + 1, 'z')));
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_EQ(v.failure, Failure::kTooLarge);
  EXPECT_TRUE(v.sha256.empty()) << "not streamed whole";
  EXPECT_NE(v.detail.find("too large to scan"), std::string::npos) << v.detail;
  EXPECT_EQ(verdictToStatus(v).error().code, ErrorCode::kTooLarge);
}

TEST_P(ClamdTest, ClamdLimitIsErrorNeverClean) {
  // A scanner configured above clamd's limits (an external clamd with another config): clamd
  // stops and the verdict must still not be clean. A stream is cut at StreamMaxLength; a file
  // given by descriptor is stopped at MaxFileSize (4 x the stream limit, AlertExceedsMax).
  auto o = options();
  o.max_stream_bytes = 8 * kMaxStream;
  auto loose = makeScanner(o);
  if (passesDescriptor()) {
    auto v = loose->scanFile(file("over_clamd_limit.bin", std::string(5 * kMaxStream, 'z')));
    EXPECT_EQ(v.outcome, Outcome::kError);
    EXPECT_EQ(v.failure, Failure::kLimitExceeded) << v.detail;
    EXPECT_NE(v.detail.find("MaxFileSize"), std::string::npos) << v.detail;
  } else {
    auto v = loose->scanFile(file("over_clamd_limit.bin", std::string(2 * kMaxStream, 'z')));
    EXPECT_EQ(v.outcome, Outcome::kError);
    EXPECT_EQ(v.failure, Failure::kTooLarge) << v.detail;
    EXPECT_NE(v.detail.find("size limit exceeded"), std::string::npos) << v.detail;
  }
}

TEST_P(ClamdTest, ArchiveBeyondScanLimitIsErrorNeverClean) {
  auto v = scanner_->scanFile(
      file("zeros.bz2", std::string(reinterpret_cast<const char*>(kZeroBomb), sizeof kZeroBomb)));
  EXPECT_EQ(v.outcome, Outcome::kError) << v.detail;
  EXPECT_EQ(v.failure, Failure::kLimitExceeded) << v.detail;
  EXPECT_NE(v.detail.find("Heuristics.Limits.Exceeded"), std::string::npos) << v.detail;
}

TEST_P(ClamdTest, UnreadableFileIsError) {
  auto missing = scanner_->scanFile(dir_->path() / "does-not-exist");
  EXPECT_EQ(missing.outcome, Outcome::kError);
  EXPECT_EQ(missing.failure, Failure::kFileUnreadable);
  auto directory = scanner_->scanFile(dir_->path());
  EXPECT_EQ(directory.outcome, Outcome::kError);
  EXPECT_EQ(directory.failure, Failure::kFileUnreadable);
}

TEST_P(ClamdTest, EngineInfoAndPing) {
  EXPECT_TRUE(scanner_->ping());
  auto info = scanner_->engineInfo();
  ASSERT_TRUE(info) << info.error().detail;
  EXPECT_FALSE(info->engine_version.empty());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(info->engine_version[0])))
      << info->engine_version;
  // The test database has no daily.cvd: clamd answers the short form.
  EXPECT_FALSE(info->signature_version);
  std::cout << "[          ] clamd engine " << info->engine_version << std::endl;
}

TEST_P(ClamdTest, ConcurrentScansFromManyThreads) {
  const auto clean = file("c.txt", "nothing to see");
  const auto bad = file("e.txt", eicar());
  const auto mark = file("m.txt", marker());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        switch ((t + i) % 3) {
          case 0:
            if (!scanner_->scanFile(clean).clean()) ++wrong;
            break;
          case 1:
            if (!scanner_->scanFile(bad).infected()) ++wrong;
            break;
          default:
            if (scanner_->scanFile(mark).signature != "Cst.Test.Marker.NDB.UNOFFICIAL") ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(ClamdTest, SecondStartIsRefused) {
  auto again = supervisor_->start();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Transports, ClamdTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Fildes" : "Instream"; });

// ---------------------------------------------------------------------------------------------
// Supervisor lifecycle, each test with its own clamd.

class ClamdSupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = findTestDb();
    ASSERT_FALSE(db_.empty()) << "resources/clamav-testdb not found: set CST_SOURCE_DIR";
  }
  fs::path db_;
  TempDir dir_;
};

TEST_F(ClamdSupervisorTest, StoppedClamdFailsClosed) {
  ClamdSupervisor supervisor(supervisorOptions(dir_.path() / "clamd", db_));
  ASSERT_TRUE(supervisor.start());
  auto scanner = makeScanner(supervisor.scannerOptions());
  const auto eicar_file = writeFile(dir_.path() / "e.txt", eicar());
  const auto clean_file = writeFile(dir_.path() / "c.txt", "clean");
  ASSERT_TRUE(scanner->scanFile(eicar_file).infected());
  const pid_t pid = supervisor.health().pid;
  ASSERT_GT(pid, 0);

  supervisor.stop();
  EXPECT_FALSE(supervisor.health().running);
  EXPECT_EQ(supervisor.health().pid, 0);
  EXPECT_TRUE(processGone(pid));
  for (const auto& f : {clean_file, eicar_file}) {
    auto v = scanner->scanFile(f);
    EXPECT_EQ(v.outcome, Outcome::kError) << v.detail;
    EXPECT_EQ(v.failure, Failure::kUnavailable);
  }
  EXPECT_FALSE(scanner->ping());
  supervisor.stop();  // idempotent
}

TEST_F(ClamdSupervisorTest, RestartsClamdAfterSigkill) {
  ClamdSupervisor supervisor(supervisorOptions(dir_.path() / "clamd", db_));
  ASSERT_TRUE(supervisor.start());
  auto scanner = makeScanner(supervisor.scannerOptions());
  const auto eicar_file = writeFile(dir_.path() / "e.txt", eicar());
  const auto first = supervisor.health();
  ASSERT_TRUE(first.running);
  ASSERT_GT(first.pid, 0);
  EXPECT_EQ(first.restarts, 0);
  ASSERT_TRUE(first.last_startup_time);
  std::cout << "[          ] clamd ready " << first.last_startup_time->count() << " ms after spawn"
            << std::endl;

  const auto killed_at = Clock::now();
  ASSERT_EQ(::kill(first.pid, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return supervisor.health().restarts >= 1; }, 10s));
  ASSERT_TRUE(supervisor.waitUntilRunning(30s)) << supervisor.health().last_error;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at);
  std::cout << "[          ] clamd back " << ms.count() << " ms after SIGKILL" << std::endl;

  const auto after = supervisor.health();
  EXPECT_NE(after.pid, first.pid);
  EXPECT_NE(after.last_error.find("signal 9"), std::string::npos) << after.last_error;
  auto v = scanner->scanFile(eicar_file);
  EXPECT_EQ(v.outcome, Outcome::kInfected) << v.detail;
}

TEST_F(ClamdSupervisorTest, StartFailsWithoutSignatures) {
  fs::create_directories(dir_.path() / "empty-db");
  ClamdSupervisor supervisor(supervisorOptions(dir_.path() / "clamd", dir_.path() / "empty-db"));
  auto s = supervisor.start();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  // The reason comes from clamd's own log.
  EXPECT_NE(s.error().detail.find("No supported database files"), std::string::npos)
      << s.error().detail;
  EXPECT_EQ(supervisor.health().pid, 0);
  EXPECT_FALSE(supervisor.health().running);
}

TEST_F(ClamdSupervisorTest, StartFailsWithBadOptions) {
  auto opts = supervisorOptions(dir_.path() / "clamd", db_);
  opts.clamd_binary = dir_.path() / "no-such-clamd";
  auto missing = ClamdSupervisor(opts).start();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().detail.find("clamav-daemon"), std::string::npos);

  auto no_db = ClamdSupervisor(supervisorOptions(dir_.path() / "clamd", dir_.path() / "nope"));
  auto s = no_db.start();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);

  auto long_dir = ClamdSupervisor(supervisorOptions(dir_.path() / std::string(100, 'd'), db_));
  auto l = long_dir.start();
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code, ErrorCode::kBadInput) << l.error().detail;
}

// The parent-death signal: a platform process killed with SIGKILL must not leave clamd behind.
// The platform is played by this test binary re-executed to run only the helper test below.
TEST_F(ClamdSupervisorTest, ClamdDiesWithThePlatform) {
  const fs::path work = dir_.path() / "clamd";
  const fs::path ready = dir_.path() / "helper-ready";
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back("CST_SCAN_HELPER_WORK_DIR=" + work.string());
  env_strings.push_back("CST_SCAN_HELPER_DB_DIR=" + db_.string());
  env_strings.push_back("CST_SCAN_HELPER_READY=" + ready.string());
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = "/proc/self/exe";
  std::string a1 = "--gtest_also_run_disabled_tests";
  std::string a2 = "--gtest_filter=ClamdSupervisorHelper.DISABLED_RunClamdUntilKilled";
  char* argv[] = {exe.data(), a1.data(), a2.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t helper = 0;
  ASSERT_EQ(::posix_spawn(&helper, exe.c_str(), &actions, nullptr, argv, envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);

  const bool helper_ready = eventually([&] { return fs::exists(ready); }, 60s);
  pid_t clamd = 0;
  if (helper_ready) {
    std::ifstream in(work / "clamd.pid");
    in >> clamd;
  }
  ::kill(helper, SIGKILL);
  ::waitpid(helper, nullptr, 0);
  ASSERT_TRUE(helper_ready);
  ASSERT_GT(clamd, 1);
  EXPECT_TRUE(eventually([&] { return processGone(clamd); }, 15s))
      << "clamd pid " << clamd << " outlived the platform";
  if (!processGone(clamd)) ::kill(clamd, SIGKILL);
}

// Not a test of its own: the "platform" process for ClamdDiesWithThePlatform.
TEST(ClamdSupervisorHelper, DISABLED_RunClamdUntilKilled) {
  const char* work = std::getenv("CST_SCAN_HELPER_WORK_DIR");
  const char* db = std::getenv("CST_SCAN_HELPER_DB_DIR");
  const char* ready = std::getenv("CST_SCAN_HELPER_READY");
  if (work == nullptr || db == nullptr || ready == nullptr) GTEST_SKIP() << "helper only";
  ClamdSupervisor supervisor(supervisorOptions(work, db));
  auto s = supervisor.start();
  ASSERT_TRUE(s) << s.error().detail;
  // clamd writes its pid file after the socket; wait so the parent can read it.
  ASSERT_TRUE(eventually(
      [&] {
        std::error_code ec;
        return fs::file_size(fs::path(work) / "clamd.pid", ec) > 0 && !ec;
      },
      10s));
  writeFile(ready, "ready");
  std::this_thread::sleep_for(120s);  // killed long before
}

}  // namespace
}  // namespace cst::scan
