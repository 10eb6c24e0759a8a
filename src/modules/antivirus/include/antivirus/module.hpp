#pragma once
// The antivirus module (Antivirus aggiornato), as src/app registers it.
#include "platform/module.hpp"

namespace cst::antivirus {
Module makeModule();
}
