#pragma once
// Runs the platform's own clamd (when the deployment does not point at an external one): writes
// its clamd.conf, starts /usr/sbin/clamd in the foreground, waits until it answers PING, restarts
// it with exponential backoff whenever it exits, and stops it on shutdown.
//
// Work dir layout: clamd.conf, clamd.sock, clamd.pid, clamd.log (clamd's stdout/stderr, rotated to
// clamd.log.1 at a spawn when over 8 MiB), tmp/ (clamd's spool for streamed files).
//
// Orphans: clamd gets PR_SET_PDEATHSIG(SIGTERM), so it stops when the platform dies, even by
// SIGKILL. As a second line, start() terminates a clamd still running from an earlier run with the
// same clamd.conf (found via clamd.pid and /proc/<pid>/cmdline).
//
// Process-wide requirements: nothing else in the process may reap children with waitpid(-1) or set
// SIGCHLD to SIG_IGN, or the supervisor loses its child's exit status (it then reports the exit as
// unknown and still restarts).
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "scan/clamd_config.hpp"
#include "scan/clamd_scanner.hpp"

namespace cst::scan {

struct ClamdSupervisorOptions {
  std::filesystem::path work_dir;      // created if missing; keep it short (socket path limit)
  std::filesystem::path database_dir;  // .cvd/.cld or .hdb/.hsb/.ndb...; must hold at least one
  std::filesystem::path clamd_binary = "/usr/sbin/clamd";
  std::uint64_t max_stream_bytes = kDefaultMaxStreamBytes;  // StreamMaxLength, = scanner limit
  std::uint64_t max_scan_bytes = 0;                         // see ClamdConfig::max_scan_bytes
  int max_threads = 0;                                      // 0: clamd's default

  // clamd loads its whole database before listening: ~30 ms with the test database, tens of
  // seconds and >1 GiB of RAM with the official one.
  std::chrono::milliseconds ready_timeout{120000};
  std::chrono::milliseconds ping_interval{100};  // longest gap between readiness PINGs
  // stop(): SIGTERM, then SIGKILL if clamd has not exited after this long.
  std::chrono::milliseconds stop_timeout{10000};
  // Restart delay after an exit: doubles on every consecutive failure up to max_backoff, and is
  // back to initial_backoff once clamd has run for stable_after.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::milliseconds stable_after{60000};
};

struct ClamdHealth {
  // clamd answered PING after its last (re)start and has not exited since. Process-level only: a
  // hung clamd still counts as running; Scanner::ping() probes the daemon itself.
  bool running = false;
  pid_t pid = 0;           // 0 when no clamd process exists
  int restarts = 0;        // respawns after the first successful start
  std::string last_error;  // last exit or start failure, with the tail of clamd.log; "" if none
  std::optional<std::chrono::system_clock::time_point> running_since;
  std::optional<std::chrono::milliseconds> last_startup_time;  // spawn -> first PONG
};

// Thread safety: start() and stop() belong to the owner (one thread at a time); health(),
// waitUntilRunning() and the accessors may be called from any thread.
class ClamdSupervisor {
 public:
  explicit ClamdSupervisor(ClamdSupervisorOptions options);
  ~ClamdSupervisor();  // stop()
  ClamdSupervisor(const ClamdSupervisor&) = delete;
  ClamdSupervisor& operator=(const ClamdSupervisor&) = delete;

  // Writes clamd.conf, starts clamd and blocks until it answers PING. Errors: kBadInput for bad
  // options or paths, kUnavailable when clamd is missing, exits during startup (the detail quotes
  // clamd.log) or is not ready within ready_timeout, kConflict when already started. On error
  // nothing is left running. On success a watcher thread restarts clamd until stop().
  Status start();

  // Idempotent. SIGTERM, wait up to stop_timeout, SIGKILL; returns once clamd is reaped.
  void stop();

  ClamdHealth health() const;
  // Blocks until health().running or the timeout; false on timeout or when stopped.
  bool waitUntilRunning(std::chrono::milliseconds timeout) const;

  // "unix:<work_dir>/clamd.sock" and the matching size limit: build the ClamdScanner from this so
  // the scanner's limit and clamd's StreamMaxLength cannot drift apart.
  ClamdScannerOptions scannerOptions() const;
  std::filesystem::path configPath() const { return work_dir_ / "clamd.conf"; }
  std::filesystem::path logPath() const { return work_dir_ / "clamd.log"; }

 private:
  enum class StartState { kPending, kReady, kFailed };

  Status prepare();
  void run();
  Result<pid_t> spawn();
  Status waitReady(pid_t pid, std::chrono::steady_clock::time_point spawned_at);
  int waitExit(pid_t pid);  // blocks; reaps; returns the wait status (-1 if unknown)
  bool exitedNoHang(pid_t pid);
  void terminateChild(pid_t pid);
  void terminateStaleInstance();
  bool sleepUnlessStopping(std::chrono::milliseconds d);
  std::string logTail() const;
  void setError(std::string error);

  const ClamdSupervisorOptions options_;
  std::filesystem::path work_dir_;  // absolute
  ClamdConfig config_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool started_ = false;
  bool stopping_ = false;
  StartState start_state_ = StartState::kPending;
  std::string start_error_;
  ClamdHealth health_;
  std::thread watcher_;
};

}  // namespace cst::scan
