"""The OCR text layer with whole Thai words: tesseract's hOCR boxes, the stored text's words."""

from __future__ import annotations

import itertools
import logging
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ocrmypdf.models.ocr_element import BoundingBox, OcrClass, OcrElement

from archive.thai import THAI_DIGITS, clean_ocr_text

log = logging.getLogger(__name__)

# Fallback only (tesseract's text missing or not matching its hOCR): two Thai pieces closer
# than this share of the line height are one word. On 16 pt Garuda/Loma test scans 95 % of the
# gaps inside a word were under 0.25 and most word spaces over 0.3, but the two overlap: the
# gaps alone kept about 70 % of the words whole, tesseract's text output all of them.
THAI_GAP_RATIO = 0.3
_NO_WORD_STARTS_WITH = set("ะาำๅ")  # plus every combining mark, checked by category
_NO_WORD_ENDS_WITH = set("เแโใไ")

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """One word of the text layer, as a viewer's search and copy will see it."""

    text: str
    bbox: BBox  # left, top, right, bottom in pixels of the image tesseract read
    line: int  # index of its line on the page, in reading order
    confidence: float | None = None  # 0..1, the weakest of the pieces it was made from


WordCorrector = Callable[[list[Word]], list[Word]]


@dataclass(frozen=True)
class TextLayer:
    page: OcrElement  # the page tree for ocrmypdf's renderer, one ocrx_word per word
    text: str  # the page's text, laid out as tesseract's text output is, in reading order


@dataclass
class _Piece:
    text: str
    bbox: BoundingBox | None
    confidence: float | None
    space_before: bool = True


def build_text_layer(
    page: OcrElement, tesseract_text: str | None, *, correct: WordCorrector | None = None
) -> TextLayer:
    """Rebuild a page's words so that each Thai word is one ocrx_word, as in the stored text.

    Tesseract reports a Thai word as many hOCR words (often one per letter or mark) and
    ocrmypdf's renderer puts a space after each, so a viewer finds "ค ำ ส ั่ ง". Its text
    output (`tesseract_text`, made in the same run) knows where the real spaces are: the pieces
    are joined by it, then cleaned with clean_ocr_text, the same cleaning as the stored text,
    and each cleaned word gets the union of its pieces' boxes. `correct` may then change the
    words (a better digit reading, say) before they are rendered. The input tree is not changed.
    """
    page = _copy_above_words(page)
    paragraphs = page.paragraphs or [page]
    lines = [line for par in paragraphs for line in par.lines]
    par_sizes = [len(par.lines) for par in paragraphs]
    pieces = [_pieces(line) for line in lines]
    if not _space_from_text([p for line in pieces for p in line], tesseract_text or ""):
        if tesseract_text is not None:
            log.warning("tesseract's text does not match its hOCR; word spaces from geometry")
        for line, line_pieces in zip(lines, pieces, strict=True):
            _space_from_geometry(line_pieces, line.bbox)
    words, emptied = _rejoin_split_lines(_clean([_join(ps) for ps in pieces], par_sizes))
    if correct is not None:
        words = [w for w in correct(words) if w.text.strip()]
    words = _join_dash_cuts(words)
    by_line: list[list[Word]] = [[] for _ in lines]
    for word in words:
        if not 0 <= word.line < len(lines):
            raise ValueError(f"word {word.text!r} is on line {word.line} of {len(lines)}")
        by_line[word.line].append(word)
    for line, line_words in zip(lines, by_line, strict=True):
        line.children = [
            OcrElement(
                ocr_class=OcrClass.WORD,
                bbox=BoundingBox(*box),
                text=w.text,
                confidence=w.confidence,
            )
            for w, box in zip(line_words, _spaced(line_words, line.bbox), strict=True)
        ]
    # A line whose words all went to the line it continues leaves no empty line behind.
    starts = [0, *itertools.accumulate(par_sizes)]
    texts: list[str] = []
    sizes: list[int] = []
    for k in _reading_order(paragraphs):
        mine = [i for i in range(starts[k], starts[k] + par_sizes[k]) if i not in emptied]
        if mine:
            texts += [" ".join(w.text for w in by_line[i]) for i in mine]
            sizes.append(len(mine))
    return TextLayer(page=page, text=_page_text(texts, sizes))


