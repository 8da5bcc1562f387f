"""Search keys: the one Thai folding applied to indexed text and to queries, and query reading.

A key is what archive.thai.normalize_for_search makes of a text (OCR clean-up, Thai digits
folded, case folded), then:
- no whitespace: Thai has no word spaces, OCR adds and drops spaces at will and breaks lines
  inside words; keys are matched as substrings, so words need no boundaries;
- no tone marks, maitaikhu or thanthakhat, which OCR drops most (DOMAIN.md); few Thai words
  differ only by them;
- numbers whole: a digit run is wrapped in NUMBER_MARK ("#123#/#2567#"), so order 1/2560 does
  not match inside 511/2560; separators inside a number ("1-2345-...", "15,800") go.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.thai import (
    ThaiTextError,
    find_order_refs,
    is_valid_citizen_id,
    normalize_for_search,
    parse_order_ref,
)

__all__ = [
    "CONFUSABLE_DIGITS",
    "DROPPED_MARKS",
    "KEY_VERSION",
    "NUMBER_MARK",
    "QueryPlan",
    "QueryTooShort",
    "digit_variants",
    "fold_key",
    "key_pattern",
    "plan_query",
    "search_key",
    "split_words",
    "strip_title",
]

# Bump when search_key changes: an index built with another version must be rebuilt, because
# the embedded index removes a document's postings by re-deriving the keys it indexed.
KEY_VERSION = 1

DROPPED_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
NUMBER_MARK = "#"
RESERVED = "#|"  # NUMBER_MARK, and the field separator the backends use
# Regex passes throughout: str.translate with a dict is ten times slower on Thai text.
_LEFT_OUT = re.compile(f"[\\s{DROPPED_MARKS}{re.escape(RESERVED)}]+")
_DIGIT_SEPARATOR = re.compile(r"(?<=[0-9])[-,](?=[0-9])")
_NUMBER = re.compile(r"[0-9]+")
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_NOT_DIGIT_BEFORE = f"(?<![0-9{_THAI_DIGITS}])"
_NOT_DIGIT_AFTER = f"(?![0-9{_THAI_DIGITS}])"
_GAP = f"[\\s\u200b{DROPPED_MARKS}]*"
_NUMBER_GAP = f"[\\s\u200b{DROPPED_MARKS},-]*"
_CHAR_CLASS = {
    **{d: f"[{d}{t}]" for d, t in zip("0123456789", _THAI_DIGITS, strict=True)},
    "\u0e33": "(?:\u0e33|\u0e4d\\s?\u0e32)",
}

# The digits OCR confuses in Thai print (DOMAIN.md): ๓/๕/๘/๙ and ๒/๖/๐, folded to Arabic.
CONFUSABLE_DIGITS: tuple[str, ...] = ("3589", "260")
_CONFUSED_WITH = {d: group.replace(d, "") for group in CONFUSABLE_DIGITS for d in group}

# Titles that may or may not stand before a name; longest first so นางสาว wins over นาง.
_TITLES = (
    "ว่าที่ร้อยตรีหญิง", "ว่าที่ร.ต.หญิง", "ว่าที่ร้อยตรี", "ว่าที่ร.ต.", "เด็กหญิง", "เด็กชาย",
    "นางสาว", "ด.ญ.", "ด.ช.", "น.ส.", "นาง", "นาย", "ดร.",
)
_THAI_WORD_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44]")


class QueryTooShort(ValueError):
    """A query whose key is shorter than two characters: it would match nearly everything."""


def fold_key(normalized: str) -> str:
    """The key of text that has been through archive.thai.normalize_for_search."""
    key = _DIGIT_SEPARATOR.sub("", _LEFT_OUT.sub("", normalized))
    return _NUMBER.sub(lambda m: f"{NUMBER_MARK}{m.group()}{NUMBER_MARK}", key)


def search_key(text: str) -> str:
    """The key of any text, indexed or queried: archive.thai's folding, then fold_key."""
    return fold_key(normalize_for_search(text))


_TITLE_KEYS = tuple(sorted({search_key(t) for t in _TITLES}, key=len, reverse=True))


def strip_title(key: str) -> str:
    """A name key without its title ("นายสมชาย" -> "สมชาย"), so names match with or without it."""
    for title in _TITLE_KEYS:
        rest = key[len(title):]
        if key.startswith(title) and len(rest) >= 2 and _THAI_WORD_START.match(rest):
            return rest
    return key


def key_pattern(key: str) -> str:
    """A regex finding `key` in stored text, where the characters a key leaves out may remain.

    Snippets search the text people read with it, so matches come back as spans of that text.
    """
    parts: list[str] = []
    previous = ""
    for i, ch in enumerate(key):
        if ch == NUMBER_MARK:
            starts = i + 1 < len(key) and key[i + 1].isdigit()
            parts.append(_NOT_DIGIT_BEFORE if starts else _NOT_DIGIT_AFTER)
            continue
        if previous:
            parts.append(_NUMBER_GAP if ch.isdigit() and previous.isdigit() else _GAP)
        parts.append(_CHAR_CLASS.get(ch) or re.escape(ch))
        previous = ch
    return "".join(parts)


