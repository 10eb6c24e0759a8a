// The payments domain codes against the vectors of ../shared/reference/payments.md (§1.5, §3.1,
// §4.6, §7): notice numbers of every aux digit, generation, the QR payload, taxonomy codes, the
// creditor's fiscal code and configuration; IBANs against the IBAN registry's own examples.
#include "model.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "payments/notice_cli.hpp"

namespace cst::payments {
namespace {

using nlohmann::json;

// The field named by a kBadInput error (the first one).
template <class T>
std::string fieldOf(const Result<T>& r) {
  if (r) return "(accepted)";
  return r.error().fields.empty() ? "(no field)" : r.error().fields.front().field;
}

TEST(NoticeNumber, ValidVectorsOfTheReferenceHaveMatchingCheckDigits) {
  for (const char* nav :
       {"310000000000090203", "300715700000000032", "347164993070184562", "001340105455507221",
        "001110000000000164", "002152784547130177", "212345678901234544", "301000000000000144"}) {
    auto n = parseNoticeNumber(nav);
    ASSERT_TRUE(n) << nav;
    EXPECT_TRUE(n->checkDigitOk()) << nav;
    EXPECT_EQ(n->check_digit, n->expected_check_digit) << nav;
  }
}

TEST(NoticeNumber, Aux3SplitsIntoSegregationCodeBaseAndCheckDigit) {
  auto n = parseNoticeNumber("310000000000090203");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->aux_digit, 3);
  EXPECT_EQ(n->segregation_code, "10");
  EXPECT_FALSE(n->application_code);
  EXPECT_EQ(n->iuv_base, "0000000000902");
  EXPECT_EQ(n->check_digit, "03");
  EXPECT_EQ(n->iuv, "10000000000090203");  // §7: NAV -> IUV

  auto io = parseNoticeNumber("300715700000000032");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->segregation_code, "00");
  EXPECT_EQ(io->iuv_base, "7157000000000");
  EXPECT_EQ(io->check_digit, "32");
}

TEST(NoticeNumber, Aux0CarriesTheApplicationCodeAndA15DigitIuv) {
  auto n = parseNoticeNumber("001110000000000164");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->aux_digit, 0);
  EXPECT_EQ(n->application_code, "01");
  EXPECT_FALSE(n->segregation_code);
  EXPECT_EQ(n->iuv_base, "1100000000001");
  EXPECT_EQ(n->check_digit, "64");
  EXPECT_EQ(n->iuv, "110000000000164");
  EXPECT_TRUE(n->checkDigitOk());
  auto other = parseNoticeNumber("001340105455507221");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->iuv, "340105455507221");  // §7: NAV -> IUV
}

TEST(NoticeNumber, Aux2HasA15DigitBaseAndAux1NoCheckDigitAtAll) {
  auto two = parseNoticeNumber("212345678901234544");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->aux_digit, 2);
  EXPECT_EQ(two->iuv_base, "123456789012345");
  EXPECT_EQ(two->check_digit, "44");
  EXPECT_EQ(two->iuv, "12345678901234544");
  EXPECT_TRUE(two->checkDigitOk());

  auto one = parseNoticeNumber("112345678901234567");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->aux_digit, 1);
  EXPECT_EQ(one->iuv, "12345678901234567");
  EXPECT_FALSE(one->check_digit);
  EXPECT_TRUE(one->checkDigitOk()) << "nothing to check: not a failure";
}

TEST(NoticeNumber, AWrongCheckDigitIsReportedNotRefused) {
  // pagoPA's own test notices (SANP, GPD, GovPay) with wrong check digits: §1.5, §7.
  const std::pair<const char*, const char*> wrong[] = {{"311111111112222222", "47"},
                                                       {"312345678901234567", "45"},
                                                       {"301000000202012345", "20"},
                                                       {"302000100000009483", "07"},
                                                       {"302012387654312384", "86"}};
  for (const auto& [nav, expected] : wrong) {
    auto n = parseNoticeNumber(nav);
    ASSERT_TRUE(n) << nav << " must parse";
    EXPECT_FALSE(n->checkDigitOk()) << nav;
    EXPECT_EQ(n->check_digit, std::string(nav).substr(16)) << nav;
    EXPECT_EQ(n->expected_check_digit, expected) << nav;
  }
}

TEST(NoticeNumber, MalformedNumbersAreRefusedNamingTheField) {
  for (const char* bad : {"", "31000000000009020", "3100000000000902031", "31000000000009020A",
                          "410000000000090203", "910000000000090203", " 10000000000090203"}) {
    auto n = parseNoticeNumber(bad, "nav");
    EXPECT_FALSE(n) << "'" << bad << "'";
    EXPECT_EQ(fieldOf(n), "nav") << bad;
  }
}

