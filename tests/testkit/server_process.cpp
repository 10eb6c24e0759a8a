#include "testkit/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/crypto.hpp"
#include "db/db.hpp"

namespace cst::testkit {

namespace fs = std::filesystem;

bool usingPostgres() {
  const char* url = std::getenv("CST_TEST_POSTGRES_URL");
  return url && *url;
}

std::string freshDatabaseUrl() {
  if (!usingPostgres()) return "";
  const std::string base = std::getenv("CST_TEST_POSTGRES_URL");
  std::string schema = "t_";
  for (char c : randomToken(9))
    schema +=
        std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  auto db = db::Database::open(base, fs::temp_directory_path(), 1);
  if (!db) throw std::runtime_error("cannot reach PostgreSQL: " + db.error().detail);
  auto r = (*db)->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto e = tx.exec("CREATE SCHEMA " + schema);
    if (!e) return tl::unexpected(e.error());
    return {};
  });
  if (!r) throw std::runtime_error("cannot create schema: " + r.error().detail);
  // libpq URI parameter: every connection of this server uses the fresh schema.
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  data_dir_ = fs::temp_directory_path() / ("cst-test-" + randomToken(8));
  fs::create_directories(data_dir_);
  env_ = options_.env;
  if (usingPostgres() && !env_.count("CST_DATABASE_URL"))
    env_["CST_DATABASE_URL"] = freshDatabaseUrl();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  fs::remove_all(data_dir_, ec);
}

std::vector<std::string> ServerProcess::cliArgs() const { return {"--data", data_dir_.string()}; }

std::string ServerProcess::log() const {
  std::ifstream in(data_dir_ / "server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ServerProcess::start() {
  const fs::path log_path = data_dir_ / "server.log";
  const fs::path out_path = data_dir_ / "server.out";
  fs::remove(out_path);
  std::vector<std::string> args{CST_BINARY,         "serve",    "--data",
                                data_dir_.string(), "--listen", "127.0.0.1:0"};
  if (options_.demo) args.push_back("--demo");
  for (const auto& a : options_.extra_args) args.push_back(a);
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  static const std::regex kListening(R"(listening on http://[0-9.]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(out_path);
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, kListening)) {
        port_ = std::stoi(m[1]);
        return;
      }
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("cst serve exited during start:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("cst serve did not start within 60 s:\n" + log());
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

CommandResult runCli(const std::vector<std::string>& args, const std::string& stdin_text,
                     const std::map<std::string, std::string>& env) {
  const fs::path dir = fs::temp_directory_path() / ("cst-cli-" + randomToken(8));
  fs::create_directories(dir);
  { std::ofstream(dir / "in") << stdin_text; }
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open((dir / "in").c_str(), O_RDONLY);
    const int out = ::open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open((dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> all{CST_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return r;
}

}  // namespace cst::testkit
