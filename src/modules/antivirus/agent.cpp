// `cst av scan` and `cst av report`: HTTP clients of a CST server.
#include "antivirus/agent.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "http/client.hpp"
#include "model.hpp"
#include "scan/clamd_scanner.hpp"

namespace cst::antivirus {

using nlohmann::json;

namespace {

std::string trimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The problem's detail, or the status and the start of the body when it is not problem+json.
std::string problemText(const http::ClientResponse& r) {
  const json body = json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string())
    return body["detail"].get<std::string>();
  return "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
}

std::string osName() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    std::string v = line.substr(12);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
    return v;
  }
  return "Linux";
}

// `clamscan --version`: the same "ClamAV 1.4.6/27001/<date>" as clamd's VERSION.
std::optional<std::string> clamscanVersion(const std::string& binary) {
  const std::string command = "'" + binary + "' --version 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return std::nullopt;
  char line[512] = "";
  if (!std::fgets(line, sizeof line, pipe.get())) return std::nullopt;
  std::string out(line);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? std::nullopt : std::optional(out);
}

}  // namespace

int scanFiles(const ScanCommand& cmd, std::ostream& out, std::ostream& err) {
  if (cmd.files.empty()) {
    err << "error: nessun file da analizzare\n";
    return 2;
  }
  int code = 0;
  http::Client client;  // one connection for all the files
  for (const auto& file : cmd.files) {
    http::ClientRequest req;
    req.method = "POST";
    req.url = trimSlash(cmd.server) + "/api/v1/antivirus/scan?ente=" + http::urlEncode(cmd.ente) +
              "&filename=" + http::urlEncode(file.filename().string());
    req.bearer_token = cmd.token;
    req.content_type = "application/octet-stream";
    req.body_file = file;
    auto r = client.send(req);
    if (!r) {
      out << file.string() << ": ERROR " << r.error().detail << "\n";
      code = 2;
      continue;
    }
    const json body = json::parse(r->body, nullptr, false);
    if (r->status != 200 || !body.is_object() || !body.contains("verdict")) {
      out << file.string() << ": ERROR " << problemText(*r) << "\n";
      code = 2;
      continue;
    }
    const std::string verdict = body.value("verdict", "");
    if (verdict == "clean") {
      out << file.string() << ": OK\n";
    } else if (verdict == "infected") {
      out << file.string() << ": " << body.value("signature", "") << " FOUND\n";
      if (code == 0) code = 1;
    } else {
      out << file.string() << ": ERROR " << body.value("reason", "non analizzato") << "\n";
      code = 2;
    }
  }
  return code;
}

json gatherReport(const ReportCommand& cmd) {
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  json report{{"hostname", std::string(host)}, {"os", osName()}};
  std::optional<scan::EngineInfo> info;
  if (auto scanner = scan::ClamdScanner::create({cmd.clamd}))
    if (auto i = (*scanner)->engineInfo()) info = *i;
  if (!info)
    if (auto line = clamscanVersion(cmd.clamscan))
      if (auto i = scan::parseVersionReply(*line)) info = *i;
  if (info) {
    report["product"] = "ClamAV";
    report["engine_version"] = info->engine_version;
    if (info->signature_version)
      report["signature_version"] = std::to_string(*info->signature_version);
    if (info->signature_date)
      if (auto when = parseClamdDate(*info->signature_date))
        report["signature_updated_at"] = formatTimestamp(*when);
  }
  if (cmd.last_scan) report["last_full_scan_at"] = *cmd.last_scan;
  if (cmd.detections) report["detections"] = *cmd.detections;
  return report;
}

int reportEndpoint(const ReportCommand& cmd, std::ostream& out, std::ostream& err) {
  const json report = gatherReport(cmd);
  if (cmd.dry_run) {
    out << report.dump(2) << "\n";
    return 0;
  }
  http::ClientRequest req;
  req.method = "POST";
  req.url = trimSlash(cmd.server) + "/api/v1/antivirus/endpoints/report";
  req.bearer_token = cmd.token;
  req.content_type = "application/json";
  req.body = report.dump();
  req.timeout = std::chrono::seconds(60);
  auto r = http::send(req);
  if (!r) {
    err << "error: " << r.error().detail << "\n";
    return 2;
  }
  if (r->status != 200) {
    err << "error: " << problemText(*r) << "\n";
    return 1;
  }
  const json body = json::parse(r->body, nullptr, false);
  out << report.value("hostname", "") << ": "
      << (body.is_object() ? body.value("status", "?") : "?") << "\n";
  return 0;
}

}  // namespace cst::antivirus
