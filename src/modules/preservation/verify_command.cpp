#include <fstream>
#include <sstream>

#include "dip.hpp"
#include "preservation/verify.hpp"
#include "zip_file.hpp"

namespace cst::preservation {

namespace {
bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}
}  // namespace

int verifyDipFile(const VerifyCommand& cmd, std::ostream& out, std::ostream& err) {
  std::string zip, seal, tsa;
  if (!readFile(cmd.dip, zip)) {
    err << cmd.dip << ": non leggibile\n";
    return 2;
  }
  for (auto [path, target] :
       {std::pair{&cmd.seal_certificate, &seal}, std::pair{&cmd.tsa_certificate, &tsa}})
    if (!path->empty() && !readFile(*path, *target)) {
      err << *path << ": non leggibile\n";
      return 2;
    }
  auto entries = readZip(zip);
  if (!entries) {
    err << cmd.dip << ": " << entries.error().detail << "\n";
    return 2;
  }
  const DipReport r = verifyDip(*entries, seal, tsa);
  for (const std::string& line : r.passed) out << "OK      " << line << "\n";
  for (const std::string& line : r.failed) out << "ERRORE  " << line << "\n";
  out << (r.failed.empty() ? "DIP integro"
                           : "DIP NON integro: " + std::to_string(r.failed.size()) + " errori")
      << "\n";
  return r.failed.empty() ? 0 : 1;
}

}  // namespace cst::preservation
