// Graceful shutdown on SIGTERM: a request in flight when the signal arrives gets its complete
// response, idle keep-alive connections do not hold the process up, no new connection is
// accepted, and the process exits 0 within the configured grace period.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "common/crypto.hpp"
#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kGraceSeconds = 10;

class GracefulShutdown : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = fs::temp_directory_path() / ("cst-grace-" + randomToken(6) + ".toml");
    std::ofstream(config_) << "[server]\nshutdown_grace_seconds = " << kGraceSeconds << "\n";
    server_ = std::make_unique<ServerProcess>(
        // debug: successful requests are logged only there, and the tests read the order of the
        // log lines to show that a request was in flight when SIGTERM arrived.
        ServerOptions{.env = {{"CST_LOG_LEVEL", "debug"}},
                      .extra_args = {"--config", config_.string()}});
    server_->start();
  }
  void TearDown() override {
    server_.reset();
    fs::remove(config_);
  }

  asio::ip::tcp::endpoint endpoint() const {
    return {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server_->port())};
  }

  // SIGTERM and wait; returns the exit code and how long the process took to exit.
  std::pair<int, std::chrono::steady_clock::duration> stopTimed() {
    const auto t0 = std::chrono::steady_clock::now();
    const int code = server_->stop();
    return {code, std::chrono::steady_clock::now() - t0};
  }

  fs::path config_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(GracefulShutdown, AnInFlightLoginCompletes) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(endpoint());
  std::this_thread::sleep_for(100ms);  // let the server accept the connection before the signal

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/auth/login", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = Json{{"username", "admin"}, {"password", kDemoPassword}}.dump();
  req.prepare_payload();
  bhttp::write(stream, req);
  // The Argon2id check takes tens of milliseconds: the signal lands while the login is running.
  std::this_thread::sleep_for(5ms);
  const auto [code, took] = stopTimed();

  // The response was written before the process exited; it waits in our socket buffer.
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  beast::error_code ec;
  bhttp::read(stream, buffer, res, ec);
  ASSERT_FALSE(ec) << "the in-flight request got no complete response: " << ec.message() << "\n"
                   << server_->log();
  EXPECT_EQ(res.result_int(), 200u) << res.body();
  const Json body = Json::parse(res.body(), nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << "truncated body: " << res.body();
  EXPECT_EQ(body["user"]["username"], "admin");
  EXPECT_FALSE(body.value("token", "").empty());
  EXPECT_FALSE(res.keep_alive()) << "a draining server closes the connection after the response";

  EXPECT_EQ(code, 0) << server_->log();
  EXPECT_LT(took, std::chrono::seconds(kGraceSeconds)) << server_->log();

  // The log shows the signal arriving before the login finished: it really was in flight.
  const std::string log = server_->log();
  const auto signal_at = log.find("shutting down gracefully");
  const auto login_at = log.find("POST /api/v1/auth/login 200");
  ASSERT_NE(signal_at, std::string::npos) << log;
  ASSERT_NE(login_at, std::string::npos) << log;
  EXPECT_LT(signal_at, login_at) << "the login finished before SIGTERM arrived: " << log;
}

TEST_F(GracefulShutdown, IdleConnectionsDoNotDelayTheExit) {
  // Two keep-alive connections that finished a request each and now sit idle.
  HttpClient warm(server_->port());
  ASSERT_EQ(warm.get("/healthz").status, 200);
  asio::io_context ioc;
  std::vector<std::unique_ptr<beast::tcp_stream>> idle;
  for (int i = 0; i < 2; ++i) {
    auto s = std::make_unique<beast::tcp_stream>(ioc);
    s->connect(endpoint());
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.keep_alive(true);
    bhttp::write(*s, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(*s, buffer, res);
    ASSERT_EQ(res.result_int(), 200u);
    ASSERT_TRUE(res.keep_alive());
    idle.push_back(std::move(s));
  }
  const auto [code, took] = stopTimed();
  EXPECT_EQ(code, 0) << server_->log();
  EXPECT_LT(took, 5s) << "idle connections held the shutdown up:\n" << server_->log();

  // Nothing listens any more.
  asio::ip::tcp::socket probe(ioc);
  beast::error_code ec;
  probe.connect(endpoint(), ec);
  EXPECT_TRUE(ec) << "a stopped server still accepts connections";
}

TEST_F(GracefulShutdown, TheServerRestartsOnTheSameDataAfterAStop) {
  HttpClient admin(server_->port());
  ASSERT_EQ(admin.login("admin", kDemoPassword).status, 200);
  ASSERT_EQ(admin.patch("/api/v1/enti/019035", {{"population", 51000}}).status, 200);
  EXPECT_EQ(server_->stop(), 0);
  server_->start();
  HttpClient again(server_->port());
  ASSERT_EQ(again.login("admin", kDemoPassword).status, 200);
  EXPECT_EQ(again.get("/api/v1/enti/019035").json()["population"], 51000);
}

}  // namespace
}  // namespace cst::testkit
