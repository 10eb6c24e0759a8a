// multipart/form-data bodies split into their parts, byte for byte.
#include "mail/form_data.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "common/crypto.hpp"

namespace cst::mail {
namespace {

namespace fs = std::filesystem;

class FormData : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("cst-form-test-" + randomToken(8));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path body(const std::string& bytes) {
    const fs::path p = dir_ / "body";
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

TEST_F(FormData, FieldsAndBinaryFilesComeOutByteForByte) {
  // Bytes a naive splitter trips on: CR LF inside the file, a line starting with dashes, NULs,
  // and a trailing CR LF that belongs to the file, not to the delimiter.
  std::string binary = "%PDF-1.7\r\n--XyZ not the boundary\r\n";
  binary += std::string("\0\x01\xff\r\n", 5);
  for (int i = 0; i < 5000; ++i) binary += static_cast<char>((i * 7919) % 256);
  binary += "\r\n";
  const std::string raw =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"metadata\"\r\n"
      "Content-Type: application/json\r\n\r\n"
      "{\"tipo\": \"documento_informatico\"}\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"documento\"; "
      "filename=\"delibera giunta.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n" +
      binary +
      "\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
      "àèù\r\n"
      "--XyZ--\r\n";
  auto parts = splitFormData(body(raw), "multipart/form-data; boundary=XyZ", dir_);
  ASSERT_TRUE(parts.has_value()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "metadata");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ(read((*parts)[0].file), "{\"tipo\": \"documento_informatico\"}");
  EXPECT_EQ((*parts)[1].name, "documento");
  EXPECT_EQ((*parts)[1].filename, "delibera giunta.pdf");
  EXPECT_EQ((*parts)[1].content_type, "application/pdf");
  EXPECT_EQ(read((*parts)[1].file), binary);
  EXPECT_EQ((*parts)[1].sha256, sha256Hex(binary));
  EXPECT_EQ((*parts)[1].size, binary.size());
  EXPECT_EQ(read((*parts)[2].file), "àèù");
  EXPECT_EQ((*parts)[2].content_type, "text/plain");
}

TEST_F(FormData, AnythingElseIsRefusedNamingTheBodyAndLeavesNoFile) {
  auto r = splitFormData(body("ciao"), "application/json", dir_);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().fields.at(0).field, "body");
  r = splitFormData(body("no boundary here"), "multipart/form-data; boundary=XyZ", dir_);
  ASSERT_FALSE(r.has_value());
  // A second part without a name: the first part's file is removed too.
  r = splitFormData(body("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
                         "--B\r\nContent-Disposition: form-data\r\n\r\ny\r\n--B--\r\n"),
                    "multipart/form-data; boundary=B", dir_);
  ASSERT_FALSE(r.has_value());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.path().filename() != "body";
  EXPECT_EQ(files, 0u);
}

}  // namespace
}  // namespace cst::mail
