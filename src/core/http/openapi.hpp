#pragma once
// The OpenAPI 3 document, generated from the route table so that it always lists every endpoint.
#include <string>

#include "http/router.hpp"

namespace cst::http {

Json buildOpenApi(const Router& router, const std::string& version);

}  // namespace cst::http
