"""text-reader server: IBM MAX's model API over PaddleOCR's PP-OCRv4 text detector and recogniser (ONNX).

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  POST /model/predict    multipart/form-data with a field `image` (PNG or JPEG, color or gray);
                         answers the text lines found, in reading order, each with its box;
                         optional query `classify_direction` (true or false, default true)
  GET  /swagger.json     the Swagger 2.0 description of these routes

The pipeline is PaddleOCR's (tools/infer/predict_system.py), written here with numpy, OpenCV,
pyclipper and onnxruntime: DB text detection, text direction classification (0 or 180 degrees),
CTC text recognition. The detector sees the image as PaddleOCR's inference does (longer side at
most 960, the mean and deviation it was trained with); its post-processing uses the settings of
rapidocr_onnxruntime 1.4.4 (box threshold 0.5, unclip ratio 1.6, 2x2 dilation), which keep a
wider margin around each line. The constants below are the manifest's processing steps; the
model card describes each step.

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy, Pillow, onnxruntime, opencv-python-headless and pyclipper; and model_server.py, which catalog/build.sh puts beside it.
"""

from __future__ import annotations

import io
import math
import urllib.parse
import warnings
from http import HTTPStatus
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pyclipper
from PIL import Image, ImageOps, UnidentifiedImageError

from model_server import MAXHandler, RequestError, run

MODEL_ID = "text-reader"
MODEL_VERSION = "1.0.0"
MAX_IMAGE_PIXELS = 40_000_000

DETECTION_MODEL = "ch_PP-OCRv4_det_infer.onnx"
DIRECTION_MODEL = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
RECOGNITION_MODEL = "ch_PP-OCRv4_rec_infer.onnx"

# Detection (DB). The image is scaled so that its longer side is at most DET_LIMIT_SIDE_LEN (never
# enlarged), each side rounded to a multiple of 32; BGR values / 255 are then normalized per channel.
DET_LIMIT_SIDE_LEN = 960
DET_MEAN = (0.485, 0.456, 0.406)
DET_STD = (0.229, 0.224, 0.225)
DET_THRESHOLD = 0.3  # probability map -> text pixels
DET_DILATION = 2  # the text pixels are dilated with a 2x2 square
DET_BOX_THRESHOLD = 0.5  # mean probability inside a box, or the box is dropped
DET_UNCLIP_RATIO = 1.6  # boxes grow by area * ratio / perimeter
DET_MAX_CANDIDATES = 1000
DET_MIN_SIZE = 3
# Direction classification: crops resized to height 48 (width at most 192), labels 0 and 180 degrees.
CLS_HEIGHT, CLS_WIDTH = 48, 192
CLS_THRESHOLD = 0.9  # a crop is turned only when "180" is this probable
# Recognition (CTC): crops resized to height 48, width 48 * aspect ratio (at least 320 for the batch).
REC_HEIGHT, REC_MIN_WIDTH = 48, 320
BATCH_SIZE = 6
TEXT_THRESHOLD = 0.5  # lines whose mean character probability is lower are dropped
SAME_ROW_PIXELS = 10  # reading order: boxes whose top-left corners are this close in y share a row

# Decoding a huge image is refused rather than attempted: decode_image checks the size before the pixels
# are read, and Pillow itself raises DecompressionBombError beyond twice the limit. Pillow's warnings about
# odd but readable images would only add stray lines to the log.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
warnings.filterwarnings("ignore", module="PIL")

METADATA = {
    "id": MODEL_ID,
    "name": "Text reader (PP-OCRv4)",
    "description": (
        "Finds and reads the lines of printed text in an image: PaddleOCR's PP-OCRv4 mobile text "
        "detector (DB), a 0/180-degree direction classifier and the PP-OCRv4 mobile recogniser "
        "(CTC; Chinese and English, 6,623 characters plus space), run with onnxruntime on CPU. "
        "Answers each line's text, mean character probability and four-corner box, in reading order."
    ),
    "type": "Image-to-Text",
    "source": "https://github.com/PaddlePaddle/PaddleOCR",
    "license": "Apache-2.0",
}


