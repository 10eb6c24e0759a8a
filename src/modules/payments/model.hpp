#pragma once
// The payments module's domain codes: the pagoPA notice number (numero avviso) and its IUV, IBANs,
// the service taxonomy codes, the QR payload of a notice, and an ente's creditor configuration.
// No I/O: everything here is pure and tested without a database. Facts and test vectors:
// ../shared/reference/payments.md (SACI = Specifiche Attuative dei Codici Identificativi di
// versamento, Allegato A to the pagoPA Linee Guida).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::payments {

// ---- Notice number (NAV, "numero avviso", 18 digits) ----------------------------------------

// SACI Tabella 2: the layout of the 18 digits depends on the first one, the aux digit.
//   0: aux + application code (2) + IUV base (13) + check (2)   IUV = last 15 digits
//   1: aux + IUV (17), no check digit (legacy codes, e.g. ADER's RAV)
//   2: aux + IUV base (15) + check (2)                          IUV = last 17 digits
//   3: aux + segregation code (2) + IUV base (13) + check (2)   IUV = last 17 digits
// We generate aux 3 only; aux 0, 1 and 2 are deprecated but still in circulation, so they parse.
struct NoticeNumber {
  std::string digits;  // the 18 digits
  int aux_digit = 3;
  std::optional<std::string> application_code;  // aux 0
  std::optional<std::string> segregation_code;  // aux 3
  std::string iuv;                              // 15 digits (aux 0) or 17 (aux 1, 2, 3)
  std::string iuv_base;                         // 13, 15 or 17 digits
  std::optional<std::string> check_digit;       // as written; absent for aux 1
  std::optional<std::string> expected_check_digit;

  // True when there is no check digit (aux 1) or it matches. The pagoPA node does not verify
  // check digits, and notices with a wrong one are in circulation (reference §1.5): an inbound
  // number is therefore parsed and answered whatever this says; it is information.
  bool checkDigitOk() const { return !check_digit || check_digit == expected_check_digit; }
};

// SACI §2 (every aux digit): the check digit is the first 16 digits of the notice number, read as
// a decimal number, mod 93, written with two digits (00..92). `first16` must be 16 ASCII digits.
std::string noticeCheckDigit(std::string_view first16);

// Splits 18 digits into their parts by the aux digit. kBadInput naming `field` when the text is
// not 18 digits or the aux digit is not 0..3. A wrong check digit is NOT an error here: see
// NoticeNumber::checkDigitOk.
Result<NoticeNumber> parseNoticeNumber(std::string_view text,
                                       const std::string& field = "notice_number");

// The aux-3 notice number of `segregation_code` (2 digits) and `iuv_base` (13 digits), with its
// check digit; kBadInput naming the wrong argument.
Result<NoticeNumber> makeNoticeNumber(std::string_view segregation_code, std::string_view iuv_base);

// The notice number from an IUV (GovPay IuvUtils.toIuv, inverted): aux 3 for a 17-digit IUV, aux
// 0 with the application code for a 15-digit one.
std::string noticeNumberOfIuv(std::string_view iuv, int aux_digit,
                              std::string_view application_code = "");

// As printed on a notice: groups of four digits ("3100 0000 0000 0902 03").
std::string formatNoticeNumber(std::string_view digits);

// Spaces (and the dots or dashes some printers use) removed, for numbers typed by people.
std::string compactNoticeNumber(std::string_view text);

nlohmann::json toJson(const NoticeNumber& n);

// ---- Segregation code ----------------------------------------------------------------------

// SACI 3.x Tabella 1: codes reserved to centralised national services (Ministero dell'Interno,
// Unioncamere, ACI, PagoPA S.p.A.); a Comune's own notices must not use them.
bool isReservedSegregationCode(std::string_view code);
// A code a creditor may be configured with: 2 digits in the range PagoPA assigns (00..49 per SACI
// 3.0, narrowed to 00..45 by 3.1: we accept the wider one, codes once assigned stay valid), not
// reserved. kBadInput naming `field`.
Status checkSegregationCode(std::string_view code, const std::string& field);

// ---- IBAN (ISO 13616) ----------------------------------------------------------------------

// Spaces removed, upper case: how an IBAN is stored and compared.
std::string normalizeIban(std::string_view text);

