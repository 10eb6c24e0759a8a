#pragma once
// What other modules may ask of the service desk: monitoring tickets. A module that watches
// something (backups, cameras, antivirus endpoints) raises an alert for a condition; the desk opens
// one ticket per open condition, however often the alert is raised, and notes the recovery.
// Obtain it with `platform.interfaces.find<helpdesk::MonitoringDesk>()`; null when the helpdesk
// module is not installed (then record the event in your own module only).
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace cst::helpdesk {

struct MonitoringAlert {
  std::string ente;     // ISTAT code of the ente concerned
  std::string source;   // the raising module: "backup", "video", "antivirus"
  std::string key;      // the condition within the source: "repo:cremona-server:missed"
  std::string subject;  // Italian, for the ticket: "Backup mancato: server del Comune"
  std::string detail;   // Italian: what was observed and when
  int urgency = 3;      // 1..5, as for any ticket
  int impact = 3;
};

struct MonitoringRecovery {
  std::string ente, source, key;
  std::string note;   // Italian: what was observed
  bool solve = true;  // also mark the ticket solved
};

class MonitoringDesk {
 public:
  virtual ~MonitoringDesk() = default;
  // The id of the open ticket for the condition: a new one, or the one already open (nothing is
  // added to it). Errors: kBadInput naming the field, kNotFound for an unknown ente.
  virtual Result<std::int64_t> raise(const MonitoringAlert& alert) = 0;
  // Adds the recovery to the open ticket of the condition (and solves it when asked); nullopt when
  // no ticket is open for it.
  virtual Result<std::optional<std::int64_t>> recover(const MonitoringRecovery& recovery) = 0;
};

}  // namespace cst::helpdesk
