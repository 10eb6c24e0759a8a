#include "common/text.hpp"

#include <gtest/gtest.h>

namespace cst {
namespace {

TEST(Utf8, ValidTextIsKeptAndEveryBadByteBecomesAReplacementCharacter) {
  EXPECT_EQ(validUtf8("perché è così – 🙂"), "perché è così – 🙂");
  EXPECT_EQ(validUtf8("perch\xE8"), "perch\xEF\xBF\xBD") << "a Latin-1 byte alone";
  EXPECT_EQ(validUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong '/'";
  EXPECT_EQ(validUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
  EXPECT_EQ(validUtf8("a\xF4\x90\x80\x80z"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz")
      << "above U+10FFFF";
  EXPECT_EQ(validUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "cut short";
}

TEST(Utf8, TruncationNeverCutsACharacter) {
  EXPECT_EQ(truncateUtf8("àààà", 3), "à");
  EXPECT_EQ(truncateUtf8("àààà", 4), "àà");
  EXPECT_EQ(truncateUtf8("abc", 10), "abc");
  EXPECT_EQ(truncateUtf8("a🙂", 4), "a");
}

TEST(CsvRecord, QuotesWhatNeedsItAndDisarmsFormulas) {
  EXPECT_EQ(csvRecord({"Cremona", "12", "97.5"}), "Cremona,12,97.5\r\n");
  EXPECT_EQ(csvRecord({"Rossi, Mario", "disse \"ok\"", "a\nb"}),
            "\"Rossi, Mario\",\"disse \"\"ok\"\"\",\"a\nb\"\r\n");
  EXPECT_EQ(csvRecord({"=HYPERLINK(\"x\")", "@SUM(A1)", "", "-"}),
            "\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),,'-\r\n");
  // A negative amount stays a number; anything more than a number is still disarmed.
  EXPECT_EQ(csvRecord({"-10,50", "-3.5", "-12", "-1+1", "-,5"}, ';'),
            "-10,50;-3.5;-12;'-1+1;'-,5\r\n");
  EXPECT_EQ(spreadsheetCsvHeader({"riga", "errore"}), "\xEF\xBB\xBFriga;errore\r\n");
}

}  // namespace
}  // namespace cst
