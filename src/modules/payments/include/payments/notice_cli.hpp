#pragma once
// `cst payments nav --check NAV`: what an operator asks of a notice number read over the phone
// or off a paper notice. Needs no database.
#include <ostream>
#include <string>

namespace cst::payments {

// Prints "valid" or "invalid" on `out`, then the parts of the number one per line ("aux_digit:
// 3", "segregation_code: 10", "iuv: ...", "check_digit: 03", "check_digit_ok: yes", ...). Spaces,
// dots and dashes in `text` are ignored (printed notices group the digits by four). A number that
// is not 18 digits or has an unknown aux digit prints "invalid" and the reason on `err`. Returns
// the exit code: 0 valid, 1 invalid (including a wrong check digit).
int checkNoticeNumber(const std::string& text, std::ostream& out, std::ostream& err);

}  // namespace cst::payments
