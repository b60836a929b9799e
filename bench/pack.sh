#!/usr/bin/env bash
# Packing a 1 GiB package folder: `maxhub pack` (hash every file + tar + zstd + hash the archive)
# against `tar --zstd` alone and `tar | zstd` + sha256sum of the archive, on the same folder; then `maxhub inspect`.
source "$(dirname "$0")/common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
PKG="$WORK/pkg"
mkdir -p "$PKG/weights" "$PKG/eval"
random_file "$PKG/weights/model-00001.bin" $(( SIZE_MIB / 2 ))
random_file "$PKG/weights/model-00002.bin" $(( SIZE_MIB / 4 ))
random_file "$PKG/weights/model-00003.bin" $(( SIZE_MIB / 4 - 1 ))
head -c 1048576 /dev/urandom | base64 > "$PKG/eval/test.csv"
echo "labels" > "$PKG/labels.txt"
printf '# bench\n' > "$PKG/README.md"
(cd "$WORK" && "$MAXHUB" init bench-model --dir "$PKG.tmp" > /dev/null && mv "$PKG.tmp/maxhub.yaml" "$PKG/" && rm -rf "$PKG.tmp")
BYTES=$(du -sb "$PKG" | cut -f1)
cat "$PKG"/weights/* > /dev/null

t_tar=$(seconds "tar --zstd (sorted)" tar --sort=name --owner=0 --group=0 --mtime=@0 --zstd -cf "$WORK/tar.tar.zst" -C "$PKG" .)
t_tarsha=$(seconds "tar | zstd -3 | sha256sum" bash -c "tar --sort=name -cf - -C '$PKG' . | zstd -3 -q -c | sha256sum")
t_pack=$(seconds "maxhub pack" "$MAXHUB" pack "$PKG" -o "$WORK/pkg.tar.zst")
t_pack2=$(seconds "maxhub pack (again)" "$MAXHUB" pack "$PKG" -o "$WORK/pkg2.tar.zst")
cmp "$WORK/pkg.tar.zst" "$WORK/pkg2.tar.zst" && echo "reproducible: both packs are byte-identical" >&2
t_gzip=$(seconds "maxhub pack --gzip" "$MAXHUB" pack --gzip "$PKG" -o "$WORK/pkg.tar.gz")
t_inspect=$(seconds "maxhub inspect" "$MAXHUB" inspect "$WORK/pkg.tar.zst")
t_sha=$(seconds "sha256sum of the folder" bash -c "find '$PKG' -type f -print0 | xargs -0 sha256sum")
echo
echo "pack of $(( BYTES / 1048576 )) MiB: maxhub $(rate "$BYTES" "$t_pack") MB/s (zstd), $(rate "$BYTES" "$t_gzip") MB/s (gzip);" \
     "tar --zstd $(rate "$BYTES" "$t_tar") MB/s; tar|zstd|sha256sum $(rate "$BYTES" "$t_tarsha") MB/s"
echo "inspect: $(rate "$BYTES" "$t_inspect") MB/s; sha256sum of the files: $(rate "$BYTES" "$t_sha") MB/s"
echo "ratio maxhub pack / (tar | zstd | sha256sum): $(echo "scale=2; $t_pack / $t_tarsha" | bc -l)"
if [ -x /usr/bin/time ]; then
    rss_pack=$(/usr/bin/time -f %M "$MAXHUB" pack "$PKG" -o "$WORK/rss.tar.zst" 2>&1 >/dev/null | tail -1)
    rss_inspect=$(/usr/bin/time -f %M "$MAXHUB" inspect "$WORK/rss.tar.zst" 2>&1 >/dev/null | tail -1)
    echo "peak resident memory: pack $(( rss_pack / 1024 )) MiB, inspect $(( rss_inspect / 1024 )) MiB"
fi
