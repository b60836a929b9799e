#!/usr/bin/env bash
# The OCI face against Debian's docker-registry (distribution 2.8), in one run:
#   - `oras pull` (oras-py, .venv-peers) of a published, approved SIZE_MIB package (default 1 GiB of incompressible
#     weights) from maxhub's /v2/, against `oras pull` of the same archive pushed to docker-registry with oras;
#   - `podman pull` of a serving image (IMAGE, default localhost/maxhub/digits-classifier:1.0.0, from `make images`)
#     pushed to each, into an empty podman store of its own, so that every layer is downloaded.
# Each figure is the median of RUNS (default 3) runs, each after `sync`.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/hub-common.sh"
SIZE_MIB=${SIZE_MIB:-1024}
RUNS=${RUNS:-3}
IMAGE=${IMAGE:-localhost/maxhub/digits-classifier:1.0.0}
PEERS_PYTHON=${PEERS_PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PEERS_PYTHON" ] || { echo "no $PEERS_PYTHON: make venv" >&2; exit 1; }
podman image exists "$IMAGE" || { echo "podman has no $IMAGE: make images" >&2; exit 1; }

cleanup() { stop_hub; stop_registry; rm -rf "$WORK"; }
trap cleanup EXIT

bench_package "$WORK/package" bench-oci oci
random_file "$WORK/package/model.bin" "$SIZE_MIB"

start_hub "$WORK/hub"
trap cleanup EXIT
HUB_HOST=${HUB_URL#http://}
REVIEWER=$("$MAXHUB" token create --user reviewer --role reviewer --url "$HUB_URL" --token "$ADMIN_TOKEN")
"$MAXHUB" publish "$WORK/package" --url "$HUB_URL" --token "$ADMIN_TOKEN" --keep > "$WORK/publish.out"
"$MAXHUB" review approve bench-oci@1.0.0 --url "$HUB_URL" --token "$REVIEWER" > /dev/null
start_registry

# oras_pull HOST REPOSITORY:TAG OUT: oras-py's pull, as a user runs it.
oras_pull() {
    rm -rf "$3" && mkdir -p "$3"
    "$PEERS_PYTHON" -c "
import oras.client
oras.client.OrasClient(hostname='$1', insecure=True).pull(target='$1/$2', outdir='$3')"
}

# The archive maxhub serves as the version's layer, pushed to docker-registry as it is.
oras_pull "$HUB_HOST" bench-oci:1.0.0 "$WORK/from-hub"
archive=$(ls "$WORK/from-hub")
(cd "$WORK/from-hub" && "$PEERS_PYTHON" -c "
import oras.client
oras.client.OrasClient(insecure=True).push(files=['$archive'], target='$REGISTRY_HOST/bench/oci:1.0.0', quiet=True)")
size=$(stat -c %s "$WORK/from-hub/$archive")

# The serving image on both, by podman push from the machine's store (a curator's login to the hub).
"$MAXHUB" token create --user curator --role curator --url "$HUB_URL" --token "$ADMIN_TOKEN" > "$WORK/curator.token"
podman login --authfile "$WORK/auth.json" --tls-verify=false -u curator -p "$(cat "$WORK/curator.token")" "$HUB_HOST" > /dev/null
podman push --quiet --authfile "$WORK/auth.json" --tls-verify=false "$IMAGE" "$HUB_HOST/bench-oci/serving:1.0.0"
podman push --quiet --tls-verify=false "$IMAGE" "$REGISTRY_HOST/bench/serving:1.0.0"

# podman_pull REFERENCE: a pull into an empty store of the run's own.
podman_pull() {
    rm -rf "$WORK/podman"
    podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" pull --quiet --tls-verify=false "$1" > /dev/null
}

hub_oras=(); registry_oras=(); hub_podman=(); registry_podman=()
for run in $(seq 1 "$RUNS"); do
    hub_oras+=("$(timed "oras pull from maxhub ($run)" oras_pull "$HUB_HOST" bench-oci:1.0.0 "$WORK/out")")
    cmp -s "$WORK/out/$archive" "$WORK/from-hub/$archive" || { echo "oras pulled other bytes from maxhub" >&2; exit 1; }
    registry_oras+=("$(timed "oras pull from docker-registry ($run)" oras_pull "$REGISTRY_HOST" bench/oci:1.0.0 "$WORK/out")")
    cmp -s "$WORK/out/$archive" "$WORK/from-hub/$archive" || { echo "oras pulled other bytes from docker-registry" >&2; exit 1; }
    hub_podman+=("$(timed "podman pull from maxhub ($run)" podman_pull "$HUB_HOST/bench-oci/serving:1.0.0")")
    registry_podman+=("$(timed "podman pull from docker-registry ($run)" podman_pull "$REGISTRY_HOST/bench/serving:1.0.0")")
done
rm -rf "$WORK/podman"

h_oras=$(median "${hub_oras[@]}"); r_oras=$(median "${registry_oras[@]}")
h_podman=$(median "${hub_podman[@]}"); r_podman=$(median "${registry_podman[@]}")
echo
echo "median of $RUNS runs; layer of $size bytes ($SIZE_MIB MiB of weights); image $IMAGE"
printf '  oras pull     maxhub %7.2f s   docker-registry %7.2f s   (maxhub / registry %s)\n' "$h_oras" "$r_oras" "$(ratio "$h_oras" "$r_oras")"
printf '  podman pull   maxhub %7.2f s   docker-registry %7.2f s   (maxhub / registry %s)\n' "$h_podman" "$r_podman" "$(ratio "$h_podman" "$r_podman")"