TEST(NoticeNumber, GeneratedAux3NumbersMatchTheReference) {
  const struct {
    const char* seg;
    const char* base;
    const char* nav;
  } cases[] = {{"10", "0000000000902", "310000000000090203"},
               {"00", "7157000000000", "300715700000000032"},
               {"01", "0000000000001", "301000000000000144"}};
  for (const auto& c : cases) {
    auto n = makeNoticeNumber(c.seg, c.base);
    ASSERT_TRUE(n) << c.nav;
    EXPECT_EQ(n->digits, c.nav);
    EXPECT_TRUE(n->checkDigitOk());
  }
  EXPECT_EQ(noticeCheckDigit("3100000000000902"), "03");
  EXPECT_EQ(noticeCheckDigit("0011100000000001"), "64");
  EXPECT_EQ(fieldOf(makeNoticeNumber("1", "0000000000001")), "segregation_code");
  EXPECT_EQ(fieldOf(makeNoticeNumber("01", "000000000001")), "iuv_base");
  EXPECT_EQ(fieldOf(makeNoticeNumber("01", "00000000000X1")), "iuv_base");
}

TEST(NoticeNumber, IuvAndPrintedForms) {
  EXPECT_EQ(noticeNumberOfIuv("10000000000090203", 3), "310000000000090203");
  EXPECT_EQ(noticeNumberOfIuv("110000000000164", 0, "01"), "001110000000000164");
  EXPECT_EQ(formatNoticeNumber("310000000000090203"), "3100 0000 0000 0902 03");
  EXPECT_EQ(compactNoticeNumber("3100 0000 0000 0902 03"), "310000000000090203");
  EXPECT_EQ(compactNoticeNumber("3100-0000.0000 0902\t03"), "310000000000090203");
}

TEST(SegregationCode, ReservedAndUnassignableCodesAreRefused) {
  EXPECT_TRUE(checkSegregationCode("00", "s"));
  EXPECT_TRUE(checkSegregationCode("01", "s"));
  EXPECT_TRUE(checkSegregationCode("49", "s"));
  for (const char* reserved : {"99", "98", "97", "96", "85", "81", "47"}) {
    EXPECT_TRUE(isReservedSegregationCode(reserved)) << reserved;
    auto s = checkSegregationCode(reserved, "s");
    ASSERT_FALSE(s) << reserved;
    EXPECT_NE(s.error().detail.find("riservato"), std::string::npos) << reserved;
  }
  for (const char* bad : {"50", "80", "1", "001", "a1", ""})
    EXPECT_FALSE(checkSegregationCode(bad, "s")) << bad;
}

