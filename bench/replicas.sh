#!/usr/bin/env bash
# The catalog API's request rate with 1 and with 3 hub replicas on one PostgreSQL catalog, behind the same nginx
# (round-robin, keepalive), in one run: wrk, 32 connections, against `GET /api/v1/models` (first page) and a search,
# with MODELS models published and approved (default 300). Each replica has a data folder of its own; the catalog is
# shared, so what one publishes the others serve. On a machine of few cores the replicas share them, and so does wrk:
# the figure says what a second and third process buy there, not what three machines would.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
MODELS=${MODELS:-300}
DURATION=${DURATION:-10s}
PYTHON=${MAXHUB_PYTHON:-$ROOT/.venv/bin/python}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
pids=()
cleanup() {
    stop_nginx
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "${PG_PID:-}" ] && kill -INT "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null || true
    rm -rf "$WORK"
}

# PostgreSQL in WORK, on a free port; how long initdb and the start take is printed at the end.
pg_started=$(date +%s.%N)
mkdir -p "$WORK/postgres"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/postgres" "$WORK"
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$WORK/postgres/data" -U maxhub -A trust -E UTF8 --locale=C.UTF-8 --no-sync > /dev/null
PG_PORT=$(free_port)
# Started directly, not through a function, so that PG_PID is the server's own process (setpriv execs it).
"${as_postgres[@]}" "$PG_BIN/postgres" -D "$WORK/postgres/data" -k "$WORK/postgres" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c fsync=off > "$WORK/postgres.log" 2>&1 &
PG_PID=$!
trap cleanup EXIT
for _ in $(seq 1 200); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.05; done
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U maxhub maxhub
pg_seconds=$(echo "$(date +%s.%N) - $pg_started" | bc -l)
DATABASE="postgres://maxhub@127.0.0.1:$PG_PORT/maxhub"

# replica N: starts the Nth replica, with a data folder of its own, on the shared catalog; its URL in REPLICA_URLS[N].
REPLICA_URLS=()
replica() {
    mkdir -p "$WORK/replica-$1"
    launch_hub "$WORK/replica-$1" "$WORK/replica-$1" --database "$DATABASE"
    pids+=("$LAUNCHED_PID")
    REPLICA_URLS[$1]=$LAUNCHED_URL
}

# proxy URL...: nginx (round-robin, keepalive) in front of the URLs; its URL in PROXY_URL.
proxy() {
    local servers=""
    for url in "$@"; do servers+="server ${url#http://}; "; done
    start_nginx "$WORK" \
        'location / { proxy_pass http://hubs; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; }' \
        "upstream hubs { $servers keepalive 64; }"
    trap cleanup EXIT
    PROXY_URL=$NGINX_URL
    for _ in $(seq 1 100); do curl -s -o /dev/null "$PROXY_URL/healthz" && break; sleep 0.05; done
}

wrk_rate() { wrk -t2 -c32 -d"$DURATION" "$1" | tee -a "$WORK/wrk.log" | awk '/^Requests\/sec:/ { print $2 }'; }

replica 1
ADMIN_TOKEN=$(cat "$WORK/replica-1/admin.token")
REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "${REPLICA_URLS[1]}" --token "$ADMIN_TOKEN")
"$PYTHON" "$ROOT/bench/seed_catalog.py" "$MAXHUB" "${REPLICA_URLS[1]}" "$ADMIN_TOKEN" "$REVIEWER" "$MODELS" "$WORK/packages"

proxy "${REPLICA_URLS[1]}"
one_list=$(wrk_rate "$PROXY_URL/api/v1/models")
one_search=$(wrk_rate "$PROXY_URL/api/v1/models?q=wine")
stop_nginx

replica 2
replica 3
for n in 2 3; do
    total=$(curl -sf "${REPLICA_URLS[$n]}/api/v1/models?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    [ "$total" = "$MODELS" ] || { echo "replica $n sees $total models, not $MODELS" >&2; exit 1; }
done
proxy "${REPLICA_URLS[1]}" "${REPLICA_URLS[2]}" "${REPLICA_URLS[3]}"
three_list=$(wrk_rate "$PROXY_URL/api/v1/models")
three_search=$(wrk_rate "$PROXY_URL/api/v1/models?q=wine")
stop_nginx

echo
echo "wrk -t2 -c32 -d$DURATION through nginx, $MODELS models on one PostgreSQL catalog, $(nproc) cores:"
printf '  GET /api/v1/models         1 replica %9s req/s   3 replicas %9s req/s   (%.2fx)\n' "$one_list" "$three_list" "$(echo "$three_list / $one_list" | bc -l)"
printf '  GET /api/v1/models?q=wine  1 replica %9s req/s   3 replicas %9s req/s   (%.2fx)\n' "$one_search" "$three_search" "$(echo "$three_search / $one_search" | bc -l)"
printf '  PostgreSQL: initdb, start and createdb took %.2f s\n' "$pg_seconds"
