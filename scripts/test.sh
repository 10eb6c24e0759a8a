#!/usr/bin/env bash
# Command (2) of the README, run by CI (.ci/run): installs what is needed, builds, and runs every
# test: unit and integration tests (on SQLite and on a real PostgreSQL that this script starts),
# the browser end-to-end tests against a real `cst serve --demo`, the same unit and integration
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and the clang-format check.
# Ends with one line "summary: N passed, N failed" (N counts tests of every stage).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
root=$(pwd)
passed=0
failed=0
stage_ok() { passed=$((passed + $1)); }
stage_fail() { failed=$((failed + $1)); echo "FAILED: $2" >&2; }

# Adds the counts of a ctest run from its summary line.
count_ctest() {
  local log=$1 line total bad
  line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1)
  if [ -z "$line" ]; then stage_fail 1 "$2 (no test summary)"; return; fi
  bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  stage_ok $((total - bad))
  [ "$bad" -eq 0 ] || stage_fail "$bad" "$2"
}

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

pg_url=$(bash scripts/postgres.sh start) || { echo "cannot start PostgreSQL"; exit 1; }
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  bash scripts/postgres.sh stop
}
trap cleanup EXIT

echo "== build"
CST_CMAKE_ARGS="-DCST_TEST_POSTGRES_URL=$pg_url" bash scripts/build.sh || { echo "build failed"; echo "summary: 0 passed, 1 failed"; exit 1; }

echo "== unit and integration tests (SQLite and PostgreSQL)"
(cd build && ctest --output-on-failure -j2 --timeout 600) 2>&1 | tee /tmp/cst-ctest.log
count_ctest /tmp/cst-ctest.log "ctest"

echo "== browser end-to-end tests (headless Chromium)"
# Two servers: the demo (every role, no second factor), and a production-like one (no --demo)
# whose first administrator must enrol TOTP before anything else.
e2e_data=$(mktemp -d)
enrol_data=$(mktemp -d)
build/cst serve --demo --data "$e2e_data" --listen 127.0.0.1:18090 >"$e2e_data/out.log" 2>"$e2e_data/err.log" &
server_pid=$!
echo 'una-password-lunga' | build/cst user add --username capo --role cst_admin --password-stdin --data "$enrol_data" >/dev/null
build/cst serve --data "$enrol_data" --listen 127.0.0.1:18091 >"$enrol_data/out.log" 2>"$enrol_data/err.log" &
enrol_pid=$!
for _ in $(seq 1 150); do
  grep -q "listening on" "$e2e_data/out.log" 2>/dev/null && grep -q "listening on" "$enrol_data/out.log" 2>/dev/null && break
  sleep 0.2
done
(cd web && CST_URL=http://127.0.0.1:18090 CST_ADMIN_USER=admin CST_ADMIN_PASSWORD=cst-demo-2026 \
  CST_ENROL_URL=http://127.0.0.1:18091 CST_ENROL_USER=capo CST_ENROL_PASSWORD=una-password-lunga \
  CST_DATA="$e2e_data" \
  npm run e2e --silent) 2>&1 | tee /tmp/cst-e2e.log
kill "$enrol_pid" 2>/dev/null; wait "$enrol_pid" 2>/dev/null
rm -rf "$enrol_data"
e2e_line=$(grep -E "^[0-9]+ passed, [0-9]+ failed" /tmp/cst-e2e.log | tail -1)
if [ -n "$e2e_line" ]; then
  stage_ok "$(cut -d' ' -f1 <<<"$e2e_line")"
  bad=$(cut -d' ' -f3 <<<"$e2e_line")
  [ "$bad" -eq 0 ] || stage_fail "$bad" "e2e"
else
  stage_fail 1 "e2e (no summary)"
  tail -20 "$e2e_data/err.log"
fi
kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""
rm -rf "$e2e_data"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
if cmake --preset asan >/dev/null && cmake --build --preset asan; then
  (cd build-asan && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j2 --timeout 900) 2>&1 | tee /tmp/cst-asan.log
  count_ctest /tmp/cst-asan.log "asan"
else
  stage_fail 1 "asan build"
fi

echo "== clang-format"
if find src tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null | xargs clang-format --dry-run --Werror 2>/tmp/cst-format.log; then
  stage_ok 1
else
  head -20 /tmp/cst-format.log
  stage_fail 1 "clang-format (run: clang-format -i on the files above)"
fi

echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
