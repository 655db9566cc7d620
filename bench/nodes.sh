#!/usr/bin/env bash
# Checkout and heartbeat throughput with one, two and three server nodes on one PostgreSQL, and
# the same load on SQLite (one node), in one run. Prints a markdown table; with --append it also
# adds it, dated, to docs/benchmarks.md. See "Several nodes" in docs/benchmarks.md.
#
#   bench/nodes.sh [--quick] [--append]
#
# Needs the .NET SDK and PostgreSQL's server binaries (/usr/lib/postgresql/*/bin; ./test.sh
# installs them). It starts a throwaway cluster (initdb in a temp directory, a free loopback
# port, fsync=off: like the SQLite server's default "process" durability, a commit survives a
# crash of the database process but not a power cut) and removes it on exit, with the servers.
# Environment: LEASEHOLD_BENCH_CONNECTIONS (32), LEASEHOLD_BENCH_DURATION (10 s), LEASEHOLD_BENCH_WARMUP (2 s).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0; APPEND=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --append) APPEND=1 ;;
    *) echo "nodes.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-32}
DURATION=${LEASEHOLD_BENCH_DURATION:-10}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-2}; SESSIONS=2000
if [ "$QUICK" = 1 ]; then DURATION=3; WARMUP=1; SESSIONS=500; fi

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "nodes.sh: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-nodes.XXXXXX")
ADMIN_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PIDS=()
AS_PG=()
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_servers
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_pg_cluster

# start_nodes COUNT [POSTGRES_CONNECTION] (bench/lib.sh): starts COUNT servers; sets URLS.

ROWS="$WORK/rows.md"
: > "$ROWS"
run() {
  "${BENCH[@]}" nodes --urls "$URLS" --admin-key "$ADMIN_KEY" --label "$1" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --heartbeat-sessions "$SESSIONS" --out "$ROWS" >&2
}

echo "== SQLite, one node" >&2
start_nodes 1 ""
run sqlite
stop_servers
for n in 1 2 3; do
  echo "== PostgreSQL, $n node(s)" >&2
  db="bench$n"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U leasehold -d postgres -qc "CREATE DATABASE $db" >/dev/null
  start_nodes "$n" "Host=127.0.0.1;Port=$PG_PORT;Username=leasehold;Database=$db;Maximum Pool Size=40"
  run postgres
  stop_servers
done

TABLE="$WORK/table.md"
{
  echo "### $(date -u +%F) nodes.sh$([ "$QUICK" = 1 ] && echo ' --quick') at $COMMIT ($(nproc) cores, $CONNECTIONS connections, ${DURATION} s measured per mix)"
  echo
  echo "| store | nodes | mix | requests/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
} > "$TABLE"
cat "$TABLE"
if [ "$APPEND" = 1 ]; then
  # Above the marker line of the "Several nodes" section (the end of the page if it is missing).
  MARKER='<!-- bench/nodes.sh adds each run'
  if grep -q "$MARKER" docs/benchmarks.md; then
    awk -v table="$TABLE" -v marker="$MARKER" 'index($0, marker) == 1 { while ((getline line < table) > 0) print line; print "" } { print }' \
      docs/benchmarks.md > "$WORK/benchmarks.md" && cp "$WORK/benchmarks.md" docs/benchmarks.md
  else
    { echo; cat "$TABLE"; } >> docs/benchmarks.md
  fi
fi