def _reading_order(paragraphs: list[OcrElement]) -> list[int]:
    """The paragraphs as a Thai official paper is read: row by row from the top, and left to
    right where paragraphs start on the same row (tops within ROW_TOLERANCE of a line height).

    Tesseract's own order reads a letter's header column by column (the sender's address on
    the right before the number on the left of the same row) and a short block set apart at
    the top (a form code such as ท.ร.๑๔/๑ at the top right) after the heading under it.
    A paragraph is never split: a block of lines keeps its lines together.
    """
    boxes = [par.bbox for par in paragraphs]
    heights = sorted(line.bbox.height for par in paragraphs for line in par.lines
                     if line.bbox is not None)
    if len(paragraphs) < 2 or not heights or any(box is None for box in boxes):
        return list(range(len(paragraphs)))
    tolerance = ROW_TOLERANCE * heights[len(heights) // 2]
    order: list[int] = []
    row: list[int] = []
    for k in sorted(range(len(paragraphs)), key=lambda k: _top(paragraphs[k])):
        if row and _top(paragraphs[k]) - _top(paragraphs[row[0]]) > tolerance:
            order += sorted(row, key=lambda j: _left(paragraphs[j]))
            row = []
        row.append(k)
    return order + sorted(row, key=lambda j: _left(paragraphs[j]))


# Paragraphs whose tops lie within this share of a line's height start on the same row.
ROW_TOLERANCE = 0.6


def _top(element: OcrElement) -> float:
    return element.bbox.top if element.bbox is not None else 0.0


def _left(element: OcrElement) -> float:
    return element.bbox.left if element.bbox is not None else 0.0


def _copy_above_words(element: OcrElement) -> OcrElement:
    """A copy of the tree down to its lines; the words are shared, since build_text_layer
    replaces each line's words and never changes one (a deep copy cost 50 ms a page)."""
    if element.ocr_class == OcrClass.WORD:
        return element
    return replace(element, children=[_copy_above_words(child) for child in element.children])


# A line tesseract split in two (skewed scans, a stamp nearby): the right part starts within
# this many line heights of the left part's end, on the same baseline give or take the skew.
SPLIT_LINE_GAP = 1.5
SPLIT_LINE_SKEW = 0.035  # tan 2 degrees: more than a scanner's skew


def _rejoin_split_lines(words: list[Word]) -> tuple[list[Word], set[int]]:
    """Put back together lines tesseract split in two and set apart in its reading order.

    On a skewed scan tesseract may end a line early and give the rest ("ชาชน ๑๒๓...") as a
    line of its own elsewhere on the page, so the text reads out of order and a number loses
    the words that name it. The right part's words move to the left part's line (and where
    the cut fell inside a Thai word, the two halves become one word again). Returns the words
    and the lines left empty.
    """
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(word.line, []).append(word)
    target: dict[int, int] = {}
    for right, r_words in rows.items():
        first = min(r_words, key=lambda w: w.bbox[0])
        best: tuple[float, int] | None = None
        for left, l_words in rows.items():
            if left == right:
                continue
            last = max(l_words, key=lambda w: w.bbox[2])
            height = max(last.bbox[3] - last.bbox[1], first.bbox[3] - first.bbox[1])
            gap = first.bbox[0] - last.bbox[2]
            if not -0.2 * height <= gap <= SPLIT_LINE_GAP * height:
                continue
            dx = (first.bbox[0] + first.bbox[2]) / 2 - (last.bbox[0] + last.bbox[2]) / 2
            dy = abs((first.bbox[1] + first.bbox[3]) / 2 - (last.bbox[1] + last.bbox[3]) / 2)
            if dy > 0.3 * height + SPLIT_LINE_SKEW * dx:
                continue
            if best is None or gap < best[0]:
                best = (gap, left)
        if best is not None:
            target[right] = best[1]
    if not target:
        return words, set()

    def home(line: int) -> int:
        seen = {line}
        while line in target and target[line] not in seen:
            line = target[line]
            seen.add(line)
        return line

    groups: dict[int, list[int]] = {}
    for line in rows:
        groups.setdefault(home(line), []).append(line)
    dest = {line: min(group) for group in groups.values() for line in group}
    joined: dict[int, list[Word]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        at = min(group)
        parts = sorted(group, key=lambda n: min(w.bbox[0] for w in rows[n]))
        out = [replace(w, line=at) for w in rows[parts[0]]]
        for part in parts[1:]:
            for k, word in enumerate(sorted(rows[part], key=lambda w: w.bbox[0])):
                prev = max(out, key=lambda w: w.bbox[2])
                if (k == 0 and _is_thai(prev.text[-1:]) and _is_thai(word.text[:1])
                        and word.bbox[0] - prev.bbox[2]
                        < THAI_GAP_RATIO * (word.bbox[3] - word.bbox[1])):
                    out[out.index(prev)] = Word(prev.text + word.text,
                                                _box_union(prev.bbox, word.bbox), at,
                                                _weakest(prev.confidence, word.confidence))
                else:
                    out.append(replace(word, line=at))
        joined[at] = out
    words = [w for line in sorted(rows) if dest[line] == line
             for w in joined.get(line, rows[line])]
    return words, {line for line in rows if dest[line] != line}


_DIGITS = frozenset("0123456789" + THAI_DIGITS)


def _join_dash_cuts(words: list[Word]) -> list[Word]:
    """One word again for a number tesseract cut beside one of its dashes ("๓-๘๘๕๙-๖๕๕๕๘-
    ๑๑- ๐", "3- 4928-20544-75-5"): a space on one side only of a dash between digits is a
    gap in the print (a typewriter face's wide dash), not the paper's. A range with spaces on
    both sides ("๑๐ - ๒๐") is three words and stays so."""
    out: list[Word] = []
    for word in words:
        prev = out[-1] if out else None
        if prev is not None and prev.line == word.line and _dash_cut(prev.text, word.text):
            out[-1] = Word(prev.text + word.text, _box_union(prev.bbox, word.bbox), prev.line,
                           _weakest(prev.confidence, word.confidence))
        else:
            out.append(word)
    return out


def _dash_cut(left: str, right: str) -> bool:
    if left[-2:-1] in _DIGITS and left.endswith("-"):
        return right[:1] in _DIGITS
    return left[-1:] in _DIGITS and right.startswith("-") and right[1:2] in _DIGITS


def _box_union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


# A viewer (pdftotext, a PDF reader's copy) sees a space only where the invisible words stand
# apart: words whose boxes touch (a narrow space in the print, a number's box read from its
# ink) are drawn this share of the line height apart in the text layer.
MIN_WORD_GAP = 0.2


def _spaced(words: list[Word], line_box: BoundingBox | None) -> list[BBox]:
    """The words' boxes for rendering: narrowed where neighbours would touch, so that each
    word space of the stored text is a space in the PDF's text too."""
    boxes = [list(w.bbox) for w in words]
    heights = [w.bbox[3] - w.bbox[1] for w in words]
    height = line_box.height if line_box is not None else max(heights, default=0.0)
    need = MIN_WORD_GAP * height
    order = sorted(range(len(words)), key=lambda i: words[i].bbox[0])
    for a, b in zip(order, order[1:], strict=False):
        left, right = boxes[a], boxes[b]
        short = need - (right[0] - left[2])
        if short <= 0 or left[0] >= right[0]:
            continue
        # each gives up half, keeping at least half its width
        left[2] -= min(short / 2, (left[2] - left[0]) / 2)
        right[0] += min(short / 2, (right[2] - right[0]) / 2)
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


def _pieces(line: OcrElement) -> list[_Piece]:
    return [
        _Piece(text=w.text, bbox=w.bbox, confidence=w.confidence)
        for w in line.children
        if w.ocr_class == OcrClass.WORD and w.text
    ]


def _space_from_text(pieces: Sequence[_Piece], text: str) -> bool:
    """Take each piece's spelling and the space before it from tesseract's text output.

    ocrmypdf's hOCR parser applies NFKC, which splits ำ into ํ + า; the text output keeps what
    tesseract wrote, so the piece takes that spelling. False (pieces untouched) on a mismatch.
    """
    found: list[tuple[str, bool]] = []
    pos = 0
    for piece in pieces:
        start = pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        spaced = pos > start or not found
        # NFKC seldom shortens text (a decomposed accent composes), never to under half.
        limit = min(len(text), pos + 2 * len(piece.text) + 1)
        end = pos + 1
        while end <= limit and unicodedata.normalize("NFKC", text[pos:end]).strip() != piece.text:
            end += 1
        if end > limit:
            return False
        found.append((text[pos:end], spaced))
        pos = end
    if text[pos:].strip():
        return False
    for piece, (spelling, spaced) in zip(pieces, found, strict=True):
        piece.text, piece.space_before = spelling, spaced
    return True


def _is_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def _space_from_geometry(pieces: list[_Piece], line_box: BoundingBox | None) -> None:
    height = line_box.height if line_box is not None else 0.0
    for prev, piece in zip(pieces, pieces[1:], strict=False):
        if not (_is_thai(prev.text) and _is_thai(piece.text)):
            continue
        first = piece.text[0]
        if (
            first in _NO_WORD_STARTS_WITH
            or unicodedata.category(first) == "Mn"
            or prev.text[-1] in _NO_WORD_ENDS_WITH
        ):
            piece.space_before = False
        elif prev.bbox is not None and piece.bbox is not None:
            piece.space_before = piece.bbox.left - prev.bbox.right >= THAI_GAP_RATIO * height


def _join(pieces: list[_Piece]) -> list[_Piece]:
    groups: list[_Piece] = []
    for piece in pieces:
        if groups and not piece.space_before:
            last = groups[-1]
            last.text += piece.text
            last.bbox = _union(last.bbox, piece.bbox)
            last.confidence = _weakest(last.confidence, piece.confidence)
        else:
            groups.append(replace(piece))
    return groups


def _union(a: BoundingBox | None, b: BoundingBox | None) -> BoundingBox | None:
    if a is None or b is None:
        return a or b
    return BoundingBox(
        min(a.left, b.left), min(a.top, b.top), max(a.right, b.right), max(a.bottom, b.bottom)
    )


def _weakest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _layout(lines: list[str], par_sizes: list[int]) -> tuple[list[str], list[int]]:
    """Lines as tesseract's text output has them: an empty line between paragraphs.

    Returns the output lines and, for each text line, its index among them.
    """
    out: list[str] = []
    at: list[int] = []
    index = 0
    for size in par_sizes:
        if out:
            out.append("")
        for line in lines[index : index + size]:
            at.append(len(out))
            out.append(line)
        index += size
    return out, at


def _page_text(lines: list[str], par_sizes: list[int]) -> str:
    out, _ = _layout(lines, par_sizes)
    return "".join(line + "\n" for line in out)


def _clean(groups: list[list[_Piece]], par_sizes: list[int]) -> list[Word]:
    """Clean the page's text as the stored text is cleaned, keeping each word's boxes."""
    raw_lines, at = _layout([" ".join(g.text for g in line) for line in groups], par_sizes)
    clean_lines = clean_ocr_text("\n".join(raw_lines)).split("\n")
    if len(clean_lines) != len(raw_lines):  # clean_ocr_text keeps lines; make sure
        log.warning("cleaning changed the line count; text layer words left uncleaned")
        clean_lines = raw_lines
    words: list[Word] = []
    for index, line_groups in enumerate(groups):
        words += _map_words(raw_lines[at[index]], clean_lines[at[index]], line_groups, index)
    return words


def _map_words(raw: str, clean: str, groups: list[_Piece], line: int) -> list[Word]:
    """Split the cleaned line into words; each takes the boxes of the pieces it came from."""
    owner: list[int] = []
    for index, group in enumerate(groups):
        owner += [index] * len(group.text) + [-1]  # -1: the joining space
    # to_raw[j]: the raw character that cleaned character j came from
    to_raw = [0] * len(clean)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, raw, clean, autojunk=False).get_opcodes():
        if tag == "delete":
            continue
        for j in range(j1, j2):
            to_raw[j] = min(i1 + (j - j1), max(i1, i2 - 1), len(raw) - 1)
    words: list[Word] = []
    start = 0
    for end in [*(j for j, ch in enumerate(clean) if ch == " "), len(clean)]:
        if end > start:
            owners = sorted({owner[to_raw[j]] for j in range(start, end)} - {-1})
            bbox: BoundingBox | None = None
            confidence: float | None = None
            for index in owners:
                bbox = _union(bbox, groups[index].bbox)
                confidence = _weakest(confidence, groups[index].confidence)
            if bbox is not None:
                words.append(
                    Word(
                        text=clean[start:end],
                        bbox=(bbox.left, bbox.top, bbox.right, bbox.bottom),
                        line=line,
                        confidence=confidence,
                    )
                )
        start = end + 1
    return words
