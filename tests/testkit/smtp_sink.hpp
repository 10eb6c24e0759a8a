#pragma once
// A real SMTP server for tests: aiosmtpd (Debian python3-aiosmtpd) with the handler in
// smtp_sink.py, as a child process on 127.0.0.1. Every message it accepts is kept, decoded by
// Python's e-mail package. Recipients named "inesistente@..." are refused with 550, "piena@..."
// with 452. The interpreter is CST_TEST_PYTHON, or /usr/bin/python3 (where Debian installs
// aiosmtpd; a python3 earlier on PATH may not have it).
#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cst::testkit {

// A TCP port nobody listens on right now.
int freePort();

class SmtpSink {
 public:
  // port 0: a free one. Starts at once and returns when the port accepts connections.
  explicit SmtpSink(int port = 0);
  ~SmtpSink();  // stops the server, removes its directory
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The messages accepted so far, in order: {mail_from, rcpt_tos, headers (decoded), body
  // (decoded), seven_bit, raw}.
  std::vector<nlohmann::json> received() const;

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace cst::testkit
