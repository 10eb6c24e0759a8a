#include "scan/clamd_scanner.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

#include "common/crypto.hpp"

namespace cst::scan {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxReplyBytes = 4096;
constexpr std::size_t kMaxChunkBytes = std::size_t{16} << 20;
// After a failed send clamd has usually already written why (e.g. its stream limit): wait briefly
// for that reply so the detail says more than "broken pipe".
constexpr milliseconds kReplyAfterSendErrorTimeout{1000};

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string errnoText(int err) { return std::strerror(err); }

// clamd replies are short ASCII; keep log details printable and bounded.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (s.size() > 200) out += "...";
  return out;
}

timeval toTimeval(milliseconds ms) {
  if (ms < milliseconds{1}) ms = milliseconds{1};  // 0 would mean "block forever"
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

bool setTimeout(int fd, int option, milliseconds ms) {
  timeval tv = toTimeval(ms);
  return ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv) == 0;
}

milliseconds remaining(Clock::time_point deadline) {
  return std::max(milliseconds{0},
                  std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

// Non-blocking connect bounded by `deadline`, then back to a blocking socket whose send/recv
// timeouts the caller sets.
Result<UniqueFd> connectAddress(int family, const sockaddr* addr, socklen_t len,
                                Clock::time_point deadline) {
  UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return fail(ErrorCode::kUnavailable, "socket(): " + errnoText(errno));
  for (;;) {
    if (::connect(fd.get(), addr, len) == 0) break;
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN && family == AF_UNIX) {
      // Unix sockets report a full listen backlog as EAGAIN and cannot be polled for it: retry.
      if (Clock::now() >= deadline) return fail(ErrorCode::kUnavailable, "connect timed out");
      std::this_thread::sleep_for(milliseconds{10});
      continue;
    }
    if (err != EINPROGRESS) return fail(ErrorCode::kUnavailable, "connect(): " + errnoText(err));
    pollfd p{fd.get(), POLLOUT, 0};
    int rc;
    do {
      rc = ::poll(&p, 1, static_cast<int>(remaining(deadline).count()));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) return fail(ErrorCode::kUnavailable, "connect timed out");
    if (rc < 0) return fail(ErrorCode::kUnavailable, "poll(): " + errnoText(errno));
    int soerr = 0;
    socklen_t soerr_len = sizeof soerr;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &soerr_len) != 0) soerr = errno;
    if (soerr != 0) return fail(ErrorCode::kUnavailable, "connect(): " + errnoText(soerr));
    break;
  }
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) < 0) {
    return fail(ErrorCode::kUnavailable, "fcntl(): " + errnoText(errno));
  }
  return fd;
}

Result<UniqueFd> connectTo(const ClamdEndpoint& ep, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string where = " (clamd at " + ep.toString() + ")";
  if (ep.kind == ClamdEndpoint::Kind::kUnix) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (ep.path.size() >= sizeof addr.sun_path) {
      return fail(ErrorCode::kUnavailable, "socket path too long" + where);
    }
    std::memcpy(addr.sun_path, ep.path.c_str(), ep.path.size() + 1);
    auto fd =
        connectAddress(AF_UNIX, reinterpret_cast<const sockaddr*>(&addr), sizeof addr, deadline);
    if (!fd) return fail(ErrorCode::kUnavailable, fd.error().detail + where);
    return fd;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  // getaddrinfo has no timeout of its own; configure clamd by address or a name in /etc/hosts.
  const std::string port = std::to_string(ep.port);
  if (int rc = ::getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    return fail(ErrorCode::kUnavailable,
                std::string("cannot resolve host: ") + gai_strerror(rc) + where);
  }
  std::string last_error = "no address";
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    auto fd = connectAddress(ai->ai_family, ai->ai_addr, ai->ai_addrlen, deadline);
    if (fd) {
      ::freeaddrinfo(list);
      return fd;
    }
    last_error = fd.error().detail;
  }
  ::freeaddrinfo(list);
  return fail(ErrorCode::kUnavailable, last_error + where);
}

// Writes everything or fails; SO_SNDTIMEO bounds each blocking send. MSG_NOSIGNAL: clamd closing
// the connection (e.g. on its stream limit) must not kill the platform with SIGPIPE.
Status sendAll(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return fail(ErrorCode::kUnavailable, "send to clamd timed out");
      }
      return fail(ErrorCode::kUnavailable, "send to clamd failed: " + errnoText(errno));
    }
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return {};
}

