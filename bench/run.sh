#!/usr/bin/env bash
# Performance benchmarks of `cst serve`, measured side by side with nginx in ONE run, on loopback.
# Writes the results section of docs/PERFORMANCE.md (between the BENCH:BEGIN/END markers) and the
# raw tool outputs to bench/results/last/. Installs nothing: needs wrk, nginx, curl and python3
# (`apt-get install wrk nginx-light curl`, all in scripts/setup.sh).
#
#   bash bench/run.sh                          # about 5 minutes with the defaults below
#   BENCH_SOAK_SECONDS=300 bash bench/run.sh   # the full 5-minute memory soak (about 9 minutes)
#
# Environment:
#   CST_BIN              binary to measure (default build/cst; copied first, so a rebuild during
#                        the run does not disturb it)
#   BENCH_SECONDS        length of each throughput run (default 10)
#   BENCH_ROUNDS         interleaved rounds of nginx, /healthz and the database read (default 3;
#                        the median round of each is reported)
#   BENCH_SOAK_SECONDS   length of the memory soak (default 60; 300 = the issue's 5 minutes)
#   BENCH_LOGIN_RATE     logins per second during the login benchmark (default 20)
#   BENCH_LOGIN_SECONDS  length of the login benchmark (default 20)
#   BENCH_PROBE_RATE     paced database reads per second beside the login benchmark (default 10)
#   BENCH_DOC            document to update (default docs/PERFORMANCE.md)
#   BENCH_RESULTS        directory for the raw outputs (default bench/results/last)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CST_BIN=${CST_BIN:-$ROOT/build/cst}
DUR=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
SOAK=${BENCH_SOAK_SECONDS:-60}
LOGIN_RATE=${BENCH_LOGIN_RATE:-20}
LOGIN_SECONDS=${BENCH_LOGIN_SECONDS:-20}
PROBE_RATE=${BENCH_PROBE_RATE:-10}
DOC=${BENCH_DOC:-$ROOT/docs/PERFORMANCE.md}
OUT=${BENCH_RESULTS:-$ROOT/bench/results/last}
DEMO_USER="admin"
DEMO_PASSWORD=cst-demo-2026
ENTE=019036

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- tools
NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n $NGINX ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "bench/run.sh needs: ${missing[*]}" >&2
  echo "install them with:  apt-get install wrk nginx-light curl python3   (or: bash scripts/setup.sh)" >&2
  exit 2
fi
[[ -x $CST_BIN ]] || die "no cst binary at $CST_BIN (build it with scripts/build.sh, or set CST_BIN)"

# ---------------------------------------------------------------- cleanup of everything we start
TMP=$(mktemp -d /tmp/cst-bench.XXXXXX)
chmod 755 "$TMP"  # nginx workers run as nobody when started by root
PIDS=()           # every background process this script started

alive() {  # running and not a zombie
  local s
  s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $s && $s != Z* ]]
}

forget() {  # drop a finished process from PIDS, so that cleanup never signals a reused pid
  local p out=()
  for p in "${PIDS[@]}"; do [[ $p != "$1" ]] && out+=("$p"); done
  PIDS=("${out[@]}")
}

stop_pid() {  # TERM, wait (default 25 s: cst's shutdown grace is 20 s), KILL; also its children
  local pid=$1 grace=${2:-25} kids i k
  kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 4; i++)); do alive "$pid" || break; sleep 0.25; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  for k in $kids; do
    if alive "$k"; then kill -TERM "$k" 2>/dev/null || true; sleep 0.5; fi
    if alive "$k"; then kill -KILL "$k" 2>/dev/null || true; fi
  done
  forget "$pid"
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    alive "${PIDS[i]}" && stop_pid "${PIDS[i]}"
  done
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
ticks() {  # utime+stime of a process (all its threads), in clock ticks
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}
tree_ticks() {  # a process and its direct children (nginx master + workers)
  local t=0 p
  for p in $1 $(ps -o pid= --ppid "$1" 2>/dev/null); do t=$((t + $(ticks "$p"))); done
  echo "$t"
}
machine_ticks() { awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; print b+$5+$6, b}' /proc/stat; }  # total busy
cpu_idle_pct() {  # share of idle CPU over $1 seconds, machine-wide
  local a b
  read -r -a a < <(machine_ticks)
  sleep "$1"
  read -r -a b < <(machine_ticks)
  python3 -c "t=$((b[0] - a[0])); u=$((b[1] - a[1])); print(round(100*(t-u)/t) if t else 0)"
}

