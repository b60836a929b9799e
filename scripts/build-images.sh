#!/usr/bin/env bash
# Builds the container images with podman, from Debian's mirror and PyPI alone (no container registry):
#
#   scripts/build-images.sh            (what `make images` runs, after `make build catalog`)
#   PUSH_TO=http://HOST:PORT MAXHUB_TOKEN=CURATOR_TOKEN scripts/build-images.sh
#                                      (`make images PUSH_TO=...`) then pushes them to that hub's /v2/ too
#
#   localhost/maxhub/base:bookworm     debootstrap (minbase) of Debian bookworm with python3, pip and the hub's
#                                      runtime libraries, imported into podman
#   localhost/maxhub/NAME:VERSION      each catalog/NAME/Dockerfile on that base, tagged as catalog/NAME/maxhub.yaml's
#                                      serving.image names it
#   localhost/maxhub/hub:latest        the Dockerfile's `prebuilt` target: the host's maxhub binary and the Swift
#                                      runtime libraries it links (none for --static-swift-stdlib) on that base
#
# The base carries a label with the hash of its recipe (suite, variant, packages): while it matches, debootstrap is
# skipped (`podman rmi localhost/maxhub/base:bookworm` forces a new one). Podman's layer cache does the rest, so a run
# with nothing changed takes seconds. Prints, per image, the time it took and its size.
#
# With PUSH_TO, each image goes to the hub as well, where `maxhub run` pulls it when a manifest's serving.image names
# the hub: localhost/maxhub/NAME:VERSION as HOST:PORT/NAME/serving:VERSION, the hub's own as HOST:PORT/maxhub/hub:latest.
# The token (MAXHUB_TOKEN, a curator's) goes to podman in a credentials file that is removed afterwards.
#
# Environment: HUB_BINARY (default .build/debug/maxhub), DEBIAN_MIRROR (default http://deb.debian.org/debian),
# PODMAN (default podman), PUSH_TO and MAXHUB_TOKEN. Podman reads its own configuration (CONTAINERS_CONF included) as usual. debootstrap needs
# root: it runs with sudo when you are not root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

podman=${PODMAN:-podman}
hub_binary=${HUB_BINARY:-.build/debug/maxhub}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
variant=minbase
packages=python3,python3-pip,ca-certificates,passwd,libarchive13,libsqlite3-0,zstd,curl
base=localhost/maxhub/base:$suite
hub=localhost/maxhub/hub:latest
work=$root/.images
sudo=""
[[ "$(id -u)" == 0 ]] || sudo=sudo

# pip inside a build reaches PyPI through the host's network and trusts what the host trusts (a proxy's CA included).
build_options=(--network host)
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    build_options+=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
fi

