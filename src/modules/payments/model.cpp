// Notice numbers, segregation codes and the QR payload (payments.md §1, §3.1). IBANs are in
// model_iban.cpp, taxonomy codes and the creditor configuration in model_creditor.cpp.
#include "model.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace cst::payments {

namespace {

bool allDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string noticeCheckDigit(std::string_view first16) {
  // Digit by digit, so that the dividend never needs more than an int (16 digits would fit in
  // 64 bits too; this is the form SACI's own examples are checked with).
  int r = 0;
  for (char c : first16) r = (r * 10 + (c - '0')) % 93;
  const char out[3] = {static_cast<char>('0' + r / 10), static_cast<char>('0' + r % 10), 0};
  return out;
}

Result<NoticeNumber> parseNoticeNumber(std::string_view text, const std::string& field) {
  if (text.size() != 18 || !allDigits(text))
    return failField(field, "il numero avviso è di 18 cifre");
  NoticeNumber n;
  n.digits = std::string(text);
  n.aux_digit = text[0] - '0';
  switch (n.aux_digit) {
    case 0:
      n.application_code = std::string(text.substr(1, 2));
      n.iuv = std::string(text.substr(3));
      n.iuv_base = std::string(text.substr(3, 13));
      break;
    case 1:
      n.iuv = std::string(text.substr(1));
      n.iuv_base = n.iuv;
      return n;  // no check digit
    case 2:
      n.iuv = std::string(text.substr(1));
      n.iuv_base = std::string(text.substr(1, 15));
      break;
    case 3:
      n.segregation_code = std::string(text.substr(1, 2));
      n.iuv = std::string(text.substr(1));
      n.iuv_base = std::string(text.substr(3, 13));
      break;
    default:
      return failField(field, "aux digit " + std::string(1, text[0]) +
                                  " sconosciuto: il numero avviso inizia con 0, 1, 2 o 3");
  }
  n.check_digit = std::string(text.substr(16, 2));
  n.expected_check_digit = noticeCheckDigit(text.substr(0, 16));
  return n;
}

Result<NoticeNumber> makeNoticeNumber(std::string_view segregation_code,
                                      std::string_view iuv_base) {
  if (segregation_code.size() != 2 || !allDigits(segregation_code))
    return failField("segregation_code", "il codice di segregazione è di 2 cifre");
  if (iuv_base.size() != 13 || !allDigits(iuv_base))
    return failField("iuv_base", "la base dello IUV è di 13 cifre");
  std::string first16 = "3" + std::string(segregation_code) + std::string(iuv_base);
  return parseNoticeNumber(first16 + noticeCheckDigit(first16));
}

std::string noticeNumberOfIuv(std::string_view iuv, int aux_digit,
                              std::string_view application_code) {
  if (aux_digit == 0) return "0" + std::string(application_code) + std::string(iuv);
  return std::to_string(aux_digit) + std::string(iuv);
}

std::string formatNoticeNumber(std::string_view digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string compactNoticeNumber(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '.' && c != '-') out += c;
  return out;
}

nlohmann::json toJson(const NoticeNumber& n) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  return {{"notice_number", n.digits},
          {"aux_digit", n.aux_digit},
          {"application_code", opt(n.application_code)},
          {"segregation_code", opt(n.segregation_code)},
          {"iuv", n.iuv},
          {"iuv_base", n.iuv_base},
          {"check_digit", opt(n.check_digit)},
          {"expected_check_digit", opt(n.expected_check_digit)},
          {"check_digit_ok", n.checkDigitOk()}};
}

bool isReservedSegregationCode(std::string_view code) {
  static constexpr std::array<std::string_view, 7> kReserved{"99", "98", "97", "96",
                                                             "85", "81", "47"};
  return std::find(kReserved.begin(), kReserved.end(), code) != kReserved.end();
}

Status checkSegregationCode(std::string_view code, const std::string& field) {
  if (code.size() != 2 || !allDigits(code))
    return failField(field, "il codice di segregazione è di 2 cifre");
  if (isReservedSegregationCode(code))
    return failField(field, "codice di segregazione " + std::string(code) +
                                " riservato a un servizio nazionale (SACI, Tabella 1)");
  if (code > std::string_view("49"))
    return failField(field, "PagoPA assegna codici di segregazione da 00 a 49");
  return {};
}

Result<std::string> qrPayload(std::string_view notice_number, std::string_view fiscal_code,
                              std::int64_t amount_cents) {
  if (notice_number.size() != 18 || !allDigits(notice_number))
    return failField("notice_number", "il numero avviso è di 18 cifre");
  if (fiscal_code.size() != 11 || !allDigits(fiscal_code))
    return failField("fiscal_code", "il codice fiscale dell'ente è di 11 cifre");
  if (amount_cents < 1 || amount_cents > 99'999'999'999)
    return failField("amount_cents", "importo in centesimi da 1 a 99999999999");
  std::string cents = std::to_string(amount_cents);
  if (cents.size() < 2) cents.insert(0, 2 - cents.size(), '0');
  return "PAGOPA|002|" + std::string(notice_number) + "|" + std::string(fiscal_code) + "|" + cents;
}

Result<QrContent> parseQrPayload(std::string_view payload) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto bar = payload.find('|', start);
    parts.push_back(payload.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (parts.size() != 5 || parts[0] != "PAGOPA" || parts[1] != "002")
    return failField("qr", "atteso PAGOPA|002|<numero avviso>|<codice fiscale>|<centesimi>");
  if (parts[2].size() != 18 || !allDigits(parts[2]))
    return failField("qr", "il numero avviso è di 18 cifre");
  if (parts[3].size() != 11 || !allDigits(parts[3]))
    return failField("qr", "il codice fiscale dell'ente è di 11 cifre");
  if (parts[4].empty() || parts[4].size() > 11 || !allDigits(parts[4]))
    return failField("qr", "l'importo è di 1..11 cifre (centesimi)");
  QrContent q{std::string(parts[2]), std::string(parts[3]), 0};
  std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), q.amount_cents);
  return q;
}

}  // namespace cst::payments
