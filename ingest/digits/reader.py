"""Correct the numbers in a page's OCR words by reading their glyphs with the digit model."""

from __future__ import annotations

import functools
import logging
import string
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from archive.thai import THAI_DIGITS
from ingest.digits.adapt import PageAdaptation
from ingest.digits.locate import TESSERACT_MEANS, Run, body_glyphs, find_runs, without_chips
from ingest.digits.model import ARABIC_DIGITS, MODEL_PATH, GlyphClassifier
from ingest.digits.segment import Glyph, LineMetrics, features, is_noise, lightness, line_metrics
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


@dataclass
class _Entry:
    word: Word
    glyphs: dict[int, Glyph]  # the body glyphs inside it, by id


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
        by_line: dict[int, list[Word]] = defaultdict(list)
        for word in words:
            by_line[word.line].append(word)
        if not by_line:
            return []
        # the text area: a line's row is searched across it for numbers tesseract left out
        span = (min(w.bbox[0] for w in words), max(w.bbox[2] for w in words))
        page = PageAdaptation(self.classify)

        def read(line: int) -> list[Word]:
            page.line = line
            elsewhere = [w.bbox for w in words if w.line != line]
            return self._correct_line(image, by_line[line], span, elsewhere, page)

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
                             hints=lambda sources: _tesseract_digits(entries, sources))

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
            kept = _strip_end(head.word.text, len(head.glyphs.keys() & ids))
            new[0] = _Entry(_join(kept, new[0].word, head.word, prefix=True),
                            {**new[0].glyphs, **_keyed(before)})
        if after:  # "๒๕ม.ค."
            kept = _strip_start(tail.word.text, len(tail.glyphs.keys() & ids),
                                give_back=new[-1].word.text[-1] not in "-/.,")
            new[-1] = _Entry(_join(kept, new[-1].word, tail.word, prefix=False),
                             {**new[-1].glyphs, **_keyed(after)})
    drop = set(range(first, last + 1)) | ghosts
    return entries[:first] + new + [e for i, e in enumerate(entries[first:], start=first)
                                    if i not in drop]


def _float_box(box: tuple[int, int, int, int]) -> Box:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def _keyed(glyphs: list[Glyph]) -> dict[int, Glyph]:
    return {id(g): g for g in glyphs}


def _others(entry: _Entry, ids: set[int]) -> list[Glyph]:
    return [g for k, g in entry.glyphs.items() if k not in ids]


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
