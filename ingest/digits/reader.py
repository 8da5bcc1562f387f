"""Correct the numbers in a page's OCR words by reading their glyphs with the digit model."""

from __future__ import annotations

import functools
import logging
import string
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from threadpoolctl import threadpool_limits

from archive.thai import THAI_DIGITS
from ingest.digits.adapt import PageAdaptation
from ingest.digits.locate import TESSERACT_MEANS, Run, body_glyphs, find_runs, without_chips
from ingest.digits.model import ARABIC_DIGITS, MODEL_PATH, GlyphClassifier
from ingest.digits.segment import (
    Glyph,
    LineMetrics,
    features,
    is_noise,
    lightness,
    line_metrics,
    page_blobs,
)
from ingest.digits.segment import segment as segment_ink
from ingest.textlayer import Word

log = logging.getLogger(__name__)

# What tesseract's Thai model writes where a number is printed: the digits it has, the
# separators, and what it emits for the digits it lacks (measured on rendered ๔ ๖ ๗ ๘ ๙;
# with eng loaded too it also writes Latin letters there).
DIGITISH = set(THAI_DIGITS + ARABIC_DIGITS + "-/.," + string.ascii_letters) | set(
    "ฒญฆณผธจ»«@“”'!]|—>")
Box = tuple[float, float, float, float]
LETTERS_ONLY_MIN_P = 0.999
# A row of text tesseract returned no line for (beside a stamp, under a signature, or simply
# skipped): blobs the size of letters, clear of every word box and of every line's row, this
# many at least, the next one within ROW_LINK consonant heights.
ROW_MIN_BLOBS = 3
ROW_LINK = 2.5
ROW_MAX_HEIGHT = 3.5  # consonant heights: a skewed row's drift, not a block of texture


@dataclass
class _Entry:
    word: Word
    glyphs: dict[int, Glyph]  # the body glyphs inside it, by id


@dataclass(frozen=True)
class _RowNumber:
    """A number read on a row no tesseract word covers. It goes with the line of a word box
    next to it (`owner`): after that line's words when it stands below it, else before them."""

    run: Run
    owner: Box
    below: bool


def _with_row_numbers(words: list[Word], corrected: list[Word], elsewhere: list[Box],
                      rows: list[_RowNumber]) -> list[Word]:
    """A line's corrected words with the numbers of the rows tesseract left out that go with
    it (see _RowNumber), in the order they stand on the page."""
    if not words:
        return corrected
    mine = [w.bbox for w in words]
    others = set(elsewhere)
    found = [n for n in rows
             if n.owner in mine and n.owner not in others]  # a box of two lines: neither
    line = words[0].line
    made = {below: [Word(p.text, _float_box(p.box), line, n.run.confidence)
                    for n in found if n.below == below for p in n.run.parts]
            for below in (False, True)}
    return made[False] + corrected + made[True]


