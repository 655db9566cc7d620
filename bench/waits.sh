#!/usr/bin/env bash
# The waiting line (issue 17): the time from a sign-off to the next waiter holding the seat (p50/p99),
# and checkout, heartbeat and refusal throughput while 1,000 entries wait on a license, against the
# same mixes with no line in the same run. On one SQLite server and on PostgreSQL with several nodes.
# Prints a markdown table; with --append it also adds it, dated, to docs/benchmarks.md. See
# "Waiting line" in docs/benchmarks.md.
#
#   bench/waits.sh [--quick] [--append] [--sqlite-only] [--postgres-nodes N]
#
# PostgreSQL runs need its server binaries (/usr/lib/postgresql/*/bin; ./test.sh installs them): a
# throwaway cluster (initdb in a temp directory, a free loopback port, fsync=off), removed on exit.
# Environment: LEASEHOLD_BENCH_CONNECTIONS (32), LEASEHOLD_BENCH_DURATION (8 s per mix and round),
# LEASEHOLD_BENCH_WARMUP (2 s), LEASEHOLD_BENCH_SETTLE (30 s), LEASEHOLD_BENCH_HANDOFFS (300),
# LEASEHOLD_BENCH_LINE (1000 entries), LEASEHOLD_BENCH_ROUNDS (2 rounds with the line, between 3 without),
# LEASEHOLD_BENCH_STANDING (10: the hand-offs' standing line, every entry with its stream open).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0; APPEND=0; SQLITE_ONLY=0; PG_NODES=3
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --append) APPEND=1; shift ;;
    --sqlite-only) SQLITE_ONLY=1; shift ;;
    --postgres-nodes) PG_NODES="${2:-}"; shift 2 ;;
    *) echo "waits.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-32}
DURATION=${LEASEHOLD_BENCH_DURATION:-8}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-2}; SETTLE=${LEASEHOLD_BENCH_SETTLE:-30}
HANDOFFS=${LEASEHOLD_BENCH_HANDOFFS:-300}; LINE=${LEASEHOLD_BENCH_LINE:-1000}; ROUNDS=${LEASEHOLD_BENCH_ROUNDS:-2}
STANDING=${LEASEHOLD_BENCH_STANDING:-10}
if [ "$QUICK" = 1 ]; then DURATION=2; WARMUP=1; SETTLE=3; HANDOFFS=50; ROUNDS=1; fi
ARGS_TEXT="bench/waits.sh"
[ "$QUICK" = 1 ] && ARGS_TEXT="$ARGS_TEXT --quick"
[ "$SQLITE_ONLY" = 1 ] && ARGS_TEXT="$ARGS_TEXT --sqlite-only"
[ "$PG_NODES" != 3 ] && ARGS_TEXT="$ARGS_TEXT --postgres-nodes $PG_NODES"
[ "$STANDING" != 10 ] && ARGS_TEXT="LEASEHOLD_BENCH_STANDING=$STANDING $ARGS_TEXT"

PG_BIN=""
if [ "$SQLITE_ONLY" = 0 ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PG_BIN/initdb" ] || { echo "waits.sh: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql), or pass --sqlite-only" >&2; exit 1; }
fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench
STARTED=$(date +%s)
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-waits.XXXXXX")
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
  if [ -n "$PG_BIN" ] && [ -d "$WORK/pg" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_nodes COUNT [POSTGRES_CONNECTION]: starts COUNT servers, one after the other; sets URLS (bench/lib.sh).

ROWS="$WORK/rows.md"
: > "$ROWS"
run() {
  "${BENCH[@]}" waits --urls "$URLS" --admin-key "$ADMIN_KEY" --label "$1" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --settle "$SETTLE" --handoffs "$HANDOFFS" --line "$LINE" --rounds "$ROUNDS" --standing "$STANDING" --out "$ROWS" >&2
}

echo "== SQLite, one node" >&2
start_nodes 1 ""
run sqlite
stop_servers

if [ "$SQLITE_ONLY" = 0 ]; then
  start_pg_cluster
  echo "== PostgreSQL, $PG_NODES node(s)" >&2
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U leasehold -d postgres -qc "CREATE DATABASE waits" >/dev/null
  start_nodes "$PG_NODES" "Host=127.0.0.1;Port=$PG_PORT;Username=leasehold;Database=waits;Maximum Pool Size=40"
  run postgres
  stop_servers
fi

LOG_FAILS=$(cat "$WORK"/server-*.log | grep -cE '^(fail|crit):' || true)
ELAPSED=$(( $(date +%s) - STARTED ))
TABLE="$WORK/table.md"
{
  echo "### $(date -u '+%F %H:%M UTC') waits.sh at $COMMIT ($(nproc) cores, load average $LOAD_AT_START at start, $CONNECTIONS connections, $DURATION s per mix and round, $ROUNDS rounds with the line between $((ROUNDS + 1)) without)"
  echo
  echo "| store | nodes | sign-off sent -> next waiter's take answered 201: p50 / p99 | checkout+release, 20 other licenses: no line -> $LINE waiting | heartbeats of the full license's 100 holders | checkouts on the full license that do not wait (409) | $LINE joins | errors |"
  echo "|---|--:|---|---|---|---|--:|--:|"
  cat "$ROWS"
  echo
  echo "Command: \`$ARGS_TEXT\` ($((ELAPSED / 60)) min $((ELAPSED % 60)) s). Server logs: $LOG_FAILS fail/crit lines."
} > "$TABLE"
cat "$TABLE"
if [ "$APPEND" = 1 ]; then
  MARKER='<!-- bench/waits.sh adds each run'
  if grep -q "$MARKER" docs/benchmarks.md; then
    awk -v table="$TABLE" -v marker="$MARKER" 'index($0, marker) == 1 { while ((getline line < table) > 0) print line; print "" } { print }' \
      docs/benchmarks.md > "$WORK/benchmarks.md" && cp "$WORK/benchmarks.md" docs/benchmarks.md
  else
    { echo; cat "$TABLE"; } >> docs/benchmarks.md
  fi
fi