# wrk_run NAME SERVER_PID_EXPR WRK_ARGS... : runs wrk, records the output and CPU accounting.
# SERVER_TICKS_FN is called with SERVER_PID to read the server's CPU ticks before and after.
wrk_run() {
  local name=$1 tickfn=$2 spid=$3
  shift 3
  local t0 t1 m0 m1 wt
  log "wrk $name: wrk $(printf '%s' "$*" | sed 's/Bearer [^ ]*/Bearer <token>/')"
  t0=$($tickfn "$spid")
  read -r -a m0 < <(machine_ticks)
  local TIMEFORMAT='%U %S'
  { time wrk "$@" >"$OUT/wrk-$name.txt" 2>&1; } 2>"$TMP/time-$name" || log "wrk $name exited non-zero"
  read -r -a m1 < <(machine_ticks)
  t1=$($tickfn "$spid")
  wt=$(tr -d '\n' <"$TMP/time-$name")
  printf 'server_ticks=%s\nmachine_ticks=%s\nmachine_busy_ticks=%s\nwrk_cpu_seconds="%s"\n' \
    "$((t1 - t0))" "$((m1[0] - m0[0]))" "$((m1[1] - m0[1]))" "$wt" >"$OUT/cpu-$name.env"
  grep -E 'Requests/sec|99%|Non-2xx|Socket errors' "$OUT/wrk-$name.txt" | sed 's/^/    /' >&2 || true
}

# start_cst NAME LOG_LEVEL [CONFIG] : starts a demo server on a free port; sets CST_PID, CST_URL.
start_cst() {
  local name=$1 level=$2 config=${3:-$TMP/cst.toml} i
  mkdir -p "$TMP/data-$name"
  env -u CST_DATABASE_URL -u CST_LISTEN -u CST_DATA_DIR -u CST_CLAMD CST_LOG_LEVEL="$level" \
    "$TMP/cst" serve --demo --data "$TMP/data-$name" --listen 127.0.0.1:0 --config "$config" \
    >"$TMP/cst-$name.out" 2>"$TMP/cst-$name.log" &
  CST_PID=$!
  PIDS+=("$CST_PID")
  for ((i = 0; i < 240; i++)); do
    grep -q '^listening on ' "$TMP/cst-$name.out" 2>/dev/null && break
    alive "$CST_PID" || { cat "$TMP/cst-$name.log" >&2; die "cst ($name) exited during start"; }
    sleep 0.25
  done
  grep -q '^listening on ' "$TMP/cst-$name.out" || die "cst ($name) did not start within 60 s"
  CST_URL=$(sed -n 's/^listening on //p' "$TMP/cst-$name.out" | head -1)
  log "cst ($name, log level $level) pid $CST_PID at $CST_URL"
}

login_token() {
  curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$DEMO_USER\",\"password\":\"$DEMO_PASSWORD\"}" "$1/api/v1/auth/login" |
    python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}

# ---------------------------------------------------------------- start
mkdir -p "$OUT"
find "$OUT" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.env' -o -name '*.json' \) -delete
START_EPOCH=$(date +%s)
cp "$CST_BIN" "$TMP/cst"
cat >"$TMP/cst.toml" <<'EOF'
# bench/run.sh: only the login limits differ from the defaults, so that the login benchmark's
# hundreds of logins from 127.0.0.1 are neither throttled (429) nor locked out.
[auth]
login_attempts_per_minute = 100000
lockout_threshold = 1000000
EOF

