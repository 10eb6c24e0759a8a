// The `cst` command line. Every module is listed here, explicitly, in allModules().
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <csignal>
#include <iostream>
#include <iterator>

#include "antivirus/agent.hpp"
#include "antivirus/module.hpp"
#include "api/core_routes.hpp"
#include "audit/audit.hpp"
#include "auth/password.hpp"
#include "calendar/calendar.hpp"
#include "calendar/opening_hours.hpp"
#include "helpdesk/mail_in.hpp"
#include "helpdesk/module.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "payments/module.hpp"
#include "payments/notice_cli.hpp"
#include "payments/simulate_node.hpp"
#include "platform/platform.hpp"
#include "preservation/module.hpp"
#include "preservation/verify.hpp"
#include "protocol/module.hpp"

namespace {

using cst::Config;
using cst::Platform;

std::vector<cst::Module> allModules() {
  // Domain modules are added here, one line each, as they are built.
  return {
      cst::helpdesk::makeModule(), cst::antivirus::makeModule(),    cst::payments::makeModule(),
      cst::protocol::makeModule(), cst::preservation::makeModule(),
  };
}

// Options shared by every verb that touches the database or the blob store.
struct CommonOptions {
  std::string config_file;
  std::string data_dir;
};

void addCommon(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--config", o.config_file, "TOML configuration file")->check(CLI::ExistingFile);
  cmd->add_option("--data", o.data_dir, "data directory (SQLite database and blob store)");
}

int fatal(const cst::Error& e) {
  // Name the argument or field first ("error: from: '2026-02-30' is not a calendar date"): a
  // bare message does not tell the operator which of several arguments was wrong.
  std::string head = e.detail;
  if (!e.fields.empty() && head.rfind(e.fields.front().field + ":", 0) != 0)
    head = e.fields.front().field + ": " + head;
  std::cerr << "error: " << head;
  for (const auto& f : e.fields)
    if (f.message != e.detail && head.find(f.field + ": " + f.message) == std::string::npos)
      std::cerr << " [" << f.field << ": " << f.message << "]";
  std::cerr << "\n";
  return e.code == cst::ErrorCode::kBadInput ? 2 : 1;
}

cst::Result<Config> loadFrom(const CommonOptions& o) {
  auto config = cst::loadConfig(o.config_file);
  if (config && !o.data_dir.empty()) config->data_dir = o.data_dir;
  return config;
}

cst::Result<std::unique_ptr<Platform>> openPlatform(const CommonOptions& o) {
  auto config = loadFrom(o);
  if (!config) return tl::unexpected(config.error());
  return Platform::open(std::move(*config), allModules());
}

// Resources (web UI, demo signatures) are looked up beside the executable first (installed
// layout: bin/../share/cst), then in the source tree it was built from.
std::filesystem::path resource(const std::string& rel) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (const auto& base :
       {exe.parent_path() / "../share/cst", std::filesystem::path(CST_SOURCE_DIR)})
    if (std::filesystem::exists(base / rel, ec))
      return std::filesystem::weakly_canonical(base / rel, ec);
  return {};
}

int serve(const CommonOptions& o, const std::string& listen, bool demo) {
  auto config = loadFrom(o);
  if (!config) return fatal(config.error());
  if (!listen.empty())
    if (auto s = cst::applyListen(*config, listen); !s) return fatal(s.error());
  if (demo) {
    // The demo lets a newcomer click through every role without an authenticator app, and scans
    // with the project's offline test signatures.
    config->totp_required_for_staff = false;
    if (config->clamd.empty())
      config->signatures_dir = resource("resources/clamav-testdb").string();
  }
  if (config->web_root.empty()) config->web_root = resource("web/dist").string();
  config->server.temp_dir = config->data_dir / "blobs" / "tmp";

  auto opened = Platform::open(*config, allModules());
  if (!opened) return fatal(opened.error());
  Platform& p = **opened;
  if (auto s = p.install(); !s) return fatal(s.error());
  std::vector<std::pair<std::string, std::string>> credentials;
  if (demo) {
    auto seeded = p.seedDemo();
    if (!seeded) return fatal(seeded.error());
    credentials = std::move(*seeded);
  }
  if (auto s = p.startScanner(); !s)
    spdlog::error("antivirus not available, uploads will be refused (503): {}", s.error().detail);
  p.scheduler->start();

  cst::http::StaticFiles web(p.config.web_root);
  cst::http::Server server(p.config.server, p.router, p.metrics,
                           cst::api::authenticationMiddleware(p),
                           [&web](cst::http::Request& req) { return web.serve(req); });
  auto port = server.bind();
  if (!port) return fatal(port.error());
  std::cout << "listening on http://" << p.config.server.host << ":" << *port << std::endl;
  std::cout << "database: " << p.db->describe() << "; web UI files: " << web.fileCount()
            << std::endl;
  if (demo) {
    std::cout << "\nDemo della Provincia di Cremona: credenziali (utente / password)\n";
    for (const auto& [user, password] : credentials)
      std::cout << "  " << user << " / " << password << "\n";
    std::cout << std::endl;
  }
  server.run();
  spdlog::info("server stopped; stopping jobs and scanner");
  p.scheduler->stop();
  if (p.clamd) p.clamd->stop();
  return 0;
}

