#!/usr/bin/env bash
# Benchmark of the pagoPA node interface (issue 5: "paVerifyPaymentNotice throughput and p99 under
# wrk with 1,000,000 positions stored: aim >= 2,000 verifications/s with p99 < 20 ms"), written
# into docs/PERFORMANCE.md between the PAYMENTS-NODE:BEGIN/END markers.
#
# One demo server on SQLite whose database gets NODE_POSITIONS (1,000,000) published positions of
# Cremona, inserted in SQL (the notice numbers made as the allocator makes them, check digit
# included). Then, interleaved for NODE_ROUNDS (3) rounds of NODE_SECONDS (10) each, wrk with
# NODE_CONNECTIONS (32) connections on 2 threads against:
#   - GET /healthz: the HTTP floor of the same server (baseline);
#   - POST /pagopa/paForNode paVerifyPaymentNotice for a random notice among all of them (each
#     request parsed, validated against the XSD, looked up, answered);
#   - paGetPaymentV2 the same way.
# The median round of each is reported, with the ratio to /healthz. Every answer is checked: a
# KO or a non-200 counts as an error.
#
#   bash bench/payments_node.sh        # ~2 minutes to build the data, then ~2 minutes of load
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOC=${BENCH_DOC:-$ROOT/docs/PERFORMANCE.md}
N=${NODE_POSITIONS:-1000000}
ROUNDS=${NODE_ROUNDS:-3}
SECONDS_EACH=${NODE_SECONDS:-10}
CONNS=${NODE_CONNECTIONS:-32}
CST=$ROOT/build/cst
[[ -x $CST ]] || { echo "build first: bash scripts/build.sh" >&2; exit 2; }
for t in wrk sqlite3 curl python3; do
  command -v $t >/dev/null || { echo "needs $t (scripts/setup.sh installs it)" >&2; exit 2; }
done

TMP=$(mktemp -d /tmp/cst-node-bench.XXXXXX)
SERVER=""
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
log() { printf '[node bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

start() {
  "$CST" serve "$@" --data "$TMP/data" --listen 127.0.0.1:0 >"$TMP/out" 2>"$TMP/err" &
  SERVER=$!
  for _ in $(seq 240); do grep -q '^listening on ' "$TMP/out" && break; sleep 0.25; done
  URL=$(sed -n 's/^listening on //p' "$TMP/out" | head -1)
  [[ -n $URL ]] || { cat "$TMP/err" >&2; exit 1; }
}
stop() { kill "$SERVER" && wait "$SERVER" 2>/dev/null || true; SERVER=""; }

log "demo data, then $N positions"
start --demo
stop
# Bases from 10,000,000 up, clear of the demo's; the allocator's counter is moved past them.
FIRST=10000000
sqlite3 "$TMP/data/cst.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE seq AS WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s
  WHERE n + 1 < $N) SELECT n FROM s;
INSERT INTO payments_positions (id, ente, reference, status, debtor_type, debtor_fiscal_code,
  debtor_name, debtor_city, description, service_code, created_at, created_by, updated_at,
  updated_by)
SELECT 1000000 + n, '019036', 'BENCH-' || n, 'VALID', 'F', 'RSSMRA85T10A562S', 'Mario Rossi',
  'Cremona', 'Tassa rifiuti 2026, avviso ' || n, '9/0101002IM/', '2026-01-01T00:00:00Z', 'bench',
  '2026-01-01T00:00:00Z', 'bench' FROM seq;
INSERT INTO payments_options (id, position_id, ente, seq, instalment, amount_cents, due_date,
  iuv, notice_number)
SELECT 1000000 + n, 1000000 + n, '019036', 1, 0, 1000 + n % 50000, '2030-06-30',
  '01' || printf('%013d', $FIRST + n) || printf('%02d', (3010000000000000 + $FIRST + n) % 93),
  '301' || printf('%013d', $FIRST + n) || printf('%02d', (3010000000000000 + $FIRST + n) % 93)
FROM seq;
INSERT INTO payments_transfers (option_id, ente, seq, amount_cents, iban, remittance)
SELECT 1000000 + n, '019036', 1, 1000 + n % 50000, 'IT60X0542811101000000123456', 'TARI 2026'
FROM seq;
UPDATE payments_iuv_counters SET next_base = $FIRST + $N WHERE ente = '019036';
COMMIT;
ANALYZE;
SQL
log "$(sqlite3 "$TMP/data/cst.db" 'SELECT COUNT(*) FROM payments_options') options stored"
start

