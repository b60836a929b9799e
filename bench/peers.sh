#!/usr/bin/env bash
# maxhub against its peers, in one run on one machine: publish (push) and pull of the same SIZE_MIB of incompressible
# weights (default 1 GiB) with
#   - maxhub: `maxhub publish DIR` to a fresh hub, then `maxhub pull` into an empty cache (download, digest check,
#     safe extraction, per-file check);
#   - oras-py against Debian's `docker-registry` (distribution 2.8): `oras push`, then `oras pull` followed by
#     `sha256sum` of the file (oras-py does not check what it pulls);
#   - MLflow's tracking server with proxied artifacts: `log_artifact` to a new run, then `download_artifacts`;
#   - the limits: `maxhub pack` alone plus curl sending the archive to the hub alone (publish), and curl from nginx
#     followed by `openssl dgst -sha256` (pull).
# Each figure is the median of RUNS (default 3) runs; ratios are against maxhub and against the limit. The peers come
# from Debian (docker-registry, nginx) and PyPI (bench/requirements-peers.txt, in .venv-peers), set up by
# `make bench-peers`.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
PEERS_PYTHON=${PEERS_PYTHON:-$ROOT/.venv-peers/bin/python}
[ -x "$PEERS_PYTHON" ] || { echo "set up the peers first: make bench-peers" >&2; exit 1; }


cleanup() { stop_hub; stop_nginx; stop_registry; stop_mlflow; rm -rf "$WORK"; }
trap cleanup EXIT

bench_package "$WORK/package" bench-peers peer
random_file "$WORK/package/model.bin" "$SIZE_MIB"
cat "$WORK/package/model.bin" > /dev/null

# ---- maxhub
mh_publish=(); mh_pull=(); limit_pack=(); limit_send=(); limit_pull=()
for run in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/hub" "$WORK/cache" "$WORK/maxhub-cache"
    start_hub "$WORK/hub"
    trap cleanup EXIT
    mh_publish+=("$(timed "maxhub publish ($run)" env MAXHUB_CACHE="$WORK/maxhub-cache" \
        "$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN")")
    REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
    "$MAXHUB" review approve bench-peers@1.0.0 --url "$HUB_URL" --token "$REVIEWER" > /dev/null
    mh_pull+=("$(timed "maxhub pull ($run)" "$MAXHUB" pull bench-peers@1.0.0 --cache "$WORK/cache" --url "$HUB_URL")")
    [ -f "$WORK/cache/packages/bench-peers/1.0.0/model.bin" ] || { echo "maxhub pull left no package" >&2; exit 1; }
    hub_peak=$(( $(peak_rss_kib "$HUB_PID") > ${hub_peak:-0} ? $(peak_rss_kib "$HUB_PID") : ${hub_peak:-0} ))
    stop_hub
done

# ---- the limits: pack alone + curl upload alone; curl from nginx + openssl
for run in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/hub" "$WORK/packed.tar.zst"
    limit_pack+=("$(timed "maxhub pack alone ($run)" "$MAXHUB" pack "$WORK/package" --no-update --output "$WORK/packed.tar.zst")")
    DIGEST=sha256:$(sha256sum "$WORK/packed.tar.zst" | cut -d' ' -f1)
    start_hub "$WORK/hub"
    trap cleanup EXIT
    limit_send+=("$(timed "curl upload alone ($run)" curl -sf -o /dev/null -X POST -T "$WORK/packed.tar.zst" \
        -H "Authorization: Bearer $ADMIN_TOKEN" "$HUB_URL/api/v1/blobs/uploads?digest=$DIGEST")")
    stop_hub
done
mkdir -p "$WORK/static"
cp "$WORK/packed.tar.zst" "$WORK/static/archive"
rm -rf "$WORK/hub" "$WORK/packed.tar.zst"
start_nginx "$WORK/static"
trap cleanup EXIT
for run in $(seq 1 "$RUNS"); do
    rm -f "$WORK/fetched"
    limit_pull+=("$(timed "curl from nginx + openssl ($run)" bash -c \
        "curl -sf -o '$WORK/fetched' '$NGINX_URL/archive' && openssl dgst -sha256 '$WORK/fetched'")")
done
stop_nginx
rm -rf "$WORK/static" "$WORK/fetched"

# ---- oras-py against distribution
oras_push=(); oras_pull=()
for run in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/registry" "$WORK/oras-out"
    start_registry
    oras_push+=("$(timed "oras push ($run)" bash -c "cd '$WORK/package' && '$PEERS_PYTHON' -c \"
import oras.client
oras.client.OrasClient(insecure=True).push(files=['model.bin'], target='$REGISTRY_HOST/bench/peers:1.0.0', quiet=True)
\"")")
    mkdir -p "$WORK/oras-out"
    oras_pull+=("$(timed "oras pull + sha256sum ($run)" bash -c "'$PEERS_PYTHON' -c \"
import oras.client
oras.client.OrasClient(insecure=True).pull(target='$REGISTRY_HOST/bench/peers:1.0.0', outdir='$WORK/oras-out')
\" && sha256sum '$WORK/oras-out/model.bin'")")
    cmp -s "$WORK/oras-out/model.bin" "$WORK/package/model.bin" || { echo "oras pull gave other bytes" >&2; exit 1; }
    stop_registry
