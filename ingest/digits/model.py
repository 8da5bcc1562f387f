"""The glyph classifier: a small numpy MLP over digits, separators and a reject class."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from archive.thai import THAI_DIGITS
from ingest.digits.segment import FEATURES, GLYPH_SIZE

ARABIC_DIGITS = "0123456789"
SEPARATORS = "-/.,"
REJECT = "?"  # anything else: Thai letters, vowels, marks, Latin letters, other punctuation
CLASSES: tuple[str, ...] = (*THAI_DIGITS, *ARABIC_DIGITS, *SEPARATORS, REJECT)
CLASS_INDEX = {c: i for i, c in enumerate(CLASSES)}
THAI = np.array([c in THAI_DIGITS for c in CLASSES])
ARABIC = np.array([c in ARABIC_DIGITS for c in CLASSES])
DIGIT = THAI | ARABIC
MODEL_PATH = Path(__file__).parent / "model" / "digits.npz"


class ModelError(Exception):
    """The model file is missing or was made for other features."""


@dataclass(frozen=True)
class GlyphClassifier:
    """Standardise, then ReLU layers, then softmax; weights stored as float16 in an .npz."""

    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per feature row, columns in CLASSES order."""
        h = (x - self.mean) * self.scale
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                np.maximum(h, 0, out=h)
        h -= h.max(axis=1, keepdims=True)
        np.exp(h, out=h)
        h /= h.sum(axis=1, keepdims=True)
        return h

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "classes": np.array(CLASSES),
            "glyph_size": np.array(GLYPH_SIZE),
            "mean": self.mean.astype(np.float32),
            "scale": self.scale.astype(np.float32),
        }
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"w{i}"] = w.astype(np.float16)
            arrays[f"b{i}"] = b.astype(np.float16)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> GlyphClassifier:
        """Read a model written by save(); plain arrays only, so nothing in it can run code."""
        try:
            data = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot read the digit model {path}: {e}") from e
        with data:
            if tuple(str(c) for c in data["classes"]) != CLASSES or int(data["glyph_size"]) != (
                GLYPH_SIZE
            ):
                raise ModelError(f"{path} was trained for other classes or features; retrain "
                                 "with python -m ingest.digits.train")
            layers = sum(1 for k in data.files if k.startswith("w"))
            weights = tuple(data[f"w{i}"].astype(np.float32) for i in range(layers))
            biases = tuple(data[f"b{i}"].astype(np.float32) for i in range(layers))
            model = cls(data["mean"].astype(np.float32), data["scale"].astype(np.float32),
                        weights, biases)
        if model.mean.shape != (FEATURES,):
            raise ModelError(f"{path} expects {model.mean.shape[0]} features, not {FEATURES}")
        return model
