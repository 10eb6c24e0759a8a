#include "config/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>

namespace cst {

namespace {

template <class T>
Status read(const toml::table& t, const char* section, const char* key, T& out) {
  auto node = t[section][key];
  if (!node) return {};
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    const toml::array* list = node.as_array();
    if (!list) return failField(std::string(section) + "." + key, "must be a list of strings");
    out.clear();
    for (const toml::node& item : *list) {
      auto v = item.value<std::string>();
      if (!v) return failField(std::string(section) + "." + key, "must be a list of strings");
      out.push_back(*v);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    auto v = node.template value<std::string>();
    if (!v) return failField(std::string(section) + "." + key, "must be a string");
    out = *v;
  } else if constexpr (std::is_same_v<T, bool>) {
    auto v = node.template value<bool>();
    if (!v) return failField(std::string(section) + "." + key, "must be true or false");
    out = *v;
  } else {
    auto v = node.template value<std::int64_t>();
    if (!v || *v < 0)
      return failField(std::string(section) + "." + key, "must be a non-negative integer");
    out = static_cast<T>(*v);
  }
  return {};
}

Status readSeconds(const toml::table& t, const char* key, std::chrono::seconds& out) {
  std::int64_t v = out.count();
  if (auto s = read(t, "server", key, v); !s) return s;
  out = std::chrono::seconds(v);
  return {};
}

Status fromToml(const toml::table& t, Config& c) {
  std::string listen;
  Status s;
  auto chain = [&s](Status next) {
    if (s) s = std::move(next);
  };
  chain(read(t, "server", "listen", listen));
  if (s && !listen.empty()) chain(applyListen(c, listen));
  chain(read(t, "server", "io_threads", c.server.io_threads));
  chain(read(t, "server", "worker_threads", c.server.worker_threads));
  chain(read(t, "server", "read_threads", c.server.read_threads));
  chain(read(t, "server", "max_connections", c.server.max_connections));
  chain(read(t, "server", "header_limit_bytes", c.server.header_limit_bytes));
  chain(read(t, "server", "json_body_limit_bytes", c.server.json_body_limit_bytes));
  chain(read(t, "server", "upload_limit_bytes", c.server.upload_limit_bytes));
  chain(readSeconds(t, "read_timeout_seconds", c.server.read_timeout));
  chain(readSeconds(t, "idle_timeout_seconds", c.server.idle_timeout));
  chain(readSeconds(t, "shutdown_grace_seconds", c.server.shutdown_grace));
  chain(read(t, "server", "secure_cookies", c.server.secure_cookies));
  chain(read(t, "server", "web_root", c.web_root));
  chain(read(t, "database", "url", c.database_url));
  chain(read(t, "database", "pool_size", c.database_pool_size));
  std::string data_dir;
  chain(read(t, "storage", "data_dir", data_dir));
  if (!data_dir.empty()) c.data_dir = data_dir;
  chain(read(t, "storage", "max_blob_bytes", c.max_blob_bytes));
  chain(read(t, "scanner", "clamd", c.clamd));
  chain(read(t, "scanner", "clamd_binary", c.clamd_binary));
  chain(read(t, "scanner", "signatures_dir", c.signatures_dir));
  chain(read(t, "scanner", "max_stream_bytes", c.max_stream_bytes));
  chain(read(t, "scanner", "fd_passing", c.fd_passing));
  chain(read(t, "antivirus", "oversize", c.oversize));
  chain(read(t, "auth", "session_ttl_minutes", c.session_ttl_minutes));
  chain(read(t, "auth", "lockout_threshold", c.lockout_threshold));
  chain(read(t, "auth", "lockout_minutes", c.lockout_minutes));
  chain(read(t, "auth", "totp_required_for_staff", c.totp_required_for_staff));
  chain(read(t, "auth", "login_attempts_per_minute", c.login_attempts_per_minute));
  chain(read(t, "auth", "max_concurrent_logins", c.max_concurrent_logins));
  chain(read(t, "log", "level", c.log_level));
  chain(read(t, "mail", "smtp_url", c.mail.smtp_url));
  chain(read(t, "mail", "from", c.mail.from));
  chain(read(t, "mail", "username", c.mail.username));
  chain(read(t, "mail", "password", c.mail.password));
  chain(read(t, "mail", "timeout_seconds", c.mail.timeout_seconds));
  chain(read(t, "pdfa", "ghostscript", c.pdfa.ghostscript));
  chain(read(t, "pdfa", "icc_profile", c.pdfa.icc_profile));
  for (const char* key : {"copy_1", "copy_2", "copy_3"}) {
    std::string dir;
    chain(read(t, "preservation", key, dir));
    if (!dir.empty()) c.preservation.copies.push_back(dir);
  }
  chain(read(t, "preservation", "formats", c.preservation.formats));
  chain(read(t, "preservation", "tsa_url", c.preservation.tsa_url));
  chain(read(t, "preservation", "tsa_certificate", c.preservation.tsa_certificate));
  chain(read(t, "preservation", "tsa_username", c.preservation.tsa_username));
  chain(read(t, "preservation", "tsa_password", c.preservation.tsa_password));
  chain(read(t, "preservation", "fixity_cycle_days", c.preservation.fixity_cycle_days));
  chain(read(t, "preservation", "fixity_schedule", c.preservation.fixity_schedule));
  if (s && (c.preservation.fixity_cycle_days < 1 || c.preservation.fixity_cycle_days > 1826))
    s = failField("preservation.fixity_cycle_days", "between 1 and 1826 days (5 years)");
  if (s && c.preservation.copies.size() == 1)
    s = failField("preservation.copy_2", "at least two copies: set copy_2 as well");
  if (s && !c.preservation.tsa_url.empty() && c.preservation.tsa_certificate.empty())
    s = failField("preservation.tsa_certificate", "the TSA's certificate is required with tsa_url");
  if (s && c.server.io_threads < 0)
    s = failField("server.io_threads", "must be 0 (one per CPU core) or more");
  if (s && c.server.read_threads < 0)
    s = failField("server.read_threads", "must be 0 (one per CPU core) or more");
  if (s && c.server.worker_threads < 1)
    s = failField("server.worker_threads", "must be at least 1");
  return s;
}

// The relay URL carries no credentials: they go in mail.username/password, so that the URL can be
// logged, and so that STARTTLS is required whenever there is a password to protect.
Status checkMail(const Config::Mail& m) {
  const std::string& url = m.smtp_url;
  if (!url.empty() && url.rfind("smtp://", 0) != 0 && url.rfind("smtps://", 0) != 0)
    return failField("mail.smtp_url", "must start with smtp:// or smtps://");
  const auto host = url.find("://");
  if (!url.empty() && url.find('@', host) < url.find('/', host + 3))
    return failField("mail.smtp_url", "put the credentials in mail.username and mail.password");
  if (m.timeout_seconds < 1) return failField("mail.timeout_seconds", "must be at least 1");
  return {};
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

Status applyListen(Config& config, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return failField("listen", "expected HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
  }
  if (port < 0 || port > 65535) return failField("listen", "port must be 0..65535");
  config.server.host = host;
  config.server.port = static_cast<std::uint16_t>(port);
  return {};
}

Result<Config> loadConfig(const std::string& file) {
  Config c;
  if (!file.empty()) {
    try {
      toml::table t = toml::parse_file(file);
      if (auto s = fromToml(t, c); !s) return tl::unexpected(s.error());
    } catch (const toml::parse_error& e) {
      const auto& at = e.source().begin;
      return failField("config", file + ":" + std::to_string(at.line) + ":" +
                                     std::to_string(at.column) + ": " +
                                     std::string(e.description()));
    }
  }
  if (auto v = env("CST_DATABASE_URL"); !v.empty()) c.database_url = v;
  if (auto v = env("CST_DATA_DIR"); !v.empty()) c.data_dir = v;
  if (auto v = env("CST_CLAMD"); !v.empty()) c.clamd = v;
  if (auto v = env("CST_LOG_LEVEL"); !v.empty()) c.log_level = v;
  if (auto v = env("CST_LISTEN"); !v.empty()) {
    if (auto s = applyListen(c, v); !s) return tl::unexpected(s.error());
  }
  if (auto v = env("CST_MAIL_SMTP_URL"); !v.empty()) c.mail.smtp_url = v;
  if (auto v = env("CST_MAIL_FROM"); !v.empty()) c.mail.from = v;
  if (auto v = env("CST_MAIL_USERNAME"); !v.empty()) c.mail.username = v;
  if (auto v = env("CST_MAIL_PASSWORD"); !v.empty()) c.mail.password = v;
  if (auto v = env("CST_TSA_PASSWORD"); !v.empty()) c.preservation.tsa_password = v;
  if (auto s = checkMail(c.mail); !s) return tl::unexpected(s.error());
  return c;
}

}  // namespace cst
