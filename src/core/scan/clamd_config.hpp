#pragma once
// The clamd.conf the platform writes for the clamd it supervises (clamd.conf(5), ClamAV 1.4).
// Kept apart from the supervisor so the settings that make scanning fail closed can be read and
// tested in one place.
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace cst::scan {

struct ClamdConfig {
  // All paths absolute. The socket path must fit in sockaddr_un (107 bytes).
  std::filesystem::path socket_path;
  std::filesystem::path database_dir;
  std::filesystem::path pid_file;
  std::filesystem::path temp_dir;  // clamd spools every INSTREAM here (default would be /tmp)

  // StreamMaxLength. The scanner refuses larger files itself; clamd enforces it again.
  std::uint64_t max_stream_bytes = 0;
  // MaxFileSize and MaxScanSize: how much clamd may extract from archives and documents. 0 means
  // 4 x max_stream_bytes. Never below max_stream_bytes: clamd skips files over MaxFileSize and, by
  // default, reports them clean; we also set AlertExceedsMax so any limit hit becomes a
  // "Heuristics.Limits.Exceeded.*" reply, which the scanner turns into kError.
  std::uint64_t max_scan_bytes = 0;
  // MaxThreads; 0 keeps clamd's default (10).
  int max_threads = 0;
  // "User root": without it a root-started clamd would switch to the clamav user, which cannot
  // read a root-owned work dir, and changing user also clears PR_SET_PDEATHSIG. Only valid when
  // clamd is started by root; a non-root clamd simply keeps the caller's user.
  bool run_as_root = false;

  // Standard layout under a work dir: clamd.sock, clamd.pid, tmp/. run_as_root = (geteuid() == 0).
  // Where the clamd of `work_dir` listens (so that CLI verbs can find a running server's).
  static std::filesystem::path socketIn(const std::filesystem::path& work_dir) {
    return work_dir / "clamd.sock";
  }
  static ClamdConfig forWorkDir(const std::filesystem::path& work_dir,
                                const std::filesystem::path& database_dir,
                                std::uint64_t max_stream_bytes);

  std::uint64_t effectiveMaxScanBytes() const;
};

// The text of clamd.conf. kBadInput when a path is relative or cannot be written into clamd.conf
// (line breaks, surrounding spaces), the socket path is too long, or a size is out of range.
// No TCPSocket line: the supervised clamd listens on its unix socket only.
Result<std::string> renderClamdConf(const ClamdConfig& config);

}  // namespace cst::scan
