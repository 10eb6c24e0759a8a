#pragma once
// The enti that in-process tests register (tests through `cst serve --demo` get them from the
// demo instead): the Province of Cremona and two of its Comuni, with their ISTAT codes, fiscal
// codes, IPA and cadastral codes and rounded populations.
#include "enti/enti.hpp"

namespace cst::testkit {

inline enti::Ente provinciaDiCremona() {
  return {"019",        "Provincia di Cremona", "provincia", std::nullopt, "80002130195",
          std::nullopt, std::nullopt,           350000,      std::nullopt, {},
          std::nullopt};
}

inline enti::Ente comuneDiCremona() {
  return {"019036", "Cremona", "comune",     "019", "00297960197", "c_d150",
          "D150",   71000,     std::nullopt, {},    std::nullopt};
}

inline enti::Ente comuneDiCrema() {
  return {"019035", "Crema", "comune",     std::nullopt, "00111540191", "c_d142",
          "D142",   34000,   std::nullopt, {},           std::nullopt};
}

}  // namespace cst::testkit