def digit_variants(key: str, *, limit: int = 40) -> list[str]:
    """Keys differing from `key` in one digit that OCR confuses (๓ for ๕, ๖ for ๐, ...)."""
    variants: list[str] = []
    for i, ch in enumerate(key):
        for other in _CONFUSED_WITH.get(ch, ""):
            variants.append(key[:i] + other + key[i + 1:])
            if len(variants) >= limit:
                return variants
    return variants


@dataclass(frozen=True)
class QueryPlan:
    """What a query asks for, in key space.

    - terms: the keys of its words (titles stripped); a document must contain each one of 3
      or more characters (shorter words count only within the phrase), or all when all are short.
    - phrase: the words run together as typed (titles too), the strongest match.
    - identifiers: keys of the order refs and citizen IDs in the query, matched exactly
      against the document's identifier field.
    - variants: the identifiers with one OCR-confusable digit changed, to find documents whose
      identifier OCR misread (ranked last).
    """

    text: str
    terms: tuple[str, ...]
    phrase: str
    identifiers: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        long = tuple(t for t in self.terms if len(t) >= 3)
        return long or self.terms

    @property
    def highlight(self) -> tuple[str, ...]:
        """Keys to mark in snippets, longest first so the phrase wins over its parts."""
        keys = {self.phrase, *self.terms, *self.identifiers}
        return tuple(sorted((k for k in keys if k), key=len, reverse=True))


def _identifiers(normalized: str, terms: list[str]) -> tuple[str, ...]:
    refs = [str(r) for r in find_order_refs(normalized)]
    if not refs:
        with contextlib.suppress(ThaiTextError):
            refs = [str(parse_order_ref(normalized))]
    ids = [t for t in terms if is_valid_citizen_id(t.replace(NUMBER_MARK, ""))]
    return tuple(dict.fromkeys([*(fold_key(r) for r in refs), *ids]))


def plan_query(text: str) -> QueryPlan:
    """Read a query: normalise it as indexed text is, then split it into what must match."""
    normalized = normalize_for_search(text)
    words = [fold_key(word) for word in normalized.split()]
    # A title standing alone ("นาย สมชาย") may be missing from the document: not a term.
    named = [w for w in words if w not in _TITLE_KEYS] or words
    terms: list[str] = []
    for word in named:
        key = strip_title(word)
        if key and key not in terms:
            terms.append(key)
    # The phrase keeps the titles as typed: documents that write them rank first, documents
    # that do not still match every (title-less) term.
    phrase = "".join(dict.fromkeys(words))
    if len(phrase) < 2:
        raise QueryTooShort(
            f"the query {text.strip()!r} is too short to search: give at least 2 characters"
        )
    identifiers = _identifiers(normalized, terms)
    variants = dict.fromkeys(v for i in identifiers for v in digit_variants(i))
    return QueryPlan(text=text, terms=tuple(terms), phrase=phrase, identifiers=identifiers,
                     variants=tuple(variants))


_NUMBER_KEY = re.compile(f"{NUMBER_MARK}[0-9]+{NUMBER_MARK}")
SPLIT_MIN = 6


def _pieces(segment: str, indexed: Callable[[str], bool]) -> list[str] | None:
    """Cut a run of letters into the longest pieces the index holds, left to right; None when
    some part of it is in no document at all. A tail of 1-2 characters is left out, as short
    words are in any query."""
    pieces: list[str] = []
    rest = segment
    while len(rest) >= 3:
        if not indexed(rest[:3]):
            return None
        lo, hi = 3, len(rest)  # rest[:lo] is indexed; find the longest such prefix
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if indexed(rest[:mid]) else (lo, mid - 1)
        pieces.append(rest[:lo])
        rest = rest[lo:]
    return pieces


def split_words(plan: QueryPlan, indexed: Callable[[str], bool]) -> QueryPlan | None:
    """The query with its long words cut where the index says words meet, or None.

    For a query with no match at all: Thai typed without spaces may join words that no
    document has side by side ("คำสั่งบรรจุ" against "คำสั่ง ... เรื่อง บรรจุ"). The index
    itself is the dictionary: each cut takes the longest piece some document holds.
    """
    terms: list[str] = []
    for term in plan.terms:
        if len(term) < SPLIT_MIN or indexed(term):
            terms.append(term)
            continue
        at = 0
        runs = []
        for number in _NUMBER_KEY.finditer(term):
            runs.append(_pieces(term[at:number.start()], indexed))
            runs.append([number.group()])
            at = number.end()
        runs.append(_pieces(term[at:], indexed))
        if any(run is None for run in runs):
            return None
        terms.extend(piece for run in runs if run for piece in run)
    terms = list(dict.fromkeys(t for t in terms if t))
    if not terms or tuple(terms) == plan.terms:
        return None
    return QueryPlan(text=plan.text, terms=tuple(terms), phrase=plan.phrase,
                     identifiers=plan.identifiers)
