"""Ruled tables: found on the page, their ruling erased from the image tesseract reads.

Tesseract's automatic layout analysis takes a ruled table for a picture and returns no text
for it (a service-period list: every date lost), or, with the ruling gone, splits it into
columns and reads them one after another (a decoration list: names, then classes, then
Gazette pages). On a page with a ruled table ingest therefore erases the ruling and has
tesseract read the page as one block of lines (TABLE_PAGE_SEGMENTATION), row by row: on the
held-out table pages of benchmarks/bench_digits.py that took Thai digits from 78 % to 99 %.
Pages without a table are read as before. Only the image given to tesseract changes; the
archived page keeps its ruling.

A stroke is ruling when it runs straight and unbroken much longer than any letter is wide and
is thin: a letter's longest straight stroke is well under RULE_MIN_LENGTH_IN, a rule is a few
pixels thick. Solid dark areas (a photo, a black emblem) are left alone: their runs are thick.
A table is at least TABLE_MIN_RULES horizontal rules one above the other over the same width
(a header row and a row under it); a stamp's box or a signature line is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from ingest.digits.segment import lightness, otsu_threshold

RULE_MIN_LENGTH_IN = 0.4  # inches: three Thai letters of 16 pt side by side are narrower
RULE_MAX_THICKNESS_IN = 0.03  # inches (9 px at 300 dpi): a border, not a filled bar
TABLE_MIN_RULES = 3
TABLE_MIN_WIDTH_IN = 1.5  # a table's horizontal rules span this much at least
TABLE_SAME_WIDTH = 0.8  # share of the shorter rule two rules of one table have in common
TABLE_PAGE_SEGMENTATION = 6  # tesseract --psm: the page as one uniform block of lines
DEFAULT_DPI = 300.0

Box = tuple[int, int, int, int]  # left, top, right, bottom in pixels


@dataclass(frozen=True)
class Ruling:
    """A page's ruling: the pixels to erase, and the rules as boxes."""

    mask: np.ndarray  # image-sized, the rules with their grey fringe
    horizontal: list[Box]
    vertical: list[Box]
    dpi: float
    tables_only: bool = False  # vertical rules and mask were left out: there is no table

    @property
    def has_table(self) -> bool:
        return _makes_table(self.horizontal, self.dpi)


def _makes_table(horizontal: list[Box], dpi: float) -> bool:
    """Whether TABLE_MIN_RULES long horizontal rules stand over the same stretch."""
    long = [r for r in horizontal if r[2] - r[0] >= TABLE_MIN_WIDTH_IN * dpi]
    return any(sum(min(a[2], b[2]) - max(a[0], b[0])
                   >= TABLE_SAME_WIDTH * min(a[2] - a[0], b[2] - b[0]) for b in long)
               >= TABLE_MIN_RULES for a in long)


