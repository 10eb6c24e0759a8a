#pragma once
// SIP envelopes for the tests: a documento amministrativo informatico of a Comune, the daily
// protocol register of 26 November 2026 of Cremona (or of another ente's code) as the intake
// builds it: its PDF as primary document (kRegisterPdf) and its JSON as attachment
// (kRegisterJson).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/crypto.hpp"
#include "pdf/pdfa.hpp"
#include "protocol_intake.hpp"
#include "testkit/http_client.hpp"
#include "testkit/pdf_facts.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {

inline const std::string kRegisterPdf = "registro-giornaliero-019036-2026-11-26.pdf";
inline const std::string kRegisterJson = "registro-giornaliero-019036-2026-11-26.json";

inline nlohmann::json daiEnvelope(const std::string& ente, const std::string& pdf_sha256,
                                  const std::string& json_sha256) {
  protocol::DailyRegisterProduced d;
  d.ente = ente;
  d.day = "2026-11-26";
  d.produced_at = "2026-11-26T23:05:00.000Z";
  d.pdf_sha256 = pdf_sha256;
  d.json_sha256 = json_sha256;
  const nlohmann::json content{{"ipa_code", "c_d150"},
                               {"aoo_code", "AOO_CR"},
                               {"aoo_name", "Area organizzativa omogenea del Comune di Cremona"},
                               {"aoo_pec", "protocollo@pec.comune-cremona.example"},
                               {"registry_code", "PG"}};
  nlohmann::json e = preservation::dailyRegisterEnvelope(d, content, "Comune di Cremona");
  // The names the tests send, whatever the ente.
  e["documenti"][0]["nome"] = kRegisterPdf;
  e["documenti"][1]["nome"] = kRegisterJson;
  return e;
}

// Where copy `copy` (1-based) of the server keeps the object `sha256` (blob/blob_store.hpp).
inline std::filesystem::path objectInCopy(const ServerProcess& server, int copy,
                                          const std::string& sha256) {
  return server.dataDir() / "conservazione" / ("copia-" + std::to_string(copy)) / "objects" /
         sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

// A file part of a SIP (or the "metadata" part, without a file name).
struct SipPart {
  std::string name, filename, content_type, bytes;
};

// The parts as a multipart/form-data body (RFC 7578) with this boundary.
inline std::string multipartBody(const std::vector<SipPart>& parts, const std::string& boundary) {
  std::string body;
  for (const SipPart& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
    body += "\r\nContent-Type: " + p.content_type + "\r\n\r\n" + p.bytes + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

// POST /api/v1/preservation/sips of the envelope and the file parts.
inline HttpResponse offerSip(HttpClient& c, const nlohmann::json& envelope,
                             const std::vector<SipPart>& files) {
  std::vector<SipPart> parts{{"metadata", "", "application/json", envelope.dump()}};
  parts.insert(parts.end(), files.begin(), files.end());
  return c.request("POST", "/api/v1/preservation/sips", multipartBody(parts, "cst-sip-boundary"),
                   "multipart/form-data; boundary=cst-sip-boundary");
}

// A one-page PDF/A-2b saying `line`, as the daily protocol register is kept.
inline std::string pdfA(const std::string& line) {
  auto a = pdf::toPdfA2b(onePagePdf(line), pdf::PdfAOptions{});
  EXPECT_TRUE(a.has_value()) << a.error().detail;
  return a ? *a : "";
}

// A new daily register of `ente` (a PDF/A-2b whose line is `line`, unique unless given, and its
// JSON) offered as a SIP: the id of its AIP, empty (and a test failure) if refused.
inline std::string offerRegisterAip(HttpClient& c, const std::string& ente, std::string line = "") {
  if (line.empty()) line = "Registro giornaliero " + randomToken(6);
  const std::string pdf = pdfA(line);
  const std::string json_form = "{\"registrazioni\": [\"" + line + "\"]}";
  auto r = offerSip(c, daiEnvelope(ente, sha256Hex(pdf), sha256Hex(json_form)),
                    {{"documento", kRegisterPdf, "application/pdf", pdf},
                     {"documento", kRegisterJson, "application/json", json_form}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json().value("aip_id", "") : "";
}

}  // namespace cst::testkit
