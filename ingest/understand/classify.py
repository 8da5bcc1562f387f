"""Document classification into the 16 evidence categories, with a calibrated confidence.

Two kinds of evidence are added up as log-odds: a linear model over character n-grams of the
OCR-robust feature text (trained on fixture texts with synthetic OCR damage, see train.py),
and the explicit phrases of rules.py. The mix and its temperature were fitted on predictions
for template variants each model had not seen, so the confidence speaks for unseen layouts.

The model file is a plain .npz (vocabulary, idf, weights, metadata as JSON): loading it runs
no code, unlike a pickle, so a model in the data dir is as safe as any other data file.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from archive.domain import EVIDENCE_CATEGORIES
from ingest.understand import rules
from ingest.understand.normal import feature_text

log = logging.getLogger(__name__)

CATEGORIES: tuple[str, ...] = tuple(c.slug for c in EVIDENCE_CATEGORIES)
NGRAM_RANGE = (2, 4)
DEFAULT_MODEL = Path(__file__).parent / "model" / "classifier.npz"
MODELS_SUBDIR = "models"
MODEL_GLOB = "classifier-v*.npz"
# Below this the category waits for a person (review queue, reason category_uncertain).
CONFIDENCE_BAR = 0.80
# Below this no category is given at all (null): the best guess is only shown in review.
# Between it and CONFIDENCE_BAR the guess is given and the document still waits for a person.
# Set from the model's out-of-fold reliability (train.py, meta "unseen_variant_reliability"):
# on whole documents of template variants left out of training, guesses from 0.30 up were
# right about three times in four, so showing them beats leaving the field empty.
CATEGORY_FLOOR = 0.30
_VERSION = re.compile(r"classifier-v(\d+)\.npz$")


TITLE_MARK = "^"  # n-grams of the title zone are counted again under this prefix


def ngrams(text: str) -> Counter[str]:
    """Character n-grams of the feature text (see normal.feature_text), and again, marked,
    those of the subject line (or, without one, the heading; rules.subject_zone): a document
    names its kind there, so the same letters weigh differently there than in the body, where
    an order's boilerplate ("อาศัยอำนาจตามความในมาตรา ๕๓") and its issuer's name are shared
    by every kind of order."""
    grams: Counter[str] = Counter()
    lo, hi = NGRAM_RANGE
    zone = rules.subject_zone(text)
    for mark, ft in (("", feature_text(text)), (TITLE_MARK, feature_text(zone))):
        for n in range(lo, hi + 1):
            grams.update(mark + ft[i:i + n] for i in range(len(ft) - n + 1))
    return grams


def rule_vector(found: list[rules.Evidence]) -> np.ndarray:
    vec = np.zeros(len(CATEGORIES))
    for ev in found:
        vec[CATEGORIES.index(ev.category)] += ev.weight
    return vec


@dataclass(frozen=True)
class Prediction:
    category: str | None
    confidence: float
    ranked: list[tuple[str, float]]  # the top categories with their probabilities
    evidence: list[rules.Evidence] = field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        return self.category is None or self.confidence < CONFIDENCE_BAR


Mix = tuple[float, float, float, float]


def mixed_scores(model_logits: np.ndarray, rule_scores: np.ndarray, n_features: np.ndarray,
                 mix: Mix) -> np.ndarray:
    """Log-odds of model and rules together, for rows of documents. mix = (model scale, rule
    scale, half-trust feature count, model scale where no rule phrase was found). A text with
    few known n-grams (a scrap, a page OCR could hardly read) earns the model less trust: its
    scale shrinks by n / (n + half-trust count); so does one that names its kind nowhere in
    the words a clerk would use (no rule evidence), a paper unlike any the model saw. All four
    are fitted on held-out predictions (train.py)."""
    a, b, half, bare = mix
    trust = n_features / (n_features + half)
    trust = np.where(np.abs(rule_scores).sum(axis=1) > 0, trust, trust * bare)
    return a * trust[:, None] * model_logits + b * rule_scores


@dataclass
class Classifier:
    """A linear n-gram model plus rule evidence; `mix` as in mixed_scores."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (features, categories)
    intercept: np.ndarray
    mix: Mix = (1.0, 1.0, 0.0, 1.0)
    meta: dict[str, Any] = field(default_factory=dict)

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, tf-idf values, L2-normalised) of one text."""
        idx, vals = [], []
        for gram, count in ngrams(text).items():
            j = self.vocab.get(gram)
            if j is not None:
                idx.append(j)
                vals.append((1.0 + math.log(count)) * float(self.idf[j]))
        values = np.asarray(vals, dtype=np.float64)
        norm = float(np.linalg.norm(values))
        return np.asarray(idx, dtype=np.int64), values / norm if norm else values

    def model_logits(self, text: str) -> tuple[np.ndarray, int]:
        """The model's log-odds, and how many known n-grams they rest on."""
        idx, values = self.vectorize(text)
        return values @ self.coef[idx].astype(np.float64) + self.intercept, len(idx)

    def combine(self, model_logits: np.ndarray, rule_scores: np.ndarray, n_features: int
                ) -> np.ndarray:
        """Probabilities from model and rule log-odds (mixed_scores)."""
        z = mixed_scores(model_logits[None, :], rule_scores[None, :],
                         np.array([float(n_features)]), self.mix)[0]
        z = z - z.max()
        p = np.exp(z)
        return p / p.sum()

    def predict(self, text: str) -> Prediction:
        if not feature_text(text).strip("#./"):
            return Prediction(None, 0.0, [])
        found = rules.evidence(text)
        logits, n_features = self.model_logits(text)
        probs = self.combine(logits, rule_vector(found), n_features)
        order = np.argsort(-probs)
        ranked = [(CATEGORIES[i], round(float(probs[i]), 4)) for i in order[:3]]
        best = int(order[0])
        if probs[best] < CATEGORY_FLOOR:
            return Prediction(None, 0.0, ranked, found)
        return Prediction(CATEGORIES[best], round(float(probs[best]), 4), ranked, found)

    # --- storage: npz without pickles ---------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            vocab=np.array(words, dtype=np.str_),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float64),
            mix=np.array(self.mix, dtype=np.float64),
            categories=np.array(CATEGORIES, dtype=np.str_),
            meta=np.array(json.dumps(self.meta, ensure_ascii=False), dtype=np.str_),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Classifier:
        with np.load(path, allow_pickle=False) as data:
            categories = tuple(str(c) for c in data["categories"])
            if categories != CATEGORIES:
                raise ValueError(f"{path}: the model's categories are not the 16 of clause 3.5")
            words = [str(w) for w in data["vocab"]]
            return cls(
                vocab={w: i for i, w in enumerate(words)},
                idf=data["idf"].astype(np.float64),
                coef=data["coef"],
                intercept=data["intercept"],
                mix=_mix(data["mix"]),
                meta=json.loads(str(data["meta"])),
            )


def _mix(values: np.ndarray) -> Mix:
    """A stored mix; older model files lack the later parameters (no effect)."""
    full = [*map(float, values), *(0.0, 1.0)[max(0, len(values) - 2):]]
    return full[0], full[1], full[2], full[3]


def model_dir(data_dir: Path) -> Path:
    return data_dir / MODELS_SUBDIR


def model_versions(data_dir: Path) -> list[tuple[int, Path]]:
    """Retrained models in the data dir, oldest first."""
    found = []
    for path in model_dir(data_dir).glob(MODEL_GLOB):
        match = _VERSION.search(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def current_model_path(data_dir: Path | None) -> Path:
    """The newest retrained model of the data dir, else the one shipped with Tabian."""
    if data_dir is not None:
        versions = model_versions(data_dir)
        if versions:
            return versions[-1][1]
    return DEFAULT_MODEL


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int) -> Classifier:
    log.info("loading classifier %s", path)
    return Classifier.load(Path(path))


def load_classifier(data_dir: Path | None = None) -> Classifier:
    """The classifier in use for a data dir, loaded once per process and file version."""
    path = current_model_path(data_dir)
    return _load_cached(str(path), path.stat().st_mtime_ns)
