#!/usr/bin/env bash
# Starts (or stops) the Debian PostgreSQL 15 cluster for the integration tests and creates a
# fresh test database. Prints the URL to use on stdout. Without systemd (containers, CI) the
# cluster is started with pg_ctlcluster directly.
set -euo pipefail
action=${1:-start}
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
port=${CST_TEST_PG_PORT:-5432}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sudo -u postgres sh -c "$*"; fi; }

if [ "$action" = stop ]; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main stop >/dev/null 2>&1 || true
  exit 0
fi

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main --port "$port" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
wait_ready() {
  for _ in $(seq 1 50); do
    as_postgres "pg_isready -q -p $port" && break
    sleep 0.2
  done
}
wait_ready
# Benchmarks only (the tests leave it unset): shared_buffers as a production server of that size
# would have it, e.g. CST_PG_SHARED_BUFFERS=4GB. The cluster keeps it (postgresql.auto.conf).
if [ -n "${CST_PG_SHARED_BUFFERS:-}" ]; then
  as_postgres "psql -q -p $port -c \"ALTER SYSTEM SET shared_buffers = '$CST_PG_SHARED_BUFFERS'\"" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main restart >&2
  wait_ready
fi
as_postgres "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
SELECT 'CREATE ROLE cst_test LOGIN PASSWORD ''cst_test'''
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cst_test') \gexec
DROP DATABASE IF EXISTS cst_test;
CREATE DATABASE cst_test OWNER cst_test ENCODING 'UTF8' TEMPLATE template0;
SQL
echo "postgresql://cst_test:cst_test@127.0.0.1:$port/cst_test"
