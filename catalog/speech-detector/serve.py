"""speech-detector server: IBM MAX's model API over Silero VAD's ONNX model.

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  POST /model/predict    multipart/form-data with a field `audio`: a WAV file (PCM 8, 16, 24 or 32 bit, any channel
                         count and sample rate from 8 to 48 kHz, at most 10 minutes)
  GET  /swagger.json     the Swagger 2.0 description of these routes

The answer lists the stretches of speech, in seconds, with the model's mean speech probability over each:
  {"status": "ok", "predictions": [{"start": 0.512, "end": 1.824, "probability": 0.97}], "duration": 4.0}

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy and onnxruntime.
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
import wave
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import onnxruntime as ort

MODEL_ID = "speech-detector"
MODEL_VERSION = "1.0.0"
MAX_BODY_BYTES = 20 * 1024 * 1024
DISCARD_LIMIT_BYTES = 64 * 1024 * 1024
MAX_SECONDS = 600

# The manifest's processing steps, in order (inputs[0].processing, then outputs[0].processing).
SAMPLE_RATE = 16_000          # resample: {sample_rate: 16000, method: linear}
WINDOW = 512                  # frame: {window: 512, hop: 512, context: 64}
CONTEXT = 64
THRESHOLD = 0.5               # segment: {threshold: 0.5, neg_threshold: 0.35, min_speech_ms: 250,
NEG_THRESHOLD = 0.35          #           min_silence_ms: 100, pad_ms: 30}
MIN_SPEECH_SECONDS = 0.25
MIN_SILENCE_SECONDS = 0.1
PAD_SECONDS = 0.03

METADATA = {
    "id": MODEL_ID,
    "name": "Voice activity detector (Silero VAD)",
    "description": (
        "Finds the stretches of speech in a recording. The audio is mixed down to mono, resampled to 16 kHz and cut "
        "into 32 ms windows; Silero VAD gives each window a speech probability, and the server joins windows above "
        "0.5 into segments (ending after 100 ms below 0.35, dropping segments under 250 ms, padding each by 30 ms)."
    ),
    "type": "Voice Activity Detection",
    "source": "https://github.com/snakers4/silero-vad",
    "license": "MIT",
}


class RequestError(Exception):
    """A client error: rendered as a 4xx {"status": "error", "message": ...}."""

    def __init__(self, status: HTTPStatus, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the connection is no longer usable (body unread or cut short)


def decode_audio(data: bytes) -> tuple[np.ndarray, int]:
    """decode_audio: {channels: 1, element_type: float32}: a WAV file as mono float samples in [-1, 1] and its rate."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            width, channels, rate, count = reader.getsampwidth(), reader.getnchannels(), reader.getframerate(), reader.getnframes()
            if not 8000 <= rate <= 48000:
                raise RequestError(HTTPStatus.BAD_REQUEST, f"the sample rate is {rate} Hz; send 8 to 48 kHz")
            if count > MAX_SECONDS * rate:
                raise RequestError(HTTPStatus.BAD_REQUEST, f"the recording is longer than {MAX_SECONDS // 60} minutes")
            frames = reader.readframes(count)
    except (wave.Error, EOFError) as error:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the audio field is not a readable PCM WAV file ({error})") from None
    if len(frames) < width * channels:
        raise RequestError(HTTPStatus.BAD_REQUEST, "the audio field holds no samples")
    usable = len(frames) - len(frames) % (width * channels)
    raw = np.frombuffer(frames[:usable], dtype=np.uint8).reshape(-1, width)
    if width == 1:
        samples = (raw[:, 0].astype(np.float64) - 128.0) / 128.0
    else:
        # Little-endian signed integers of 2, 3 or 4 bytes, widened to 32 bits.
        padded = np.zeros((raw.shape[0], 4), dtype=np.uint8)
        padded[:, 4 - width:] = raw
        samples = padded.view("<i4")[:, 0].astype(np.float64) / 2147483648.0
    return samples.reshape(-1, channels).mean(axis=1), rate


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """resample: {sample_rate: 16000, method: linear}."""
    if rate == SAMPLE_RATE:
        return samples.astype(np.float32)
    count = int(round(len(samples) * SAMPLE_RATE / rate))
    positions = np.arange(count) * (rate / SAMPLE_RATE)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


