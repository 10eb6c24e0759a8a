#pragma once
// The command-line side of the antivirus service, for a Comune's machines: `cst av scan` (files
// checked by a CST server) and `cst av report` (this machine's antivirus state posted to the
// endpoint console). Both talk HTTP to a running `cst serve` with a token; neither opens a
// database.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cst::antivirus {

struct ScanCommand {
  std::string server;  // https://cst.example
  std::string token;
  std::string ente;  // ISTAT code the scans are for
  std::vector<std::filesystem::path> files;
};
// One line per file on `out`, like clamdscan: "FILE: OK", "FILE: <signature> FOUND",
// "FILE: ERROR <why>". Exit code: 0 all clean, 1 something found, 2 an error (also when a file
// was found and another failed: an error hides what was not checked).
int scanFiles(const ScanCommand& cmd, std::ostream& out, std::ostream& err);

struct ReportCommand {
  std::string server;
  std::string token;
  std::string clamd = "unix:/var/run/clamav/clamd.ctl";  // Debian's clamd socket
  std::string clamscan = "clamscan";     // asked for its version when clamd does not answer
  std::optional<std::string> last_scan;  // RFC 3339, when the caller knows it
  std::optional<std::int64_t> detections;
  bool dry_run = false;  // print the report, do not send it
};
// This machine's facts as the report body: hostname, os (/etc/os-release), product, engine and
// signature version and date (clamd VERSION, else `clamscan --version`).
nlohmann::json gatherReport(const ReportCommand& cmd);
// Posts the report; prints the endpoint's status as the console sees it. Exit code: 0 sent,
// 1 refused by the server, 2 server unreachable or bad arguments.
int reportEndpoint(const ReportCommand& cmd, std::ostream& out, std::ostream& err);

}  // namespace cst::antivirus
