// `cst payments nav --check NAV`.
#include "payments/notice_cli.hpp"

#include "model.hpp"

namespace cst::payments {

int checkNoticeNumber(const std::string& text, std::ostream& out, std::ostream& err) {
  auto n = parseNoticeNumber(compactNoticeNumber(text));
  if (!n) {
    out << "invalid\n";
    err << "error: " << n.error().fields.front().field << ": " << n.error().detail << "\n";
    return 1;
  }
  const bool ok = n->checkDigitOk();
  out << (ok ? "valid" : "invalid") << "\n";
  out << "notice_number: " << n->digits << "\n";
  out << "printed_as: " << formatNoticeNumber(n->digits) << "\n";
  out << "aux_digit: " << n->aux_digit << "\n";
  if (n->application_code) out << "application_code: " << *n->application_code << "\n";
  if (n->segregation_code) out << "segregation_code: " << *n->segregation_code << "\n";
  out << "iuv: " << n->iuv << "\n";
  out << "iuv_base: " << n->iuv_base << "\n";
  if (!n->check_digit) {
    out << "check_digit: none (aux digit 1 has no check digit)\n";
    return 0;
  }
  out << "check_digit: " << *n->check_digit << "\n";
  out << "expected_check_digit: " << *n->expected_check_digit << "\n";
  out << "check_digit_ok: " << (ok ? "yes" : "no") << "\n";
  return ok ? 0 : 1;
}

}  // namespace cst::payments
