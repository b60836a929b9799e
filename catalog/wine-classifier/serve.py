"""wine-classifier server: the Open Inference Protocol v2 (KServe v2 REST) over the package's ONNX model.

Routes:
  GET  /v2/health/live, /v2/health/ready          liveness and readiness
  GET  /v2                                        server metadata
  GET  /v2/models/wine-classifier[/versions/1.0.0]          model metadata
  GET  /v2/models/wine-classifier[/versions/1.0.0]/ready    model readiness
  POST /v2/models/wine-classifier[/versions/1.0.0]/infer    inference

An inference request carries one input, `input`, of shape [N, 13] (the 13 measurements in raw
units, in the manifest's column order); `data` may be flat (row-major) or nested, and numbers of
any numeric datatype (FP32, FP64, INT*, UINT*) are accepted. The response has `label` (INT64 [N])
and `probabilities` (FP32 [N, 3]), or only the outputs the request's `outputs` list names.
Errors are {"error": "..."}: 400 for a bad request, 404 for an unknown model or route.

Environment: HOST (default 0.0.0.0), PORT (default 8080), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy and onnxruntime.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import sys
import time
import urllib.parse
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import onnxruntime as ort

MODEL_NAME = "wine-classifier"
MODEL_VERSION = "1.0.0"
SERVER_NAME = "maxhub-oip"
N_FEATURES = 13
N_CLASSES = 3
MAX_BODY_BYTES = 10 * 1024 * 1024
DISCARD_LIMIT_BYTES = 64 * 1024 * 1024
NUMERIC_DATATYPES = {"FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"}

INPUTS = [{"name": "input", "datatype": "FP32", "shape": [-1, N_FEATURES]}]
OUTPUTS = [
    {"name": "label", "datatype": "INT64", "shape": [-1]},
    {"name": "probabilities", "datatype": "FP32", "shape": [-1, N_CLASSES]},
]
MODEL_ROUTE = re.compile(r"^/v2/models/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?(?P<action>/ready|/infer)?$")


class RequestError(Exception):
    """A client error: rendered as {"error": message} with its status."""

    def __init__(self, status: HTTPStatus, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the connection is no longer usable (body unread or cut short)


def bad_request(message: str) -> RequestError:
    return RequestError(HTTPStatus.BAD_REQUEST, message)


def flatten(data, into: list) -> None:
    """Appends the numbers of a flat or nested list to `into`, refusing anything else."""
    if isinstance(data, list):
        for item in data:
            flatten(item, into)
    elif isinstance(data, bool) or not isinstance(data, (int, float)):
        raise bad_request(f"input data must be numbers, got {json.dumps(data)[:40]}")
    else:
        try:
            value = float(data)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value) or abs(value) > 3.4e38:
            raise bad_request("input data must be finite numbers within the float32 range")
        into.append(value)


def parse_tensor(request: dict) -> np.ndarray:
    """The request's `input` tensor as float32 [N, 13]."""
    inputs = request.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        raise bad_request("the request needs a non-empty 'inputs' list")
    if len(inputs) != 1:
        raise bad_request(f"the model takes exactly one input, 'input'; got {len(inputs)}")
    tensor = inputs[0]
    if not isinstance(tensor, dict):
        raise bad_request("each entry of 'inputs' must be an object")
    name = tensor.get("name")
    if name != "input":
        raise bad_request(f"unknown input {json.dumps(name)}: the model's input is 'input'")
    datatype = tensor.get("datatype")
    if datatype not in NUMERIC_DATATYPES:
        raise bad_request(f"unsupported datatype {json.dumps(datatype)} for 'input': use FP32 (or another numeric type)")
    shape = tensor.get("shape")
    if (
        not isinstance(shape, list) or len(shape) != 2
        or not all(isinstance(size, int) and not isinstance(size, bool) for size in shape)
        or shape[0] < 1 or shape[1] != N_FEATURES
    ):
        raise bad_request(f"'input' must have shape [N, {N_FEATURES}] with N >= 1, got {json.dumps(shape)}")
    if "data" not in tensor:
        raise bad_request("'input' has no 'data'")
    values: list = []
    flatten(tensor["data"], values)
    expected = shape[0] * shape[1]
    if len(values) != expected:
        raise bad_request(f"'input' of shape {shape} needs {expected} values, got {len(values)}")
    return np.asarray(values, dtype=np.float32).reshape(shape)


