"""Snippets: a window of the stored text around the matches, marked on whole Thai clusters.

Matches are marked «like this». The markers are plain text, readable in a terminal and in
JSON; a web page escapes the snippet and turns them into <mark>. A « or » in the document
itself is shown as ‹ or › so that the markers stay unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from search.normalize import key_pattern

__all__ = ["MARK_CLOSE", "MARK_OPEN", "cluster_end", "cluster_start", "make_snippet"]

MARK_OPEN, MARK_CLOSE = "«", "»"
SNIPPET_CHARS = 160
CONTEXT_BEFORE = 50
_ESCAPE = str.maketrans({MARK_OPEN: "‹", MARK_CLOSE: "›"})
_SPACES = re.compile(r"\s+")
# Characters that extend the cluster before them (UAX #29 Extend and SpacingMark): Thai
# above/below vowels and marks, and sara am (ำ), which Unicode counts as a spacing mark.
_SPACING_MARKS = frozenset("\u0e33\u0eb3\u200c\u200d")


def _extends(ch: str) -> bool:
    return ch in _SPACING_MARKS or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def cluster_start(text: str, i: int) -> int:
    """The start of the grapheme cluster holding text[i]."""
    while 0 < i < len(text) and _extends(text[i]):
        i -= 1
    return i


def cluster_end(text: str, i: int) -> int:
    """The end (exclusive) of the cluster that ends before text[i], taking its marks along."""
    while i < len(text) and _extends(text[i]):
        i += 1
    return i


@lru_cache(maxsize=256)
def _matcher(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = [key_pattern(k) for k in keys if k]
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def _spans(text: str, keys: tuple[str, ...], start: int, end: int) -> list[tuple[int, int]]:
    matcher = _matcher(keys)
    if matcher is None:
        return []
    spans: list[tuple[int, int]] = []
    for m in matcher.finditer(text, start, end):
        if m.end() == m.start():
            continue
        a, b = cluster_start(text, m.start()), cluster_end(text, m.end())
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


def _piece(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_ESCAPE))


def make_snippet(text: str, keys: Sequence[str], *, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around the first match of any key, matches marked.

    `keys` are search keys (search.normalize); the window and the marks never split a base
    character from its vowel or tone marks. Without a match the text's beginning is shown.
    """
    keys = tuple(keys)
    matcher = _matcher(keys)
    first = matcher.search(text) if matcher else None
    if first is None:
        start = 0
    else:
        start = cluster_start(text, max(0, first.start() - CONTEXT_BEFORE))
        space = text.rfind(" ", start, first.start())
        if start > 0 and space > start:
            start = space + 1  # a cut window begins at a word space when there is one
    end = cluster_end(text, min(len(text), start + width))
    if first is not None and first.end() > end:
        end = cluster_end(text, first.end())
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for a, b in _spans(text, keys, start, end):
        b = min(b, cluster_end(text, end))
        out.append(_piece(text[pos:a]))
        out.append(MARK_OPEN + _piece(text[a:b]) + MARK_CLOSE)
        pos = b
    out.append(_piece(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).strip()
