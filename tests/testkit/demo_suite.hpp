#pragma once
// The shape shared by integration suites: one demo server per suite (seeding the demo and
// starting clamd take seconds), and clients logged in as demo users.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>

#include "testkit/http_client.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {

// A client logged in as `user`; a failed login fails the calling test.
inline HttpClient loggedIn(const ServerProcess& server, const std::string& user,
                           const std::string& password = kDemoPassword) {
  HttpClient c(server.port());
  auto r = c.login(user, password);
  EXPECT_EQ(r.status, 200) << user << ": " << r.body;
  return c;
}

// Derive as `class Uploads : public DemoServerSuite<Uploads>`: each suite gets its own server.
template <class Suite>
class DemoServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<ServerProcess>();
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }
  // A failed test shows the end of the server's log: what the server saw and said.
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  }
  static HttpClient as(const std::string& user, const std::string& password = kDemoPassword) {
    return loggedIn(*server_, user, password);
  }
  inline static std::unique_ptr<ServerProcess> server_;
};

}  // namespace cst::testkit
