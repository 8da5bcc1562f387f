"""Synthetic OCR damage for training and evaluation texts, modelled on tesseract's Thai output.

Measured on rendered fixture pages read by tesseract (tha+eng): tone marks and upper vowels
dropped, Thai digits confused (๘/๔/๙ read as ๕, ๖ as ๒ or ๐, ๗ as ๓ or a letter), stray
spaces, a leading เ, Latin garbage lines where marks were, table cells split across lines,
and now and then a lost piece of a line.
"""

from __future__ import annotations

import random

from archive.thai import clean_ocr_text
from ingest.understand.normal import LOOKALIKES

TONES = "\u0e48\u0e49\u0e4a\u0e4b"
UPPER = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e4c"
LOWER = "\u0e38\u0e39"
# What tesseract's Thai model writes for each Thai digit, with rough frequencies.
THAI_DIGIT_READINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "๔": (("๕", 0.75), ("๔", 0.2), ("e", 0.05)),
    "๖": (("๒", 0.5), ("๐", 0.25), ("๖", 0.15), ("๑", 0.1)),
    "๗": (("๓", 0.45), ("๑", 0.15), ("ญ", 0.1), ("ฒ", 0.1), ("๗", 0.15), ("๕", 0.05)),
    "๘": (("๕", 0.8), ("๘", 0.2)),
    "๙": (("๕", 0.4), ("๓", 0.35), ("ฒ", 0.05), ("๙", 0.2)),
}
LATIN_GARBAGE = "aeoinrsdyw|'=-%.,:;!WANTIBS"


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for value, weight in options:
        r -= weight
        if r <= 0:
            return value
    return options[-1][0]


def _garbage(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(LATIN_GARBAGE) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(1, 6))
    )


def _damage_line(line: str, rng: random.Random, s: float) -> str:
    out: list[str] = []
    for ch in line:
        r = rng.random()
        if ch in TONES and r < 0.35 * s:
            continue
        if ch in UPPER and r < 0.08 * s:
            continue
        if ch in LOWER and r < 0.06 * s:
            continue
        if ch in THAI_DIGIT_READINGS and r < min(1.0, 0.9 * s + 0.1):
            out.append(_pick(rng, THAI_DIGIT_READINGS[ch]))
            continue
        if ch in LOOKALIKES and r < 0.012 * s:
            out.append(LOOKALIKES[ch])
            continue
        if r < 0.004 * s:
            continue  # a lost character
        out.append(ch)
        if ch != " " and rng.random() < 0.03 * s:
            out.append(" ")
    text = "".join(out)
    if text and rng.random() < 0.03 * s:
        cut = rng.randint(0, len(text) // 2)
        text = text[cut:] if rng.random() < 0.5 else text[: len(text) - cut]
    if rng.random() < 0.02 * s:
        text = "เ" + text
    return text


def _rewrap(line: str, rng: random.Random, s: float) -> list[str]:
    """Split a long logical line where a page would wrap it, or a table row into cells."""
    words = line.split(" ")
    if len(words) < 3 or rng.random() > 0.5:
        return [line]
    pieces: list[str] = []
    current: list[str] = []
    for k, word in enumerate(words):
        current.append(word)
        digits_go_on = word[-1:].isdigit() and words[k + 1:k + 2] != [] and \
            words[k + 1][:1].isdigit()
        # Real OCR keeps a spaced ID mostly on one line; break inside one only now and then.
        if rng.random() < (0.15 + 0.1 * s) * (0.2 if digits_go_on else 1.0):
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces


def ocr_noise(text: str, rng: random.Random, severity: float = 1.0) -> str:
    """Damage ground-truth text the way OCR of a scan would, then clean it as ingest does.

    severity 0 gives the clean text (a born-digital PDF); about 1 matches the training
    scans; 1.5 is a bad held-out scan.
    """
    if severity <= 0:
        return clean_ocr_text(text)
    pages = []
    for page in text.split("\f"):
        lines: list[str] = []
        for line in page.split("\n"):
            if line.strip("- ") == "" and rng.random() < 0.5:
                continue  # rules and dashes often vanish
            for piece in _rewrap(line, rng, severity):
                lines.append(_damage_line(piece, rng, severity))
                if rng.random() < 0.06 * severity:
                    lines.append(_garbage(rng))
        pages.append("\n".join(lines))
    return clean_ocr_text("\f".join(pages))