class DigitReader:
    """Reads digit runs from page pixels and puts them in place of tesseract's reading."""

    def __init__(self, classifier: GlyphClassifier, *, adapt_to_page: bool = True) -> None:
        self.classifier = classifier
        self.adapt_to_page = adapt_to_page  # read again what the page's own glyphs say

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> DigitReader:
        return cls(GlyphClassifier.load(path))

    def classify(self, glyphs: list[Glyph], metrics: LineMetrics) -> np.ndarray:
        return self.classifier.probabilities(features(glyphs, metrics))

    def correct_words(self, image: Image.Image, words: Sequence[Word]) -> list[Word]:
        """The page's words with every number read from the pixels (same order and lines).

        `words` are whole words with boxes in `image` pixels, e.g. from ingest.textlayer.
        """
        # The classifier multiplies small matrices (tens of glyphs at a time): BLAS threads
        # only wait on each other there, and on a busy machine (OCR reads pages in parallel)
        # they spin against the other pages' tesseract. One thread: a third of the CPU time.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._correct_words(image, words)

    def _correct_words(self, image: Image.Image, words: Sequence[Word]) -> list[Word]:
        by_line: dict[int, list[Word]] = defaultdict(list)
        for word in words:
            by_line[word.line].append(word)
        if not by_line:
            return []
        # the text area: a line's row is searched across it for numbers tesseract left out
        span = (min(w.bbox[0] for w in words), max(w.bbox[2] for w in words))
        page = PageAdaptation(self.classify)
        # the numbers on the rows no word box covers: read once for the page, each goes with
        # the line it stands next to
        rows = self._row_numbers(image, [w.bbox for w in words])

        def read(line: int) -> list[Word]:
            page.line = line
            elsewhere = [w.bbox for w in words if w.line != line]
            corrected = self._correct_line(image, by_line[line], span, elsewhere, page)
            return _with_row_numbers(by_line[line], corrected, elsewhere, rows)

        out = {line: read(line) for line in sorted(by_line)}
        if self.adapt_to_page:
            # One page, one face: the lines holding glyphs the page's own glyphs read as
            # other digits are read again (ingest.digits.adapt).
            out.update({line: read(line) for line in page.adapt()})
        return [w for line in sorted(out) for w in out[line]]

    def _correct_line(self, image: Image.Image, words: list[Word], span: tuple[float, float],
                      elsewhere: list[Box], page: PageAdaptation | None = None) -> list[Word]:
        glyphs, metrics = _line_glyphs(image, [w.bbox for w in words], span, elsewhere)
        if metrics is None:
            return list(words)
        body, _ = body_glyphs(glyphs, metrics)
        entries = _assign(words, without_chips(sorted(body, key=lambda g: g.left), metrics))
        numeric = {key for e in entries if _number_like(e.word.text) for key in e.glyphs}
        letters = {key for e in entries for key in _letters(e)}
        breaks = [(a.bbox[2], b.bbox[0]) for a, b in zip(words, words[1:], strict=False)]

        # A second reading of the line asks again about the same glyphs. The glyph is kept
        # with its answer so that its id cannot be reused by another while this lives.
        seen: dict[int, tuple[Glyph, np.ndarray]] = {}

        def classify(items: list[Glyph], line: LineMetrics) -> np.ndarray:
            fresh = [g for g in items if id(g) not in seen]
            if fresh:
                answers = (page.classify(fresh, line) if page is not None
                           else self.classify(fresh, line))
                for g, p in zip(fresh, answers, strict=True):
                    seen[id(g)] = (g, p)
            return np.array([seen[id(g)][1] for g in items])

        def read() -> list[Run]:
            return find_runs(glyphs, metrics, classify, numeric=numeric, breaks=breaks,
                             hints=lambda sources: _tesseract_digits(entries, sources),
                             letters=letters)

        runs = read()
        # A word holding two numbers is one number with an unclear glyph or blob inside
        # ("๓-๘๘๖๐-๗๒๗๖๖" with ๗๒ touching): read it again as a number throughout.
        split = [e for e in entries
                 if sum(bool(e.glyphs.keys() & set(run.sources)) for run in runs) > 1]
        if split:
            numeric |= {key for e in split for key in e.glyphs}
            runs = read()
        for run in runs:
            if _plausible(run, entries):
                entries = _apply(entries, run, words[0].line)
                if page is not None:
                    page.observe(run)
        return [e.word for e in entries]

    def _row_numbers(self, image: Image.Image, boxes: list[Box]) -> list[_RowNumber]:
        """The numbers on the rows of the page no word box (`boxes`: all of the page's)
        covers."""
        return [number for row in _uncovered_rows(image, boxes)
                for number in self._read_row(image, row, boxes)]

    def _read_row(self, image: Image.Image, row: Box, boxes: list[Box]) -> list[_RowNumber]:
        """The numbers on one uncovered row. Tesseract saw nothing there to weigh in, so each
        must be as sure as a number in a word tesseract read as letters."""
        x0, y0, x1, y1 = (int(v) for v in row)
        found = segment_ink(lightness(image.crop((x0, y0, x1, y1))), (x0, y0))
        # whole glyphs of this row: not cut by the crop, not another line's
        glyphs = [g for g in found if g.top > y0 and g.bottom < y1 and not _in_any(g, boxes)]
        metrics = line_metrics(glyphs)
        if metrics is None:
            return []
        kh = metrics.x_height
        glyphs = [g for g in glyphs
                  if not is_noise(g, metrics) and g.height <= 3.2 * kh and g.width <= 10 * kh]
        runs = [run for run in find_runs(glyphs, metrics, self.classify)
                if run.digit_mass >= LETTERS_ONLY_MIN_P]
        if not runs:
            return []
        # The whole row goes with one line, as the next thing after the nearest word above
        # it (tesseract's lines next to a row it left out are often a stamp's or a
        # signature's garbage below it); on top of the page, before the nearest word below.
        top = float(np.median([g.top for g in glyphs]))
        bottom = float(np.median([g.bottom for g in glyphs]))
        left, right = float(glyphs[0].left), float(max(g.right for g in glyphs))
        above = [b for b in boxes if b[1] + b[3] < top + bottom]
        owner = min(above or boxes, key=lambda b: _apart(b[1], b[3], top, bottom)
                    + _apart(b[0], b[2], left, right))
        return [_RowNumber(run, owner, bool(above)) for run in runs]


