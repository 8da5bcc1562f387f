"""Thai text handling: digits, citizen IDs, Buddhist-Era dates, order references, OCR clean-up."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "OrderRef",
    "ThaiTextError",
    "be_to_ce",
    "ce_to_be",
    "citizen_id_check_digit",
    "clean_ocr_text",
    "find_order_refs",
    "fold_digits",
    "format_citizen_id",
    "format_order_ref",
    "format_thai_date",
    "is_valid_citizen_id",
    "normalize_for_search",
    "normalize_order_ref",
    "parse_citizen_id",
    "parse_date_field",
    "parse_order_ref",
    "parse_thai_date",
    "to_thai_digits",
]

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_FOLD_DIGITS = str.maketrans(THAI_DIGITS, "0123456789")
_THAI_DIGIT_TABLE = str.maketrans("0123456789", THAI_DIGITS)

BE_OFFSET = 543
# Years outside this window are not plausible Buddhist-Era years for personnel records; a
# smaller number written where a BE year belongs is almost always a Christian-Era year.
MIN_PLAUSIBLE_BE_YEAR = 2400
MAX_PLAUSIBLE_BE_YEAR = 2700

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Informal short forms ("มีนา", "เมษา") are common in hand-filled forms.
_THAI_MONTHS_SHORT = (
    "มกรา",
    "กุมภา",
    "มีนา",
    "เมษา",
    "พฤษภา",
    "มิถุนา",
    "กรกฎา",
    "สิงหา",
    "กันยา",
    "ตุลา",
    "พฤศจิกา",
    "ธันวา",
)


class ThaiTextError(ValueError):
    """Thai text that cannot be read as what it should be; the message is shown to users."""


def fold_digits(text: str) -> str:
    """Replace Thai digits (๐-๙) with Arabic digits (0-9)."""
    return text.translate(_FOLD_DIGITS)


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits (0-9) with Thai digits (๐-๙)."""
    return text.translate(_THAI_DIGIT_TABLE)


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits.
    return bool(text) and all("0" <= ch <= "9" for ch in text)


# --- citizen IDs (เลขประจำตัวประชาชน) ---------------------------------------------------------

_CITIZEN_ID_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015]+")


def citizen_id_check_digit(first12: str) -> int:
    """The 13th digit of a citizen ID: (11 - Σ d_i·(14-i) mod 11) mod 10 over the first 12."""
    digits = fold_digits(first12)
    if len(digits) != 12 or not _is_ascii_digits(digits):
        raise ThaiTextError(
            f"cannot compute a check digit from {first12!r}: expected exactly 12 digits"
        )
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits))
    return (11 - total % 11) % 10


def parse_citizen_id(text: str) -> str:
    """Read a citizen ID written with Thai or Arabic digits and any dashes/spaces/dots.

    Returns the 13 Arabic digits; raises ThaiTextError when it is not a valid citizen ID.
    """
    digits = _CITIZEN_ID_SEPARATORS.sub("", fold_digits(_strip_invisible(text)))
    if not digits:
        raise ThaiTextError("citizen ID is empty: expected 13 digits")
    if not _is_ascii_digits(digits):
        bad = next(ch for ch in digits if not "0" <= ch <= "9")
        raise ThaiTextError(
            f"citizen ID {text.strip()!r} contains {bad!r}: expected 13 digits "
            "(Thai or Arabic), optionally separated by dashes or spaces"
        )
    if len(digits) != 13:
        raise ThaiTextError(
            f"citizen ID {text.strip()!r} has {len(digits)} digits: expected 13 digits"
        )
    expected = citizen_id_check_digit(digits[:12])
    if int(digits[12]) != expected:
        raise ThaiTextError(
            f"citizen ID {digits} has a wrong check digit: the last digit is {digits[12]} "
            f"but the first 12 digits require {expected}; check for a mistyped digit"
        )
    return digits


def is_valid_citizen_id(text: str) -> bool:
    """Whether text reads as a valid 13-digit citizen ID (see parse_citizen_id)."""
    try:
        parse_citizen_id(text)
    except ThaiTextError:
        return False
    return True


def format_citizen_id(cid: str, *, thai_digits: bool = False) -> str:
    """Write a citizen ID the way ID cards do: 1-2345-67890-12-1."""
    d = parse_citizen_id(cid)
    formatted = f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}"
    return to_thai_digits(formatted) if thai_digits else formatted


# --- Buddhist Era dates --------------------------------------------------------------------


