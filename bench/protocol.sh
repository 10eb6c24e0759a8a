#!/usr/bin/env bash
# Benchmarks of the protocol register (issue 6), written into docs/PERFORMANCE.md between the
# PROTOCOL:BEGIN/END markers: build/bench/cst_protocol_bench on SQLite and on PostgreSQL
# (scripts/postgres.sh starts it): registrations/s with 10 concurrent clients beside an audited
# write transaction, and the daily register of a day of 5,000 registrations beside reading them.
#
#   bash bench/protocol.sh            # PROTO_REGISTRATIONS=2000 PROTO_DAY=5000 PROTO_CLIENTS=10
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/build/bench/cst_protocol_bench
DOC=${BENCH_DOC:-$ROOT/docs/PERFORMANCE.md}
ARGS=(--clients "${PROTO_CLIENTS:-10}" --registrations "${PROTO_REGISTRATIONS:-2000}"
      --day "${PROTO_DAY:-5000}")
[[ -x $BENCH ]] || { echo "build first: bash scripts/build.sh" >&2; exit 2; }
TMP=$(mktemp -d /tmp/cst-protocol-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
{
  echo "_Run of $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores ($(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)), written by \`bench/protocol.sh\` (${ARGS[*]})._"
  echo
} >"$TMP/section.md"
"$BENCH" "${ARGS[@]}" >>"$TMP/section.md"
pg_url=$(bash "$ROOT/scripts/postgres.sh" start)
"$BENCH" "${ARGS[@]}" --database-url "$pg_url" >>"$TMP/section.md"
python3 "$ROOT/bench/section.py" "$DOC" PROTOCOL "Protocol register (issue 6)" "$TMP/section.md"
cat "$TMP/section.md"
