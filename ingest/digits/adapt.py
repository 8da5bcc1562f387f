"""Page-level adaptation of the digit reader: one page is printed in one face, so the page's
own glyphs are evidence about how that face draws each digit.

The reader reads every line once, and the digit glyphs it puts into numbers are recorded
(DigitReader.correct_words). Then a glyph is read as another digit b where the page says so,
and the lines holding such glyphs are read again:

* the glyph has the shape of the page's glyphs read as b (a typical one in pixels), and is
  nearer them than the page's other glyphs read as its own digit, both in pixels and in what
  the classifier makes of it (an unseen face's ๑ read as ๐ where its other ๑ were read ๑);
* or b has no glyph on the page, and the glyph is one of at least two read as its digit that
  lean to b and share a shape far from the rest of that digit's glyphs;
* or it is in a citizen ID whose check digit fails as the classifier reads it, has the shape
  of the page's b in pixels, and is the one such glyph whose move makes the check digit hold.

Glyphs are moved one at a time, the surest first, each move updating the page's picture of
both digits. Only the choice among the digits of the glyph's own script changes, and only to
the digit the glyph itself gives at least MIN_LEAN: nothing becomes a digit or stops being
one. A glyph in a citizen ID whose check digit holds as the classifier read it never moves.

Distances are in the page's own unit (page_spread: how far its glyphs lie from the others
read as the same digit), with limits measured on training faces (benchmarks/calibrate_adapt.py).
A glyph's "other glyphs read as its digit" are those that show no sign of b where there are
any, so that a digit whose glyphs the classifier splits between two readings is judged by
the glyphs it reads clearly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image
from scipy import ndimage

from archive.thai import THAI_DIGITS, fold_digits, is_valid_citizen_id
from ingest.digits.locate import Run
from ingest.digits.model import ARABIC_DIGITS, CLASS_INDEX
from ingest.digits.segment import Glyph, LineMetrics

Key = tuple[int, int, int, int, int]  # the line, then the glyph's box
Classify = Callable[[list[Glyph], LineMetrics], np.ndarray]

SHAPE_SIZE = 32  # side of the bitmap glyph shapes are compared at
SHAPE_BLUR = 1.33  # in its pixels: a stroke's exact edge is the scan's, not the face's
# A glyph is moved only to a digit it gives at least this much probability (among its
# script's digits), and only if those digits hold MIN_SCRIPT of its probability.
MIN_LEAN = 0.15
MIN_SCRIPT = 0.5
# How far a glyph lies from the centre of the page's other glyphs of its digit, in the page's
# unit (page_spread), on training faces (benchmarks/calibrate_adapt.py): 99 % of glyphs lie
# within TYPICAL, 99.9 % within APART.
TYPICAL = 3.0
APART = 5.0
SCRIPTS = (THAI_DIGITS, ARABIC_DIGITS)


@dataclass(frozen=True, eq=False)
class _Seen:
    """A digit glyph the reader put into a number on this page."""

    key: Key
    glyph: Glyph
    probs: np.ndarray  # the classifier's, over all classes
    label: str  # the digit the reader wrote for it
    number: int  # which of the page's numbers it is in
    in_id: bool  # that number has 13 digits, as a citizen ID
    confirmed: bool  # and its check digit holds as the classifier read it


@dataclass
class PageAdaptation:
    """Records what the reader reads on one page; then says which glyphs the page reads as
    other digits, and answers the second reading of their lines accordingly."""

    classify_glyphs: Classify
    line: int = 0  # the line being read
    cache: dict[Key, np.ndarray] = field(default_factory=dict)
    seen: list[_Seen] = field(default_factory=list)
    numbers: int = 0
    moves: dict[Key, tuple[int, int]] = field(default_factory=dict)  # class a reads as b
    observing: bool = True

    def key(self, glyph: Glyph) -> Key:
        return (self.line, glyph.left, glyph.top, glyph.right, glyph.bottom)

    def classify(self, glyphs: list[Glyph], metrics: LineMetrics) -> np.ndarray:
        """The classifier's probabilities; a moved glyph's two digits swap theirs."""
        keys = [self.key(g) for g in glyphs]
        fresh = [i for i, k in enumerate(keys) if k not in self.cache]
        if fresh:
            answers = self.classify_glyphs([glyphs[i] for i in fresh], metrics)
            for i, p in zip(fresh, answers, strict=True):
                self.cache[keys[i]] = p
        out = np.array([self.cache[k] for k in keys])
        for row, k in enumerate(keys):
            if k in self.moves:
                a, b = self.moves[k]
                out[row, [a, b]] = out[row, [b, a]]
        return out

    def observe(self, run: Run) -> None:
        """Record the digit glyphs of a number the reader wrote (on the first reading)."""
        if not self.observing:
            return
        chars = "".join(part.text for part in run.parts)
        digits = [(g, ch) for g, ch in zip(run.glyphs, chars, strict=True)
                  if ch in THAI_DIGITS or ch in ARABIC_DIGITS]
        probs = [self.cache[self.key(g)] for g, _ in digits]
        raw = "".join(_script(ch)[int(np.argmax(p[_columns(ch)]))]
                      for p, (_, ch) in zip(probs, digits, strict=True))
        in_id = len(digits) == 13
        confirmed = in_id and is_valid_citizen_id(fold_digits(raw))
        for (g, ch), p in zip(digits, probs, strict=True):
            self.seen.append(_Seen(self.key(g), g, p, ch, self.numbers, in_id, confirmed))
        self.numbers += 1

    def adapt(self) -> list[int]:
        """Decide which glyphs the page reads as other digits; the lines to read again."""
        self.observing = False
        for script in SCRIPTS:
            columns = _columns(script[0])
            # a glyph hardly read as a digit of this script says nothing of its shapes
            items = [s for s in self.seen if s.label in script
                     and s.probs[columns].sum() >= MIN_SCRIPT]
            if len(items) < 3:
                continue
            for s, b in _Page(items, script).relabel():
                a = columns[int(np.argmax(s.probs[columns]))]
                if a != columns[b]:
                    self.moves[s.key] = (a, columns[b])
        return sorted({key[0] for key in self.moves})


def _script(digit: str) -> str:
    return THAI_DIGITS if digit in THAI_DIGITS else ARABIC_DIGITS


def _columns(digit: str) -> list[int]:
    return [CLASS_INDEX[c] for c in _script(digit)]


class _Page:
    """The digit glyphs of one script on a page, as the evidence about their digits."""

    def __init__(self, items: list[_Seen], script: str) -> None:
        self.items = items
        columns = _columns(script[0])
        q = np.array([s.probs[columns] for s in items], dtype=np.float64)
        self.q = q / q.sum(axis=1, keepdims=True)
        self.labels = np.array([script.index(s.label) for s in items], dtype=np.int64)
        self.first = self.labels.copy()  # as the reader read them
        self.shapes = np.array([shape(s.glyph) for s in items])
        self.views = (self.shapes, np.sqrt(self.q))  # pixels; the classifier's view of them
        self.spreads = [page_spread(v, self.labels) for v in self.views]

    def relabel(self) -> list[tuple[_Seen, int]]:
        """The glyphs the page reads as other digits, with those digits (script indices)."""
        if min(self.spreads) <= 0:
            return []
        moved: dict[int, int] = {}
        absent = set(range(10)) - set(self.first.tolist())  # digits the page never read
        while True:
            best: tuple[float, int, int] | None = None
            for i, s in enumerate(self.items):
                b = self.lean(i, self.labels)
                if s.confirmed or i in moved or b is None:
                    continue
                margin = self.apart(i, b) if b in absent else self.nearer(i, b, self.views)
                if margin is not None and (best is None or margin > best[0]):
                    best = (margin, i, b)
            if best is None:
                break
            _, i, b = best
            self.labels[i] = moved[i] = b
        moved |= self.check_digits(moved)
        return [(self.items[i], b) for i, b in sorted(moved.items())]

    def lean(self, i: int, labels: np.ndarray) -> int | None:
        """The digit glyph i gives most after the one it is read as, if it gives enough."""
        lean = self.q[i].copy()
        lean[labels[i]] = -1.0
        b = int(np.argmax(lean))
        return b if self.q[i, b] >= MIN_LEAN else None

    def nearer(self, i: int, b: int, views: tuple[np.ndarray, ...]) -> float | None:
        """Whether glyph i is a typical b of the page in pixels and nearer its b than its
        other glyphs read as its digit (those not leaning to b, if any), in every view; if
        so, by how much in pixels (in page units).

        The classifier's view only compares: where no other glyph is read as glyph i's
        digit, glyph i must be a typical b to the classifier too.
        """
        others = self.labels == b
        mates = self.labels == self.labels[i]
        mates[i] = False
        clean = mates & (self.q[:, b] < MIN_LEAN)
        if clean.any():
            mates = clean
        margin = 0.0
        for k, view in enumerate(views):
            spread = self.spreads[k]
            to_b = float(np.linalg.norm(view[i] - view[others].mean(axis=0)))
            if (k == 0 or not mates.any()) and to_b > TYPICAL * max(spread,
                                                                     _spread(view, others)):
                return None
            if mates.any():
                to_a = float(np.linalg.norm(view[i] - view[mates].mean(axis=0)))
                if to_b >= to_a:
                    return None
                if k == 0:
                    margin = (to_a - to_b) / spread
        return margin

    def apart(self, i: int, b: int) -> float | None:
        """Whether glyph i is one of two or more glyphs read as its digit that lean to b
        (which the page did not read at all) and share a shape apart from that digit's other
        glyphs; if so, by how much (in page units)."""
        own = self.first == self.first[i]
        rest = own & (self.q[:, b] < MIN_LEAN)
        group = own & (self.q[:, b] >= MIN_LEAN)
        group[i] = False
        if rest.sum() < 2 or not group.any():
            return None
        spread = self.spreads[0]
        away = float(np.linalg.norm(self.shapes[i] - self.shapes[rest].mean(axis=0))) / spread
        near = float(np.min(np.linalg.norm(self.shapes[group] - self.shapes[i], axis=1)))
        if away <= APART or near > TYPICAL * spread:
            return None
        return away

    def check_digits(self, moved: dict[int, int]) -> dict[int, int]:
        """In a citizen ID whose check digit fails as the classifier reads it (with the
        moves made), the one glyph with the pixels of the page's b whose move to b makes it
        hold. The check digit stands in for the classifier's view: a wrong change makes an
        ID valid one time in ten."""
        raw = np.argmax(self.q, axis=1)
        for i, to in moved.items():
            raw[i] = to
        out: dict[int, int] = {}
        for number in sorted({s.number for s in self.items if s.in_id}):
            members = [i for i, s in enumerate(self.items) if s.number == number]
            if len(members) != 13 or _valid(raw[members]):
                continue
            fixes = []
            for k, i in enumerate(members):
                b = self.lean(i, raw)
                if i in moved or b is None or b == self.labels[i] or not (
                    self.labels == b
                ).any():
                    continue  # (b == its reading: tesseract's hint or the repair made it b)
                reading = raw[members]
                reading[k] = b
                if _valid(reading) and self.nearer(i, b, self.views[:1]) is not None:
                    fixes.append((i, b))
            if len(fixes) == 1:
                out[fixes[0][0]] = fixes[0][1]
        return out


def _valid(digits: np.ndarray) -> bool:
    return is_valid_citizen_id("".join(str(int(d)) for d in digits))


def _spread(view: np.ndarray, members: np.ndarray) -> float:
    """The median distance of a member to the centre of the other members (0 for < 2)."""
    index = np.flatnonzero(members)
    if len(index) < 2:
        return 0.0
    total = view[index].sum(axis=0)
    return float(np.median([np.linalg.norm(view[i] - (total - view[i]) / (len(index) - 1))
                            for i in index]))


def page_spread(view: np.ndarray, labels: np.ndarray) -> float:
    """The page's unit of distance: per digit read on the page (twice or more), the median
    distance of its glyphs to the centre of its others; the median of those. A digit whose
    glyphs are of two shapes (one misread) is one digit of many here."""
    spreads = [_spread(view, labels == d) for d in np.unique(labels)]
    found = [s for s in spreads if s > 0]
    return float(np.median(found)) if found else 0.0


def shape(glyph: Glyph) -> np.ndarray:
    """The glyph's ink scaled into a square (aspect kept), blurred a little, as a vector."""
    h, w = glyph.mask.shape
    scale = (SHAPE_SIZE - 2) / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = Image.fromarray(glyph.mask.astype(np.uint8) * 255, "L").resize(
        (nw, nh), Image.Resampling.BOX)
    canvas = np.zeros((SHAPE_SIZE, SHAPE_SIZE), dtype=np.float32)
    y0, x0 = (SHAPE_SIZE - nh) // 2, (SHAPE_SIZE - nw) // 2
    canvas[y0 : y0 + nh, x0 : x0 + nw] = np.asarray(small, dtype=np.float32) / 255.0
    return ndimage.gaussian_filter(canvas, SHAPE_BLUR).ravel()


__all__ = ["APART", "MIN_LEAN", "TYPICAL", "PageAdaptation", "page_spread", "shape"]
