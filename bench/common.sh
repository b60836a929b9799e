# Shared helpers for the benchmarks. Source it; it sets MAXHUB and WORK and cleans WORK on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MAXHUB=${MAXHUB:-$ROOT/.build/release/maxhub}
[ -x "$MAXHUB" ] || { echo "build first: swift build -c release --product maxhub" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/maxhub-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# seconds NAME COMMAND...: runs COMMAND, prints and records its wall time in seconds.
seconds() {
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    local elapsed
    elapsed=$(echo "$end - $start" | bc -l)
    printf '%-34s %8.3f s\n' "$name" "$elapsed" >&2
    echo "$elapsed"
}

# timed NAME COMMAND...: `seconds` after the page cache's dirty pages reached the disk, so that no step pays for the
# writeback of the one before it.
timed() { sync; seconds "$@"; }

# median VALUES...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ratio A B [SCALE]: A / B with SCALE decimals (2).
ratio() { echo "scale=${3:-2}; $1 / $2" | bc -l; }

# rate BYTES SECONDS: MB/s.
rate() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

# random_file PATH MIB: incompressible bytes, like trained weights.
random_file() { head -c "$(( $2 * 1024 * 1024 ))" /dev/urandom > "$1"; }

# bench_package FOLDER NAME PURPOSE: a package folder with a minimal manifest for NAME@1.0.0 (weights added by the caller).
bench_package() {
    mkdir -p "$1"
    cat > "$1/maxhub.yaml" <<YAML
name: $2
version: 1.0.0
task: other
description: A large package for the $3 benchmark.
license: {code: MIT, weights: MIT, data: CC0-1.0}
inputs: [{name: x, type: tensor}]
outputs: [{name: y, type: tensor}]
serving: {api: max, port: 5000, command: [python3, serve.py]}
YAML
}
