#include "scan/clamd_config.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <sstream>

#include "scan/clamd_scanner.hpp"

namespace cst::scan {
namespace {

// clamd.conf is "Name value" per line, the value running to the end of the line with surrounding
// blanks trimmed; there is no quoting or escaping, so some paths are simply not expressible.
Status checkPath(const char* field, const std::filesystem::path& p) {
  const std::string s = p.string();
  if (s.empty() || !p.is_absolute()) return failField(field, "must be an absolute path");
  if (s.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
    return failField(field, "must not contain line breaks or NUL bytes");
  }
  if (s.back() == ' ' || s.back() == '\t') {
    return failField(field, "must not end with a blank (clamd.conf would trim it)");
  }
  return {};
}

}  // namespace

ClamdConfig ClamdConfig::forWorkDir(const std::filesystem::path& work_dir,
                                    const std::filesystem::path& database_dir,
                                    std::uint64_t max_stream_bytes) {
  ClamdConfig c;
  c.socket_path = socketIn(work_dir);
  c.database_dir = database_dir;
  c.pid_file = work_dir / "clamd.pid";
  c.temp_dir = work_dir / "tmp";
  c.max_stream_bytes = max_stream_bytes;
  c.run_as_root = ::geteuid() == 0;
  return c;
}

std::uint64_t ClamdConfig::effectiveMaxScanBytes() const {
  if (max_scan_bytes != 0) return max_scan_bytes;
  if (max_stream_bytes > kClamdMaxSizeLimit / 4) return kClamdMaxSizeLimit;
  return max_stream_bytes * 4;
}

Result<std::string> renderClamdConf(const ClamdConfig& c) {
  for (auto [field, path] :
       {std::pair{"socket_path", &c.socket_path}, std::pair{"database_dir", &c.database_dir},
        std::pair{"pid_file", &c.pid_file}, std::pair{"temp_dir", &c.temp_dir}}) {
    if (auto s = checkPath(field, *path); !s) return fail(s.error());
  }
  if (c.socket_path.string().size() >= sizeof(sockaddr_un::sun_path)) {
    return failField("socket_path",
                     "longer than " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                         " bytes, the limit of a unix socket path: " + c.socket_path.string());
  }
  if (c.max_stream_bytes == 0 || c.max_stream_bytes > kClamdMaxSizeLimit) {
    return failField("max_stream_bytes", "must be between 1 and " +
                                             std::to_string(kClamdMaxSizeLimit) +
                                             " (clamd cannot scan 2 GiB or more)");
  }
  const std::uint64_t scan_bytes = c.effectiveMaxScanBytes();
  if (scan_bytes < c.max_stream_bytes || scan_bytes > kClamdMaxSizeLimit) {
    return failField("max_scan_bytes",
                     "must be between max_stream_bytes and " + std::to_string(kClamdMaxSizeLimit));
  }
  if (c.max_threads < 0) return failField("max_threads", "must not be negative");

  std::ostringstream out;
  out << "# Written by the platform's ClamdSupervisor at every start; edits are lost.\n"
      << "Foreground yes\n"
      << "LocalSocket " << c.socket_path.string()
      << "\n"
      // Only the platform (same user as clamd) connects.
      << "LocalSocketMode 600\n"
      // After a crash or SIGKILL the old socket file stays behind and would block the restart.
      << "FixStaleSocket yes\n"
      << "PidFile " << c.pid_file.string() << "\n"
      << "DatabaseDirectory " << c.database_dir.string() << "\n"
      << "TemporaryDirectory " << c.temp_dir.string()
      << "\n"
      // Without LogFile and syslog, a foreground clamd logs to stdout, which the supervisor sends
      // to clamd.log in the work dir.
      << "LogSyslog no\n"
      << "LogTime yes\n"
      << "StreamMaxLength " << c.max_stream_bytes << "\n"
      << "MaxFileSize " << scan_bytes << "\n"
      << "MaxScanSize " << scan_bytes
      << "\n"
      // Fail closed: a file clamd stops scanning at a limit is reported, not silently "OK".
      << "AlertExceedsMax yes\n"
      // A clamd out of memory is better restarted by the supervisor than left half-working.
      << "ExitOnOOM yes\n";
  if (c.max_threads > 0) out << "MaxThreads " << c.max_threads << "\n";
  if (c.run_as_root) out << "User root\n";
  return out.str();
}

}  // namespace cst::scan
