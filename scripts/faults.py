#!/usr/bin/env python3
"""The fault campaign against a real hub and the real CLI (`make faults`; `make test` runs a short one).

    scripts/faults.py [--kills N] [--races N]

1. SIGKILL loop: N publishes, each with the hub killed at a random moment (before, during or after the upload, or
   while the version is written), then restarted on the same data folder. Afterwards every acknowledged version must
   be visible and whole, and `maxhub admin gc` must leave no orphan blob.
2. Truncated bodies: every route that takes a body gets fewer bytes than its Content-Length announces, then a
   half-closed connection; each must answer 400 `truncated-body`, and the hub keeps serving.
3. Races: N publishes of one name@version at once give exactly one 201; N approvals of one version record one review.
4. A byte flipped in a stored blob: fsck finds it, the hub never serves it whole, an upload of the right bytes repairs it.

Prints the counts (acknowledged, visible, lost, broken, orphans before and after gc, integrity_check) and exits 1 if
any invariant fails. Environment: MAXHUB (default .build/debug/maxhub).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAXHUB = os.environ.get("MAXHUB") or str(ROOT / ".build/debug/maxhub")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """`maxhub serve` on a fixed port over one data folder, killed and restarted at will."""

    def __init__(self, data: Path):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [MAXHUB, "serve", "--data", str(self.data), "--port", str(self.port), "--log-level", "critical"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"the hub exited with {self.process.returncode} at start")
                time.sleep(0.05)
        raise SystemExit("the hub did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()

    @property
    def admin(self) -> str:
        return (self.data / "admin.token").read_text().strip()

    def request(self, method: str, path: str, token: str | None = None, body: bytes | None = None,
                content_type: str = "application/json") -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if body is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def maxhub(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([MAXHUB, *arguments], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "MAXHUB_CONFIG": "/nonexistent"})


def write_package(folder: Path, name: str, version: str, size: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "maxhub.yaml").write_text(
        f"name: {name}\nversion: {version}\ntask: other\ndescription: A package of the fault campaign.\n"
        "license: {code: MIT, weights: MIT, data: CC0-1.0}\n"
        "inputs: [{name: x, type: tensor}]\noutputs: [{name: y, type: tensor}]\n"
        "serving: {api: max, port: 5000, command: [python3, serve.py]}\n")
    (folder / "model.onnx").write_bytes(os.urandom(size))
    return folder


def fsck(data: Path) -> dict:
    result = maxhub("admin", "fsck", "--data", str(data))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    match = re.search(r"(\d+) corrupt, (\d+) missing, (\d+) used by nothing; catalog integrity: (.*)$", summary)
    if not match:
        raise SystemExit(f"fsck said: {result.stdout}{result.stderr}")
    return {"corrupt": int(match[1]), "missing": int(match[2]), "orphans": int(match[3]), "integrity": match[4],
            "status": result.returncode}


def kill_loop(work: Path, kills: int, failures: list[str]) -> None:
    hub = Hub(work / "kills")
    hub.start()
    admin = hub.admin
    acknowledged: list[tuple[str, str]] = []
    attempted = 0
    # How long a publish takes here: kills fall anywhere from its start to a little after its end.
    started = time.monotonic()
    baseline = write_package(work / "packages" / "baseline", "fault-baseline", "1.0.0", 3 << 20)
    if maxhub("publish", str(baseline), "--url", hub.url, "--token", admin).returncode != 0:
        failures.append("a publish without faults failed")
    window = (time.monotonic() - started) * 1.3
    for i in range(kills):
        name, version = f"fault-model-{i % 7}", f"1.0.{i}"
        package = write_package(work / "packages" / f"{i}", name, version, random.randint(256 << 10, 3 << 20))
        publish = subprocess.Popen([MAXHUB, "publish", str(package), "--url", hub.url, "--token", admin],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "MAXHUB_CONFIG": "/nonexistent"})
        attempted += 1
        time.sleep(random.uniform(0, window))
        hub.kill()
        try:
            out, _ = publish.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            publish.kill()
            out, _ = publish.communicate()
            failures.append(f"publish {name}@{version} hung after the hub was killed")
        if publish.returncode == 0 and out.startswith(f"{name}@{version}"):
            acknowledged.append((name, version))
        shutil.rmtree(package)
        hub.start()

    visible = 0
    broken = 0
    for name, version in acknowledged:
        status, body = hub.request("GET", f"/api/v1/models/{name}/versions/{version}", admin)
        if status != 200:
            failures.append(f"{name}@{version} was acknowledged but is not visible ({status})")
            continue
        visible += 1
        digest = json.loads(body)["archive"]["digest"]
        status, _ = hub.request("HEAD", f"/api/v1/blobs/{digest}", admin)
        if status != 200:
            broken += 1
            failures.append(f"{name}@{version} is visible but its archive {digest} answers {status}")
    before = fsck(hub.data)
    time.sleep(1.1)
    gc = maxhub("admin", "gc", "--data", str(hub.data), "--grace", "1s")
    if gc.returncode != 0:
        failures.append(f"gc failed: {gc.stderr}")
    after = fsck(hub.data)
    hub.stop()
    lost = len(acknowledged) - visible
    broken += before["corrupt"] + before["missing"]
    print(f"kills: {attempted} publishes, each with a SIGKILL of the hub; acknowledged {len(acknowledged)}, visible "
          f"{visible}, lost {lost}, broken {broken}; orphans {before['orphans']} before gc, {after['orphans']} after; "
          f"integrity_check {after['integrity']}")
    if lost or broken or after["orphans"] or after["integrity"] != "ok" or after["status"] != 0:
        failures.append("the kill loop lost, broke or left something")


def send_truncated(hub: Hub, method: str, path: str, token: str, content_type: str) -> tuple[int | None, bool]:
    """Announces 4096 bytes, sends 100 and half-closes; returns the status the hub answered and whether it said
    `truncated-body`."""
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as s:
        s.sendall((f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                   f"Content-Type: {content_type}\r\nContent-Length: 4096\r\n\r\n").encode() + b"{" + b" " * 99)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except OSError:
            pass
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return (int(match[1]) if match else None), b"truncated-body" in answer


def truncated_bodies(work: Path, failures: list[str]) -> None:
    hub = Hub(work / "truncated")
    hub.start()
    admin = hub.admin
    package = write_package(work / "truncated-package", "truncated-model", "1.0.0", 1000)
    if maxhub("publish", str(package), "--url", hub.url, "--token", admin).returncode != 0:
        failures.append("the truncated-body hub could not take a publish")
    status, _ = hub.request("POST", "/api/v1/blobs/uploads", admin, b"")
    upload = ""
    uploads = hub.data / "uploads" / "resumable"
    if uploads.exists():
        upload = next(iter(os.listdir(uploads)), "")
    routes = [
        ("POST", f"/api/v1/blobs/uploads?digest=sha256:{'0' * 64}", "application/octet-stream"),
        ("PATCH", f"/api/v1/blobs/uploads/{upload}", "application/octet-stream"),
        ("PUT", "/api/v1/models/truncated-model/versions/2.0.0", "application/json"),
        ("POST", "/api/v1/models/truncated-model/versions/1.0.0/review", "application/json"),
        ("POST", "/api/v1/models/truncated-model/versions/1.0.0/yank", "application/json"),
        ("POST", "/api/v1/tokens", "application/json"),
    ]
    answered = 0
    for method, path, content_type in routes:
        status, said = send_truncated(hub, method, path, admin, content_type)
        if status == 400 and said:
            answered += 1
        else:
            failures.append(f"a truncated {method} {path} answered {status}, not 400 truncated-body")
    status, _ = hub.request("GET", "/healthz")
    hub.stop()
    print(f"truncated bodies: {answered} of {len(routes)} routes answered 400 truncated-body; the hub "
          f"{'kept serving' if status == 200 else 'stopped serving'}")
    if status != 200:
        failures.append("the hub stopped serving after truncated bodies")


def races(work: Path, count: int, failures: list[str]) -> None:
    hub = Hub(work / "races")
    hub.start()
    admin = hub.admin
    package = write_package(work / "race-package", "race-model", "1.0.0", 200_000)
    archive = work / "race.tar.zst"
    maxhub("pack", str(package), "--output", str(archive))
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        publishes = list(pool.map(lambda _: maxhub("publish", str(archive), "--url", hub.url, "--token", admin), range(count)))
    reviewers = [maxhub("token", "create", "--user", f"reviewer-{i}", "--role", "reviewer", "--url", hub.url,
                        "--token", admin).stdout.strip() for i in range(count)]
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        reviews = list(pool.map(
            lambda token: maxhub("review", "approve", "race-model@1.0.0", "--url", hub.url, "--token", token), reviewers))
    hub.stop()
    created = sum(1 for p in publishes if p.returncode == 0)
    conflicts = sum(1 for p in publishes if "already published" in p.stderr)
    approved = sum(1 for r in reviews if r.returncode == 0)
    print(f"races: {count} publishes of one version: {created} created, {conflicts} refused as already published; "
          f"{count} approvals: {approved} recorded, {count - approved} refused")
    if created != 1 or conflicts != count - 1:
        failures.append("racing publishes: " + "; ".join(sorted({p.stderr.strip() for p in publishes if p.returncode})))
    if approved != 1:
        failures.append("racing approvals: " + "; ".join(sorted({r.stderr.strip() for r in reviews if r.returncode})))


def flipped_byte(work: Path, failures: list[str]) -> None:
    hub = Hub(work / "flipped")
    hub.start()
    admin = hub.admin
    package = write_package(work / "flip-package", "flip-model", "1.0.0", 1 << 20)
    published = maxhub("publish", str(package), "--url", hub.url, "--token", admin)
    digest = published.stdout.strip().splitlines()[1]
    blob = hub.data / "blobs" / "sha256" / digest[7:9] / digest[7:]
    original = blob.read_bytes()
    flipped = bytearray(original)
    flipped[len(flipped) // 2] ^= 0x01
    blob.write_bytes(bytes(flipped))
    found = fsck(hub.data)
    try:
        with urllib.request.urlopen(urllib.request.Request(
                f"{hub.url}/api/v1/blobs/{digest}", headers={"Authorization": f"Bearer {admin}"}), timeout=60) as r:
            body = r.read()
            whole_and_wrong = hashlib.sha256(body).hexdigest() != digest[7:] and len(body) == len(original)
    except Exception:
        whole_and_wrong = False
    status, _ = hub.request("POST", f"/api/v1/blobs/uploads?digest={digest}", admin, original, "application/octet-stream")
    repaired = fsck(hub.data)
    hub.stop()
    print(f"flipped byte: fsck found {found['corrupt']} corrupt; served whole and wrong: {'yes' if whole_and_wrong else 'no'}; "
          f"re-upload {status}; then {repaired['corrupt']} corrupt, {repaired['missing']} missing")
    if found["corrupt"] != 1 or whole_and_wrong or status != 201 or repaired["corrupt"] or repaired["missing"]:
        failures.append("the flipped byte was not found, was served, or was not repaired")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--races", type=int, default=16)
    arguments = parser.parse_args()
    random.seed(os.environ.get("FAULTS_SEED", "maxhub"))
    failures: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="maxhub-faults-"))
    try:
        kill_loop(work, arguments.kills, failures)
        truncated_bodies(work, failures)
        races(work, arguments.races, failures)
        flipped_byte(work, failures)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
