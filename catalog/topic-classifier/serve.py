"""topic-classifier server: IBM MAX's model API over the package's ONNX model.

Routes:
  GET  /model/metadata   the model's id, name, description, type, source and license
  GET  /model/labels     the six topics
  POST /model/predict    a JSON body {"text": ["first sentence", "second sentence", ...]} (1 to 64
                         strings of at most 10,000 characters each); optional query `top_k` (1-6,
                         default 3); one list of predictions per text, best first
  GET  /swagger.json     the Swagger 2.0 description of these routes

The text is tokenized here, in pure Python, exactly as the `tokenizers` library does with the
package's vocab.txt (BERT uncased WordPiece, at most 128 tokens); the model (model.onnx) holds the
sentence encoder, the mean pooling, the L2 normalisation and the classification head.

Environment: HOST (default 0.0.0.0), PORT (default 5000), MAXHUB_MODEL_DIR (default: this folder).
Dependencies: the standard library, numpy and onnxruntime; and model_server.py, which catalog/build.sh puts beside it.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.parse
from http import HTTPStatus
from pathlib import Path

import numpy as np
import onnxruntime as ort

from model_server import MAXHandler, RequestError, run

MODEL_ID = "topic-classifier"
MODEL_VERSION = "1.0.0"
MAX_TEXTS = 64
MAX_TEXT_CHARS = 10_000
MAX_LENGTH = 128  # tokens per text, [CLS] and [SEP] included
DEFAULT_TOP_K = 3

METADATA = {
    "id": MODEL_ID,
    "name": "Topic classifier for short English sentences",
    "description": (
        "Classifies short English sentences by topic: finance, food, health, sports, technology or weather. "
        "The sentence-transformers all-MiniLM-L6-v2 encoder turns each text (at most 128 WordPiece tokens) "
        "into a normalised 384-dimensional embedding; a logistic regression head trained on hand-written "
        "sentences gives one probability per topic."
    ),
    "type": "Text Classification",
    "source": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
    "license": "Apache-2.0",
}


SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
SPECIAL_PATTERN = re.compile("|".join(re.escape(token) for token in SPECIAL_TOKENS))

# Unicode's White_Space property (what Rust's char::is_whitespace tests).
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
CJK_RANGES = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
)


def is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in CJK_RANGES)


def normalize_text(text: str, lowercase: bool = True) -> str:
    """BERT's text normalisation, in the order `tokenizers` applies it:

    1. clean: drop NUL, U+FFFD and control or other format characters (Unicode category C*, but not
       tab, newline or carriage return); every whitespace character becomes a space;
    2. put spaces around each CJK ideograph;
    3. when lowercasing: strip accents (NFD, then drop the nonspacing marks, category Mn);
    4. lowercase, one character at a time (so a final capital sigma becomes σ, not ς).
    """
    out = []
    for char in text:
        if char == "\0" or char == "\ufffd":
            continue
        if char not in "\t\n\r" and unicodedata.category(char)[0] == "C":
            continue
        if char in WHITESPACE:
            out.append(" ")
        elif is_cjk(ord(char)):
            out.append(f" {char} ")
        else:
            out.append(char)
    text = "".join(out)
    if lowercase:
        text = "".join(char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn")
        text = "".join(char.lower() for char in text)
    return text


def split_words(text: str) -> list[str]:
    """BERT's pre-tokenisation: split on whitespace, and make each punctuation character (ASCII
    punctuation or Unicode category P*) a word of its own."""
    words = []
    current = []
    for char in text:
        if char in WHITESPACE:
            if current:
                words.append("".join(current))
                current = []
        elif char in ASCII_PUNCTUATION or unicodedata.category(char)[0] == "P":
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


class WordPieceTokenizer:
    """BERT uncased WordPiece over a vocab.txt (one token per line, the line number is its id)."""

    def __init__(self, vocabulary: Path, lowercase: bool = True, max_length: int = MAX_LENGTH,
                 max_input_chars_per_word: int = 100):
        tokens = vocabulary.read_text(encoding="utf-8").split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        self.vocab = {}
        for index, token in enumerate(tokens):
            self.vocab.setdefault(token, index)
        self.lowercase = lowercase
        self.max_length = max_length
        self.max_input_chars_per_word = max_input_chars_per_word
        # No vocabulary entry is longer than this, so longer candidates need no lookup.
        self.longest = max(len(token) for token in self.vocab)
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.pad = self.vocab["[PAD]"]

    def wordpiece(self, word: str) -> list[int]:
        """Greedy longest-match-first split of one word; [UNK] for the whole word when a part of it
        matches nothing or when it is longer than 100 characters."""
        if len(word) > self.max_input_chars_per_word:
            return [self.unk]
        pieces = []
        start = 0
        while start < len(word):
            end = min(len(word), start + self.longest)
            found = None
            while start < end:
                candidate = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(candidate)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str) -> list[int]:
        """Token ids of one text: [CLS], at most max_length - 2 word pieces, [SEP]."""
        budget = self.max_length - 2
        ids: list[int] = []
        position = 0
        segments = []
        for match in SPECIAL_PATTERN.finditer(text):
            segments.append((text[position:match.start()], None))
            segments.append(("", self.vocab[match.group()]))
            position = match.end()
        segments.append((text[position:], None))
        for segment, special in segments:
            if len(ids) >= budget:
                break
            if special is not None:
                ids.append(special)
                continue
            for word in split_words(normalize_text(segment, self.lowercase)):
                ids.extend(self.wordpiece(word))
                if len(ids) >= budget:
                    break
        return [self.cls] + ids[:budget] + [self.sep]

    def batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """input_ids and attention_mask, int64 [N, L], padded with [PAD] to the longest text."""
        encoded = [self.encode(text) for text in texts]
        length = max(len(ids) for ids in encoded)
        input_ids = np.full((len(encoded), length), self.pad, dtype=np.int64)
        attention_mask = np.zeros((len(encoded), length), dtype=np.int64)
        for row, ids in enumerate(encoded):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        return input_ids, attention_mask


class TopicModel:
    """The tokenizer, the ONNX model and the labels, loaded once; `predict` is safe to call from many threads."""

    def __init__(self, folder: Path, threads: int = 0):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: onnxruntime's default (one per core)
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self.tokenizer = WordPieceTokenizer(folder / "vocab.txt", lowercase=True, max_length=MAX_LENGTH)
        self.labels = [line.strip() for line in (folder / "labels.txt").read_text(encoding="utf-8").splitlines() if line.strip()]

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """float32 [N, K]: one probability per topic for each text."""
        input_ids, attention_mask = self.tokenizer.batch(texts)
        return self.session.run(["probabilities"], {"input_ids": input_ids, "attention_mask": attention_mask})[0]

    def predict(self, texts: list[str], top_k: int) -> list[list[dict]]:
        answers = []
        for probabilities in self.probabilities(texts):
            order = sorted(range(len(probabilities)), key=lambda index: (-float(probabilities[index]), index))
            answers.append([
                {"label_id": index, "label": self.labels[index], "probability": round(float(probabilities[index]), 6)}
                for index in order[:top_k]
            ])
        return answers


def parse_top_k(query: str, count: int) -> int:
    values = urllib.parse.parse_qs(query, keep_blank_values=True).get("top_k")
    if not values:
        return min(DEFAULT_TOP_K, count)
    try:
        top_k = int(values[-1])
    except ValueError:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"top_k must be an integer from 1 to {count}") from None
    if not 1 <= top_k <= count:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"top_k must be an integer from 1 to {count}")
    return top_k


def parse_texts(body: bytes) -> list[str]:
    """The `text` list of a JSON body {"text": ["...", ...]}: 1 to 64 strings of at most 10,000 characters."""
    usage = 'send a JSON object {"text": ["first text", "second text", ...]}'
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the body is not UTF-8: {usage}") from None
    except (ValueError, RecursionError) as error:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the body is not valid JSON ({error}): {usage}") from None
    if not isinstance(document, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the body is not a JSON object: {usage}")
    if "text" not in document:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"no 'text' key in the body: {usage}")
    texts = document["text"]
    if isinstance(texts, str):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"'text' must be a list of strings, even for one text: {usage}")
    if not isinstance(texts, list):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"'text' must be a list of strings: {usage}")
    if not 1 <= len(texts) <= MAX_TEXTS:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"'text' must hold 1 to {MAX_TEXTS} strings, not {len(texts)}")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise RequestError(HTTPStatus.BAD_REQUEST, f"text[{index}] is not a string")
        if len(text) > MAX_TEXT_CHARS:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"text[{index}] is longer than {MAX_TEXT_CHARS:,} characters")
    return texts


class Handler(MAXHandler):
    metadata = METADATA
    version = MODEL_VERSION
    has_labels = True
    consumes = ["application/json"]
    server_version = "maxhub-topic-classifier/" + MODEL_VERSION
    model: TopicModel  # set by run()

    def post_predict(self, query: str) -> None:
        top_k = parse_top_k(query, len(self.model.labels))
        texts = parse_texts(self.read_body())
        predictions = self.model.predict(texts, top_k)
        self.send_json(HTTPStatus.OK, {"status": "ok", "predictions": predictions})

    def predict_operation(self) -> dict:
        error = {"$ref": "#/definitions/Error"}
        labels = self.model.labels
        return {
            "summary": "Predict the topic of each given text",
            "consumes": ["application/json"],
            "parameters": [
                {"name": "body", "in": "body", "required": True, "schema": {"$ref": "#/definitions/ModelInput"}},
                {"name": "top_k", "in": "query", "type": "integer", "minimum": 1, "maximum": len(labels),
                 "default": min(DEFAULT_TOP_K, len(labels)), "required": False,
                 "description": "How many predictions to return for each text"},
            ],
            "responses": {
                "400": {"description": "Not JSON, no text list, not strings, too many or too long texts, or a bad top_k"},
            },
        }

    def predict_definitions(self) -> dict:
        return {
            "ModelInput": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_TEXTS,
                        "items": {"type": "string", "maxLength": MAX_TEXT_CHARS},
                        "description": "The texts to classify (English; only the first 126 word pieces of each are read)",
                    },
                },
            },
            "ModelPredictResponse": {
                "type": "object",
                "required": ["status", "predictions"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "predictions": {
                        "type": "array",
                        "description": "One list per input text, in input order, most probable topic first",
                        "items": {"type": "array", "items": {"$ref": "#/definitions/LabelPrediction"}},
                    },
                },
            },
        }


def main() -> None:
    run(Handler, TopicModel, f"{MODEL_ID} {MODEL_VERSION}")


if __name__ == "__main__":
    main()
