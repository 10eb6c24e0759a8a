#include "scan/clamd_supervisor.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

extern char** environ;

namespace cst::scan {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::uintmax_t kLogRotateBytes = std::uintmax_t{8} << 20;
constexpr std::size_t kLogTailBytes = 4096;
constexpr int kLogTailLines = 4;
constexpr milliseconds kExitPollInterval{50};

std::string errnoText(int err) { return std::strerror(err); }

std::string describeExit(int status) {
  if (status == -1) return "exit status unknown";
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return "killed by signal " + std::to_string(sig) +
           (name ? std::string(" (SIG") + name + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

long long toMs(Clock::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

}  // namespace

ClamdSupervisor::ClamdSupervisor(ClamdSupervisorOptions options) : options_(std::move(options)) {
  std::error_code ec;
  work_dir_ = options_.work_dir.empty() ? options_.work_dir
                                        : std::filesystem::absolute(options_.work_dir, ec);
  std::filesystem::path db = options_.database_dir.empty()
                                 ? options_.database_dir
                                 : std::filesystem::absolute(options_.database_dir, ec);
  config_ = ClamdConfig::forWorkDir(work_dir_, db, options_.max_stream_bytes);
  config_.max_scan_bytes = options_.max_scan_bytes;
  config_.max_threads = options_.max_threads;
}

ClamdSupervisor::~ClamdSupervisor() { stop(); }

Status ClamdSupervisor::prepare() {
  const auto& o = options_;
  if (o.work_dir.empty()) return failField("work_dir", "is required");
  if (o.database_dir.empty()) return failField("database_dir", "is required");
  if (o.ready_timeout.count() <= 0 || o.ping_interval.count() <= 0 || o.stop_timeout.count() <= 0 ||
      o.initial_backoff.count() <= 0 || o.max_backoff < o.initial_backoff) {
    return failField("timeouts", "must be positive, and max_backoff >= initial_backoff");
  }
  auto conf = renderClamdConf(config_);
  if (!conf) return fail(conf.error());

  std::error_code ec;
  if (!std::filesystem::is_directory(config_.database_dir, ec)) {
    return failField("database_dir", "not a directory: " + config_.database_dir.string());
  }
  if (::access(o.clamd_binary.c_str(), X_OK) != 0) {
    return fail(ErrorCode::kUnavailable, "clamd not found or not executable at " +
                                             o.clamd_binary.string() +
                                             " (Debian package clamav-daemon)");
  }
  std::filesystem::create_directories(config_.temp_dir, ec);
  if (ec) {
    return fail(ErrorCode::kUnavailable,
                "cannot create " + config_.temp_dir.string() + ": " + ec.message());
  }
  // clamd spools uploaded content here: nobody else should read it.
  std::filesystem::permissions(config_.temp_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);

  // Write-then-rename so a clamd restarted by the watcher never reads a half-written file.
  const auto tmp = configPath().string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << *conf;
    out.close();
    if (!out) return fail(ErrorCode::kUnavailable, "cannot write " + tmp);
  }
  std::filesystem::rename(tmp, configPath(), ec);
  if (ec) return fail(ErrorCode::kUnavailable, "cannot write " + configPath().string());

  terminateStaleInstance();
  return {};
}

Status ClamdSupervisor::start() {
  {
    std::lock_guard lk(mu_);
    if (started_) return fail(ErrorCode::kConflict, "clamd supervisor already started");
  }
  if (auto s = prepare(); !s) return s;
  {
    std::lock_guard lk(mu_);
    started_ = true;
    stopping_ = false;
    start_state_ = StartState::kPending;
    start_error_.clear();
    health_ = ClamdHealth{};
  }
  // Every fork happens on the watcher thread: PR_SET_PDEATHSIG fires when the forking *thread*
  // exits, so forking on the caller's thread would kill clamd whenever that thread ended.
  watcher_ = std::thread([this] { run(); });

  std::unique_lock lk(mu_);
  cv_.wait(lk, [&] { return start_state_ != StartState::kPending; });
  if (start_state_ == StartState::kFailed) {
    std::string error = start_error_;
    lk.unlock();
    stop();
    return fail(ErrorCode::kUnavailable, error);
  }
  return {};
}

void ClamdSupervisor::stop() {
  std::unique_lock lk(mu_);
  if (!started_) return;
  stopping_ = true;
  // health_.pid is cleared only after the child is reaped, so it cannot name a recycled pid here.
  if (health_.pid > 0) ::kill(health_.pid, SIGTERM);
  cv_.notify_all();
  if (!cv_.wait_for(lk, options_.stop_timeout, [&] { return health_.pid == 0; })) {
    spdlog::warn("clamd (pid {}) ignored SIGTERM for {} ms; sending SIGKILL", health_.pid,
                 options_.stop_timeout.count());
    ::kill(health_.pid, SIGKILL);
  }
  lk.unlock();
  if (watcher_.joinable()) watcher_.join();
  lk.lock();
  started_ = false;
  health_.running = false;
  cv_.notify_all();
}

ClamdHealth ClamdSupervisor::health() const {
  std::lock_guard lk(mu_);
  return health_;
}

bool ClamdSupervisor::waitUntilRunning(std::chrono::milliseconds timeout) const {
  std::unique_lock lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return health_.running || stopping_ || !started_; });
  return health_.running;
}

