#!/usr/bin/env bash
# Runs every benchmark of Leasehold and appends a dated row (and the full report) to
# docs/benchmarks.md. See that page for what is measured and the targets.
#
#   bench/run.sh                       full run (about 11 minutes on 2 cores)
#   bench/run.sh --quick               short smoke run (about 2 minutes): proves the harness works
#   bench/run.sh --durability fsync    the server with LEASEHOLD_DURABILITY=fsync
#   bench/run.sh --only console        one part alone (throughput, memory, reaper, usage-events,
#                                      installation, console): its report is printed, not added to docs
#
# Environment: LEASEHOLD_BENCH_CONNECTIONS (default 64), LEASEHOLD_BENCH_DURATION (seconds
# measured per mix, default 12), LEASEHOLD_BENCH_WARMUP (default 3), LEASEHOLD_BENCH_SETTLE (seconds
# of every kind of request before the first mix, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

DURABILITY=process
QUICK=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --durability) DURABILITY="${2:-}"; shift 2 ;;
    --durability=*) DURABILITY="${1#*=}"; shift ;;
    --quick) QUICK=1; shift ;;
    --only) ONLY="${2:-}"; shift 2 ;;
    --only=*) ONLY="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$ONLY" in
  ""|throughput|memory|reaper|usage-events|installation|console) ;;
  *) echo "run.sh: --only must name a part (throughput, memory, reaper, usage-events, installation, console), not '$ONLY'" >&2; exit 2 ;;
esac
# part NAME: whether this run runs that part.
part() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
case "$DURABILITY" in
  process|fsync) ;;
  *) echo "run.sh: --durability must be 'process' or 'fsync', not '$DURABILITY'" >&2; exit 2 ;;
esac

CONNECTIONS=${LEASEHOLD_BENCH_CONNECTIONS:-64}
if [ "$QUICK" = 1 ]; then
  MODE=quick; DURATION=2; WARMUP=1; SETTLE=4; HEARTBEAT_SESSIONS=1000; STAGES=10000,30000; REAPER_SESSIONS=5000; REAPER_FIRST_PASS=6
  INSTALLATION_SESSIONS=1000
  CONSOLE_SESSIONS=1000; CONSOLE_DAYS=30; CONSOLE_REQUESTS=5
else
  MODE=full; DURATION=${LEASEHOLD_BENCH_DURATION:-12}; WARMUP=${LEASEHOLD_BENCH_WARMUP:-3}; SETTLE=${LEASEHOLD_BENCH_SETTLE:-30}
  HEARTBEAT_SESSIONS=10000; STAGES=100000,1000000; REAPER_SESSIONS=100000; REAPER_FIRST_PASS=12
  INSTALLATION_SESSIONS=10000
  CONSOLE_SESSIONS=10000; CONSOLE_DAYS=365; CONSOLE_REQUESTS=20
fi
ARGS_TEXT="bench/run.sh"
if [ "$QUICK" = 1 ]; then ARGS_TEXT="$ARGS_TEXT --quick"; fi
if [ "$DURABILITY" = fsync ]; then ARGS_TEXT="$ARGS_TEXT --durability fsync"; fi
if [ -n "$ONLY" ]; then ARGS_TEXT="$ARGS_TEXT --only $ONLY"; fi
STARTED=$(date +%s)

# shellcheck source=bench/lib.sh
. bench/lib.sh
build_for_bench # the code measured: COMMIT

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leasehold-bench.XXXXXX")
RESULTS="$WORK/results"
ADMIN_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CLK_TCK=$(getconf CLK_TCK)
SERVER_PID=""
SERVER_URL=""
BENCH_PID=""

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  local status=$?
  if [ -n "$BENCH_PID" ]; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  stop_server
  if [ "$status" -ne 0 ]; then
    echo "run.sh: failed (exit $status); server logs and partial results are kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME DATA_DIR REAPER_INTERVAL [NAME=VALUE...]: a fresh process on a free port, logging to
# WORK/NAME.log, with any further settings in its environment.
start_server() {
  local name=$1 data=$2 reaper=$3 port
  shift 3
  port=$("${BENCH[@]}" free-port)
  SERVER_URL="http://127.0.0.1:$port"
  env "$@" LEASEHOLD_BENCHMARK=1 LEASEHOLD_ADMIN_KEY="$ADMIN_KEY" LEASEHOLD_WRITES_PER_MINUTE=0 LEASEHOLD_CLIENT_WRITES_PER_MINUTE=0 LEASEHOLD_DURABILITY="$DURABILITY" \
    LEASEHOLD_REAPER_INTERVAL_SECONDS="$reaper" \
    dotnet "$SERVER_DLL" --data "$data" --urls "$SERVER_URL" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  echo "   server '$name': pid $SERVER_PID on $SERVER_URL, data in $data"
}

