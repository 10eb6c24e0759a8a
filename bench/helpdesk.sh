#!/usr/bin/env bash
# Benchmarks of the service desk (issue 3), written into docs/PERFORMANCE.md between the
# HELPDESK:BEGIN/END markers:
#   1. build/cst_helpdesk_bench on SQLite and on PostgreSQL (scripts/postgres.sh starts it):
#      full-text search over the archive, the SLA job over the open tickets, service-level
#      creation, each beside a baseline measured in the same run;
#   2. ticket creation through the HTTP API (wrk POST) beside the authenticated database read
#      (GET /api/v1/enti/019036) of the same server, as the enti benchmark of bench/run.sh does.
#
#   bash bench/helpdesk.sh                               # 100,000 tickets, 10,000 open (minutes)
#   HD_TICKETS=1000000 HD_OPEN=100000 bash bench/helpdesk.sh   # the issue's sizes
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TICKETS=${HD_TICKETS:-100000}
OPEN=${HD_OPEN:-10000}
DUR=${HD_SECONDS:-10}
DOC=${BENCH_DOC:-$ROOT/docs/PERFORMANCE.md}
# PostgreSQL sized as production would be for the archive: shared_buffers a quarter of the RAM, at
# most 4 GB (Debian's default, 128 MB, holds a fifth of a million tickets' search table).
PG_BUFFERS=${HD_PG_SHARED_BUFFERS:-$(awk '/^MemTotal/ {m = int($2 / 4096); print (m > 4096 ? 4096 : m) "MB"}' /proc/meminfo)}
BENCH=$ROOT/build/bench/cst_helpdesk_bench
[[ -x $BENCH && -x $ROOT/build/cst ]] || { echo "build first: bash scripts/build.sh" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }

TMP=$(mktemp -d /tmp/cst-hd-bench.XXXXXX)
SERVER=""
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
log() { printf '[helpdesk bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

{
  echo "_Run of $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores ($(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.0f GB RAM", $2 / 1048576}' /proc/meminfo), written by \`bench/helpdesk.sh\` (HD_TICKETS=$TICKETS, HD_OPEN=$OPEN; PostgreSQL 15 with shared_buffers = $PG_BUFFERS)._"
  echo
} >"$TMP/section.md"

log "SQLite: $TICKETS tickets, $OPEN open"
"$BENCH" --tickets "$TICKETS" --open "$OPEN" >>"$TMP/section.md"
log "PostgreSQL: $TICKETS tickets, $OPEN open"
pg_url=$(CST_PG_SHARED_BUFFERS=$PG_BUFFERS bash "$ROOT/scripts/postgres.sh" start)
"$BENCH" --tickets "$TICKETS" --open "$OPEN" --database-url "$pg_url" >>"$TMP/section.md"

log "API creation beside the database read"
printf '[auth]\nlogin_attempts_per_minute = 100000\n' >"$TMP/cst.toml"
"$ROOT/build/cst" serve --demo --data "$TMP/data" --listen 127.0.0.1:0 --config "$TMP/cst.toml" \
  >"$TMP/out" 2>"$TMP/err" &
SERVER=$!
for _ in $(seq 240); do grep -q '^listening on ' "$TMP/out" && break; sleep 0.25; done
URL=$(sed -n 's/^listening on //p' "$TMP/out" | head -1)
token=$(curl -sS -X POST -H 'Content-Type: application/json' \
  -d '{"username":"operatore","password":"cst-demo-2026"}' "$URL/api/v1/auth/login" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
cat >"$TMP/post.lua" <<'EOF'
local n = 0
request = function()
  n = n + 1
  local body = '{"ente":"019036","subject":"Richiesta di prova ' .. n ..
    '","description":"Generata dal benchmark del call center","urgency":3,"impact":3}'
  return wrk.format("POST", "/api/v1/helpdesk/tickets", nil, body)
end
EOF
wrk -t2 -c16 -d"${DUR}s" --latency -H "Authorization: Bearer $token" \
  "$URL/api/v1/enti/019036" >"$TMP/read.txt"
wrk -t2 -c16 -d"${DUR}s" --latency -s "$TMP/post.lua" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' "$URL/api/v1/helpdesk/tickets" >"$TMP/create.txt"
rps() { awk '/Requests\/sec/{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
non2xx() { awk '/Non-2xx/{print $4}' "$1"; }
{
  echo "#### Ticket creation through the HTTP API (\`wrk -t2 -c16 -d${DUR}s\`, SQLite, demo server)"
  echo
  echo "| target | requests/s | p99 | non-2xx | ratio |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| baseline: \`GET /api/v1/enti/019036\` (authenticated read) | $(rps "$TMP/read.txt") | $(p99 "$TMP/read.txt") | $(non2xx "$TMP/read.txt") | 1.00× |"
  echo "| \`POST /api/v1/helpdesk/tickets\` (aim ≥ 1,000/s) | $(rps "$TMP/create.txt") | $(p99 "$TMP/create.txt") | $(non2xx "$TMP/create.txt") | $(python3 -c "print(f'{$(rps "$TMP/create.txt")/$(rps "$TMP/read.txt"):.2f}×')") |"
  echo
} >>"$TMP/section.md"

python3 "$ROOT/bench/section.py" "$DOC" HELPDESK "Service desk (issue 3)" "$TMP/section.md"
log "done: $DOC"
cat "$TMP/section.md"
