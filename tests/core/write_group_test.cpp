// SQLite group commit (core/db/pool.hpp): many concurrent write transactions share commits, yet
// each keeps its own outcome. A failed or throwing one is rolled back alone; the others commit.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "db/db.hpp"

namespace cst::db {
namespace {

namespace fs = std::filesystem;

TEST(WriteGroups, EachTransactionKeepsItsOwnOutcome) {
  const fs::path dir = fs::temp_directory_path() / ("cst-group-" + randomToken(6));
  fs::create_directories(dir);
  auto opened = Database::open("sqlite:" + (dir / "cst.db").string(), dir, 8);
  ASSERT_TRUE(opened) << opened.error().detail;
  Database& db = **opened;
  ASSERT_TRUE(db.transactStatus(TxMode::kWrite, [](Tx& tx) -> Status {
    auto r = tx.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, note TEXT NOT NULL)");
    if (!r) return tl::unexpected(r.error());
    return {};
  }));

  // 16 threads x 50 transactions, each writing two rows: n and n + 100000. Every seventh fails
  // after its first row, every eleventh throws: their first row must not survive.
  constexpr int kThreads = 16, kEach = 50;
  std::atomic<int> ok{0}, refused{0}, thrown{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th)
    threads.emplace_back([&, th] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t n = th * kEach + i;
        try {
          auto s = db.transactStatus(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto a = tx.exec("INSERT INTO t (n, note) VALUES (?, 'a')", {n});
            if (!a) return tl::unexpected(a.error());
            if (n % 7 == 0) return fail(ErrorCode::kBadInput, "refused on purpose");
            if (n % 11 == 0) throw std::runtime_error("thrown on purpose");
            auto b = tx.exec("INSERT INTO t (n, note) VALUES (?, 'b')", {n + 100000});
            if (!b) return tl::unexpected(b.error());
            return {};
          });
          if (s) {
            ++ok;
          } else {
            EXPECT_EQ(s.error().code, ErrorCode::kBadInput) << s.error().detail;
            ++refused;
          }
        } catch (const std::runtime_error&) {
          ++thrown;
        }
      }
    });
  for (auto& t : threads) t.join();

  int expect_ok = 0, expect_refused = 0, expect_thrown = 0;
  for (int n = 0; n < kThreads * kEach; ++n) {
    if (n % 7 == 0)
      ++expect_refused;
    else if (n % 11 == 0)
      ++expect_thrown;
    else
      ++expect_ok;
  }
  EXPECT_EQ(ok.load(), expect_ok);
  EXPECT_EQ(refused.load(), expect_refused);
  EXPECT_EQ(thrown.load(), expect_thrown);
  // o: the transaction's own number, whichever of its two rows this is.
  auto rows = db.query(
      "SELECT COUNT(*), SUM(CASE WHEN o % 7 = 0 OR o % 11 = 0 THEN 1 ELSE 0 END) FROM "
      "(SELECT CASE WHEN n < 100000 THEN n ELSE n - 100000 END AS o FROM t)");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->front().integer(0), 2 * expect_ok) << "both rows of each committed one";
  EXPECT_EQ(rows->front().integer(1), 0) << "nothing of a refused or thrown one";
  opened->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cst::db