class SpeechDetector:
    """The ONNX model, loaded once; `detect` is safe to call from many threads (each call keeps its own state)."""

    def __init__(self, folder: Path):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """frame: {window: 512, hop: 512, context: 64}: each 32 ms window, zero-padded at the end, with the 64 samples
        before it, through the model, whose recurrent state runs from one window to the next."""
        windows = max(1, -(-len(samples) // WINDOW))
        padded = np.zeros(CONTEXT + windows * WINDOW, dtype=np.float32)
        padded[CONTEXT:CONTEXT + len(samples)] = samples
        state = np.zeros((2, 1, 128), dtype=np.float32)
        rate = np.array(SAMPLE_RATE, dtype=np.int64)
        result = np.empty(windows, dtype=np.float32)
        for index in range(windows):
            chunk = padded[index * WINDOW:index * WINDOW + CONTEXT + WINDOW].reshape(1, -1)
            output, state = self.session.run(None, {"input": chunk, "state": state, "sr": rate})
            result[index] = output[0, 0]
        return result

    def detect(self, data: bytes) -> dict:
        samples, rate = decode_audio(data)
        samples = resample(samples, rate)
        duration = len(samples) / SAMPLE_RATE
        probabilities = self.probabilities(samples)
        return {"predictions": segment(probabilities, duration), "duration": round(duration, 3)}


def segment(probabilities: np.ndarray, duration: float) -> list[dict]:
    """segment: windows at or above THRESHOLD start speech; speech ends where MIN_SILENCE_SECONDS of windows below
    NEG_THRESHOLD begin; segments shorter than MIN_SPEECH_SECONDS are dropped; each is padded by PAD_SECONDS (within
    the recording) and overlapping ones are joined."""
    step = WINDOW / SAMPLE_RATE
    spans: list[tuple[int, int]] = []  # window indices, end exclusive
    start = quiet_from = None
    for index, probability in enumerate(probabilities):
        if start is None:
            if probability >= THRESHOLD:
                start, quiet_from = index, None
            continue
        if probability >= THRESHOLD:
            quiet_from = None
        elif probability < NEG_THRESHOLD:
            quiet_from = index if quiet_from is None else quiet_from
            if (index + 1 - quiet_from) * step >= MIN_SILENCE_SECONDS:
                spans.append((start, quiet_from))
                start = quiet_from = None
    if start is not None:
        spans.append((start, quiet_from if quiet_from is not None else len(probabilities)))
    joined: list[list[float]] = []
    for first, end in spans:
        begin, finish = first * step, min(end * step, duration)
        if finish - begin < MIN_SPEECH_SECONDS:
            continue
        begin, finish = max(0.0, begin - PAD_SECONDS), min(duration, finish + PAD_SECONDS)
        if joined and begin <= joined[-1][1]:
            joined[-1][1], joined[-1][2] = finish, joined[-1][2] + [probabilities[first:end]]
        else:
            joined.append([begin, finish, [probabilities[first:end]]])
    return [
        {"start": round(begin, 3), "end": round(finish, 3), "probability": round(float(np.mean(np.concatenate(parts))), 4)}
        for begin, finish, parts in joined
    ]


def audio_field(content_type: str, body: bytes) -> bytes:
    """The bytes of the `audio` field of a multipart/form-data body."""
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not valid multipart/form-data")
    for part in message.iter_parts():
        if part.get_content_disposition() != "form-data" or part.get_param("name", header="content-disposition") != "audio":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the audio field is empty")
        return payload
    raise RequestError(HTTPStatus.BAD_REQUEST, "no audio field in the form: send the WAV file as the multipart field 'audio'")


def swagger(host: str | None) -> dict:
    error = {"$ref": "#/definitions/Error"}
    document = {
        "swagger": "2.0",
        "info": {
            "title": MODEL_ID,
            "version": MODEL_VERSION,
            "description": METADATA["description"],
            "license": {"name": METADATA["license"]},
        },
        "basePath": "/",
        "schemes": ["http"],
        "consumes": ["multipart/form-data"],
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
            "/model/predict": {
                "post": {
                    "tags": ["model"],
                    "summary": "Find the stretches of speech in a recording",
                    "operationId": "predict",
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "audio", "in": "formData", "type": "file", "required": True,
                         "description": "A PCM WAV file: 8 to 32 bit, any channel count, 8 to 48 kHz, at most 10 minutes"},
                    ],
                    "responses": {
                        "200": {"description": "Success", "schema": {"$ref": "#/definitions/ModelPredictResponse"}},
                        "400": {"description": "No audio field, not a PCM WAV file, or not multipart/form-data", "schema": error},
                        "411": {"description": "No Content-Length", "schema": error},
                        "413": {"description": "Body larger than 20 MiB", "schema": error},
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
            "Segment": {
                "type": "object",
                "required": ["start", "end", "probability"],
                "properties": {
                    "start": {"type": "number", "description": "Where the speech starts, in seconds"},
                    "end": {"type": "number", "description": "Where it ends, in seconds"},
                    "probability": {"type": "number", "format": "float", "description": "Mean speech probability"},
                },
            },
            "ModelPredictResponse": {
                "type": "object",
                "required": ["status", "predictions", "duration"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "predictions": {"type": "array", "items": {"$ref": "#/definitions/Segment"}},
                    "duration": {"type": "number", "description": "The recording's length, in seconds"},
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
    server_version = "maxhub-speech-detector/" + MODEL_VERSION
    timeout = 30
    model: SpeechDetector  # set by main()

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
            self.send_problem(RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than 20 MiB"), close=True)
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
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than 20 MiB", close=True)
        body = self.rfile.read(size)
        if len(body) != size:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body ended before Content-Length bytes", close=True)
        return body

    def dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        routes = {
            "/model/metadata": {"GET": self.get_metadata},
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

    def get_swagger(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, swagger(self.headers.get("Host")))

    def post_predict(self, query: str) -> None:
        body = self.read_body()
        content_type = self.headers.get("Content-Type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            raise RequestError(HTTPStatus.BAD_REQUEST, "send the WAV file as multipart/form-data with the field 'audio'")
        self.send_json(HTTPStatus.OK, {"status": "ok", **self.model.detect(audio_field(content_type, body))})


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
    Handler.model = SpeechDetector(folder)
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