// clamd(8) FILDES: after the command, one byte of data carrying the open file as SCM_RIGHTS
// ancillary data. clamd then scans the file through the descriptor: none of its bytes cross the
// socket or land in clamd's temporary directory, which roughly halves the engine's work per file
// (docs/PERFORMANCE.md, antivirus).
Status sendDescriptor(int sock, int file) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &file, sizeof(int));
  for (;;) {
    if (::sendmsg(sock, &msg, MSG_NOSIGNAL) == 1) return {};
    if (errno == EINTR) continue;
    return fail(ErrorCode::kUnavailable, "passing the file to clamd failed: " + errnoText(errno));
  }
}

// Reads one NUL- or newline-terminated reply (both are stripped), bounded in size and time.
Result<std::string> readReply(int fd, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string reply;
  char buf[512];
  for (;;) {
    auto left = remaining(deadline);
    if (left.count() == 0 || !setTimeout(fd, SO_RCVTIMEO, left)) {
      return fail(ErrorCode::kUnavailable, "timed out waiting for clamd's reply");
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return fail(ErrorCode::kUnavailable, "timed out waiting for clamd's reply");
      }
      return fail(ErrorCode::kUnavailable, "recv from clamd failed: " + errnoText(errno));
    }
    if (n == 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
    if (reply.back() == '\0' || reply.back() == '\n') break;
    if (reply.size() > kMaxReplyBytes) {
      return fail(ErrorCode::kUnavailable, "clamd reply too long: " + printable(reply));
    }
  }
  if (reply.empty()) {
    return fail(ErrorCode::kUnavailable, "clamd closed the connection without a reply");
  }
  while (!reply.empty() && (reply.back() == '\0' || reply.back() == '\n')) reply.pop_back();
  return reply;
}

// One-shot command (zPING, zVERSION): connect, send, read the reply.
Result<std::string> command(const ClamdEndpoint& ep, const ClamdScannerOptions& opt,
                            std::string_view cmd) {
  auto fd = connectTo(ep, opt.connect_timeout);
  if (!fd) return fail(fd.error());
  if (!setTimeout(fd->get(), SO_SNDTIMEO, opt.send_timeout)) {
    return fail(ErrorCode::kUnavailable, "setsockopt(): " + errnoText(errno));
  }
  // The terminating NUL is part of a z-command.
  std::string wire(cmd);
  wire.push_back('\0');
  if (auto s = sendAll(fd->get(), wire.data(), wire.size()); !s) return fail(s.error());
  return readReply(fd->get(), opt.send_timeout);
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

std::string ClamdEndpoint::toString() const {
  if (kind == Kind::kUnix) return "unix:" + path;
  if (host.find(':') != std::string::npos) return "tcp:[" + host + "]:" + std::to_string(port);
  return "tcp:" + host + ":" + std::to_string(port);
}

Result<ClamdEndpoint> parseClamdEndpoint(std::string_view text) {
  constexpr std::string_view kField = "endpoint";
  if (text.find('\0') != std::string_view::npos) {
    return failField(std::string(kField), "contains a NUL byte");
  }
  ClamdEndpoint ep;
  if (startsWith(text, "unix:")) {
    ep.kind = ClamdEndpoint::Kind::kUnix;
    ep.path = std::string(text.substr(5));
    if (ep.path.empty() || ep.path.front() != '/') {
      return failField(std::string(kField),
                       "unix endpoint needs an absolute socket path: \"unix:/path/clamd.sock\"");
    }
    if (ep.path.size() >= sizeof(sockaddr_un::sun_path)) {
      return failField(std::string(kField), "unix socket path longer than " +
                                                std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                                " bytes: " + ep.path);
    }
    return ep;
  }
  if (!startsWith(text, "tcp:")) {
    return failField(std::string(kField),
                     "must be \"unix:/path/to/clamd.sock\" or \"tcp:host:port\", got \"" +
                         printable(text) + "\"");
  }
  ep.kind = ClamdEndpoint::Kind::kTcp;
  std::string_view rest = text.substr(4);
  std::string_view host;
  std::string_view port;
  if (startsWith(rest, "[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return failField(std::string(kField), "IPv6 endpoint must look like \"tcp:[::1]:3310\"");
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return failField(std::string(kField), "tcp endpoint needs a port: \"tcp:host:port\"");
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return failField(std::string(kField), "write IPv6 hosts in brackets: \"tcp:[::1]:3310\"");
    }
  }
  if (host.empty()) return failField(std::string(kField), "tcp endpoint has an empty host");
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value == 0 ||
      value > 65535) {
    return failField(std::string(kField),
                     "tcp port must be a number from 1 to 65535, got \"" + printable(port) + "\"");
  }
  ep.host = std::string(host);
  ep.port = static_cast<std::uint16_t>(value);
  return ep;
}

