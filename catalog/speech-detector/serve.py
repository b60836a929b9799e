"""speech-detector server: IBM MAX's model API over Silero VAD's ONNX model.

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  POST /model/predict    multipart/form-data with a field `audio`: a WAV file (PCM 8, 16, 24 or 32 bit, any channel
                         count and sample rate from 8 to 48 kHz, at most 10 minutes)
  GET  /swagger.json     the Swagger 2.0 description of these routes

The answer lists the stretches of speech, in seconds, with the model's mean speech probability over each:
  {"status": "ok", "predictions": [{"start": 0.512, "end": 1.824, "probability": 0.97}], "duration": 4.0}

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy and onnxruntime; and model_server.py, which catalog/build.sh puts beside it.
"""

from __future__ import annotations

import io
import wave
from http import HTTPStatus
from pathlib import Path

import numpy as np
import onnxruntime as ort

from model_server import MAXHandler, RequestError, run

MODEL_ID = "speech-detector"
MODEL_VERSION = "1.0.0"
MAX_BODY_BYTES = 20 * 1024 * 1024
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


class Handler(MAXHandler):
    metadata = METADATA
    version = MODEL_VERSION
    server_version = "maxhub-speech-detector/" + MODEL_VERSION
    max_body_bytes = MAX_BODY_BYTES
    model: SpeechDetector  # set by run()

    def post_predict(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {"status": "ok", **self.model.detect(self.read_form_field("audio", "the WAV file"))})

    def predict_operation(self) -> dict:
        return {
            "summary": "Find the stretches of speech in a recording",
            "consumes": ["multipart/form-data"],
            "parameters": [
                {"name": "audio", "in": "formData", "type": "file", "required": True,
                 "description": "A PCM WAV file: 8 to 32 bit, any channel count, 8 to 48 kHz, at most 10 minutes"},
            ],
            "responses": {
                "400": {"description": "No audio field, not a PCM WAV file, or not multipart/form-data"},
            },
        }

    def predict_definitions(self) -> dict:
        return {
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
        }


def main() -> None:
    run(Handler, SpeechDetector, f"{MODEL_ID} {MODEL_VERSION}")


if __name__ == "__main__":
    main()
