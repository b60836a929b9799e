#!/usr/bin/env bash
# The hub with its blobs in an S3-compatible bucket (SeaweedFS, from .venv) against the hub on files, in one run:
#   - publish of SIZE_MIB (default 1 GiB) of incompressible weights, to files and to S3;
#   - pull into an empty cache from the S3 hub, through the 307 to the store and streamed through the hub
#     (--blob-redirect=false), with the store's own speed as the limit: curl of the presigned URL + openssl;
#   - how long SeaweedFS takes to start.
# Each figure is the median of RUNS (default 3) runs.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
WEED=${WEED:-$ROOT/.venv/bin/weed}
[ -x "$WEED" ] || { echo "no SeaweedFS: make venv" >&2; exit 1; }


# start_seaweed: SeaweedFS on loopback with its S3 gateway (SigV4 for one identity); sets S3_ENDPOINT and WEED_PID.
start_seaweed() {
    mkdir -p "$WORK/weed/data"
    cat > "$WORK/weed/s3.json" <<JSON
{"identities": [{"name": "bench", "credentials": [{"accessKey": "bench", "secretKey": "bench-secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
    local base=$(( 20000 + RANDOM % 20000 ))
    local start end
    start=$(date +%s.%N)
    TMPDIR="$WORK/weed" "$WEED" server -dir="$WORK/weed/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
        -master.port=$base -volume.port=$((base + 1)) -filer.port=$((base + 2)) -s3 -s3.port=$((base + 3)) \
        -s3.config="$WORK/weed/s3.json" -s3.port.iceberg=0 -s3.port.lance=0 -master.volumeSizeLimitMB=1024 \
        -volume.max=100 > "$WORK/weed/log" 2>&1 &
    WEED_PID=$!
    S3_ENDPOINT=http://127.0.0.1:$((base + 3))
    export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
    for _ in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT --aws-sigv4 aws:amz:us-east-1:s3 \
            --user bench:bench-secret "$S3_ENDPOINT/bench")" = 200 ] && break
        sleep 0.1
    done
    end=$(date +%s.%N)
    WEED_START=$(echo "$end - $start" | bc -l)
    printf '%-34s %8.3f s\n' "SeaweedFS start + bucket" "$WEED_START" >&2
}
# SeaweedFS does not stop on SIGTERM in good time.
stop_seaweed() { [ -n "${WEED_PID:-}" ] && kill -9 "$WEED_PID" 2>/dev/null && wait "$WEED_PID" 2>/dev/null || true; WEED_PID=; }

cleanup() { stop_hub; stop_seaweed; rm -rf "$WORK"; }
trap cleanup EXIT

bench_package "$WORK/package" bench-s3 "S3"
random_file "$WORK/package/model.bin" "$SIZE_MIB"
cat "$WORK/package/model.bin" > /dev/null
start_seaweed
trap cleanup EXIT
S3_LOCATION="s3://bench?endpoint=$S3_ENDPOINT&region=us-east-1"

files_publish=(); s3_publish=(); redirect_pull=(); through_pull=(); store_pull=()
for run in $(seq 1 "$RUNS"); do
    # Files.
    rm -rf "$WORK/hub-files" "$WORK/mh-cache"
    start_hub "$WORK/hub-files"
    trap cleanup EXIT
    files_publish+=("$(timed "publish, files ($run)" env MAXHUB_CACHE="$WORK/mh-cache" \
        "$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN")")
    stop_hub

    # S3: a new bucket for each run, so that every publish uploads.
    bucket="run$run-$RANDOM"
    curl -sf -o /dev/null -X PUT --aws-sigv4 aws:amz:us-east-1:s3 --user bench:bench-secret "$S3_ENDPOINT/$bucket"
    rm -rf "$WORK/hub-s3" "$WORK/mh-cache"
    start_hub "$WORK/hub-s3" --blobs "s3://$bucket?endpoint=$S3_ENDPOINT&region=us-east-1"
    trap cleanup EXIT
    s3_publish+=("$(timed "publish, S3 ($run)" env MAXHUB_CACHE="$WORK/mh-cache" \
        "$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN")")
    REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
    "$MAXHUB" review approve bench-s3@1.0.0 --url "$HUB_URL" --token "$REVIEWER" > /dev/null
    rm -rf "$WORK/cache"
    redirect_pull+=("$(timed "pull, 307 to the store ($run)" "$MAXHUB" pull bench-s3@1.0.0 --cache "$WORK/cache" --url "$HUB_URL")")
    DIGEST=$(ls "$WORK/cache/blobs/sha256/"*/ | head -1)
    location=$(curl -s -o /dev/null -w '%{redirect_url}' "$HUB_URL/api/v1/blobs/sha256:$DIGEST")
    stop_hub

    start_hub "$WORK/hub-s3" --blobs "s3://$bucket?endpoint=$S3_ENDPOINT&region=us-east-1" --blob-redirect=false
    trap cleanup EXIT
    rm -rf "$WORK/cache"
    through_pull+=("$(timed "pull, through the hub ($run)" "$MAXHUB" pull bench-s3@1.0.0 --cache "$WORK/cache" --url "$HUB_URL")")
    [ -f "$WORK/cache/packages/bench-s3/1.0.0/model.bin" ] || { echo "the pull left no package" >&2; exit 1; }
    stop_hub
    store_pull+=("$(timed "curl presigned + openssl ($run)" bash -c \
        "curl -sf '$location' -o '$WORK/direct' && openssl dgst -sha256 '$WORK/direct'")")
    rm -f "$WORK/direct"
done

fp=$(median "${files_publish[@]}"); sp=$(median "${s3_publish[@]}")
rp=$(median "${redirect_pull[@]}"); tp=$(median "${through_pull[@]}"); lp=$(median "${store_pull[@]}")
echo
echo "SIZE_MIB=$SIZE_MIB, median of $RUNS runs"
printf '%-40s %8.2f s\n' "publish, blobs on files" "$fp"
printf '%-40s %8.2f s  (%sx files)\n' "publish, blobs in S3" "$sp" "$(ratio "$sp" "$fp")"
printf '%-40s %8.2f s  (%sx the store limit)\n' "pull, 307 to the store" "$rp" "$(ratio "$rp" "$lp")"
printf '%-40s %8.2f s  (%sx the 307)\n' "pull, streamed through the hub" "$tp" "$(ratio "$tp" "$rp")"
printf '%-40s %8.2f s\n' "limit: curl presigned URL + openssl" "$lp"
printf '%-40s %8.2f s\n' "SeaweedFS start to first bucket" "$WEED_START"