done
rm -rf "$WORK/registry" "$WORK/oras-out"

# ---- MLflow, proxied artifacts
stop_mlflow() { [ -n "${MLFLOW_PID:-}" ] && kill "$MLFLOW_PID" 2>/dev/null && wait "$MLFLOW_PID" 2>/dev/null || true; MLFLOW_PID=; }
start_mlflow() {
    local port
    port=$(free_port)
    mkdir -p "$WORK/mlflow"
    "$(dirname "$PEERS_PYTHON")/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
        --backend-store-uri "sqlite:///$WORK/mlflow/mlflow.db" --artifacts-destination "$WORK/mlflow/artifacts" \
        > "$WORK/mlflow.log" 2>&1 &
    MLFLOW_PID=$!
    MLFLOW_URL=http://127.0.0.1:$port
    for _ in $(seq 1 600); do curl -sf -o /dev/null "$MLFLOW_URL/health" && return; sleep 0.1; done
    echo "the MLflow server did not start:" >&2; tail -20 "$WORK/mlflow.log" >&2; exit 1
}
ml_push=(); ml_pull=()
for run in $(seq 1 "$RUNS"); do
    rm -rf "$WORK/mlflow" "$WORK/ml-out"
    start_mlflow
    ml_push+=("$(timed "mlflow log_artifact ($run)" env MLFLOW_TRACKING_URI="$MLFLOW_URL" "$PEERS_PYTHON" -c "
import mlflow
with mlflow.start_run() as run:
    mlflow.log_artifact('$WORK/package/model.bin')
open('$WORK/ml-run', 'w').write(run.info.run_id)
")")
    ml_pull+=("$(timed "mlflow download_artifacts ($run)" env MLFLOW_TRACKING_URI="$MLFLOW_URL" "$PEERS_PYTHON" -c "
import mlflow
mlflow.artifacts.download_artifacts(run_id=open('$WORK/ml-run').read(), artifact_path='model.bin', dst_path='$WORK/ml-out')
")")
    cmp -s "$WORK/ml-out/model.bin" "$WORK/package/model.bin" || { echo "MLflow gave other bytes" >&2; exit 1; }
    stop_mlflow
done

# ---- the table
m_pub=$(median "${mh_publish[@]}"); m_pull=$(median "${mh_pull[@]}")
o_pub=$(median "${oras_push[@]}"); o_pull=$(median "${oras_pull[@]}")
f_pub=$(median "${ml_push[@]}"); f_pull=$(median "${ml_pull[@]}")
l_pack=$(median "${limit_pack[@]}"); l_send=$(median "${limit_send[@]}"); l_pull=$(median "${limit_pull[@]}")
l_pub=$(echo "$l_pack + $l_send" | bc -l)
echo
echo "$SIZE_MIB MiB of weights, median of $RUNS runs, $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '| %-36s | %9s | %9s | %9s | %9s |\n' operation maxhub "oras-py" MLflow limit
printf '| %-36s | %9s | %9s | %9s | %9s |\n' --- --- --- --- ---
printf '| %-36s | %8.2fs | %8.2fs | %8.2fs | %8.2fs |\n' "publish / push" "$m_pub" "$o_pub" "$f_pub" "$l_pub"
printf '| %-36s | %8.2fs | %8.2fs | %8.2fs | %8.2fs |\n' "pull, checked" "$m_pull" "$o_pull" "$f_pull" "$l_pull"
echo
echo "publish: maxhub / oras $(ratio "$m_pub" "$o_pub") (target 0.8), / MLflow $(ratio "$m_pub" "$f_pub"), / (pack $l_pack s + curl $l_send s) $(ratio "$m_pub" "$l_pub") (target 1.5)"
echo "pull:    maxhub / oras+sha256 $(ratio "$m_pull" "$o_pull") (target 1.0), / MLflow $(ratio "$m_pull" "$f_pull"), / curl+openssl $(ratio "$m_pull" "$l_pull") (target 1.1)"
echo "the hub's peak resident memory over the publishes and pulls: $((hub_peak / 1024)) MiB (target under 100 MiB)"
echo "peers against maxhub: oras push $(ratio "$o_pub" "$m_pub")x, MLflow push $(ratio "$f_pub" "$m_pub")x; oras pull $(ratio "$o_pull" "$m_pull")x, MLflow pull $(ratio "$f_pull" "$m_pull")x"
