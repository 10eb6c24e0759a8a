#pragma once
// `cst payments simulate-node`: plays the pagoPA node and a PSP against a running server's SOAP
// interface (verify, get payment, receipt), so that a demo notice can be "paid" end to end. For
// the demo and the tests only: the real node is PagoPA's.
#include <ostream>
#include <string>

namespace cst::payments {

struct SimulateNodeOptions {
  std::string server = "http://127.0.0.1:8080";
  std::string creditor_fiscal_code;  // the notice's creditor (idPA, qrCode.fiscalCode)
  std::string notice_number;         // spaces ignored
  // Our intermediary and station as registered (the demo's by default).
  std::string broker_fiscal_code = "80002130195";
  std::string station_id = "80002130195_01";
  std::string receipt_id;  // empty: a new one (give one to show that a repeat changes nothing)
  bool verify_only = false;
};

// Prints each step; exit code 0 when the payment was recorded (or verified, with verify_only), 1
// when the interface answered KO (the fault is printed), 2 when it could not be reached.
int simulateNode(const SimulateNodeOptions& o, std::ostream& out, std::ostream& err);

}  // namespace cst::payments
