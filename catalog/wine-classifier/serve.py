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
Dependencies: the standard library, numpy and onnxruntime; and model_server.py, which catalog/build.sh puts beside it.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from http import HTTPStatus
from pathlib import Path

import numpy as np
import onnxruntime as ort

from model_server import ModelHandler, RequestError, run

MODEL_NAME = "wine-classifier"
MODEL_VERSION = "1.0.0"
SERVER_NAME = "maxhub-oip"
N_FEATURES = 13
N_CLASSES = 3
NUMERIC_DATATYPES = {"FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"}

INPUTS = [{"name": "input", "datatype": "FP32", "shape": [-1, N_FEATURES]}]
OUTPUTS = [
    {"name": "label", "datatype": "INT64", "shape": [-1]},
    {"name": "probabilities", "datatype": "FP32", "shape": [-1, N_CLASSES]},
]
MODEL_ROUTE = re.compile(r"^/v2/models/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?(?P<action>/ready|/infer)?$")


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


class Handler(ModelHandler):
    server_version = "maxhub-wine-classifier/" + MODEL_VERSION
    model: WineModel  # set by run()

    def error_body(self, message: str) -> dict:
        return {"error": message}

    def read_json(self) -> dict:
        if self.headers.get("Inference-Header-Content-Length") is not None:
            raise bad_request("the binary tensor data extension is not supported: send JSON")
        body = self.read_body()
        try:
            request = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise bad_request(f"the body is not valid JSON: {error}") from None
        if not isinstance(request, dict):
            raise bad_request("the body must be a JSON object")
        return request

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

    # --- routes ---------------------------------------------------------------------------------

    def get_live(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {"live": True})

    def get_ready(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {"ready": True})

    def get_server_metadata(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {"name": SERVER_NAME, "version": MODEL_VERSION, "extensions": []})

    def get_model_metadata(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {
            "name": MODEL_NAME,
            "versions": [MODEL_VERSION],
            "platform": "onnx",
            "inputs": INPUTS,
            "outputs": OUTPUTS,
        })

    def get_model_ready(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, {"name": MODEL_NAME, "ready": True})

    def post_infer(self, query: str) -> None:
        self.send_json(HTTPStatus.OK, self.model.infer(self.read_json()))


def main() -> None:
    run(Handler, WineModel, f"{MODEL_NAME} {MODEL_VERSION}", default_port=8080)


if __name__ == "__main__":
    main()
