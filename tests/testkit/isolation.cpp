#include "testkit/isolation.hpp"

#include <gtest/gtest.h>

namespace cst::testkit {

void expectIsolated(HttpClient& outsider, const std::vector<Probe>& probes, HttpClient& owner,
                    const std::string& check) {
  const HttpResponse before = owner.get(check);
  ASSERT_EQ(before.status, 200) << "the owner must see " << check << ": " << before.body;
  for (const Probe& p : probes) {
    const HttpResponse r = outsider.request(p.method, p.target, p.body);
    EXPECT_EQ(r.status, 404) << p.method << " " << p.target << " answered " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << p.method << " " << p.target;
  }
  const HttpResponse after = owner.get(check);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.json(), before.json()) << "an outsider's request changed " << check;
}

}  // namespace cst::testkit