TEST(QrPayload, WritesThePagoPaLayoutWithCentsPaddedToTwoDigits) {
  // §7: the pagoPA generator writes "|1" for one cent; the spec wants at least 2 characters.
  EXPECT_EQ(qrPayload("300715700000000032", "00085240950", 1).value_or(""),
            "PAGOPA|002|300715700000000032|00085240950|01");
  EXPECT_EQ(qrPayload("310000000000090203", "80184430587", 12345).value_or(""),
            "PAGOPA|002|310000000000090203|80184430587|12345");
  EXPECT_EQ(qrPayload("310000000000090203", "80184430587", 99'999'999'999).value_or(""),
            "PAGOPA|002|310000000000090203|80184430587|99999999999");
  EXPECT_EQ(fieldOf(qrPayload("310000000000090203", "80184430587", 0)), "amount_cents");
  EXPECT_EQ(fieldOf(qrPayload("310000000000090203", "80184430587", 100'000'000'000)),
            "amount_cents");
  EXPECT_EQ(fieldOf(qrPayload("31000000000009020", "80184430587", 100)), "notice_number");
  EXPECT_EQ(fieldOf(qrPayload("310000000000090203", "8018443058", 100)), "fiscal_code");
}

TEST(QrPayload, ReadsEveryAmountPaddingFoundInTheWild) {
  for (const char* amount : {"1", "01", "0001", "0000000001"}) {
    auto q = parseQrPayload(std::string("PAGOPA|002|300715700000000032|00085240950|") + amount);
    ASSERT_TRUE(q) << amount;
    EXPECT_EQ(q->notice_number, "300715700000000032");
    EXPECT_EQ(q->fiscal_code, "00085240950");
    EXPECT_EQ(q->amount_cents, 1) << amount;
  }
  auto io = parseQrPayload("PAGOPA|002|000000000000000000|01199250158|0000015000");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->amount_cents, 15000);
  for (const char* bad : {"PAGOPA|001|300715700000000032|00085240950|100",
                          "PAGOPA|002|300715700000000032|00085240950|",
                          "PAGOPA|002|300715700000000032|00085240950|123456789012",
                          "PAGOPA|002|30071570000000003|00085240950|100",
                          "PAGOPA|002|300715700000000032|00085240950|1,00",
                          "PAGOPA|002|300715700000000032|00085240950", ""})
    EXPECT_FALSE(parseQrPayload(bad)) << bad;
}

TEST(Iban, TheRegistryExamplesAreValid) {
  for (const char* iban :
       {"IT60X0542811101000000123456", "SM86U0322509800000000270100", "GB82WEST12345698765432",
        "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300",
        "BE68539007547034", "ES9121000418450200051332"})
    EXPECT_TRUE(checkIban(iban, "iban")) << iban;
}

TEST(Iban, NormalisationRemovesSpacesAndRaisesCase) {
  EXPECT_EQ(normalizeIban(" it60 x054 2811 1010 0000 0123 456 "), "IT60X0542811101000000123456");
  auto parts = splitItalianIban("IT60X0542811101000000123456");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->check_digits, "60");
  EXPECT_EQ(parts->cin, "X");
  EXPECT_EQ(parts->abi, "05428");
  EXPECT_EQ(parts->cab, "11101");
  EXPECT_EQ(parts->account, "000000123456");
  EXPECT_FALSE(splitItalianIban("DE89370400440532013000"));
}

TEST(Iban, EachBrokenRuleIsRefusedWithItsReason) {
  const std::pair<const char*, const char*> bad[] = {
      {"IT60X0542811101000000123457", "controllo"},  // one digit changed: mod 97
      {"IT61X0542811101000000123456", "controllo"},  // check digits changed
      {"IT40S0542811101000000123456", "CIN"},        // mod 97 right, CIN letter wrong
      {"IT60X054281110100000012345", "27"},          // one character short
      {"IT6005428111010000001234567", "struttura"},  // no CIN letter
      {"US64SVBKUS6S3300958879", "SEPA"},            // not a SEPA country
      {"DE89370400440532013001", "controllo"},
      {"IT60X05428-1101000000123456", "lettere"},
      {"", "obbligatorio"},
  };
  for (const auto& [iban, reason] : bad) {
    auto s = checkIban(iban, "ibans[0].iban");
    ASSERT_FALSE(s) << iban;
    EXPECT_EQ(s.error().fields.front().field, "ibans[0].iban");
    EXPECT_NE(s.error().detail.find(reason), std::string::npos) << iban << ": " << s.error().detail;
  }
}

TEST(Taxonomy, TheFullFormParsesIntoItsParts) {
  auto t = parseTaxonomyCode("9/0101002IM/", "code");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->prefix, '9');
  EXPECT_EQ(t->ente_type, "01");
  EXPECT_EQ(t->macro_area, "01");
  EXPECT_EQ(t->service_type, "002");
  EXPECT_EQ(t->legal_reason, "IM");
  EXPECT_EQ(t->text(), "9/0101002IM/");
  for (const char* ok : {"9/0101108TS/", "6/0101002SP/", "8/1203001SA/", "7/0101100AP/"})
    EXPECT_TRUE(parseTaxonomyCode(ok, "code")) << ok;
}

TEST(Taxonomy, BareAndMalformedCodesAreRefused) {
  auto bare = parseTaxonomyCode("0101002IM", "code");
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().detail.find("9/0101002IM/"), std::string::npos) << bare.error().detail;
  for (const char* bad : {"5/0101002IM/", "9/0101002XX/", "9/0101002IM", "9-0101002IM/",
                          "9/010100AIM/", "9/0101002im/", ""})
    EXPECT_FALSE(parseTaxonomyCode(bad, "code")) << bad;
}

TEST(CreditorFiscalCode, ReusesThePartitaIvaCheckDigit) {
  for (const char* ok : {"00297960197", "80184430587", "00085240950", "01199250158"})
    EXPECT_TRUE(checkCreditorFiscalCode(ok, "fiscal_code")) << ok;
  for (const char* bad : {"00297960198", "0029796019", "0029796019A", "RSSMRA80A01H501U", ""})
    EXPECT_FALSE(checkCreditorFiscalCode(bad, "fiscal_code")) << bad;
}

json validBody() {
  return {{"fiscal_code", "00297960197"},
          {"segregation_code", "01"},
          {"ibans",
           {{{"iban", "it60 x054 2811 1010 0000 0123 456"}, {"label", "Tesoreria"}},
            {{"iban", "IT24D0542811101000000654321"}, {"primary", false}}}},
          {"service_codes", {{{"code", "9/0101002IM/"}, {"label", "Diritti di segreteria"}}}}};
}

