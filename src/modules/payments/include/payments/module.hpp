#pragma once
// The payments module (Pagamenti online), as src/app registers it.
#include "platform/module.hpp"

namespace cst::payments {
Module makeModule();
}
