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
# The run changes the hub (it makes tokens and revokes one, stores blobs, starts uploads, publishes, reviews and yanks
# versions of a model of its own): use a throwaway one.
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

# What the run sets up on the hub first, with TOKEN:
# - DELETE /api/v1/tokens/{id} revokes a token, and generated ids are small numbers: left alone, the run would soon
#   revoke the admin token it runs with (id 1 on a fresh hub) and see nothing but 401s from then on. So it makes a reader
#   token of its own and pins that operation's {id} to it; revoking it again and again changes nothing.
# - Generated digests never name a stored blob, so the blob answers richest in headers (200, 206, 304, 416) would go
#   untested. So it stores a small blob and offers its digest, and ranges and entity tags that fit it, to the blob
#   operations half of the time (schemathesis dictionaries); the other half stays generated.
# - Generated names never name a model, so the review workflow's answers would all be 404s. So a curator token of its
#   own publishes four versions of a model (a tar.gz holding one README.md, written here: no maxhub binary needed),
#   and TOKEN reviews them, which it may as it published none (four-eyes): 1.0.0 stays pending, 1.1.0 is approved,
#   1.2.0 approved and yanked with a reason, 1.3.0 rejected. The review operation is pinned to 1.0.0 (its first valid
#   request approves it, 200; later ones are 409s), the yank operation to 1.1.0 (yanks and undos take turns: 200s and
#   409s). The reads of a model, a version and a resolution get the model's name and versions often: 200s, and the
#   yanked version's Warning header. The model's name has a random suffix, so a second run on the same hub publishes
#   afresh.
setup=$("$python" - "$base_url" "$token" <<'PYTHON'
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.error
import urllib.request

base_url, admin_token = sys.argv[1:3]


def call(method, path, body, content_type="application/json", token=admin_token):
    if content_type == "application/json":
        body = json.dumps(body).encode()
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
        hint = " (TOKEN must be an admin token)" if error.code in (401, 403) and token == admin_token else ""
        sys.exit(f"run-schemathesis.sh: {method} {base_url}{path} answered {error.code}{hint}: {error.read()[:300]!r}")
    except (OSError, ValueError) as error:
        sys.exit(f"run-schemathesis.sh: {method} {base_url}{path} failed: {error}")


def expect(condition, what, answer):
    if not condition:
        sys.exit(f"run-schemathesis.sh: unexpected answer while setting up {what}: {answer!r}")


def store(data, token=admin_token):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    stored = call("POST", f"/api/v1/blobs/uploads?digest={digest}", data, "application/octet-stream", token)
    expect(stored == {"digest": digest, "size": len(data)}, f"the blob {digest}", stored)
    return digest


revocable = call("POST", "/api/v1/tokens", {"user": "schemathesis-revocable", "roles": ["reader"]})
expect(isinstance(revocable, dict) and isinstance(revocable.get("id"), int), "a reader token", revocable)
blob = b"maxhub schemathesis probe\n"
blob_digest = store(blob)

# A package: one README.md in a gzip-compressed tar, the manifest listing it in files:.
curator = call("POST", "/api/v1/tokens", {"user": "schemathesis-curator", "roles": ["curator"]})
expect(isinstance(curator, dict) and isinstance(curator.get("token"), str), "a curator token", curator)
readme = b"# schemathesis probe\n\nA package the OpenAPI conformance run publishes; it holds no model.\n"
tar_bytes = io.BytesIO()
with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as archive:
    entry = tarfile.TarInfo("README.md")
    entry.size, entry.mode, entry.mtime = len(readme), 0o644, 0
    archive.addfile(entry, io.BytesIO(readme))
package = gzip.compress(tar_bytes.getvalue(), mtime=0)
package_digest = store(package, curator["token"])
model = "schemathesis-probe-" + os.urandom(4).hex()
for version in ("1.0.0", "1.1.0", "1.2.0", "1.3.0"):
    manifest = {
        "name": model,
        "version": version,
        "task": "image-classification",
        "description": "A package the OpenAPI conformance run publishes.",
        "license": {"code": "Apache-2.0", "weights": "Apache-2.0", "data": "CC-BY-4.0"},
        "authors": ["schemathesis"],
        "inputs": [{"name": "input", "type": "tensor", "shape": [1, 4], "element_type": "float32"}],
        "outputs": [{"name": "probabilities", "type": "probability"}],
        "serving": {"api": "max", "port": 5000, "health": "/model/metadata", "command": ["python3", "serve.py"]},
        "readme": "README.md",
        "files": [{"path": "README.md", "size": len(readme), "sha256": hashlib.sha256(readme).hexdigest()}],
    }
    request = {"manifest": manifest, "archive": {"digest": package_digest, "size": len(package)}}
    published = call("PUT", f"/api/v1/models/{model}/versions/{version}", request, token=curator["token"])
    expect(isinstance(published, dict) and published.get("state") == "pending", f"{model}@{version}", published)
versions = f"/api/v1/models/{model}/versions"
for version, review, state in (
    ("1.1.0", {"decision": "approve", "license": {"data": "CC-BY-4.0"}}, "approved"),
    ("1.2.0", {"decision": "approve"}, "approved"),
    ("1.3.0", {"decision": "reject", "note": "A probe, not a model."}, "rejected"),
):
    reviewed = call("POST", f"{versions}/{version}/review", review)
    expect(isinstance(reviewed, dict) and reviewed.get("state") == state, f"the review of {model}@{version}", reviewed)
reason = 'A probe, yanked to test the "Warning" header (a backslash too: \\).'
yanked = call("POST", f"{versions}/1.2.0/yank", {"undo": False, "reason": reason})
expect(isinstance(yanked, dict) and yanked.get("state") == "yanked", f"the yank of {model}@1.2.0", yanked)
print(revocable["id"], blob_digest, len(blob), model)
PYTHON
) || exit 2
read -r revocable_id blob_digest blob_size model <<<"$setup"

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