def decode_image(data: bytes) -> np.ndarray:
    """PNG or JPEG bytes -> uint8 BGR array [H, W, 3] (the channel order the models were trained on).

    EXIF orientation is applied; transparent pixels are laid over white.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise RequestError(
                    HTTPStatus.BAD_REQUEST,
                    f"the image has {width}x{height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels are accepted",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                rgba = image.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                image = Image.alpha_composite(white, rgba)
            elif image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
                scale = 1.0 / 257.0 if image.mode.startswith("I;16") or image.mode == "I" else 255.0
                values = np.asarray(image, dtype=np.float64) * scale
                image = Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), mode="L")
            rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    except RequestError:
        raise
    except Image.DecompressionBombError:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the image has more than {MAX_IMAGE_PIXELS:,} pixels") from None
    except UnidentifiedImageError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "the image field is not a PNG, JPEG or other image format Pillow reads") from None
    except Exception as error:  # noqa: BLE001 - whatever a malformed file makes Pillow raise, it is the client's file
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the image field is not a readable PNG or JPEG image ({error})") from None
    if rgb.ndim != 3 or rgb.shape[0] < 1 or rgb.shape[1] < 1:
        raise RequestError(HTTPStatus.BAD_REQUEST, "the image has no pixels")
    return np.ascontiguousarray(rgb[:, :, ::-1])


def detection_input(image: np.ndarray) -> np.ndarray:
    """The detector's input: float32 [1, 3, H', W'].

    H' and W' are the image's sides times min(1, 960 / longer side), each rounded to the nearest
    multiple of 32 (at least 32); bilinear resize; (BGR / 255 - mean) / std per channel.
    """
    height, width = image.shape[:2]
    ratio = min(1.0, DET_LIMIT_SIDE_LEN / max(height, width))
    resized_h = max(int(round(int(height * ratio) / 32) * 32), 32)
    resized_w = max(int(round(int(width * ratio) / 32) * 32), 32)
    resized = cv2.resize(image, (resized_w, resized_h), interpolation=cv2.INTER_LINEAR)
    normalized = (resized.astype(np.float32) / np.float32(255.0) - np.array(DET_MEAN, dtype=np.float32)) / np.array(DET_STD, dtype=np.float32)
    return normalized.transpose(2, 0, 1)[np.newaxis].astype(np.float32)


def _mini_box(contour: np.ndarray) -> tuple[np.ndarray, float]:
    """The minimum-area rectangle around a contour, corners from top-left clockwise, and its shorter side."""
    rectangle = cv2.minAreaRect(contour)
    points = sorted(list(cv2.boxPoints(rectangle)), key=lambda point: point[0])
    left = (points[0], points[1]) if points[1][1] > points[0][1] else (points[1], points[0])
    right = (points[2], points[3]) if points[3][1] > points[2][1] else (points[3], points[2])
    box = np.array([left[0], right[0], right[1], left[1]])
    return box, min(rectangle[1])


def _box_score(probabilities: np.ndarray, box: np.ndarray) -> float:
    """Mean of the probability map inside a box (DB's "fast" score)."""
    height, width = probabilities.shape
    box = box.copy()
    x_min = int(np.clip(np.floor(box[:, 0].min()), 0, width - 1))
    x_max = int(np.clip(np.ceil(box[:, 0].max()), 0, width - 1))
    y_min = int(np.clip(np.floor(box[:, 1].min()), 0, height - 1))
    y_max = int(np.clip(np.ceil(box[:, 1].max()), 0, height - 1))
    mask = np.zeros((y_max - y_min + 1, x_max - x_min + 1), dtype=np.uint8)
    box[:, 0] -= x_min
    box[:, 1] -= y_min
    cv2.fillPoly(mask, box.reshape(1, -1, 2).astype(np.int32), 1)
    return float(cv2.mean(probabilities[y_min:y_max + 1, x_min:x_max + 1], mask)[0])


def _unclip(box: np.ndarray) -> np.ndarray:
    """Grows a box by DB's offset distance, area * unclip ratio / perimeter (rounded joins)."""
    points = box.astype(np.float64)
    x, y = points[:, 0], points[:, 1]
    area = abs(float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))) / 2.0
    perimeter = float(np.sum(np.hypot(np.roll(x, -1) - x, np.roll(y, -1) - y)))
    if perimeter == 0:
        return box.reshape(-1, 1, 2)
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    grown = offset.Execute(area * DET_UNCLIP_RATIO / perimeter)
    if len(grown) != 1:
        return np.zeros((0, 1, 2))
    return np.array(grown[0]).reshape(-1, 1, 2)


