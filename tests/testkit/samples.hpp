#pragma once
// Test files shared by the suites.
#include <string>

namespace cst::testkit {

// The EICAR antivirus test file, assembled at run time so that no source file is itself a
// "virus" to the scanners of the machines that hold it.
inline std::string eicar() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-" +
         "FILE!$H+H*";
}

}  // namespace cst::testkit
