#pragma once
// The daily register's two files (registro giornaliero di protocollo, DPR 445/2000 art. 53 c.2):
// every registration of one Rome day in number order, then the annulments made that day (of that
// day's registrations or earlier ones), as a PDF to read and print and as JSON for machines (and
// preservation). No I/O.
#include <string>
#include <vector>

#include "common/result.hpp"
#include "model.hpp"
#include "segnatura.hpp"

namespace cst::protocol {

struct DailyRegisterContent {
  AooIdentity who;
  std::string day;                          // YYYY-MM-DD, Europe/Rome
  std::string produced_at;                  // UTC
  std::vector<Registration> registrations;  // with their documents, in number order
  std::vector<Registration> annulled;       // annulled that day, in annulment order
};

// The machine-readable form (format "cst-registro-giornaliero/1", docs/protocol.md).
std::string dailyRegisterJson(const DailyRegisterContent& c);

// The PDF: A4 landscape, a table row per registration (long texts cut with "…"), the column
// titles on every page, then the annulments.
Result<std::string> dailyRegisterPdf(const DailyRegisterContent& c);

}  // namespace cst::protocol
