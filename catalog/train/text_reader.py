"""Writes text-reader's generated files: the models, the evaluation set, and maxhub.yaml with the measured claims.

No training: the three PP-OCRv4 ONNX models are copied out of the installed wheel
rapidocr-onnxruntime 1.4.4 (pinned in catalog/requirements.txt, installed with --no-deps by build.sh) and
checked against the SHA-256 digests below, so a different wheel stops the build. The evaluation
set is made here: 144 single lines of text (words, numbers, dates, codes, punctuation) drawn with
a seeded random.Random, rendered with Pillow in Debian's DejaVu fonts (package fonts-dejavu-core)
in several faces, sizes and dark-on-light colours, about a fifth of them slightly rotated and a fifth
with seeded Gaussian noise; eval/images/NNNN.png with eval/lines.csv (image,label). The claims
(cer, accuracy) are measured on those files through serve.py's own decoding and pipeline, so
they are what the server answers.

Usage: python text_reader.py PACKAGE_DIR
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import io
import random
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import common

NAME = "text-reader"
VERSION = "1.0.0"

WHEEL = "rapidocr-onnxruntime"
WHEEL_VERSION = "1.4.4"
MODELS = {
    "ch_PP-OCRv4_det_infer.onnx": "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    "ch_ppocr_mobile_v2.0_cls_infer.onnx": "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
    "ch_PP-OCRv4_rec_infer.onnx": "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
}

# The fonts of Debian bookworm's fonts-dejavu-core 2.37-6: other bytes would draw other images.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "DejaVuSans.ttf": "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
    "DejaVuSans-Bold.ttf": "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
    "DejaVuSerif.ttf": "13e61509f5c81d7c3132810f4f903e3523df89c802bf6e0674621e8f659cdfe1",
    "DejaVuSerif-Bold.ttf": "e2fd85eba2de65ac270d1cdb1685e252eb827f600850cf62af2d20c41b22e945",
    "DejaVuSansMono.ttf": "0f5db4f1749979d961019838b160bec74abdf7f9eca69553fe1aa856bbff49a4",
    "DejaVuSansMono-Bold.ttf": "2964f6dac8e6e9d71613928340f17bf868e9ea51692cca333c79e74962f02233",
}

WORDS = (
    "account address annual answer balance budget business calendar capital center change channel "
    "chapter charge check client coffee company contract control corner county credit culture "
    "customer delivery design detail device direction distance document dollar energy engine "
    "evening example factory family figure finance garden general ground harbor health history "
    "holiday income invoice island journey kitchen language letter library market matter meeting "
    "message method minute morning mountain network notice number office order package paper "
    "payment people picture planet pocket police power price print problem product program project "
    "quality quarter question railway receipt record region report result river sales schedule "
    "science season second service shipping signal station status street student summary supply "
    "support system table theory ticket total travel update value village volume warehouse water "
    "weather window winter"
).split()
NAMES = "Anna Brown Clark Diaz Evans Fischer Garcia Hughes Jones Keller Lopez Martin Nolan Olsen Patel Quinn Reed Smith Turner Walsh".split()
MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as in most real code schemes


# --- the evaluation set ----------------------------------------------------------------------------


def words(rng: random.Random, count: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(count)]
    style = rng.random()
    if style < 0.45:
        return " ".join(chosen).capitalize()
    if style < 0.75:
        return " ".join(word.capitalize() for word in chosen)
    if style < 0.9:
        return " ".join(chosen)
    return " ".join(chosen).upper()


def number(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.randrange(1000, 9_999_999):,}"
    if kind == 1:
        return f"{rng.uniform(0, 1000):.{rng.randrange(1, 5)}f}"
    if kind == 2:
        return f"-{rng.uniform(1, 500):.2f}"
    if kind == 3:
        return f"{rng.uniform(0, 100):.1f}%"
    if kind == 4:
        return f"${rng.randrange(1, 99_999):,}.{rng.randrange(100):02d}"
    return str(rng.randrange(10, 10 ** rng.randrange(3, 9)))


def date(rng: random.Random) -> str:
    year, month, day = rng.randrange(1990, 2031), rng.randrange(1, 13), rng.randrange(1, 29)
    hour, minute, second = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    kind = rng.randrange(7)
    if kind == 0:
        return f"{year}-{month:02d}-{day:02d}"
    if kind == 1:
        return f"{day:02d}/{month:02d}/{year}"
    if kind == 2:
        return f"{MONTHS[month - 1]} {day}, {year}"
    if kind == 3:
        return f"{DAYS[rng.randrange(7)]} {day} {MONTHS[month - 1][:3]} {year}"
    if kind == 4:
        return f"{hour:02d}:{minute:02d}"
    if kind == 5:
        return f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
    return f"{day}.{month}.{year}"


def letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(CODE_LETTERS) for _ in range(count))


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def code(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return f"INV-{rng.randrange(2015, 2031)}-{digits(rng, 4)}"
    if kind == 1:
        return f"SKU {letters(rng, 2)}-{digits(rng, 4)}-{letters(rng, 1)}"
    if kind == 2:
        return f"PO#{digits(rng, 5)}"
    if kind == 3:
        return f"REF/{rng.randrange(2015, 2031)}/{digits(rng, 5)}"
    if kind == 4:
        return f"{letters(rng, 3)}-{digits(rng, 3)}-{letters(rng, 2)}{digits(rng, 1)}"
    if kind == 5:
        return f"ISBN 978-{rng.randrange(10)}-{digits(rng, 3)}-{digits(rng, 5)}-{rng.randrange(10)}"
    if kind == 6:
        return f"Order No. {digits(rng, 6)}"
    return f"{letters(rng, 2)}{digits(rng, 2)} {letters(rng, 3)}"


def punctuated(rng: random.Random) -> str:
    word, other, name = rng.choice(WORDS), rng.choice(WORDS), rng.choice(NAMES)
    kind = rng.randrange(10)
    if kind == 0:
        return f"{word.capitalize()}, {other}!"
    if kind == 1:
        return f"Is the {word} ready?"
    if kind == 2:
        return f"Call ({digits(rng, 3)}) {digits(rng, 3)}-{digits(rng, 4)}"
    if kind == 3:
        return f"{name.lower()}.{word}@example.com"
    if kind == 4:
        return f"Q&A: see p. {rng.randrange(2, 400)}"
    if kind == 5:
        return f'"{word.capitalize()} {other}"'
    if kind == 6:
        return f"{name}'s {word}; {other}."
    if kind == 7:
        return f"Total: ${rng.randrange(10, 9999):,}.{rng.randrange(100):02d}"
    if kind == 8:
        return f"[{word}] ({other})"
    return f"{word}/{other} - {rng.randrange(1, 100)}"


def sentence(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"Order {digits(rng, 4)} shipped on {date(rng)}."
    if kind == 1:
        return f"{rng.choice(NAMES)} paid {number(rng)} for {rng.randrange(2, 40)} {rng.choice(WORDS)}s"
    if kind == 2:
        return f"Room {rng.randrange(100, 999)}, floor {rng.randrange(1, 30)}"
    return f"{words(rng, 2)} at {rng.randrange(1, 13)}:{rng.randrange(60):02d} pm"


# (kind of line, how many): 144 lines.
KINDS = [
    (lambda rng: words(rng, rng.randrange(1, 5)), 36),
    (number, 22),
    (date, 22),
    (code, 26),
    (punctuated, 24),
    (sentence, 14),
]


def check_fonts() -> None:
    for name, digest in FONTS.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise SystemExit(f"{path} is missing: apt-get install fonts-dejavu-core")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise SystemExit(f"{path} is not the font of fonts-dejavu-core 2.37-6 (Debian bookworm); the images would differ")


def render(text: str, rng: random.Random, noise: np.random.Generator) -> bytes:
    """One line of text as a PNG: a DejaVu face at 22-40 px, dark ink on light paper, 12-39 px
    margins left and right and 10-23 px above and below; about a fifth of the lines turned by 0.5-3
    degrees, another fifth with Gaussian noise (sigma 3-10)."""
    font = ImageFont.truetype(str(FONT_DIR / rng.choice(sorted(FONTS))), rng.randrange(22, 41), layout_engine=ImageFont.Layout.BASIC)
    ink_level = rng.randrange(0, 70)
    ink = [ink_level] * 3
    tint = rng.randrange(4)
    if tint == 1:
        ink[2] = ink_level + 90  # dark blue
    elif tint == 2:
        ink[0] = ink_level + 100  # dark red
    paper_level = rng.randrange(215, 256)
    paper = (paper_level, min(255, paper_level + rng.randrange(0, 8)), max(0, paper_level - rng.randrange(0, 12)))
    left, top, right, bottom = font.getbbox(text)
    margin_x, margin_y = rng.randrange(12, 40), rng.randrange(10, 24)
    image = Image.new("RGB", (right - left + 2 * margin_x, bottom - top + 2 * margin_y), paper)
    ImageDraw.Draw(image).text((margin_x - left, margin_y - top), text, font=font, fill=tuple(ink))
    effect = rng.random()
    if effect < 0.2:
        angle = rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
    elif effect < 0.4:
        sigma = rng.uniform(3.0, 10.0)
        pixels = np.asarray(image, dtype=np.float64) + noise.normal(0.0, sigma, size=(image.height, image.width, 1))
        image = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), mode="RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_eval_set(package: Path) -> list[tuple[str, str]]:
    """Writes eval/images/NNNN.png and eval/lines.csv; returns the (image, label) rows."""
    check_fonts()
    rng = random.Random(common.SEED)
    noise = np.random.default_rng(common.SEED)
    lines = [make(rng) for make, count in KINDS for _ in range(count)]
    rng.shuffle(lines)
    images = package / "eval" / "images"
    rows, wanted = [], set()
    for index, text in enumerate(lines):
        relative = f"eval/images/{index:04d}.png"
        common.write_if_changed(package / relative, render(text, rng, noise))
        rows.append((relative, text))
        wanted.add(f"{index:04d}.png")
    for stale in images.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["image", "label"])
    writer.writerows(rows)
    common.write_if_changed(package / "eval" / "lines.csv", buffer.getvalue())
    return rows


# --- the models ------------------------------------------------------------------------------------


def copy_models(package: Path) -> None:
    try:
        wheel = importlib.metadata.distribution(WHEEL)
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(f"{WHEEL} is not installed: python -m pip install --no-deps {WHEEL}=={WHEEL_VERSION}") from None
    if wheel.version != WHEEL_VERSION:
        raise SystemExit(f"{WHEEL} {wheel.version} is installed; the package is built from {WHEEL_VERSION}")
    for name, digest in MODELS.items():
        data = Path(wheel.locate_file(f"rapidocr_onnxruntime/models/{name}")).read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if found != digest:
            raise SystemExit(f"{WHEEL} {wheel.version}: {name} has SHA-256 {found}, expected {digest}")
        common.write_if_changed(package / name, data)


# --- measuring -------------------------------------------------------------------------------------


def measure(package: Path, rows: list[tuple[str, str]]) -> tuple[dict[str, float], list[tuple[str, str, str]]]:
    """cer and accuracy of the server's answers: the predictions' texts joined with one space,
    compared with the label as it is. Returns the metrics and the (image, label, read) misses."""
    server = common.load_server_module(package)
    reader = server.TextReader(package)
    distance = length = exact = 0
    misses = []
    for image, label in rows:
        read = " ".join(line["text"] for line in reader.predict((package / image).read_bytes()))
        distance += common.levenshtein(read, label)
        length += len(label)
        exact += read == label
        if read != label:
            misses.append((image, label, read))
    return {"cer": distance / length, "accuracy": exact / len(rows)}, misses


def main(package: Path) -> None:
    started = time.monotonic()
    copy_models(package)
    rows = write_eval_set(package)
    measured, misses = measure(package, rows)
    common.render_manifest(
        Path(__file__).with_name(f"{NAME}.maxhub.yaml.in"), package / "maxhub.yaml",
        {"CER": common.claim_value(measured["cer"]), "ACCURACY": common.claim_value(measured["accuracy"])},
    )
    common.check_model_card(package / "README.md", measured)
    print(
        f"{NAME}: {len(rows)} lines, cer {measured['cer']:.4f}, accuracy {measured['accuracy']:.4f} "
        f"({len(misses)} lines not read exactly), {time.monotonic() - started:.1f} s",
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: text_reader.py PACKAGE_DIR")
    main(Path(sys.argv[1]))
