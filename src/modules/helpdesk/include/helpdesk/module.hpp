#pragma once
// The service desk module (Call center unico), as src/app registers it.
#include "platform/module.hpp"

namespace cst::helpdesk {
Module makeModule();
}
