#include "common/fiscal_code.hpp"

#include <gtest/gtest.h>

namespace cst {

TEST(PersonalFiscalCode, ChecksShapeAndCheckLetterIncludingOmocodia) {
  for (const char* cf : {"RSSMRA85T10A562S", "BSCMTT83A12L719R", "RSSMRA85T10A56NH"})
    EXPECT_TRUE(checkPersonalFiscalCode(cf, "cf")) << cf;
  EXPECT_EQ(codiceFiscaleCheckLetter("RSSMRA85T10A562"), 'S');
  auto wrong = checkPersonalFiscalCode("RSSMRA85T10A562T", "debtor.fiscal_code");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().fields.front().field, "debtor.fiscal_code");
  EXPECT_NE(wrong.error().detail.find("controllo"), std::string::npos);
  for (const char* bad : {"RSSMRA85T10A562", "RSSMRA85Z10A562S", "RSSMRA8XT10A562S", "00297960197",
                          "rssmra85t10a562s"})
    EXPECT_FALSE(checkPersonalFiscalCode(bad, "cf")) << bad;
}

TEST(AsciiUpper, RaisesOnlyAsciiLetters) {
  EXPECT_EQ(asciiUpper("rssmra85t10a562s"), "RSSMRA85T10A562S");
  EXPECT_EQ(asciiUpper("è-z9"), "è-Z9");
}

}  // namespace cst
