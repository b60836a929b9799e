#!/usr/bin/env bash
# Publishes every package of catalog/ to a hub with the admin token and approves it with a reviewer token (a version
# is never approved by its publisher), skipping what is already published or approved. Used by `make run` and
# `make run-cluster`.
#
#   scripts/publish-catalog.sh URL ADMIN_TOKEN_FILE REVIEWER_TOKEN_FILE   (MAXHUB names the binary)
#
# The reviewer token is made once and kept in REVIEWER_TOKEN_FILE (mode 0600).
set -euo pipefail

url=${1:?usage: publish-catalog.sh URL ADMIN_TOKEN_FILE REVIEWER_TOKEN_FILE}
admin_file=${2:?usage: publish-catalog.sh URL ADMIN_TOKEN_FILE REVIEWER_TOKEN_FILE}
reviewer_file=${3:?usage: publish-catalog.sh URL ADMIN_TOKEN_FILE REVIEWER_TOKEN_FILE}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
maxhub=${MAXHUB:-$root/.build/debug/maxhub}

admin=$(cat "$admin_file")
if [[ ! -s "$reviewer_file" ]] || ! "$maxhub" token list --url "$url" --token "$admin" --json |
    grep -q '"user" *: *"demo-reviewer"'; then
    (umask 077 && "$maxhub" token create --user demo-reviewer --role reviewer --url "$url" --token "$admin" > "$reviewer_file")
fi
reviewer=$(cat "$reviewer_file")

for manifest in "$root"/catalog/*/maxhub.yaml; do
    package=$(dirname "$manifest")
    name=$(sed -n 's/^name: *//p' "$manifest")
    version=$(sed -n 's/^version: *//p' "$manifest")
    state=$("$maxhub" info "$name@$version" --url "$url" --token "$admin" --json 2>/dev/null |
        sed -n 's/.*"state" *: *"\([a-z]*\)".*/\1/p' | head -n 1 || true)
    if [[ -z "$state" ]]; then
        "$maxhub" publish "$package" --url "$url" --token "$admin" > /dev/null
        state=pending
        echo "published $name@$version"
    fi
    if [[ "$state" == pending ]]; then
        "$maxhub" review approve "$name@$version" --url "$url" --token "$reviewer" --note "catalog package built by make catalog" > /dev/null
        state=approved
        echo "approved  $name@$version"
    fi
    echo "          $name@$version is $state"
done
