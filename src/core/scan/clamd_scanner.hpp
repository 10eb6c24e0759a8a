#pragma once
// Scanner backed by clamd (Debian package clamav-daemon) over its socket, never linked (libclamav
// is GPLv2). Protocol: clamd(8) — zINSTREAM, zVERSION, zPING.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "scan/scanner.hpp"

namespace cst {
class Sha256;
}

namespace cst::scan {

// Where clamd listens. Textual form: "unix:/abs/path/clamd.sock" or "tcp:host:port"
// ("tcp:[::1]:3310" for an IPv6 literal). clamd's TCP socket has no authentication: use it only
// on loopback or a private network.
struct ClamdEndpoint {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string path;  // kUnix: absolute socket path, at most 107 bytes (sockaddr_un limit)
  std::string host;  // kTcp: name or address literal, without brackets
  std::uint16_t port = 0;

  std::string toString() const;
};

// kBadInput (field "endpoint") with a message saying what is wrong.
Result<ClamdEndpoint> parseClamdEndpoint(std::string_view text);

// clamd refuses streams above its StreamMaxLength; the supervisor writes the same value into its
// clamd.conf (ClamdSupervisor::scannerOptions()). clamd cannot scan files of 2 GiB or more.
inline constexpr std::uint64_t kClamdMaxSizeLimit = (std::uint64_t{1} << 31) - 1;
inline constexpr std::uint64_t kDefaultMaxStreamBytes = std::uint64_t{100} << 20;

struct ClamdScannerOptions {
  std::string endpoint;
  // Files larger than this are kError/kTooLarge without contacting clamd. Must not exceed clamd's
  // StreamMaxLength (if it does, clamd answers "size limit exceeded", which is kError too).
  std::uint64_t max_stream_bytes = kDefaultMaxStreamBytes;
  std::chrono::milliseconds connect_timeout{3000};
  // Each send() of the stream may block this long (clamd reads as fast as it can).
  std::chrono::milliseconds send_timeout{30000};
  // Wait for the verdict after the whole stream was sent: this is the scan time, so it must cover
  // clamd's MaxScanTime (default 120 s) for the largest file.
  std::chrono::milliseconds reply_timeout{150000};
  std::size_t chunk_bytes = 64 * 1024;
  // On a unix endpoint, hand clamd the open file (FILDES) instead of streaming its bytes
  // (INSTREAM): the same verdict for half the engine's work. The size limit above holds either
  // way; clamd's own StreamMaxLength only applies to streams, its MaxFileSize (which the
  // supervisor sets above the limit, with AlertExceedsMax) to both. A TCP endpoint always streams.
  bool fd_passing = true;
};

// Thread safety: immutable after create(); every call opens its own connection, so any number of
// threads may scan at once (clamd queues beyond its MaxThreads).
class ClamdScanner final : public Scanner {
 public:
  // kBadInput for a malformed endpoint or out-of-range options. Does not contact clamd: a
  // scanner created while clamd is down fails closed until clamd comes back.
  static Result<std::unique_ptr<ClamdScanner>> create(ClamdScannerOptions options);

  // The verdict's sha256 is set when the file was streamed (INSTREAM), not when clamd was given
  // its descriptor: then the caller hashes it, usually while it was received.
  ScanVerdict scanFile(const std::filesystem::path& path) override;
  Result<EngineInfo> engineInfo() override;
  bool ping() override;

  const ClamdEndpoint& endpoint() const { return endpoint_; }
  const ClamdScannerOptions& options() const { return options_; }

 private:
  ClamdScanner(ClamdScannerOptions options, ClamdEndpoint endpoint);
  bool passesDescriptors() const;
  // Sends the file as INSTREAM chunks, hashing it; a verdict only when that failed.
  std::optional<ScanVerdict> stream(int sock, int file, const std::filesystem::path& path,
                                    Sha256& hash);
  ScanVerdict tooLarge(std::uint64_t size) const;

  ClamdScannerOptions options_;
  ClamdEndpoint endpoint_;
};

// Reply parsers, public so they can be tested without a daemon. `reply` has the terminating NUL
// or newline already stripped. A scan reply names what was scanned: "stream" (INSTREAM) or
// "fd[N]" (FILDES), e.g. "fd[9]: OK".
//   "stream: OK"                      -> kClean
//   "stream: <Sig> FOUND"             -> kInfected with <Sig>, except
//   "Heuristics.Limits.Exceeded.*"
//                                        (AlertExceedsMax: the file was NOT fully scanned) ->
//                                        kError
//   "INSTREAM size limit exceeded. ERROR" -> kError/kTooLarge (clamd's StreamMaxLength)
//   anything else                     -> kError/kUnavailable
ScanVerdict parseScanReply(std::string_view reply);
// "ClamAV 1.4.6/27000/Tue Nov 25 08:30:01 2025" or "ClamAV 1.4.6" (no daily database loaded).
Result<EngineInfo> parseVersionReply(std::string_view reply);

}  // namespace cst::scan