def be_to_ce(year: int) -> int:
    """Buddhist Era year (พ.ศ.) to Christian Era year (ค.ศ.)."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Christian Era year (ค.ศ.) to Buddhist Era year (พ.ศ.)."""
    return year + BE_OFFSET


def _month_key(name: str) -> str:
    return re.sub(r"[\s.]", "", name)


_MONTH_BY_NAME: dict[str, int] = {
    _month_key(name): number
    for names in (THAI_MONTHS, THAI_MONTHS_ABBR, _THAI_MONTHS_SHORT)
    for number, name in enumerate(names, start=1)
}

_WEEKDAYS = "จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์"
_THAI_DATE = re.compile(
    rf"""^\s*
    (?:(?:ณ\s*|ลง)?วัน(?:{_WEEKDAYS})?\s*ที่)?\s*
    (?P<day>[0-9]{{1,2}})\s*
    (?P<month>[^0-9]+?)\s*
    (?:(?P<era>พ\s*\.?\s*ศ\s*\.?|ค\s*\.?\s*ศ\s*\.?)\s*)?
    (?P<year>[0-9]+)
    \s*$""",
    re.VERBOSE,
)


def _month_number(token: str, text: str) -> int:
    key = _month_key(token)
    key = key.removeprefix("เดือน").removesuffix("ปี")
    number = _MONTH_BY_NAME.get(key)
    if number is None:
        raise ThaiTextError(
            f"cannot read the month {token.strip()!r} in {text.strip()!r}: expected a Thai "
            "month name such as มีนาคม or its abbreviation มี.ค."
        )
    return number


def _checked_date(year_ce: int, month: int, day: int, text: str, *, era: str = "BE") -> date:
    """Build a date, or explain in the user's terms why the day does not exist."""
    if not 1 <= month <= 12:
        raise ThaiTextError(f"{text.strip()!r} is not a real date: there is no month {month}")
    if not 1 <= year_ce <= 9999:
        raise ThaiTextError(f"{text.strip()!r} is not a real date: the year is out of range")
    days = calendar.monthrange(year_ce, month)[1]
    year_shown = ce_to_be(year_ce) if era == "BE" else year_ce
    if not 1 <= day <= days:
        raise ThaiTextError(
            f"{text.strip()!r} is not a real date: {THAI_MONTHS[month - 1]} "
            f"{year_shown} {era} has {days} days"
        )
    return date(year_ce, month, day)


def parse_thai_date(text: str) -> date:
    """Read a date as written in Thai documents: day, Thai month name, Buddhist-Era year.

    Accepts Thai or Arabic digits, full or abbreviated month names with or without dots
    ("มี.ค.", "มีค"), the words วันที่/เดือน/พ.ศ., and a 2-digit year meaning 25xx ("27 มี.ค.30").
    A year marked ค.ศ. is read as Christian Era.
    """
    folded = fold_digits(_strip_invisible(unicodedata.normalize("NFC", text)))
    folded = _SARA_AM_SPLIT.sub("\u0e33", folded)
    match = _THAI_DATE.match(folded)
    if match is None:
        raise ThaiTextError(
            f"cannot read {text.strip()!r} as a Thai date: expected day, Thai month and "
            "Buddhist Era year, e.g. '27 มีนาคม 2530' or '27 มี.ค. 30'"
        )
    month = _month_number(match["month"], text)
    day = int(match["day"])
    year_text = match["year"]
    christian_era = (match["era"] or "").replace(".", "").replace(" ", "") == "คศ"
    if len(year_text) == 2 and not christian_era:
        year_be = 2500 + int(year_text)
    elif len(year_text) == 4:
        year_be = int(year_text) + (BE_OFFSET if christian_era else 0)
    else:
        raise ThaiTextError(
            f"cannot read the year {year_text!r} in {text.strip()!r}: expected a 4-digit "
            "Buddhist Era year such as 2530 (or 2 digits, meaning 25xx)"
        )
    if year_be < MIN_PLAUSIBLE_BE_YEAR and not match["era"]:
        raise ThaiTextError(
            f"the year {year_be} in {text.strip()!r} looks like a Christian Era year: Thai "
            f"dates use the Buddhist Era ({year_be} CE = {ce_to_be(year_be)} BE); "
            "write ค.ศ. before the year if it really is Christian Era"
        )
    return _checked_date(be_to_ce(year_be), month, day, text)


