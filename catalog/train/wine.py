"""Trains wine-classifier and writes its generated files.

UCI Wine as bundled with scikit-learn (178 wines, 13 chemical measurements, 3 cultivars), a
stratified 80/20 split, StandardScaler + multinomial LogisticRegression exported to ONNX (the
scaling is inside the graph, so the model takes raw measurements). The held-out 20% are written
unscaled to eval/wine-test.csv and the claims are measured on that file.

Usage: python wine.py PACKAGE_DIR
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import common

NAME = "wine-classifier"
VERSION = "1.0.0"


def main(package: Path) -> None:
    wine = load_wine()
    features = list(wine.feature_names)
    x_train, x_test, y_train, y_test = train_test_split(
        wine.data, wine.target, test_size=common.TEST_SIZE, stratify=wine.target, random_state=common.SEED,
    )

    model = Pipeline([("scale", StandardScaler()), ("classify", common.logistic_regression(C=1.0))])
    model.fit(x_train.astype(np.float64), y_train)

    onnx_bytes = common.export_classifier(
        model, n_features=len(features), n_classes=3,
        doc="Wine cultivar classifier: 13 chemical measurements (raw units, in the order of the manifest) to class 0-2.",
        metadata={"name": NAME, "version": VERSION, "license": "Apache-2.0", "features": ",".join(features)},
    )
    common.write_if_changed(package / "model.onnx", onnx_bytes)
    common.write_if_changed(package / "labels.txt", "".join(f"{name}\n" for name in wine.target_names))

    # repr() of a float is its shortest exact form: the file holds the bundled values unchanged.
    lines = [",".join(features + ["label"])]
    for row, label in zip(x_test, y_test):
        lines.append(",".join([repr(float(value)) for value in row] + [str(int(label))]))
    csv_path = package / "eval" / "wine-test.csv"
    common.write_if_changed(csv_path, "\n".join(lines) + "\n")

    # Measure from the shipped file, as a client of the package would.
    with csv_path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    x_eval = np.array([[float(row[name]) for name in features] for row in rows], dtype=np.float32)
    y_eval = np.array([int(row["label"]) for row in rows])
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    labels = session.run(["label"], {"input": x_eval})[0]
    measured = common.metrics(y_eval, labels)

    common.render_manifest(
        Path(__file__).with_name(f"{NAME}.maxhub.yaml.in"), package / "maxhub.yaml",
        {
            "ACCURACY": common.claim_value(measured["accuracy"]),
            "MACRO_F1": common.claim_value(measured["macro_f1"]),
            "FEATURES": "[" + ", ".join(features) + "]",
        },
    )
    common.check_model_card(package / "README.md", measured)
    print(
        f"{NAME}: {len(x_train)} train / {len(x_test)} test, accuracy {measured['accuracy']:.4f}, "
        f"macro_f1 {measured['macro_f1']:.4f}",
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: wine.py PACKAGE_DIR")
    main(Path(sys.argv[1]))
