#!/usr/bin/env bash
# Builds the fuzz targets of Fuzz/ with libFuzzer and AddressSanitizer and runs each one, starting from its seed
# corpus in Fuzz/corpus/NAME/ and its libFuzzer dictionary Fuzz/dictionaries/NAME.dict, if any. Prints, per target,
# the number of inputs run and whether it crashed; exits 1 if one did.
#
# Usage: scripts/fuzz.sh [--runs N] [--seconds S] [--release] [TARGET...]
#   --runs N      stop each target after N inputs (default 20000)
#   --seconds S   stop each target after S seconds (libFuzzer's -max_total_time); with --runs, whichever comes first
#   --release     build optimized (-c release, with ASan still on): many times the inputs per second of the debug
#                 build on the parsers, which is what a long run wants; a short one saves the longer build
#   TARGET...     the targets to run (default: all of them)
#
# The build goes to .build-fuzz/ (.build-fuzz-release/ with --release; FUZZ_SCRATCH names another folder); what the
# runs leave to test-output/fuzz/ (FUZZ_OUTPUT), not inside the build folder, whose artifacts/ SwiftPM clears: the corpus
# each run grows (corpus/NAME/, kept between runs), logs (logs/NAME.log) and what a crash leaves
# (crashes/NAME/crash-..., which the replayer of a plain build runs again:
# `swift build --product NAME && .build/debug/NAME FILE`).
set -euo pipefail

cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
OUTPUT=${FUZZ_OUTPUT:-test-output/fuzz}
ALL_TARGETS=(ManifestYAMLFuzz ManifestJSONFuzz VersionRangeFuzz SPDXExpressionFuzz HTTPRangeFuzz ArchiveEntryFuzz)
runs=20000
seconds=""
configuration=debug
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --release) configuration=release; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
if [ "$configuration" = release ]; then SCRATCH=${FUZZ_SCRATCH:-.build-fuzz-release}; else SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}; fi

# -sanitize=fuzzer adds libFuzzer and its coverage instrumentation; MAXHUB_FUZZ makes FuzzDriver hand the target's
# LLVMFuzzerTestOneInput to libFuzzer instead of replaying files.
FLAGS=(-c "$configuration" --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DMAXHUB_FUZZ)
# The targets reach internals with @testable import, which an optimized build allows only with -enable-testing.
[ "$configuration" = debug ] || FLAGS+=(-Xswiftc -enable-testing)
mkdir -p "$SCRATCH"
build_start=$SECONDS
for target in "${targets[@]}"; do
  # The linker warns once per ASan helper symbol; those lines say nothing.
  if ! "$SWIFT" build "${FLAGS[@]}" --product "$target" > "$SCRATCH/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$SCRATCH/build.log" | tail -40 >&2
    echo "fuzz.sh: building $target failed" >&2
    exit 1
  fi
done
bin=$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)
rm -f "$SCRATCH/build.log"
echo "built ${#targets[@]} fuzz targets in $((SECONDS - build_start))s"

# Swift runtime caches look like leaks to LeakSanitizer; a crash, an ASan report, a hang (-timeout) or running out of
# memory (-rss_limit_mb) is what counts. Swift's own crash handler reads the stack in a way ASan reports as an overflow,
# after the real failure; libFuzzer and ASan print the stack instead.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
limits=(-runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
[ -z "$seconds" ] || limits+=(-max_total_time="$seconds")
# FUZZ_SEED fixes libFuzzer's random seed, so that a short run (make fuzz-smoke) tries the same inputs every time.
[ -z "${FUZZ_SEED:-}" ] || limits+=(-seed="$FUZZ_SEED")
failed=()
for target in "${targets[@]}"; do
  corpus=$OUTPUT/corpus/$target
  artifacts=$OUTPUT/crashes/$target
  log=$OUTPUT/logs/$target.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dictionary=()
  [ ! -f "Fuzz/dictionaries/$target.dict" ] || dictionary=(-dict="Fuzz/dictionaries/$target.dict")
  start=$SECONDS
  status=0
  "$bin/$target" "${limits[@]}" "${dictionary[@]}" -artifact_prefix="$artifacts/" "$corpus" "Fuzz/corpus/$target" \
    > "$log" 2>&1 || status=$?
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ -z "$executed" ]; then
    executed=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d "#" || true)
  fi
  if [ "$status" -eq 0 ]; then
    printf '%-20s %10s executions in %4ss, no crash\n' "$target" "${executed:-?}" "$((SECONDS - start))"
  else
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    printf '%-20s %10s executions in %4ss, CRASHED (exit %s): %s, log %s\n' \
      "$target" "${executed:-?}" "$((SECONDS - start))" "$status" "${artifact:-no artifact}" "$log"
    grep -m 3 -E "Fatal error|ERROR: (AddressSanitizer|libFuzzer)" "$log" | sed 's/^/    /' || true
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${failed[*]} crashed" >&2
  exit 1
fi