# bench SUBCOMMAND ARGS...: the load generator against the running server. It runs in the
# background and is waited for, so that a signal to this script is handled at once.
bench() {
  local command=$1; shift
  "${BENCH[@]}" "$command" --url "$SERVER_URL" --admin-key "$ADMIN_KEY" --server-pid "$SERVER_PID" \
    --clk-tck "$CLK_TCK" --out "$RESULTS" --connections "$CONNECTIONS" "$@" &
  BENCH_PID=$!
  wait "$BENCH_PID"
  BENCH_PID=""
}

if part throughput; then
echo "== 1/3 throughput and latency ($MODE, durability $DURABILITY, $CONNECTIONS connections)"
start_server throughput "$WORK/throughput" 5
bench throughput --data "$WORK/throughput" --duration "$DURATION" --warmup "$WARMUP" --settle "$SETTLE" --heartbeat-sessions "$HEARTBEAT_SESSIONS"
stop_server
fi

if part memory; then
echo "== 2/3 memory with many live sessions ($STAGES)"
start_server memory "$WORK/memory" 5
bench memory --data "$WORK/memory" --stages "$STAGES"
stop_server
fi

if part reaper; then
echo "== 3/3 reaper: ending $REAPER_SESSIONS expired sessions"
# The first server's reaper never runs (a day between passes): it only takes the checkouts.
start_server reaper-checkouts "$WORK/reaper" 86400
bench reaper-create --data "$WORK/reaper" --sessions "$REAPER_SESSIONS" --ttl 5
stop_server
# The second server's first pass comes REAPER_FIRST_PASS seconds after it starts, once it has settled.
start_server reaper "$WORK/reaper" "$REAPER_FIRST_PASS"
bench reaper-measure --data "$WORK/reaper" --first-pass "$REAPER_FIRST_PASS"
stop_server
fi

if part usage-events; then
echo "== usage events: checkout+release with recording on and off"
start_server usage "$WORK/usage" 5
bench usage-events --data "$WORK/usage" --duration "$DURATION" --warmup "$WARMUP"
stop_server
fi

if part installation; then
echo "== installation mode: a server on a signed license file, against its own baseline"
start_server issuer "$WORK/issuer" 5
bench installation-issue --file "$WORK/installation.lic" --keys "$WORK/issuer-keys.json" --heartbeat-sessions "$INSTALLATION_SESSIONS"
stop_server
start_server installation "$WORK/installation" 5 LEASEHOLD_LICENSE_FILE="$WORK/installation.lic" LEASEHOLD_ISSUER_KEYS="$WORK/issuer-keys.json"
bench installation --data "$WORK/installation" --file "$WORK/installation.lic" --keys "$WORK/issuer-keys.json" \
  --duration "$DURATION" --warmup "$WARMUP" --heartbeat-sessions "$INSTALLATION_SESSIONS"
stop_server
fi

if part console; then
echo "== console pages: $CONSOLE_SESSIONS live sessions and $CONSOLE_DAYS days of history"
# The tenant, its license and keys by HTTP on a first server; then, with no server running, the history
# by the server's own store on a simulated clock (docs/benchmarks.md, "Console pages"); then the server
# again on that data, where the live sessions are made and the pages measured.
start_server console-setup "$WORK/console" 5
bench console-setup --state "$WORK/console.json"
stop_server
"${BENCH[@]}" console-seed --data "$WORK/console" --state "$WORK/console.json" --days "$CONSOLE_DAYS" &
BENCH_PID=$!
wait "$BENCH_PID"
BENCH_PID=""
start_server console "$WORK/console" 5
bench console --data "$WORK/console" --state "$WORK/console.json" --live-sessions "$CONSOLE_SESSIONS" --requests "$CONSOLE_REQUESTS"
stop_server
fi

if [ -n "$ONLY" ]; then
  # The part's report was printed as it ran; a single part is no row of the results table.
  echo "== $ONLY alone (\`$ARGS_TEXT\`, commit $COMMIT, $(( $(date +%s) - STARTED )) s): not added to docs/benchmarks.md"
  exit 0
fi

MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
RAM=$(awk '/^MemTotal:/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) cores, ${MODEL:-unknown CPU}, $RAM"
GC=workstation
grep -q '"System.GC.Server": true' "${SERVER_DLL%.dll}.runtimeconfig.json" && GC=server
LOG_FAILS=$(cat "$WORK"/*.log | grep -cE '^(fail|crit):' || true)
FILESYSTEM=$(df -PT "$WORK" | awk 'NR == 2 { print $2 " (" $1 ")" }')
ELAPSED=$(( $(date +%s) - STARTED ))
NOTES="Command: \`$ARGS_TEXT\` ($((ELAPSED / 60)) min $((ELAPSED % 60)) s in all). Server: Release build, .NET $(dotnet --version) SDK, ${GC} GC, data on $FILESYSTEM, on 127.0.0.1 with the load generator on the same machine ($CONNECTIONS connections). Server logs: $LOG_FAILS fail/crit lines."

"${BENCH[@]}" report --out "$RESULTS" --doc docs/benchmarks.md --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --commit "$COMMIT" --machine "$MACHINE" --durability "$DURABILITY" --mode "$MODE" --notes "$NOTES"
