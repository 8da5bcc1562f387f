"""Digit runs in a line of classified glyphs: which glyphs form numbers and how they read."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from archive.thai import citizen_id_check_digit, fold_digits
from ingest.digits.model import ARABIC, CLASS_INDEX, CLASSES, DIGIT, REJECT, THAI
from ingest.digits.segment import Glyph, LineMetrics, cut_options, split_at

# A glyph is a digit when the digit classes together hold at least this much probability.
DIGIT_MIN_P = 0.6
# A lone digit among letters is where a letter is most easily taken for a digit: ask more.
LONE_DIGIT_MIN_P = 0.97
# two digits nobody else read as a number: a pair of digit-like letters ("ฯ ๆ") is likelier
PAIR_MIN_P = 0.8
SEPARATOR_MIN_P = 0.6
BRIDGE_MIN_P = 0.15
SEPARATOR_INDEX = {CLASS_INDEX[c] for c in "-/.,"}
SEPARATOR = np.array([c in "-/.," for c in CLASSES])
# Inside a word tesseract read as a number, a small glyph this likely a separator is one.
IN_NUMBER_MIN_P = 0.05
# Tesseract's Thai model has no ๔ ๖ ๗ ๘ ๙: what each character it writes where a Thai digit is
# printed can stand for. Measured with tesseract -l tha on 60 pages of the fixtures' *training*
# split (training faces only; python -m ingest.digits.confusion): a digit is listed when
# tesseract wrote that character for at least 2 % of its occurrences. Its Arabic digits mean
# themselves, and 5 and 9 also ๖; the letters it writes for ๗ and ๖ say as much.
TESSERACT_MEANS: dict[str, str] = {
    "๐": "๐๖๗๙", "๑": "๑๖๗๙", "๒": "๒๔๖", "๓": "๓๖๗๙", "๕": "๔๕๗๘๙",
    **{d: d for d in "0123456789"}, "5": "5๖", "9": "9๖",
    "ญ": "๗", "ฒ": "๗๙", "ซ": "๗", "อ": "๖",
}
HINT_AGAINST = 0.1  # weight of a digit tesseract's reading rules out
# Gaps, in consonant heights: never a space below, always one above, a guess between.
SPACE_MIN, SPACE_SURE, SPACE_GUESS = 0.35, 1.0, 0.7
TRAILING = {"/", ".", ","}  # may end a run: "๑๐๐๘/ว ๑๔", "๑.", "๑๒,"
# Gaps wider than this many consonant heights end a number (table columns, far fields).
MAX_GAP = 2.5
# Wider than this (in consonant heights) a "glyph" may be digits touching each other.
TOUCHING_WIDTH = 1.45
# How much probability (in nats) the check digit may overrule to repair one digit of an ID.
ID_REPAIR_MAX_COST = 6.0
# Where tesseract read a letter it never writes for a digit, the model must be this sure.
LETTER_DIGIT_MIN_P = 0.999
# A vowel or tone mark a letter carries starts within this many consonant heights under the
# baseline (ุ ู) or ends within this many above it (ี่ stacked); farther off, it is the line
# below's or above's (the upper vowels of the next line reach up under a number's digits).
MARK_BELOW, MARK_ABOVE = 0.5, 1.9

Classify = Callable[[list[Glyph], LineMetrics], np.ndarray]
Item = tuple[Glyph, np.ndarray, str]  # a glyph, its class probabilities, digit/sep/other
Hints = Callable[[list[int]], "str | None"]


@dataclass(frozen=True)
class Part:
    """Space-separated piece of a run: its text and the box of its glyphs."""

    text: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Run:
    """A number as printed: digits with separators, possibly spaced (an ID as 1 2345 ...)."""

    glyphs: tuple[Glyph, ...]
    parts: tuple[Part, ...]
    confidence: float  # the weakest glyph's probability for its reading
    digit_mass: float = 1.0  # the least probability any of its digits had of being a digit
    # per glyph, the id of the line glyph it is (or was cut from, for touching digits)
    sources: tuple[int, ...] = ()

    @property
    def left(self) -> int:
        return self.glyphs[0].left

    @property
    def right(self) -> int:
        return max(g.right for g in self.glyphs)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.parts)


def body_glyphs(glyphs: list[Glyph], metrics: LineMetrics) -> tuple[list[Glyph], list[Glyph]]:
    """Split into glyphs standing on the line (letters, digits, punctuation) and marks above
    or below it (vowels, tone marks), which digits never carry."""
    body: list[Glyph] = []
    marks: list[Glyph] = []
    kh = metrics.x_height
    for g in glyphs:
        base = metrics.baseline_at(g.x_center)
        above = g.bottom < base - 0.8 * kh
        below = g.top > base - 0.08 * kh
        (marks if above or below else body).append(g)
    return body, marks


def find_runs(glyphs: list[Glyph], metrics: LineMetrics, classify: Classify, *,
              numeric: Collection[int] = (), breaks: Sequence[tuple[float, float]] | None = None,
              hints: Hints | None = None, letters: Collection[int] = ()) -> list[Run]:
    """The numbers of one line, read from its glyphs (left to right).

    numeric: ids of glyphs inside words tesseract read as numbers: there an unclear glyph is
    read as the likeliest digit, and a wide blob is cut into digits, since tesseract has seen
    a number there. breaks: (end, start) of the gaps between tesseract's words, which settle
    whether an unclear gap inside a number is a space. hints: given the ids of a number's
    digit glyphs, the digits tesseract read there (or None); they weigh in where the digit
    model hesitates. letters: ids of glyphs tesseract read as a letter it never writes for a
    digit; such a glyph is a digit only where the model is all but sure (LETTER_DIGIT_MIN_P).
    """
    body, marks = body_glyphs(glyphs, metrics)
    body = without_chips(sorted(body, key=lambda g: g.left), metrics)
    if not body:
        return []
    probs = classify(body, metrics)
    # a letter by tesseract's reading and not surely a digit: a letter, as if it carried a mark
    lettered = {id(g) for g, p in zip(body, probs, strict=True)
                if id(g) in letters and float(p[DIGIT].sum()) < LETTER_DIGIT_MIN_P}
    marked = [has_mark or id(g) in lettered
              for g, has_mark in zip(body, _carries_marks(body, marks, metrics), strict=True)]
    kh = metrics.x_height
    kinds = [_kind(p, has_mark) for p, has_mark in zip(probs, marked, strict=True)]
    # the width of a digit in this face, from the digits the model is sure of
    sure = [g.width for g, p, k in zip(body, probs, kinds, strict=True)
            if k == "digit" and p.max() > 0.9]
    digit_width = float(np.median(sure)) if len(sure) >= 3 else 0.0
    items: list[Item] = []
    parent: dict[int, int] = {}
    for i, (glyph, p, has_mark) in enumerate(zip(body, probs, marked, strict=True)):
        kind = kinds[i]
        in_number = id(glyph) in numeric and not has_mark
        # "/๒" touching is hardly wider than one digit; inside a number it is worth a try
        wide = glyph.width > max((1.0 if in_number else TOUCHING_WIDTH) * kh,
                                 1.3 * digit_width)
        unsure = kind == "other" or (kind == "digit" and p.max() < 0.9)
        if unsure and not has_mark and wide and (in_number or _next_to_digit(body, kinds, i, kh)):
            pieces = _split_touching(glyph, metrics, classify, forced=in_number)
            # a blob the model half believes is one digit is cut only if the pieces read better
            if pieces and (kind == "other" or _support(pieces) > np.log(p.max())):
                items += pieces
                parent.update({id(piece): id(glyph) for piece, _, _ in pieces})
                continue
        if kind == "other" and in_number:
            kind = _kind_in_number(glyph, p, kh)
        items.append((glyph, p, kind))
    _bridge(items, metrics, lettered)
    runs = []
    for chunk in _chunks(items, metrics):
        sources = [parent.get(id(g), id(g)) for g, _, _ in chunk]
        hint = hints([s for s, (_, _, k) in zip(sources, chunk, strict=True) if k == "digit"]
                     ) if hints else None
        run = _read(chunk, metrics, breaks, hint)
        if run is not None:
            runs.append(replace(run, sources=tuple(sources)))
    return runs


def without_chips(body: list[Glyph], metrics: LineMetrics) -> list[Glyph]:
    """Drop small pieces lying over a neighbour's span: a chip broken off a faint digit, or a
    speck on it, is no full stop (a real one stands clear of the digit before it). Drop too a
    speck floating at mid-height between glyphs: a full stop sits on the baseline and a dash
    is long; alone (not one of a colon's two dots) it is a toner speck or a broken-off tail,
    and left in it would cut a number in two."""
    small = 0.4 * metrics.x_height
    speck = SPECK_SIZE * metrics.x_height
    keep = []
    for i, g in enumerate(body):
        if max(g.width, g.height) < small:
            near = [body[j] for j in (i - 1, i + 1) if 0 <= j < len(body)]
            if any(n.left <= g.x_center <= n.right and max(n.width, n.height) >= small
                   for n in near):
                continue
        if max(g.width, g.height) < speck and _floating(g, body, metrics):
            continue
        keep.append(g)
    return keep


# A blob no larger than this share of the x-height, off the baseline, is a speck.
SPECK_SIZE = 0.2


def _floating(glyph: Glyph, body: list[Glyph], metrics: LineMetrics) -> bool:
    """Whether a small blob stands clear above the baseline with no other dot over or under
    it (a colon's or a semicolon's pair)."""
    kh = metrics.x_height
    if glyph.bottom > metrics.baseline_at(glyph.x_center) - 0.3 * kh:
        return False
    return not any(other is not glyph and other.left < glyph.right and glyph.left < other.right
                   and max(other.width, other.height) < 0.4 * kh for other in body)


def _support(pieces: list[Item]) -> float:
    return float(np.mean([np.log(max(p[DIGIT].sum(), p[SEPARATOR].sum())) for _, p, _ in pieces]))


def _next_to_digit(body: list[Glyph], kinds: list[str], i: int, kh: float) -> bool:
    """Whether a digit stands right before or after body[i] (touching digits have company)."""
    before = i > 0 and kinds[i - 1] == "digit" and body[i].left - body[i - 1].right < 0.6 * kh
    after = (i + 1 < len(body) and kinds[i + 1] == "digit"
             and body[i + 1].left - body[i].right < 0.6 * kh)
    return before or after


def _kind_in_number(glyph: Glyph, p: np.ndarray, kh: float) -> str:
    """Inside a word tesseract read as a number: digit-sized is a digit (read by tesseract
    where the model sees none, see _weigh), small a separator."""
    if 0.55 * kh < glyph.height < 1.6 * kh and glyph.width < TOUCHING_WIDTH * kh:
        return "digit"
    if glyph.height < 0.5 * kh and p[SEPARATOR].sum() >= IN_NUMBER_MIN_P:
        return "sep"
    return "other"


def _bridge(items: list[Item], metrics: LineMetrics, letters: Collection[int]) -> None:
    """An unclear glyph between two digits, close to both, is a digit too: a smudged digit
    inside a number is far likelier than a letter glued into it (unless tesseract read a
    letter there: the ids in `letters`)."""
    kh = metrics.x_height
    for i in range(1, len(items) - 1):
        (a, _, ka), (g, p, kind), (b, _, kb) = items[i - 1], items[i], items[i + 1]
        if kind != "other" or ka != "digit" or kb != "digit" or id(g) in letters:
            continue
        close = g.left - a.right < 0.6 * kh and b.left - g.right < 0.6 * kh
        digit_sized = 0.6 * kh < g.height < 1.5 * kh and g.width < TOUCHING_WIDTH * kh
        if close and digit_sized and p[DIGIT].sum() >= BRIDGE_MIN_P:
            items[i] = (g, p, "digit")


def _kind(p: np.ndarray, has_mark: bool) -> str:
    best = int(np.argmax(p))
    if has_mark:
        return "other"
    if DIGIT[best] and p[DIGIT].sum() >= DIGIT_MIN_P:
        return "digit"
    if best in SEPARATOR_INDEX and p[best] >= SEPARATOR_MIN_P:
        return "sep"
    return "other"


def _carries_marks(body: list[Glyph], marks: list[Glyph], metrics: LineMetrics) -> list[bool]:
    """Whether a vowel or tone mark sits over or under each body glyph (then it is a letter)."""
    flags = [False] * len(body)
    lefts = np.array([g.left for g in body])
    kh = metrics.x_height
    for m in marks:
        if max(m.width, m.height) < 0.2 * kh:
            continue  # a speck of dust, not a mark
        base = metrics.baseline_at(m.x_center)
        if m.top > base + MARK_BELOW * kh or m.bottom < base - MARK_ABOVE * kh:
            continue  # a mark of the line below or above, not one this glyph carries
        i = int(np.searchsorted(lefts, m.x_center, side="right")) - 1
        if i >= 0 and body[i].left <= m.x_center <= body[i].right:
            flags[i] = True
    return flags


def _split_touching(glyph: Glyph, metrics: LineMetrics, classify: Classify, *, forced: bool
                    ) -> list[Item]:
    """Cut a wide blob into 2-4 digits or separators ("๙๒", "/๒") at the cuts that read best.

    Outside tesseract's numbers every piece must read as a digit or separator with
    confidence; inside them (forced) the best cut is taken unless it reads as nothing.
    """
    kh = metrics.x_height
    candidates: list[list[Glyph]] = []
    for count in range(2, 5):
        if glyph.width / count < 0.35 * kh:
            break
        for cuts in cut_options(glyph, count, per_cut=3 if count < 4 else 2):
            pieces = split_at(glyph, cuts)
            if len(pieces) == count:
                candidates.append(pieces)
    if not candidates:
        return []
    flat = [g for pieces in candidates for g in pieces]
    probs = classify(flat, metrics)
    best: list[Item] = []
    best_score = -np.inf
    at = 0
    for pieces in candidates:
        p = probs[at : at + len(pieces)]
        at += len(pieces)
        kinds = ["digit" if q[DIGIT].sum() >= q[SEPARATOR].sum() else "sep" for q in p]
        support = np.maximum(p[:, DIGIT].sum(axis=1), p[:, SEPARATOR].sum(axis=1))
        if "digit" not in kinds or any(
            a == b == "sep" for a, b in zip(kinds, kinds[1:], strict=False)
        ):
            continue
        if support.min() < (0.3 if forced else 0.8):
            continue
        score = float(np.log(support).mean())
        if score > best_score:
            best_score = score
            best = [(g, q, k) for g, q, k in zip(pieces, p, kinds, strict=True)]
    return best


def _chunks(items: list[Item], metrics: LineMetrics
            ) -> list[list[Item]]:
    """Maximal stretches of digit/separator glyphs that start and end with a digit (or a
    trailing separator right after a digit), never two separators in a row."""
    chunks: list[list[Item]] = []
    current: list[Item] = []

    def close() -> None:
        while current and current[-1][2] == "sep" and not (
            _label(current[-1][1]) in TRAILING and len(current) > 1
            and current[-2][2] == "digit"
            and current[-1][0].left - current[-2][0].right < 0.35 * metrics.x_height
        ):
            current.pop()
        if current:
            chunks.append(list(current))
        current.clear()

    for item in items:
        glyph, _, kind = item
        if current and glyph.left - current[-1][0].right > MAX_GAP * metrics.x_height:
            close()
        if kind == "digit" or kind == "sep" and current and current[-1][2] == "digit":
            current.append(item)
        else:
            close()
    close()
    return chunks


def _label(p: np.ndarray) -> str:
    return CLASSES[int(np.argmax(p))]


def _read(chunk: list[Item], metrics: LineMetrics,
          breaks: Sequence[tuple[float, float]] | None, hint: str | None = None) -> Run | None:
    if hint is not None and len(hint) == sum(kind == "digit" for _, _, kind in chunk):
        guesses = iter(hint)
        chunk = [(g, _weigh(p, next(guesses)) if kind == "digit" else p, kind)
                 for g, p, kind in chunk]
    digits = [p for _, p, kind in chunk if kind == "digit"]
    if len(digits) == 1 and digits[0][DIGIT].sum() < LONE_DIGIT_MIN_P:
        return None
    if hint is None and len(digits) == 2 and min(p[DIGIT].sum() for p in digits) < PAIR_MIN_P:
        return None
    # One script per number: a clerk never mixes ๑๒3; the whole run votes.
    thai_vote = sum(np.log(p[THAI].sum() + 1e-9) for p in digits)
    arabic_vote = sum(np.log(p[ARABIC].sum() + 1e-9) for p in digits)
    script = THAI if thai_vote >= arabic_vote else ARABIC
    chars: list[str] = []
    confidences: list[float] = []
    alternatives: list[np.ndarray | None] = []
    for _, p, kind in chunk:
        if kind == "digit":
            q = np.where(script, p, 0.0)
            q = q / q.sum()
            best = int(np.argmax(q))
            alternatives.append(q)
        else:
            q = np.where(SEPARATOR, p, 0.0)
            q = q / q.sum() if q.sum() > 0 else SEPARATOR / SEPARATOR.sum()
            best = int(np.argmax(q))
            alternatives.append(None)
        chars.append(CLASSES[best])
        confidences.append(float(q[best]))
    _repair_citizen_id(chars, alternatives)
    return Run(tuple(g for g, _, _ in chunk), _parts(chunk, chars, metrics, breaks),
               min(confidences), min(float(p[DIGIT].sum()) for p in digits))


def _weigh(p: np.ndarray, tesseract: str) -> np.ndarray:
    """The model's probabilities weighed by what tesseract read for the glyph: the digits it
    can mean keep their weight, the others lose most of it."""
    meant = TESSERACT_MEANS.get(tesseract)
    if meant is None:
        return p
    # The model's choice among digits counts as much as it believes the glyph is a digit at
    # all: for a glyph it rejects, tesseract's reading decides.
    mass = min(1.0, float(p[DIGIT].sum()))
    p = np.where(DIGIT, p + (1.0 - mass) / DIGIT.sum(), p)
    weights = np.where([c in meant or not DIGIT[i] for i, c in enumerate(CLASSES)], 1.0,
                       HINT_AGAINST)
    q = p * weights
    return q / q.sum()


def _repair_citizen_id(chars: list[str], alternatives: list[np.ndarray | None]) -> None:
    """A 13-digit number whose check digit fails: read it as the likeliest sequence of digits
    that is a valid citizen ID, if that costs the classifier's reading little.

    Exact over every combination of each glyph's readings (a dynamic programme over the
    weighted sum mod 11), so two unclear digits are repaired together; the reading changes
    only when its probability is within ID_REPAIR_MAX_COST nats of the invalid one.
    """
    positions = [i for i, c in enumerate(chars) if c not in "-/.,"]
    if len(positions) != 13 or any(chars[i] in "/.," for i in range(len(chars))):
        return
    digits = fold_digits("".join(chars[i] for i in positions))
    if citizen_id_check_digit(digits[:12]) == int(digits[12]):
        return
    # per position: (cost, class index, digit value) of each reading the glyph allows
    options: list[list[tuple[float, int, int]]] = []
    for i in positions:
        q = alternatives[i]
        if q is None:
            return
        current = CLASS_INDEX[chars[i]]
        base = float(np.log(q[current] + 1e-12))
        options.append([(base - float(np.log(q[c] + 1e-12)), int(c),
                         int(fold_digits(CLASSES[c]))) for c in np.flatnonzero(q > 0)
                        if base - float(np.log(q[c] + 1e-12)) <= ID_REPAIR_MAX_COST])
    # best[s]: the cheapest readings of the first k digits whose weighted sum is s mod 11
    best: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    for k, choices in enumerate(options[:12]):
        step: dict[int, tuple[float, tuple[int, ...]]] = {}
        for total, (cost, picked) in best.items():
            for extra, cls, value in choices:
                key = (total + value * (13 - k)) % 11
                if cost + extra <= ID_REPAIR_MAX_COST and (
                    key not in step or cost + extra < step[key][0]
                ):
                    step[key] = (cost + extra, (*picked, cls))
        best = step
    found: tuple[float, tuple[int, ...]] | None = None
    for total, (cost, picked) in best.items():
        for extra, cls, value in options[12]:
            if value == (11 - total) % 10 and cost + extra <= ID_REPAIR_MAX_COST and (
                found is None or cost + extra < found[0]
            ):
                found = (cost + extra, (*picked, cls))
    if found is not None:
        for i, cls in zip(positions, found[1], strict=True):
            chars[i] = CLASSES[cls]


def _parts(chunk: list[Item], chars: list[str], metrics: LineMetrics,
           breaks: Sequence[tuple[float, float]] | None) -> tuple[Part, ...]:
    """Split the run where a gap is a space (an ID printed as 1 2345 67890 12 3)."""
    glyphs = [g for g, _, _ in chunk]
    parts: list[Part] = []
    start = 0
    for i in range(len(glyphs)):
        if i == len(glyphs) - 1 or _is_space(glyphs[i], glyphs[i + 1], metrics, breaks):
            members = glyphs[start : i + 1]
            box = (min(g.left for g in members), min(g.top for g in members),
                   max(g.right for g in members), max(g.bottom for g in members))
            parts.append(Part("".join(chars[start : i + 1]), box))
            start = i + 1
    return tuple(parts)


def _is_space(a: Glyph, b: Glyph, metrics: LineMetrics,
              breaks: Sequence[tuple[float, float]] | None) -> bool:
    """Digits of typewriter faces stand up to 0.65 consonant heights apart, a space in set
    faces can be as narrow: between the two, tesseract's word spacing decides."""
    kh = metrics.x_height
    gap = b.left - a.right
    if gap < SPACE_MIN * kh or gap > SPACE_SURE * kh:
        return gap > SPACE_SURE * kh
    if breaks is None:
        return gap > SPACE_GUESS * kh
    return any(a.right - 0.3 * kh <= (end + start) / 2 <= b.left + 0.3 * kh
               for end, start in breaks)


__all__ = ["REJECT", "Part", "Run", "body_glyphs", "find_runs", "without_chips"]