TEST(Creditor, AValidBodyIsNormalised) {
  json body = validBody();
  body["ibans"][0]["primary"] = true;
  auto c = creditorFromJson(body, "019036");
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->ente, "019036");
  ASSERT_EQ(c->ibans.size(), 2u);
  EXPECT_EQ(c->ibans[0].iban, "IT60X0542811101000000123456");
  EXPECT_TRUE(c->ibans[0].primary);
  EXPECT_FALSE(c->ibans[1].primary);
  EXPECT_FALSE(c->ibans[1].label);
  ASSERT_EQ(c->service_codes.size(), 1u);
  EXPECT_EQ(toJson(*c)["ibans"][0]["iban"], "IT60X0542811101000000123456");

  json single = validBody();
  single["ibans"].erase(1);
  auto one = creditorFromJson(single, "019036");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->ibans[0].primary) << "the only IBAN is the primary one";
}

TEST(Creditor, EveryBadFieldIsNamed) {
  json body = validBody();  // two IBANs, none primary
  body["ibans"][1]["iban"] = "IT60X0542811101000000123457";
  body["service_codes"][0]["code"] = "0101002IM";
  body["segregation_code"] = "47";
  auto c = creditorFromJson(body, "019036");
  ASSERT_FALSE(c);
  std::set<std::string> fields;
  for (const auto& f : c.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"segregation_code", "ibans[1].iban", "ibans",
                                           "service_codes[0].code"}));

  auto empty = creditorFromJson(json::object(), "019036");
  ASSERT_FALSE(empty);
  fields.clear();
  for (const auto& f : empty.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"fiscal_code", "segregation_code", "ibans"}));
}

TEST(Creditor, RepeatedIbansAndCodesAreRefused) {
  json body = validBody();
  body["ibans"][1]["iban"] = "IT60X0542811101000000123456";
  body["ibans"][0]["primary"] = true;
  body["service_codes"].push_back({{"code", "9/0101002IM/"}, {"label", "Altro"}});
  auto c = creditorFromJson(body, "019036");
  ASSERT_FALSE(c);
  std::set<std::string> fields;
  for (const auto& f : c.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"ibans[1].iban", "service_codes[1].code"}));

  json no_label = validBody();
  no_label["ibans"][0]["primary"] = true;
  no_label["service_codes"][0].erase("label");
  EXPECT_EQ(fieldOf(creditorFromJson(no_label, "019036")), "service_codes[0].label");
  json two_primaries = validBody();
  two_primaries["ibans"][0]["primary"] = true;
  two_primaries["ibans"][1]["primary"] = true;
  EXPECT_EQ(fieldOf(creditorFromJson(two_primaries, "019036")), "ibans");
}

// `cst payments nav --check`: the function behind the verb (the verb itself: payments_test).
TEST(NavCommand, PrintsTheVerdictAndTheParts) {
  std::ostringstream out, err;
  EXPECT_EQ(checkNoticeNumber("3100 0000 0000 0902 03", out, err), 0);
  EXPECT_EQ(out.str(),
            "valid\nnotice_number: 310000000000090203\nprinted_as: 3100 0000 0000 0902 03\n"
            "aux_digit: 3\nsegregation_code: 10\niuv: 10000000000090203\n"
            "iuv_base: 0000000000902\ncheck_digit: 03\nexpected_check_digit: 03\n"
            "check_digit_ok: yes\n");
  EXPECT_EQ(err.str(), "");

  std::ostringstream wrong, werr;
  EXPECT_EQ(checkNoticeNumber("311111111112222222", wrong, werr), 1);
  EXPECT_EQ(wrong.str().rfind("invalid\n", 0), 0u);
  EXPECT_NE(wrong.str().find("check_digit: 22\nexpected_check_digit: 47\ncheck_digit_ok: no\n"),
            std::string::npos)
      << wrong.str();

  std::ostringstream old, oerr;
  EXPECT_EQ(checkNoticeNumber("001110000000000164", old, oerr), 0);
  EXPECT_NE(old.str().find("application_code: 01\n"), std::string::npos) << old.str();

  std::ostringstream malformed, merr;
  EXPECT_EQ(checkNoticeNumber("41000000000009020", malformed, merr), 1);
  EXPECT_EQ(malformed.str(), "invalid\n");
  EXPECT_NE(merr.str().find("18 cifre"), std::string::npos) << merr.str();
}

}  // namespace
}  // namespace cst::payments
