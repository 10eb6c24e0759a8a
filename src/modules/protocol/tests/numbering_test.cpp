// The register's numbering: it restarts at 1 when the year turns in Rome, not in UTC.
#include "service_fixture.hpp"

namespace cst::protocol {
namespace {

class Numbering : public ProtocolService {
 protected:
  // 31 December 2026, 23:59:58 in Rome (22:59:58 UTC).
  std::string start() const override { return "2026-12-31T22:59:58.000Z"; }
};

TEST_F(Numbering, RestartsAtOneWhenTheYearTurnsInRome) {
  auto a = registerOne();
  ASSERT_TRUE(a) << a.error().detail;
  auto b = registerOne();
  ASSERT_TRUE(b);
  EXPECT_EQ(a->year, 2026);
  EXPECT_EQ(a->number, 1);
  EXPECT_EQ(b->number, 2);
  EXPECT_EQ(b->registered_on, "2026-12-31");
  // 00:00:00 of 1 January in Rome is still 31 December in UTC.
  clock_->advance(2s);
  auto c = registerOne();
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->year, 2027);
  EXPECT_EQ(c->number, 1);
  EXPECT_EQ(c->registered_on, "2027-01-01");
  EXPECT_EQ(c->registered_at.substr(0, 10), "2026-12-31");
  auto d = registerOne();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->number, 2);
  // The earlier year's registrations keep their numbers.
  auto first = service_->registration(a->id, auth::EnteScope{true, {}, false});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->year, 2026);
  EXPECT_EQ(first->number, 1);
}

}  // namespace
}  // namespace cst::protocol
