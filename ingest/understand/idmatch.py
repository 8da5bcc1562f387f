"""Reading a citizen ID through OCR damage: the digit confusions of Thai OCR as a channel,
scored against every registry ID at once, and the check digit to settle a single doubt.

Tesseract reads Arabic digits well but Thai ones badly (๘ and ๔ come out as ๕, ๖ as ๒ or ๐,
๗ as ๓, ๙ as ๕ or ๓; DOMAIN.md), so a damaged reading is compared with each registry ID by
the probability that OCR turns that ID into what was read, against the probability for an ID
of somebody outside the registry. Digits dropped or added are allowed at a price.
"""

from __future__ import annotations

import re

import numpy as np

from archive.thai import citizen_id_check_digit

WILD = 10  # a stand-in glyph OCR wrote where it could not read a digit
SYMBOLS = 11
P_INDEL = 0.02
BAND = 2
OUTSIDE_PRIOR = 0.5  # share of IDs on papers that are of people outside the registry
NOT_AN_ID_PRIOR = 0.2  # digit runs that are no citizen ID at all (house codes, licences)
# P(read | printed) for Thai digits, measured on fixture scans read by tesseract tha+eng.
_THAI_READINGS: dict[int, dict[int, float]] = {
    0: {0: 0.9}, 1: {1: 0.9}, 2: {2: 0.9}, 3: {3: 0.9}, 5: {5: 0.9},
    4: {5: 0.7, 4: 0.2},
    6: {2: 0.45, 0: 0.25, 6: 0.15, 1: 0.1},
    7: {3: 0.4, 1: 0.15, 7: 0.15, 5: 0.05, WILD: 0.2},
    8: {5: 0.75, 8: 0.2},
    9: {5: 0.4, 3: 0.35, 9: 0.15, WILD: 0.05},
}
# Digits OCR may have read in place of each read digit: for single-error rescue.
CONFUSABLE: dict[str, str] = {
    "5": "4896", "3": "79", "2": "6", "0": "6", "1": "76", "4": "5", "6": "20", "7": "31",
    "8": "5", "9": "53",
}


def _table(readings: dict[int, dict[int, float]]) -> np.ndarray:
    """log P(read symbol | printed digit), shape (SYMBOLS, 10)."""
    table = np.zeros((SYMBOLS, 10))
    for digit in range(10):
        known = readings.get(digit, {digit: 0.97})
        rest = (1.0 - sum(known.values())) / (SYMBOLS - len(known))
        for sym in range(SYMBOLS):
            table[sym, digit] = known.get(sym, max(rest, 0.002))
        table[:, digit] /= table[:, digit].sum()
    return np.log(table)


THAI_TABLE = _table(_THAI_READINGS)
ARABIC_TABLE = _table({})


def encode(symbols: str) -> list[int]:
    return [int(ch) if ch.isdigit() else WILD for ch in symbols]


def id_matrix(citizen_ids: list[str]) -> np.ndarray:
    if not citizen_ids:
        return np.zeros((0, 13), dtype=np.int64)
    return np.array([[int(c) for c in cid] for cid in citizen_ids], dtype=np.int64)


def _viterbi(read: list[int], emit: list[np.ndarray], n: int) -> np.ndarray:
    """Best alignment log-probability of `read` against n IDs; emit[i] is (13, n) or (13, 1)
    log P(read[i] | printed digit at each position). Alignments stay within BAND of the
    diagonal: OCR drops or adds a digit or two, never half an ID."""
    log_ins = np.log(P_INDEL / SYMBOLS)
    log_del = np.log(P_INDEL)
    log_keep = np.log(1 - 2 * P_INDEL)
    neg = np.full(n, -1e9)
    prev = [neg] * 14
    prev[0] = np.zeros(n)
    for j in range(1, min(BAND, 13) + 1):
        prev[j] = prev[j - 1] + log_del
    for i in range(1, len(read) + 1):
        cur = [neg] * 14
        lo, hi = max(0, i - BAND), min(13, i + BAND)
        for j in range(lo, hi + 1):
            best = prev[j] + log_ins
            if j > 0:
                best = np.maximum(best, prev[j - 1] + log_keep + emit[i - 1][j - 1])
                best = np.maximum(best, cur[j - 1] + log_del)
            cur[j] = best
        prev = cur
    return prev[13]


def score_registry(symbols: str, ids: np.ndarray, *, arabic: bool) -> tuple[np.ndarray, float]:
    """(log P(reading | each registry ID), log P(reading | an ID outside the registry))."""
    table = ARABIC_TABLE if arabic else THAI_TABLE
    read = encode(symbols)
    n = ids.shape[0]
    emit = [table[sym][ids].T for sym in read]  # each (13, n)
    background = np.log(np.exp(table).mean(axis=1))
    emit_bg = [np.full((13, 1), background[sym]) for sym in read]
    return _viterbi(read, emit, n), float(_viterbi(read, emit_bg, 1)[0])


