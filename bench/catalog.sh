#!/usr/bin/env bash
# What each catalog package costs to ship and to serve, in one run: its archive's size, the time from `maxhub run
# --runtime process --detach` to a server that answers its health route, and the latency of one prediction (the first
# example of its evaluation set, REQUESTS times after WARMUP, a new connection each time, as curl makes them): p50 and
# p90. The packages are published to and approved on a hub of their own, pulled, and run from the catalog's Python
# (.venv-catalog). Build times are what `make catalog` prints for each package.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
REQUESTS=${REQUESTS:-100}
WARMUP=${WARMUP:-10}
PYTHON_BIN=${MAXHUB_CATALOG_BIN:-$ROOT/.venv-catalog/bin}
[ -x "$PYTHON_BIN/python3" ] || { echo "no $PYTHON_BIN/python3: run make catalog" >&2; exit 1; }

start_hub "$WORK/hub"
echo "$ADMIN_TOKEN" > "$WORK/admin.token"
MAXHUB="$MAXHUB" "$ROOT/scripts/publish-catalog.sh" "$HUB_URL" "$WORK/admin.token" "$WORK/reviewer.token" > /dev/null
export MAXHUB_URL=$HUB_URL MAXHUB_TOKEN=$ADMIN_TOKEN MAXHUB_CACHE=$WORK/cache

# request PACKAGE URL: curl's arguments for one prediction with the package's first evaluation example, in REQUEST.
request() {
    local folder=$ROOT/catalog/$1 url=$2
    case $1 in
        wine-classifier)
            local row
            row=$(sed -n 2p "$folder/eval/wine-test.csv" | cut -d, -f1-13)
            REQUEST=(-H "Content-Type: application/json" -d "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 13], \"datatype\": \"FP32\", \"data\": [$row]}]}" "$url/v2/models/wine-classifier/infer")
            ;;
        topic-classifier)
            REQUEST=(-H "Content-Type: application/json" -d '{"text": ["The striker scored twice in the second half."]}' "$url/model/predict")
            ;;
        *)
            local csv field file
            csv=$(sed -n 's/.*dataset: \(eval\/[^,]*\.csv\).*/\1/p' "$folder/maxhub.yaml" | head -n 1)
            field=$(head -n 1 "$folder/$csv" | cut -d, -f1)
            file=$(sed -n 2p "$folder/$csv" | cut -d, -f1)
            REQUEST=(-F "$field=@$folder/$file" "$url/model/predict")
            ;;
    esac
}

printf '%-20s %10s %14s %10s %10s\n' package archive run-to-ready p50 p90
for manifest in "$ROOT"/catalog/*/maxhub.yaml; do
    package=$(basename "$(dirname "$manifest")")
    "$MAXHUB" pull "$package" > /dev/null
    size=$(awk -v bytes="$(curl -sf "$HUB_URL/api/v1/models/$package" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["versions"][0]["archive"]["size"])')" \
        'BEGIN { if (bytes < 1e6) printf "%.1f kB", bytes / 1e3; else printf "%.1f MB", bytes / 1e6 }')
    start=$(date +%s.%N)
    url=$(PATH="$PYTHON_BIN:$PATH" "$MAXHUB" run "$package" --runtime process --port 0 --detach 2> "$WORK/run.err") ||
        { cat "$WORK/run.err" >&2; exit 1; }
    ready=$(echo "$(date +%s.%N) - $start" | bc -l)
    request "$package" "$url"
    for _ in $(seq 1 "$WARMUP"); do curl -sf -o /dev/null "${REQUEST[@]}"; done
    for _ in $(seq 1 "$REQUESTS"); do curl -sf -o /dev/null -w '%{time_total}\n' "${REQUEST[@]}"; done | sort -n > "$WORK/times"
    "$MAXHUB" stop "$package" > /dev/null
    p50=$(awk -v n="$REQUESTS" 'NR == int((n + 1) / 2) { printf "%.1f ms", $1 * 1000 }' "$WORK/times")
    p90=$(awk -v n="$REQUESTS" 'NR == int(n * 0.9) { printf "%.1f ms", $1 * 1000 }' "$WORK/times")
    printf '%-20s %10s %12.2f s %10s %10s\n' "$package" "$size" "$ready" "$p50" "$p90"
done
