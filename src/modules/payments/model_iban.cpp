// IBANs (ISO 13616): the accounts a Comune's payments are credited to.
#include <algorithm>
#include <cctype>
#include <map>

#include "model.hpp"
#include "model_position.hpp"

namespace cst::payments {

namespace {

// IBAN lengths of the SEPA countries, from SWIFT's IBAN registry. A Comune's treasury account is
// Italian; the other SEPA countries are here so that a beneficiary abroad (a multi-beneficiary
// transfer) is checked by the same rule instead of being refused as unknown.
const std::map<std::string, std::size_t, std::less<>>& sepaLengths() {
  static const std::map<std::string, std::size_t, std::less<>> lengths{
      {"AD", 24}, {"AL", 28}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28},
      {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27},
      {"GB", 22}, {"GI", 23}, {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26},
      {"IT", 27}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
      {"ME", 22}, {"MK", 19}, {"MT", 31}, {"NL", 18}, {"NO", 15}, {"PL", 28}, {"PT", 25},
      {"RO", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"VA", 22},
  };
  return lengths;
}

bool isUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to the end, letters
// read as 10..35; streamed, so no big numbers.
int mod97(std::string_view iban) {
  int r = 0;
  auto feed = [&r](char c) {
    if (isDigit(c))
      r = (r * 10 + (c - '0')) % 97;
    else
      r = (r * 100 + (c - 'A' + 10)) % 97;
  };
  for (char c : iban.substr(4)) feed(c);
  for (char c : iban.substr(0, 4)) feed(c);
  return r;
}

// The Italian (and San Marino) BBAN: CIN letter, ABI 5 digits, CAB 5 digits, account 12.
bool italianBbanShape(std::string_view bban) {
  if (bban.size() != 23 || bban[0] < 'A' || bban[0] > 'Z') return false;
  return std::all_of(bban.begin() + 1, bban.begin() + 11, isDigit) &&
         std::all_of(bban.begin() + 11, bban.end(), isUpperAlnum);
}

}  // namespace

std::string normalizeIban(std::string_view text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Status checkIban(std::string_view iban, const std::string& field) {
  if (iban.empty()) return failField(field, "IBAN obbligatorio");
  if (!std::all_of(iban.begin(), iban.end(), isUpperAlnum))
    return failField(field, "l'IBAN contiene solo lettere e cifre");
  if (iban.size() < 4) return failField(field, "IBAN troppo corto");
  const std::string_view country = iban.substr(0, 2);
  const auto known = sepaLengths().find(country);
  if (known == sepaLengths().end())
    return failField(field, "paese " + std::string(country) + " non ammesso: IBAN dei paesi SEPA");
  if (iban.size() != known->second)
    return failField(field, "un IBAN " + std::string(country) + " è di " +
                                std::to_string(known->second) + " caratteri, non " +
                                std::to_string(iban.size()));
  if (!isDigit(iban[2]) || !isDigit(iban[3]))
    return failField(field, "dopo il paese l'IBAN ha 2 cifre di controllo");
  const bool italian_bban = country == "IT" || country == "SM";
  if (italian_bban && !italianBbanShape(iban.substr(4)))
    return failField(field,
                     "struttura dell'IBAN: CIN (una lettera), ABI (5 cifre), CAB (5 "
                     "cifre), conto (12 caratteri)");
  if (mod97(iban) != 1)
    return failField(field, "cifre di controllo errate: verificare l'IBAN (ISO 13616)");
  // The CIN is the check letter of ABI + CAB + account, by the codice fiscale's own rule.
  if (italian_bban && codiceFiscaleCheckLetter(iban.substr(5)) != iban[4])
    return failField(field, "carattere di controllo CIN errato: verificare l'IBAN");
  return {};
}

std::optional<ItalianIban> splitItalianIban(std::string_view iban) {
  if (iban.substr(0, 2) != "IT" || !checkIban(iban, "iban")) return std::nullopt;
  return ItalianIban{std::string(iban.substr(2, 2)), std::string(iban.substr(4, 1)),
                     std::string(iban.substr(5, 5)), std::string(iban.substr(10, 5)),
                     std::string(iban.substr(15, 12))};
}

}  // namespace cst::payments