def requested_outputs(request: dict) -> list[str]:
    outputs = request.get("outputs")
    if outputs is None:
        return [output["name"] for output in OUTPUTS]
    if not isinstance(outputs, list) or not outputs:
        raise bad_request("'outputs' must be a non-empty list of {\"name\": ...}")
    known = {output["name"] for output in OUTPUTS}
    names = []
    for output in outputs:
        name = output.get("name") if isinstance(output, dict) else None
        if name not in known:
            raise bad_request(f"unknown output {json.dumps(name)}: the model's outputs are 'label' and 'probabilities'")
        if name not in names:
            names.append(name)
    return names


class WineModel:
    """The ONNX model, loaded once; `infer` is safe to call from many threads."""

    def __init__(self, folder: Path):
        self.session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])

    def infer(self, request: dict) -> dict:
        features = parse_tensor(request)
        names = requested_outputs(request)
        if request.get("id") is not None and not isinstance(request.get("id"), str):
            raise bad_request("'id' must be a string")
        label, probabilities = self.session.run(["label", "probabilities"], {"input": features})
        tensors = {
            "label": {"name": "label", "shape": [int(features.shape[0])], "datatype": "INT64",
                      "data": [int(value) for value in label.reshape(-1)]},
            "probabilities": {"name": "probabilities", "shape": [int(features.shape[0]), N_CLASSES], "datatype": "FP32",
                              "data": [float(value) for value in probabilities.reshape(-1)]},
        }
        request_id = request.get("id")
        return {
            "model_name": MODEL_NAME,
            "model_version": MODEL_VERSION,
            "id": request_id if isinstance(request_id, str) and request_id else str(uuid.uuid4()),
            "outputs": [tensors[name] for name in names],
        }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; without this, Nagle holds the body back until the client acknowledges
    # the headers (40 ms with delayed acknowledgements).
    disable_nagle_algorithm = True
    server_version = "maxhub-wine-classifier/" + MODEL_VERSION
    timeout = 30
    model: WineModel  # set by main()

    # --- plumbing -------------------------------------------------------------------------------

    def handle_one_request(self):
        self.started = time.monotonic()
        self.body_consumed = False
        super().handle_one_request()

    def log_request(self, code="-", size="-"):
        pass  # one line per request is written by send_json

    def log_message(self, format, *args):
        sys.stderr.write(f"{self.log_date_time_string()} {self.client_address[0]} {format % args}\n")

    def send_json(self, status: HTTPStatus, body: dict, close: bool = False) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        elapsed = (time.monotonic() - getattr(self, "started", time.monotonic())) * 1000
        self.log_message('"%s %s" %d %d %.1fms', self.command, getattr(self, "path", "-"), int(status), len(data), elapsed)

    def send_error(self, code, message=None, explain=None):
        # http.server's own errors (bad request line, header too long, ...) as JSON, not HTML.
        status = HTTPStatus(code)
        self.command = self.command or "-"
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # an unparsable request line still gets a status line and headers
        self.send_json(status, {"error": message or status.phrase}, close=True)

    def handle_expect_100(self):
        # Refuse an oversized request before the client sends it.
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            self.send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "the body is larger than 10 MiB"}, close=True)
            return False
        return super().handle_expect_100()

    def answer_error(self, error: RequestError, body: dict) -> None:
        if error.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
            self.send_json(error.status, body, close=True)
            self.linger()
            return
        # An unread body would be taken for the next request: drop it, or close the connection.
        close = error.close or (not self.body_consumed and not self.discard_body())
        self.send_json(error.status, body, close=close)

    def linger(self) -> None:
        """After refusing an oversized body: read what the client still sends for a moment, so that
        closing does not reset the connection before it has read the answer."""
        try:
            self.wfile.flush()
            self.connection.settimeout(2)
            remaining = DISCARD_LIMIT_BYTES
            while remaining > 0:
                chunk = self.connection.recv(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def discard_body(self) -> bool:
        """Reads and drops an unread request body, so that the answer is not lost to a reset
        connection (and, under HTTP/1.1, the next request starts where it should)."""
        self.body_consumed = True
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return False
        length = self.headers.get("Content-Length")
        if length is None:
            return True
        if not length.strip().isdigit() or int(length) > DISCARD_LIMIT_BYTES:
            return False
        remaining = int(length)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                return False
            remaining -= len(chunk)
        return True

    def read_json(self) -> dict:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not supported: send a Content-Length", close=True)
        if self.headers.get("Inference-Header-Content-Length") is not None:
            raise bad_request("the binary tensor data extension is not supported: send JSON")
        self.body_consumed = True
        length = self.headers.get("Content-Length")
        if length is None:
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "a Content-Length header is required", close=True)
        if not length.strip().isdigit():
            raise RequestError(HTTPStatus.BAD_REQUEST, "the Content-Length header is not a number", close=True)
        size = int(length)
        if size > MAX_BODY_BYTES:
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than 10 MiB", close=True)
        body = self.rfile.read(size)
        if len(body) != size:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body ended before Content-Length bytes", close=True)
        try:
            request = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise bad_request(f"the body is not valid JSON: {error}") from None
        if not isinstance(request, dict):
            raise bad_request("the body must be a JSON object")
        return request

    def dispatch(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        try:
            handler, allowed = self.route(path.rstrip("/") or "/")
            if method not in allowed and not (method == "HEAD" and "GET" in allowed):
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed on {path}; use {', '.join(allowed)}")
            handler()
        except RequestError as error:
            self.answer_error(error, {"error": error.message})
        except (TimeoutError, ConnectionError):
            raise
        except Exception as error:  # noqa: BLE001 - the server answers and keeps serving
            self.log_message("internal error on %s %s: %s: %s", method, self.path, type(error).__name__, error)
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"}, close=True)

    def route(self, path: str):
        """(handler, allowed methods) for a path, or a 404."""
        if path == "/v2":
            return self.get_server_metadata, ["GET"]
        if path == "/v2/health/live":
            return self.get_live, ["GET"]
        if path == "/v2/health/ready":
            return self.get_ready, ["GET"]
        match = MODEL_ROUTE.match(path)
        if not match:
            raise RequestError(HTTPStatus.NOT_FOUND, f"no route {path}")
        name, version, action = match.group("name"), match.group("version"), match.group("action")
        if name != MODEL_NAME or version not in (None, MODEL_VERSION):
            shown = name if version is None else f"{name} version {version}"
            raise RequestError(HTTPStatus.NOT_FOUND, f"model {shown} not found; this server has {MODEL_NAME} {MODEL_VERSION}")
        if action == "/infer":
            return self.post_infer, ["POST"]
        if action == "/ready":
            return self.get_model_ready, ["GET"]
        return self.get_model_metadata, ["GET"]

    def do_GET(self):
        self.dispatch("GET")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_OPTIONS(self):
        self.dispatch("OPTIONS")

    # --- routes ---------------------------------------------------------------------------------

    def get_live(self) -> None:
        self.send_json(HTTPStatus.OK, {"live": True})

    def get_ready(self) -> None:
        self.send_json(HTTPStatus.OK, {"ready": True})

    def get_server_metadata(self) -> None:
        self.send_json(HTTPStatus.OK, {"name": SERVER_NAME, "version": MODEL_VERSION, "extensions": []})

    def get_model_metadata(self) -> None:
        self.send_json(HTTPStatus.OK, {
            "name": MODEL_NAME,
            "versions": [MODEL_VERSION],
            "platform": "onnx",
            "inputs": INPUTS,
            "outputs": OUTPUTS,
        })

    def get_model_ready(self) -> None:
        self.send_json(HTTPStatus.OK, {"name": MODEL_NAME, "ready": True})

    def post_infer(self) -> None:
        self.send_json(HTTPStatus.OK, self.model.infer(self.read_json()))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # One line instead of socketserver's traceback (a client that went away mid-answer).
        error = sys.exc_info()[1]
        sys.stderr.write(f"{client_address[0]} connection error: {type(error).__name__}: {error}\n")


def stop(signum, frame) -> None:
    """SIGTERM (`podman stop`) stops the server as Ctrl-C does; as PID 1 in a container it would be ignored."""
    raise KeyboardInterrupt


def main() -> None:
    folder = Path(os.environ.get("MAXHUB_MODEL_DIR") or Path(__file__).resolve().parent)
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8080"))
    Handler.model = WineModel(folder)
    server = Server((host, port), Handler)
    sys.stderr.write(f"{MODEL_NAME} {MODEL_VERSION} serving {folder} on http://{host}:{port}\n")
    sys.stderr.flush()
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
