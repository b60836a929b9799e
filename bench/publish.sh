#!/usr/bin/env bash
# `maxhub publish` of a SIZE_MIB package folder (default 1 GiB of incompressible weights) against its parts run alone in
# the same run: `maxhub pack` of the folder, then curl sending the packed archive to the same hub. Prints each phase,
# the ratio publish / (pack + curl) (target 1.5), and the hub's peak resident memory (target under 100 MiB).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}

bench_package "$WORK/package" bench-publish publish
random_file "$WORK/package/model.bin" "$SIZE_MIB"
cat "$WORK/package/model.bin" > /dev/null

t_pack=$(seconds "maxhub pack (alone)" "$MAXHUB" pack "$WORK/package" --output "$WORK/packed.tar.zst")
DIGEST=sha256:$(sha256sum "$WORK/packed.tar.zst" | cut -d' ' -f1)

start_hub "$WORK/hub"
t_curl=$(seconds "curl upload of the archive (alone)" curl -sf -o /dev/null -X POST -T "$WORK/packed.tar.zst" \
    -H "Authorization: Bearer $ADMIN_TOKEN" "$HUB_URL/api/v1/blobs/uploads?digest=$DIGEST")
stop_hub
rm -rf "$WORK/hub"

# A second package with the same weights, so that the hub has none of its blobs.
bench_package "$WORK/fresh" bench-publish publish
mv "$WORK/package/model.bin" "$WORK/fresh/model.bin"
start_hub "$WORK/hub"
t_publish=$(seconds "maxhub publish DIR" "$MAXHUB" publish "$WORK/fresh" --url "$HUB_URL" --token "$ADMIN_TOKEN")
peak=$(peak_rss_kib "$HUB_PID")
stop_hub

echo
echo "publish of $SIZE_MIB MiB: maxhub publish $t_publish s; pack alone $t_pack s + curl upload alone $t_curl s;" \
    "ratio $(echo "scale=2; $t_publish / ($t_pack + $t_curl)" | bc -l) (target 1.5)"
echo "hub peak resident memory: $((peak / 1024)) MiB (target under 100 MiB)"