[checks]
enabled = true
unsupported_method = { enabled = false }

[dictionaries.blob-digests]
values = ["$blob_digest"]

[dictionaries.blob-ranges]
values = ["bytes=0-9", "bytes=10-", "bytes=-5", "bytes=0-$((blob_size + 100))", "bytes=$blob_size-", "bytes=-0"]

[dictionaries.blob-etags]
values = ['"$blob_digest"', "*", 'W/"$blob_digest", "other"', '"sha256:$(printf '0%.0s' {1..64})"']

[dictionaries.models]
values = ["$model"]

[dictionaries.versions]
values = ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]

[[operations]]
include-operation-id = ["publishVersion", "startUpload", "appendUploadChunk", "finishUpload"]
checks = { positive_data_acceptance = { enabled = false } }

[[operations]]
include-path = "/api/v1/blobs/{digest}"
generation = { max-examples = 60 }
checks = { positive_data_acceptance = { enabled = false } }

[operations.parameters]
"path.digest" = { dictionary = "blob-digests", probability = 0.5 }
"header.Range" = { dictionary = "blob-ranges", probability = 0.5 }
"header.If-None-Match" = { dictionary = "blob-etags", probability = 0.3 }

[[operations]]
include-name = "DELETE /api/v1/tokens/{id}"
parameters = { "path.id" = $revocable_id }

[[operations]]
include-name = "GET /api/v1/models/{name}"
parameters = { "path.name" = { dictionary = "models", probability = 0.5 } }

[[operations]]
include-name = "GET /api/v1/models/{name}/resolve"
parameters = { "path.name" = { dictionary = "models", probability = 0.5 } }
checks = { positive_data_acceptance = { enabled = false } }

[[operations]]
include-name = "GET /api/v1/models/{name}/versions/{version}"
generation = { max-examples = 40 }

[operations.parameters]
"path.name" = { dictionary = "models", probability = 0.7 }
"path.version" = { dictionary = "versions", probability = 0.7 }

[[operations]]
include-name = "POST /api/v1/models/{name}/versions/{version}/review"
parameters = { "path.name" = "$model", "path.version" = "1.0.0" }
checks = { positive_data_acceptance = { enabled = false } }

[[operations]]
include-name = "POST /api/v1/models/{name}/versions/{version}/yank"
parameters = { "path.name" = "$model", "path.version" = "1.1.0" }
TOML

# Checks (the [checks] section and the operations' checks above): all of them, but for two that cannot always hold.
# - positive_data_acceptance expects a schema-valid request to get a 2xx (or a 401, 403, 404 or 409). Some operations
#   refuse valid-looking requests for what no schema can say, with 400s (416s) by design: a publish needs an uploaded
#   archive whose entries match the manifest's files:, an upload needs a body that hashes to the declared digest, a
#   range must parse as node-semver, a review's licenses must be known SPDX expressions and a rejection needs a note,
#   a byte range may start past the end of a blob. It is off for those operations and on for every other one: there,
#   e.g., every valid yank or undo of the pinned version must be a 200 or a 409.
# - unsupported_method expects 405 for methods a path does not declare; the hub's router (Hummingbird) answers them
#   with a 404 problem, and the contract does not promise 405. It is off everywhere.
# Phases: examples, coverage and fuzzing. The stateful phase is left out: it chains calls through links the document
# does not declare (inferred ones could feed ids from GET /api/v1/tokens to DELETE /api/v1/tokens/{id}) and has no
# bound as firm as --max-examples. The checks that only the stateful phase feeds (use_after_free,
# ensure_resource_availability) stay on and pass trivially.
# Size: 20 generated cases per operation (60 for the blob downloads, which have the most to check; 40 for a version),
# set in the configuration above so that an operation can have its own; the coverage phase adds its fixed set. Under
# half a minute.
# Determinism: a fixed seed, no example database carried between runs, one worker.
status=0
"$schemathesis" --no-color --config-file "$config" run "$document" \
    --url "$base_url" \
    --header "Authorization: Bearer $token" \
    --phases examples,coverage,fuzzing \
    --seed 20261121 \
    --workers 1 \
    --request-timeout 10 \
    "$@" || status=$?
exit "$status"