def _clockwise(points: np.ndarray) -> np.ndarray:
    """Corners ordered top-left, top-right, bottom-right, bottom-left."""
    by_x = points[np.argsort(points[:, 0]), :]
    left, right = by_x[:2, :], by_x[2:, :]
    top_left, bottom_left = left[np.argsort(left[:, 1]), :]
    top_right, bottom_right = right[np.argsort(right[:, 1]), :]
    return np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)


def text_boxes(probabilities: np.ndarray, image_height: int, image_width: int) -> list[np.ndarray]:
    """DB post-processing: the detector's probability map [H', W'] -> boxes float32 [4, 2] in image pixels.

    Pixels above DET_THRESHOLD, dilated by a 2x2 square, form regions; each region's minimum-area
    rectangle is kept when its shorter side is at least 3 map pixels and its mean probability at
    least DET_BOX_THRESHOLD, then grown by the unclip distance, mapped to image pixels, and dropped
    when a side is 3 pixels or less.
    """
    bitmap = cv2.dilate((probabilities > DET_THRESHOLD).astype(np.uint8), np.ones((DET_DILATION, DET_DILATION), dtype=np.uint8))
    map_height, map_width = bitmap.shape
    contours, _ = cv2.findContours(bitmap * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:DET_MAX_CANDIDATES]:
        points, shorter = _mini_box(contour)
        if shorter < DET_MIN_SIZE:
            continue
        if _box_score(probabilities, points.reshape(-1, 2)) < DET_BOX_THRESHOLD:
            continue
        grown = _unclip(points)
        if len(grown) == 0:
            continue
        box, shorter = _mini_box(grown.astype(np.float32))
        if shorter < DET_MIN_SIZE + 2:
            continue
        box[:, 0] = np.clip(np.round(box[:, 0] / map_width * image_width), 0, image_width)
        box[:, 1] = np.clip(np.round(box[:, 1] / map_height * image_height), 0, image_height)
        box = _clockwise(box.astype(np.int32).astype(np.float32))
        box[:, 0] = np.clip(box[:, 0], 0, image_width - 1).astype(np.int32)
        box[:, 1] = np.clip(box[:, 1], 0, image_height - 1).astype(np.int32)
        if int(np.linalg.norm(box[0] - box[1])) <= 3 or int(np.linalg.norm(box[0] - box[3])) <= 3:
            continue
        boxes.append(box)
    return boxes


def reading_order(boxes: list[np.ndarray]) -> list[np.ndarray]:
    """Top to bottom by the top-left corner, then left to right among boxes within 10 pixels in y."""
    ordered = sorted(boxes, key=lambda box: (float(box[0][1]), float(box[0][0])))
    for index in range(len(ordered) - 1):
        for previous in range(index, -1, -1):
            upper, lower = ordered[previous], ordered[previous + 1]
            if abs(float(lower[0][1]) - float(upper[0][1])) < SAME_ROW_PIXELS and float(lower[0][0]) < float(upper[0][0]):
                ordered[previous], ordered[previous + 1] = lower, upper
            else:
                break
    return ordered


