#!/usr/bin/env bash
# Runs schemathesis against a running hub: every operation of schemas/openapi.yaml, sent with an admin token, checked
# for server errors and for answers (status, content type, headers, body) that contradict the document.
#
# Usage: scripts/run-schemathesis.sh BASE_URL TOKEN [SCHEMATHESIS RUN OPTIONS...]
#
#   BASE_URL  the hub, e.g. http://127.0.0.1:8080
#   TOKEN     an admin token (the hub's admin.token); sent as Authorization: Bearer TOKEN
#
# Uses the schemathesis next to $MAXHUB_PYTHON (the Makefile's .venv, built from scripts/requirements-test.txt), else
# the one on PATH. Tests the repository's schemas/openapi.yaml; set MAXHUB_OPENAPI to a path or URL to test another
# copy (e.g. "$BASE_URL/openapi.yaml", the one the hub serves). Extra options go to `schemathesis run` as they are.
#
# The run changes the hub (it makes tokens and revokes one, stores a blob, starts uploads): use a throwaway one.
#
# Exit status: schemathesis's (0 when every check passed); 2 when the run could not start.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
fi
base_url=${1%/}
token=$2
shift 2
repository=$(cd "$(dirname "$0")/.." && pwd)
document=${MAXHUB_OPENAPI:-$repository/schemas/openapi.yaml}

if [[ -n "${MAXHUB_PYTHON:-}" && -x "$(dirname "$MAXHUB_PYTHON")/schemathesis" ]]; then
    schemathesis=$(dirname "$MAXHUB_PYTHON")/schemathesis
    python=$MAXHUB_PYTHON
elif command -v schemathesis >/dev/null 2>&1; then
    schemathesis=$(command -v schemathesis)
    python=${MAXHUB_PYTHON:-python3}
else
    echo "run-schemathesis.sh: no schemathesis next to \$MAXHUB_PYTHON (${MAXHUB_PYTHON:-unset}) nor on PATH;" \
        "install scripts/requirements-test.txt (make venv)" >&2
    exit 2
fi

# Two things the run sets up on the hub first, with TOKEN:
# - DELETE /api/v1/tokens/{id} revokes a token, and generated ids are small numbers: left alone, the run would soon
#   revoke the admin token it runs with (id 1 on a fresh hub) and see nothing but 401s from then on. So it makes a reader
#   token of its own and pins that operation's {id} to it; revoking it again and again changes nothing.
# - Generated digests never name a stored blob, so the blob answers richest in headers (200, 206, 304, 416) would go
#   untested. So it stores a small blob and offers its digest, and ranges and entity tags that fit it, to the blob
#   operations half of the time (schemathesis dictionaries); the other half stays generated.
setup=$("$python" - "$base_url" "$token" <<'PYTHON'
import hashlib
import json
import sys
import urllib.error
import urllib.request

base_url, token = sys.argv[1:3]


def call(method, path, body, content_type):
    request = urllib.request.Request(
        base_url + path,
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        hint = " (TOKEN must be an admin token)" if error.code in (401, 403) else ""
        sys.exit(f"run-schemathesis.sh: {method} {base_url}{path} answered {error.code}{hint}: {error.read()[:300]!r}")
    except (OSError, ValueError) as error:
        sys.exit(f"run-schemathesis.sh: {method} {base_url}{path} failed: {error}")


token_request = json.dumps({"user": "schemathesis-revocable", "roles": ["reader"]}).encode()
revocable = call("POST", "/api/v1/tokens", token_request, "application/json")
blob = b"maxhub schemathesis probe\n"
digest = "sha256:" + hashlib.sha256(blob).hexdigest()
stored = call("POST", f"/api/v1/blobs/uploads?digest={digest}", blob, "application/octet-stream")
if not isinstance(revocable, dict) or not isinstance(revocable.get("id"), int) \
        or stored != {"digest": digest, "size": len(blob)}:
    sys.exit(f"run-schemathesis.sh: unexpected answers while setting up: {revocable!r}, {stored!r}")
print(revocable["id"], digest, len(blob))
PYTHON
) || exit 2
read -r revocable_id blob_digest blob_size <<<"$setup"

# Everything the run writes (its configuration, hypothesis' and schemathesis' caches) stays in a folder of its own.
workdir=$(mktemp -d "${TMPDIR:-/tmp}/maxhub-schemathesis.XXXXXX")
trap 'rm -rf "$workdir"' EXIT
export HYPOTHESIS_STORAGE_DIRECTORY=$workdir/hypothesis
config=$workdir/schemathesis.toml
cat >"$config" <<TOML
# Written by scripts/run-schemathesis.sh for one run.
[cache]
enabled = false

[generation]
max-examples = 20
database = "none"

[dictionaries.blob-digests]
values = ["$blob_digest"]

[dictionaries.blob-ranges]
values = ["bytes=0-9", "bytes=10-", "bytes=-5", "bytes=0-$((blob_size + 100))", "bytes=$blob_size-", "bytes=-0"]

[dictionaries.blob-etags]
values = ['"$blob_digest"', "*", 'W/"$blob_digest", "other"', '"sha256:$(printf '0%.0s' {1..64})"']

[[operations]]
include-path = "/api/v1/blobs/{digest}"
generation = { max-examples = 60 }

[operations.parameters]
"path.digest" = { dictionary = "blob-digests", probability = 0.5 }
"header.Range" = { dictionary = "blob-ranges", probability = 0.5 }
"header.If-None-Match" = { dictionary = "blob-etags", probability = 0.3 }

[[operations]]
include-name = "DELETE /api/v1/tokens/{id}"
parameters = { "path.id" = $revocable_id }
TOML

# Checks: all of them but two that cannot hold for this API.
# - positive_data_acceptance expects a 2xx for every schema-valid request. Here a valid-looking request is refused for
#   what no schema can say: a publish needs an uploaded archive whose entries match the manifest's files:, an upload
#   needs a body that hashes to the declared digest, a range must parse as node-semver. Those are 400s by design.
# - unsupported_method expects 405 for methods a path does not declare; the hub's router (Hummingbird) answers them
#   with a 404 problem, and the contract does not promise 405.
# Phases: examples, coverage and fuzzing. The stateful phase is left out: it chains calls through links the document
# does not declare (inferred ones could feed ids from GET /api/v1/tokens to DELETE /api/v1/tokens/{id}) and has no
# bound as firm as --max-examples. The checks that only the stateful phase feeds (use_after_free,
# ensure_resource_availability) stay on and pass trivially.
# Size: 20 generated cases per operation (60 for the blob downloads, which have the most to check), set in the
# configuration above so that an operation can have its own; the coverage phase adds its fixed set. About half a minute.
# Determinism: a fixed seed, no example database carried between runs, one worker.
status=0
"$schemathesis" --no-color --config-file "$config" run "$document" \
    --url "$base_url" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --exclude-checks positive_data_acceptance,unsupported_method \
    --phases examples,coverage,fuzzing \
    --seed 20261121 \
    --workers 1 \
    --request-timeout 10 \
    "$@" || status=$?
exit "$status"
