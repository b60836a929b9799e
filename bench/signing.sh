#!/usr/bin/env bash
# What signed approvals cost, on the SIZE_MIB (default 1 GiB) package, each figure the median of RUNS (default 3):
#   - approval: `maxhub review approve` end to end, and the part the hub spends signing (its log's `signing`), against
#     a request that does no work (`GET /api/v1/whoami`) as the floor of a round trip;
#   - pull: `maxhub pull` into an empty cache, and the two requests the signature adds to it (the bundle, and the
#     hub's keys on first contact), against the pull itself; then `model_signing verify key` of the pulled folder with
#     the OpenSSF tool (from the test venv, when it is there), which hashes every file again.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
TOOL=${MODEL_SIGNING:-$ROOT/.venv/bin/model_signing}

request() { curl -s -o /dev/null -w '%{time_total}' "$@"; }

bench_package "$WORK/package" bench-signing signing
random_file "$WORK/package/model.bin" "$SIZE_MIB"

approve=(); signing=(); floor=(); pull=(); bundle=(); keys=(); tool=()
for run in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/hub" "$WORK/cache" "$WORK/publish-cache"
    mkdir -p "$WORK/hub"
    "$MAXHUB" serve --data "$WORK/hub" --port 0 --log-level info > "$WORK/hub.out" 2> "$WORK/hub.err" &
    HUB_PID=$!
    trap 'stop_hub; rm -rf "$WORK"' EXIT
    for _ in $(seq 1 200); do HUB_URL=$(sed -n 's/^maxhub listening on //p' "$WORK/hub.out"); [ -n "$HUB_URL" ] && break; sleep 0.05; done
    ADMIN_TOKEN=$(cat "$WORK/hub/admin.token")
    MAXHUB_CACHE="$WORK/publish-cache" "$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN" > /dev/null
    REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
    floor+=("$(request -H "Authorization: Bearer $REVIEWER" "$HUB_URL/api/v1/whoami")")
    approve+=("$(seconds "maxhub review approve ($run)" "$MAXHUB" review approve bench-signing@1.0.0 --url "$HUB_URL" --token "$REVIEWER")")
    # `signing=0.003465245 seconds` in the review's log line.
    signing+=("$(grep -o 'signing=[0-9.e-]* seconds' "$WORK/hub.err" | tail -1 | sed -E 's/signing=([0-9.e-]+) seconds/\1/')")
    sync
    pull+=("$(seconds "maxhub pull ($run)" "$MAXHUB" pull bench-signing@1.0.0 --cache "$WORK/cache" --url "$HUB_URL")")
    bundle+=("$(request "$HUB_URL/api/v1/models/bench-signing/versions/1.0.0/signature")")
    keys+=("$(request "$HUB_URL/api/v1/signing-keys")")
    if [ -x "$TOOL" ]; then
        curl -s "$HUB_URL/api/v1/signing-key" > "$WORK/hub.pub"
        folder="$WORK/cache/packages/bench-signing/1.0.0"
        tool+=("$(seconds "model_signing verify ($run)" "$TOOL" verify key --signature "$folder.sig" --public_key "$WORK/hub.pub" "$folder")")
    fi
    stop_hub
done

a=$(median "${approve[@]}"); s=$(median "${signing[@]}"); f=$(median "${floor[@]}")
p=$(median "${pull[@]}"); b=$(median "${bundle[@]}"); k=$(median "${keys[@]}")
echo
echo "signed approvals, ${SIZE_MIB} MiB package, median of $RUNS runs"
printf '  approve (CLI, end to end)       %8.4f s\n' "$a"
printf '  of which the hub signing        %8.6f s   (%.4f of the approval)\n' "$s" "$(ratio "$s" "$a" 4)"
printf '  a request that does no work     %8.6f s   (signing / that: %.2f)\n' "$f" "$(ratio "$s" "$f" 4)"
printf '  pull into an empty cache        %8.4f s\n' "$p"
printf '  + GET the bundle                %8.6f s\n' "$b"
printf '  + GET the keys (first contact)  %8.6f s   (both: %.4f of the pull)\n' "$k" "$(ratio "$(echo "$b + $k" | bc -l)" "$p" 4)"
if [ ${#tool[@]} -gt 0 ]; then
    t=$(median "${tool[@]}")
    printf '  model_signing verify (rehash)   %8.4f s   (%.2f x the pull)\n' "$t" "$(ratio "$t" "$p" 4)"
fi
