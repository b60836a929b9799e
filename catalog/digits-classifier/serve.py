"""digits-classifier server: IBM MAX's model API over the package's ONNX model.

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  GET  /model/labels     the ten labels
  POST /model/predict    multipart/form-data with a field `image` (PNG or JPEG, any size, color or
                         gray); optional query `top_k` (1-10, default 3)
  GET  /swagger.json     the Swagger 2.0 description of these routes

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy, Pillow and onnxruntime.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import os
import signal
import sys
import time
import urllib.parse
import warnings
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, UnidentifiedImageError

MODEL_ID = "digits-classifier"
MODEL_VERSION = "1.0.0"
MAX_BODY_BYTES = 10 * 1024 * 1024
DISCARD_LIMIT_BYTES = 64 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_TOP_K = 3

# Decoding a huge image is refused rather than attempted (Pillow raises DecompressionBombError);
# Pillow's warnings about odd but readable images would only add stray lines to the log.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
warnings.filterwarnings("ignore", module="PIL")

METADATA = {
    "id": MODEL_ID,
    "name": "Handwritten digit classifier (8x8 grayscale)",
    "description": (
        "Classifies an image of one handwritten digit as 0-9. The image is turned to grayscale, reduced "
        "to 8x8 pixels by area averaging and scaled to 0..16, like the UCI optical digits data; the "
        "digit should be light on a dark background."
    ),
    "type": "Image Classification",
    "source": "https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
    "license": "Apache-2.0",
}


class RequestError(Exception):
    """A client error: rendered as a 4xx {"status": "error", "message": ...}."""

    def __init__(self, status: HTTPStatus, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the connection is no longer usable (body unread or cut short)


def preprocess_image(data: bytes) -> np.ndarray:
    """The manifest's processing steps: decode GRAY, resize to [8, 8] (area), (x - 0) / 15.9375.

    Returns float32 [1, 64] with values in 0..16, row-major.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            gray = image.convert("L")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the image field is not a readable PNG or JPEG image ({error})") from None
    if gray.size != (8, 8):
        gray = gray.resize((8, 8), Image.Resampling.BOX)
    pixels = np.asarray(gray, dtype=np.float32) / np.float32(255.0 / 16.0)
    return pixels.reshape(1, 64)


class DigitsModel:
    """The ONNX model and its labels, loaded once; `predict` is safe to call from many threads."""

    def __init__(self, folder: Path):
        self.session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        self.labels = [line.strip() for line in (folder / "labels.txt").read_text(encoding="utf-8").splitlines() if line.strip()]

    def predict(self, image: bytes, top_k: int) -> list[dict]:
        features = preprocess_image(image)
        probabilities = self.session.run(["probabilities"], {"input": features})[0][0]
        order = sorted(range(len(probabilities)), key=lambda index: (-float(probabilities[index]), index))
        return [
            {"label_id": index, "label": self.labels[index], "probability": round(float(probabilities[index]), 6)}
            for index in order[:top_k]
        ]


def parse_top_k(query: str) -> int:
    values = urllib.parse.parse_qs(query, keep_blank_values=True).get("top_k")
    if not values:
        return DEFAULT_TOP_K
    try:
        top_k = int(values[-1])
    except ValueError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "top_k must be an integer from 1 to 10") from None
    if not 1 <= top_k <= 10:
        raise RequestError(HTTPStatus.BAD_REQUEST, "top_k must be an integer from 1 to 10")
    return top_k


def image_field(content_type: str, body: bytes) -> bytes:
    """The bytes of the `image` field of a multipart/form-data body."""
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not valid multipart/form-data")
    for part in message.iter_parts():
        if part.get_content_disposition() != "form-data" or part.get_param("name", header="content-disposition") != "image":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the image field is empty")
        return payload
    raise RequestError(HTTPStatus.BAD_REQUEST, "no image field in the form: send the image as the multipart field 'image'")