log "machine before the run (idle CPU over 3 s, load average, busiest processes)"
IDLE_BEFORE=$(cpu_idle_pct 3)
{
  echo "date=\"$(date -u '+%Y-%m-%d %H:%M UTC')\""
  echo "nproc=$(nproc)"
  echo "cpu_model=\"$(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)\""
  echo "kernel=\"$(uname -sr)\""
  echo "mem_total=\"$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)\""
  echo "cst_version=\"$("$TMP/cst" --version 2>&1 | head -1)\""
  echo "build_type=\"$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$CST_BIN")/CMakeCache.txt" 2>/dev/null || true)\""
  echo "nginx_version=\"$("$NGINX" -v 2>&1 | head -1)\""
  echo "wrk_version=\"$(wrk -v 2>&1 | head -1 | sed 's/ Copyright.*//')\""
  echo "loadavg_before=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "idle_before=$IDLE_BEFORE"
  echo "duration=$DUR"
  echo "rounds=$ROUNDS"
  echo "soak=$SOAK"
  echo "login_rate=$LOGIN_RATE"
  echo "login_seconds=$LOGIN_SECONDS"
  echo "probe_rate=$PROBE_RATE"
} >"$OUT/meta.env"
ps -eo pcpu=,comm= --sort=-pcpu | head -6 >"$OUT/busiest-before.txt"
log "idle CPU before the run: ${IDLE_BEFORE}%, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 3a. idle memory
start_cst main info
MAIN_PID=$CST_PID
MAIN_URL=$CST_URL
log "idle 10 s, then RSS"
sleep 10
CLAMD_PID=$(ps -o pid= --ppid "$MAIN_PID" | head -1 | tr -d ' ' || true)
{
  echo "idle_rss_kb=$(rss_kb "$MAIN_PID")"
  echo "idle_hwm_kb=$(hwm_kb "$MAIN_PID")"
  echo "idle_threads=$(awk '/^Threads:/{print $2}' "/proc/$MAIN_PID/status")"
  if [[ -n $CLAMD_PID ]]; then
    echo "clamd_comm=\"$(cat "/proc/$CLAMD_PID/comm")\""
    echo "clamd_rss_kb=$(rss_kb "$CLAMD_PID")"
  fi
} >"$OUT/memory.env"

# ---------------------------------------------------------------- the static file and nginx
HEALTHZ_BODY=$(curl -sS --max-time 10 "$MAIN_URL/healthz")
[[ -n $HEALTHZ_BODY ]] || die "/healthz answered nothing"
mkdir -p "$TMP/nginx/www" "$TMP/nginx/tmp"
printf '%s' "$HEALTHZ_BODY" >"$TMP/nginx/www/healthz"
chmod 644 "$TMP/nginx/www/healthz"
chmod -R a+rX "$TMP/nginx"
NGINX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<EOF
# bench/run.sh: nginx serving one static file, the baseline for cst's /healthz.
daemon off;
master_process on;
worker_processes $(nproc);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;  # keep wrk's connections open, as cst does
  default_type application/json;
  client_body_temp_path $TMP/nginx/tmp/body;
  proxy_temp_path $TMP/nginx/tmp/proxy;
  fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
  uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
  scgi_temp_path $TMP/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/nginx/www;
  }
}
EOF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
  >"$TMP/nginx/stdout" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL=http://127.0.0.1:$NGINX_PORT
for ((i = 0; i < 40; i++)); do
  curl -sf --max-time 2 -o /dev/null "$NGINX_URL/healthz" && break
  alive "$NGINX_PID" || { cat "$TMP/nginx/stdout" "$TMP/nginx/error.log" >&2; die "nginx exited"; }
  sleep 0.25
done
NGINX_BODY=$(curl -sS --max-time 5 "$NGINX_URL/healthz")
[[ $NGINX_BODY == "$HEALTHZ_BODY" ]] || die "nginx does not serve the /healthz body"
{
  echo "body_bytes=${#HEALTHZ_BODY}"
  echo "nginx_workers=$(nproc)"
  echo "cst_response_bytes=$(curl -s -o /dev/null -w '%{size_header}+%{size_download}' "$MAIN_URL/healthz")"
  echo "nginx_response_bytes=$(curl -s -o /dev/null -w '%{size_header}+%{size_download}' "$NGINX_URL/healthz")"
} >>"$OUT/meta.env"
log "nginx pid $NGINX_PID at $NGINX_URL serving the ${#HEALTHZ_BODY}-byte /healthz body"

# ---------------------------------------------------------------- login cost, unloaded
TOKEN=$(login_token "$MAIN_URL")
[[ -n $TOKEN ]] || die "login failed"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$MAIN_URL/api/v1/enti/$ENTE")
[[ $code == 200 ]] || die "GET /api/v1/enti/$ENTE answered $code"
: >"$OUT/login-unloaded.txt"
t0=$(ticks "$MAIN_PID")
for i in 1 2 3 4 5; do
  curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$DEMO_USER\",\"password\":\"$DEMO_PASSWORD\"}" \
    "$MAIN_URL/api/v1/auth/login" >>"$OUT/login-unloaded.txt"
