#!/usr/bin/env bash
# `maxhub pull` of a SIZE_MIB package (default 1 GiB of incompressible weights) into an empty cache — download, digest
# check, safe extraction, per-file check — against curl fetching the same archive from nginx followed by
# `openssl dgst -sha256`, in one run. Also reports the client's peak resident memory (target: under 100 MiB).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}

bench_package "$WORK/package" bench-model pull
random_file "$WORK/package/model.bin" "$SIZE_MIB"

start_hub "$WORK/hub"
REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
"$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN" > "$WORK/published"
DIGEST=$(sed -n 2p "$WORK/published")
"$MAXHUB" review approve bench-model@1.0.0 --url "$HUB_URL" --token "$REVIEWER" > /dev/null
BLOB="$WORK/hub/blobs/sha256/${DIGEST:7:2}/${DIGEST:7}"
BYTES=$(stat -c %s "$BLOB")
rm -f "$WORK/package/model.bin"
cat "$BLOB" > /dev/null

t_pull=$(seconds "maxhub pull (empty cache)" /usr/bin/time -v -o "$WORK/time.txt" \
    "$MAXHUB" pull bench-model@1.0.0 --cache "$WORK/cache" --url "$HUB_URL")
peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
[ -f "$WORK/cache/packages/bench-model/1.0.0/model.bin" ] || { echo "pull left no package" >&2; exit 1; }
rm -rf "$WORK/cache"
stop_hub

start_nginx "$(dirname "$BLOB")"
t_base=$(seconds "curl from nginx + openssl dgst" bash -c \
    "curl -sf -o '$WORK/fetched' '$NGINX_URL/${DIGEST:7}' && openssl dgst -sha256 '$WORK/fetched'")
stop_nginx

echo
echo "pull of $SIZE_MIB MiB ($BYTES bytes archived): maxhub $t_pull s, curl + openssl $t_base s; ratio $(echo "scale=2; $t_pull / $t_base" | bc -l) (target 1.1)"
echo "client peak resident memory: $((peak / 1024)) MiB (target under 100 MiB)"
