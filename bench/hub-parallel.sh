#!/usr/bin/env bash
# The hub's memory under parallel downloads: CLIENTS (default "1 8 64") curl clients each download one blob of SIZE_MIB
# (default 1024) at once, from a fresh hub per round, against nginx serving the same file to the same clients. Reports
# the hub's peak resident memory per round, what it keeps once the clients are done, and the time against nginx's.
# The peak must stay under LIMIT_MIB (default 150) at every client count: downloads respect backpressure, so memory
# is a constant per connection.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
CLIENTS=${CLIENTS:-"1 8 64"}
LIMIT_MIB=${LIMIT_MIB:-150}

random_file "$WORK/blob" "$SIZE_MIB"
BYTES=$(stat -c %s "$WORK/blob")
DIGEST=sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)

# parallel N URL [HEADER]: N curls at once, each to /dev/null; fails unless every one got every byte.
parallel() {
    local count=$1 url=$2 header=${3:-X-Nothing: 0}
    local pids=() failed=0
    for _ in $(seq 1 "$count"); do
        curl -sf -o /dev/null -w '%{size_download}\n' -H "$header" "$url" >> "$WORK/sizes" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    [ "$failed" = 0 ] || { echo "a download failed" >&2; exit 1; }
}

# A hub that has the blob: uploaded once, then every round restarts it on the same data.
start_hub "$WORK/hub"
curl -sf -o /dev/null -X POST -T "$WORK/blob" -H "Authorization: Bearer $ADMIN_TOKEN" "$HUB_URL/api/v1/blobs/uploads?digest=$DIGEST"
stop_hub

mkdir -p "$WORK/nginx/root"
ln "$WORK/blob" "$WORK/nginx/root/blob"
failed=0
results=()
for count in $CLIENTS; do
    cat "$WORK/blob" > /dev/null
    start_hub "$WORK/hub"
    : > "$WORK/sizes"
    t_hub=$(seconds "maxhub: $count parallel downloads" parallel "$count" "$HUB_URL/api/v1/blobs/$DIGEST" "Authorization: Bearer $ADMIN_TOKEN")
    peak=$(peak_rss_kib "$HUB_PID")
    sleep 1
    kept=$(awk '/^VmRSS:/ { print $2 }' "/proc/$HUB_PID/status")
    stop_hub
    wrong=$(grep -cv "^$BYTES\$" "$WORK/sizes" || true)
    [ "$wrong" = 0 ] || { echo "$wrong downloads were short" >&2; exit 1; }

    start_nginx "$WORK/nginx/root"
    t_nginx=$(seconds "nginx: $count parallel downloads" parallel "$count" "$NGINX_URL/blob")
    stop_nginx

    verdict=ok
    [ "$peak" -lt $((LIMIT_MIB * 1024)) ] || { verdict="OVER $LIMIT_MIB MiB"; failed=1; }
    results+=("$(printf '%3d clients: peak %4d MiB, kept %4d MiB; maxhub %6.2f s (%s MB/s in all), nginx %6.2f s; ratio %5.2f  %s' \
        "$count" $((peak / 1024)) $((kept / 1024)) "$t_hub" "$(rate $((BYTES * count)) "$t_hub")" "$t_nginx" \
        "$(echo "$t_hub / $t_nginx" | bc -l)" "$verdict")")
done

echo
echo "$SIZE_MIB MiB blob, the hub's peak resident memory (limit $LIMIT_MIB MiB):"
printf '%s\n' "${results[@]}"
[ "$failed" = 0 ] || { echo "FAIL: the hub's peak resident memory is over the limit" >&2; exit 1; }
