"""Glyphs of one text line: binarised ink, connected components, line metrics, features."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops
from scipy import ndimage

GLYPH_SIZE = 24  # side of the normalised glyph bitmap fed to the classifier
GEOMETRY = 6  # geometric features appended to the bitmap
FEATURES = GLYPH_SIZE * GLYPH_SIZE + GEOMETRY
# 8-connectivity: a blurred diagonal stroke must stay one glyph.
_EIGHT = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class Glyph:
    """One connected blob of ink; coordinates are page pixels, right/bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int
    mask: np.ndarray  # bool, bottom-top rows by right-left columns

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def x_center(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class LineMetrics:
    """The consonant height (Thai x-height) and the baseline of a line, in page pixels.

    The baseline is a straight line: a scan skewed by 1.5 degrees moves it by more than a
    consonant's height across an A4 text line.
    """

    x_height: float
    baseline: float  # at x = origin
    slope: float = 0.0
    origin: float = 0.0

    def baseline_at(self, x: float) -> float:
        return self.baseline + self.slope * (x - self.origin)


def lightness(image: Image.Image) -> np.ndarray:
    """Per-pixel lightness as the brightest channel: red and blue stamps turn pale, ink stays."""
    if image.mode in ("L", "1", "P", "LA"):
        return np.asarray(image.convert("L"))
    red, green, blue = image.convert("RGB").split()
    return np.asarray(ImageChops.lighter(ImageChops.lighter(red, green), blue))


def otsu_threshold(gray: np.ndarray) -> float:
    """The grey level that best splits ink from paper (Otsu's between-class variance)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128.0
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * levels)
    paper = total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mass[-1] * weight - mass * total) ** 2 / (weight * paper)
    between[~np.isfinite(between)] = 0
    return float(np.argmax(between)) + 0.5


def segment(gray: np.ndarray, origin: tuple[int, int] = (0, 0), *,
            threshold_scale: float = 1.0) -> list[Glyph]:
    """Connected components of the ink in a line crop, left to right; origin is its page offset.

    threshold_scale moves Otsu's threshold (training varies it to mimic other binarisers).
    """
    threshold = otsu_threshold(gray) * threshold_scale
    ink = gray < threshold
    labels, count = ndimage.label(ink, structure=_EIGHT)
    ox, oy = origin
    glyphs = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        rows, cols = box
        mask = labels[box] == index
        glyphs.append(Glyph(cols.start + ox, rows.start + oy, cols.stop + ox, rows.stop + oy,
                            mask))
    glyphs.sort(key=lambda g: (g.left, g.top))
    return glyphs


def page_blobs(image: Image.Image, reduce: int = 3) -> np.ndarray:
    """The boxes of a whole page's connected ink blobs, as rows of (left, top, right, bottom)
    in page pixels, found on the page shrunk `reduce` times: its layout, cheaply, not glyphs."""
    gray = lightness(image.reduce(reduce) if reduce > 1 else image)
    ink = gray < otsu_threshold(gray)
    labels, _ = ndimage.label(ink, structure=_EIGHT)
    found = [(cols.start, rows.start, cols.stop, rows.stop)
             for rows, cols in (box for box in ndimage.find_objects(labels) if box is not None)]
    return np.array(found, dtype=np.float64).reshape(-1, 4) * reduce


def line_metrics(glyphs: list[Glyph]) -> LineMetrics | None:
    """Consonant height and baseline from the tall-enough glyphs (consonants and digits).

    Marks and vowels above or below are small; the median of the rest is the consonant body.
    """
    big = [g for g in glyphs if g.mask.sum() >= 12]
    if not big:
        return None
    heights = np.array([g.height for g in big], dtype=np.float64)
    tall = heights >= 0.45 * np.percentile(heights, 90)
    body = [g for g, keep in zip(big, tall, strict=True) if keep]
    x_height = float(np.median([g.height for g in body]))
    if x_height < 4:
        return None
    xs = np.array([g.x_center for g in body])
    ys = np.array([g.bottom for g in body], dtype=np.float64)
    origin = float(np.median(xs))
    baseline, slope = float(np.median(ys)), 0.0
    # Fit, drop glyphs off the line (descenders, a neighbour's tail), fit again.
    for _ in range(2):
        near = np.abs(ys - (baseline + slope * (xs - origin))) < 0.3 * x_height
        if near.sum() < 4 or np.ptp(xs[near]) < 3 * x_height:
            break
        slope, baseline = np.polyfit(xs[near] - origin, ys[near], 1)
        slope = float(np.clip(slope, -0.06, 0.06))
        baseline = float(np.median(ys[near] - slope * (xs[near] - origin)))
    return LineMetrics(x_height=x_height, baseline=baseline, slope=slope, origin=origin)


def is_noise(glyph: Glyph, metrics: LineMetrics) -> bool:
    """Dust and toner dots: smaller than any full stop at this text size."""
    return max(glyph.width, glyph.height) < 0.12 * metrics.x_height


def features(glyphs: list[Glyph], metrics: LineMetrics) -> np.ndarray:
    """One row per glyph: its shape scaled into a square (aspect kept) and where it sits."""
    out = np.zeros((len(glyphs), FEATURES), dtype=np.float32)
    kh = metrics.x_height
    for row, glyph in enumerate(glyphs):
        out[row, : GLYPH_SIZE * GLYPH_SIZE] = _bitmap(glyph.mask).ravel()
        area = float(glyph.mask.sum())
        baseline = metrics.baseline_at(glyph.x_center)
        out[row, GLYPH_SIZE * GLYPH_SIZE :] = (
            glyph.height / kh,
            glyph.width / kh,
            (baseline - glyph.bottom) / kh,
            (baseline - glyph.top) / kh,
            np.log(glyph.width / glyph.height),
            area / (glyph.width * glyph.height),
        )
    geometry = out[:, GLYPH_SIZE * GLYPH_SIZE :]
    np.clip(geometry, -4.0, 4.0, out=geometry)
    return out


def _bitmap(mask: np.ndarray) -> np.ndarray:
    """The mask scaled into a GLYPH_SIZE square, aspect kept and centred: each cell is the share
    of ink under it (area averaging, as PIL's BOX filter), as two small matrix products."""
    h, w = mask.shape
    scale = (GLYPH_SIZE - 2) / max(h, w)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    small = _box_weights(nh, h) @ mask.astype(np.float32) @ _box_weights(nw, w).T
    canvas = np.zeros((GLYPH_SIZE, GLYPH_SIZE), dtype=np.float32)
    y0, x0 = (GLYPH_SIZE - nh) // 2, (GLYPH_SIZE - nw) // 2
    canvas[y0 : y0 + nh, x0 : x0 + nw] = small
    return canvas


@functools.lru_cache(maxsize=4096)
def _box_weights(out_size: int, in_size: int) -> np.ndarray:
    """(out_size, in_size) weights: how much of each input cell falls in each output cell,
    each row summing to 1."""
    edges = np.arange(out_size + 1, dtype=np.float64) * (in_size / out_size)
    cells = np.arange(in_size + 1, dtype=np.float64)
    start = np.maximum(edges[:-1, None], cells[None, :-1])
    stop = np.minimum(edges[1:, None], cells[None, 1:])
    weights = np.clip(stop - start, 0.0, None)
    out = (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)
    out.setflags(write=False)
    return out


def split_at(glyph: Glyph, cuts: list[int]) -> list[Glyph]:
    """Cut a glyph at the given page columns into pieces, each trimmed to its own ink."""
    pieces = []
    edges = [glyph.left, *cuts, glyph.right]
    for a, b in zip(edges, edges[1:], strict=False):
        part = glyph.mask[:, a - glyph.left : b - glyph.left]
        rows = np.flatnonzero(part.any(axis=1))
        cols = np.flatnonzero(part.any(axis=0))
        if rows.size == 0:
            continue
        sub = part[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        pieces.append(Glyph(a + int(cols[0]), glyph.top + int(rows[0]), a + int(cols[-1]) + 1,
                            glyph.top + int(rows[-1]) + 1, sub))
    return pieces


def cut_options(glyph: Glyph, pieces: int, per_cut: int = 3) -> list[list[int]]:
    """A few ways to cut touching glyphs into `pieces`: at each expected cut, the columns of
    least ink nearby (the thinnest joint first)."""
    profile = glyph.mask.sum(axis=0).astype(np.float64)
    width = glyph.width
    choices: list[list[int]] = []
    for k in range(1, pieces):
        centre = width * k / pieces
        lo = max(1, int(centre - width / (2.5 * pieces)))
        hi = min(width - 1, int(centre + width / (2.5 * pieces)) + 1)
        if hi <= lo:
            return []
        order = lo + np.argsort(profile[lo:hi], kind="stable")
        picked: list[int] = []
        for col in order:
            if all(abs(int(col) - c) > 2 for c in picked):
                picked.append(int(col))
            if len(picked) == per_cut:
                break
        choices.append([glyph.left + c for c in picked])
    options: list[list[int]] = [[]]
    for cols in choices:
        options = [[*o, c] for o in options for c in cols if not o or c > o[-1] + 2]
    return options


def cut_candidates(glyph: Glyph, pieces: int) -> list[int]:
    """Page columns to cut a run of touching glyphs into `pieces`: the thinnest ink nearby."""
    profile = glyph.mask.sum(axis=0).astype(np.float64)
    width = glyph.width
    cuts = []
    for k in range(1, pieces):
        centre = width * k / pieces
        lo, hi = int(centre - width / (3 * pieces)), int(centre + width / (3 * pieces)) + 1
        lo, hi = max(1, lo), min(width - 1, hi)
        if hi <= lo:
            return []
        cuts.append(glyph.left + lo + int(np.argmin(profile[lo:hi])))
    return cuts
