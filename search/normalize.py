"""Search keys: the one Thai folding applied to indexed text and to queries, and query reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.thai import (
    ThaiTextError,
    find_order_refs,
    fold_digits,
    is_valid_citizen_id,
    normalize_for_search,
    parse_order_ref,
)

__all__ = [
    "CONFUSABLE_DIGITS",
    "KEY_VERSION",
    "QueryPlan",
    "QueryTooShort",
    "digit_variants",
    "fold_key",
    "key_pattern",
    "plan_query",
    "search_key",
    "strip_title",
]

# Bump when search_key changes: an index built with another version must be rebuilt, because
# the embedded index removes a document's postings by re-deriving the keys it indexed.
KEY_VERSION = 1

# Marks OCR drops or misreads most (DOMAIN.md): maitaikhu, the four tone marks, thanthakhat.
# Leaving them out of the key costs little precision (few Thai words differ only by a tone
# mark) and makes "ผู้อำนวยการ" findable in text read as "ผูอำนวยการ".
DROPPED_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
_DROP = dict.fromkeys(map(ord, DROPPED_MARKS))
_WHITESPACE = re.compile(r"\s+")
# "1-2345-67890-12-1" and "15,800": separators inside a number are not part of it.
_DIGIT_SEPARATOR = re.compile(r"(?<=[0-9])[-,](?=[0-9])")
_SARA_AM_SPLIT = "\u0e4d\u0e32"
_GAP = f"[\\s\u200b{DROPPED_MARKS}]*"
_NUMBER_GAP = f"[\\s\u200b{DROPPED_MARKS},-]*"
_CHAR_CLASS = {
    **{d: f"[{d}{t}]" for d, t in zip("0123456789", "๐๑๒๓๔๕๖๗๘๙", strict=True)},
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
    """Key of text already through normalize_for_search: no marks OCR drops, no whitespace.

    Whitespace goes because Thai has no word spaces and OCR adds and drops them at will (and
    breaks lines inside words); a key is matched as a substring, so words need no boundaries.
    """
    key = _WHITESPACE.sub("", normalized.translate(_DROP))
    return _DIGIT_SEPARATOR.sub("", key)


def search_key(text: str) -> str:
    """The key of any text, indexed or queried: archive.thai's folding, then fold_key."""
    return fold_key(normalize_for_search(text))


_TITLE_KEYS = tuple(sorted({fold_key(normalize_for_search(t)) for t in _TITLES}, key=len,
                           reverse=True))


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
    for i, ch in enumerate(key):
        if i:
            both_digits = ch.isdigit() and key[i - 1].isdigit()
            parts.append(_NUMBER_GAP if both_digits else _GAP)
        parts.append(_CHAR_CLASS.get(ch) or re.escape(ch))
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

    - terms: the keys of its words (titles stripped); a document must contain each one that
      has 3 or more characters (shorter words only count as part of the phrase), or every
      term when all are short.
    - phrase: the words run together, the strongest match.
    - order_refs / citizen_ids: identifiers in the query, matched exactly against the
      document's fields.
    - variants: the required terms again with one OCR-confusable digit changed (recall for
      damaged numbers; ranked last).
    """

    text: str
    terms: tuple[str, ...]
    phrase: str
    order_refs: tuple[str, ...] = ()
    citizen_ids: tuple[str, ...] = ()
    variants: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def required(self) -> tuple[str, ...]:
        long = tuple(t for t in self.terms if len(t) >= 3)
        return long or self.terms

    @property
    def highlight(self) -> tuple[str, ...]:
        """Keys to mark in snippets, longest first so the phrase wins over its parts."""
        keys = {self.phrase, *self.terms, *(t for v in self.variants for t in v)}
        return tuple(sorted((k for k in keys if k), key=len, reverse=True))


def _order_refs(normalized: str) -> list[str]:
    refs = [str(r) for r in find_order_refs(normalized)]
    if not refs:
        try:
            refs = [str(parse_order_ref(normalized))]
        except ThaiTextError:
            pass
    return refs


def plan_query(text: str) -> QueryPlan:
    """Read a query: normalise it as indexed text is, then split it into what must match."""
    normalized = normalize_for_search(text)
    terms: list[str] = []
    for word in normalized.split():
        key = strip_title(fold_key(word))
        if key and key not in terms:
            terms.append(key)
    phrase = "".join(terms)
    if len(phrase) < 2:
        raise QueryTooShort(
            f"the query {text.strip()!r} is too short to search: give at least 2 characters"
        )
    citizen_ids = tuple(t for t in terms if len(t) == 13 and is_valid_citizen_id(t))
    plan = QueryPlan(
        text=text, terms=tuple(terms), phrase=phrase, order_refs=tuple(_order_refs(normalized)),
        citizen_ids=citizen_ids,
    )
    variants: list[tuple[str, ...]] = []
    required = plan.required
    for i, term in enumerate(required):
        if any(ch.isdigit() for ch in term):
            variants.extend(
                (*required[:i], v, *required[i + 1:]) for v in digit_variants(term)
            )
    return QueryPlan(
        text=plan.text, terms=plan.terms, phrase=plan.phrase, order_refs=plan.order_refs,
        citizen_ids=plan.citizen_ids, variants=tuple(variants),
    )