def swagger(host: str | None) -> dict:
    error = {"$ref": "#/definitions/Error"}
    document = {
        "swagger": "2.0",
        "info": {
            "title": "digits-classifier",
            "version": MODEL_VERSION,
            "description": METADATA["description"],
            "license": {"name": METADATA["license"]},
        },
        "basePath": "/",
        "schemes": ["http"],
        "consumes": ["application/json", "multipart/form-data"],
        "produces": ["application/json"],
        "tags": [{"name": "model", "description": "Model information and inference"}],
        "paths": {
            "/model/metadata": {
                "get": {
                    "tags": ["model"],
                    "summary": "Return the metadata associated with the model",
                    "operationId": "get_metadata",
                    "responses": {"200": {"description": "Success", "schema": {"$ref": "#/definitions/ModelMetadata"}}},
                },
            },
            "/model/labels": {
                "get": {
                    "tags": ["model"],
                    "summary": "Return the list of labels that can be predicted by the model",
                    "operationId": "get_labels",
                    "responses": {"200": {"description": "Success", "schema": {"$ref": "#/definitions/ModelLabels"}}},
                },
            },
            "/model/predict": {
                "post": {
                    "tags": ["model"],
                    "summary": "Make a prediction for the given image",
                    "operationId": "predict",
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "image", "in": "formData", "type": "file", "required": True,
                         "description": "An image of one digit, PNG or JPEG, any size (light digit on a dark background)"},
                        {"name": "top_k", "in": "query", "type": "integer", "minimum": 1, "maximum": 10, "default": DEFAULT_TOP_K,
                         "required": False, "description": "How many predictions to return"},
                    ],
                    "responses": {
                        "200": {"description": "Success", "schema": {"$ref": "#/definitions/ModelPredictResponse"}},
                        "400": {"description": "No image field, not an image, or not multipart/form-data", "schema": error},
                        "411": {"description": "No Content-Length", "schema": error},
                        "413": {"description": "Body larger than 10 MiB", "schema": error},
                    },
                },
            },
        },
        "definitions": {
            "ModelMetadata": {
                "type": "object",
                "required": ["id", "name", "description", "type", "source", "license"],
                "properties": {name: {"type": "string"} for name in ("id", "name", "description", "type", "source", "license")},
            },
            "ModelLabel": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
            "ModelLabels": {
                "type": "object",
                "properties": {"count": {"type": "integer"}, "labels": {"type": "array", "items": {"$ref": "#/definitions/ModelLabel"}}},
            },
            "LabelPrediction": {
                "type": "object",
                "required": ["label_id", "label", "probability"],
                "properties": {
                    "label_id": {"type": "integer", "description": "Class index, 0-9"},
                    "label": {"type": "string", "description": "Class label"},
                    "probability": {"type": "number", "format": "float", "description": "Predicted probability"},
                },
            },
            "ModelPredictResponse": {
                "type": "object",
                "required": ["status", "predictions"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "predictions": {"type": "array", "items": {"$ref": "#/definitions/LabelPrediction"}},
                },
            },
            "Error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {"status": {"type": "string", "enum": ["error"]}, "message": {"type": "string"}},
            },
        },
    }
    if host:
        document["host"] = host
    return document


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; without this, Nagle holds the body back until the client acknowledges
    # the headers (40 ms with delayed acknowledgements).
    disable_nagle_algorithm = True
    server_version = "maxhub-digits-classifier/" + MODEL_VERSION
    timeout = 30
    model: DigitsModel  # set by main()

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
        self.log_message('"%s %s" %d %d %.1fms', self.command, self.path, int(status), len(data), elapsed)

    def send_error(self, code, message=None, explain=None):
        # http.server's own errors (bad request line, header too long, ...) as JSON, not HTML.
        status = HTTPStatus(code)
        self.command = self.command or "-"
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # an unparsable request line still gets a status line and headers
        self.path = getattr(self, "path", "-")
        self.send_json(status, {"status": "error", "message": message or status.phrase}, close=True)

    def send_problem(self, error: RequestError, close: bool = False) -> None:
        self.send_json(error.status, {"status": "error", "message": error.message}, close=close)

    def handle_expect_100(self):
        # Refuse an oversized upload before the client sends it.
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            self.send_problem(RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than 10 MiB"), close=True)
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

    def read_body(self) -> bytes:
        self.body_consumed = True
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not supported: send a Content-Length", close=True)
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
        return body

    def dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        routes = {
            "/model/metadata": {"GET": self.get_metadata},
            "/model/labels": {"GET": self.get_labels},
            "/model/predict": {"POST": self.post_predict},
            "/swagger.json": {"GET": self.get_swagger},
        }
        path = url.path.rstrip("/") or "/"
        try:
            if path not in routes:
                raise RequestError(HTTPStatus.NOT_FOUND, f"no route {path}: see /swagger.json")
            handlers = routes[path]
            lookup = "GET" if method == "HEAD" else method
            if lookup not in handlers:
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed on {path}; use {', '.join(handlers)}")
            handlers[lookup](url.query)
        except RequestError as error:
            self.answer_error(error, {"status": "error", "message": error.message})
        except (TimeoutError, ConnectionError):
            raise
        except Exception as error:  # noqa: BLE001 - the server answers and keeps serving
            self.log_message("internal error on %s %s: %s: %s", method, self.path, type(error).__name__, error)
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"status": "error", "message": "internal error"}, close=True)

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

    def get_metadata(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, METADATA)

    def get_labels(self, query: str) -> None:
        labels = [{"id": str(index), "name": name} for index, name in enumerate(self.model.labels)]
        self.send_json(HTTPStatus.OK, {"count": len(labels), "labels": labels})

    def get_swagger(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, swagger(self.headers.get("Host")))

    def post_predict(self, query: str) -> None:
        top_k = parse_top_k(query)
        body = self.read_body()
        content_type = self.headers.get("Content-Type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            raise RequestError(HTTPStatus.BAD_REQUEST, "send the image as multipart/form-data with the field 'image'")
        predictions = self.model.predict(image_field(content_type, body), top_k)
        self.send_json(HTTPStatus.OK, {"status": "ok", "predictions": predictions})


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
    port = int(os.environ.get("PORT", "5000"))
    Handler.model = DigitsModel(folder)
    server = Server((host, port), Handler)
    sys.stderr.write(f"{MODEL_ID} {MODEL_VERSION} serving {folder} on http://{host}:{port}\n")
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
