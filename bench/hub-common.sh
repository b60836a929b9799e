# Helpers for the hub benchmarks: start and stop `maxhub serve`, read a process's peak memory. Source after common.sh.

# free_port: a TCP port nothing listens on.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# start_hub DATA_FOLDER: starts the release hub on a free port; sets HUB_PID, HUB_URL and ADMIN_TOKEN.
start_hub() {
    local data=$1
    "$MAXHUB" serve --data "$data" --port 0 --log-level warning > "$WORK/hub.out" 2> "$WORK/hub.err" &
    HUB_PID=$!
    for _ in $(seq 1 200); do
        HUB_URL=$(sed -n 's/^maxhub listening on //p' "$WORK/hub.out")
        [ -n "$HUB_URL" ] && break
        sleep 0.05
    done
    [ -n "$HUB_URL" ] || { echo "the hub did not start:" >&2; cat "$WORK/hub.err" >&2; exit 1; }
    ADMIN_TOKEN=$(cat "$data/admin.token")
    trap 'stop_hub; rm -rf "$WORK"' EXIT
}

stop_hub() {
    [ -n "${HUB_PID:-}" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
}

# peak_rss_kib PID: the process's peak resident set (VmHWM) in KiB.
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
