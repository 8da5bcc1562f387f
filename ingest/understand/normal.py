"""Text forms that survive OCR damage: Thai skeletons, feature text, match keys."""

from __future__ import annotations

import re
from functools import lru_cache

from archive.thai import fold_digits

# Tesseract drops tone marks and upper/lower vowels far more often than it misreads a
# consonant, so matching on the consonant-and-vowel skeleton makes most damage vanish.
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_SARA_AM = str.maketrans({"\u0e33": "\u0e32"})  # ำ read as า is common
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]")
# What the classifier sees: Thai letters, Latin letters, digits as '#', dots and slashes.
_NOT_FEATURE = re.compile(r"[^\u0e01-\u0e30\u0e32\u0e40-\u0e46a-z#./]")
_NOT_KEY = re.compile(r"[^\u0e01-\u0e30\u0e32\u0e40-\u0e46a-z0-9]")


def skeleton(text: str) -> str:
    """Thai without tone marks and upper/lower vowels, ำ as า; other characters unchanged."""
    return _MARKS.sub("", text).translate(_SARA_AM)


def feature_text(text: str) -> str:
    """The classifier's input: skeleton, lower-case, digits as '#', no spaces or odd marks.

    Spaces go because OCR puts them inside Thai words at random; digits go because their
    values say nothing about the kind of document and OCR reads Thai digits badly.
    """
    text = _DIGITS.sub("#", fold_digits(skeleton(text)).lower())
    return _NOT_FEATURE.sub("", text)


def match_key(text: str) -> str:
    """Key for phrase and name matching: skeleton, Arabic digits, no spaces, dots or marks."""
    return _NOT_KEY.sub("", fold_digits(skeleton(text)).lower())


@lru_cache(maxsize=4096)
def _kept(ch: str) -> bool:
    return bool(match_key(ch))


def key_offsets(text: str) -> list[int]:
    """For each character of match_key(text), the index in text it comes from."""
    return [i for i, ch in enumerate(text) if _kept(ch)]


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# Consonants tesseract's Thai model reads as one another (measured on rendered fixture pages;
# ingest.understand.noise damages training and evaluation texts with the same table).
LOOKALIKES = {
    "ด": "ค", "ค": "ด", "บ": "ป", "ป": "บ", "ถ": "ภ", "ภ": "ถ", "ข": "ช", "ช": "ซ",
    "ผ": "ฝ", "พ": "ฟ", "ร": "ว", "ว": "ร", "ศ": "ส", "ส": "ศ", "ท": "ห", "อ": "อ",
}
_CONFUSED = frozenset(frozenset(pair) for pair in LOOKALIKES.items())
LOOKALIKE_COST, OTHER_COST = 0.5, 1.5  # a substitution's; a letter lost or added costs 1


def ocr_distance(a: str, b: str) -> float:
    """Edit distance between two match keys as OCR damages text: a letter misread as its
    lookalike (LOOKALIKES) costs little, as any other letter much; one lost or added, 1."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        current = [float(i)]
        for j, y in enumerate(b, 1):
            swap = 0.0 if x == y else LOOKALIKE_COST if frozenset((x, y)) in _CONFUSED \
                else OTHER_COST
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + swap))
        previous = current
    return previous[-1]
