#!/usr/bin/env bash
# Benchmarks of the preservation service (issue 7), written into docs/PERFORMANCE.md between the
# PRESERVATION:BEGIN/END markers, against a real `cst serve --demo` (with the clamd it
# supervises) on loopback:
#   1. ingest: PRES_SIPS (10,000) one-document SIPs, then PRES_SIPS10 (1,000) ten-document SIPs,
#      each document PRES_DOC_BYTES (102,400) bytes of new random content in XML (bench/
#      preservation_load.py makes them), offered as multipart POST /api/v1/preservation/sips by
#      1, 2 and 4 curl clients (one keep-alive connection each). The SIPs are split into
#      PRES_ROUNDS (3) interleaved rounds of one chunk per client count, and each chunk is paired
#      with the baseline on a corpus of its own of the same shape: the floor of any ingest of
#      these bytes, the same clamd scanning each file as cst asks it (`clamdscan --fdpass`),
#      `sha256sum`, and two copies each fsynced (`cp` + `sync FILE`), as many at once as clients;
#   2. fixity: after each ingest, POST /api/v1/preservation/audits {} as admin (the whole
#      archive) against `sha256sum` (the issue's baseline) and `openssl dgst -sha256` (the same
#      SHA-256 code as cst) over exactly the files under copia-1/objects and copia-2/objects;
#      page cache warm for all three (each runs once untimed first), then PRES_FIXITY_ROUNDS (3)
#      interleaved rounds, the median of each;
#   3. storage overhead of the AIPs: per copy, the bytes under copia-1/objects (du, and the files
#      alone) over the documents' bytes, and package_bytes/documents_bytes from the API.
#
#   bash bench/preservation.sh                         # about 12 minutes on 2 cores
#   PRES_SIPS=200 PRES_SIPS10=20 bash bench/preservation.sh   # a quick check (about 1 minute)
#   flock /tmp/cst-build.lock bash bench/preservation.sh      # with no compilation meanwhile
#   bash bench/preservation.sh --report     # the section again from the last run's raw results
#
# Other knobs: PRES_CLIENTS ("1 2 4"), PRES_ROUNDS (3), PRES_FIXITY_ROUNDS (3), PRES_FLOOR_DOCS
# (400: documents of the floor per chunk), CST_BIN (build/cst, copied first), BENCH_DOC (this
# document), PRES_RESULTS (bench/results/preservation: the raw timings, curl's answers, the
# audit reports). Needs curl, python3, clamdscan, sha256sum and openssl; it uses about 3 GB of
# disk under /tmp while it runs (one archive of two copies at a time) and removes it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOC=${BENCH_DOC:-$ROOT/docs/PERFORMANCE.md}
RESULTS=${PRES_RESULTS:-$ROOT/bench/results/preservation}
CST_BIN=${CST_BIN:-$ROOT/build/cst}
SIPS=${PRES_SIPS:-10000}
SIPS10=${PRES_SIPS10:-1000}
DOC_BYTES=${PRES_DOC_BYTES:-102400}
ROUNDS=${PRES_ROUNDS:-3}
FIXITY_ROUNDS=${PRES_FIXITY_ROUNDS:-3}
FLOOR_DOCS=${PRES_FLOOR_DOCS:-400}
read -r -a CLIENTS <<<"${PRES_CLIENTS:-1 2 4}"
ENTE=019036
PASSWORD=cst-demo-2026
LOAD=$ROOT/bench/preservation_load.py
[[ -x $CST_BIN ]] || { echo "build first: bash scripts/build.sh (or set CST_BIN)" >&2; exit 2; }
for tool in curl python3 clamdscan sha256sum openssl; do
  command -v "$tool" >/dev/null ||
    { echo "needs $tool (apt-get install curl python3 clamdscan coreutils openssl)" >&2; exit 2; }
done

