# Helpers for the hub benchmarks: start and stop `maxhub serve`, read a process's peak memory. Source after common.sh.

# free_port: a TCP port nothing listens on.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# launch_hub DATA_FOLDER OUTPUT_PREFIX [SERVE_ARGUMENTS...]: starts a release hub on a free port, its output in
# OUTPUT_PREFIX.out and .err; sets LAUNCHED_PID and LAUNCHED_URL.
launch_hub() {
    local data=$1 output=$2; shift 2
    "$MAXHUB" serve --data "$data" --port 0 --log-level warning "$@" > "$output.out" 2> "$output.err" &
    LAUNCHED_PID=$!
    LAUNCHED_URL=""
    for _ in $(seq 1 200); do
        LAUNCHED_URL=$(sed -n 's/^maxhub listening on //p' "$output.out")
        [ -n "$LAUNCHED_URL" ] && break
        sleep 0.05
    done
    [ -n "$LAUNCHED_URL" ] || { echo "the hub did not start:" >&2; cat "$output.err" >&2; exit 1; }
}

# start_hub DATA_FOLDER [SERVE_ARGUMENTS...]: starts the release hub on a free port; sets HUB_PID, HUB_URL and
# ADMIN_TOKEN.
start_hub() {
    local data=$1; shift
    launch_hub "$data" "$WORK/hub" "$@"
    HUB_PID=$LAUNCHED_PID
    HUB_URL=$LAUNCHED_URL
    ADMIN_TOKEN=$(cat "$data/admin.token")
    trap 'stop_hub; rm -rf "$WORK"' EXIT
}

stop_hub() {
    [ -n "${HUB_PID:-}" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
}

# peak_rss_kib PID: the process's peak resident set (VmHWM) in KiB.
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# start_nginx ROOT [EXTRA_SERVER_DIRECTIVES [EXTRA_HTTP_DIRECTIVES]]: nginx on a free loopback port serving ROOT
# (sendfile, no access log); sets NGINX_PID and NGINX_URL and stops it on exit.
start_nginx() {
    local root=$1 extra=${2:-} http_extra=${3:-}
    local port
    port=$(free_port)
    mkdir -p "$WORK/nginx/tmp"
    cat > "$WORK/nginx/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    sendfile on;
    $http_extra
    server { listen 127.0.0.1:$port; root $root; $extra }
}
CONF
    nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$port
    trap 'stop_nginx; rm -rf "$WORK"' EXIT
    for _ in $(seq 1 100); do curl -s -o /dev/null "$NGINX_URL/" && break; sleep 0.05; done
}

stop_nginx() {
    [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
}

# start_registry: Debian's docker-registry (distribution 2.8, $REGISTRY) on a free loopback port, storing in
# WORK/registry; sets REGISTRY_PID and REGISTRY_HOST. stop_registry stops it.
REGISTRY=${REGISTRY:-/usr/bin/docker-registry}
stop_registry() { [ -n "${REGISTRY_PID:-}" ] && kill "$REGISTRY_PID" 2>/dev/null && wait "$REGISTRY_PID" 2>/dev/null || true; REGISTRY_PID=; }
start_registry() {
    local port
    port=$(free_port)
    mkdir -p "$WORK/registry"
    cat > "$WORK/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YAML
    "$REGISTRY" serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
    REGISTRY_PID=$!
    REGISTRY_HOST=127.0.0.1:$port
    for _ in $(seq 1 100); do curl -sf -o /dev/null "http://$REGISTRY_HOST/v2/" && return; sleep 0.1; done
    echo "the registry did not start:" >&2; cat "$WORK/registry.log" >&2; exit 1
}
