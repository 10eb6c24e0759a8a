#pragma once
// The protocol module (Protocollo informatico), as src/app registers it.
#include "platform/module.hpp"

namespace cst::protocol {
Module makeModule();
}
