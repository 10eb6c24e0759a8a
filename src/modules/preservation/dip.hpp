#pragma once
// The DIP (pacchetto di distribuzione) of an AIP, and its offline verification. The DIP is a zip
// with every file of the package at its path (documenti/..., metadati.json, indice.xml,
// indice.xml.p7s, indice.xml.p7s.tsr), the certificates a verifier needs (certificati/
// sigillo.pem: the seal that signed the index; certificati/tsa.pem: the time-stamping
// authority's) and LEGGIMI.txt saying how to check it with standard tools.
#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "copies.hpp"
#include "model.hpp"

namespace cst::preservation {

inline constexpr const char* kSealCertificatePath = "certificati/sigillo.pem";
inline constexpr const char* kTsaCertificatePath = "certificati/tsa.pem";

// Writes the AIP's DIP to `out`, each file streamed from an intact copy.
Status writeDip(const std::filesystem::path& out, const Aip& aip, const Copies& copies,
                const std::string& seal_pem, const std::string& tsa_pem);

struct DipReport {
  std::vector<std::string> passed;  // what was checked and holds, in Italian
  std::vector<std::string> failed;  // what does not, naming the file
  std::string time;                 // the time-stamp's genTime, when it verified
};

// Checks a DIP's entries offline: the index's structure, every file it lists present with its
// SHA-256, no file outside the index, the CAdES signature of the index, the time-stamp over the
// signature. The certificates trusted are `seal_pem` / `tsa_pem` when given (obtained
// independently: the only proof of origin), else those inside the DIP (which prove integrity,
// not origin: the report says so).
DipReport verifyDip(const std::map<std::string, std::string>& entries, const std::string& seal_pem,
                    const std::string& tsa_pem);

}  // namespace cst::preservation
