"""digits-classifier server: IBM MAX's model API over the package's ONNX model.

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  GET  /model/labels     the ten labels
  POST /model/predict    multipart/form-data with a field `image` (PNG or JPEG, any size, color or
                         gray); optional query `top_k` (1-10, default 3)
  GET  /swagger.json     the Swagger 2.0 description of these routes

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy, Pillow and onnxruntime; and model_server.py, which catalog/build.sh puts beside it.
"""

from __future__ import annotations

import io
import urllib.parse
import warnings
from http import HTTPStatus
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, UnidentifiedImageError

from model_server import MAXHandler, RequestError, run

MODEL_ID = "digits-classifier"
MODEL_VERSION = "1.0.0"
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


class Handler(MAXHandler):
    metadata = METADATA
    version = MODEL_VERSION
    has_labels = True
    consumes = ["application/json", "multipart/form-data"]
    server_version = "maxhub-digits-classifier/" + MODEL_VERSION
    model: DigitsModel  # set by run()

    def post_predict(self, query: str) -> None:
        top_k = parse_top_k(query)
        predictions = self.model.predict(self.read_form_field("image", "the image"), top_k)
        self.send_json(HTTPStatus.OK, {"status": "ok", "predictions": predictions})

    def predict_operation(self) -> dict:
        return {
            "summary": "Make a prediction for the given image",
            "consumes": ["multipart/form-data"],
            "parameters": [
                {"name": "image", "in": "formData", "type": "file", "required": True,
                 "description": "An image of one digit, PNG or JPEG, any size (light digit on a dark background)"},
                {"name": "top_k", "in": "query", "type": "integer", "minimum": 1, "maximum": 10, "default": DEFAULT_TOP_K,
                 "required": False, "description": "How many predictions to return"},
            ],
            "responses": {
                "400": {"description": "No image field, not an image, or not multipart/form-data"},
            },
        }

    def predict_definitions(self) -> dict:
        return {
            "ModelPredictResponse": {
                "type": "object",
                "required": ["status", "predictions"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "predictions": {"type": "array", "items": {"$ref": "#/definitions/LabelPrediction"}},
                },
            },
        }


def main() -> None:
    run(Handler, DigitsModel, f"{MODEL_ID} {MODEL_VERSION}")


if __name__ == "__main__":
    main()