def crop_line(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The box's pixels straightened by a perspective warp (bicubic, replicated border); a crop at
    least 1.5 times taller than wide is turned 90 degrees counter-clockwise."""
    width = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(box.astype(np.float32), target)
    crop = cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if crop.shape[0] / crop.shape[1] >= 1.5:
        crop = np.rot90(crop)
    return crop


def _line_input(crop: np.ndarray, height: int, width: int) -> np.ndarray:
    """A crop resized to `height` (keeping its aspect ratio, at most `width` wide), scaled to
    (BGR / 255 - 0.5) / 0.5 and padded on the right with zeros to `width`: float32 [3, height, width]."""
    resized_w = min(width, int(math.ceil(height * crop.shape[1] / crop.shape[0])))
    resized = cv2.resize(crop, (resized_w, height), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    padded = np.zeros((3, height, width), dtype=np.float32)
    padded[:, :, :resized_w] = (resized.transpose(2, 0, 1) / np.float32(255.0) - np.float32(0.5)) / np.float32(0.5)
    return padded


def _aspect_order(crops: list[np.ndarray]) -> np.ndarray:
    """Crop indices sorted by width / height (stable): batches of similar crops pad the least."""
    return np.argsort(np.array([crop.shape[1] / crop.shape[0] for crop in crops]), kind="stable")


def ctc_decode(probabilities: np.ndarray, characters: list[str]) -> tuple[str, float]:
    """Greedy CTC: the best class per step, repeats merged, blanks (class 0) dropped; the score is
    the mean probability of the characters kept (0 when none)."""
    best = probabilities.argmax(axis=1)
    best_probability = probabilities.max(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    text = "".join(characters[index] for index in best[keep])
    score = float(np.mean(best_probability[keep])) if keep.any() else 0.0
    return text, score


class TextReader:
    """The three ONNX models and the character list, loaded once; `read` is safe to call from many threads."""

    def __init__(self, folder: Path):
        options = ort.SessionOptions()
        options.log_severity_level = 3
        providers = ["CPUExecutionProvider"]
        self.detector = ort.InferenceSession(str(folder / DETECTION_MODEL), options, providers=providers)
        self.direction = ort.InferenceSession(str(folder / DIRECTION_MODEL), options, providers=providers)
        self.recognizer = ort.InferenceSession(str(folder / RECOGNITION_MODEL), options, providers=providers)
        # Class 0 is the CTC blank, then the characters stored in the model (PaddleOCR's
        # ppocr_keys_v1.txt), then the space.
        stored = self.recognizer.get_modelmeta().custom_metadata_map["character"].splitlines()
        self.characters = ["", *stored, " "]
        classes = self.recognizer.get_outputs()[0].shape[-1]
        if len(self.characters) != classes:
            raise SystemExit(f"{RECOGNITION_MODEL}: {len(self.characters)} characters for {classes} classes")

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        tensor = detection_input(image)
        probabilities = self.detector.run(None, {self.detector.get_inputs()[0].name: tensor})[0][0, 0]
        return reading_order(text_boxes(probabilities, image.shape[0], image.shape[1]))

    def orient(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """Turns by 180 degrees the crops that the classifier finds upside down."""
        crops = list(crops)
        order = _aspect_order(crops)
        for start in range(0, len(crops), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            tensor = np.stack([_line_input(crops[index], CLS_HEIGHT, CLS_WIDTH) for index in batch])
            probabilities = self.direction.run(None, {self.direction.get_inputs()[0].name: tensor})[0]
            for index, row in zip(batch, probabilities):
                if int(np.argmax(row)) == 1 and float(row[1]) > CLS_THRESHOLD:
                    crops[index] = cv2.rotate(crops[index], cv2.ROTATE_180)
        return crops

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        order = _aspect_order(crops)
        for start in range(0, len(crops), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            widest = max([REC_MIN_WIDTH / REC_HEIGHT] + [crops[index].shape[1] / crops[index].shape[0] for index in batch])
            width = int(REC_HEIGHT * widest)
            tensor = np.stack([_line_input(crops[index], REC_HEIGHT, width) for index in batch])
            probabilities = self.recognizer.run(None, {self.recognizer.get_inputs()[0].name: tensor})[0]
            for index, steps in zip(batch, probabilities):
                results[index] = ctc_decode(steps, self.characters)
        return results

    def read(self, image: np.ndarray, classify_direction: bool = True) -> list[dict]:
        """A BGR image -> its text lines in reading order: text, probability and box (image pixels,
        corners from top-left clockwise). Without direction classification no line is turned."""
        boxes = self.detect(image)
        if not boxes:
            return []
        crops = [crop_line(image, box) for box in boxes]
        if classify_direction:
            crops = self.orient(crops)
        lines = []
        for box, (text, score) in zip(boxes, self.recognize(crops)):
            if score < TEXT_THRESHOLD:
                continue
            lines.append({
                "text": text,
                "probability": round(score, 6),
                "box": [[int(x), int(y)] for x, y in box.tolist()],
            })
        return lines

    def predict(self, data: bytes, classify_direction: bool = True) -> list[dict]:
        return self.read(decode_image(data), classify_direction)


# --- HTTP ------------------------------------------------------------------------------------------


def parse_classify_direction(query: str) -> bool:
    values = urllib.parse.parse_qs(query, keep_blank_values=True).get("classify_direction")
    if not values:
        return True
    value = values[-1].strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise RequestError(HTTPStatus.BAD_REQUEST, "classify_direction must be true or false")


class Handler(MAXHandler):
    metadata = METADATA
    version = MODEL_VERSION
    server_version = "maxhub-text-reader/" + MODEL_VERSION
    model: TextReader  # set by run()

    def post_predict(self, query: str) -> None:
        classify_direction = parse_classify_direction(query)
        predictions = self.model.predict(self.read_form_field("image", "the image"), classify_direction)
        self.send_json(HTTPStatus.OK, {"status": "ok", "predictions": predictions})

    def predict_operation(self) -> dict:
        return {
            "summary": "Find and read the lines of text in the given image",
            "consumes": ["multipart/form-data"],
            "parameters": [
                {"name": "image", "in": "formData", "type": "file", "required": True,
                 "description": f"An image, PNG or JPEG, color or gray, at most {MAX_IMAGE_PIXELS:,} pixels"},
                {"name": "classify_direction", "in": "query", "type": "boolean", "default": True, "required": False,
                 "description": "Turn lines that the direction classifier finds upside down (false: read every line as it is)"},
            ],
            "responses": {
                "400": {"description": "No image field, not an image, too many pixels, not multipart/form-data, "
                                       "or a bad classify_direction"},
            },
        }

    def predict_definitions(self) -> dict:
        return {
            "TextLine": {
                "type": "object",
                "required": ["text", "probability", "box"],
                "properties": {
                    "text": {"type": "string", "description": "The line's text"},
                    "probability": {"type": "number", "format": "float",
                                    "description": "Mean probability of the line's characters (lines under 0.5 are left out)"},
                    "box": {
                        "type": "array", "minItems": 4, "maxItems": 4,
                        "description": "Corners in image pixels: top-left, top-right, bottom-right, bottom-left, each [x, y]",
                        "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer"}},
                    },
                },
            },
            "ModelPredictResponse": {
                "type": "object",
                "required": ["status", "predictions"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "predictions": {"type": "array", "description": "Lines in reading order: top to bottom, then left to right",
                                    "items": {"$ref": "#/definitions/TextLine"}},
                },
            },
        }


def main() -> None:
    run(Handler, TextReader, f"{MODEL_ID} {MODEL_VERSION}")


if __name__ == "__main__":
    main()
