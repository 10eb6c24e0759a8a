#pragma once
// The HTTP/1.1 server (Boost.Beast, C++20 coroutines): listener -> one session per connection ->
// Router. Each I/O thread runs its own io_context and the listener deals connections to them in
// turn; a connection stays on its thread. The I/O threads only move bytes; every handler runs on a
// bounded worker pool (one request in flight per connection, at most max_connections connections),
// except routes marked on_io_thread. Limits and timeouts are on by default. SIGTERM/SIGINT start a
// graceful shutdown: no new connections, idle ones closed, in-flight requests finish (up to the
// grace period).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace cst::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  // 0: one per CPU core. Sockets and parsing scale with cores (measured: /healthz 39k -> 56k
  // requests/s going from 1 to 2 on two cores); blocking work is on the workers anyway.
  int io_threads = 0;
  // GET/HEAD handlers run on their own pool (0: one per core): reads are CPU-bound on SQLite,
  // and more threads than cores only add context switches and wake-ups (measured: the ente read
  // costs 84 instead of 100 us of CPU with 2 threads instead of 4 on two cores).
  int read_threads = 0;
  // Everything else (writes, logins, uploads) waits on the disk or on group commit, where more
  // threads mean more commits shared (measured: ticket creation 530/s with 2, 1000/s with 8).
  int worker_threads = 8;
  int max_connections = 1024;
  std::size_t header_limit_bytes = 16 * 1024;
  std::size_t json_body_limit_bytes = 1024 * 1024;
  std::size_t upload_limit_bytes = 100 * 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{20};
  bool secure_cookies = false;
  std::filesystem::path temp_dir;  // where upload bodies are streamed
};

// Runs on a worker before the handler (authentication); returning a response short-circuits.
using Middleware = std::function<std::optional<Response>(Request&, const Route&)>;

class Server {
 public:
  // `fallback` answers GET/HEAD of paths no route knows (the web UI). It runs on the I/O thread,
  // so it must not block: StaticFiles serves from memory.
  Server(ServerOptions options, const Router& router, Metrics& metrics, Middleware middleware,
         Handler fallback);
  ~Server();
  // Binds the listening socket; returns the bound port.
  Result<std::uint16_t> bind();
  // Serves until SIGTERM/SIGINT or requestStop(), then drains. Blocks.
  void run();
  void requestStop();
  int activeConnections() const;
  int inFlightRequests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cst::http
