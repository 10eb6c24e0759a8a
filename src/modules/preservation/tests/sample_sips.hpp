#pragma once
// SIP envelopes for the tests: a documento amministrativo informatico of a Comune, the daily
// protocol register of 26 November 2026 of Cremona (or of another ente's code) as the intake
// builds it: its PDF as primary document (kRegisterPdf) and its JSON as attachment
// (kRegisterJson).
#include <nlohmann/json.hpp>
#include <string>

#include "protocol_intake.hpp"

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

}  // namespace cst::testkit