ScanVerdict parseScanReply(std::string_view reply) {
  using F = ScanVerdict::Failure;
  const std::string raw = printable(reply);
  // What clamd scanned comes first: "stream" for INSTREAM, "fd[N]" for FILDES.
  std::size_t name_end = std::string_view::npos;
  if (startsWith(reply, "stream: ")) {
    name_end = 6;
  } else if (startsWith(reply, "fd[")) {
    const auto close = reply.find("]: ");
    const auto digits = reply.substr(3, close == std::string_view::npos ? 0 : close - 3);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos)
      name_end = close + 1;
  }
  if (name_end != std::string_view::npos) {
    std::string_view rest = reply.substr(name_end + 2);
    if (rest == "OK") return ScanVerdict::makeClean(raw);
    if (endsWith(rest, " FOUND")) {
      std::string_view sig = rest.substr(0, rest.size() - 6);
      if (sig.empty() || sig.find_first_of(" \t") != std::string_view::npos) {
        return ScanVerdict::makeError(F::kUnavailable, "unexpected reply from clamd: " + raw);
      }
      // AlertExceedsMax: clamd stopped at one of its limits, so the rest of the content was never
      // looked at. Not a detection, and certainly not clean.
      if (startsWith(sig, "Heuristics.Limits.Exceeded")) {
        return ScanVerdict::makeError(
            F::kLimitExceeded, "clamd did not scan the whole file (" + std::string(sig) + ")");
      }
      return ScanVerdict::makeInfected(std::string(sig), raw);
    }
  }
  if (reply.find("size limit exceeded") != std::string_view::npos) {
    return ScanVerdict::makeError(F::kTooLarge, "too large to scan: clamd said " + raw);
  }
  return ScanVerdict::makeError(F::kUnavailable, "unexpected reply from clamd: " + raw);
}

Result<EngineInfo> parseVersionReply(std::string_view reply) {
  constexpr std::string_view kPrefix = "ClamAV ";
  if (!startsWith(reply, kPrefix)) {
    return fail(ErrorCode::kUnavailable, "unexpected VERSION reply: " + printable(reply));
  }
  std::string_view rest = reply.substr(kPrefix.size());
  EngineInfo info;
  auto slash = rest.find('/');
  info.engine_version = std::string(rest.substr(0, slash));
  if (info.engine_version.empty()) {
    return fail(ErrorCode::kUnavailable,
                "VERSION reply without engine version: " + printable(reply));
  }
  if (slash == std::string_view::npos) return info;
  rest = rest.substr(slash + 1);
  auto slash2 = rest.find('/');
  std::string_view number = rest.substr(0, slash2);
  long version = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), version);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size()) {
    return fail(ErrorCode::kUnavailable,
                "VERSION reply with a malformed signature version: " + printable(reply));
  }
  info.signature_version = version;
  if (slash2 != std::string_view::npos && slash2 + 1 < rest.size()) {
    info.signature_date = std::string(rest.substr(slash2 + 1));
  }
  return info;
}

ClamdScanner::ClamdScanner(ClamdScannerOptions options, ClamdEndpoint endpoint)
    : options_(std::move(options)), endpoint_(std::move(endpoint)) {}

Result<std::unique_ptr<ClamdScanner>> ClamdScanner::create(ClamdScannerOptions options) {
  auto ep = parseClamdEndpoint(options.endpoint);
  if (!ep) return fail(ep.error());
  if (options.max_stream_bytes == 0 || options.max_stream_bytes > kClamdMaxSizeLimit) {
    return failField("max_stream_bytes", "must be between 1 and " +
                                             std::to_string(kClamdMaxSizeLimit) +
                                             " (clamd cannot scan 2 GiB or more)");
  }
  if (options.chunk_bytes == 0 || options.chunk_bytes > kMaxChunkBytes) {
    return failField("chunk_bytes", "must be between 1 and " + std::to_string(kMaxChunkBytes));
  }
  if (options.connect_timeout.count() <= 0 || options.send_timeout.count() <= 0 ||
      options.reply_timeout.count() <= 0) {
    return failField("timeout", "timeouts must be positive");
  }
  return std::unique_ptr<ClamdScanner>(new ClamdScanner(std::move(options), std::move(*ep)));
}

