#pragma once
// `cst conservazione verify DIP.zip`: checks a DIP offline (docs/preservation.md) and prints one
// line per check, "OK ..." or "ERRORE ...". Exit code: 0 everything holds, 1 something failed
// (named), 2 the DIP or a certificate file could not be read.
#include <ostream>
#include <string>

namespace cst::preservation {

struct VerifyCommand {
  std::string dip;               // the zip file
  std::string seal_certificate;  // PEM file to trust for the index's signature; empty: the DIP's
  std::string tsa_certificate;   // PEM file to trust for the time-stamp; empty: the DIP's
};

int verifyDipFile(const VerifyCommand& cmd, std::ostream& out, std::ostream& err);

}  // namespace cst::preservation
