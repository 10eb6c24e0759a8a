#pragma once
// Starts the real `cst serve` as a child process on a free port, in its own temporary data
// directory, for integration tests. The backend follows the environment: SQLite by default, or
// PostgreSQL when CST_TEST_POSTGRES_URL is set (each server gets a fresh schema there).
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cst::testkit {

struct ServerOptions {
  bool demo = true;
  std::map<std::string, std::string> env;  // extra environment (e.g. CST_CLAMD)
  std::vector<std::string> extra_args;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();  // SIGTERM, then SIGKILL; removes the data dir
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void start();
  // Graceful: SIGTERM and wait. Returns the exit code (128 + signal if killed by one; -1 when the
  // server was not running). start() may be called again on the same data dir afterwards.
  int stop();
  void kill9();  // crash: SIGKILL and wait
  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dataDir() const { return data_dir_; }
  pid_t pid() const { return pid_; }
  // Arguments that point a CLI verb at this server's database and data dir.
  std::vector<std::string> cliArgs() const;
  // Environment for CLI verbs (the PostgreSQL URL of this server's schema).
  std::map<std::string, std::string> cliEnv() const { return env_; }
  // Output of the server so far (stdout and stderr), for failure messages.
  std::string log() const;

 private:
  ServerOptions options_;
  std::filesystem::path data_dir_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// True when the suite runs against PostgreSQL.
bool usingPostgres();
// A database URL for a fresh, empty schema (PostgreSQL) or "" (SQLite in the data dir).
std::string freshDatabaseUrl();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs build/cst with arguments and optional stdin; waits for it.
CommandResult runCli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                     const std::map<std::string, std::string>& env = {});

}  // namespace cst::testkit
