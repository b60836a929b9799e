"""Builds speech-detector: Silero VAD's ONNX model from its PyPI wheel, and an evaluation set of synthetic speech.

The model is copied as it ships in silero-vad 6.2.3 (silero_vad/data/silero_vad_16k_op15.onnx), checked against its
SHA-256. The evaluation set is made here, reproducibly, from what Debian ships:

- sentences spoken by espeak-ng in several English voices and speeds (22,050 Hz), converted by sox to 16 kHz mono
  16-bit without dither;
- each clip 4 to 7 s long: one to three utterances placed at seeded offsets in silence, then mixed by sox with seeded
  noise (white, pink, brown or a mains hum with harmonics) at 30, 20, 10 or 5 dB below the speech, plus clips of
  noise alone;
- the truth: where the clean speech signal is voiced, from its own energy in 10 ms frames (above -40 dB of its peak),
  with gaps under 200 ms inside an utterance counted as speech (pauses between words), written as
  "START-END START-END" in seconds.

frame_f1 is measured through serve.py's own decoding, model and segmentation (10 ms frames, speech the positive
class), so it is what the server answers. Writes model.onnx, eval/speech-test.csv, eval/audio/*.wav and maxhub.yaml.

Usage: python speech.py PACKAGE_DIR
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

import common

NAME = "speech-detector"
SAMPLE_RATE = 16_000
FRAME_SECONDS = 0.01
# silero-vad 6.2.3's 16 kHz model, opset 15 (the wheel also has an 8/16 kHz one; this one is half the size).
MODEL_IN_WHEEL = "silero_vad/data/silero_vad_16k_op15.onnx"
MODEL_SHA256 = "7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49"
CLIPS = 72
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Please leave the package at the front desk.",
    "Turn left at the second traffic light.",
    "Our meeting has been moved to Thursday afternoon.",
    "Seven hundred and twenty four.",
    "The weather will be cloudy with light rain.",
    "Can you hear me clearly now?",
    "Remember to back up your files every evening.",
    "The train to the airport leaves from platform nine.",
    "She sells sea shells by the sea shore.",
    "Add two cups of flour and a pinch of salt.",
    "Thank you for calling, how can I help?",
    "The results will be ready in about an hour.",
    "Switch off the lights when you leave the room.",
    "A model hub keeps every version of every model.",
    "Good morning, everyone.",
    "Yes.",
    "No, not today.",
]
VOICES = ["en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en+f3", "en-us+m3", "en+f2", "en-us+f4"]
SPEEDS = [130, 150, 170, 190]
NOISE_LEVELS_DB = [None, 30, 20, 10, 5]  # speech-to-noise ratio; None: silence only
NOISES = ["white", "pink", "brown", "hum"]


def run(*command: str) -> None:
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as reader:
        if reader.getframerate() != SAMPLE_RATE or reader.getnchannels() != 1 or reader.getsampwidth() != 2:
            raise SystemExit(f"{path}: expected 16 kHz mono 16-bit")
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float64) / 32768.0


def write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = np.clip(np.rint(samples * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
    common.write_if_changed(path, buffer.getvalue())


def speak(text: str, voice: str, speed: int, work: Path) -> np.ndarray:
    """espeak-ng's rendering of `text`, at 16 kHz mono by sox, without its leading and trailing silence."""
    raw, converted = work / "raw.wav", work / "speech.wav"
    run("espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text)
    run("sox", "-D", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted))
    samples = read_wav(converted)
    active = np.flatnonzero(np.abs(samples) > 1e-3)
    return samples[active[0]:active[-1] + 1] if active.size else samples


def noise(kind: str, count: int, rng: np.random.Generator) -> np.ndarray:
    """Seeded noise of unit RMS."""
    if kind == "hum":
        t = np.arange(count) / SAMPLE_RATE
        signal = sum(np.sin(2 * np.pi * 50 * k * t + rng.uniform(0, 2 * np.pi)) / k for k in (1, 2, 3, 5))
        signal = signal + 0.05 * rng.standard_normal(count)
    else:
        white = rng.standard_normal(count)
        if kind == "white":
            signal = white
        else:
            spectrum = np.fft.rfft(white)
            frequencies = np.fft.rfftfreq(count, 1 / SAMPLE_RATE)
            frequencies[0] = frequencies[1]
            spectrum /= np.sqrt(frequencies) if kind == "pink" else frequencies
            signal = np.fft.irfft(spectrum, count)
    return signal / np.sqrt(np.mean(signal ** 2))


def speech_frames(clean: np.ndarray) -> np.ndarray:
    """Truth per 10 ms frame: the clean speech's frame energy within 40 dB of its loudest frame, gaps < 200 ms filled."""
    size = int(SAMPLE_RATE * FRAME_SECONDS)
    count = len(clean) // size
    energy = np.mean(clean[:count * size].reshape(count, size) ** 2, axis=1)
    if energy.max() == 0:
        return np.zeros(count, dtype=bool)
    active = energy > energy.max() * 1e-4
    indices = np.flatnonzero(active)
    for before, after in zip(indices[:-1], indices[1:]):
        if 1 < after - before <= 20:
            active[before:after] = True
    return active


