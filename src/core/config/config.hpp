#pragma once
// Configuration: a TOML file (deploy/cst.toml.example lists every key) overridden by environment
// variables (CST_DATABASE_URL, CST_LISTEN, CST_DATA_DIR, CST_CLAMD, CST_LOG_LEVEL, CST_MAIL_*) and
// then by command-line flags. Secrets (the database and relay passwords) never reach the logs: use
// describe() and mail::describeRelay().
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "http/server.hpp"

namespace cst {

struct Config {
  http::ServerOptions server;
  std::string web_root;  // empty: web/dist beside the source tree or the executable

  std::string database_url;  // empty: SQLite in data_dir
  int database_pool_size = 8;

  std::filesystem::path data_dir = "./cst-data";
  std::size_t max_blob_bytes = 100 * 1024 * 1024;

  std::string clamd;  // empty: start and supervise our own clamd
  std::string clamd_binary = "/usr/sbin/clamd";
  std::string signatures_dir = "/var/lib/clamav";
  std::size_t max_stream_bytes = 100 * 1024 * 1024;
  // An external clamd on a unix socket is given each file's descriptor (FILDES) instead of its
  // bytes (INSTREAM) only when this is set: its clamd.conf must have AlertExceedsMax yes and
  // MaxFileSize >= max_stream_bytes, or a larger file would be reported clean half scanned (a
  // stream is cut at StreamMaxLength instead). The clamd cst supervises always gets descriptors:
  // its clamd.conf is ours.
  bool fd_passing = false;
  // [antivirus] oversize: what an upload over max_stream_bytes gets ("reject": 413; "flag":
  // stored marked not scanned). Never reported clean.
  std::string oversize = "reject";

  int session_ttl_minutes = 480;
  int lockout_threshold = 5;
  int lockout_minutes = 15;
  bool totp_required_for_staff = true;
  // Login attempts per minute from one address (a Comune's whole office may share one).
  int login_attempts_per_minute = 300;
  // Argon2id computations at once (each takes ~64 MiB and a core for tens of ms); 0 = one per
  // CPU core: a hash is pure CPU, more at once only make each slower.
  int max_concurrent_logins = 0;

  std::string log_level = "info";

  // Outgoing e-mail (core/mail/outbox.hpp), [mail] in the file.
  struct Mail {
    std::string smtp_url;  // smtp://host:port or smtps://host:port; empty: mail stays queued
    std::string from = "Call center CST <noreply@cst.example>";
    std::string username;  // empty: the relay does not ask us to authenticate
    std::string password;  // secret: prefer CST_MAIL_PASSWORD to the file
    int timeout_seconds = 30;
  } mail;

  // PDF/A conversion (pdf/pdfa.hpp), [pdfa] in the file: the Ghostscript program and the sRGB
  // profile of the output intent.
  struct PdfA {
    std::string ghostscript = "gs";
    std::string icc_profile = "/usr/share/color/icc/ghostscript/srgb.icc";
  } pdfa;

  // The preservation service (modules/preservation), [preservation] in the file.
  struct Preservation {
    // The copies' directories, ideally on different disks: copy_1, copy_2 (empty: both under
    // data_dir/conservazione).
    std::vector<std::string> copies;
    // Format ids accepted for preservation (modules/preservation/format.hpp); empty: Allegato 2's
    // defaults.
    std::vector<std::string> formats;
    // An RFC 3161 TSA (a qualified one in production) and its certificate (PEM file); empty: the
    // built-in local TSA, not qualified.
    std::string tsa_url;
    std::string tsa_certificate;
    std::string tsa_username;
    std::string tsa_password;  // secret: prefer CST_TSA_PASSWORD to the file
    // Fixity audits: every object re-hashed in every copy at least once per cycle (the guidelines
    // ask at most 5 years; DPN asked 2), by a job on this schedule.
    int fixity_cycle_days = 90;
    std::string fixity_schedule = "@every 1h";
  } preservation;
};

// Loads `file` if not empty (a missing file is an error), then applies the environment.
Result<Config> loadConfig(const std::string& file);
// Parses "host:port" into the server options.
Status applyListen(Config& config, const std::string& listen);

}  // namespace cst
