#!/usr/bin/env bash
# The harness against an outside tool (issue 18): one server, started as run.sh starts it; wrk (one thread,
# 64 connections, the Lua scripts in bench/wrk) on the baseline, checkout+release, heartbeats and the baseline
# again, then the project's own load generator on the same server and the same mixes (`throughput --profile
# noop,checkout,heartbeat,noop`), then wrk once more; prints both tools' ratios to their own baseline side by
# side, with the server's CPU and allocated bytes per request under each. Installs wrk from Debian when missing. The
# table in docs/benchmarks.md ("Agreement with wrk") is copied from its output by hand.
#
#   bench/wrk.sh [--quick]
#
# Environment: LEASEHOLD_BENCH_CONNECTIONS (64), LEASEHOLD_BENCH_DURATION (12 s measured per run),
# LEASEHOLD_BENCH_WARMUP (3 s warm-up run before each), LEASEHOLD_BENCH_SETTLE (30 s of every kind of request
# before the first measured run, for each tool), as run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "wrk.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-64}
DURATION=${LEASEHOLD_BENCH_DURATION:-12}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-3}; SETTLE=${LEASEHOLD_BENCH_SETTLE:-30}
HEARTBEAT_SESSIONS=10000
if [ "$QUICK" = 1 ]; then DURATION=4; WARMUP=1; SETTLE=8; HEARTBEAT_SESSIONS=1000; fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package)" >&2
  AS_ROOT=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "wrk.sh: wrk is not installed and there is no sudo: apt-get install wrk as root" >&2; exit 1; }
    AS_ROOT=(sudo)
  fi
  apt-cache policy wrk | grep -q 'Candidate: [0-9]' || "${AS_ROOT[@]}" apt-get update -q >&2
  "${AS_ROOT[@]}" apt-get install -y -q wrk >&2
fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-wrk.XXXXXX")
ADMIN_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then echo "wrk.sh: failed (exit $status); server log and results kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

start_benchmark_server data
URL=$SERVER_URL
PID=$SERVER_PID

COMMON=(--url "$URL" --admin-key "$ADMIN_KEY" --server-pid "$PID" --clk-tck "$(getconf CLK_TCK)" --out "$WORK/results"
  --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" --settle "$SETTLE" --heartbeat-sessions "$HEARTBEAT_SESSIONS")
echo "== wrk: 1 thread, $CONNECTIONS connections, ${DURATION} s per run after ${SETTLE} s settling ($(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2))" >&2
"${BENCH[@]}" wrk "${COMMON[@]}" --data "$WORK/data" --scripts bench/wrk
echo "== the harness (Leasehold.Bench throughput --profile noop,checkout,heartbeat,noop) on the same server" >&2
"${BENCH[@]}" throughput "${COMMON[@]}" --data "$WORK/data" --profile noop,checkout,heartbeat,noop >/dev/null
echo "== wrk again on the same server (no settling), so that the machine's drift falls on both tools" >&2
"${BENCH[@]}" wrk "${COMMON[@]}" --data "$WORK/data" --scripts bench/wrk --pass 2
echo
"${BENCH[@]}" wrk-report --out "$WORK/results"
echo
echo "commit $(git rev-parse --short HEAD)$([ -n "$(git status --porcelain -- src)" ] && echo +local-changes), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), \`bench/wrk.sh$([ "$QUICK" = 1 ] && echo ' --quick')\` (connections $CONNECTIONS, $DURATION s per run, $WARMUP s warm-up, $SETTLE s settling)"