int userAdd(const CommonOptions& o, const std::string& username, const std::string& role,
            const std::string& ente, const std::string& display_name, const std::string& email) {
  std::string password;
  std::getline(std::cin, password);
  nlohmann::json body{
      {"username", username},
      {"display_name", display_name.empty() ? username : display_name},
      {"password", password},
      {"grants",
       {{{"role", role}, {"ente", ente.empty() ? nlohmann::json() : nlohmann::json(ente)}}}}};
  if (!email.empty()) body["email"] = email;
  auto nu = cst::auth::newUserFromJson(body);
  if (!nu) return fatal(nu.error());
  auto p = openPlatform(o);
  if (!p) return fatal(p.error());
  cst::audit::Entry who;
  who.actor = "cli";
  who.request_id = "cli";
  auto u = (*p)->identity->createUser(*nu, nullptr, who);
  if (!u) return fatal(u.error());
  std::cout << "user " << u->username << " created (id " << u->id << ")\n";
  return 0;
}

int enteAdd(const CommonOptions& o) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return fatal(cst::Error::badInput("stdin", "a JSON object is required"));
  auto ente = cst::enti::enteFromJson(body);
  if (!ente) return fatal(ente.error());
  auto p = openPlatform(o);
  if (!p) return fatal(p.error());
  cst::audit::Entry who;
  who.actor = "cli";
  who.request_id = "cli";
  auto created = (*p)->enti->create(*ente, who);
  if (!created) return fatal(created.error());
  std::cout << "ente " << created->istat << " " << created->name << " registered\n";
  return 0;
}

int auditVerify(const CommonOptions& o) {
  auto p = openPlatform(o);
  if (!p) return fatal(p.error());
  auto report = cst::audit::verify(*(*p)->db);
  if (!report) return fatal(report.error());
  if (report->intact) {
    std::cout << "audit log intact: " << report->checked << " entries verified\n";
    return 0;
  }
  std::cout << "audit log BROKEN at entry " << report->first_bad_seq.value_or(0) << ": "
            << report->problem << "\n";
  return 3;
}