def format_thai_date(d: date, *, abbreviated: bool = False, thai_digits: bool = True) -> str:
    """Write a date the Thai way: "๒๗ มีนาคม ๒๕๓๐" (or "๒๗ มี.ค. ๒๕๓๐" abbreviated)."""
    months = THAI_MONTHS_ABBR if abbreviated else THAI_MONTHS
    text = f"{d.day} {months[d.month - 1]} {ce_to_be(d.year)}"
    return to_thai_digits(text) if thai_digits else text


_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_SLASH_DATE = re.compile(r"^([0-9]{1,2})\s*/\s*([0-9]{1,2})\s*/\s*([0-9]+)$")
_HAS_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")

_DATE_FORMS = "YYYY-MM-DD (Christian Era) or D/M/YYYY (Buddhist Era), e.g. 1987-03-27 or 27/3/2530"


def parse_date_field(text: str) -> date:
    """Read a date from a CSV field (CONTRACT.md): ISO in CE, or D/M/YYYY in Buddhist Era.

    A date with a Thai month name ("27 มี.ค. 2530") is accepted as well.
    """
    folded = fold_digits(_strip_invisible(text)).strip()
    if not folded:
        raise ThaiTextError(f"date is empty: expected {_DATE_FORMS}")
    if match := _ISO_DATE.match(folded):
        year, month, day = (int(g) for g in match.groups())
        parsed = _checked_date(year, month, day, text, era="CE")
        if year >= MIN_PLAUSIBLE_BE_YEAR:
            raise ThaiTextError(
                f"{text.strip()!r}: an ISO date (YYYY-MM-DD) uses the Christian Era year, "
                f"but {year} looks like a Buddhist Era year ({year} BE = {be_to_ce(year)} CE); "
                f"write {be_to_ce(year):04d}-{month:02d}-{day:02d} or {day}/{month}/{year}"
            )
        return parsed
    if match := _SLASH_DATE.match(folded):
        day, month = int(match[1]), int(match[2])
        year_text = match[3]
        if len(year_text) != 4:
            raise ThaiTextError(
                f"{text.strip()!r}: the year must have 4 digits in the Buddhist Era, "
                f"e.g. {day}/{month}/2530"
            )
        year = int(year_text)
        if year < MIN_PLAUSIBLE_BE_YEAR:
            raise ThaiTextError(
                f"{text.strip()!r}: the year in D/M/YYYY must be Buddhist Era, but {year} "
                f"looks like Christian Era ({year} CE = {ce_to_be(year)} BE); "
                f"write {day}/{month}/{ce_to_be(year)}"
            )
        return _checked_date(be_to_ce(year), month, day, text)
    if _HAS_THAI_LETTER.search(folded):
        return parse_thai_date(text)
    raise ThaiTextError(f"cannot read {text.strip()!r} as a date: expected {_DATE_FORMS}")


# --- order references (เลขที่คำสั่ง) ---------------------------------------------------------


@dataclass(frozen=True)
class OrderRef:
    """An order's reference "number/year": the number without leading zeros, the year in BE."""

    number: str
    year_be: int

    def __post_init__(self) -> None:
        if not _is_ascii_digits(self.number) or str(int(self.number)) != self.number:
            raise ThaiTextError(
                f"order number {self.number!r} must be a positive number without leading zeros"
            )
        if int(self.number) == 0:
            raise ThaiTextError("order number 0 does not exist: numbering starts at 1")
        if not MIN_PLAUSIBLE_BE_YEAR <= self.year_be <= MAX_PLAUSIBLE_BE_YEAR:
            raise ThaiTextError(
                f"order year {self.year_be} is not a Buddhist Era year: expected "
                f"{MIN_PLAUSIBLE_BE_YEAR}-{MAX_PLAUSIBLE_BE_YEAR}, e.g. 123/2567"
            )

    def __str__(self) -> str:
        return f"{self.number}/{self.year_be}"


_ORDER_REF = re.compile(
    r"^(?:คำสั่ง\s*)?(?:เลข\s*)?(?:ที่\s*)?(?P<number>[^/]*?)\s*/\s*(?P<year>[^/]*?)$"
)