// Validates a normalised IBAN: country known (SEPA countries), length of that country, only
// letters and digits, ISO 7064 mod-97 == 1; for Italy and San Marino also the BBAN structure
// (CIN letter, ABI 5 digits, CAB 5 digits, account 12 alphanumerics) and its CIN check letter.
// kBadInput naming `field`, the message in Italian saying which rule failed.
Status checkIban(std::string_view iban, const std::string& field);

// The parts of an Italian IBAN (IT + 2 check digits + CIN + ABI + CAB + account).
struct ItalianIban {
  std::string check_digits, cin, abi, cab, account;
};
// nullopt unless `iban` is a valid Italian IBAN.
std::optional<ItalianIban> splitItalianIban(std::string_view iban);

// ---- Service taxonomy ("tassonomia dei servizi di incasso") --------------------------------

// SANP: <prefix 6..9>/<tipo ente 2n><macro area 2n><tipologia servizio 3n><motivo giuridico>/,
// motivo giuridico one of IM, TS, SP, SA, AP; e.g. "9/0101002IM/". We store and emit this full
// form only (the reference: "Emit the full 9/…/ form"); the bare 9 characters are refused with a
// message that shows the full form.
struct TaxonomyCode {
  char prefix = '9';
  std::string ente_type, macro_area, service_type, legal_reason;
  std::string text() const;
};
Result<TaxonomyCode> parseTaxonomyCode(std::string_view text, const std::string& field);

// ---- Creditor fiscal code ------------------------------------------------------------------

// The creditor's codice fiscale as pagoPA wants it (stFiscalCodePA, 11 digits) with the partita
// IVA check digit (the enti registry's own rule, enti::validNumericFiscalCode).
Status checkCreditorFiscalCode(std::string_view cf, const std::string& field);

// ---- QR code payload -----------------------------------------------------------------------

// Avvisi pagoPA 3.x, "codice QR": PAGOPA|002|<notice 18>|<creditor fiscal code 11>|<cents>, the
// amount in euro cents without separators, 2..11 characters (zero-padded to 2, as the reference
// recommends). kBadInput naming the argument: amount 1..99999999999 cents (pagoPA's
// stAmountNotZero: 0.01..999999999.99 euro).
Result<std::string> qrPayload(std::string_view notice_number, std::string_view fiscal_code,
                              std::int64_t amount_cents);

struct QrContent {
  std::string notice_number, fiscal_code;
  std::int64_t amount_cents = 0;
};
// Reads a payload tolerantly: producers in the wild write the amount with 1 to 11 digits,
// zero-padded or not (reference §3.1).
Result<QrContent> parseQrPayload(std::string_view payload);

// ---- Creditor configuration ----------------------------------------------------------------

struct CreditorIban {
  std::string iban;  // normalised
  std::optional<std::string> label;
  bool primary = false;
};

struct ServiceCode {
  std::string code;  // the full taxonomy form, 9/0101002IM/
  std::string label;
};

// What pagoPA knows of an ente as creditor (Ente Creditore).
struct Creditor {
  std::string ente;         // ISTAT code
  std::string fiscal_code;  // 11 digits
  std::string segregation_code;
  std::vector<CreditorIban> ibans;  // exactly one primary
  std::vector<ServiceCode> service_codes;
  std::string updated_at;
  std::string updated_by;
};

// Limits of one configuration: generous for a Comune, small enough for one request.
inline constexpr std::size_t kMaxIbans = 20;
inline constexpr std::size_t kMaxServiceCodes = 200;
inline constexpr std::size_t kMaxLabel = 140;  // stText140, as the transfer texts of pagoPA

// A PUT body read whole: {fiscal_code, segregation_code, ibans:[{iban, label?, primary?}],
// service_codes:[{code, label}]}. Every problem is named (ibans[1].iban, service_codes[0].code);
// IBANs are normalised; a single IBAN is the primary one by itself, several need exactly one
// marked; the same IBAN or taxonomy code twice is refused.
Result<Creditor> creditorFromJson(const nlohmann::json& body, const std::string& ente);
nlohmann::json toJson(const Creditor& c);
// The same shape for an ente that has no configuration yet ("configured": false, empty lists).
nlohmann::json unconfiguredCreditorJson(const std::string& ente);

}  // namespace cst::payments
