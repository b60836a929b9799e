"""The HTTP plumbing every catalog server shares: one request at a time per connection over HTTP/1.1, JSON answers,
bodies read to a limit, 4xx answers that leave the connection usable, and a clean stop on SIGTERM.

This file is the one source; catalog/build.sh copies it into each package that serves, beside its serve.py, so a
package stays whole on its own (it is mounted alone at /model in its container). A server subclasses ModelHandler,
says which routes it has (`routes`, or `route` for patterns) and what its errors look like (`error_body`), and calls
`run`; a server of IBM MAX's model API subclasses MAXHandler, which has the routes and the Swagger document. Dependencies: the Python standard library.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import os
import signal
import sys
import time
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DISCARD_LIMIT_BYTES = 64 * 1024 * 1024


class RequestError(Exception):
    """A client error: answered with its status and `error_body(message)`."""

    def __init__(self, status: HTTPStatus, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the connection is no longer usable (body unread or cut short)


Route = Callable[[str], None]


class ModelHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes; without this, Nagle holds the body back until the client acknowledges
    # the headers (40 ms with delayed acknowledgements).
    disable_nagle_algorithm = True
    timeout = 30
    max_body_bytes = 10 * 1024 * 1024
    model = None  # set by run()

    # --- what a server says ---------------------------------------------------------------------

    def routes(self) -> dict[str, dict[str, Route]]:
        """Path -> method -> the function that answers it, given the query string."""
        return {}

    def route(self, path: str) -> tuple[Route, list[str]]:
        """The function that answers `path` and the methods it allows; a RequestError 404 when there is none."""
        routes = self.routes()
        if path not in routes:
            raise RequestError(HTTPStatus.NOT_FOUND, f"no route {path}: see /swagger.json")
        handlers = routes[path]
        method = "GET" if self.command == "HEAD" else self.command
        return handlers.get(method, next(iter(handlers.values()))), list(handlers)

    def error_body(self, message: str) -> dict:
        """An error answer: IBM MAX's shape unless a server says otherwise."""
        return {"status": "error", "message": message}

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
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
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
        self.path = getattr(self, "path", "-")
        self.send_json(status, self.error_body(message or status.phrase), close=True)

    def too_large(self) -> RequestError:
        return RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is larger than {self.max_body_bytes >> 20} MiB", close=True)

    def handle_expect_100(self):
        # Refuse an oversized upload before the client sends it.
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_body_bytes:
            self.send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self.error_body(self.too_large().message), close=True)
            return False
        return super().handle_expect_100()

    def answer_error(self, error: RequestError) -> None:
        body = self.error_body(error.message)
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
        if size > self.max_body_bytes:
            raise self.too_large()
        body = self.rfile.read(size)
        if len(body) != size:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body ended before Content-Length bytes", close=True)
        return body

    def read_form_field(self, name: str, what: str) -> bytes:
        """The bytes of the multipart/form-data field `name` of the body; `what` names the expected content in errors
        ("the image")."""
        body = self.read_body()
        content_type = self.headers.get("Content-Type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            raise RequestError(HTTPStatus.BAD_REQUEST, f"send {what} as multipart/form-data with the field '{name}'")
        header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
        if not message.is_multipart():
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not valid multipart/form-data")
        for part in message.iter_parts():
            if part.get_content_disposition() != "form-data" or part.get_param("name", header="content-disposition") != name:
                continue
            payload = part.get_payload(decode=True)
            if not payload:
                raise RequestError(HTTPStatus.BAD_REQUEST, f"the {name} field is empty")
            return payload
        raise RequestError(HTTPStatus.BAD_REQUEST, f"no {name} field in the form: send {what} as the multipart field '{name}'")

    def dispatch(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        try:
            handler, allowed = self.route(path)
            if self.command not in allowed and not (self.command == "HEAD" and "GET" in allowed):
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not allowed on {path}; use {', '.join(allowed)}")
            handler(url.query)
        except RequestError as error:
            self.answer_error(error)
        except (TimeoutError, ConnectionError):
            raise
        except Exception as error:  # noqa: BLE001 - the server answers and keeps serving
            self.log_message("internal error on %s %s: %s: %s", self.command, self.path, type(error).__name__, error)
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR, self.error_body("internal error"), close=True)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = dispatch


class MAXHandler(ModelHandler):
    """IBM MAX's model API: GET /model/metadata, GET /model/labels (when the model has labels), POST /model/predict
    and GET /swagger.json. A server gives its `metadata`, `version`, whether it has `labels`, its POST /model/predict
    (`post_predict`) and that operation's Swagger description (`predict_operation`, `predict_definitions`)."""

    metadata: dict = {}
    version = ""
    has_labels = False
    consumes = ["multipart/form-data"]

    def routes(self) -> dict[str, dict[str, Route]]:
        routes = {
            "/model/metadata": {"GET": self.get_metadata},
            "/model/labels": {"GET": self.get_labels},
            "/model/predict": {"POST": self.post_predict},
            "/swagger.json": {"GET": self.get_swagger},
        }
        if not self.has_labels:
            del routes["/model/labels"]
        return routes

    def post_predict(self, query: str) -> None:
        raise NotImplementedError

    def predict_operation(self) -> dict:
        """The Swagger 2.0 operation of POST /model/predict: its summary, parameters and the description of its 400
        answer (`{"responses": {"400": {"description": ...}}}`); the 200 (ModelPredictResponse, which
        `predict_definitions` gives), 411 and 413 answers and the error schemas are the same for every server."""
        raise NotImplementedError

    def predict_definitions(self) -> dict:
        """The Swagger definitions the operation names, besides ModelMetadata, ModelLabels, LabelPrediction (for a model
        with labels) and Error."""
        return {}

    def get_metadata(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, self.metadata)

    def get_labels(self, query: str) -> None:
        labels = [{"id": str(index), "name": name} for index, name in enumerate(self.model.labels)]
        self.send_json(HTTPStatus.OK, {"count": len(labels), "labels": labels})

    def get_swagger(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, self.swagger(self.headers.get("Host")))

    def swagger(self, host: str | None) -> dict:
        def get(summary: str, operation: str, schema: str) -> dict:
            return {"get": {
                "tags": ["model"], "summary": summary, "operationId": operation,
                "responses": {"200": {"description": "Success", "schema": {"$ref": f"#/definitions/{schema}"}}},
            }}

        paths = {"/model/metadata": get("Return the metadata associated with the model", "get_metadata", "ModelMetadata")}
        definitions = {
            "ModelMetadata": {
                "type": "object",
                "required": ["id", "name", "description", "type", "source", "license"],
                "properties": {name: {"type": "string"} for name in ("id", "name", "description", "type", "source", "license")},
            },
        }
        if self.has_labels:
            paths["/model/labels"] = get("Return the list of labels that can be predicted by the model", "get_labels", "ModelLabels")
            definitions["ModelLabel"] = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
            definitions["ModelLabels"] = {
                "type": "object",
                "properties": {"count": {"type": "integer"}, "labels": {"type": "array", "items": {"$ref": "#/definitions/ModelLabel"}}},
            }
            labels = list(self.model.labels)
            definitions["LabelPrediction"] = {
                "type": "object",
                "required": ["label_id", "label", "probability"],
                "properties": {
                    "label_id": {"type": "integer", "description": f"Class index, 0-{len(labels) - 1}"},
                    "label": {"type": "string", "description": "Class label", "enum": labels},
                    "probability": {"type": "number", "format": "float", "description": "Predicted probability"},
                },
            }
        operation = self.predict_operation()
        error = {"$ref": "#/definitions/Error"}
        responses = {"200": {"description": "Success", "schema": {"$ref": "#/definitions/ModelPredictResponse"}}}
        for status, answer in operation.get("responses", {}).items():
            responses[status] = {**answer, "schema": error}
        responses["411"] = {"description": "No Content-Length", "schema": error}
        responses["413"] = {"description": f"Body larger than {self.max_body_bytes >> 20} MiB", "schema": error}
        operation["responses"] = dict(sorted(responses.items()))
        paths["/model/predict"] = {"post": {"tags": ["model"], "operationId": "predict", **operation}}
        definitions.update(self.predict_definitions())
        definitions["Error"] = {
            "type": "object",
            "required": ["status", "message"],
            "properties": {"status": {"type": "string", "enum": ["error"]}, "message": {"type": "string"}},
        }
        document = {
            "swagger": "2.0",
            "info": {
                "title": self.metadata["id"],
                "version": self.version,
                "description": self.metadata["description"],
                "license": {"name": self.metadata["license"]},
            },
            "basePath": "/",
            "schemes": ["http"],
            "consumes": self.consumes,
            "produces": ["application/json"],
            "tags": [{"name": "model", "description": "Model information and inference"}],
            "paths": paths,
            "definitions": definitions,
        }
        if host:
            document["host"] = host
        return document


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # One line instead of socketserver's traceback (a client that went away mid-answer).
        error = sys.exc_info()[1]
        sys.stderr.write(f"{client_address[0]} connection error: {type(error).__name__}: {error}\n")


def stop(signum, frame) -> None:
    """SIGTERM (`podman stop`) stops the server as Ctrl-C does; as PID 1 in a container it would be ignored."""
    raise KeyboardInterrupt


def run(handler: type[ModelHandler], load: Callable[[Path], object], name: str, default_port: int = 5000) -> None:
    """Loads the model from MAXHUB_MODEL_DIR (default: the folder of this file) and serves it on HOST:PORT until
    SIGTERM or Ctrl-C."""
    folder = Path(os.environ.get("MAXHUB_MODEL_DIR") or Path(__file__).resolve().parent)
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", str(default_port)))
    handler.model = load(folder)
    server = Server((host, port), handler)
    sys.stderr.write(f"{name} serving {folder} on http://{host}:{port}\n")
    sys.stderr.flush()
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