def parse_order_ref(text: str) -> OrderRef:
    """Read an order reference: "๑๒๓/๒๕๖๗", "123/2567", "ที่ 123 / 2567", "0012/2567"."""
    folded = fold_digits(_strip_invisible(unicodedata.normalize("NFC", text))).strip()
    match = _ORDER_REF.match(folded)
    if match is None:
        raise ThaiTextError(
            f"cannot read {text.strip()!r} as an order reference: expected number/year in "
            "the Buddhist Era, e.g. 123/2567"
        )
    number, year = match["number"], match["year"]
    if not _is_ascii_digits(number):
        raise ThaiTextError(
            f"order reference {text.strip()!r}: the order number must be plain digits "
            "(numbers with letters are not supported), e.g. 123/2567"
        )
    if not _is_ascii_digits(year) or len(year) != 4:
        raise ThaiTextError(
            f"order reference {text.strip()!r}: the year must be a 4-digit Buddhist Era "
            "year, e.g. 123/2567"
        )
    if int(year) < MIN_PLAUSIBLE_BE_YEAR:
        raise ThaiTextError(
            f"order reference {text.strip()!r}: {year} looks like a Christian Era year; "
            f"orders are numbered by Buddhist Era year ({year} CE = {ce_to_be(int(year))} BE)"
        )
    return OrderRef(str(int(number)), int(year))


def normalize_order_ref(text: str) -> str:
    """The stored form of an order reference: "123/2567"."""
    return str(parse_order_ref(text))


def format_order_ref(ref: OrderRef, *, thai_digits: bool = True) -> str:
    """Write an order reference for a Thai document: "๑๒๓/๒๕๖๗"."""
    return to_thai_digits(str(ref)) if thai_digits else str(ref)


# A number is not an order number when it continues a date or a dotted letter code
# ("27/3/2530", "ศธ ๐๒๐๖.๒/๖๔") or carries a letter prefix ("ว123/2567").
_ORDER_REF_IN_TEXT = re.compile(
    r"(?<![0-9/.A-Za-z\u0e01-\u0e2e])([0-9]{1,6})[ \t]*/[ \t]*([0-9]{4})(?![0-9/])"
)


def _follows_slash(text: str, index: int) -> bool:
    while index > 0 and text[index - 1] in " \t":
        index -= 1
    return index > 0 and text[index - 1] == "/"


def find_order_refs(text: str) -> list[OrderRef]:
    """Find order references (N/YYYY with a plausible BE year) in running Thai text.

    They usually follow "ที่" ("คำสั่ง ... ที่ ๑๒๓/๒๕๖๗"), but any N/YYYY with YYYY in
    2400-2700 is taken. Each reference is returned once, in order of first appearance.
    """
    folded = fold_digits(_strip_invisible(unicodedata.normalize("NFC", text)))
    found: dict[OrderRef, None] = {}
    for match in _ORDER_REF_IN_TEXT.finditer(folded):
        if _follows_slash(folded, match.start()):
            continue  # the "3 / 2530" of "27 / 3 / 2530"
        number, year = int(match[1]), int(match[2])
        if number == 0 or not MIN_PLAUSIBLE_BE_YEAR <= year <= MAX_PLAUSIBLE_BE_YEAR:
            continue
        found.setdefault(OrderRef(str(number), year), None)
    return list(found)


# --- OCR clean-up ----------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"))
_HSPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

_TONE = "\u0e48-\u0e4b"
_UPPER_VOWEL = "\u0e31\u0e34-\u0e37\u0e47"
_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_FOLLOWING_VOWEL = "\u0e30\u0e32\u0e33\u0e45"
_LEADING_VOWEL = "\u0e40-\u0e44"
# Thai letters and marks, without digits, ฿, ๏, ๚, ๛; "word" letters also leave out ๆ, which
# the Royal Institute writes with a space on both sides ("ต่าง ๆ").
_THAI = "\u0e01-\u0e3a\u0e40-\u0e4e"
_THAI_WORD = "\u0e01-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"

_SARA_AM_SPLIT = re.compile("\u0e4d ?\u0e32")
_SARA_AM_SPLIT_TONE = re.compile(f"\u0e4d([{_TONE}]) ?\u0e32")
_SARA_AE_SPLIT = re.compile("\u0e40 ?\u0e40")
_LAKKHANGYAO = re.compile("(?<![\u0e24\u0e26])\u0e45")
_TONE_BEFORE_VOWEL = re.compile(f"([{_TONE}])([{_UPPER_VOWEL}])")
_DOUBLED_MARK = re.compile(f"([{_COMBINING}])\\1+")

_INSIDE_WORD_SPACE = re.compile(
    f"(?<=[{_THAI}]) (?=[{_COMBINING}{_FOLLOWING_VOWEL}])|(?<=[{_LEADING_VOWEL}]) (?=[{_THAI}])"
)
_THAI_ADJACENT = re.compile(f"[{_THAI_WORD}](?=[{_THAI_WORD}])")
_THAI_SPACED = re.compile(f"[{_THAI_WORD}](?= [{_THAI_WORD}])")
_THAI_GAP = re.compile(f"(?<=[{_THAI_WORD}]) (?=[{_THAI_WORD}])")

