#pragma once
// The tenant-isolation check every module uses in its integration tests: a user of one ente
// asking for, or trying to change, another ente's objects gets 404 (never 403: the existence of
// the object is not revealed) with a problem+json body, and the object is unchanged afterwards.
#include <string>
#include <vector>

#include "testkit/http_client.hpp"

namespace cst::testkit {

struct Probe {
  std::string method;  // "GET", "PATCH", "DELETE", ...
  std::string target;  // "/api/v1/uploads/abc"
  std::string body;    // for writes
};

// `outsider` is logged in as a user of another ente; `owner` can read the object at `check`
// before and after, to prove that nothing changed.
void expectIsolated(HttpClient& outsider, const std::vector<Probe>& probes, HttpClient& owner,
                    const std::string& check);

}  // namespace cst::testkit