ClamdScannerOptions ClamdSupervisor::scannerOptions() const {
  ClamdScannerOptions o;
  o.endpoint = "unix:" + config_.socket_path.string();
  o.max_stream_bytes = options_.max_stream_bytes;
  return o;
}

void ClamdSupervisor::run() {
  auto backoff = options_.initial_backoff;
  bool first = true;
  for (;;) {
    {
      std::lock_guard lk(mu_);
      if (stopping_) break;
      if (!first) ++health_.restarts;
    }
    const auto spawned_at = Clock::now();
    auto pid = spawn();
    if (!pid) {
      setError(pid.error().detail);
      if (first) {
        std::lock_guard lk(mu_);
        start_state_ = StartState::kFailed;
        start_error_ = pid.error().detail;
        cv_.notify_all();
        break;
      }
      spdlog::error("cannot restart clamd: {}", pid.error().detail);
      if (!sleepUnlessStopping(backoff)) break;
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    {
      std::lock_guard lk(mu_);
      health_.pid = *pid;
      // stop() ran between fork() and here and could not see the pid.
      if (stopping_) ::kill(*pid, SIGTERM);
    }

    Status ready = waitReady(*pid, spawned_at);
    if (ready) {
      const auto startup = std::chrono::duration_cast<milliseconds>(Clock::now() - spawned_at);
      spdlog::info("clamd ready: pid {}, {} ms after spawn", *pid, startup.count());
      std::lock_guard lk(mu_);
      health_.running = true;
      health_.running_since = std::chrono::system_clock::now();
      health_.last_startup_time = startup;
      if (first) start_state_ = StartState::kReady;
      cv_.notify_all();
    } else if (!exitedNoHang(*pid)) {
      terminateChild(*pid);
    }

    const int status = waitExit(*pid);
    const auto ran = Clock::now() - spawned_at;
    bool stopping;
    {
      std::lock_guard lk(mu_);
      stopping = stopping_;
    }
    if (!ready) {
      std::string error = ready.error().detail + " (" + describeExit(status) + ")" + logTail();
      if (!stopping) {
        spdlog::error("{}", error);
        setError(error);
      }
      if (first) {
        std::lock_guard lk(mu_);
        start_state_ = StartState::kFailed;
        start_error_ = stopping ? "stopped during startup" : error;
        cv_.notify_all();
        break;
      }
    } else if (!stopping) {
      std::string error = "clamd exited after " + std::to_string(toMs(ran)) + " ms (" +
                          describeExit(status) + ")" + logTail();
      spdlog::warn("{}; restarting in {} ms", error, backoff.count());
      setError(error);
    }
    if (stopping) break;
    first = false;
    if (ready && ran >= options_.stable_after) backoff = options_.initial_backoff;
    if (!sleepUnlessStopping(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  std::lock_guard lk(mu_);
  if (start_state_ == StartState::kPending) {
    start_state_ = StartState::kFailed;
    start_error_ = "stopped during startup";
  }
  cv_.notify_all();
}

Result<pid_t> ClamdSupervisor::spawn() {
  std::error_code ec;
  const auto log_path = logPath();
  if (std::filesystem::file_size(log_path, ec) > kLogRotateBytes && !ec) {
    std::filesystem::rename(log_path, log_path.string() + ".1", ec);
  }
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log_fd < 0) {
    return fail(ErrorCode::kUnavailable,
                "cannot open " + log_path.string() + ": " + errnoText(errno));
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(log_fd);
    return fail(ErrorCode::kUnavailable, "cannot open /dev/null: " + errnoText(errno));
  }
  // The readiness PING must reach the new clamd, never a leftover listener on the old file.
  ::unlink(config_.socket_path.c_str());

  // Everything the child needs is prepared here: between fork() and exec() a multithreaded
  // process may only make async-signal-safe calls.
  std::string binary = options_.clamd_binary.string();
  std::string config_arg = "--config-file=" + configPath().string();
  char* argv[] = {binary.data(), config_arg.data(), nullptr};
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(log_fd);
    ::close(null_fd);
    return fail(ErrorCode::kUnavailable, "fork(): " + errnoText(err));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);  // the platform died before prctl()
    // The forking thread's blocked signals and ignored dispositions would be inherited by clamd;
    // a clamd with SIGTERM blocked could only be stopped with SIGKILL.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
      if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);
    }
    // Own process group: a Ctrl-C meant for the platform must not kill clamd behind the
    // supervisor's back; the platform's shutdown (or PDEATHSIG) stops it.
    ::setpgid(0, 0);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::execve(argv[0], argv, environ);
    const char msg[] = "cst: cannot exec clamd\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  spdlog::info("clamd spawned: pid {}, {}", pid, config_arg);
  return pid;
}

