#!/usr/bin/env bash
# Request rate of the catalog API with MODELS models published and approved (default 1,000): wrk, 32 connections, against
# `GET /api/v1/models` (first page), a full-text search and a filter, and against nginx serving the first page's
# JSON as a static file, in one run.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
MODELS=${MODELS:-1000}
DURATION=${DURATION:-10s}
PYTHON=${MAXHUB_PYTHON:-$ROOT/.venv/bin/python}

start_hub "$WORK/hub"
start=$(date +%s.%N)
REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
"$PYTHON" "$ROOT/bench/seed_catalog.py" "$MAXHUB" "$HUB_URL" "$ADMIN_TOKEN" "$REVIEWER" "$MODELS" "$WORK/packages"
printf 'seeded %s models in %.1f s\n' "$MODELS" "$(echo "$(date +%s.%N) - $start" | bc -l)" >&2
total=$(curl -sf "$HUB_URL/api/v1/models?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$total" = "$MODELS" ] || { echo "the catalog holds $total models, not $MODELS" >&2; exit 1; }

# wrk_rate URL [HEADER]: requests per second.
wrk_rate() {
    local header=()
    [ $# -lt 2 ] || header=(-H "$2")
    wrk -t2 -c32 -d"$DURATION" --latency "${header[@]}" "$1" | tee -a "$WORK/wrk.log" | awk '/^Requests\/sec:/ { print $2 }'
}
# etag URL: the ETag a read answers with.
etag() { curl -sf -D - -o /dev/null "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }'; }
MODEL=$(printf 'model-%04d' $((MODELS / 2)))

list=$(wrk_rate "$HUB_URL/api/v1/models")
search=$(wrk_rate "$HUB_URL/api/v1/models?q=wine")
filtered=$(wrk_rate "$HUB_URL/api/v1/models?task=tabular-classification&license=MIT")
model=$(wrk_rate "$HUB_URL/api/v1/models/$MODEL")
web=$(wrk_rate "$HUB_URL/")
tag=$(etag "$HUB_URL/api/v1/models")
[ -n "$tag" ] || { echo "the list answered without an ETag" >&2; exit 1; }
unchanged=$(wrk_rate "$HUB_URL/api/v1/models" "If-None-Match: $tag")
curl -sf -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$HUB_URL/api/v1/models" | grep -q 304 \
    || { echo "If-None-Match did not answer 304" >&2; exit 1; }
peak=$(peak_rss_kib "$HUB_PID")
curl -sf "$HUB_URL/api/v1/models" > "$WORK/page.json"
stop_hub

mkdir -p "$WORK/nginx/root"
cp "$WORK/page.json" "$WORK/nginx/root/models.json"
start_nginx "$WORK/nginx/root"
static=$(wrk_rate "$NGINX_URL/models.json")
stop_nginx

echo
echo "wrk -t2 -c32 -d$DURATION, $MODELS models, page of 20 ($(stat -c %s "$WORK/page.json") bytes of JSON):"
echo "  GET /api/v1/models                      $list req/s"
echo "  GET /api/v1/models?q=wine               $search req/s"
echo "  GET /api/v1/models?task=...&license=... $filtered req/s"
echo "  GET /api/v1/models/$MODEL           $model req/s"
echo "  GET / (the web catalog's home page)     $web req/s"
echo "  GET /api/v1/models, If-None-Match → 304 $unchanged req/s (ratio to nginx $(echo "scale=3; $unchanged / $static" | bc -l), target 0.5)"
echo "  nginx, the same page as a static file   $static req/s (ratio hub/nginx $(echo "scale=3; $list / $static" | bc -l), target 0.3)"
echo "hub peak resident memory: $((peak / 1024)) MiB"
