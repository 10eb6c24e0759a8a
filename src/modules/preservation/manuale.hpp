#pragma once
// The manuale di conservazione (reference §1.5, items a–l), generated from what the service is
// actually configured to do: the formats it accepts, the metadata it requires, its copies, seal,
// TSA, audit cycle and, for an ente, its retention table. A document the ente adopts and publishes
// in "Amministrazione trasparente"; it changes when the configuration does, and says so by its
// version (the SHA-256 of its facts).
#include <optional>
#include <string>
#include <vector>

#include "disposal.hpp"
#include "format.hpp"

namespace cst::preservation {

// A certificate as the manual describes it.
struct CertificateFacts {
  std::string subject, issuer, not_before, not_after, sha256;
};
CertificateFacts certificateFacts(const std::string& pem);

struct ManualeFacts {
  std::string generated_at;                     // UTC
  std::string version;                          // cst's
  std::string ente_istat, ente_name, ente_ipa;  // empty: the CST's general manual
  std::vector<FileFormat> formats;
  std::size_t copies = 2;
  std::string database;  // "SQLite", "PostgreSQL"
  int fixity_cycle_days = 0;
  std::string fixity_schedule;
  CertificateFacts seal, tsa;
  std::string tsa_name;  // "local" or the URL
  bool tsa_qualified = false;
  std::optional<std::vector<RetentionRule>> retention;  // an ente's manual only
};

// The manual as an HTML document (Italian), printable; every value from `f` escaped.
std::string manualeHtml(const ManualeFacts& f);

}  // namespace cst::preservation
