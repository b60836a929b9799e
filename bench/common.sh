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

# rate BYTES SECONDS: MB/s.
rate() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

# random_file PATH MIB: incompressible bytes, like trained weights.
random_file() { head -c "$(( $2 * 1024 * 1024 ))" /dev/urandom > "$1"; }
