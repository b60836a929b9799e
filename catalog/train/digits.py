"""Trains digits-classifier and writes its generated files.

UCI handwritten digits as bundled with scikit-learn (1,797 images of 8x8 pixels, values 0..16),
a stratified 80/20 split, StandardScaler + multinomial LogisticRegression with C picked by 5-fold
cross-validation on the training part only, exported to ONNX. The held-out 20% are written as PNG
files with a CSV index (eval/digits-test.csv), and the claims are measured on those files through
serve.py's own preprocessing, so they are what the server answers.

Usage: python digits.py PACKAGE_DIR
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import common

NAME = "digits-classifier"
VERSION = "1.0.0"


def render_png(pixels: np.ndarray) -> bytes:
    """One 8x8 sample as an 8-bit grayscale PNG: pixel = round(value * 255 / 16)."""
    gray = np.rint(pixels.reshape(8, 8) * 255.0 / 16.0).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(gray, mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def main(package: Path) -> None:
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=common.TEST_SIZE, stratify=digits.target, random_state=common.SEED,
    )

    search = GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("classify", common.logistic_regression())]),
        param_grid={"classify__C": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]},
        cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=common.SEED),
        scoring="accuracy",
    )
    search.fit(x_train.astype(np.float64), y_train)
    model = search.best_estimator_

    onnx_bytes = common.export_classifier(
        model, n_features=64, n_classes=10,
        doc="Handwritten digit classifier: 64 pixel values in 0..16 (an 8x8 image, row-major) to the digit 0-9.",
        metadata={"name": NAME, "version": VERSION, "license": "Apache-2.0"},
    )
    common.write_if_changed(package / "model.onnx", onnx_bytes)
    common.write_if_changed(package / "labels.txt", "".join(f"{digit}\n" for digit in range(10)))

    images = package / "eval" / "images"
    rows = ["image,label"]
    wanted = set()
    for index, (pixels, label) in enumerate(zip(x_test, y_test)):
        relative = f"eval/images/{index:04d}.png"
        common.write_if_changed(package / relative, render_png(pixels))
        rows.append(f"{relative},{int(label)}")
        wanted.add(f"{index:04d}.png")
    for stale in images.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    common.write_if_changed(package / "eval" / "digits-test.csv", "\n".join(rows) + "\n")

    # Measure through the served path: PNG bytes -> serve.py preprocessing -> the ONNX model.
    server = common.load_server_module(package)
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    predicted = []
    for index in range(len(y_test)):
        features = server.preprocess_image((images / f"{index:04d}.png").read_bytes())
        probabilities = session.run(["probabilities"], {"input": features})[0][0]
        predicted.append(int(np.argmax(probabilities)))
    measured = common.metrics(y_test, np.array(predicted))

    common.render_manifest(
        Path(__file__).with_name(f"{NAME}.maxhub.yaml.in"), package / "maxhub.yaml",
        {"ACCURACY": common.claim_value(measured["accuracy"]), "MACRO_F1": common.claim_value(measured["macro_f1"])},
    )
    common.check_model_card(package / "README.md", measured)
    print(
        f"{NAME}: C={search.best_params_['classify__C']}, cv accuracy {search.best_score_:.4f}, "
        f"{len(x_train)} train / {len(x_test)} test, accuracy {measured['accuracy']:.4f}, "
        f"macro_f1 {measured['macro_f1']:.4f}",
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: digits.py PACKAGE_DIR")
    main(Path(sys.argv[1]))