def segments(frames: np.ndarray) -> str:
    """Frames as "START-END ..." in seconds, three decimals."""
    parts, start = [], None
    for index, value in enumerate(list(frames) + [False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            parts.append(f"{start * FRAME_SECONDS:.3f}-{index * FRAME_SECONDS:.3f}")
            start = None
    return " ".join(parts)


def make_clip(index: int, rng: np.random.Generator, work: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """One clip: (the mixed samples, the clean speech, a note of what it holds)."""
    seconds = float(rng.choice([4.0, 5.0, 6.0, 7.0]))
    length = int(seconds * SAMPLE_RATE)
    clean = np.zeros(length)
    level = NOISE_LEVELS_DB[index % len(NOISE_LEVELS_DB)]
    kind = NOISES[(index // len(NOISE_LEVELS_DB)) % len(NOISES)]
    utterances = 0 if index % 12 == 11 else int(rng.integers(1, 4))
    cursor = int(rng.uniform(0.2, 1.0) * SAMPLE_RATE)
    for _ in range(utterances):
        text = SENTENCES[int(rng.integers(len(SENTENCES)))]
        voice = VOICES[int(rng.integers(len(VOICES)))]
        speed = SPEEDS[int(rng.integers(len(SPEEDS)))]
        speech = speak(text, voice, speed, work) * float(rng.uniform(0.3, 0.9)) / 0.9
        if cursor + len(speech) > length - int(0.2 * SAMPLE_RATE):
            break
        clean[cursor:cursor + len(speech)] += speech
        cursor += len(speech) + int(rng.uniform(0.3, 1.5) * SAMPLE_RATE)
    # sox mixes the speech with the noise, both written as 16-bit WAV; -D: no dither, so the same bytes every run.
    speech_file, noise_file, mixed_file = work / "clean.wav", work / "noise.wav", work / "mixed.wav"
    write_wav(speech_file, clean)
    if level is None and utterances:
        mixed = read_wav(speech_file)
        note = "silence"
    else:
        peak = np.abs(clean).max()
        speech_rms = np.sqrt(np.mean(clean[np.abs(clean) > 1e-3] ** 2)) if peak > 0 else 0.05
        noise_db = level if level is not None else 20
        write_wav(noise_file, noise(kind, length, rng) * speech_rms * 10 ** (-noise_db / 20))
        run("sox", "-D", "-m", str(speech_file), str(noise_file), "-b", "16", str(mixed_file))
        mixed = read_wav(mixed_file)
        note = f"{kind} noise, {noise_db} dB below the speech"
    return mixed, read_wav(speech_file), f"{utterances} utterances, {note}"


def frames_of(spans: list[tuple[float, float]], count: int) -> np.ndarray:
    """Speech per 10 ms frame: a frame is speech when its middle lies in a span."""
    middles = (np.arange(count) + 0.5) * FRAME_SECONDS
    frames = np.zeros(count, dtype=bool)
    for start, end in spans:
        frames |= (middles >= start) & (middles < end)
    return frames


def parse(label: str) -> list[tuple[float, float]]:
    return [tuple(float(value) for value in part.split("-")) for part in label.split()]


def main(package: Path) -> None:
    # The wheel's package imports torch; only its data file is needed, so it is found without being imported.
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{NAME}: silero-vad is not installed (catalog/requirements.txt)")
    wheel_model = Path(list(spec.submodule_search_locations)[0]).parent / MODEL_IN_WHEEL
    model = wheel_model.read_bytes()
    digest = hashlib.sha256(model).hexdigest()
    if digest != MODEL_SHA256:
        raise SystemExit(f"{wheel_model}: sha256 {digest}, expected {MODEL_SHA256} (silero-vad 6.2.3)")
    common.write_if_changed(package / "model.onnx", model)

    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{NAME}: {tool} is not installed (apt-get install espeak-ng sox)")

    rng = np.random.default_rng(common.SEED)
    rows, wanted, notes = ["audio,label"], set(), []
    with tempfile.TemporaryDirectory() as scratch:
        for index in range(CLIPS):
            mixed, clean, note = make_clip(index, rng, Path(scratch))
            relative = f"eval/audio/{index:03d}.wav"
            write_wav(package / relative, mixed)
            rows.append(f"{relative},{segments(speech_frames(clean))}")
            wanted.add(f"{index:03d}.wav")
            notes.append(note)
    for stale in (package / "eval" / "audio").glob("*.wav"):
        if stale.name not in wanted:
            stale.unlink()
    common.write_if_changed(package / "eval" / "speech-test.csv", "\n".join(rows) + "\n")

    # Measure through the served path: WAV bytes -> serve.py's decoding, the model, its segmentation.
    server = common.load_server_module(package)
    detector = server.SpeechDetector(package)
    true_positive = false_positive = false_negative = 0
    for row in rows[1:]:
        relative, label = row.split(",")
        answer = detector.detect((package / relative).read_bytes())
        count = int(round(answer["duration"] / FRAME_SECONDS)) + 1
        truth = frames_of(parse(label), count)
        predicted = frames_of([(p["start"], p["end"]) for p in answer["predictions"]], count)
        true_positive += int(np.sum(truth & predicted))
        false_positive += int(np.sum(~truth & predicted))
        false_negative += int(np.sum(truth & ~predicted))
    frame_f1 = 2 * true_positive / (2 * true_positive + false_positive + false_negative)

    common.render_manifest(
        Path(__file__).with_name(f"{NAME}.maxhub.yaml.in"), package / "maxhub.yaml",
        {"FRAME_F1": common.claim_value(frame_f1)},
    )
    common.check_model_card(package / "README.md", {"frame_f1": frame_f1})
    print(f"{NAME}: {CLIPS} clips, {sum('0 utterances' in n for n in notes)} without speech, frame_f1 {frame_f1:.4f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: speech.py PACKAGE_DIR")
    main(Path(sys.argv[1]))