def _line_glyphs(image: Image.Image, boxes: list[Box], span: tuple[float, float],
                 elsewhere: list[Box]) -> tuple[list[Glyph], LineMetrics | None]:
    """The glyphs of one line: those inside its words' boxes, then those tesseract left out
    that stand on the same baseline anywhere across the text area (a table's first column,
    a date tesseract skipped), unless they belong to another line's words."""
    top = min(b[1] for b in boxes)
    bottom = max(b[3] for b in boxes)
    pad = 0.3 * (bottom - top)
    reach = 3 * (bottom - top)  # past the outermost words: a table's first column
    x0, y0 = max(0, int(span[0] - reach)), max(0, int(top - pad))
    x1, y1 = min(image.width, int(span[1] + reach) + 1), min(image.height, int(bottom + pad) + 1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return [], None
    elsewhere = [b for b in elsewhere if b[3] > y0 and b[1] < y1]
    found = segment_ink(lightness(image.crop((x0, y0, x1, y1))), (x0, y0))
    inside = [g for g in found if _in_any(g, boxes)]
    metrics = line_metrics(inside)
    if metrics is None:
        return [], None
    kh = metrics.x_height
    kept = []
    for g in found:
        if is_noise(g, metrics) or g.height > 3.2 * kh or g.width > 10 * kh:
            continue
        base = metrics.baseline_at(g.x_center)
        on_line = base - 1.9 * kh < (g.top + g.bottom) / 2 < base + 0.9 * kh
        if _in_any(g, boxes) or (on_line and not _in_any(g, elsewhere)):
            kept.append(g)
    return kept, metrics


def _uncovered_rows(image: Image.Image, boxes: list[Box]) -> list[Box]:
    """Crop boxes of the rows of text no word box covers nor shares a row with.

    Tesseract returns no line at all for some rows: one a stamp or a signature touches, a date
    set apart, now and then a plain line. Letter-sized ink blobs that are in no word box and in
    no word box's row are chained into rows (neighbours on the same baseline); rows of fewer
    than ROW_MIN_BLOBS blobs (dust, a stroke of a signature) are dropped, and so are those
    taller than a text row (texture, a photo).
    """
    if not boxes:
        return []
    blobs = page_blobs(image)
    blobs = blobs[(blobs[:, 2:] - blobs[:, :2]).max(axis=1) >= 6]  # specks say nothing here
    if len(blobs) == 0:
        return []
    words = np.array(boxes, dtype=np.float64)
    cx = (blobs[:, 0] + blobs[:, 2]) / 2
    cy = (blobs[:, 1] + blobs[:, 3]) / 2
    heights = blobs[:, 3] - blobs[:, 1]
    widths = blobs[:, 2] - blobs[:, 0]
    in_rows = (words[None, :, 1] <= cy[:, None]) & (cy[:, None] <= words[None, :, 3])
    covered = (in_rows & (words[None, :, 0] <= cx[:, None])
               & (cx[:, None] <= words[None, :, 2])).any(axis=1)
    # the consonant height of the page's text, from the blobs in its words (marks left out)
    inside = heights[covered]
    inside = inside[inside >= 0.45 * np.percentile(inside, 90)] if inside.size >= 10 else inside
    if inside.size < 10:
        return []
    kh = float(np.median(inside))
    loose = np.flatnonzero(~in_rows.any(axis=1) & (heights >= 0.55 * kh)
                           & (heights <= 1.8 * kh) & (widths <= 3 * kh))
    if loose.size < ROW_MIN_BLOBS:
        return []
    loose = loose[np.argsort(blobs[loose, 0], kind="stable")]
    chains = _link(blobs, loose, kh)
    rows: list[list[float]] = []
    for members in sorted(chains, key=lambda m: float(blobs[m, 0].min())):
        box = [float(blobs[members, 0].min()), float(blobs[members, 1].min()),
               float(blobs[members, 2].max()), float(blobs[members, 3].max()), len(members)]
        same = next((r for r in rows if min(r[3], box[3]) - max(r[1], box[1])
                     >= 0.5 * min(r[3] - r[1], box[3] - box[1])), None)
        if same is None:
            rows.append(box)
        else:  # the row goes on past a gap
            same[:] = [min(same[0], box[0]), min(same[1], box[1]), max(same[2], box[2]),
                       max(same[3], box[3]), same[4] + box[4]]
    pad_x, pad_y = 0.5 * kh, 0.8 * kh  # the row's marks above and below, its edges
    return [(max(0.0, r[0] - pad_x), max(0.0, r[1] - pad_y), min(float(image.width), r[2] + pad_x),
             min(float(image.height), r[3] + pad_y))
            for r in sorted(rows, key=lambda r: r[1] + r[3])  # top to bottom: reading order
            if r[4] >= ROW_MIN_BLOBS and r[3] - r[1] <= ROW_MAX_HEIGHT * kh]


def _link(blobs: np.ndarray, order: np.ndarray, kh: float) -> list[list[int]]:
    """Blobs (given left to right) chained with neighbours close by on the same row."""
    parent = {int(i): int(i) for i in order}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for at, i in enumerate(order):
        a = blobs[i]
        for j in order[at + 1 :]:
            b = blobs[j]
            if b[0] > a[2] + ROW_LINK * kh:
                break
            overlap = min(a[3], b[3]) - max(a[1], b[1])
            if overlap >= 0.4 * min(a[3] - a[1], b[3] - b[1]):
                parent[root(int(i))] = root(int(j))
    chains: dict[int, list[int]] = defaultdict(list)
    for i in order:
        chains[root(int(i))].append(int(i))
    return list(chains.values())


def _apart(a0: float, a1: float, b0: float, b1: float) -> float:
    """The gap between two intervals, 0 where they overlap."""
    return max(0.0, a0 - b1, b0 - a1)


def _plausible(run: Run, entries: list[_Entry]) -> bool:
    """Where tesseract read letters only (no digit at all), the model must be sure of every
    digit: a Thai letter of an unseen face is the likeliest thing to pass for a digit."""
    sources = set(run.sources)
    text = "".join(e.word.text for e in entries if e.glyphs.keys() & sources)
    if any(ch in THAI_DIGITS or ch in ARABIC_DIGITS for ch in text):
        return True
    return run.digit_mass >= LETTERS_ONLY_MIN_P


def _tesseract_digits(entries: list[_Entry], sources: list[int]) -> str | None:
    """The digits tesseract read in the words holding these glyphs, if all are numbers."""
    holders: list[_Entry] = []
    for key in sources:
        holder = next((e for e in entries if key in e.glyphs), None)
        if holder is None or not _number_like(holder.word.text):
            return None
        if not holders or holders[-1] is not holder:
            holders.append(holder)
    return "".join(ch for e in holders for ch in e.word.text if ch in TESSERACT_MEANS)


def _number_like(text: str) -> bool:
    """Whether tesseract read a number here: mostly digits and separators, the rest only
    what tesseract writes for the digits it lacks (ฒ, ณ, Latin letters ...)."""
    digits = sum(ch in THAI_DIGITS or ch in ARABIC_DIGITS for ch in text)
    separators = sum(ch in "-/.," for ch in text)
    stand_ins = sum(ch in DIGITISH for ch in text) - digits - separators
    return (digits >= 2 and digits + separators >= 0.6 * len(text)
            and digits + separators + stand_ins == len(text))


def _in_any(glyph: Glyph, boxes: list[Box]) -> bool:
    cx, cy = glyph.x_center, (glyph.top + glyph.bottom) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _assign(words: list[Word], body: list[Glyph]) -> list[_Entry]:
    """Each body glyph goes to the smallest word box holding its centre."""
    entries = [_Entry(w, {}) for w in words]
    for g in body:
        cx, cy = g.x_center, (g.top + g.bottom) / 2
        holders = [e for e in entries if _holds(e.word.bbox, cx, cy)]
        if holders:
            min(holders, key=lambda e: _area(e.word.bbox)).glyphs[id(g)] = g
    return entries


def _holds(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _apply(entries: list[_Entry], run: Run, line: int) -> list[_Entry]:
    """Replace what tesseract read for the run's glyphs by the run's reading."""
    ids = set(run.sources)
    touched = [i for i, e in enumerate(entries) if e.glyphs.keys() & ids]
    # A word with no glyph of its own in the middle of the run is tesseract's ghost of it.
    ghosts = {i for i, e in enumerate(entries)
              if not e.glyphs and run.left <= (e.word.bbox[0] + e.word.bbox[2]) / 2 <= run.right}
    new = [_Entry(Word(p.text, _float_box(p.box), line, run.confidence), {})
           for p in run.parts]
    # so that later runs leave it alone
    new[0].glyphs = dict(zip(run.sources, run.glyphs, strict=True))
    if not touched:
        at = next((i for i, e in enumerate(entries) if e.word.bbox[0] > run.left), len(entries))
        at = min([at, *ghosts])
        return [e for i, e in enumerate(entries[:at]) if i not in ghosts] + new + [
            e for i, e in enumerate(entries[at:], start=at) if i not in ghosts]
    first, last = touched[0], touched[-1]
    head, tail = entries[first], entries[last]
    before = [g for g in head.glyphs.values() if id(g) not in ids and g.x_center < run.left]
    after = [g for g in tail.glyphs.values() if id(g) not in ids and g.x_center > run.right]
    if len(before) + len(after) < len(_others(head, ids)) + (
        len(_others(tail, ids)) if last != first else 0
    ):
        return entries  # letters inside the number's span: leave tesseract's reading
    # What stays of a word the number shares keeps its glyphs, so a later run finds it.
    if first == last and before and after:  # "(๓)"
        lead, trail = _outside(head.word.text)
        new[0] = _Entry(_join(lead, new[0].word, head.word, prefix=True),
                        {**new[0].glyphs, **_keyed(before)})
        new[-1] = _Entry(_join(trail, new[-1].word, head.word, prefix=False),
                         {**new[-1].glyphs, **_keyed(after)})
    else:
        if before:  # letters before the number in the same word: "ก.พ.๗"
            kept = _kept(head, ids, at_start=False)
            if kept is None:
                kept = _strip_end(head.word.text, len(head.glyphs.keys() & ids))
            new[0] = _Entry(_join(kept, new[0].word, head.word, prefix=True),
                            {**new[0].glyphs, **_keyed(before)})
        if after:  # "๒๕ม.ค."
            kept = _kept(tail, ids, at_start=True)
            if kept is None:
                kept = _strip_start(tail.word.text, len(tail.glyphs.keys() & ids),
                                    give_back=new[-1].word.text[-1] not in "-/.,")
            new[-1] = _Entry(_join(kept, new[-1].word, tail.word, prefix=False),
                             {**new[-1].glyphs, **_keyed(after)})
    drop = set(range(first, last + 1)) | ghosts
    return ([e for i, e in enumerate(entries[:first]) if i not in drop] + new
            + [e for i, e in enumerate(entries[first:], start=first) if i not in drop])


def _float_box(box: tuple[int, int, int, int]) -> Box:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def _keyed(glyphs: list[Glyph]) -> dict[int, Glyph]:
    return {id(g): g for g in glyphs}


def _others(entry: _Entry, ids: set[int]) -> list[Glyph]:
    return [g for k, g in entry.glyphs.items() if k not in ids]


def _paired(entry: _Entry) -> list[tuple[int, str]]:
    """(glyph id, tesseract's character) for each glyph of a word where tesseract wrote one
    character per glyph (marks above and below left out); none where the two differ."""
    chars = _spelled(entry.word.text)
    if len(chars) != len(entry.glyphs):
        return []
    return [(key, entry.word.text[i]) for key, i in zip(entry.glyphs, chars, strict=True)]


def _spelled(text: str) -> list[int]:
    """Where in `text` the characters standing on the line are (marks above and below, which
    are no glyphs of their own there, left out)."""
    return [i for i, ch in enumerate(text) if unicodedata.category(ch) != "Mn"]


def _letters(entry: _Entry) -> list[int]:
    """The glyphs of a word that tesseract read as letters around its digits ("ท.ร." of
    "ท.ร.๑๕/๑", "โทร" of "โทร.๐"): Thai letters it does not write for digits it lacks (see
    DIGITISH and TESSERACT_MEANS). Letters among its digits ("๑-๖๑๖วส๕๕") are its misreading
    of digits of an unseen face, and are left out."""
    paired = _paired(entry)
    digits = [i for i, (_, ch) in enumerate(paired) if ch in THAI_DIGITS or ch in ARABIC_DIGITS]
    return [key for i, (key, ch) in enumerate(paired)
            if not (digits and digits[0] < i < digits[-1]) and _thai_letter(ch)]


def _thai_letter(ch: str) -> bool:
    """A Thai consonant or vowel other than those tesseract writes for digits it lacks."""
    return ("\u0e01" <= ch <= "\u0e2e" or "\u0e30" <= ch <= "\u0e33" or "\u0e40" <= ch <= "\u0e44"
            ) and ch not in DIGITISH and ch not in TESSERACT_MEANS


def _kept(entry: _Entry, ids: set[int], *, at_start: bool) -> str | None:
    """What stays of a word a number starts (at_start) or ends, where tesseract wrote one
    character per glyph of it: the characters of the glyphs the number left ("9/ว" of
    "04009/ว" when the model took 0400 only), and any Thai letter tesseract read for a glyph
    the number took (the model may be wrong there; a name keeps its letters). None where the two
    do not pair up, and in a word tesseract read as a number, whose other characters are its
    misreading of the same number.
    """
    text = entry.word.text
    chars = _spelled(text)
    if len(chars) != len(entry.glyphs) or _number_like(text):
        return None
    taken = len(entry.glyphs.keys() & ids)
    span = chars[:taken] if at_start else chars[len(chars) - taken :]
    gone = {i for i in span if not _thai_letter(text[i])}
    kept, owner = [], -1
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != "Mn":
            owner = i  # a character's marks go with it
        if owner not in gone:
            kept.append(ch)
    return "".join(kept)


def _strip_end(text: str, glyphs: int) -> str:
    """The text before a number tesseract read into the end of the word (separators kept)."""
    end = len(text)
    while end > 0 and text[end - 1] in DIGITISH and len(text) - end < glyphs + 2:
        end -= 1
    while end < len(text) and text[end] in "-/.,":  # "ก.พ." keeps its full stop
        end += 1
    return text[:end]


def _outside(text: str) -> tuple[str, str]:
    """What surrounds the number tesseract read inside a word: "(" and ")" of "(๓)"."""
    inside = [i for i, ch in enumerate(text) if ch in DIGITISH]
    if not inside:
        return text, ""
    return text[: inside[0]], text[inside[-1] + 1 :]


def _strip_start(text: str, glyphs: int, *, give_back: bool) -> str:
    """The text after a number read into the start of the word; a separator after the number
    goes back to the text unless the reading already ends with one."""
    start = 0
    while start < len(text) and text[start] in DIGITISH and start < glyphs + 2:
        start += 1
    while give_back and start > 0 and text[start - 1] in "-/.,":
        start -= 1
    return text[start:]


def _join(kept: str, number: Word, word: Word, *, prefix: bool) -> Word:
    b, n = word.bbox, number.bbox
    box = (min(b[0], n[0]), min(b[1], n[1]), max(b[2], n[2]), max(b[3], n[3]))
    text = kept + number.text if prefix else number.text + kept
    return Word(text, box, number.line, number.confidence)


@functools.lru_cache(maxsize=1)
def default_reader() -> DigitReader:
    """The reader with the model shipped in ingest/digits/model, loaded once per process."""
    return DigitReader.load()


def correct_page(words: list[Word], image: Image.Image) -> list[Word]:
    """The page corrector ingest.ocr hands ocrmypdf (ingest.ocrplugin.PageCorrector).

    Never fails the page: if the model cannot be loaded or reading goes wrong, the reason is
    logged and tesseract's words are kept as they are.
    """
    try:
        corrected = default_reader().correct_words(image, words)
    except Exception:
        log.warning("digit reader failed on a page; tesseract's digits kept", exc_info=True)
        return list(words)
    lines = {w.line for w in words}
    if any(w.line not in lines for w in corrected):  # never expected; refused by the layer
        log.warning("digit reader moved words to other lines; tesseract's digits kept")
        return list(words)
    return corrected


def corrector_for(image: Image.Image | Path) -> Callable[[list[Word]], list[Word]]:
    """A word corrector (ingest.textlayer.WordCorrector) for the page image tesseract read."""
    page = Image.open(image) if isinstance(image, Path) else image

    def correct(words: list[Word]) -> list[Word]:
        return default_reader().correct_words(page, words)

    return correct
