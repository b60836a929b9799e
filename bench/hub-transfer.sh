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
mkdir -p "$WORK/nginx/root"
cp "$WORK/blob" "$WORK/nginx/root/blob"
start_nginx "$WORK/nginx/root" "client_max_body_size 0; location /upload/ { dav_methods PUT; create_full_put_path on; }"
n_up=$(seconds "nginx PUT (curl)" curl -sf -o /dev/null -T "$WORK/blob" "$NGINX_URL/upload/blob")
n_down=$(seconds "nginx GET (curl)" curl -sf -o "$WORK/downloaded" "$NGINX_URL/blob")
stop_nginx

echo
echo "upload   $SIZE_MIB MiB: maxhub $(rate "$BYTES" "$t_up") MB/s (hash + fsync), nginx PUT $(rate "$BYTES" "$n_up") MB/s; ratio $(echo "scale=2; $t_up / $n_up" | bc -l)"
echo "download $SIZE_MIB MiB: maxhub $(rate "$BYTES" "$t_down") MB/s, nginx $(rate "$BYTES" "$n_down") MB/s; ratio $(echo "scale=2; $t_down / $n_down" | bc -l)"
echo "hub peak resident memory: $((peak_upload / 1024)) MiB after the upload, $((peak / 1024)) MiB after the download (limit $((LIMIT_KIB / 1024)) MiB)"
[ "$peak" -lt "$LIMIT_KIB" ] || { echo "FAIL: the hub's peak resident memory is over the limit" >&2; exit 1; }