TMP=$(mktemp -d /tmp/cst-preservation-bench.XXXXXX)
OUT=$TMP/results
mkdir -p "$OUT"
PIDS=()
log() { printf '[preservation bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
alive() {
  local s
  s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $s && $s != Z* ]]
}
stop_pid() {  # TERM (cst stops its clamd), wait up to 25 s, KILL; then any child left
  local pid=$1 kids i k out=()
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.25; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  for k in $kids; do alive "$k" && kill -KILL "$k" 2>/dev/null; done
  for k in "${PIDS[@]}"; do [[ $k != "$pid" ]] && out+=("$k"); done
  PIDS=("${out[@]}")
}
cleanup() {
  local rc=$? i
  set +e
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do alive "${PIDS[i]}" && stop_pid "${PIDS[i]}"; done
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks() {  # utime+stime of a process, in clock ticks
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}
machine_ticks() { awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; print b+$5+$6, b}' /proc/stat; }
HZ=$(getconf CLK_TCK)

# start_server NAME: a demo server with its own data dir on a free port; sets URL, SERVER,
# CLAMD, DATA. The scheduled fixity audit is moved out of the run (its first run would come an
# hour after the start, and would re-hash the whole archive beside the measurements).
start_server() {
  local dir=$TMP/$1 i
  mkdir -p "$dir"
  printf '[auth]\nlogin_attempts_per_minute = 100000\nlockout_threshold = 1000000\n[preservation]\nfixity_schedule = "@every 24h"\n' \
    >"$dir/cst.toml"
  env -u CST_DATABASE_URL -u CST_LISTEN -u CST_DATA_DIR -u CST_CLAMD \
    "$TMP/cst" serve --demo --data "$dir/data" --listen 127.0.0.1:0 --config "$dir/cst.toml" \
    >"$dir/out" 2>"$dir/err" &
  SERVER=$!
  PIDS+=("$SERVER")
  for ((i = 0; i < 240; i++)); do
    grep -q '^listening on ' "$dir/out" 2>/dev/null && break
    alive "$SERVER" || { cat "$dir/err" >&2; log "cst exited during start"; exit 1; }
    sleep 0.25
  done
  URL=$(sed -n 's/^listening on //p' "$dir/out" | head -1)
  [[ -n $URL ]] || { log "cst did not start within 60 s"; exit 1; }
  for ((i = 0; i < 120; i++)); do
    CLAMD=$(ps -o pid= --ppid "$SERVER" | head -1 | tr -d ' ')
    [[ -n $CLAMD && -S $dir/data/clamd/clamd.sock ]] && break
    sleep 0.5
  done
  DATA=$dir/data
  log "cst pid $SERVER at $URL, clamd pid ${CLAMD:-?}"
}
login() {
  curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$PASSWORD\"}" "$1/api/v1/auth/login" |
    python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}

# The floor, for one batch of files: scanned by the same clamd as cst asks it (a descriptor),
# hashed, copied to two directories, each copy and both directories fsynced.
floor_batch() {
  set -e
  clamdscan --config-file="$CONF" --fdpass --no-summary --quiet "$@"
  sha256sum "$@" >/dev/null
  cp -t "$FLOOR_1" "$@"
  cp -t "$FLOOR_2" "$@"
  local f synced=()
  for f in "$@"; do synced+=("$FLOOR_1/${f##*/}" "$FLOOR_2/${f##*/}"); done
  sync "${synced[@]}" "$FLOOR_1" "$FLOOR_2"
}
export -f floor_batch

# timed NAME COMMAND...: wall seconds, machine busy share, cst and clamd CPU seconds of a run,
# appended to $OUT/NAME.tsv.
timed() {
  local name=$1 a b t0 t1 s0 s1 c0 c1
  shift
  read -r -a a < <(machine_ticks)
  s0=$(ticks "$SERVER")
  c0=$(ticks "${CLAMD:-0}")
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  read -r -a b < <(machine_ticks)
  s1=$(ticks "$SERVER")
  c1=$(ticks "${CLAMD:-0}")
  printf '%s\t%s\t%s\t%s\n' "$(python3 -c "print($t1 - $t0)")" \
    "$(python3 -c "t=${b[0]}-${a[0]}; print(round(100*(${b[1]}-${a[1]})/t) if t else 0)")" \
    "$(python3 -c "print(($s1-$s0)/$HZ)")" "$(python3 -c "print(($c1-$c0)/$HZ)")" \
    >>"$OUT/$name.tsv"
}

# ingest_chunk KIND CLIENTS SIPS PER_SIP SEED: a corpus for the chunk and one for its floor,
# then the floor and the ingest, timed; every answer must be 201.
ingest_chunk() {
  local kind=$1 c=$2 n=$3 per=$4 seed=$5 dir=$TMP/chunk k pids=()
  rm -rf "$dir" "$TMP/floor"
  mkdir -p "$dir" "$TMP/floor/1" "$TMP/floor/2"
  python3 "$LOAD" corpus "$dir/ingest" "$n" "$per" "$DOC_BYTES" "$c" "$URL" "$TOKEN" "$ENTE" \
    "${seed}i" >/dev/null
  local floor_docs=$((n * per < FLOOR_DOCS ? n * per : FLOOR_DOCS))
  python3 "$LOAD" corpus "$dir/floor" "$floor_docs" 1 "$DOC_BYTES" 1 "$URL" x "$ENTE" \
    "${seed}f" >/dev/null
  FLOOR_1=$TMP/floor/1 FLOOR_2=$TMP/floor/2 CONF=$DATA/clamd/clamd.conf
  export FLOOR_1 FLOOR_2 CONF
  floor_all() { xargs -a "$dir/floor/files.txt" -P "$c" -n 25 bash -c 'floor_batch "$@"' _; }
  timed "floor-$kind-c$c" floor_all
  ingest_all() {
    for ((k = 0; k < c; k++)); do
      [[ -s $dir/ingest/client-$k.curl ]] || continue  # fewer SIPs than clients
      curl -K "$dir/ingest/client-$k.curl" >"$dir/answers-$k.txt" &
      pids+=($!)
    done
    for k in "${pids[@]}"; do wait "$k"; done
  }
  timed "ingest-$kind-c$c" ingest_all
  cat "$dir"/answers-*.txt >>"$OUT/answers-$kind-c$c.txt"
  if grep -qv '^201 ' "$dir"/answers-*.txt; then
    log "refused SIPs in $kind, $c clients:"
    grep -v '^201 ' "$dir"/answers-*.txt | sort | uniq -c | head >&2
    tail -20 "$DATA/../err" >&2
    exit 1
  fi
  echo "$n $((n * per)) $floor_docs" >>"$OUT/count-$kind-c$c.txt"
  rm -rf "$dir" "$TMP/floor"
}

# ingest KIND TOTAL_SIPS PER_SIP: ROUNDS rounds of one chunk per client count.
ingest() {
  local kind=$1 total=$2 per=$3 chunks r i=0 c n
  chunks=$((ROUNDS * ${#CLIENTS[@]}))
  for ((r = 1; r <= ROUNDS; r++)); do
    for c in "${CLIENTS[@]}"; do
      n=$((total / chunks + (i < total % chunks ? 1 : 0)))
      ((n > 0)) || continue
      log "ingest $kind, round $r of $ROUNDS, $c client(s): $n SIPs of $per document(s)"
      ingest_chunk "$kind" "$c" "$n" "$per" "$kind$r$c"
      tail -1 "$OUT/floor-$kind-c$c.tsv" | awk -F'\t' '{printf "    floor  %.2f s, busy %s%%\n", $1, $2}' >&2
      tail -1 "$OUT/ingest-$kind-c$c.tsv" |
        awk -F'\t' -v n="$n" '{printf "    ingest %.2f s (%.1f SIPs/s), busy %s%%, cst %.1f s, clamd %.1f s CPU\n", $1, n/$1, $2, $3, $4}' >&2
      i=$((i + 1))
    done
  done
  for c in "${CLIENTS[@]}"; do
    [[ -f $OUT/answers-$kind-c$c.txt ]] &&
      python3 "$LOAD" latencies "$OUT/latency-$kind-c$c.json" "$OUT/answers-$kind-c$c.txt"
  done
}

# fixity KIND: the audit against sha256sum and openssl over the same files, warm page cache.
fixity() {
  local kind=$1 r
  find "$DATA/conservazione/copia-1/objects" "$DATA/conservazione/copia-2/objects" -type f \
    -print0 >"$OUT/files-$kind.list"
  find "$DATA/conservazione/copia-1/objects" "$DATA/conservazione/copia-2/objects" -type f \
    -printf '%s\n' | awk '{n++; b+=$1} END {printf "%.0f %.0f\n", n, b}' >"$OUT/files-$kind.count"
  audit() {
    curl -sS --max-time 1200 -o "$OUT/audit-$kind.json" -w '%{http_code}' -X POST \
      -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{}' \
      "$URL/api/v1/preservation/audits" >"$OUT/audit-$kind.code"
    [[ $(cat "$OUT/audit-$kind.code") == 201 ]] ||
      { log "audit answered $(cat "$OUT/audit-$kind.code"): $(head -c 500 "$OUT/audit-$kind.json")"; exit 1; }
  }
  sha256sum_all() { xargs -0 -a "$OUT/files-$kind.list" sha256sum >/dev/null; }
  openssl_all() { xargs -0 -a "$OUT/files-$kind.list" openssl dgst -sha256 >/dev/null; }
  log "fixity $kind: $(cat "$OUT/files-$kind.count") (files, bytes); one untimed pass of each"
  audit
  sha256sum_all
  openssl_all
  for ((r = 1; r <= FIXITY_ROUNDS; r++)); do
    timed "audit-$kind" audit
    timed "sha256sum-$kind" sha256sum_all
    timed "openssl-$kind" openssl_all
    log "  round $r: audit $(tail -1 "$OUT/audit-$kind.tsv" | cut -f1) s, sha256sum $(tail -1 "$OUT/sha256sum-$kind.tsv" | cut -f1) s, openssl $(tail -1 "$OUT/openssl-$kind.tsv" | cut -f1) s"
  done
}

# storage KIND: bytes under copia-1/objects and copia-2/objects, and the API's view.
storage() {
  local kind=$1 n
  for n in 1 2; do
    local objects=$DATA/conservazione/copia-$n/objects
    {
      echo "copy=$n"
      echo "du_apparent=$(du -s --apparent-size -B1 "$objects" | cut -f1)"
      echo "du_allocated=$(du -s -B1 "$objects" | cut -f1)"
      find "$objects" -type f -printf '%s %b\n' |
        awk '{n++; s+=$1; b+=$2*512} END {printf "files=%.0f\nfiles_apparent=%.0f\nfiles_allocated=%.0f\n", n, s, b}'
      echo "dirs=$(find "$objects" -mindepth 1 -type d | wc -l)"
    } >"$OUT/storage-$kind-copy$n.env"
  done
  curl -sS --max-time 60 -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v1/preservation/aips?ente=$ENTE&limit=200" >"$OUT/aips-$kind.json"
}

# phase KIND TOTAL_SIPS PER_SIP: a server of its own, the ingest, storage, fixity; then it is
# stopped and its data removed (the disk holds one archive at a time).
phase() {
  local kind=$1 total=$2 per=$3
  start_server "$kind"
  TOKEN=$(login "$URL" impiegato.cremona)
  ADMIN=$(login "$URL" admin)
  # One SIP offered untimed first: the seal and the local TSA's keys are made at first use.
  python3 "$LOAD" corpus "$TMP/warm" 1 "$per" "$DOC_BYTES" 1 "$URL" "$TOKEN" "$ENTE" "w$kind" >/dev/null
  curl -K "$TMP/warm/client-0.curl" | grep -q '^201 ' || { log "the warm-up SIP was refused"; exit 1; }
  rm -rf "$TMP/warm"
  echo "$total $((total * per))" >"$OUT/warm-$kind.txt"
  ingest "$kind" "$total" "$per"
  storage "$kind"
  fixity "$kind"
  stop_pid "$SERVER"
  rm -rf "$TMP/$kind"
}

if [[ ${1:-} == --report ]]; then
  OUT=$RESULTS
  [[ -f $OUT/meta.env ]] || { echo "no results in $OUT" >&2; exit 2; }
else
  START=$(date +%s)
  cp "$CST_BIN" "$TMP/cst"
  {
    echo "date=\"$(date -u '+%Y-%m-%d %H:%M UTC')\""
    echo "nproc=$(nproc)"
    echo "cpu_model=\"$(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)\""
    echo "mem_gib=$(awk '/^MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo)"
    echo "fs=\"$(findmnt -no FSTYPE --target "$TMP" 2>/dev/null || stat -f -c %T "$TMP")\""
    echo "loadavg_before=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
    echo "cst_built=\"$(date -u -r "$CST_BIN" '+%Y-%m-%d %H:%M UTC')\""
    echo "clamd_version=\"$(clamd --version 2>/dev/null | head -1)\""
    echo "openssl_version=\"$(openssl version | cut -d' ' -f1-2)\""
    echo "sha256sum_version=\"$(sha256sum --version | head -1)\""
    echo "doc_bytes=$DOC_BYTES"
    echo "rounds=$ROUNDS"
    echo "fixity_rounds=$FIXITY_ROUNDS"
    echo "clients=\"${CLIENTS[*]}\""
    echo "floor_docs=$FLOOR_DOCS"
  } >"$OUT/meta.env"
  log "$SIPS one-document SIPs and $SIPS10 ten-document SIPs of $DOC_BYTES-byte documents, clients ${CLIENTS[*]}, $ROUNDS rounds"
  ((SIPS > 0)) && phase one "$SIPS" 1
  ((SIPS10 > 0)) && phase ten "$SIPS10" 10
  echo "elapsed=$(($(date +%s) - START))" >>"$OUT/meta.env"
  echo "loadavg_after=\"$(cut -d' ' -f1-3 /proc/loadavg)\"" >>"$OUT/meta.env"

  mkdir -p "$RESULTS"
  find "$RESULTS" -maxdepth 1 -type f -delete
  find "$OUT" -maxdepth 1 -type f ! -name '*.list' -exec cp -t "$RESULTS" {} +
fi
python3 - "$OUT" "$TMP/section.md" "$DOC_BYTES" "$ROUNDS" "$FIXITY_ROUNDS" "${CLIENTS[*]}" \
  "$FLOOR_DOCS" <<'EOF'
import json, os, shlex, statistics, sys
out, section, doc_bytes, rounds, frounds, clients, floor_docs = sys.argv[1:8]
doc_bytes, clients = int(doc_bytes), [int(c) for c in clients.split()]

def env(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            d[k] = shlex.split(v)[0] if v else ""
    return d

def rows(name):
    p = os.path.join(out, name + ".tsv")
    return [[float(x) for x in l.split("\t")] for l in open(p)] if os.path.exists(p) else []

meta = env(os.path.join(out, "meta.env"))
# The run's own settings (--report may run with other defaults in the environment).
doc_bytes, rounds = int(meta.get("doc_bytes", doc_bytes)), meta.get("rounds", rounds)
frounds, floor_docs = meta.get("fixity_rounds", frounds), meta.get("floor_docs", floor_docs)
clients = [int(c) for c in meta.get("clients", " ".join(map(str, clients))).split()]
kinds = [(k, label, per) for k, label, per in
         (("one", "one-document SIPs", 1), ("ten", "ten-document SIPs", 10))
         if os.path.exists(os.path.join(out, f"warm-{k}.txt"))]
w = []
w.append(f"_Run of {meta['date']} on {meta['nproc']} cores ({meta['cpu_model']}), {meta['mem_gib']} GB "
         f"RAM, {meta['fs']} file system, written by `bench/preservation.sh` in {int(meta['elapsed']) // 60} min, binary built {meta['cst_built']}; "
         f"load average {meta['loadavg_before']} before, {meta['loadavg_after']} after; "
         f"`cst serve --demo` on SQLite with the clamd it supervises ({meta['clamd_version']}, the "
         f"project's test signatures), on loopback. Documents: XML of {doc_bytes:,} bytes of new "
         f"random content each (format `xml`, accepted by the default policy), nothing "
         f"deduplicated or cached. MB = 10⁶ bytes._\n")

w.append(f"#### 1. Ingest (`POST /api/v1/preservation/sips`, curl clients with one keep-alive "
         f"connection each; {rounds} interleaved rounds, each client count one chunk per round, "
         f"every chunk beside its floor on a corpus of its own)\n")
w.append("| SIP kind | clients | SIPs × documents | seconds | docs/s | MB/s | SIP latency p50 / p95 | "
         "CPU busy | CPU per document: cst / clamd | floor docs/s | ratio to the floor |")
w.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
spreads = []
for kind, label, per in kinds:
    for c in clients:
        ing, flo = rows(f"ingest-{kind}-c{c}"), rows(f"floor-{kind}-c{c}")
        cnt = os.path.join(out, f"count-{kind}-c{c}.txt")
        if not ing or not os.path.exists(cnt):
            continue
        sips = sum(int(l.split()[0]) for l in open(cnt))
        docs = sum(int(l.split()[1]) for l in open(cnt))
        fdocs = sum(int(l.split()[2]) for l in open(cnt))
        secs, fsecs = sum(r[0] for r in ing), sum(r[0] for r in flo)
        busy = sum(r[1] * r[0] for r in ing) / secs
        cst_ms, clamd_ms = sum(r[2] for r in ing) / docs * 1000, sum(r[3] for r in ing) / docs * 1000
        lat = json.load(open(os.path.join(out, f"latency-{kind}-c{c}.json")))
        rate, frate = docs / secs, fdocs / fsecs
        w.append(f"| {label} | {c} | {sips:,} × {per} | {secs:.1f} | **{rate:.0f}** "
                 f"| {rate * doc_bytes / 1e6:.1f} | {lat['p50_ms']:.0f} / {lat['p95_ms']:.0f} ms "
                 f"| {busy:.0f}% | {cst_ms:.1f} / {clamd_ms:.1f} ms | {frate:.0f} | **{rate / frate:.2f}×** |")
        per_round = [[int(x) for x in l.split()] for l in open(cnt)]
        spreads.append(f"{label}, {c} client(s): ingest "
                       + ", ".join(f"{d[1] / r[0]:.0f}" for d, r in zip(per_round, ing))
                       + "; floor " + ", ".join(f"{d[2] / r[0]:.0f}" for d, r in zip(per_round, flo)))
w.append("")
w.append(f"Floor (the baseline), on up to {floor_docs} new documents of the same kind per chunk: per batch of 25 files, as many batches at once as clients, the least "
         "any ingest of these bytes must do: `clamdscan --fdpass` to the same clamd (cst also "
         "hands clamd a descriptor), `sha256sum`, `cp` to two directories and `sync` of each "
         "copy and of both directories. It skips what makes an archive of the bytes: the HTTP "
         "transfer, format identification, the Allegato 5 checks, the SInCRO index, its CAdES "
         "signature and time-stamp, the signed receipt, their copies and the database. "
         "docs/s round by round: " + "; ".join(spreads) + ".\n")

w.append(f"#### 2. Fixity audit of the whole archive (`POST /api/v1/preservation/audits` `{{}}` as "
         f"`admin`) against hashing the same files; page cache warm for all (each ran once "
         f"untimed first); median of {frounds} interleaved rounds\n")
w.append("| archive | files (both copies) | bytes | audit s | audit MB/s | `sha256sum` s | `sha256sum` "
         "MB/s | `openssl dgst -sha256` s | openssl MB/s | **audit / sha256sum** (aim ≥ 0.8×) | audit / openssl |")
w.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
checks = []
for kind, label, per in kinds:
    a, s, o = rows(f"audit-{kind}"), rows(f"sha256sum-{kind}"), rows(f"openssl-{kind}")
    if not a:
        continue
    files, nbytes = (int(x) for x in open(os.path.join(out, f"files-{kind}.count")).read().split())
    am, sm, om = (statistics.median(r[0] for r in x) for x in (a, s, o))
    rep = json.load(open(os.path.join(out, f"audit-{kind}.json")))
    checks.append(f"{label}: the audit reported {rep['objects']:,} objects, "
                  f"{rep['copies_checked']:,} copies checked, {rep['bytes']:,} bytes, "
                  f"{rep['intact']:,} intact, {rep['repaired']} repaired, {rep['lost']} lost "
                  f"(rounds: audit {', '.join(f'{r[0]:.2f}' for r in a)} s; sha256sum "
                  f"{', '.join(f'{r[0]:.2f}' for r in s)} s; openssl {', '.join(f'{r[0]:.2f}' for r in o)} s)")
    verdict = "met" if sm / am >= 0.8 else "not met"
    w.append(f"| {label} | {files:,} | {nbytes / 1e9:.2f} GB | {am:.2f} | {nbytes / am / 1e6:.0f} "
             f"| {sm:.2f} | {nbytes / sm / 1e6:.0f} | {om:.2f} | {nbytes / om / 1e6:.0f} "
             f"| **{sm / am:.2f}×** ({verdict}) | {om / am:.2f}× |")
w.append("")
w.append("; ".join(checks) + ". Both baselines are one process at a time over the list of files "
         "(`xargs -0 sha256sum`, `xargs -0 openssl dgst -sha256`), as the audit hashes one file "
         "at a time on one worker thread. Debian's `sha256sum` (coreutils "
         f"{meta['sha256sum_version'].split()[-1]}) is gnulib's portable C; `openssl dgst` "
         f"({meta['openssl_version']}) uses the CPU's SHA extensions, as cst's hashing (OpenSSL "
         "EVP) does.\n")

w.append("#### 3. Storage overhead of an AIP over its documents, per copy\n")
w.append("| archive | documents | files in copia-1 | bytes of the files / documents | du --apparent-size "
         "/ documents | du (allocated) / documents | API: package_bytes / documents_bytes (200 newest AIPs) |")
w.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for kind, label, per in kinds:
    p = os.path.join(out, f"storage-{kind}-copy1.env")
    if not os.path.exists(p):
        continue
    s = env(p)
    sips, docs = (int(x) for x in open(os.path.join(out, f"warm-{kind}.txt")).read().split())
    docs += per  # the untimed first SIP
    dbytes = docs * doc_bytes
    aips = json.load(open(os.path.join(out, f"aips-{kind}.json")))["items"]
    pb, db = sum(a["package_bytes"] for a in aips), sum(a["documents_bytes"] for a in aips)
    w.append(f"| {label} | {docs:,} ({dbytes / 1e9:.2f} GB) | {int(s['files']):,} "
             f"| {int(s['files_apparent']) / dbytes:.3f}× | {int(s['du_apparent']) / dbytes:.3f}× "
             f"| {int(s['du_allocated']) / dbytes:.3f}× | {pb / db:.3f}× |")
w.append("")
w.append("The files of a copy are the documents, and for each SIP its `metadati.json`, SInCRO "
         "`indice.xml`, its `.p7s` signature and `.tsr` time-stamp, and the signed receipt (the "
         "receipt is not counted in `package_bytes`), plus the two certificates once; `du` also "
         "counts the shard directories (`objects/ab/cd/`, up to 65,536 of them, 4 KiB each on this "
         "file system) and rounds every small file up to a 4 KiB block. Aim (issue 7): < 1.05× per copy.\n")
open(section, "w").write("\n".join(w) + "\n")
EOF
[[ $OUT == "$RESULTS" ]] || cp "$TMP/section.md" "$RESULTS/section.md"
python3 "$ROOT/bench/section.py" "$DOC" PRESERVATION "Preservation (issue 7)" "$TMP/section.md"
cat "$TMP/section.md"
log "done${START:+ in $(($(date +%s) - START)) s}: $DOC, raw results in $RESULTS"
