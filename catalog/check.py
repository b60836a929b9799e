"""Developer check of the catalog packages through their standard APIs.

For each package: start serve.py on a free 127.0.0.1 port (MAXHUB_MODEL_DIR set), wait for its
health route, send the whole evaluation set (digits: one multipart upload per PNG; wine: one
batched infer; speech: one multipart upload per WAV; topics: batches of 64 texts in JSON; text-reader: one
multipart upload per PNG), compare the metrics with the manifest's
claims, send bad requests and expect 4xx answers after which the server still answers, then stop
it. Exits 1 on any failure. `make test` runs it.

Usage (after catalog/build.sh):  .venv-catalog/bin/python catalog/check.py [PACKAGE ...]
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

CATALOG = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(CATALOG / "train"))
from common import levenshtein  # noqa: E402 - the build's own edit distance, as maxhub's cer counts it


class CheckFailed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_swagger(server) -> None:
    """A MAX server's Swagger document: version 2.0, with POST /model/predict and its 200, 400, 411 and 413 answers."""
    status, document = server.json("GET", "/swagger.json")
    expect(status == 200 and document.get("swagger") == "2.0" and "/model/predict" in document["paths"], "swagger.json")
    expect(sorted(document["paths"]["/model/predict"]["post"]["responses"]) == ["200", "400", "411", "413"],
           "swagger.json describes the 200, 400, 411 and 413 answers of POST /model/predict")