cst::Result<cst::calendar::CalendarConfig> calendarFor(const CommonOptions& o,
                                                       const std::string& ente) {
  if (ente.empty()) return cst::calendar::CalendarConfig{};
  auto p = openPlatform(o);
  if (!p) return tl::unexpected(p.error());
  auto e = (*p)->enti->get(ente);
  if (!e) return tl::unexpected(e.error());
  return cst::enti::calendarConfig(*e);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cst: the platform of a Centro Servizi Territoriale"};
  app.set_version_flag("--version", std::string("cst ") + cst::platformVersion());
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("CST_LOG_LEVEL");

  CommonOptions common;
  auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP server, the jobs and the scanner");
  addCommon(serve_cmd, common);
  std::string listen;
  bool demo = false;
  serve_cmd->add_option("--listen", listen,
                        "HOST:PORT (default 127.0.0.1:8080; port 0 = any free port)");
  serve_cmd->add_flag("--demo", demo, "seed the Provincia di Cremona demo data and users");

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  addCommon(migrate_cmd, common);

  auto* user_cmd = app.add_subcommand("user", "Manage users");
  user_cmd->require_subcommand(1);
  auto* user_add =
      user_cmd->add_subcommand("add", "Create a user; the password is read from stdin");
  addCommon(user_add, common);
  std::string username, role, ente, display_name, email;
  bool password_stdin = false;
  user_add->add_option("--username", username, "login name")->required();
  user_add
      ->add_option("--role", role,
                   "cst_admin, cst_agent, committee, ente_admin, ente_operator, police, "
                   "professional, citizen, auditor, agent")
      ->required();
  user_add->add_option("--ente", ente, "ISTAT code of the ente (not for CST-wide roles)");
  user_add->add_option("--display-name", display_name, "full name");
  user_add->add_option("--email", email, "e-mail address");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input")
      ->required();

  auto* audit_cmd = app.add_subcommand("audit", "Audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "Verify the hash chain; exit 0 when intact, 3 when broken");
  addCommon(audit_verify, common);

  auto* ente_cmd = app.add_subcommand("ente", "The enti registry");
  ente_cmd->require_subcommand(1);
  auto* ente_list =
      ente_cmd->add_subcommand("list", "List the enti (tab-separated: ISTAT, name, population)");
  addCommon(ente_list, common);
  auto* ente_add = ente_cmd->add_subcommand(
      "add", "Register an ente from a JSON object on stdin (fields as in POST /api/v1/enti)");
  addCommon(ente_add, common);

  auto* helpdesk_cmd = app.add_subcommand("helpdesk", "Call center unico (service desk)");
  helpdesk_cmd->require_subcommand(1);
  std::string mail_ente;
  auto* mail_in = helpdesk_cmd->add_subcommand(
      "mail-in",
      "Read one e-mail (RFC 5322) on stdin, as a mail server pipes it: a new ticket, or a reply "
      "when the subject names one. Exit codes as sysexits.h: 0 delivered, 65 refused, 67 no "
      "ente for an unknown sender, 75 try again later");
  mail_in->add_option("--ente", mail_ente, "ISTAT code of the ente for senders without an account");
  addCommon(mail_in, common);

  auto* av_cmd = app.add_subcommand("av", "Antivirus aggiornato: scans and endpoint reports");
  av_cmd->require_subcommand(1);
  cst::antivirus::ScanCommand av_scan_opt;
  cst::antivirus::ReportCommand av_report_opt;
  auto* av_scan = av_cmd->add_subcommand(
      "scan",
      "Have files checked by a CST server (POST /api/v1/antivirus/scan). Prints FILE: OK, "
      "FILE: <signature> FOUND or FILE: ERROR <why>; exit 0 all clean, 1 something found, 2 an "
      "error");
  av_scan->add_option("files", av_scan_opt.files, "files to scan")
      ->required()
      ->check(CLI::ExistingFile);
  av_scan->add_option("--server", av_scan_opt.server, "CST server URL, e.g. https://cst.example")
      ->required();
  av_scan->add_option("--token", av_scan_opt.token, "API token (or CST_TOKEN)")
      ->envname("CST_TOKEN")
      ->required();
  av_scan->add_option("--ente", av_scan_opt.ente, "ISTAT code of the ente the files belong to")
      ->required();
  auto* av_report = av_cmd->add_subcommand(
      "report",
      "Post this machine's antivirus state (clamd VERSION or clamscan --version, host name, OS) "
      "to the endpoint console with an agent token; exit 0 sent, 1 refused, 2 unreachable");
  av_report->add_option("--server", av_report_opt.server, "CST server URL")->required();
  av_report->add_option("--token", av_report_opt.token, "agent token (or CST_TOKEN)")
      ->envname("CST_TOKEN");
  av_report
      ->add_option("--clamd", av_report_opt.clamd,
                   "local clamd socket: unix:/path or tcp:host:port")
      ->capture_default_str();
  av_report
      ->add_option("--clamscan", av_report_opt.clamscan,
                   "clamscan executable, asked when clamd does not answer")
      ->capture_default_str();
  av_report->add_option("--last-scan", av_report_opt.last_scan,
                        "end of the last full scan, RFC 3339");
  av_report->add_option("--detections", av_report_opt.detections, "threats found so far");
  av_report->add_flag("--dry-run", av_report_opt.dry_run, "print the report, do not send it");

  auto* pay_cmd = app.add_subcommand("payments", "Pagamenti online (pagoPA)");
  pay_cmd->require_subcommand(1);
  std::string nav_text;
  auto* pay_nav = pay_cmd->add_subcommand(
      "nav",
      "Check a notice number (numero avviso, 18 digits; spaces ignored): prints valid or invalid "
      "and its parts (aux digit, segregation or application code, IUV, check digit); exit 0 "
      "valid, 1 invalid");
  pay_nav->add_option("--check", nav_text, "the notice number")->required();
  cst::payments::SimulateNodeOptions sim;
  auto* pay_sim = pay_cmd->add_subcommand(
      "simulate-node",
      "For the demo and tests: play the pagoPA node and a PSP against a running server's SOAP "
      "interface (paVerifyPaymentNotice, paGetPaymentV2, paSendRTV2) to pay a notice; exit 0 "
      "paid, 1 refused (fault printed), 2 unreachable");
  pay_sim->add_option("--server", sim.server, "the server's base URL")->capture_default_str();
  pay_sim
      ->add_option("--fiscal-code", sim.creditor_fiscal_code,
                   "the creditor's fiscal code (idPA), as on the notice")
      ->required();
  pay_sim->add_option("--notice", sim.notice_number, "the notice number (18 digits)")->required();
  pay_sim->add_option("--broker", sim.broker_fiscal_code, "our intermediary's fiscal code")
      ->capture_default_str();
  pay_sim->add_option("--station", sim.station_id, "our station id")->capture_default_str();
  pay_sim->add_option("--receipt-id", sim.receipt_id,
                      "the receipt id to send (default: a new one; repeat one to see that a "
                      "second delivery changes nothing)");
  pay_sim->add_flag("--verify-only", sim.verify_only, "stop after paVerifyPaymentNotice");

  auto* cons_cmd = app.add_subcommand("conservazione", "Conservazione: offline checks");
  cons_cmd->require_subcommand(1);
  cst::preservation::VerifyCommand verify_opt;
  auto* cons_verify = cons_cmd->add_subcommand(
      "verify",
      "Check a DIP (GET /api/v1/preservation/aips/{id}/dip) offline: the SInCRO index, every "
      "file's SHA-256, no file outside the index, the CAdES signature, the RFC 3161 time-stamp. "
      "One line per check; exit 0 intact, 1 something failed (named), 2 unreadable");
  cons_verify->add_option("dip", verify_opt.dip, "the DIP zip file")->required();
  cons_verify->add_option("--seal-certificate", verify_opt.seal_certificate,
                          "PEM certificate to trust for the signature, obtained independently "
                          "(default: the one in the DIP, which proves integrity, not origin)");
  cons_verify->add_option("--tsa-certificate", verify_opt.tsa_certificate,
                          "PEM certificate of the TSA to trust (default: the one in the DIP)");

  auto* cal_cmd =
      app.add_subcommand("calendar", "Italian working-day calendar and legal deadlines");
  cal_cmd->require_subcommand(1);
  int year = 0, days = 0;
  std::string from, hours_text, opening = "mon-fri 08:30-13:00,14:00-17:30";
  auto* cal_hol = cal_cmd->add_subcommand("holidays", "Holidays of a year, one ISO date per line");
  cal_hol->add_option("--year", year, "year")->required()->check(CLI::Range(1583, 9999));
  auto* cal_dead =
      cal_cmd->add_subcommand("deadline", "Legal deadline: N calendar days, moved off holidays");
  cal_dead->add_option("--from", from, "start date YYYY-MM-DD (the day itself is not counted)")
      ->required();
  cal_dead->add_option("--days", days, "number of days")->required()->check(CLI::Range(0, 36500));
  auto* cal_hours = cal_cmd->add_subcommand("add-hours", "Add business hours within opening hours");
  cal_hours->add_option("--from", from, "start YYYY-MM-DDTHH:MM (Europe/Rome) or RFC 3339")
      ->required();
  cal_hours->add_option("--hours", hours_text, "business hours to add (e.g. 4 or 1.5)")->required();
  cal_hours->add_option("--opening-hours", opening,
                        "opening hours, e.g. \"mon-fri 08:30-13:00,14:00-17:30\"");
  for (auto* c : {cal_hol, cal_dead, cal_hours}) {
    c->add_option("--ente", ente, "ISTAT code: adds the ente's patron saint");
    addCommon(c, common);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, as shells and sysexits-style tools
    // expect (CLI11's own codes, 105 and up, mean nothing to a script).
    const int printed = app.exit(e);
    return printed == 0 ? 0 : 2;
  }
  // Logs go to stderr: stdout carries only a verb's results (the calendar prints ISO dates).
  spdlog::set_default_logger(spdlog::stderr_color_mt("cst"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (serve_cmd->parsed()) {
    // The config file's [log] level applies unless --log-level or CST_LOG_LEVEL said otherwise.
    if (app.get_option("--log-level")->count() == 0)
      if (auto c = cst::loadConfig(common.config_file))
        spdlog::set_level(spdlog::level::from_str(c->log_level));
    return serve(common, listen, demo);
  }
  if (migrate_cmd->parsed()) {
    auto p = openPlatform(common);
    if (!p) return fatal(p.error());
    std::cout << "database up to date: " << (*p)->db->describe() << "\n";
    return 0;
  }
  if (user_add->parsed()) return userAdd(common, username, role, ente, display_name, email);
  if (audit_verify->parsed()) return auditVerify(common);
  if (ente_list->parsed()) {
    auto p = openPlatform(common);
    if (!p) return fatal(p.error());
    auto page = (*p)->enti->list(true, {}, std::nullopt, std::nullopt, 10000);
    if (!page) return fatal(page.error());
    for (const auto& e : page->items)
      std::cout << e.istat << "\t" << e.name << "\t" << e.population << "\n";
    return 0;
  }
  if (ente_add->parsed()) return enteAdd(common);
  if (mail_in->parsed()) {
    const std::string raw((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
    auto p = openPlatform(common);
    if (!p) {
      std::cerr << "temporaneamente non recapitabile: " << p.error().detail << "\n";
      return 75;  // EX_TEMPFAIL: the mail server keeps the message and retries
    }
    cst::helpdesk::MailInOptions options;
    if (!mail_ente.empty()) options.ente = mail_ente;
    const auto report = cst::helpdesk::mailIn(**p, raw, options);
    (report.exit_code == 0 ? std::cout : std::cerr) << report.message << "\n";
    return report.exit_code;
  }
  if (av_scan->parsed()) return cst::antivirus::scanFiles(av_scan_opt, std::cout, std::cerr);
  if (cons_verify->parsed())
    return cst::preservation::verifyDipFile(verify_opt, std::cout, std::cerr);
  if (av_report->parsed()) {
    if (av_report_opt.token.empty() && !av_report_opt.dry_run)
      return fatal(cst::Error::badInput("--token", "token dell'agente obbligatorio (o CST_TOKEN)"));
    return cst::antivirus::reportEndpoint(av_report_opt, std::cout, std::cerr);
  }
  if (pay_nav->parsed()) return cst::payments::checkNoticeNumber(nav_text, std::cout, std::cerr);
  if (pay_sim->parsed()) return cst::payments::simulateNode(sim, std::cout, std::cerr);
  if (cal_hol->parsed() || cal_dead->parsed() || cal_hours->parsed()) {
    auto cfg = calendarFor(common, ente);
    if (!cfg) return fatal(cfg.error());
    namespace cal = cst::calendar;
    if (cal_hol->parsed()) {
      for (const auto& h : cal::holidays(std::chrono::year{year}, *cfg))
        std::cout << cal::formatDate(h.date) << "\n";
      return 0;
    }
    if (cal_dead->parsed()) {
      auto start = cal::parseDate(from, "from");
      if (!start) return fatal(start.error());
      std::cout << cal::formatDate(cal::legalDeadline(*start, days, *cfg)) << "\n";
      return 0;
    }
    auto start = cal::parseDateTime(from, "from");
    if (!start) return fatal(start.error());
    auto oh = cal::OpeningHours::parse(opening, "opening-hours");
    if (!oh) return fatal(oh.error());
    double hours = -1;
    try {
      std::size_t used = 0;
      hours = std::stod(hours_text, &used);
      if (used != hours_text.size()) hours = -1;
    } catch (...) {
    }
    if (!(hours >= 0) || hours > 100000)
      return fatal(cst::Error::badInput("hours", "a non-negative number of hours"));
    const auto minutes = std::chrono::minutes(static_cast<long>(std::lround(hours * 60)));
    std::cout << cal::formatRome(cal::addBusinessHours(*start, minutes, *oh, *cfg)) << "\n";
    return 0;
  }
  return 0;
}
