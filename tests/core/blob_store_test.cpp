#include "blob/blob_store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/crypto.hpp"

namespace cst::blob {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public ::testing::Test {
 protected:
  fs::path root_ = fs::temp_directory_path() / ("cst-blob-test-" + randomToken(8));
  void TearDown() override { fs::remove_all(root_); }
  std::size_t filesUnder(const fs::path& dir) const {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file()) ++n;
    return n;
  }
};

TEST_F(BlobStoreTest, AnObjectIsNamedByItsHashAndStoredOnce) {
  BlobStore store(root_, 1 << 20);
  std::istringstream first("protocollo 0000001");
  auto a = store.put(first);
  ASSERT_TRUE(a.has_value()) << a.error().detail;
  EXPECT_EQ(a->sha256, sha256Hex("protocollo 0000001"));
  EXPECT_EQ(a->size, 18u);
  const fs::path p = store.pathOf(a->sha256);
  EXPECT_EQ(p.parent_path(), root_ / "objects" / a->sha256.substr(0, 2) / a->sha256.substr(2, 2));
  std::ifstream in(p, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "protocollo 0000001");

  std::istringstream again("protocollo 0000001");
  auto b = store.put(again);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->sha256, a->sha256);
  EXPECT_EQ(filesUnder(root_ / "objects"), 1u);
  EXPECT_EQ(filesUnder(store.tempDir()), 0u) << "the second copy's temporary file is removed";
}

TEST_F(BlobStoreTest, PrepareCreatesTheShardAndAdoptingThenFillsIt) {
  BlobStore store(root_, 1 << 20);
  const std::string content = "allegato";
  const std::string sha = sha256Hex(content);
  store.prepare(sha);
  EXPECT_TRUE(fs::is_directory(store.pathOf(sha).parent_path()));
  EXPECT_FALSE(store.exists(sha)) << "prepare stores nothing";

  const fs::path upload = store.tempDir() / "upload";
  std::ofstream(upload, std::ios::binary) << content;
  auto ref = store.adoptFile(upload, sha);
  ASSERT_TRUE(ref.has_value()) << ref.error().detail;
  EXPECT_TRUE(store.exists(sha));
  EXPECT_FALSE(fs::exists(upload));
  store.prepare("not-a-hash");  // ignored, never a path outside the store
  EXPECT_TRUE(store.pathOf("../../etc/passwd").empty());
}

TEST_F(BlobStoreTest, AStreamOverTheLimitLeavesNothing) {
  BlobStore store(root_, 4);
  std::istringstream big("12345");
  auto r = store.put(big);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(filesUnder(root_), 0u);
}

TEST_F(BlobStoreTest, ADamagedObjectIsReplacedOnlyByItsOwnBytesAndRemovedOnRequest) {
  BlobStore store(root_, 1 << 20);
  std::istringstream in("registro giornaliero");
  auto a = store.put(in);
  ASSERT_TRUE(a.has_value());
  const fs::path p = store.pathOf(a->sha256);
  std::ofstream(p, std::ios::binary | std::ios::trunc) << "registro giornaliera";  // damaged

  // Other bytes never take the object's name.
  const fs::path wrong = store.tempDir() / "wrong";
  std::ofstream(wrong, std::ios::binary) << "altro contenuto";
  auto refused = store.replace(wrong, a->sha256);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kRuleViolated);
  EXPECT_FALSE(fs::exists(wrong)) << "the refused file is not left behind";

  const fs::path good = store.tempDir() / "good";
  std::ofstream(good, std::ios::binary) << "registro giornaliero";
  auto replaced = store.replace(good, a->sha256);
  ASSERT_TRUE(replaced.has_value()) << replaced.error().detail;
  EXPECT_EQ(sha256File(p).value_or(""), a->sha256);
  EXPECT_FALSE(fs::exists(good));

  ASSERT_TRUE(store.remove(a->sha256).has_value());
  EXPECT_FALSE(store.exists(a->sha256));
  EXPECT_TRUE(store.remove(a->sha256).has_value()) << "absent is not an error";
  EXPECT_FALSE(store.remove("not-a-hash").has_value());
}

}  // namespace
}  // namespace cst::blob
