#include "common/fiscal_code.hpp"

#include <algorithm>
#include <array>

namespace cst {

namespace {
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

std::string asciiUpper(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

char codiceFiscaleCheckLetter(std::string_view first15) {
  static constexpr std::array<int, 26> kOdd{1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                            20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (std::size_t i = 0; i < first15.size(); ++i) {
    const char c = first15[i];
    const int v = isDigit(c) ? c - '0' : c - 'A';
    sum += i % 2 == 0 ? kOdd[static_cast<std::size_t>(v)] : v;
  }
  return static_cast<char>('A' + sum % 26);
}

Status checkPersonalFiscalCode(std::string_view cf, const std::string& field) {
  if (cf.size() != 16)
    return failField(field, "il codice fiscale di una persona è di 16 caratteri");
  // Positions of the digits (year, day, place number); omocodia may write them as L..V.
  static constexpr std::array<std::size_t, 7> kDigitPlaces{6, 7, 9, 10, 12, 13, 14};
  static constexpr std::string_view kOmocodia = "LMNPQRSTUV";
  bool shape = std::all_of(cf.begin(), cf.begin() + 6, isUpper) && isUpper(cf[8]) &&
               isUpper(cf[11]) && isUpper(cf[15]) &&
               std::string_view("ABCDEHLMPRST").find(cf[8]) != std::string_view::npos;
  for (std::size_t i : kDigitPlaces)
    shape = shape && (isDigit(cf[i]) || kOmocodia.find(cf[i]) != std::string_view::npos);
  if (!shape)
    return failField(field,
                     "codice fiscale non valido: 6 lettere, anno, lettera del mese, giorno, "
                     "codice del comune e carattere di controllo");
  if (codiceFiscaleCheckLetter(cf.substr(0, 15)) != cf[15])
    return failField(field, "codice fiscale non valido: carattere di controllo errato");
  return {};
}

}  // namespace cst
