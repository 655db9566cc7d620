#!/usr/bin/env bash
# Batched heartbeats (issue 18): sessions kept alive per second on one SQLite server with
# POST /v1/sessions/heartbeats batches of 1, 10 and 100, beside single heartbeats. Prints a markdown
# table (see "Batched heartbeats" in docs/benchmarks.md).
#
#   bench/heartbeats.sh
#
# Environment: LEASEHOLD_BENCH_CONNECTIONS (16), LEASEHOLD_BENCH_DURATION (5 s per mix),
# LEASEHOLD_BENCH_WARMUP (1 s), LEASEHOLD_BENCH_SESSIONS (2000 live sessions).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-16}
DURATION=${LEASEHOLD_BENCH_DURATION:-5}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-1}; SESSIONS=${LEASEHOLD_BENCH_SESSIONS:-2000}

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-heartbeats.XXXXXX")
ADMIN_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$("${BENCH[@]}" free-port)
URL="http://127.0.0.1:$PORT"
LEASEHOLD_ADMIN_KEY="$ADMIN_KEY" LEASEHOLD_WRITES_PER_MINUTE=0 LEASEHOLD_CLIENT_WRITES_PER_MINUTE=0 \
  dotnet "$SERVER_DLL" --data "$WORK/data" --urls "$URL" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -sf "$URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done

ROWS="$WORK/rows.md"
: > "$ROWS"
"${BENCH[@]}" heartbeats --url "$URL" --admin-key "$ADMIN_KEY" --connections "$CONNECTIONS" --sessions "$SESSIONS" \
  --duration "$DURATION" --warmup "$WARMUP" --out "$ROWS" >&2

echo "bench/heartbeats.sh, commit $COMMIT, $(date -u +%Y-%m-%d), $(nproc) cores, load average at start $LOAD_AT_START;"
echo "SQLite, one server, $SESSIONS live sessions, $CONNECTIONS connections, ${DURATION} s per mix."
echo
echo "| mix | sessions kept alive/s | requests/s | errors |"
echo "|---|---|---|---|"
cat "$ROWS"
