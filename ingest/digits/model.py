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
class Network:
    """Standardise, then ReLU layers, then softmax."""

    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) * self.scale
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                np.maximum(h, 0, out=h)
        h -= h.max(axis=1, keepdims=True)
        np.exp(h, out=h)
        h /= h.sum(axis=1, keepdims=True)
        return h


@dataclass(frozen=True)
class GlyphClassifier:
    """A few networks trained on different renderings; their mean is the answer (an ensemble
    disagrees less with itself on faces none of its members saw). Stored as float16 in .npz."""

    members: tuple[Network, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per feature row, columns in CLASSES order."""
        if len(x) == 0:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        return np.mean([m.probabilities(x) for m in self.members], axis=0)

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "classes": np.array(CLASSES),
            "glyph_size": np.array(GLYPH_SIZE),
            "members": np.array(len(self.members)),
        }
        for k, m in enumerate(self.members):
            arrays[f"m{k}_mean"] = m.mean.astype(np.float32)
            arrays[f"m{k}_scale"] = m.scale.astype(np.float32)
            for i, (w, b) in enumerate(zip(m.weights, m.biases, strict=True)):
                arrays[f"m{k}_w{i}"] = w.astype(np.float16)
                arrays[f"m{k}_b{i}"] = b.astype(np.float16)
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
            if "members" not in data.files or tuple(str(c) for c in data["classes"]) != (
                CLASSES
            ) or int(data["glyph_size"]) != GLYPH_SIZE:
                raise ModelError(f"{path} was trained for other classes or features; retrain "
                                 "with python -m ingest.digits.train")
            members = []
            for k in range(int(data["members"])):
                layers = sum(1 for f in data.files if f.startswith(f"m{k}_w"))
                members.append(Network(
                    data[f"m{k}_mean"].astype(np.float32),
                    data[f"m{k}_scale"].astype(np.float32),
                    tuple(data[f"m{k}_w{i}"].astype(np.float32) for i in range(layers)),
                    tuple(data[f"m{k}_b{i}"].astype(np.float32) for i in range(layers)),
                ))
        if not members or any(m.mean.shape != (FEATURES,) for m in members):
            raise ModelError(f"{path} does not fit the {FEATURES} glyph features; retrain")
        return cls(tuple(members))