def not_an_id(symbols: str, *, arabic: bool) -> float:
    """log P(reading | some other number): any digits, any length, no ID to align to."""
    table = ARABIC_TABLE if arabic else THAI_TABLE
    background = np.log(np.exp(table).mean(axis=1))
    return float(sum(background[sym] for sym in encode(symbols)))


def posterior(scores: np.ndarray, background: float, registry_size: int, *,
              other_number: float | None = None) -> np.ndarray:
    """P(the reading is registry ID i | reading): the shortlisted registry IDs against an
    ID of someone else and against a number that is no ID (the rest of the registry is too
    far from the reading to count). A reading of the wrong length pays for the digits it
    lacks under the ID hypotheses only, so a house code seldom passes for an ID."""
    if len(scores) == 0:
        return scores
    inside = np.log((1 - OUTSIDE_PRIOR - NOT_AN_ID_PRIOR) / max(registry_size, 1)) + scores
    others = [np.log(OUTSIDE_PRIOR) + background]
    if other_number is not None:
        others.append(np.log(NOT_AN_ID_PRIOR) + other_number)
    top = max(float(inside.max()), *others)
    total = np.exp(inside - top).sum() + sum(np.exp(o - top) for o in others)
    return np.exp(inside - top) / total


# How a citizen ID is printed: 1-2345-67890-12-3. OCR may drop a dash (two groups run
# together) and slip a digit or two (a stand-in glyph added, a digit lost).
ID_GROUPS = (1, 4, 5, 2, 1)
GROUP_SLIP = 2  # symbols a reading's dash groups may differ by in all


def _merges(groups: tuple[int, ...]) -> set[tuple[int, ...]]:
    """Every grouping of the ID's digits with some of its dashes lost."""
    out = set()
    for mask in range(1 << (len(groups) - 1)):
        merged, run = [], groups[0]
        for k, size in enumerate(groups[1:]):
            if mask >> k & 1:
                run += size
            else:
                merged.append(run)
                run = size
        merged.append(run)
        out.add(tuple(merged))
    return out


_ID_GROUPINGS = _merges(ID_GROUPS)


def dashes_fit_id(raw: str) -> bool:
    """Whether the dashes of a reading as printed can be an ID's (1-2345-67890-12-3, a dash
    lost, a symbol or two slipped): a certificate number "6820058-0097" or a licence number
    printed "64-1-10-0012345" cannot. A reading without dashes fits."""
    parts = [re.sub(r"\s", "", p) for p in raw.split("-")]
    sizes = tuple(len(p) for p in parts if p)
    if len(sizes) < 2:
        return True
    return any(len(g) == len(sizes) and
               sum(abs(a - b) for a, b in zip(g, sizes, strict=True)) <= GROUP_SLIP
               for g in _ID_GROUPINGS)


# A reading this much (natural log) more likely some other number than an ID under the priors
# above is not taken for an ID when it would count against a person: two digits short of or
# past an ID's thirteen (a certificate's or a licence's number) is, one slip is not.
NOT_AN_ID_MARGIN = 4.0


def could_be_id(raw: str, symbols: str, *, arabic: bool) -> bool:
    """Whether a digit run may be a citizen ID at all: its dashes fit an ID's grouping and its
    length is not far likelier another number's (idmatch's own priors)."""
    if not dashes_fit_id(raw):
        return False
    table = ARABIC_TABLE if arabic else THAI_TABLE
    read = encode(symbols)
    per_symbol = np.log(np.exp(table).mean(axis=1))
    background = float(_viterbi(read, [np.full((13, 1), per_symbol[sym]) for sym in read], 1)[0])
    other = not_an_id(symbols, arabic=arabic)
    return bool(np.log(OUTSIDE_PRIOR) + background - np.log(NOT_AN_ID_PRIOR) - other
                >= -NOT_AN_ID_MARGIN)


# How each printed Thai digit is most often read: the registry as OCR would see it.
EXPECTED_THAI_READING = str.maketrans("0123456789", "0123552355")


def expected_reading(citizen_id: str) -> str:
    return citizen_id.translate(EXPECTED_THAI_READING)


def check_digit_rescues(symbols: str) -> set[str]:
    """Valid IDs one OCR slip away from the reading: one stand-in or confusable digit
    replaced, or one digit dropped or added; the check digit must hold."""
    found: set[str] = set()

    def consider(candidate: str) -> None:
        if len(candidate) == 13 and candidate.isdigit() and \
                int(candidate[12]) == citizen_id_check_digit(candidate[:12]):
            found.add(candidate)

    if len(symbols) == 13:
        for k, ch in enumerate(symbols):
            options = "0123456789" if not ch.isdigit() else CONFUSABLE.get(ch, "")
            for alt in options:
                consider(symbols[:k] + alt + symbols[k + 1:])
    elif len(symbols) == 12 and symbols.isdigit():
        for k in range(13):
            for alt in "0123456789":
                consider(symbols[:k] + alt + symbols[k:])
    elif len(symbols) == 14:
        for k in range(14):
            consider(symbols[:k] + symbols[k + 1:])
    return found
