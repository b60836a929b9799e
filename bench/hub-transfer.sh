#!/usr/bin/env bash
# Upload and download of one large blob through the hub, against nginx serving (and accepting by WebDAV PUT) the same
# file, in one run. Reports throughput, the ratios, and the hub's peak resident memory, which must stay under 100 MiB.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-2048}
LIMIT_KIB=$((100 * 1024))

random_file "$WORK/blob" "$SIZE_MIB"
BYTES=$(stat -c %s "$WORK/blob")
DIGEST=sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)
cat "$WORK/blob" > /dev/null

start_hub "$WORK/hub"
echo "hub $HUB_URL, blob $SIZE_MIB MiB" >&2
t_up=$(seconds "maxhub upload (curl POST)" curl -sf -o /dev/null -X POST -T "$WORK/blob" \
    -H "Authorization: Bearer $ADMIN_TOKEN" "$HUB_URL/api/v1/blobs/uploads?digest=$DIGEST")
peak_upload=$(peak_rss_kib "$HUB_PID")
t_down=$(seconds "maxhub download (curl GET)" curl -sf -o "$WORK/downloaded" -H "Authorization: Bearer $ADMIN_TOKEN" "$HUB_URL/api/v1/blobs/$DIGEST")
got=sha256:$(sha256sum "$WORK/downloaded" | cut -d' ' -f1)
[ "$got" = "$DIGEST" ] || { echo "downloaded bytes differ: $got" >&2; exit 1; }
rm -f "$WORK/downloaded"
peak=$(peak_rss_kib "$HUB_PID")
stop_hub

# The same transfers against nginx on loopback.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/root" "$WORK/nginx/tmp"
cp "$WORK/blob" "$WORK/nginx/root/blob"
cat > "$WORK/nginx/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    sendfile on;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/root;
        client_max_body_size 0;
        location /upload/ { dav_methods PUT; create_full_put_path on; }
    }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
trap 'kill $NGINX_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.05; done
n_up=$(seconds "nginx PUT (curl)" curl -sf -o /dev/null -T "$WORK/blob" "http://127.0.0.1:$NGINX_PORT/upload/blob")
n_down=$(seconds "nginx GET (curl)" curl -sf -o "$WORK/downloaded" "http://127.0.0.1:$NGINX_PORT/blob")
kill $NGINX_PID

echo
echo "upload   $SIZE_MIB MiB: maxhub $(rate "$BYTES" "$t_up") MB/s (hash + fsync), nginx PUT $(rate "$BYTES" "$n_up") MB/s; ratio $(echo "scale=2; $t_up / $n_up" | bc -l)"
echo "download $SIZE_MIB MiB: maxhub $(rate "$BYTES" "$t_down") MB/s, nginx $(rate "$BYTES" "$n_down") MB/s; ratio $(echo "scale=2; $t_down / $n_down" | bc -l)"
echo "hub peak resident memory: $((peak_upload / 1024)) MiB after the upload, $((peak / 1024)) MiB after the download (limit $((LIMIT_KIB / 1024)) MiB)"
[ "$peak" -lt "$LIMIT_KIB" ] || { echo "FAIL: the hub's peak resident memory is over the limit" >&2; exit 1; }
