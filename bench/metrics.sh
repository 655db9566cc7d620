#!/usr/bin/env bash
# What collecting metrics costs: checkout+release throughput on a server with metrics on (as
# shipped, scraped at /metrics with the operator key) against one with LEASEHOLD_METRICS=off, in
# alternating rounds. Prints the report; the row in docs/benchmarks.md ("Metrics cost") is copied
# from it by hand. See docs/benchmarks.md.
#
#   bench/metrics.sh [--quick]
#
# Environment: LEASEHOLD_BENCH_CONNECTIONS (64), LEASEHOLD_BENCH_DURATION (12 s per round),
# LEASEHOLD_BENCH_WARMUP (3 s), LEASEHOLD_BENCH_ROUNDS (6), LEASEHOLD_BENCH_SCRAPE_EVERY (1 s),
# LEASEHOLD_BENCH_SETTLE (30 s of load on each server before the rounds: the JIT's second pass).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "metrics.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-64}
DURATION=${LEASEHOLD_BENCH_DURATION:-12}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-3}; ROUNDS=${LEASEHOLD_BENCH_ROUNDS:-6}
SETTLE=${LEASEHOLD_BENCH_SETTLE:-30}
SCRAPE_EVERY=${LEASEHOLD_BENCH_SCRAPE_EVERY:-1}
if [ "$QUICK" = 1 ]; then DURATION=5; WARMUP=2; SETTLE=10; fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-metrics.XXXXXX")
ADMIN_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME METRICS: a fresh server on a free port; sets URL and PID.
start() {
  local port
  port=$("${BENCH[@]}" free-port)
  URL="http://127.0.0.1:$port"
  LEASEHOLD_METRICS="$2" LEASEHOLD_BENCHMARK=1 LEASEHOLD_ADMIN_KEY="$ADMIN_KEY" LEASEHOLD_WRITES_PER_MINUTE=0 LEASEHOLD_CLIENT_WRITES_PER_MINUTE=0 \
    dotnet "$SERVER_DLL" --data "$WORK/$1" --urls "$URL" >"$WORK/$1.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  echo "   server '$1' (LEASEHOLD_METRICS=$2): pid $PID on $URL" >&2
}
start on operator; ON_URL=$URL; ON_PID=$PID
start off off; OFF_URL=$URL; OFF_PID=$PID

"${BENCH[@]}" metrics --url "$ON_URL" --server-pid "$ON_PID" --url-off "$OFF_URL" --server-pid-off "$OFF_PID" --admin-key "$ADMIN_KEY" \
  --clk-tck "$(getconf CLK_TCK)" --out "$WORK/results" --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
  --rounds "$ROUNDS" --scrape-every "$SCRAPE_EVERY" --settle "$SETTLE"
echo
echo "commit $(git rev-parse --short HEAD)$([ -n "$(git status --porcelain -- src)" ] && echo +local-changes), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
