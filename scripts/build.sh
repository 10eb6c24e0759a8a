#!/usr/bin/env bash
# Builds build/cst (CMake preset "default": warnings are errors) and the web UI (web/dist).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
cmake --preset default ${CST_CMAKE_ARGS:-} >/dev/null
cmake --build --preset default
(cd web && npm run build --silent)
