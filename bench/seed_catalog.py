#!/usr/bin/env python3
"""Publishes COUNT small but real packages to a hub and approves them: each folder is packed by `maxhub pack`, its
archive uploaded and its manifest published with TOKEN, exactly as a curator's client would, then approved with
REVIEWER_TOKEN (another user: a reviewer may not review what they published). Tasks, licenses and frameworks vary so
filters and search have something to choose from.

usage: seed_catalog.py MAXHUB_BINARY HUB_URL TOKEN REVIEWER_TOKEN COUNT WORK_FOLDER
"""
import json
import os
import subprocess
import sys
import urllib.request

import yaml

TASKS = ["image-classification", "tabular-classification", "text-classification", "object-detection", "tabular-regression"]
LICENSES = ["Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-4.0"]
FRAMEWORKS = ["onnxruntime", "pytorch", "scikit-learn", "tensorflow"]
WORDS = ["handwritten", "digits", "iris", "species", "wine", "quality", "sentiment", "reviews", "traffic", "signs",
         "faces", "speech", "weather", "housing", "prices", "flowers", "fraud", "churn", "spam", "toxicity"]


def request(method, url, token, body=None, content_type=None):
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req) as response:
        return response.status, response.read()


def main():
    maxhub, url, token, reviewer, count, work = sys.argv[1:4] + [sys.argv[4], int(sys.argv[5]), sys.argv[6]]
    for i in range(count):
        name = f"model-{i:04d}"
        folder = os.path.join(work, name)
        os.makedirs(folder, exist_ok=True)
        words = " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7))
        manifest = {
            "name": name,
            "version": f"1.{i % 5}.0",
            "task": TASKS[i % len(TASKS)],
            "description": f"A {words} model, number {i}.",
            "license": {"code": LICENSES[i % 4], "weights": LICENSES[(i + 1) % 4], "data": "CC-BY-4.0"},
            "framework": {"name": FRAMEWORKS[i % 4]},
            "inputs": [{"name": "x", "type": "tensor"}],
            "outputs": [{"name": "y", "type": "tensor"}],
            "serving": {"api": "max", "port": 5000, "command": ["python3", "serve.py"]},
        }
        with open(os.path.join(folder, "maxhub.yaml"), "w") as f:
            yaml.safe_dump(manifest, f, sort_keys=False)
        with open(os.path.join(folder, "weights.bin"), "wb") as f:
            f.write(os.urandom(2048))
        archive = os.path.join(work, f"{name}.tar.zst")
        packed = json.loads(subprocess.run([maxhub, "pack", folder, "--output", archive, "--json"],
                                           check=True, capture_output=True).stdout)
        with open(os.path.join(folder, "maxhub.yaml")) as f:
            manifest = yaml.safe_load(f)
        with open(archive, "rb") as f:
            request("POST", f"{url}/api/v1/blobs/uploads?digest={packed['digest']}", token, f.read(),
                    "application/octet-stream")
        body = json.dumps({"manifest": manifest, "archive": {"digest": packed["digest"], "size": packed["size"]}})
        version_url = f"{url}/api/v1/models/{name}/versions/{manifest['version']}"
        request("PUT", version_url, token, body.encode(), "application/json")
        request("POST", version_url + "/review", reviewer, b'{"decision": "approve"}', "application/json")
    print(f"published and approved {count} models", file=sys.stderr)


if __name__ == "__main__":
    main()