ScanVerdict ClamdScanner::scanFile(const std::filesystem::path& path) {
  using F = ScanVerdict::Failure;
  // O_NONBLOCK only so that opening a FIFO cannot hang; it is refused just below.
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (file.get() < 0) {
    return ScanVerdict::makeError(F::kFileUnreadable,
                                  "cannot open " + path.string() + ": " + errnoText(errno));
  }
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) {
    return ScanVerdict::makeError(F::kFileUnreadable,
                                  "cannot stat " + path.string() + ": " + errnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return ScanVerdict::makeError(F::kFileUnreadable, path.string() + " is not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > options_.max_stream_bytes) {
    return tooLarge(static_cast<std::uint64_t>(st.st_size));
  }

  auto sock = connectTo(endpoint_, options_.connect_timeout);
  if (!sock) return ScanVerdict::makeError(F::kUnavailable, sock.error().detail);
  const int fd = sock->get();
  if (!setTimeout(fd, SO_SNDTIMEO, options_.send_timeout)) {
    return ScanVerdict::makeError(F::kUnavailable, "setsockopt(): " + errnoText(errno));
  }

  // If clamd hung up mid-stream it has normally said why; prefer its words, but a failed send
  // can never turn into a clean verdict.
  const auto send_failed = [&](const Error& err) {
    if (auto reply = readReply(fd, kReplyAfterSendErrorTimeout)) {
      ScanVerdict v = parseScanReply(*reply);
      if (v.outcome == ScanVerdict::Outcome::kError) return v;
    }
    return ScanVerdict::makeError(F::kUnavailable, err.detail);
  };

  Sha256 hash;
  const bool pass = passesDescriptors();
  if (pass) {
    constexpr std::string_view kCommand{"zFILDES\0", 8};
    if (auto s = sendAll(fd, kCommand.data(), kCommand.size()); !s) return send_failed(s.error());
    if (auto s = sendDescriptor(fd, file.get()); !s) return send_failed(s.error());
  } else {
    constexpr std::string_view kCommand{"zINSTREAM\0", 10};
    if (auto s = sendAll(fd, kCommand.data(), kCommand.size()); !s) return send_failed(s.error());
    if (auto failed = stream(fd, file.get(), path, hash)) {
      if (failed->failure == F::kUnavailable)
        return send_failed(Error::make(ErrorCode::kUnavailable, failed->detail));
      return *failed;
    }
  }

  auto reply = readReply(fd, options_.reply_timeout);
  if (!reply) return ScanVerdict::makeError(F::kUnavailable, reply.error().detail);
  ScanVerdict verdict = parseScanReply(*reply);
  if (!pass) verdict.sha256 = hash.hexDigest();
  return verdict;
}

bool ClamdScanner::passesDescriptors() const {
  return options_.fd_passing && endpoint_.kind == ClamdEndpoint::Kind::kUnix;
}

std::optional<ScanVerdict> ClamdScanner::stream(int sock, int file,
                                                const std::filesystem::path& path, Sha256& hash) {
  using F = ScanVerdict::Failure;
  // One buffer: 4-byte big-endian chunk length, then the chunk, sent with one send().
  std::vector<char> buf(4 + options_.chunk_bytes);
  std::uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(file, buf.data() + 4, options_.chunk_bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ScanVerdict::makeError(F::kFileUnreadable,
                                    "cannot read " + path.string() + ": " + errnoText(errno));
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    // The file grew after fstat(): the limit holds for what is actually sent.
    if (total > options_.max_stream_bytes) return tooLarge(total);
    hash.update(std::string_view(buf.data() + 4, static_cast<std::size_t>(n)));
    const auto len = static_cast<std::uint32_t>(n);
    buf[0] = static_cast<char>((len >> 24) & 0xff);
    buf[1] = static_cast<char>((len >> 16) & 0xff);
    buf[2] = static_cast<char>((len >> 8) & 0xff);
    buf[3] = static_cast<char>(len & 0xff);
    if (auto s = sendAll(sock, buf.data(), 4 + static_cast<std::size_t>(n)); !s)
      return ScanVerdict::makeError(F::kUnavailable, s.error().detail);
  }
  const char terminator[4] = {0, 0, 0, 0};
  if (auto s = sendAll(sock, terminator, sizeof terminator); !s)
    return ScanVerdict::makeError(F::kUnavailable, s.error().detail);
  return std::nullopt;
}

ScanVerdict ClamdScanner::tooLarge(std::uint64_t size) const {
  return ScanVerdict::makeError(ScanVerdict::Failure::kTooLarge,
                                "too large to scan: " + std::to_string(size) + " bytes, limit " +
                                    std::to_string(options_.max_stream_bytes));
}

Result<EngineInfo> ClamdScanner::engineInfo() {
  auto reply = command(endpoint_, options_, "zVERSION");
  if (!reply) return fail(reply.error());
  return parseVersionReply(*reply);
}

bool ClamdScanner::ping() {
  auto reply = command(endpoint_, options_, "zPING");
  return reply && *reply == "PONG";
}

}  // namespace cst::scan