def claims(package: Path) -> dict[str, tuple[float, float]]:
    """metric -> (value, tolerance) from the claims: of maxhub.yaml (flow mappings, as the templates write them)."""
    text = (package / "maxhub.yaml").read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"\{\s*metric:\s*(\w+),\s*value:\s*([0-9.eE+-]+),[^}]*?tolerance:\s*([0-9.]+)", text):
        found[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    expect(found, f"{package.name}: no claims in maxhub.yaml")
    return found


def macro_f1(truth: list[int], predicted: list[int]) -> float:
    scores = []
    for label in sorted(set(truth) | set(predicted)):
        tp = sum(1 for t, p in zip(truth, predicted) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted) if t == label and p != label)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def compare_claims(package: Path, truth: list[int], predicted: list[int]) -> str:
    measured = {
        "accuracy": sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth),
        "macro_f1": macro_f1(truth, predicted),
    }
    lines = []
    for metric, (value, _) in claims(package).items():
        expect(metric in measured, f"{package.name}: cannot check the claim {metric}")
        difference = abs(measured[metric] - value)
        expect(difference <= 0.005, f"{package.name}: {metric} measured {measured[metric]:.4f}, claimed {value}")
        lines.append(f"{metric} {measured[metric]:.4f} (claim {value})")
    return ", ".join(lines)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """serve.py of a package, run as the process runtime would run it."""

    def __init__(self, package: Path, health: str):
        self.package = package
        self.health = health
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), MAXHUB_MODEL_DIR=str(package), PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen(
            [sys.executable, "serve.py"], cwd=package, env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            expect(self.process.poll() is None, f"{self.package.name}: serve.py exited with {self.process.returncode}:\n{self.output()}")
            try:
                status, _, _ = self.request("GET", self.health)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise CheckFailed(f"{self.package.name}: {self.health} did not answer 200 within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, response.getheader("Content-Type", ""), data
        finally:
            connection.close()

    def json(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        status, content_type, data = self.request(method, path, body, headers)
        expect(content_type.startswith("application/json"), f"{method} {path}: Content-Type {content_type!r}, not JSON")
        return status, json.loads(data)

    def raw(self, payload: bytes) -> bytes:
        """Sends bytes as they are and returns what comes back before the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(payload)
            chunks = []
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def expect_error(self, label: str, status: int, method: str, path: str, body=None, headers=None, key="error") -> None:
        got, document = self.json(method, path, body, headers)
        expect(got == status, f"{self.package.name}: {label}: expected {status}, got {got} {document}")
        expect(isinstance(document.get(key), str) and document[key], f"{self.package.name}: {label}: no '{key}' message in {document}")
        self.expect_alive(label)

    def expect_alive(self, after: str) -> None:
        expect(self.process.poll() is None, f"{self.package.name}: the server exited after {after}")
        status, _, _ = self.request("GET", self.health)
        expect(status == 200, f"{self.package.name}: {self.health} answers {status} after {after}")

    def finish(self) -> None:
        log = self.output()
        expect("Traceback" not in log, f"{self.package.name}: a traceback in the server log:\n{log}")
        caches = [str(path) for path in self.package.rglob("__pycache__")]
        expect(not caches, f"{self.package.name}: run-time junk in the package: {caches}")


def multipart(fields: list[tuple[str, str | None, bytes]], boundary: str = "maxhub-check-boundary") -> tuple[bytes, str]:
    body = b""
    for name, filename, data in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def check_digits() -> str:
    package = CATALOG / "digits-classifier"
    with Server(package, "/model/metadata") as server:
        status, metadata = server.json("GET", "/model/metadata")
        expect(status == 200, f"metadata: {status}")
        expect(metadata.get("id") == "digits-classifier" and metadata.get("type") == "Image Classification", f"metadata: {metadata}")
        expect(set(metadata) >= {"id", "name", "description", "type", "source", "license"}, f"metadata keys: {sorted(metadata)}")
        check_swagger(server)

        with (package / "eval" / "digits-test.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        truth, predicted = [], []
        for row in rows:
            body, content_type = multipart([("image", Path(row["image"]).name, (package / row["image"]).read_bytes())])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer.get("status") == "ok", f"predict {row['image']}: {status} {answer}")
            predictions = answer["predictions"]
            expect(len(predictions) == 3, f"predict {row['image']}: {len(predictions)} predictions, expected the top 3")
            expect(all(set(p) == {"label_id", "label", "probability"} for p in predictions), f"prediction keys: {predictions}")
            probabilities = [p["probability"] for p in predictions]
            expect(probabilities == sorted(probabilities, reverse=True), f"predictions not sorted: {predictions}")
            expect(all(str(p["label_id"]) == p["label"] for p in predictions), f"labels: {predictions}")
            truth.append(int(row["label"]))
            predicted.append(int(predictions[0]["label_id"]))
        result = compare_claims(package, truth, predicted)

        # A large color JPEG goes through decode GRAY and the area resize.
        from PIL import Image
        import io
        sample = Image.open(package / rows[0]["image"]).convert("RGB").resize((256, 256), Image.Resampling.NEAREST)
        buffer = io.BytesIO()
        sample.save(buffer, format="JPEG", quality=95)
        body, content_type = multipart([("image", "big.jpg", buffer.getvalue())])
        status, answer = server.json("POST", "/model/predict?top_k=5", body, {"Content-Type": content_type})
        expect(status == 200 and len(answer["predictions"]) == 5, f"color JPEG with top_k=5: {status} {answer}")

        png = (package / rows[0]["image"]).read_bytes()
        body, content_type = multipart([("file", "x.png", png)])
        server.expect_error("no image field", 400, "POST", "/model/predict", body, {"Content-Type": content_type}, key="message")
        body, content_type = multipart([("image", "x.png", b"this is not an image")])
        server.expect_error("not an image", 400, "POST", "/model/predict", body, {"Content-Type": content_type}, key="message")
        body, content_type = multipart([("image", "x.png", png[: len(png) // 2])])
        server.expect_error("a truncated PNG", 400, "POST", "/model/predict", body, {"Content-Type": content_type}, key="message")
        server.expect_error("not multipart", 400, "POST", "/model/predict", b'{"image": "x"}', {"Content-Type": "application/json"}, key="message")
        server.expect_error("a broken multipart body", 400, "POST", "/model/predict", b"garbage", {"Content-Type": "multipart/form-data; boundary=zz"}, key="message")
        body, content_type = multipart([("image", "x.png", png)])
        server.expect_error("a bad top_k", 400, "POST", "/model/predict?top_k=abc", body, {"Content-Type": content_type}, key="message")
        server.expect_error("an unknown route", 404, "GET", "/model/nothing", key="message")
        server.expect_error("a wrong method", 405, "GET", "/model/predict", key="message")
        server.expect_error("a wrong method with a body", 405, "POST", "/model/metadata", b"x" * 1000, {"Content-Type": "text/plain"}, key="message")
        check_oversized(server, "/model/predict", "message")
        server.finish()
    return result


def check_oversized(server: Server, path: str, key: str, limit_mib: int = 10) -> None:
    """A body over the server's limit (10 MiB unless said) is refused with 413 before it is read, with or without
    Expect: 100-continue."""
    size = limit_mib * 1024 * 1024 + 1
    for expect_header in ("", "Expect: 100-continue\r\n"):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=zz\r\n"
            f"Content-Length: {size}\r\n{expect_header}\r\n"
        ).encode()
        answer = server.raw(head)
        status_line, _, rest = answer.partition(b"\r\n")
        expect(status_line.startswith(b"HTTP/1.1 413"), f"oversized body ({expect_header.strip() or 'no Expect'}): {status_line!r}")
        body = rest.partition(b"\r\n\r\n")[2]
        expect(key in json.loads(body), f"oversized body: {body!r}")
        server.expect_alive("an oversized body")
    answer = server.raw(b"NOT A REQUEST\r\n\r\n")
    expect(answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.0 400"), f"a garbage request line: {answer[:60]!r}")
    expect(b"application/json" in answer and b"Traceback" not in answer, f"a garbage request line: {answer!r}")
    server.expect_alive("a garbage request line")
    answer = server.raw(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".encode())
    expect(answer.startswith(b"HTTP/1.1 411"), f"no Content-Length: {answer[:60]!r}")
    server.expect_alive("a body without Content-Length")


def check_wine() -> str:
    package = CATALOG / "wine-classifier"
    infer = "/v2/models/wine-classifier/infer"
    with Server(package, "/v2/health/ready") as server:
        for path, key in (("/v2/health/live", "live"), ("/v2/health/ready", "ready"), ("/v2/models/wine-classifier/ready", "ready")):
            status, document = server.json("GET", path)
            expect(status == 200 and document.get(key) is True, f"{path}: {status} {document}")
        status, document = server.json("GET", "/v2")
        expect(status == 200 and "name" in document and "version" in document, f"/v2: {document}")
        status, document = server.json("GET", "/v2/models/wine-classifier")
        expect(status == 200 and document.get("platform") == "onnx" and document.get("versions") == ["1.0.0"], f"model metadata: {document}")
        expect(document["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 13]}], f"model inputs: {document['inputs']}")

        with (package / "eval" / "wine-test.csv").open(newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(reader)
        expect(len(header) == 14 and header[-1] == "label", f"wine-test.csv header: {header}")
        features = [[float(value) for value in row[:-1]] for row in rows]
        truth = [int(row[-1]) for row in rows]
        n = len(rows)
        request = {"id": "check-1", "inputs": [{"name": "input", "shape": [n, 13], "datatype": "FP32", "data": [v for row in features for v in row]}]}
        status, answer = server.json("POST", infer, json.dumps(request).encode(), {"Content-Type": "application/json"})
        expect(status == 200, f"infer: {status} {answer}")
        expect(answer.get("model_name") == "wine-classifier" and answer.get("model_version") == "1.0.0" and answer.get("id") == "check-1", f"infer: {answer}")
        outputs = {output["name"]: output for output in answer["outputs"]}
        expect(outputs["label"]["shape"] == [n] and outputs["label"]["datatype"] == "INT64" and len(outputs["label"]["data"]) == n, "label output")
        expect(outputs["probabilities"]["shape"] == [n, 3] and outputs["probabilities"]["datatype"] == "FP32", "probabilities output")
        expect(len(outputs["probabilities"]["data"]) == 3 * n, "probabilities data")
        result = compare_claims(package, truth, outputs["label"]["data"])

        # Nested data, FP64 and INT datatypes, the outputs filter, the versioned route.
        nested = {"inputs": [{"name": "input", "shape": [2, 13], "datatype": "FP64", "data": features[:2]}], "outputs": [{"name": "probabilities"}]}
        status, answer = server.json("POST", "/v2/models/wine-classifier/versions/1.0.0/infer", json.dumps(nested).encode())
        expect(status == 200 and [o["name"] for o in answer["outputs"]] == ["probabilities"] and answer.get("id"), f"nested FP64 infer: {answer}")
        integers = {"inputs": [{"name": "input", "shape": [1, 13], "datatype": "INT64", "data": [round(v) for v in features[0]]}]}
        status, answer = server.json("POST", infer, json.dumps(integers).encode())
        expect(status == 200, f"INT64 infer: {status} {answer}")

        def bad(label: str, body: bytes | str, status: int = 400, path: str = infer, method: str = "POST") -> None:
            data = body.encode() if isinstance(body, str) else body
            server.expect_error(label, status, method, path, data, {"Content-Type": "application/json"})

        one = [v for v in features[0]]
        bad("a wrong shape", json.dumps({"inputs": [{"name": "input", "shape": [1, 12], "datatype": "FP32", "data": one[:12]}]}))
        bad("a wrong count of data", json.dumps({"inputs": [{"name": "input", "shape": [2, 13], "datatype": "FP32", "data": one}]}))
        bad("bad JSON", '{"inputs": [')
        bad("a JSON array", "[1, 2, 3]")
        bad("an unknown input name", json.dumps({"inputs": [{"name": "x", "shape": [1, 13], "datatype": "FP32", "data": one}]}))
        bad("non-numeric data", json.dumps({"inputs": [{"name": "input", "shape": [1, 13], "datatype": "FP32", "data": ["a"] * 13}]}))
        bad("a BYTES datatype", json.dumps({"inputs": [{"name": "input", "shape": [1, 13], "datatype": "BYTES", "data": one}]}))
        bad("NaN data", '{"inputs": [{"name": "input", "shape": [1, 13], "datatype": "FP32", "data": [NaN' + ", 1" * 12 + "]}]}")
        bad("an unknown output", json.dumps({"inputs": [{"name": "input", "shape": [1, 13], "datatype": "FP32", "data": one}], "outputs": [{"name": "z"}]}))
        bad("no inputs", "{}")
        bad("an unknown model", json.dumps({"inputs": []}), 404, "/v2/models/other/infer")
        bad("an unknown version", "{}", 404, "/v2/models/wine-classifier/versions/9.9.9/infer")
        server.expect_error("an unknown model's metadata", 404, "GET", "/v2/models/other")
        server.expect_error("an unknown route", 404, "GET", "/v3")
        server.expect_error("a wrong method", 405, "GET", infer)
        check_oversized(server, infer, "error")
        server.finish()
    return result


def frames(spans: list[tuple[float, float]], count: int) -> list[bool]:
    """Speech per 10 ms frame: a frame is speech when its middle lies in a span."""
    return [any(start <= (index + 0.5) * 0.01 < end for start, end in spans) for index in range(count)]


def wav(samples: list[int], rate: int = 16000, channels: int = 1, width: int = 2) -> bytes:
    """A PCM WAV file of the given samples (the same value for every channel)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(b"".join(value.to_bytes(width, "little", signed=width > 1) * channels for value in samples))
    return buffer.getvalue()


def check_speech() -> str:
    package = CATALOG / "speech-detector"
    with Server(package, "/model/metadata") as server:
        status, metadata = server.json("GET", "/model/metadata")
        expect(status == 200 and metadata.get("id") == "speech-detector" and metadata.get("type") == "Voice Activity Detection", f"metadata: {metadata}")
        check_swagger(server)

        with (package / "eval" / "speech-test.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        counts = [0, 0, 0]  # true positives, false positives, false negatives
        for row in rows:
            body, content_type = multipart([("audio", Path(row["audio"]).name, (package / row["audio"]).read_bytes())])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer.get("status") == "ok", f"predict {row['audio']}: {status} {answer}")
            predicted = [(p["start"], p["end"]) for p in answer["predictions"]]
            expect(all(set(p) == {"start", "end", "probability"} for p in answer["predictions"]), f"segment keys: {answer}")
            expect(all(0 <= start < end <= answer["duration"] for start, end in predicted), f"segments out of the recording: {answer}")
            truth = [tuple(float(v) for v in part.split("-")) for part in row["label"].split()]
            count = int(answer["duration"] / 0.01) + 1
            for said, spoken in zip(frames(predicted, count), frames(truth, count)):
                if said and spoken:
                    counts[0] += 1
                elif said:
                    counts[1] += 1
                elif spoken:
                    counts[2] += 1
        frame_f1 = 2 * counts[0] / (2 * counts[0] + counts[1] + counts[2])
        claimed, tolerance = claims(package)["frame_f1"]
        expect(abs(frame_f1 - claimed) <= tolerance, f"frame_f1 measured {frame_f1:.4f}, claimed {claimed}")
        result = f"frame_f1 {frame_f1:.4f} (claim {claimed})"

        # Silence, stereo 8-bit at 8 kHz (mixed down, resampled), and 24-bit at 48 kHz all answer.
        for label, data in (
            ("a second of silence", wav([0] * 16000)),
            ("stereo 8-bit at 8 kHz", wav([128] * 16000, rate=8000, channels=2, width=1)),
            ("24-bit at 48 kHz", wav([0] * 4800, rate=48000, width=3)),
        ):
            body, content_type = multipart([("audio", "x.wav", data)])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer["predictions"] == [], f"{label}: {status} {answer}")

        good = (package / rows[0]["audio"]).read_bytes()
        for label, fields in (
            ("no audio field", [("file", "x.wav", good)]),
            ("an empty audio field", [("audio", "x.wav", b"")]),
            ("not a WAV file", [("audio", "x.wav", b"RIFF this is not audio at all")]),
            ("a truncated WAV header", [("audio", "x.wav", good[:30])]),
            ("a WAV file without samples", [("audio", "x.wav", wav([]))]),
            ("a sample rate of 4 kHz", [("audio", "x.wav", wav([0] * 400, rate=4000))]),
        ):
            body, content_type = multipart(fields)
            server.expect_error(label, 400, "POST", "/model/predict", body, {"Content-Type": content_type}, key="message")
        server.expect_error("not multipart", 400, "POST", "/model/predict", b'{"audio": "x"}', {"Content-Type": "application/json"}, key="message")
        server.expect_error("a broken multipart body", 400, "POST", "/model/predict", b"garbage", {"Content-Type": "multipart/form-data; boundary=zz"}, key="message")
        server.expect_error("an unknown route", 404, "GET", "/model/labels", key="message")
        server.expect_error("a wrong method", 405, "GET", "/model/predict", key="message")
        check_oversized(server, "/model/predict", "message", limit_mib=20)
        server.finish()
    return result


def check_topic() -> str:
    package = CATALOG / "topic-classifier"
    labels = (package / "labels.txt").read_text().split()
    with Server(package, "/model/metadata") as server:
        status, metadata = server.json("GET", "/model/metadata")
        expect(status == 200 and metadata.get("id") == "topic-classifier" and metadata.get("type") == "Text Classification", f"metadata: {metadata}")
        expect(set(metadata) >= {"id", "name", "description", "type", "source", "license"}, f"metadata keys: {sorted(metadata)}")
        check_swagger(server)
        status, document = server.json("GET", "/model/labels")
        expect(status == 200 and [entry["name"] for entry in document["labels"]] == labels, f"labels: {document}")

        with (package / "eval" / "topic-test.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        truth = [labels.index(row["label"]) for row in rows]
        predicted = []
        for start in range(0, len(rows), 64):
            batch = [row["text"] for row in rows[start : start + 64]]
            status, answer = server.json("POST", "/model/predict", json.dumps({"text": batch}).encode(), {"Content-Type": "application/json"})
            expect(status == 200 and answer.get("status") == "ok" and len(answer["predictions"]) == len(batch), f"predict: {status} {answer}")
            for predictions in answer["predictions"]:
                expect(len(predictions) == 3, f"{len(predictions)} predictions, expected the top 3")
                expect(all(set(p) == {"label_id", "label", "probability"} for p in predictions), f"prediction keys: {predictions}")
                probabilities = [p["probability"] for p in predictions]
                expect(probabilities == sorted(probabilities, reverse=True), f"not sorted: {predictions}")
                expect(all(labels[p["label_id"]] == p["label"] for p in predictions), f"labels: {predictions}")
                predicted.append(predictions[0]["label_id"])
        result = compare_claims(package, truth, predicted)

        # One text per request gives the same top-1 as the batches.
        single = []
        for row in rows:
            status, answer = server.json("POST", "/model/predict", json.dumps({"text": [row["text"]]}).encode())
            expect(status == 200, f"single predict: {answer}")
            single.append(answer["predictions"][0][0]["label_id"])
        expect(single == predicted, "one text per request disagrees with batches")

        status, answer = server.json("POST", "/model/predict?top_k=6", json.dumps({"text": ["Sunny and warm all week."]}).encode())
        expect(status == 200 and len(answer["predictions"][0]) == 6, f"top_k=6: {answer}")
        expect(abs(sum(p["probability"] for p in answer["predictions"][0]) - 1) < 1e-5, f"probabilities sum: {answer}")
        status, answer = server.json("POST", "/model/predict?top_k=1", json.dumps({"text": ["x" * 10_000, "", "é" * 10_000, "[SEP]"]}).encode())
        expect(status == 200 and [len(p) for p in answer["predictions"]] == [1, 1, 1, 1], f"edge texts: {status} {answer}")

        def bad(label: str, body: bytes | str, path: str = "/model/predict") -> None:
            data = body.encode() if isinstance(body, str) else body
            server.expect_error(label, 400, "POST", path, data, {"Content-Type": "application/json"}, key="message")

        bad("not JSON", "text=hello")
        bad("not UTF-8", b'{"text": ["\xff\xfe"]}')
        bad("truncated JSON", '{"text": ["a"')
        bad("a JSON array", '["a", "b"]')
        bad("a JSON string", '"hello"')
        bad("no text key", '{"texts": ["a"]}')
        bad("text is a string", '{"text": "hello"}')
        bad("text is null", '{"text": null}')
        bad("a number in the list", '{"text": ["a", 3]}')
        bad("a nested list", '{"text": [["a"]]}')
        bad("an empty list", '{"text": []}')
        bad("65 texts", json.dumps({"text": ["a"] * 65}))
        bad("a text over 10,000 characters", json.dumps({"text": ["ok", "x" * 10_001]}))
        bad("deep nesting", "[" * 100_000 + "]" * 100_000)
        bad("an empty body", "")
        for top_k in ("0", "7", "abc", "", "-1", "2.5"):
            bad(f"top_k={top_k}", '{"text": ["a"]}', f"/model/predict?top_k={top_k}")
        server.expect_error("an unknown route", 404, "GET", "/model/nothing", key="message")
        server.expect_error("a wrong method", 405, "GET", "/model/predict", key="message")
        server.expect_error("a wrong method with a body", 405, "POST", "/model/labels", b"x" * 1000, {"Content-Type": "text/plain"}, key="message")
        check_oversized(server, "/model/predict", "message")

        server.finish()
    return result


def check_text_reader() -> str:
    from PIL import Image

    package = CATALOG / "text-reader"
    with Server(package, "/model/metadata") as server:
        status, metadata = server.json("GET", "/model/metadata")
        expect(status == 200 and metadata.get("id") == "text-reader", f"metadata: {metadata}")
        expect(set(metadata) >= {"id", "name", "description", "type", "source", "license"}, f"metadata keys: {sorted(metadata)}")
        check_swagger(server)

        with (package / "eval" / "lines.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        distance = length = exact = 0
        for row in rows:
            body, content_type = multipart([("image", Path(row["image"]).name, (package / row["image"]).read_bytes())])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer.get("status") == "ok", f"predict {row['image']}: {status} {answer}")
            for line in answer["predictions"]:
                expect(set(line) == {"text", "probability", "box"} and len(line["box"]) == 4, f"line: {line}")
            read = " ".join(line["text"] for line in answer["predictions"])
            distance += levenshtein(read, row["label"])
            length += len(row["label"])
            exact += read == row["label"]
        measured = {"cer": distance / length, "accuracy": exact / len(rows)}
        lines = []
        for metric, (value, tolerance) in claims(package).items():
            expect(abs(measured[metric] - value) <= tolerance, f"{metric} measured {measured[metric]:.4f}, claimed {value}")
            lines.append(f"{metric} {measured[metric]:.4f} (claim {value})")

        # Other image modes and sizes answer; an image with no text has no lines.
        png = (package / rows[0]["image"]).read_bytes()
        image = Image.open(io.BytesIO(png)).convert("RGB")
        for mode, kind in (("RGB", "JPEG"), ("RGBA", "PNG"), ("L", "PNG"), ("P", "PNG")):
            buffer = io.BytesIO()
            image.convert(mode).save(buffer, format=kind)
            body, content_type = multipart([("image", "x", buffer.getvalue())])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer["predictions"], f"{mode} {kind}: {status} {answer}")
        for size in ((1, 1), (640, 480), (3000, 5)):
            buffer = io.BytesIO()
            Image.new("RGB", size, (255, 255, 255)).save(buffer, format="PNG")
            body, content_type = multipart([("image", "blank.png", buffer.getvalue())])
            status, answer = server.json("POST", "/model/predict", body, {"Content-Type": content_type})
            expect(status == 200 and answer["predictions"] == [], f"a blank {size} image: {status} {answer}")

        buffer = io.BytesIO()
        Image.new("L", (7000, 6000), 255).save(buffer, format="PNG")
        for label, fields in (
            ("no image field", [("file", "x.png", png)]),
            ("an empty image field", [("image", "x.png", b"")]),
            ("not an image", [("image", "x.png", b"this is not an image")]),
            ("a truncated PNG", [("image", "x.png", png[: len(png) // 2])]),
            ("an image over 40 megapixels", [("image", "big.png", buffer.getvalue())]),
        ):
            body, content_type = multipart(fields)
            server.expect_error(label, 400, "POST", "/model/predict", body, {"Content-Type": content_type}, key="message")
        body, content_type = multipart([("image", "x.png", png)])
        server.expect_error("a bad classify_direction", 400, "POST", "/model/predict?classify_direction=maybe", body, {"Content-Type": content_type}, key="message")
        server.expect_error("not multipart", 400, "POST", "/model/predict", b'{"image": "x"}', {"Content-Type": "application/json"}, key="message")
        server.expect_error("a broken multipart body", 400, "POST", "/model/predict", b"garbage", {"Content-Type": "multipart/form-data; boundary=zz"}, key="message")
        server.expect_error("an unknown route", 404, "GET", "/model/labels", key="message")
        server.expect_error("a wrong method", 405, "GET", "/model/predict", key="message")
        check_oversized(server, "/model/predict", "message")
        server.finish()
    return ", ".join(lines)


def main() -> int:
    checks = {"digits-classifier": check_digits, "wine-classifier": check_wine, "speech-detector": check_speech,
              "topic-classifier": check_topic, "text-reader": check_text_reader}
    names = sys.argv[1:] or list(checks)
    failed = False
    for name in names:
        if name not in checks:
            print(f"unknown package {name}; known: {', '.join(checks)}", file=sys.stderr)
            return 2
        if not (CATALOG / name / "maxhub.yaml").is_file():
            print(f"FAIL {name}: not built; run bash catalog/build.sh first", file=sys.stderr)
            failed = True
            continue
        started = time.monotonic()
        try:
            result = checks[name]()
            print(f"ok   {name}: {result} ({time.monotonic() - started:.1f} s)")
        except (CheckFailed, OSError, ValueError, KeyError) as error:
            print(f"FAIL {name}: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
