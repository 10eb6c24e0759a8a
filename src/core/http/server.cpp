// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdio>
#include <list>
#include <utility>

#include "common/crypto.hpp"
#include "http/upload_body.hpp"

namespace cst::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {
constexpr std::size_t kNoBodyLimit = 64 * 1024;

std::string sanitizeRequestId(std::string_view in) {
  std::string out;
  for (char c : in.substr(0, 64))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') out += c;
  return out;
}

// Request ids must be unique (they join the log, the audit trail and the client's report), not
// secret: a random prefix drawn once per I/O thread and a counter, instead of a getrandom()
// system call for every request.
std::string newRequestId() {
  thread_local const std::string prefix = randomToken(9);
  thread_local std::uint64_t counter = 0;
  char tail[24];
  const int n =
      std::snprintf(tail, sizeof tail, ".%llx", static_cast<unsigned long long>(++counter));
  return prefix + std::string(tail, static_cast<std::size_t>(n));
}
}  // namespace

namespace {
ServerOptions withResolvedThreads(ServerOptions o) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (o.io_threads == 0) o.io_threads = cores;
  if (o.read_threads == 0) o.read_threads = cores;
  return o;
}
}  // namespace

class Server::Impl {
  // One io_context per I/O thread, each run by its own thread alone: no lock is shared between
  // the I/O threads and no thread wakes another to hand over a ready socket (one io_context run
  // by two threads spent 46 instead of 29 us of CPU per /healthz on two cores). The work guard
  // keeps a lane without connections running until the drain stops it.
  struct Connection {
    beast::tcp_stream* stream;
    bool idle = false;  // waiting for the next request of a keep-alive connection
  };
  struct Lane {
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> busy{ioc.get_executor()};
    std::list<Connection> connections;  // touched only on this lane's thread
  };
  static std::vector<std::unique_ptr<Lane>> makeLanes(int n) {
    std::vector<std::unique_ptr<Lane>> lanes;
    for (int i = 0; i < std::max(1, n); ++i) lanes.push_back(std::make_unique<Lane>());
    return lanes;
  }

 public:
  Impl(ServerOptions o, const Router& r, Metrics& m, Middleware mw, Handler fb)
      : opt_(withResolvedThreads(std::move(o))),
        router_(r),
        metrics_(m),
        middleware_(std::move(mw)),
        fallback_(std::move(fb)),
        lanes_(makeLanes(opt_.io_threads)),
        readers_(static_cast<std::size_t>(opt_.read_threads)),
        workers_(static_cast<std::size_t>(opt_.worker_threads)),
        acceptor_(lanes_[0]->ioc),
        signals_(lanes_[0]->ioc, SIGINT, SIGTERM) {}

