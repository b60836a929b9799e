#!/usr/bin/env bash
# The maxhub demo (`make run`): starts the hub on 127.0.0.1:PORT with its data in DATA, publishes every package of
# catalog/ with the admin token and approves it with a reviewer token (a version is never approved by its publisher),
# prints how to pull and run a model, and keeps the hub in the foreground until Ctrl-C.
#
#   scripts/run-demo.sh DATA PORT        (MAXHUB names the binary; catalog/build.sh must have run)
#
# Running it again reuses DATA: the admin and reviewer tokens, and every version already published or approved.
set -euo pipefail

data=${1:?usage: run-demo.sh DATA PORT}
port=${2:?usage: run-demo.sh DATA PORT}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
maxhub=${MAXHUB:-$root/.build/debug/maxhub}
url="http://127.0.0.1:$port"

if curl -s -o /dev/null "$url/healthz"; then
    echo "something already answers on $url; stop it or pick another port" >&2
    exit 1
fi

mkdir -p "$data"
"$maxhub" serve --data "$data" --host 127.0.0.1 --port "$port" &
hub=$!
trap 'kill -TERM "$hub" 2>/dev/null; wait "$hub" 2>/dev/null' EXIT
trap 'exit 0' INT TERM
for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$url/healthz" && break
    kill -0 "$hub" 2>/dev/null || { echo "the hub did not start" >&2; exit 1; }
    sleep 0.1
done

MAXHUB="$maxhub" "$root/scripts/publish-catalog.sh" "$url" "$data/admin.token" "$data/demo-reviewer.token"

cat <<TEXT

maxhub is serving the catalog at $url  (the admin token is in $data/admin.token)

  export MAXHUB_URL=$url
  $maxhub search
  $maxhub pull digits-classifier
  PATH="$root/.venv-catalog/bin:\$PATH" $maxhub run digits-classifier --runtime process
  curl -F image=@$root/catalog/digits-classifier/eval/images/0001.png http://127.0.0.1:5000/model/predict
  $maxhub verify --claims wine-classifier

Ctrl-C stops the hub.
TEXT
wait "$hub"
