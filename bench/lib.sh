# Shared by the benchmark scripts (run.sh, metrics.sh, wrk.sh, nodes.sh, waits.sh, heartbeats.sh), sourced from the
# repository's root. build_for_bench sets SERVER_DLL, BENCH and COMMIT; the functions that start servers also need
# WORK (a temp directory), ADMIN_KEY and PIDS=() set by the caller.

# build_for_bench: builds the server and the load generator (Release); sets SERVER_DLL, BENCH (the load generator's
# command) and COMMIT (the commit built, marked when src/ has changes not committed yet).
build_for_bench() {
  echo "== building the server and the load generator (Release)" >&2
  dotnet build src/Leasehold.Server/Leasehold.Server.csproj -c Release -nologo -v quiet >&2
  dotnet build bench/Leasehold.Bench/Leasehold.Bench.csproj -c Release -nologo -v quiet >&2
  SERVER_DLL=src/Leasehold.Server/bin/Release/net10.0/Leasehold.Server.dll
  BENCH=(dotnet bench/Leasehold.Bench/bin/Release/net10.0/Leasehold.Bench.dll)
  COMMIT=$(git rev-parse --short HEAD)
  if [ -n "$(git status --porcelain -- src)" ]; then COMMIT="$COMMIT+local-changes"; fi
}

# start_nodes COUNT [POSTGRES]: COUNT server processes on free loopback ports, on SQLite (no connection
# string; each its own data directory) or on one PostgreSQL database; sets URLS (comma-separated).
start_nodes() {
  local count=$1 postgres=${2:-} urls=()
  for i in $(seq 1 "$count"); do
    local port; port=$("${BENCH[@]}" free-port)
    LEASEHOLD_POSTGRES="$postgres" LEASEHOLD_ADMIN_KEY="$ADMIN_KEY" LEASEHOLD_WRITES_PER_MINUTE=0 LEASEHOLD_CLIENT_WRITES_PER_MINUTE=0 DOTNET_gcServer=0 \
      dotnet "$SERVER_DLL" --data "$WORK/data-$count-$i-${postgres:+pg}" --urls "http://127.0.0.1:$port" >"$WORK/server-$count-$i.log" 2>&1 &
    PIDS+=($!)
    urls+=("http://127.0.0.1:$port")
    # One at a time: the first migrates; the others find the schema ready.
    for _ in $(seq 1 300); do
      curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
      kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/server-$count-$i.log" >&2; exit 1; }
      sleep 0.2
    done
  done
  URLS=$(IFS=,; echo "${urls[*]}")
}

# start_pg_cluster: a throwaway PostgreSQL cluster in $WORK/pg on a free loopback port (fsync off), started as the
# postgres user when run as root; sets PG_PORT. Needs PG_BIN and AS_PG=() (the caller's cleanup stops it).
start_pg_cluster() {
  if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); chown postgres "$WORK"; fi
  PG_PORT=$("${BENCH[@]}" free-port)
  echo "== PostgreSQL cluster on 127.0.0.1:$PG_PORT" >&2
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U leasehold --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
  cat >> "$WORK/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK'
max_connections = 300
shared_buffers = 128MB
fsync = off
CONF
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w start >/dev/null
}

# start_benchmark_server NAME [NAME=VALUE...]: one server in benchmark mode with run.sh's settings (LEASEHOLD_BENCHMARK=1,
# no write limits, the reaper every 5 s) on a free loopback port, data in $WORK/NAME, log in $WORK/NAME.log, any
# further settings in its environment; waits for /healthz. Sets SERVER_URL and SERVER_PID (also added to PIDS).
start_benchmark_server() {
  local name=$1 port
  shift
  port=$("${BENCH[@]}" free-port)
  SERVER_URL="http://127.0.0.1:$port"
  env "$@" LEASEHOLD_BENCHMARK=1 LEASEHOLD_ADMIN_KEY="$ADMIN_KEY" LEASEHOLD_WRITES_PER_MINUTE=0 LEASEHOLD_CLIENT_WRITES_PER_MINUTE=0 \
    LEASEHOLD_REAPER_INTERVAL_SECONDS="${LEASEHOLD_REAPER_INTERVAL_SECONDS:-5}" \
    dotnet "$SERVER_DLL" --data "$WORK/$name" --urls "$SERVER_URL" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 300); do
    curl -sf "$SERVER_URL/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "   server '$name': pid $SERVER_PID on $SERVER_URL, data in $WORK/$name" >&2
}
