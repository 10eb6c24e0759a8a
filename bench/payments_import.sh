#!/usr/bin/env bash
# Times the import of a generated tax roll (issue 5: "a 100,000-row tax roll < 30 s including
# notice numbers") through the real HTTP API of a demo server on SQLite: one POST of the whole
# CSV, from the first byte sent to the report received. Prints the report's totals and the time.
#
#   bash bench/payments_import.sh                       # 100,000 rows, one option each
#   IMPORT_ROWS=20000 IMPORT_PUBLISH=true bash bench/payments_import.sh
#   CST_BUILD=/path/to/build bash bench/payments_import.sh   # another build directory
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${IMPORT_ROWS:-100000}
PUBLISH=${IMPORT_PUBLISH:-false}
CST=${CST_BUILD:-$ROOT/build}/cst
[[ -x $CST ]] || { echo "build first: bash scripts/build.sh (or set CST_BUILD)" >&2; exit 2; }

TMP=$(mktemp -d /tmp/cst-import-bench.XXXXXX)
SERVER=""
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
log() { printf '[import bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

log "generating $ROWS rows"
# Made-up debtors with well-formed codici fiscali (check letter computed), varied amounts in euro
# with a decimal comma, as an office's spreadsheet exports them (separator ';', CRLF).
python3 - "$ROWS" >"$TMP/roll.csv" <<'EOF'
import random, sys
rows = int(sys.argv[1])
rng = random.Random(20261127)
ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
def check(cf15):
    total = 0
    for i, c in enumerate(cf15):
        v = ord(c) - (48 if c.isdigit() else 65)
        total += ODD[v] if i % 2 == 0 else v
    return chr(65 + total % 26)
letters = "BCDFGLMNPRSTVZ"
out = sys.stdout
out.write("\ufeffcodice;descrizione;tassonomia;tipo_debitore;codice_fiscale;nominativo;indirizzo;"
          "cap;comune;provincia;importo;scadenza;causale\r\n")
for i in range(rows):
    cf = ("".join(rng.choice(letters) for _ in range(6)) + "%02d" % rng.randrange(100) +
          rng.choice("ABCDEHLMPRST") + "%02d" % rng.randint(1, 28) + "D150")
    cf += check(cf)
    euro = rng.randint(20, 2000)
    cents = rng.randrange(100)
    out.write(f"TARI-2030-{i:06d};TARI 2030;9/0101002IM/;F;{cf};Contribuente {i};"
              f"Via Roma {i % 300 + 1};26100;Cremona;CR;{euro},{cents:02d};31/03/2030;"
              f"TARI 2030 saldo\r\n")
EOF
log "$(wc -c <"$TMP/roll.csv") bytes"

"$CST" serve --demo --data "$TMP/data" --listen 127.0.0.1:0 >"$TMP/out" 2>"$TMP/err" &
SERVER=$!
for _ in $(seq 240); do grep -q '^listening on ' "$TMP/out" && break; sleep 0.25; done
URL=$(sed -n 's/^listening on //p' "$TMP/out" | head -1)
[[ -n $URL ]] || { cat "$TMP/err" >&2; exit 1; }
token=$(curl -sS -X POST -H 'Content-Type: application/json' \
  -d '{"username":"ref.cremona","password":"cst-demo-2026"}' "$URL/api/v1/auth/login" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')

log "importing (mode=all_or_nothing, publish=$PUBLISH)"
seconds=$(curl -sS -o "$TMP/report.json" -w '%{time_total}' -X POST \
  -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary "@$TMP/roll.csv" \
  "$URL/api/v1/payments/imports?ente=019036&mode=all_or_nothing&publish=$PUBLISH")
python3 - "$TMP/report.json" "$seconds" "$ROWS" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
if "outcome" not in r:
    sys.exit("import failed: " + json.dumps(r))
print(f"rows: {r['rows']}, accepted: {r['rows_accepted']}, rejected: {r['rows_rejected']}, "
      f"positions created: {r['positions_created']}, outcome: {r['outcome']}")
print(f"import of {sys.argv[3]} rows: {float(sys.argv[2]):.1f} s (aim < 30 s)")
EOF
