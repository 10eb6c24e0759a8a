#pragma once
// The preservation module (Conservazione), as src/app registers it.
#include "platform/module.hpp"

namespace cst::preservation {
Module makeModule();
}