  Result<std::uint16_t> bind() {
    beast::error_code ec;
    auto address = asio::ip::make_address(opt_.host, ec);
    if (ec) return failField("server.listen", "not an IP address: " + opt_.host);
    tcp::endpoint ep(address, opt_.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      return fail(ErrorCode::kUnavailable, "cannot listen on " + opt_.host + ":" +
                                               std::to_string(opt_.port) + ": " + ec.message());
    return acceptor_.local_endpoint().port();
  }

  void run() {
    signals_.async_wait([this](beast::error_code ec, int sig) {
      if (!ec) {
        spdlog::info("signal {}: shutting down gracefully", sig);
        beginDrain();
      }
    });
    asio::co_spawn(lanes_[0]->ioc, listen(), asio::detached);
    std::vector<std::thread> extra;
    for (std::size_t i = 1; i < lanes_.size(); ++i)
      extra.emplace_back([lane = lanes_[i].get()] { lane->ioc.run(); });
    lanes_[0]->ioc.run();
    for (auto& t : extra) t.join();
    readers_.join();
    workers_.join();
  }

  void requestStop() {
    asio::post(lanes_[0]->ioc, [this] { beginDrain(); });
  }

  std::atomic<int> connections_{0};
  std::atomic<int> in_flight_{0};

 private:
  void beginDrain() {
    if (draining_.exchange(true)) return;
    beast::error_code ec;
    acceptor_.close(ec);
    signals_.cancel(ec);
    closeIdle();
    drain_deadline_ = std::chrono::steady_clock::now() + opt_.shutdown_grace;
    asio::co_spawn(lanes_[0]->ioc, waitForDrain(), asio::detached);
  }

  awaitable<void> waitForDrain() {
    asio::steady_timer timer(lanes_[0]->ioc);
    while (connections_.load() > 0 && std::chrono::steady_clock::now() < drain_deadline_) {
      closeIdle();
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(use_awaitable);
    }
    if (connections_.load() > 0)
      spdlog::warn("shutdown grace period over with {} connections open", connections_.load());
    for (auto& lane : lanes_) lane->ioc.stop();
  }

  // Each lane cancels its own idle connections, on its own thread: a stream is only ever
  // touched by the thread of the lane that owns it.
  void closeIdle() {
    for (auto& lane : lanes_)
      asio::post(lane->ioc, [l = lane.get()] {
        for (Connection& c : l->connections)
          if (c.idle) c.stream->cancel();
      });
  }

  awaitable<void> listen() {
    for (std::size_t next = 0;; next = (next + 1) % lanes_.size()) {
      Lane& lane = *lanes_[next];  // connections are dealt to the lanes in turn
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor_.async_accept(lane.ioc, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (draining_ || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      if (connections_.load() >= opt_.max_connections) {
        socket.close(ec);  // over the limit: refuse rather than queue without bound
        continue;
      }
      // A response's last segment must not wait for the client's delayed ACK (40 ms on Linux)
      // of the one before it: nginx's tcp_nodelay.
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(lane.ioc, session(std::move(socket), lane), asio::detached);
    }
  }

  awaitable<void> session(tcp::socket socket, Lane& lane) {
    ++connections_;
    beast::tcp_stream stream(std::move(socket));
    auto self = lane.connections.insert(lane.connections.end(), Connection{&stream});
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    bool first = true;
    while (!draining_ || first) {
      bhttp::request_parser<bhttp::empty_body> head;
      head.header_limit(static_cast<std::uint32_t>(opt_.header_limit_bytes));
      head.body_limit(std::numeric_limits<std::uint64_t>::max());
      stream.expires_after(first ? opt_.read_timeout : opt_.idle_timeout);
      self->idle = !first;
      beast::error_code ec;
      co_await bhttp::async_read_header(stream, buffer, head,
                                        asio::redirect_error(use_awaitable, ec));
      self->idle = false;
      first = false;
      if (ec == bhttp::error::header_limit) {
        Response r = problem(
            Error::make(ErrorCode::kTooLarge, "intestazioni della richiesta troppo grandi"));
        r.status = 431;
        co_await write(stream, r, 11, false, false);
        break;
      }
      if (ec) break;  // closed, timed out, cancelled by shutdown, or malformed
      bool keep_alive = false;
      bool done = co_await exchange(stream, buffer, head, remote, keep_alive);
      if (done || !keep_alive) break;
    }
    // Lingering close (as nginx does): after refusing a request whose body we did not read, the
    // client may still be sending it; closing at once would reset the connection and the client
    // could lose our answer. Stop sending, then discard input for a short while.
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    for (std::size_t drained = 0; !ec && drained < opt_.upload_limit_bytes;) {
      char sink[16384];
      drained += co_await stream.async_read_some(asio::buffer(sink),
                                                 asio::redirect_error(use_awaitable, ec));
    }
    lane.connections.erase(self);
    --connections_;
  }

  // Reads the body of one request, runs it, writes the response. Returns true to close.
  awaitable<bool> exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                           bhttp::request_parser<bhttp::empty_body>& head,
                           const std::string& remote, bool& keep_alive) {
    const auto started = std::chrono::steady_clock::now();
    auto& msg = head.get();
    Request req;
    req.method =
        parseMethod(std::string_view(msg.method_string().data(), msg.method_string().size()));
    std::string target(msg.target());
    auto qpos = target.find('?');
    req.path = urlDecode(target.substr(0, qpos), false);
    if (qpos != std::string::npos)
      req.query = parseQuery(std::string_view(target).substr(qpos + 1));
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = std::string(field.value());
    }
    req.remote_address = remote;
    req.secure = opt_.secure_cookies;
    req.request_id = sanitizeRequestId(req.header("x-request-id").value_or(""));
    if (req.request_id.empty()) req.request_id = newRequestId();
    keep_alive = msg.keep_alive();
    const int version = msg.version();

    bool path_known = false;
    const Route* route = router_.match(req.method, req.path, req.params, path_known);
    const BodyKind kind = route ? route->body : BodyKind::kNone;
    const std::size_t limit = kind == BodyKind::kUpload ? opt_.upload_limit_bytes
                              : kind == BodyKind::kJson ? opt_.json_body_limit_bytes
                                                        : kNoBodyLimit;
    Response resp;
    bool have_response = false;
    if (head.content_length() && *head.content_length() > limit) {
      // Refuse before reading a byte of an oversized body, and close: the rest is never read.
      resp = problem(Error::make(
          ErrorCode::kTooLarge, "contenuto oltre il limite di " + std::to_string(limit) + " byte"));
      have_response = true;
      keep_alive = false;
    }

    beast::error_code ec;
    if (!have_response && kind != BodyKind::kNone && msg[bhttp::field::expect] == "100-continue") {
      // RFC 9110 §10.1.1: the client waits for this before sending the body (curl for bodies over
      // 1 MiB, .NET and PowerShell for every POST); without it each such request stalls for the
      // client's timeout (1 s for curl) before the body comes anyway.
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, msg.version()};
      co_await bhttp::async_write(stream, go_on, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return true;
    }
    if (!have_response) {
      stream.expires_after(opt_.read_timeout);
      if (kind == BodyKind::kUpload) {
        // The parser reads at most the buffer's free space per call (512 bytes when the headers
        // left it small): room for 64 KiB turns 32,000 reads and writes per 16 MiB into 256.
        buffer.reserve(64 * 1024);
        bhttp::request_parser<UploadBody> p(std::move(head));
        p.body_limit(limit);
        req.body_file = opt_.temp_dir / ("upload-" + randomToken(12));
        UploadBody::value_type& body = p.get().body();
        body.file.open(req.body_file.c_str(), beast::file_mode::write, ec);
        if (ec) {
          spdlog::error("cannot create upload temp file {}: {}", req.body_file.string(),
                        ec.message());
          resp = problem(Error::make(ErrorCode::kUnavailable, "archivio non disponibile"));
          have_response = true;
          keep_alive = false;
        } else {
          co_await bhttp::async_read(stream, buffer, p, asio::redirect_error(use_awaitable, ec));
          buffer.shrink_to_fit();  // an idle keep-alive connection keeps no 64 KiB
          beast::error_code closed;
          body.file.close(closed);
          if (!ec && (closed || !p.is_done())) ec = bhttp::error::partial_message;
          if (!ec) req.body_sha256 = body.hash->hexDigest();
        }
      } else {
        bhttp::request_parser<bhttp::string_body> p(std::move(head));
        p.body_limit(limit);
        co_await bhttp::async_read(stream, buffer, p, asio::redirect_error(use_awaitable, ec));
        req.body = std::move(p.get().body());
      }
      if (!have_response && ec == bhttp::error::body_limit) {
        resp = problem(Error::make(ErrorCode::kTooLarge, "contenuto oltre il limite di " +
                                                             std::to_string(limit) + " byte"));
        have_response = true;
        keep_alive = false;
      } else if (!have_response && ec) {
        removeTemp(req);
        co_return true;
      }
    }

    if (!have_response) {
      if (route) {
        ++in_flight_;
        if (route->on_io_thread) {
          resp = invoke(req, *route);
        } else {
          const bool read = req.method == Method::kGet || req.method == Method::kHead;
          resp = co_await asio::co_spawn(
              read ? readers_.get_executor() : workers_.get_executor(),
              [&]() -> awaitable<Response> { co_return invoke(req, *route); }, use_awaitable);
        }
        --in_flight_;
      } else if (!path_known && (req.method == Method::kGet || req.method == Method::kHead) &&
                 fallback_ && req.path.rfind("/api/", 0) != 0) {
        resp = fallback_(req);  // in-memory static files: no hop to the workers
      } else if (path_known) {
        Error e = Error::make(ErrorCode::kBadInput, "metodo non consentito su questa risorsa");
        resp = problem(e);
        resp.status = 405;
      } else {
        resp = problem(Error::make(ErrorCode::kNotFound, "risorsa inesistente: " + req.path));
      }
    }
    removeTemp(req);
    resp.header("X-Request-Id", req.request_id);
    if (draining_) keep_alive = false;

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string label = route ? route->pattern : (path_known ? "(method)" : "(unmatched)");
    metrics_.observeRequest(std::string(methodName(req.method)), label, resp.status, seconds);
    // Successful requests are logged at debug: the reverse proxy in front (deploy/) keeps the
    // access log, /metrics counts them, and writes are in the audit log; a line per request at
    // info cost a quarter of the throughput of a small request. Failures stay visible at info
    // (4xx) and warn (5xx), with the request id the client was given.
    const auto level = resp.status >= 500   ? spdlog::level::warn
                       : resp.status >= 400 ? spdlog::level::info
                                            : spdlog::level::debug;
    spdlog::log(level, "{} {} {} {} {:.1f}ms", req.request_id, methodName(req.method), req.path,
                resp.status, seconds * 1000);

    const bool ok = co_await write(stream, resp, version, keep_alive, req.method == Method::kHead);
    co_return !ok;
  }

  Response invoke(Request& req, const Route& route) {
    try {
      if (middleware_) {
        if (auto early = middleware_(req, route)) return std::move(*early);
      }
      return route.handler(req);
    } catch (const std::exception& e) {
      spdlog::error("{} unhandled exception in {}: {}", req.request_id, route.pattern, e.what());
      return problem(Error::make(ErrorCode::kInternal, e.what()));
    }
  }

  static void removeTemp(const Request& req) {
    if (req.body_file.empty()) return;
    std::error_code ec;
    std::filesystem::remove(req.body_file, ec);
  }

  awaitable<bool> write(beast::tcp_stream& stream, Response& r, int version, bool keep_alive,
                        bool head_only) {
    beast::error_code ec;
    stream.expires_after(opt_.read_timeout);
    auto common = [&](auto& res) {
      res.version(version);
      res.keep_alive(keep_alive);
      res.set(bhttp::field::server, "cst");
      if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
      for (auto& [k, v] : r.headers) res.insert(k, v);
    };
    if (!r.file.empty()) {
      bhttp::response<bhttp::file_body> res{static_cast<bhttp::status>(r.status), version};
      res.body().open(r.file.c_str(), beast::file_mode::scan, ec);
      if (r.remove_file) {
        std::error_code removed;
        std::filesystem::remove(r.file, removed);
      }
      if (ec) co_return false;
      common(res);
      res.prepare_payload();
      if (head_only) {
        bhttp::response<bhttp::empty_body> h{res.result(), version};
        common(h);
        h.content_length(res.body().size());
        co_await bhttp::async_write(stream, h, asio::redirect_error(use_awaitable, ec));
      } else {
        co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      }
    } else {
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
      common(res);
      const std::size_t size = r.body.size();
      if (!head_only) res.body() = std::move(r.body);
      res.prepare_payload();
      if (head_only) res.content_length(size);
      co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
    }
    co_return !ec;
  }

  ServerOptions opt_;
  const Router& router_;
  Metrics& metrics_;
  Middleware middleware_;
  Handler fallback_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  asio::thread_pool readers_;  // GET and HEAD handlers
  asio::thread_pool workers_;  // every other handler
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::atomic<bool> draining_{false};
  std::chrono::steady_clock::time_point drain_deadline_;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, Middleware middleware,
               Handler fallback)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(middleware),
                                   std::move(fallback))) {}
Server::~Server() = default;
Result<std::uint16_t> Server::bind() { return impl_->bind(); }
void Server::run() { impl_->run(); }
void Server::requestStop() { impl_->requestStop(); }
int Server::activeConnections() const { return impl_->connections_.load(); }
int Server::inFlightRequests() const { return impl_->in_flight_.load(); }

}  // namespace cst::http
