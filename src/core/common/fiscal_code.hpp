#pragma once
// The codice fiscale of a person (DM 23/12/1976), as debtors, citizens and professionals are
// identified by it: payments' debtors, the accounts of citizens (SPID and CIE bring it), the
// suppliers of contracts. The 11-digit code of a legal person is the enti registry's
// (enti::validNumericFiscalCode).
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst {

// Surname (3 letters), name (3), year (2), month letter, day (2; +40 for women), place code
// (letter + 3), check letter. Omocodia (DM 12/03/1974 as amended): when two people would share a
// code, digits are replaced from the right by L M N P Q R S T U V; the check letter is computed
// over the code as written.
// The check letter of the first 15 characters (upper-case letters and digits): odd positions
// (1st, 3rd, ...) through the odd table, even ones by value (0-9, A-Z = 0-25), sum mod 26. The
// same rule gives an Italian IBAN's CIN.
char codiceFiscaleCheckLetter(std::string_view first15);

// kBadInput naming `field` unless `cf` (upper case) is a well-formed personal codice fiscale,
// omocodic or not, with its check letter.
Status checkPersonalFiscalCode(std::string_view cf, const std::string& field);

// ASCII letters in upper case: codes people type either way (fiscal codes, province and country
// codes), as they are stored and compared.
std::string asciiUpper(std::string_view text);

}  // namespace cst