done
echo "login_cpu_ms=$((($(ticks "$MAIN_PID") - t0) * 1000 / $(getconf CLK_TCK) / 5))" >>"$OUT/meta.env"

# ---------------------------------------------------------------- 1. throughput against nginx
# Interleaved rounds: this shared VM's speed drifts by tens of percent within minutes, and one
# run of each target in a row let a drift between them decide the ratio (the same binary's
# /healthz measured 1.05x and 0.62x nginx an hour apart). Each target's median round is reported
# (its files are copied to the round-less names report.py reads); every round stays in $OUT.
for ((round = 1; round <= ROUNDS; round++)); do
  wrk_run "nginx-r$round" tree_ticks "$NGINX_PID" -t2 -c64 -d"${DUR}s" --latency "$NGINX_URL/healthz"
  sleep 1
  wrk_run "healthz-r$round" ticks "$MAIN_PID" -t2 -c64 -d"${DUR}s" --latency "$MAIN_URL/healthz"
  sleep 1
  wrk_run "enti-r$round" ticks "$MAIN_PID" -t2 -c64 -d"${DUR}s" --latency \
    -H "Authorization: Bearer $TOKEN" "$MAIN_URL/api/v1/enti/$ENTE"
  sleep 1
done
median_round() {  # NAME: copies the round with the median requests/s to the round-less names
  local name=$1 r rps list=() pick
  for ((r = 1; r <= ROUNDS; r++)); do
    rps=$(sed -n 's/^Requests\/sec: *//p' "$OUT/wrk-$name-r$r.txt")
    list+=("${rps:-0} $r")
  done
  pick=$(printf '%s\n' "${list[@]}" | sort -g | sed -n "$(((ROUNDS + 1) / 2))p" | cut -d' ' -f2)
  cp "$OUT/wrk-$name-r$pick.txt" "$OUT/wrk-$name.txt"
  cp "$OUT/cpu-$name-r$pick.env" "$OUT/cpu-$name.env"
  log "$name: median of $ROUNDS rounds is round $pick ($(printf '%s; ' "${list[@]}"))"
}
for name in nginx healthz enti; do median_round "$name"; done

# ---------------------------------------------------------------- 3b. memory soak
log "memory soak: ${SOAK} s of wrk on the database read, RSS sampled every 5 s"
echo "soak_before_kb=$(rss_kb "$MAIN_PID")" >>"$OUT/memory.env"
(
  start=$(date +%s)
  while :; do
    echo "$(($(date +%s) - start)) $(rss_kb "$MAIN_PID")"
    sleep 5
  done
) >"$OUT/soak-rss.txt" &
SAMPLER_PID=$!
PIDS+=("$SAMPLER_PID")
wrk_run soak ticks "$MAIN_PID" -t2 -c64 -d"${SOAK}s" --latency \
  -H "Authorization: Bearer $TOKEN" "$MAIN_URL/api/v1/enti/$ENTE"
echo "soak_after_kb=$(rss_kb "$MAIN_PID")" >>"$OUT/memory.env"
sleep 5
echo "soak_settled_kb=$(rss_kb "$MAIN_PID")" >>"$OUT/memory.env"
stop_pid "$SAMPLER_PID"

# ---------------------------------------------------------------- diagnostic: without request logs
# Diagnostic: the same two runs with a single I/O thread (the default is one per core, as nginx
# runs one worker per core), to show what the I/O threads contribute.
{
  cat "$TMP/cst.toml"
  printf '\n[server]\nio_threads = 1\n'
} >"$TMP/cst-io1.toml"
start_cst io1 info "$TMP/cst-io1.toml"
IO1_PID=$CST_PID
IO1_TOKEN=$(login_token "$CST_URL")
sleep 2
wrk_run healthz-io1 ticks "$IO1_PID" -t2 -c64 -d"${DUR}s" --latency "$CST_URL/healthz"
sleep 2
wrk_run enti-io1 ticks "$IO1_PID" -t2 -c64 -d"${DUR}s" --latency \
  -H "Authorization: Bearer $IO1_TOKEN" "$CST_URL/api/v1/enti/$ENTE"