push_to=${PUSH_TO:-}
push_registry=""
if [[ -n "$push_to" ]]; then
    [[ "$push_to" =~ ^(https?)://([^/]+)/?$ ]] || { echo "images: PUSH_TO must be a hub's http(s)://HOST:PORT, not $push_to" >&2; exit 2; }
    push_registry=${BASH_REMATCH[2]}
    push_options=()
    [[ "${BASH_REMATCH[1]}" == http ]] && push_options+=(--tls-verify=false)
    [[ -n "${MAXHUB_TOKEN:-}" ]] || { echo "images: PUSH_TO needs MAXHUB_TOKEN, a curator's token" >&2; exit 2; }
fi
pushes=()

summary=()
started=0
begin() { started=$(date +%s%3N); }
finish() {
    local image=$1 elapsed size
    elapsed=$(($(date +%s%3N) - started))
    size=$("$podman" image inspect --format '{{.Size}}' "$image" | numfmt --to=si --suffix=B --format=%.1f)
    summary+=("$(printf '%-44s %5d.%01d s %10s' "$image" $((elapsed / 1000)) $((elapsed % 1000 / 100)) "$size")")
}

## The base image: rebuilt only when its recipe changes.
recipe=$(printf 'suite=%s variant=%s packages=%s\n' "$suite" "$variant" "$packages" | sha256sum | cut -d' ' -f1)
begin
if [[ "$("$podman" image inspect --format '{{index .Labels "maxhub.recipe"}}' "$base" 2>/dev/null || true)" == "$recipe" ]]; then
    echo "images: $base is up to date (recipe $recipe)" >&2
else
    rootfs=$work/rootfs-$suite
    echo "images: debootstrap $suite ($variant: $packages) into $rootfs" >&2
    mkdir -p "$work"
    $sudo rm -rf "$rootfs"
    $sudo debootstrap --variant="$variant" --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
        tail -n 20 "$work/debootstrap.log" >&2
        echo "images: debootstrap failed; the whole log is $work/debootstrap.log" >&2
        exit 1
    }
    $sudo rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    echo "images: debootstrap took $((($(date +%s%3N) - started) / 1000)) s; importing" >&2
    $sudo tar -C "$rootfs" -c . | "$podman" import \
        --change "LABEL maxhub.recipe=$recipe" \
        --change "LABEL maxhub.recipe.text=\"$suite $variant $packages\"" \
        --change 'CMD ["bash"]' \
        - "$base" >/dev/null
    $sudo rm -rf "$rootfs"
fi
finish "$base"

## The catalog's serving images.
for dockerfile in catalog/*/Dockerfile; do
    package=$(dirname "$dockerfile")
    manifest=$package/maxhub.yaml
    [[ -f "$manifest" ]] || { echo "images: no $manifest: run \`make catalog\` first" >&2; exit 1; }
    image=$(awk '/^serving:/ { serving = 1; next } /^[^ #]/ { serving = 0 }
                 serving && $1 == "image:" { gsub(/["'\'']/, "", $2); print $2; exit }' "$manifest")
    [[ -n "$image" ]] || { echo "images: $manifest names no serving.image" >&2; exit 1; }
    echo "images: $image from $dockerfile" >&2
    begin
    "$podman" build "${build_options[@]}" --build-arg BASE="$base" -t "$image" -f "$dockerfile" "$package"
    finish "$image"
    if [[ "$image" =~ ^localhost/maxhub/([^:/]+):(.+)$ ]]; then
        pushes+=("$image=$push_registry/${BASH_REMATCH[1]}/serving:${BASH_REMATCH[2]}")
    else
        pushes+=("$image=$push_registry/${image#*/}")
    fi
done

## The hub: the host's binary in a small build context, with the toolchain's libraries it links.
[[ -x "$hub_binary" ]] || { echo "images: no hub binary at $hub_binary: run \`make build\` (or set HUB_BINARY)" >&2; exit 1; }
mkdir -p "$work"
context=$(mktemp -d "$work/hub-context.XXXXXX")
trap 'rm -rf "$context"' EXIT
mkdir "$context/lib"
cp "$hub_binary" "$context/maxhub"
if ldd "$hub_binary" | grep -q 'not found'; then
    ldd "$hub_binary" | grep 'not found' >&2
    echo "images: $hub_binary links libraries this machine lacks" >&2
    exit 1
fi
# Libraries resolved under a Swift toolchain (/opt/swift/usr/lib/swift/linux, or /usr/lib/swift/linux in swift images);
# the system's come from the base's packages.
ldd "$hub_binary" | awk '$2 == "=>" && $3 ~ /\/lib\/swift\// { print $3 }' | while read -r library; do
    cp -L "$library" "$context/lib/"
done
echo "images: $hub from $hub_binary ($(find "$context/lib" -type f | wc -l) Swift runtime libraries)" >&2
begin
"$podman" build "${build_options[@]}" --format docker --build-arg BASE="$base" --target prebuilt -t "$hub" \
    -f Dockerfile "$context"
finish "$hub"
pushes+=("$hub=$push_registry/maxhub/hub:latest")

## The push, when asked for: one login into a credentials file of its own, then each image.
if [[ -n "$push_to" ]]; then
    authfile=$context/auth.json
    "$podman" login --authfile "$authfile" "${push_options[@]}" --username maxhub --password-stdin "$push_registry" \
        <<<"$MAXHUB_TOKEN" >/dev/null
    for push in "${pushes[@]}"; do
        source_image=${push%%=*} target=${push#*=}
        echo "images: pushing $source_image to $target" >&2
        begin
        "$podman" push --quiet --authfile "$authfile" "${push_options[@]}" "$source_image" "$target"
        elapsed=$(($(date +%s%3N) - started))
        summary+=("$(printf '%-44s %5d.%01d s %10s' "-> $target" $((elapsed / 1000)) $((elapsed % 1000 / 100)) pushed)")
    done
fi

echo
printf '%-44s %9s %10s\n' image time size
printf '%s\n' "${summary[@]}"
