#!/usr/bin/env bash
# Command (1) of the README: installs what is needed, builds the server and the web UI, and
# starts `cst serve --demo` on SQLite at http://127.0.0.1:8080 (credentials printed at start).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
bash scripts/setup.sh
bash scripts/build.sh
exec build/cst serve --demo --data "${CST_DATA_DIR:-./cst-data}" --listen "${CST_LISTEN:-127.0.0.1:8080}"