stop_pid "$IO1_PID"
stop_pid "$NGINX_PID"
sleep 2

# ---------------------------------------------------------------- 2. logins beside other requests
# Two windows of LOGIN_SECONDS: /healthz under wrk -t1 -c16 plus a paced probe of the database
# read (PROBE_RATE/s, so light that it hardly loads the server), first without logins, then with
# LOGIN_RATE logins/s. /healthz runs on the I/O thread; the database read and the logins share
# the worker pool.
log "login load: /healthz alone for ${LOGIN_SECONDS} s, then beside ${LOGIN_RATE} logins/s"
python3 "$ROOT/bench/paced.py" get "$MAIN_URL/api/v1/enti/$ENTE" "$TOKEN" "$PROBE_RATE" \
  "$LOGIN_SECONDS" "$OUT/probe-base.json" >"$TMP/probe-base.out" 2>&1 &
PROBE_PID=$!
PIDS+=("$PROBE_PID")
wrk_run login-base ticks "$MAIN_PID" -t1 -c16 -d"${LOGIN_SECONDS}s" --latency "$MAIN_URL/healthz"
wait "$PROBE_PID" || log "probe client exited non-zero"
forget "$PROBE_PID"
sleep 2
python3 "$ROOT/bench/paced.py" login "$MAIN_URL" "$DEMO_USER" "$DEMO_PASSWORD" \
  "$LOGIN_RATE" "$LOGIN_SECONDS" "$OUT/logins.json" >"$TMP/login-load.out" 2>&1 &
LOGIN_PID=$!
PIDS+=("$LOGIN_PID")
python3 "$ROOT/bench/paced.py" get "$MAIN_URL/api/v1/enti/$ENTE" "$TOKEN" "$PROBE_RATE" \
  "$LOGIN_SECONDS" "$OUT/probe-load.json" >"$TMP/probe-load.out" 2>&1 &
PROBE_PID=$!
PIDS+=("$PROBE_PID")
wrk_run login-load ticks "$MAIN_PID" -t1 -c16 -d"${LOGIN_SECONDS}s" --latency "$MAIN_URL/healthz"
echo "rss_end_of_logins_kb=$(rss_kb "$MAIN_PID")" >>"$OUT/memory.env"
log "waiting for the last logins and probes to answer (at most 30 s each)"
wait "$PROBE_PID" || log "probe client exited non-zero"
forget "$PROBE_PID"
wait "$LOGIN_PID" || log "login client exited non-zero"
forget "$LOGIN_PID"
cat "$TMP/probe-base.out" "$TMP/login-load.out" "$TMP/probe-load.out" >&2
t0=$(ticks "$MAIN_PID")
sleep 3
{
  echo "busy_after_logins_pct=$((($(ticks "$MAIN_PID") - t0) * 100 / $(getconf CLK_TCK) / 3))"
  echo "rss_after_logins_kb=$(rss_kb "$MAIN_PID")"
  echo "peak_hwm_kb=$(hwm_kb "$MAIN_PID")"
} >>"$OUT/memory.env"
{
  echo "log_lines_main=$(wc -l <"$TMP/cst-main.log")"
  echo "log_warnings_main=$(grep -c -E '\] \[(warning|error|critical)\]' "$TMP/cst-main.log" || true)"
} >>"$OUT/meta.env"
grep -E '\] \[(warning|error|critical)\]' "$TMP/cst-main.log" | head -20 >"$OUT/cst-warnings.txt" || true
# Nothing is measured any more: do not wait for the queued logins (graceful stop would).
stop_pid "$MAIN_PID" 5

# ---------------------------------------------------------------- report
{
  echo "idle_after=$(cpu_idle_pct 3)"
  echo "loadavg_after=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "elapsed=$(($(date +%s) - START_EPOCH))"
} >>"$OUT/meta.env"
ps -eo pcpu=,comm= --sort=-pcpu | head -6 >"$OUT/busiest-after.txt"
python3 "$ROOT/bench/report.py" "$OUT" "$DOC"
log "done in $(($(date +%s) - START_EPOCH)) s; results in $DOC and $OUT"