# A line is "spaced out" (OCR put spaces inside words) when more than this share of the
# boundaries between two Thai characters are spaces. Normal Thai puts a space only between
# phrases, well under 20% of boundaries ("นาย สมชาย ใจดี": 2 of 11); tesseract output that
# spaces glyphs runs from about 40% to 100%.
SPACED_OUT_RATIO = 0.30
# Below this many boundaries a line is too short to judge alone ("นาย ก" would look spaced
# out), so its page decides; a page that short keeps its spaces.
MIN_BOUNDARIES_TO_JUDGE_LINE = 8
_MAX_PASSES = 20


def _strip_invisible(text: str) -> str:
    return text.translate(_INVISIBLE)


def _fold_lookalikes(text: str) -> str:
    text = _SARA_AM_SPLIT_TONE.sub("\\1\u0e33", text)
    text = _SARA_AM_SPLIT.sub("\u0e33", text)
    text = _SARA_AE_SPLIT.sub("\u0e41", text)
    text = _LAKKHANGYAO.sub("\u0e32", text)
    text = _TONE_BEFORE_VOWEL.sub("\\2\\1", text)
    return _DOUBLED_MARK.sub("\\1", text)


def _boundaries(line: str) -> tuple[int, int]:
    """(Thai-Thai boundaries, how many of them are a single space) in a line."""
    spaced = len(_THAI_SPACED.findall(line))
    return len(_THAI_ADJACENT.findall(line)) + spaced, spaced


def _is_spaced_out(boundaries: int, spaced: int) -> bool:
    return boundaries > 0 and spaced / boundaries > SPACED_OUT_RATIO


def _clean_page(page: str) -> str:
    lines = [line.strip(" ") for line in page.split("\n")]
    counts = [_boundaries(line) for line in lines]
    page_boundaries = sum(c[0] for c in counts)
    # A page as short as a query ("นาย ก") gives too little evidence: keep its spaces.
    page_spaced_out = page_boundaries >= MIN_BOUNDARIES_TO_JUDGE_LINE and _is_spaced_out(
        page_boundaries, sum(c[1] for c in counts)
    )
    cleaned = []
    for line, (boundaries, spaced) in zip(lines, counts, strict=True):
        if boundaries >= MIN_BOUNDARIES_TO_JUDGE_LINE:
            spaced_out = _is_spaced_out(boundaries, spaced)
        else:
            spaced_out = page_spaced_out
        line = _INSIDE_WORD_SPACE.sub("", line)
        if spaced_out:
            line = _THAI_GAP.sub("", line)
        cleaned.append(line)
    return "\n".join(cleaned)


def _clean_pass(text: str) -> str:
    text = unicodedata.normalize("NFC", _strip_invisible(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HSPACE_RUN.sub(" ", text)
    text = _fold_lookalikes(text)
    return "\f".join(_clean_page(page) for page in text.split("\f"))


def clean_ocr_text(text: str) -> str:
    """Repair the damage OCR does to Thai text; keeps lines and pages (form feeds).

    - NFC; zero-width characters and soft hyphens removed; tabs and odd spaces become one
      space; lines are stripped; newlines and form feeds stay.
    - Unambiguous lookalikes folded: ํ + า (even with a space, or with a tone mark between:
      ํ + ่ + า) -> ่ + ำ; เ + เ -> แ; ๅ -> า except in ฤๅ/ฦๅ; a tone mark typed before an
      upper vowel moved after it; a doubled identical mark written once.
    - A space before a combining mark or ะ/า/ำ, or after เ/แ/โ/ใ/ไ, is always removed: no
      Thai word starts or ends that way.
    - Other spaces between two Thai characters are removed only on a spaced-out line (more than
      SPACED_OUT_RATIO of its Thai-Thai boundaries are spaces; short lines go by their page,
      a very short page keeps its spaces), so the word spaces of normal Thai
      ("นาย สมชาย ใจดี") stay. Spaces next to ๆ always stay.
    The passes repeat until nothing changes, so clean_ocr_text(clean_ocr_text(t)) equals
    clean_ocr_text(t).
    """
    for _ in range(_MAX_PASSES):
        cleaned = _clean_pass(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def normalize_for_search(text: str) -> str:
    """The one folding applied to both indexed text and queries."""
    return fold_digits(clean_ocr_text(text)).casefold()
