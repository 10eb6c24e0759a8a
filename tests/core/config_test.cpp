// The [server] thread settings: defaults, reading, and refusal of values that cannot work.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.hpp"

namespace cst {
namespace {

Result<Config> loadToml(const std::string& toml) {
  const auto file =
      std::filesystem::temp_directory_path() / ("cst-config-" + randomToken(6) + ".toml");
  std::ofstream(file) << toml;
  auto c = loadConfig(file.string());
  std::filesystem::remove(file);
  return c;
}

TEST(ServerConfig, ReadsAndWritesHaveTheirOwnThreadPools) {
  auto defaults = loadToml("");
  ASSERT_TRUE(defaults) << defaults.error().detail;
  EXPECT_EQ(defaults->server.read_threads, 0) << "0: resolved from the cores and the database";
  EXPECT_EQ(defaults->server.worker_threads, 8);

  auto set = loadToml("[server]\nread_threads = 3\nworker_threads = 16\n");
  ASSERT_TRUE(set) << set.error().detail;
  EXPECT_EQ(set->server.read_threads, 3);
  EXPECT_EQ(set->server.worker_threads, 16);

  auto negative = loadToml("[server]\nread_threads = -1\n");
  ASSERT_FALSE(negative);
  ASSERT_EQ(negative.error().fields.size(), 1u);
  EXPECT_EQ(negative.error().fields[0].field, "server.read_threads");
  auto none = loadToml("[server]\nworker_threads = 0\n");
  ASSERT_FALSE(none);
  ASSERT_EQ(none.error().fields.size(), 1u);
  EXPECT_EQ(none.error().fields[0].field, "server.worker_threads");
}

}  // namespace
}  // namespace cst