cat >"$TMP/node.lua" <<LUA
-- A random stored notice per request; the check digit as the allocator computes it (exact in
-- doubles: the 16-digit prefix is below 2^53).
local first, n, op = $FIRST, $N, os.getenv("NODE_OP")
wrk.method = "POST"
wrk.path = "/pagopa/paForNode"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
local head = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
local caller = '<idPA>00297960197</idPA><idBrokerPA>80002130195</idBrokerPA><idStation>80002130195_01</idStation>'
request = function()
  local base = first + math.random(0, n - 1)
  local check = (3010000000000000 + base) % 93
  local nav = string.format("301%013d%02d", base, check)
  local qr = "<qrCode><fiscalCode>00297960197</fiscalCode><noticeNumber>" .. nav .. "</noticeNumber></qrCode>"
  local body
  if op == "get" then
    local cents = 1000 + (base - first) % 50000
    body = head .. '<pafn:paGetPaymentV2Request xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">' .. caller .. qr ..
      string.format("<amount>%d.%02d</amount>", math.floor(cents / 100), cents % 100) ..
      '</pafn:paGetPaymentV2Request></soapenv:Body></soapenv:Envelope>'
  else
    body = head .. '<pafn:paVerifyPaymentNoticeReq xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">' .. caller .. qr ..
      '</pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>'
  end
  return wrk.format(nil, nil, nil, body)
end
-- Each wrk thread has its own Lua state: the KO answers are counted per thread and summed.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
ko = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, "<outcome>OK</outcome>", 1, true) then ko = ko + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("ko") end
  io.write(string.format("NODE-KO %d\n", total))
end
LUA

one() {  # one() LABEL ARGS...: a wrk run, its output kept
  local label=$1; shift
  wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$@" >"$TMP/$label.$round.txt" 2>&1
}
log "warm-up"
NODE_OP=verify wrk -t2 -c"$CONNS" -d5s -s "$TMP/node.lua" "$URL" >/dev/null
for round in $(seq "$ROUNDS"); do
  log "round $round"
  one healthz "$URL/healthz"
  NODE_OP=verify one verify -s "$TMP/node.lua" "$URL"
  NODE_OP=get one get -s "$TMP/node.lua" "$URL"
done
stop

python3 - "$TMP" "$ROUNDS" "$N" "$CONNS" "$SECONDS_EACH" >"$TMP/section.md" <<'PY'
import re, statistics, sys, subprocess
tmp, rounds, n, conns, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
def parse(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    lat = {}
    for p in ("50", "90", "99"):
        m = re.search(rf"\s{p}(?:\.000)?%\s+([\d.]+)(us|ms|s)", t)
        v = float(m.group(1)); u = m.group(2)
        lat[p] = v / 1000 if u == "us" else v * 1000 if u == "s" else v
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    ko = re.search(r"NODE-KO (\d+)", t)
    errors = int(bad.group(1)) if bad else 0
    if ko: errors = max(errors, int(ko.group(1)))
    return rps, lat, errors
rows = {}
for label in ("healthz", "verify", "get"):
    runs = sorted((parse(f"{tmp}/{label}.{r}.txt") for r in range(1, rounds + 1)), key=lambda x: x[0])
    rows[label] = runs[len(runs) // 2]
base = rows["healthz"][0]
names = {"healthz": "`GET /healthz` (baseline: the HTTP floor)",
         "verify": "`paVerifyPaymentNotice`",
         "get": "`paGetPaymentV2`"}
cpu = subprocess.run(["sh", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.split("\n")
print(f"Measured {subprocess.run(['date','-u','+%Y-%m-%d %H:%M UTC'],capture_output=True,text=True).stdout.strip()} "
      f"by `bash bench/payments_node.sh` on {cpu[0]} cores ({cpu[1].strip()}), SQLite, "
      f"{n:,} published positions of Cremona stored; `wrk -t2 -c{conns} -d{secs}s --latency`, "
      f"a random stored notice per request, {rounds} interleaved rounds, the median round of each.")
print()
print("| request | req/s | ratio to /healthz | p50 ms | p90 ms | p99 ms | errors (non-200 or KO) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label in ("healthz", "verify", "get"):
    rps, lat, err = rows[label]
    print(f"| {names[label]} | {rps:,.0f} | {rps / base:.2f}× | {lat['50']:.2f} | {lat['90']:.2f} | {lat['99']:.2f} | {err} |")
print()
v = rows["verify"]
print(f"Aim: ≥ 2,000 verifications/s with p99 < 20 ms → **{v[0]:,.0f}/s, p99 {v[1]['99']:.1f} ms: "
      f"{'met' if v[0] >= 2000 and v[1]['99'] < 20 else 'not met'}**.")
PY
cat "$TMP/section.md"
python3 "$ROOT/bench/section.py" "$DOC" PAYMENTS-NODE "Payments: the pagoPA node interface (issue 5)" \
  "$TMP/section.md"
log "written to $DOC"
