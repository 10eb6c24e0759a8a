#pragma once
// The protocol's daily registers go into preservation by themselves (AgID guidelines: the
// registro giornaliero di protocollo is sent to preservation by the next working day). A job
// offers each register the protocol module stored and this one has not yet taken, in the order
// they were stored, as a SIP of a documento amministrativo informatico: the PDF/A as primary
// document, the JSON as attachment. A register is ingested once (source "protocol.daily_register",
// its sequence as reference); the job's cursor moves past each register that got a receipt.
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "protocol/api.hpp"

namespace cst {
class Platform;
}

namespace cst::preservation {

class Service;

// The SIP envelope of one daily register (`content`: the register's JSON form).
nlohmann::json dailyRegisterEnvelope(const protocol::DailyRegisterProduced& d,
                                     const nlohmann::json& content, const std::string& ente_name);

// Offers every register stored after the cursor; how many got a receipt.
Result<int> ingestDailyRegisters(Platform& p, Service& service);

}  // namespace cst::preservation