def _runs(ink: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """The horizontal runs of `ink` at least `min_length` long, as (row, start, stop)."""
    height, width = ink.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    edges = np.diff(padded, axis=1)
    starts_r, starts_c = np.nonzero(edges == 1)
    _, ends_c = np.nonzero(edges == -1)  # same order as the starts: row-major
    long = ends_c - starts_c >= min_length
    return list(zip(starts_r[long].tolist(), starts_c[long].tolist(), ends_c[long].tolist(),
                    strict=True))


def _painted(shape: tuple[int, int], runs: list[tuple[int, int, int]]) -> np.ndarray:
    out = np.zeros(shape, dtype=bool)
    for r, a, b in runs:
        out[r, a:b] = True
    return out


def _grown(ink: np.ndarray) -> np.ndarray:
    """`ink` thickened by one pixel up and down."""
    out = ink.copy()
    out[1:] |= ink[:-1]
    out[:-1] |= ink[1:]
    return out


def _rules_along_rows(small: np.ndarray, ink: np.ndarray, length: int, thickness: int
                      ) -> tuple[np.ndarray, list[Box]]:
    """The full-size mask of the horizontal rules (and their fringe), given the ink of the page
    shrunk by two (`small`, each pixel the darkest of four) and at full size (`ink`).

    Candidates are found cheaply on the small page: runs at least `length` (full pixels) long
    on the ink thickened by a pixel (a slightly skewed rule steps from row to row), no thicker
    than `thickness`. Each is then checked at full size: text whose letters nearly touch (a
    row of digits' feet, say) makes such a run on the small page, but at full size the gaps
    between its letters are there, while a rule runs on unbroken. Only the unbroken stretches
    at least `length` long are ruling.
    """
    candidates = _runs(_grown(small), max(4, length // 2))
    shape = small.shape
    too_thick = _painted(shape[::-1], _runs(_painted(shape, candidates).T, thickness // 2 + 3)).T
    height, width = ink.shape
    out = np.zeros((height, width), dtype=bool)
    pieces: list[Box] = []
    for r, a, b in candidates:
        if too_thick[r, a:b].mean() > 0.5:  # a photo, a filled bar: not a rule
            continue
        top, bottom = max(0, 2 * r - 1), min(height, 2 * r + 3)
        covered: np.ndarray = np.asarray(ink[top:bottom, 2 * a:2 * b].any(axis=0))
        # gaps of a pixel or two are a worn rule's, not the space between two letters: closed
        grown = covered.copy()
        grown[1:] |= covered[:-1]
        grown[:-1] |= covered[1:]
        closed = grown.copy()
        closed[1:] &= grown[:-1]
        closed[:-1] &= grown[1:]
        edges = np.diff(np.concatenate(([0], closed.view(np.int8), [0])))
        for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1),
                               strict=True):
            if stop - start >= length:
                out[max(0, top - 1):min(height, bottom + 1), 2 * a + start:2 * a + stop] = True
                pieces.append((2 * a + int(start), top, 2 * a + int(stop), bottom))
    return out, _merged(pieces)


def _merged(pieces: list[Box]) -> list[Box]:
    """The rules a thick or skewed stroke's pieces (one per pixel row) make together: pieces
    touching one above the other over a common stretch are one rule."""
    rules: list[list[int]] = []
    for left, top, right, bottom in sorted(pieces, key=lambda p: (p[1], p[0])):
        same = next((r for r in rules if top <= r[3] + 1 and min(right, r[2]) > max(left, r[0])),
                    None)
        if same is None:
            rules.append([left, top, right, bottom])
        else:
            same[:] = [min(same[0], left), same[1], max(same[2], right), max(same[3], bottom)]
    return [(r[0], r[1], r[2], r[3]) for r in rules]


def find_ruling(image: Image.Image, dpi: float | None = None, *, tables_only: bool = False
                ) -> Ruling:
    """The page's horizontal and vertical rules.

    With `tables_only`, as ingest asks for every page, a page whose horizontal rules make no
    table gets only those: its vertical rules and mask (nothing to erase) are not looked for,
    which halves the cost on the common page.
    """
    dpi = dpi or _dpi(image)
    gray = lightness(image)
    height, width = gray.shape
    h2, w2 = height // 2, width // 2
    small = np.minimum(np.minimum(gray[0:2 * h2:2, 0:2 * w2:2], gray[1:2 * h2:2, 0:2 * w2:2]),
                       np.minimum(gray[0:2 * h2:2, 1:2 * w2:2], gray[1:2 * h2:2, 1:2 * w2:2]))
    threshold = otsu_threshold(small)
    paper = float(np.median(small[::4, ::4]))
    # rules are often printed grey and thin, lighter than the text's ink
    cut = threshold + 0.4 * max(0.0, paper - threshold)
    small_ink, ink = small < cut, gray < cut
    length = max(8, round(RULE_MIN_LENGTH_IN * dpi))
    thickness = max(4, round(RULE_MAX_THICKNESS_IN * dpi))
    horizontal, across = _rules_along_rows(small_ink, ink, length, thickness)
    if tables_only and not _makes_table(across, dpi):
        return Ruling(np.zeros_like(horizontal), across, [], dpi, tables_only=True)
    vertical, down = _rules_along_rows(small_ink.T, ink.T, length, thickness)
    return Ruling(mask=horizontal | vertical.T, horizontal=across,
                  vertical=[(top, left, bottom, right) for left, top, right, bottom in down],
                  dpi=dpi)


def _dpi(image: Image.Image) -> float:
    found = image.info.get("dpi")
    return float(found[0]) if found and found[0] else DEFAULT_DPI


def erase_ruling(image: Image.Image, ruling: Ruling | None = None) -> Image.Image:
    """A copy of the page with its ruling painted over in the paper's colour; the same image
    when it has none."""
    mask = (ruling or find_ruling(image)).mask
    if not mask.any():
        return image
    work = image if image.mode in ("L", "RGB") else image.convert("RGB")
    # the paper's colour: the median of the page shrunk eight times (text is a small share)
    sample = np.asarray(work.reduce(8))
    paper = np.median(sample.reshape(-1, sample.shape[2]) if sample.ndim == 3 else sample.ravel(),
                      axis=0)
    colour = (tuple(int(v) for v in paper) if work.mode == "RGB"
              else int(np.asarray(paper).item()))
    out = work.copy()
    out.paste(colour, mask=Image.fromarray(mask.view(np.uint8) * 255))
    out.info.update({k: v for k, v in image.info.items() if k == "dpi"})
    return out
