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

TEST(PreservationConfig, CopiesFormatsAndTheTsaAreReadAndChecked) {
  auto defaults = loadToml("");
  ASSERT_TRUE(defaults) << defaults.error().detail;
  EXPECT_TRUE(defaults->preservation.copies.empty()) << "two copies under the data directory";
  EXPECT_TRUE(defaults->preservation.formats.empty()) << "Allegato 2's defaults";
  EXPECT_TRUE(defaults->preservation.tsa_url.empty()) << "the local TSA";

  auto set = loadToml(
      "[preservation]\ncopy_1 = \"/srv/a\"\ncopy_2 = \"/mnt/b\"\nformats = [\"pdfa-2b\", "
      "\"xml\"]\ntsa_url = \"https://tsa.example\"\ntsa_certificate = \"/etc/tsa.pem\"\n");
  ASSERT_TRUE(set) << set.error().detail;
  EXPECT_EQ(set->preservation.copies, (std::vector<std::string>{"/srv/a", "/mnt/b"}));
  EXPECT_EQ(set->preservation.formats, (std::vector<std::string>{"pdfa-2b", "xml"}));

  const auto field = [](const std::string& toml) {
    auto c = loadToml(toml);
    return c ? std::string("accepted") : c.error().fields.at(0).field;
  };
  EXPECT_EQ(field("[preservation]\ncopy_1 = \"/srv/a\"\n"), "preservation.copy_2")
      << "one copy is no copy";
  EXPECT_EQ(field("[preservation]\nformats = \"pdfa-2b\"\n"), "preservation.formats");
  EXPECT_EQ(field("[preservation]\nformats = [1, 2]\n"), "preservation.formats");
  EXPECT_EQ(field("[preservation]\ntsa_url = \"https://tsa.example\"\n"),
            "preservation.tsa_certificate");

  // The fixity audits' cycle and schedule.
  EXPECT_EQ(defaults->preservation.fixity_cycle_days, 90);
  EXPECT_EQ(defaults->preservation.fixity_schedule, "@every 1h");
  auto audits =
      loadToml("[preservation]\nfixity_cycle_days = 365\nfixity_schedule = \"@daily 02:00\"\n");
  ASSERT_TRUE(audits) << audits.error().detail;
  EXPECT_EQ(audits->preservation.fixity_cycle_days, 365);
  EXPECT_EQ(audits->preservation.fixity_schedule, "@daily 02:00");
  EXPECT_EQ(field("[preservation]\nfixity_cycle_days = 0\n"), "preservation.fixity_cycle_days");
  EXPECT_EQ(field("[preservation]\nfixity_cycle_days = 2000\n"), "preservation.fixity_cycle_days")
      << "the guidelines' five years at most";
}

}  // namespace
}  // namespace cst