Status ClamdSupervisor::waitReady(pid_t pid, Clock::time_point spawned_at) {
  ClamdScannerOptions probe_options = scannerOptions();
  probe_options.connect_timeout = milliseconds{1000};
  probe_options.send_timeout = milliseconds{2000};
  auto probe = ClamdScanner::create(probe_options);
  if (!probe) return fail(probe.error());
  const auto deadline = spawned_at + options_.ready_timeout;
  // Start polling fast: with a small database clamd listens within tens of milliseconds.
  auto interval = std::min(options_.ping_interval, milliseconds{10});
  for (;;) {
    if (exitedNoHang(pid)) return fail(ErrorCode::kUnavailable, "clamd exited during startup");
    if ((*probe)->ping()) return {};
    if (Clock::now() >= deadline) {
      return fail(ErrorCode::kUnavailable, "clamd did not answer PING within " +
                                               std::to_string(options_.ready_timeout.count()) +
                                               " ms");
    }
    if (!sleepUnlessStopping(interval)) return fail(ErrorCode::kUnavailable, "stopping");
    interval = std::min(interval * 2, options_.ping_interval);
  }
}

bool ClamdSupervisor::exitedNoHang(pid_t pid) {
  siginfo_t info{};
  // WNOWAIT: look without reaping, so the pid stays ours until waitExit() reaps it.
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;
  }
  return info.si_pid == pid;
}

int ClamdSupervisor::waitExit(pid_t pid) {
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT);
  } while (rc != 0 && errno == EINTR);
  int status = -1;
  std::lock_guard lk(mu_);
  // Reap under the lock: stop() signals health_.pid under the same lock.
  if (rc == 0) {
    int st = 0;
    if (::waitpid(pid, &st, 0) == pid) status = st;
  }
  health_.pid = 0;
  health_.running = false;
  health_.running_since.reset();
  cv_.notify_all();
  return status;
}

void ClamdSupervisor::terminateChild(pid_t pid) {
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + options_.stop_timeout;
  while (Clock::now() < deadline) {
    if (exitedNoHang(pid)) return;
    std::this_thread::sleep_for(kExitPollInterval);
  }
  spdlog::warn("clamd (pid {}) ignored SIGTERM; sending SIGKILL", pid);
  ::kill(pid, SIGKILL);
}

void ClamdSupervisor::terminateStaleInstance() {
  std::ifstream pid_file(config_.pid_file);
  long stale = 0;
  if (!(pid_file >> stale) || stale <= 1) return;
  std::ifstream cmdline_file("/proc/" + std::to_string(stale) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)),
                      std::istreambuf_iterator<char>());
  // Only a clamd started with *our* clamd.conf; a recycled pid is someone else's process.
  const std::string ours = std::string("--config-file=") + configPath().string();
  if (cmdline.find(ours + '\0') == std::string::npos) return;
  const auto pid = static_cast<pid_t>(stale);
  spdlog::warn("terminating clamd pid {} left over from an earlier run", pid);
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + options_.stop_timeout;
  while (::kill(pid, 0) == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(kExitPollInterval);
  if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
}

bool ClamdSupervisor::sleepUnlessStopping(std::chrono::milliseconds d) {
  std::unique_lock lk(mu_);
  return !cv_.wait_for(lk, d, [&] { return stopping_; });
}

std::string ClamdSupervisor::logTail() const {
  std::ifstream in(logPath(), std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  const std::streamoff from = std::max<std::streamoff>(0, size - kLogTailBytes);
  in.seekg(from);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) return {};
  std::string tail = "; " + logPath().string() + ": ";
  const std::size_t first = lines.size() > kLogTailLines ? lines.size() - kLogTailLines : 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    if (i != first) tail += " | ";
    tail += lines[i];
  }
  return tail;
}

void ClamdSupervisor::setError(std::string error) {
  std::lock_guard lk(mu_);
  health_.last_error = std::move(error);
}

}  // namespace cst::scan
