#include "common/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

extern char** environ;

namespace cst {

namespace {

constexpr std::size_t kKeptOutput = 64 * 1024;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errnoText(int err) { return std::generic_category().message(err); }

int waitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

Result<ProcessOutcome> runProcess(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds limit) {
  if (argv.empty()) return fail(ErrorCode::kInternal, "runProcess: no program");
  int fds[2];
  // Close-on-exec everywhere: only the dup2'd copies reach the child, so no other thread's
  // concurrent spawn inherits this pipe and holds its end open.
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(ErrorCode::kUnavailable, "pipe(): " + errnoText(errno));
  Fd read_end{fds[0]}, write_end{fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int err = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return fail(ErrorCode::kUnavailable, argv[0] + ": " + errnoText(err));
  ::close(write_end.fd);
  write_end.fd = -1;

  ProcessOutcome out;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      waitFor(pid);
      return fail(ErrorCode::kUnavailable, argv[0] + ": still running after " +
                                               std::to_string(limit.count()) + " ms, stopped");
    }
    pollfd p{read_end.fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above decides
    const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // every writer closed: the program is ending
    if (out.output.size() < kKeptOutput)
      out.output.append(
          buf, std::min<std::size_t>(static_cast<std::size_t>(n), kKeptOutput - out.output.size()));
  }
  out.exit_code = waitFor(pid);
  return out;
}

}  // namespace cst
