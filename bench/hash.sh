#!/usr/bin/env bash
# Streaming SHA-256: `maxhub digest` against sha256sum and openssl on the same 1 GiB file (warm page cache).
source "$(dirname "$0")/common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
random_file "$WORK/blob" "$SIZE_MIB"
BYTES=$(stat -c %s "$WORK/blob")
cat "$WORK/blob" > /dev/null   # warm the page cache so every tool reads from memory

expected=$(sha256sum "$WORK/blob" | cut -d' ' -f1)
actual=$("$MAXHUB" digest "$WORK/blob" | cut -d' ' -f1)
[ "$actual" = "sha256:$expected" ] || { echo "digest mismatch: $actual vs sha256:$expected" >&2; exit 1; }

t_sha=$(seconds "sha256sum" sha256sum "$WORK/blob")
t_ssl=$(seconds "openssl dgst -sha256" openssl dgst -sha256 "$WORK/blob")
t_max=$(seconds "maxhub digest" "$MAXHUB" digest "$WORK/blob")
echo
echo "hash of $SIZE_MIB MiB: sha256sum $(rate "$BYTES" "$t_sha") MB/s, openssl $(rate "$BYTES" "$t_ssl") MB/s, maxhub $(rate "$BYTES" "$t_max") MB/s"
echo "ratio maxhub/sha256sum time: $(echo "scale=2; $t_max / $t_sha" | bc -l)"
echo "ratio maxhub/openssl time:   $(echo "scale=2; $t_max / $t_ssl" | bc -l)"
