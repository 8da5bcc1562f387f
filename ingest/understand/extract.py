"""What a document's text says: citizen IDs, titled names, order references, B.E. dates,
Royal Gazette references and the subject line, each kept with where it was found.

Nothing here decides who a document belongs to: an ID run damaged by OCR is kept as it was
read (`IdReading`), for link.py to weigh against the registry with the check digit, the
names and the folder hint together.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from archive.thai import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    OrderRef,
    ThaiTextError,
    find_order_refs,
    fold_digits,
    is_valid_citizen_id,
    parse_thai_date,
)
from ingest.understand.normal import match_key, skeleton
from ingest.understand.rules import title_zone

THAI_DIGIT_CHARS = "๐๑๒๓๔๕๖๗๘๙"
# What OCR writes where a Thai digit was printed and it could not read one.
DIGIT_STANDINS = "ญฒณซ@©oOedb"
DIGITISH = f"0-9{THAI_DIGIT_CHARS}{DIGIT_STANDINS}"
_ID_RUN = re.compile(rf"(?<![{DIGITISH}/,.])[{DIGITISH}](?:[ \t]{{0,2}}-?[ \t]{{0,2}}"
                     rf"[{DIGITISH}]){{10,16}}(?![{DIGITISH}/,])")
_ENDS_DIGITISH = re.compile(rf"[{DIGITISH}]\s*-?\s*$")
_STARTS_DIGITISH = re.compile(rf"^\s*-?\s*[{DIGITISH}]")
# Titles before a name, longest first so "นางสาว" is not read as "นาง" + "สาว...".
TITLES = tuple(sorted((
    "นาย", "นาง", "นางสาว", "น.ส.", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง", "ว่าที่ ร.ต.", "ว่าที่ร.ต.",
    "ว่าที่ ร.ต.หญิง", "ดร.", "เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.", "นายแพทย์", "แพทย์หญิง",
    "ร้อยตำรวจตรี", "ร้อยตำรวจโท", "ร้อยตำรวจเอก", "พันตำรวจตรี", "พันตำรวจโท", "พันตำรวจเอก",
    "ร.ต.ต.", "ร.ต.ท.", "ร.ต.อ.", "พ.ต.ต.", "พ.ต.ท.", "พ.ต.อ.", "ร้อยตรี", "ร้อยโท", "ร้อยเอก",
    "พันตรี", "พันโท", "พันเอก", "สิบตรี", "สิบโท", "สิบเอก", "จ่าสิบเอก", "ผศ.", "รศ.",
    "ผู้ช่วยศาสตราจารย์", "รองศาสตราจารย์",
    # police non-commissioned ranks, in full and abbreviated
    "ดาบตำรวจ", "จ่าสิบตำรวจ", "สิบตำรวจเอก", "สิบตำรวจโท", "สิบตำรวจตรี", "พลตำรวจ",
    "ด.ต.", "จ.ส.ต.", "ส.ต.อ.", "ส.ต.ท.", "ส.ต.ต.",
), key=len, reverse=True))
_THAI_WORD = "[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]"
# The common titles as OCR splits them with a stray space ("นา ยสมชาย", "นาง สาวสุภาพร"); other
# titles only as printed.
_SPACED_TITLES = ("นางสาว", "นาง", "นาย")


def _title_pattern(title: str) -> str:
    """A title as OCR reads it: its marks each may be lost, a space may stand inside it or
    go from it (the common titles' stray space: "นา ยสมชาย", "นาง สาวสุภาพร"; around an
    abbreviation's dot: "ว่าที่ ร.ต .")."""
    if title in _SPACED_TITLES:
        return "[ ]?".join(re.escape(ch) for ch in title)
    out = []
    for ch in title:
        if not skeleton(ch):  # a mark OCR drops far more often than it misreads a letter
            out.append(re.escape(ch) + "?")
        elif ch == " ":
            out.append("[ ]?")
        elif ch == ".":
            out.append(r"[ ]?\.[ ]?")  # a stray space on either side: "ร.ต .", "น. ส."
        else:
            out.append(re.escape(ch))
    return "".join(out)


_CANONICAL_TITLES: dict[str, str] = {}
for _title in TITLES:  # the longest form first: "ว่าที่ ร.ต.", not "ว่าที่ร.ต."
    _CANONICAL_TITLES.setdefault(match_key(_title), _title)


def canonical_title(read: str) -> str:
    """The title as printed, for a title as OCR read it."""
    return _CANONICAL_TITLES.get(match_key(read), re.sub(r"\s", "", read))


_ANY_TITLE = "(?P<title>" + "|".join(_title_pattern(t) for t in TITLES) + ")"
_NAME = re.compile(
    _ANY_TITLE + rf"\s?(?P<first>{_THAI_WORD}{{2,20}})[ \t]+(?P<last>{_THAI_WORD}{{2,25}})"
)
# A line that opens with a title (after a row's number, an ID or other non-Thai characters).
# (The name after it opens with a consonant or a leading vowel: "ว่าที่ ร.ต.เอกพงษ์".)
_OPENING_TITLE = re.compile(r"^[^\u0e01-\u0e4e]*" + _ANY_TITLE +
                            r"\s?(?=[\u0e01-\u0e2e\u0e40-\u0e44])")


def opening_title(line: str) -> tuple[str, int] | None:
    """The title a line opens with (after a row's number and other non-Thai characters), as
    printed, and where the name after it begins, however OCR split that name; None if no
    title opens the line."""
    m = _OPENING_TITLE.match(line)
    return (canonical_title(m["title"]), m.end()) if m else None


# A name on a line with one of these words is a relative or a witness, not the owner.
RELATIVE_WORDS = ("บิดา", "มารดา", "บุตร", "คู่สมรส", "สามี", "ภริยา", "ภรรยา", "พยาน", "ผู้แจ้ง",
                  "เจ้าบ้าน",
                  # who acts for the person: receives a card for them, holds their proxy
                  "รับแทน", "ผู้รับมอบอำนาจ", "ผู้รับมอบฉันทะ", "มอบอำนาจให้", "มอบฉันทะให้")
# A role in a house register: elsewhere the house head is someone else (a witness, a
# landlord), but on the register itself the head is one of the residents it lists.
HOUSEHOLD = ("เจ้าบ้าน",)
_MONTHS = "|".join(re.escape(m) for m in (*THAI_MONTHS, *THAI_MONTHS_ABBR))
_DATE = re.compile(rf"(?<![0-9])([0-9]{{1,2}})\s*({_MONTHS})\s*(?:พ\s*\.?\s*ศ\s*\.?)?\s*"
                   r"([0-9]{4})")
_EFFECTIVE = re.compile(r"(?:ตั้งแต่วันที่|มีผลตั้งแต่วันที่|ตั้งแต่|เป็นต้นไป)")
_SIGNED = re.compile(r"(?:สั่ง|ประกาศ)\s*ณ\s*วันที่")
_GAZETTE = re.compile(
    r"เล่ม\s*(?P<volume>[0-9]{1,4})\s*ตอน(?:ที่)?\s*(?P<part>[0-9]{1,4}\s*[ก-ฮ]?)\s*"
    r"หน้า\s*(?P<page>[0-9]{1,5})"
)
_GAZETTE_HEADER = re.compile(
    r"หน้า\s*(?P<page>[0-9]{1,5})\s*เล่ม\s*(?P<volume>[0-9]{1,4})\s*ตอน(?:ที่)?\s*"
    r"(?P<part>[0-9]{1,4}\s*[ก-ฮ]?)"
)
# "ที่ ๑๒๓/๒๕๖๗" under an order's heading; OCR often drops the marks of ที่.
_OWN_REF = re.compile(rf"^\s*(?:ที่|ที|ท่|ท)\s*(?P<number>[{DIGITISH}]{{1,6}})\s*/\s*"
                      rf"(?P<year>[{DIGITISH}]{{3,5}})\s*$")
_ORDER_KEY = match_key("คำสั่ง")
# A numbered row or item that names someone: "๓ นายสมชาย", "(2) นางสาว", "4. ว่าที่ร้อยตรี";
# titles matched loosely (OCR drops marks and adds spaces).
_LISTED_TITLE = r"(?:น\s*า\s*ย|น\s*า\s*ง|น\s*\.\s*ส\s*\.|ว\s*่?\s*า\s*ท\s*[ี่]*|ด\s*ร\s*\.)"
# OCR's stray เ (a smudge read as the vowel) may stand before the title, and the space after
# the number may be lost ("5นางปวีณา").
# A row may print the post's number first, labelled ("๑. ตำแหน่งเลขที่ ๕๕๕๑ นางสาว…"): the
# label is loose (OCR drops marks and adds spaces), its number any digits and separators.
_POST_LABEL = r"ต\s*ำ?\s*แ\s*ห\s*น\s*่?\s*ง\s*เ?\s*ล\s*ข\s*ท\s*[ี่]*"
_POST_NUMBER_CELL = rf"(?:{_POST_LABEL}\s*[0-9][0-9\s,]{{0,9}}\s*)?"
_LIST_ROW = re.compile(rf"^\s*[0-9]{{1,3}}\s*[.)]?\s*เ?\s*{_POST_NUMBER_CELL}{_LISTED_TITLE}")
# A row's number and its post's number (or its label alone), the name wrapped onto the next line.
_POST_CELL_ONLY = re.compile(rf"^\s*[0-9]{{1,3}}\s*[.)]?\s*เ?\s*{_POST_LABEL}[0-9\s,]{{0,10}}$")
_LIST_ITEM = re.compile(rf"\(\s*[0-9]{{1,3}}\s*\)\s*{_LISTED_TITLE}")
# "จำนวน ๕ ราย" (or คน) before a list, "รวม ๑๐ ราย" (or รวมทั้งสิ้น) under it.
_GROUP_SIZE = re.compile(r"(?:จำนวน(?=\s*[0-9]{1,3}\s*(?:ราย|คน))|"
                         r"รวม(?:ทั้งสิ้น)?(?=\s*[0-9]{1,3}\s*ราย))\s*([0-9]{1,3})")
_SUBJECT = re.compile(r"^\s*(?:เรื่อง|เรอง|เร่อง|เรือง)\s*[:：]?\s*(.+)$")
# A count of pupils or students ("ส่งนักเรียน ... จำนวน ๓ คน") is no count of the persons an
# order is about: the letters before "จำนวน" (match keys) name them.
_COUNTS_PUPILS = re.compile("|".join(match_key(w) for w in ("นักเรียน", "นักศึกษา", "เด็ก")))


@dataclass(frozen=True)
class IdReading:
    """A run of digits (or what OCR made of them) that may be a citizen ID."""

    raw: str
    symbols: str  # digits folded to Arabic, stand-ins kept, separators dropped
    line: int
    arabic: bool  # printed in Arabic digits: OCR reads those well
    relative: bool  # on a line naming a relative or witness
    at_line_start: bool = False
    start: int = 0  # offset in its line
    household: bool = False  # the only label is a house register's role (HOUSEHOLD)

    @property
    def exact(self) -> str | None:
        """The ID when all 13 digits are there and the check digit holds."""
        ok = len(self.symbols) == 13 and self.symbols.isdigit()
        return self.symbols if ok and is_valid_citizen_id(self.symbols) else None


@dataclass(frozen=True)
class NameMention:
    title: str
    first: str
    last: str
    line: int
    signature: bool  # in a signature block "(นาย... ...)": the signer, not a subject
    relative: bool
    start: int = 0  # offset in its line
    household: bool = False  # the only label is a house register's role (HOUSEHOLD)
    end: int = 0  # offset in its line where the name (its surname) ends

    @property
    def text(self) -> str:
        return f"{self.title}{self.first} {self.last}"


@dataclass(frozen=True)
class GazetteRef:
    """ราชกิจจานุเบกษา เล่ม (volume) ตอนที่ (part) หน้า (page)."""

    volume: str
    part: str
    page: str

    def __str__(self) -> str:
        return f"ราชกิจจานุเบกษา เล่ม {self.volume} ตอนที่ {self.part} หน้า {self.page}"


@dataclass
class Extracted:
    ids: list[IdReading] = field(default_factory=list)
    names: list[NameMention] = field(default_factory=list)
    order_refs: list[OrderRef] = field(default_factory=list)
    own_ref_raw: str | None = None  # "ที่ N/YYYY" heading of an order, as read
    # Thai digits are read too badly to be trusted as values (๘ comes out as ๕ ...): a number
    # or date printed in them is kept as read but not taken as fact (see digits_trusted).
    own_ref_trusted: bool = False
    dates: list[date] = field(default_factory=list)
    effective_on: date | None = None
    effective_read: str | None = None
    effective_trusted: bool = False
    signed_on: date | None = None
    signed_trusted: bool = False
    gazette: list[GazetteRef] = field(default_factory=list)
    subject: str | None = None
    is_order: bool = False  # a คำสั่ง with its own number
    group_size: int | None = None  # "จำนวน ๕ ราย": how many persons a group order names
    group_size_raw: str = ""  # its digits as printed (Thai digits: see count_readings)
    listed: int = 0  # numbered rows or items that open with a titled name: "๒ นางสาว..."


def is_post_cell_only(line: str) -> bool:
    """A row's number and its post's number (or the label alone), nothing else: the row's name
    wrapped onto the next line ("๕. ตำแหน่งเลขที่ ๓๓๒๕")."""
    return bool(_POST_CELL_ONLY.match(_STRAY_LEAD.sub("", fold_digits(line))))


def is_list_row(line: str) -> bool:
    """A numbered row or item of a list that opens with a titled name ("๓ นายสมชาย ...",
    "(2) นางสาว ...")."""
    folded = fold_digits(line)
    return bool(_LIST_ROW.match(folded) or _LIST_ITEM.search(folded))


_BARE_NUMBER = re.compile(r"^\s*[0-9]{1,3}\s*[.)]?\s*$")
_NUMBERED = re.compile(r"^\s*([0-9]{1,3})(?:\s*[.)]\s*|\s+)(?=[\u0e01-\u0e4e])")
# A row's number and then a cell of digits: a student's, a member's or a register's number.
_NUMBER_CELL = re.compile(r"^\s*[0-9]{1,3}(?:\s*[.)]\s*|\s+)[0-9]")
# What follows a number that opens a line but no row: a date's month, a count's unit.
_NOT_A_ROW = tuple(match_key(w) for w in (*THAI_MONTHS, *THAI_MONTHS_ABBR, "ราย", "คน",
                                           "ระดับ"))
# Words a numbered paragraph opens with that no name does (a statement's "๒. เมื่อวันที่ …",
# "๓. ข้าพเจ้าทั้งสอง …"): beside a numbered paragraph that names someone, a numbered line
# opening so is the statement's next paragraph, not a list row whose title OCR damaged.
_PROSE = tuple(match_key(w) for w in (
    "เมื่อ", "ข้าพเจ้า", "ทั้งนี้", "ทั้งสอง", "ให้", "ได้", "โดย", "หาก", "กรณี", "ซึ่ง",
    "เนื่องจาก", "จึง", "ตามที่", "ในการ", "ในวันที่", "วันที่", "ขอ", "เป็น"))
ROW_NEIGHBOURHOOD = 3  # lines from a recognised row within which a numbered line is a row too
ROW_SPAN = 4  # lines a row may take once OCR has broken it (name, stray marks, ID, rest)
# Words a line ends with whose number wrapped onto the next line: "สพป.นครราชสีมา เขต" (or
# "เข", the line cut short) then "๒ ประธานคณะทำงาน" is the office's area number, not a row's;
# "… อาจารย์" then "๑ ระดับ ๓" the post's grade and level.
_TAKES_NUMBER = re.compile(r"(?:เขต?|ที่|ที|อา?จารย์?|[0-9\u0e50-\u0e59]\s*ระดั?บ)\s*$")
# Words a line ends with whose quantity wrapped onto the next line ("… ลดเงินเดือน ร้อยละ"
# then "๒ ที่ ๕๐๕/๒๕๕๑ …", "… เป็นเวลา" then "๒ เดือน …"): compared as match keys, so OCR's
# lost marks and split words do not hide them.
_QUANTITY_WORDS = tuple(match_key(w) for w in ("ร้อยละ", "เป็นเวลา", "จำนวน"))
# The mark after a row's number: a list numbers its rows one way ("๑)" or "๑."); a line
# numbered the other way beside them is a heading of another level ("๑. คณะกรรมการอำนวยการ"
# over "๑) นาย…"), not a row whose title OCR damaged.
_NUMBER_MARK = re.compile(r"^\s*[0-9]{1,3}\s*([.)])")
# A row whose number OCR lost but whose mark it kept (") นางสาวศุภาพร"), then a title.
_MARK_ONLY_ROW = re.compile(rf"^\s*([.)])\s*เ?\s*{_LISTED_TITLE}")
# What closes a list: the order's signing line or its closing words, the opening of the
# order's charge to those it lists ("ให้คณะทำงานมีหน้าที่ …"), or any other paragraph of prose
# (PROSE_LINE characters or more: a row's wrapped cell is short).
_LIST_CLOSES = tuple(match_key(w) for w in ("สั่ง ณ", "ประกาศ ณ", "ลงชื่อ", "ทั้งนี้",
                                             # an amending order's "นอกจากที่แก้ไขนี้ ให้คงเป็นไป…"
                                             "นอกจาก"))
_CHARGE = match_key("ให้")
CHARGE_LINE, PROSE_LINE = 12, 60


# Tesseract's stray เ before a row number (in Arabic or Thai digits).
_STRAY_LEAD = re.compile(rf"^\s*เ(?=\s*[0-9{THAI_DIGIT_CHARS}])")


def row_number(line: str) -> int | None:
    """The number a list row opens with, if any (OCR's stray leading เ ignored)."""
    m = re.match(r"\s*([0-9]{1,3})(?![0-9])", _STRAY_LEAD.sub("", fold_digits(line)))
    return int(m[1]) if m else None


_NUMBER_HEAD = re.compile(r"\s*[0-9]{1,3}\s*[.)]?")
# A titled name anywhere in a row: the title (loosely, as _LISTED_TITLE) and a word after it.
# Not inside a word: the นาย of มิถุนายน is no title.
TITLED_IN_ROW = re.compile(rf"(?<![\u0e01-\u0e4e]){_LISTED_TITLE}\s*[\u0e01-\u0e2e]")


def late_name_rows(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line of each numbered row of a table whose rows do not open with the
    name: a school, a project's title, a member's role or a register number first, the
    person's titled name further on ("๒ โรงเรียนบ้านดอนแดง นายพีรพัฒน์ ศักดิ์สิทธิ์ ...",
    "๓ ๖๐๑๒๓๔๕ นางสาว...": a student's number first).
    A numbered line (or a number alone on its line) opens a row; the row runs to the next
    one, at most ROW_SPAN lines, and never into a signature. Only rows that name someone
    with a title count, and only a numbering of two rows or more that goes up: numbered
    clauses of a letter (๑. ให้ ..., ๒. ...) name nobody and stay out."""
    folded = [_STRAY_LEAD.sub("", fold_digits(line)) for line in lines]
    starts = []
    for n, line in enumerate(folded):
        m = _NUMBERED.match(line) or _NUMBER_CELL.match(line) or \
            (_BARE_NUMBER.match(line) and n + 1 < len(lines))
        if not m or is_signature_line(lines[n]):
            continue
        number = row_number(line)
        rest = match_key(_NUMBER_HEAD.sub("", line, count=1))
        if number is None or not 1 <= number <= 200 or rest.startswith(_NOT_A_ROW):
            continue
        starts.append((n, number))
    # A number alone on its line that repeats its neighbour's is a cell's number wrapped onto
    # a line of its own (ชั้นประถมศึกษาปีที่ / ๒), not a row.
    starts = [(n, number) for k, (n, number) in enumerate(starts)
              if not (_BARE_NUMBER.match(folded[n]) and any(
                  0 <= j < len(starts) and starts[j][1] == number for j in (k - 1, k + 1)))]
    rows = []
    for k, (n, number) in enumerate(starts):
        end = min(starts[k + 1][0] - 1 if k + 1 < len(starts) else len(lines) - 1,
                  n + ROW_SPAN - 1)
        end = next((m - 1 for m in range(n + 1, end + 1) if is_signature_line(lines[m])), end)
        if TITLED_IN_ROW.search(" ".join(lines[n:end + 1])):
            rows.append((n, end, number))
    # The numbering goes up by one (by two where OCR lost a row whole; once, on a list of
    # three rows or more, not at all where OCR read a Thai digit as the next one's, ๔ as ๕):
    # a form's numbered fields or a count broken onto its own line (ระยะเวลา ๖ / เดือน) do
    # not make a table.
    numbers = [number for _n, _e, number in rows]
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    if len(rows) < 2 or numbers[0] > 2 or (
            any(not 0 <= step <= 2 for step in steps) or
            steps.count(0) > (1 if len(rows) >= 3 else 0)) and \
            not _thai_numbering_fits([_ROW_DIGITS.match(lines[n]) for n, _e, _k in rows]):
        return []
    return [(n, end) for n, end, _number in rows]


_ROW_DIGITS = re.compile(rf"\s*(?:เ\s*)?([{THAI_DIGIT_CHARS}]{{1,2}})(?![0-9{THAI_DIGIT_CHARS}])")


def _thai_numbering_fits(numbers: list[re.Match[str] | None]) -> bool:
    """Whether rows numbered in Thai digits, as read, may have been printed as a numbering
    that goes up by one at each row (by two where a row was lost whole), the first 1 or 2:
    OCR reads ๖ as ๒ and ๗ as ๑ or ๓ (_PRINTED_AS), so ๑ ๒ ๓ ๕ ๕ ๒ ๑ may be 1 to 7."""
    last = 0
    for m in numbers:
        fits = [n for n in count_readings(m[1]) if last < n <= last + 2] if m else []
        if not fits:
            return False
        last = fits[0]
    return True


def numbered_to(lines: list[str], rows: list[tuple[int, int]]) -> int | None:
    """The highest number of a list's numbering (1, 2, 3, 5: at least five rows, though one
    was lost whole, name and number), once there are two numbered rows, or one numbered
    two or more (the rows above it lost). A number in Thai
    digits counts as the lowest it may have been printed as (OCR reads ๔ as ๕, never ๕ as
    ๔: _LOWEST_THAI), and each row's as above the last one's, so the result is a lower bound
    on the rows the list had."""
    numbers = [n for first, _last in rows
               if (n := row_number(lines[first][:8].translate(_LOWEST_THAI))) is not None]
    if len(numbers) == 1 and 2 <= numbers[0] <= 200:
        return numbers[0]  # a list's only row found is its second: the first was lost
    if len(numbers) < 2 or max(numbers) > 200:
        return None
    # A numbering only goes up: each row's number is above the one before (two rows read
    # ๕ ๕ were at least 4 and 5).
    bound = 0
    for n in numbers:
        bound = max(n, bound + 1)
    return bound if bound <= 200 else None


_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


def _next_thai(lines: list[str], n: int) -> str:
    """The next line after n with Thai letters, past at most two lines of OCR's garbage
    (Latin letters and marks from a stamp or a table rule)."""
    for k in range(n + 1, min(n + 4, len(lines))):
        if _THAI_LETTER.search(lines[k]):
            return lines[k].strip()
        if re.search(r"[0-9\u0e50-\u0e59]", lines[k]):
            return ""  # another number: not garbage
    return ""


# A row's number OCR turned into a stand-in ("e." for "๔."), with its dot or bracket.
_LOST_NUMBER = re.compile(rf"^[{DIGITISH}]{{1,3}}\s*[.)]\s*")


def opens_with_title(line: str) -> bool:
    """A line that opens with a title (after OCR's stray leading marks, or a row number it
    misread as a stand-in): a list's row whose number OCR lost, when it stands among the
    list's rows."""
    rest = _LOST_NUMBER.sub("", _LEAD.sub("", line.strip()))
    return is_list_row(f"0 {rest}")


def list_rows(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line of each numbered row of a list of names, its continuation lines
    included (up to the next row, at most ROW_SPAN lines). A row opens with a number and a
    title; a number OCR left alone on its line counts when the next line opens with a title;
    and a numbered line near such rows counts when its number fits their numbering (its
    title was too damaged to read)."""
    folded = [_STRAY_LEAD.sub("", fold_digits(line)) for line in lines]
    lines = [_STRAY_LEAD.sub("", line) for line in lines]
    sure = []
    for n, line in enumerate(lines):
        # (A bare ๐ is a Thai digit OCR misread, ๖ or ๘: no list numbers a row 0.)
        bare = n + 1 < len(lines) and bool(_BARE_NUMBER.match(folded[n])) and \
            (int(re.sub(r"\D", "", folded[n]) or 0) >= 1 or "๐" in lines[n])
        wrapped = bare or n + 1 < len(lines) and bool(_POST_CELL_ONLY.match(folded[n]))
        if is_list_row(line) or (wrapped and
                                 is_list_row(f"{line.strip()} {_next_thai(lines, n)}")):
            sure.append(n)
    if not sure:
        return []
    numbered = {n: int(m[1]) for n in sure
                if (m := _NUMBERED.match(folded[n]) or _BARE_NUMBER.match(folded[n])) and
                (m := re.match(r"\s*([0-9]{1,3})", folded[n]))}
    starts = set(sure)
    for n, line in enumerate(folded):
        # (A number alone on its line over a line of Thai letters: a row whose title and
        # first name OCR lost, "๕" over "ชัยวัฒนา บ.ม. …".)
        m = _NUMBERED.match(line)
        below = _next_thai(lines, n) if m is None and _BARE_NUMBER.match(line) else ""
        bare = bool(below)
        if bare:
            m = re.match(r"\s*([0-9]{1,3})", line)
        rest = below if bare or m is None else line[m.end():]
        # (A number alone with its mark, "๕)", over the name OCR broke: a row of its own
        # however many lines the row above took.)
        reach = ROW_NEIGHBOURHOOD + (ROW_SPAN if bare and _NUMBER_MARK.match(line) else 0)
        if not m or n in starts or match_key(rest).startswith((*_NOT_A_ROW, *_PROSE)) or \
                not any(abs(n - r) <= reach for r in sure) or \
                _takes_number(_previous_thai(lines, n)) or _numbered_otherwise(folded, n, sure):
            continue
        # Its number must fit the numbering around it: no higher than the next row's, no
        # lower than the previous row's (a page number or a count broken onto a line of its
        # own does not).
        before = [numbered[r] for r in sure if r < n and r in numbered]
        after = [numbered[r] for r in sure if r > n and r in numbered]
        number = int(m[1])
        if bare and not _THAI_DIGIT.search(lines[n]) and (
                before and number <= before[-1] or after and number >= after[0]):
            # A number alone in Arabic digits (read well) that repeats a row's: a cell's
            # wrapped onto its line. (In Thai digits the row's own may be the misread one.)
            continue
        # (A next row numbered below the previous one was misread itself: no bound.)
        bound = after[0] if after and not (before and after[0] < before[-1]) else None
        if (not before or number >= before[-1]) and (bound is None or number <= bound) and \
                number <= max(numbered.values(), default=0) + 1:
            starts.add(n)
    for n, line in enumerate(folded):
        # A row's mark with a title after it, the number lost: a row where the rows near it
        # are marked the same way.
        mark = _MARK_ONLY_ROW.match(line)
        near = _near_marks(folded, n, sure)
        if mark and near and all(other == mark[1] for other in near):
            starts.add(n)
    ordered = sorted(starts)
    out = []
    for k, n in enumerate(ordered):
        end = min(ordered[k + 1] - 1 if k + 1 < len(ordered) else len(lines) - 1,
                  n + ROW_SPAN - 1)
        end = next((m - 1 for m in range(n + 1, end + 1) if _closes_list(lines[m])), end)
        out.append((n, end))
    return out


def _takes_number(line: str) -> bool:
    """Whether a line ends with a word whose number wrapped onto the next line (_TAKES_NUMBER
    as printed, _QUANTITY_WORDS as match keys)."""
    return bool(_TAKES_NUMBER.search(line)) or match_key(line).endswith(_QUANTITY_WORDS)


def _numbered_otherwise(folded: list[str], n: int, sure: list[int]) -> bool:
    """Whether line n's number is marked one way ("๑.") and every recognised row near it
    (ROW_NEIGHBOURHOOD) the other ("๑)"): a heading over a list, or a paragraph beside it."""
    mark = _NUMBER_MARK.match(folded[n])
    near = _near_marks(folded, n, sure)
    return mark is not None and bool(near) and all(
        other is not None and other != mark[1] for other in near)


def _near_marks(folded: list[str], n: int, sure: list[int]) -> list[str | None]:
    """The number marks ("." or ")"; None where a row has none) of the recognised rows within
    ROW_NEIGHBOURHOOD of line n."""
    return [m[1] if (m := _NUMBER_MARK.match(folded[r])) else None
            for r in sure if abs(n - r) <= ROW_NEIGHBOURHOOD]


def _previous_thai(lines: list[str], n: int) -> str:
    """The nearest line before line n with a Thai letter, past at most two lines of OCR's
    garbage, or ""."""
    return next((lines[m] for m in range(n - 1, max(n - 4, -1), -1)
                 if _THAI_LETTER.search(lines[m])), "")


def _closes_list(line: str) -> bool:
    """Whether a line after a row's first is no part of it but what follows the list: the
    signing line, or a paragraph of prose (_LIST_CLOSES, _PROSE over PROSE_LINE letters)."""
    line = _LEAD.sub("", line.strip())
    key = match_key(line)
    return key.startswith(_LIST_CLOSES) or \
        (key.startswith(_CHARGE) and len(line) >= CHARGE_LINE) or \
        (key.startswith(_PROSE) and len(line) >= PROSE_LINE)


def _lines(text: str) -> list[str]:
    return text.replace("\f", "\n").split("\n")


_RELATIVE_KEYS = tuple(match_key(w) for w in RELATIVE_WORDS)
CHILD_TITLES = ("เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.")
_TONES = re.compile("[\u0e47-\u0e4e]")
# The skeleton of a label can be the skeleton of another word: บุตร (child) and บัตร (card,
# as in วุฒิบัตร, เกียรติบัตร, บัตรประจำตัวประชาชน) are both บตร; สามี (husband) is the สาม of
# สามัคคี (a school's name) and สามารถ. Their vowels, which the skeleton drops, tell them apart.
_HUSBAND = re.compile("สามี|สาม(?=[^\u0e01-\u0e4e])")  # ี lost, the word ends: สามี


# What OCR leaves before a line's first letter: a stray เ (the vowel read from a smudge),
# dots, dashes, bars.
_LEAD = re.compile(r"^[\sเ.,:;'|!\-]{0,4}")


_SIGNER_LOST_BRACKET = re.compile(
    "(?:" + "|".join(re.escape(t) for t in TITLES) + r")[^()]{2,50}\)\s*$")


def opens_bracket(line: str) -> bool:
    """Whether a line opens with a bracket, past OCR's leading stray marks: a signature
    block's bracketed name ("เ(นาง สาวศศิธร มั่นคง)"), or its first line where the name
    runs on over more."""
    return _LEAD.sub("", line.strip()).startswith("(")


def is_signature_line(line: str) -> bool:
    """A signature block's line: "(name)" or "ลงชื่อ ...", also under OCR's leading stray
    marks ("เ(นาง สาวศศิธร มั่นคง)"), a lost vowel ("ลงชือ") and a lost opening bracket
    ("นางสาวปิยะนุช ภูมิสุวรรณ)": a titled name alone on its line, closed by a bracket)."""
    rest = _LEAD.sub("", line.strip())
    return opens_bracket(line) or match_key(rest[:8]).startswith("ลงชอ") or \
        bool(_SIGNER_LOST_BRACKET.match(rest))


def relative_labels(text: str) -> list[str]:
    """The relatives' and witnesses' labels (RELATIVE_WORDS) a piece of text holds. Where
    OCR left the vowels that tell a label from a lookalike word, they decide; where it lost
    them, the text counts as a label (a person is asked rather than a relative filed)."""
    key = match_key(text)
    found = []
    for word, k in zip(RELATIVE_WORDS, _RELATIVE_KEYS, strict=True):
        if k not in key:
            continue
        light = _TONES.sub("", text)
        solid = re.sub(r"\s", "", light)
        if word == "บุตร" and "บัตร" in solid and "บุตร" not in solid:
            continue
        if word == "สามี" and not _HUSBAND.search(light):
            continue
        found.append(word)
    return found


def has_relative_label(text: str, *, household_ok: bool = False, within: str = "") -> bool:
    """Whether the text holds a relative's or witness's label; with household_ok, a house
    register's own role (HOUSEHOLD: the house head) does not count; nor does a label's word
    inside `within`, the match key of the name the text is about (the บุตร of a surname
    "สายบุตร" labels no one)."""
    key = match_key(text) if within else ""
    return any(not (household_ok and w in HOUSEHOLD) and
               (not within or key.count(k := match_key(w)) > within.count(k))
               for w in relative_labels(text))


def _relative(line: str, start: int, end: int, *, before: int, after: int
              ) -> tuple[bool, bool]:
    """(relative, household): a relative or witness has their label just before the name or
    number ("ชื่อบิดา นาย...") or, in a table row, in a column just after it ("... ๑-๒๓๔๕-...
    มารดา"); household: the only label is a house register's role (HOUSEHOLD)."""
    labels = relative_labels(line[max(0, start - before):start] + " " + line[end:end + after])
    return bool(labels), bool(labels) and all(w in HOUSEHOLD for w in labels)


def _is_relative(line: str, start: int, end: int, *, before: int, after: int) -> bool:
    return _relative(line, start, end, before=before, after=after)[0]


def _joined(lines: list[str]) -> list[tuple[int, str]]:
    """Lines, plus a line and the next joined where a digit run breaks across them (a table
    cell wrapped): (number of the first line, text)."""
    out = list(enumerate(lines))
    for n in range(len(lines) - 1):
        if _ENDS_DIGITISH.search(lines[n]) and _STARTS_DIGITISH.match(lines[n + 1]):
            out.append((n, f"{lines[n]} {lines[n + 1]}"))
    return out


def _symbols(raw: str) -> str:
    return fold_digits(re.sub(r"[-\s]", "", raw))


_GAP = re.compile(r"[ \t]+")


def _id_part(raw: str) -> tuple[str, int] | None:
    """An ID run that OCR ran on into the next column's number ("1-2345-67890-12-3 3852 0"):
    the leading or trailing part of it, cut at a space, that is an ID's length (13, or one
    symbol off), nearest 13 first; (part, offset in raw). None when no cut gives one."""
    options = []
    for gap in _GAP.finditer(raw):
        for part, offset in ((raw[:gap.start()], 0), (raw[gap.end():], gap.end())):
            size = len(_symbols(part))
            if 12 <= size <= 14:
                options.append((abs(size - 13), offset, part))
    if not options:
        return None
    _slip, offset, part = min(options)
    return part, offset


def find_ids(lines: list[str]) -> list[IdReading]:
    out: list[IdReading] = []
    seen: set[str] = set()
    for n, line in _joined(lines):
        unnamed = None
        for match in _ID_RUN.finditer(line):
            raw, start = match.group(0).strip(), match.start()
            symbols = _symbols(raw)
            if len(symbols) > 15:
                part = _id_part(raw)
                if part is None:
                    continue
                raw, start = part[0].strip(), start + part[1]
                symbols = _symbols(raw)
            digits = sum(ch.isdigit() for ch in symbols)
            if not 11 <= len(symbols) <= 15 or digits < 9:
                continue
            if symbols in seen:
                continue
            seen.add(symbols)
            arabic = sum("0" <= ch <= "9" for ch in raw) > len(symbols) * 0.7
            end = start + len(raw)
            if unnamed is None:
                # A label's word inside a name ("สายบุตร" before the ID on its row) labels no
                # one: names are blanked (offsets kept) before the labels beside it are read.
                unnamed = _NAME.sub(lambda m: " " * len(m.group(0)), line)
            relative, household = _relative(unnamed, start, end, before=30, after=15)
            out.append(IdReading(raw, symbols, n, arabic, relative,
                                 not line[:start].strip(), start, household))
    return out


# What may stand between two names one sentence enumerates on a line: separators, "และ",
# and a word or two (the tail of a surname OCR split, a person's post) before "และ" or a comma.
_ENUMERATED = re.compile(r"^[\s,;]*(?:(?:[\u0e01-\u0e4e]{1,15}[\s,;]*){1,2}(?=และ|,))?"
                         r"(?:และ)?[\s,;]*$")


# What a list's next cell opens with (a unit, a post, a duty): no surname.
_CELL_OPENINGS = tuple(match_key(w) for w in (
    "โรงเรียน", "ร.ร.", "สำนักงาน", "สพป", "สพม", "มหาวิทยาลัย", "ครู", "ผู้", "นัก", "รอง",
    "ศึกษานิเทศก์", "ตำแหน่ง", "วิทยฐานะ", "กรรมการ", "ประธาน", "เจ้าหน้าที่", "เจ้าพนักงาน"))
# A row's title and first name alone on its line, the surname wrapped onto the next.
_TITLE_AND_FIRST = re.compile(
    r"^\s*(?:[0-9\u0e50-\u0e59]{1,3}\s*[.)]?\s*)?เ?\s*"
    "(?P<title>" + "|".join(_title_pattern(t) for t in TITLES) + ")"
    rf"\s?(?P<first>{_THAI_WORD}{{2,20}})\s*$")
# (A word opens with a consonant or a leading vowel: "ียนวัด…" is the tail of a word OCR cut.)
_FIRST_WORD = re.compile(rf"^\s*(?P<last>[\u0e01-\u0e2e\u0e40-\u0e44]{_THAI_WORD}{{1,24}})"
                         r"(?![\u0e01-\u0e4e])")


def wrapped_surname(line: str) -> re.Match[str] | None:
    """The surname a name wrapped onto this line opens it with (its group "last"): the line's
    first word, unless it is the tail of a word OCR cut or the row's next cell (a school, a
    post: _CELL_OPENINGS, however OCR split its words)."""
    after = _FIRST_WORD.match(line)
    if after is None or match_key(line[after.start("last"):]).startswith(_CELL_OPENINGS):
        return None
    return after


def wrapped_name(lines: list[str], n: int, nxt: int) -> NameMention | None:
    """The name of a row whose title and first name stand alone on line n and whose surname
    opens line nxt (the next line with Thai letters): "๐. นางสาวปิยะนุช" / "ทองคำ นักวิชาการ…".
    No signer's; a relative's where a relative's label stands beside it (_relative)."""
    match = _TITLE_AND_FIRST.match(lines[n])
    after = wrapped_surname(lines[nxt]) if match and nxt < len(lines) else None
    if match is None or after is None or is_signature_line(lines[n]) or \
            match_key(match["title"] + match["first"]) in _CANONICAL_TITLES or \
            min(len(match_key(match["first"])), len(match_key(after["last"]))) < 3:
        # The surname lost (the next line is the row's next cell), a fragment, or a title
        # alone on its line ("ว่าที่ร้อยตรี" + "หญิง"): no name to read.
        return None
    # A relative's or a witness's label before the title, or in the column after the surname
    # ("๑ นายยุทธนา" / "สุขแก้ว คู่สมรส ๕๐%"): the two lines read as one
    relative, household = _relative(f"{lines[n]} {lines[nxt]}", match.start("title"),
                                    len(lines[n]) + 1 + after.end("last"), before=20, after=45)
    return NameMention(canonical_title(match["title"]), match["first"], after["last"], n,
                       False, relative, match.start("title"), household, match.end())


def _wrapped_names(lines: list[str]) -> list[NameMention]:
    """Names whose surname wrapped onto the next line with Thai letters (wrapped_name), where
    the line holds no name read whole."""
    out = []
    for n, line in enumerate(lines):
        if not _TITLE_AND_FIRST.match(line) or _NAME.search(line):
            continue
        nxt = n + 1
        while nxt < len(lines) and not _THAI_LETTER.search(lines[nxt]) and \
                not re.search(r"[0-9\u0e50-\u0e59]", lines[nxt]):
            nxt += 1  # past OCR's garbage from a stamp or a rule
        mention = wrapped_name(lines, n, nxt)
        if mention is not None:
            out.append(mention)
    return out


def find_names(lines: list[str]) -> list[NameMention]:
    out = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        labelled = None  # the last name on this line a relative's label reached
        previous = 0  # where the name before on this line ends
        for match in _NAME.finditer(line):
            before = line[: match.start()].rstrip()
            # The label's reach stops at the next name: it cannot describe that one too.
            following = _NAME.search(line, match.end())
            after = min(45, (following.start() if following else len(line)) - match.end())
            signature = before.endswith("(") or is_signature_line(stripped)
            title = canonical_title(match["title"])
            # Nor does the label reach back into the name before: the บุตร of a surname
            # "แสงบุตร" labels no one.
            relative, household = _relative(line, match.start(), match.end(),
                                            before=min(20, match.start() - previous),
                                            after=after)
            previous = match.end()
            child = title in CHILD_TITLES
            if not relative and labelled is not None and \
                    _ENUMERATED.match(line[labelled:match.start()]):
                # "บุตร ได้แก่ นางสาว…, นางสาว… และนางสาว…": the label reaches every name
                # the sentence enumerates after it, not only the first.
                relative, household = True, False
            labelled = match.end() if relative and not household else None
            out.append(NameMention(title, match["first"], match["last"], n, signature,
                                   relative or child, match.start(), household and not child,
                                   match.end()))
    return out


def digits_trusted(raw: str) -> bool:
    """Whether the digits of a reading can be taken as read: Arabic digits yes; Thai digits
    not while OCR confuses them (change this when ingest/digits reads them reliably)."""
    return not any(ch in THAI_DIGIT_CHARS for ch in raw)


def _date_at(line: str, folded: str, start: int) -> tuple[date | None, str | None]:
    """The first Thai date at or after `start` in a line: (date, the text as printed)."""
    match = _DATE.search(folded, start)
    if not match:
        return None, None
    raw = line[match.start():match.end()]  # folding keeps offsets: one digit for one
    try:
        return parse_thai_date(f"{match[1]} {match[2]} {match[3]}"), raw
    except ThaiTextError:
        return None, raw


def find_dates(folded: str) -> list[date]:
    found: dict[date, None] = {}
    for match in _DATE.finditer(folded):
        try:
            found.setdefault(parse_thai_date(f"{match[1]} {match[2]} {match[3]}"), None)
        except ThaiTextError:
            continue
    return list(found)


# The smallest number each Thai digit as read may have been printed as (๕ may be ๔ ๘ ๙):
# a count read from Thai digits is only a lower bound.
_LOWEST_THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123444789")


def text_of(lines: list[str], match: re.Match[str]) -> str:
    """The printed digits of a match in the folded text (folding keeps offsets)."""
    return "\n".join(lines)[match.start(1):match.end(1)]


def _lowest_reading(raw: str) -> int:
    return int(fold_digits(raw.translate(_LOWEST_THAI)))


# What each Thai digit as read may have been printed as: OCR reads ๔ ๘ ๙ as ๕, ๖ as ๒ ๐ or
# ๑, ๗ as ๓ or ๑, ๙ as ๓ (noise.THAI_DIGIT_READINGS; the lowest of each is _LOWEST_THAI's).
_PRINTED_AS = {"๕": "๔๕๘๙", "๒": "๒๖", "๐": "๐๖", "๑": "๑๖๗", "๓": "๓๗๙"}


def count_readings(raw: str) -> list[int]:
    """Every number a count read as `raw` may have been printed as, smallest first."""
    options = [_PRINTED_AS.get(ch, ch) for ch in raw if ch.strip()]
    if not options or len(options) > 3:
        return [_lowest_reading(raw)] if raw.strip() else []
    return sorted({int(fold_digits("".join(p))) for p in itertools.product(*options)})


def extract(text: str) -> Extracted:
    lines = _lines(text)
    folded_lines = [fold_digits(line) for line in lines]
    folded = "\n".join(folded_lines)
    result = Extracted(ids=find_ids(lines), names=find_names(lines) + _wrapped_names(lines))
    result.order_refs = find_order_refs(text)
    result.dates = find_dates(folded)
    head = [ln for ln in lines[:12] if ln.strip()]
    for line in head[:6]:
        match = _OWN_REF.match(line)
        if match:
            result.own_ref_raw = f"{match['number']}/{match['year']}"
            result.own_ref_trusted = digits_trusted(result.own_ref_raw)
            break
    result.is_order = result.own_ref_raw is not None and any(
        _ORDER_KEY in match_key(ln) for ln in head[:4])
    for line, folded_line in zip(lines, folded_lines, strict=True):
        for match in _EFFECTIVE.finditer(folded_line):
            day, raw = _date_at(line, folded_line, match.start())
            if day and result.effective_on is None:
                result.effective_on, result.effective_read = day, raw
                result.effective_trusted = digits_trusted(raw or "")
        match = _SIGNED.search(folded_line)
        if match and result.signed_on is None:
            result.signed_on, raw = _date_at(line, folded_line, match.end())
            result.signed_trusted = digits_trusted(raw or "")
    rows = [ln for ln in folded_lines if _LIST_ROW.match(ln) and not _is_relative(ln, 0, 0,
                                                                            before=0, after=200)]
    items = [m for ln in folded_lines for m in _LIST_ITEM.finditer(ln)]
    result.listed = max(len(rows), len(items))
    sizes = [(_lowest_reading(raw), raw) for m in _GROUP_SIZE.finditer(folded)
             if not _COUNTS_PUPILS.search(match_key(folded[max(0, m.start() - 40):m.start()]))
             and (raw := text_of(lines, m))]
    if sizes:
        result.group_size, result.group_size_raw = max(sizes)
    for pattern in (_GAZETTE, _GAZETTE_HEADER):
        for match in pattern.finditer(folded):
            ref = GazetteRef(match["volume"], re.sub(r"\s+", " ", match["part"]).strip(),
                             match["page"])
            if ref not in result.gazette:
                result.gazette.append(ref)
    for line in title_zone(text).split("\n"):
        match = _SUBJECT.match(line)
        if match:
            result.subject = match.group(1).strip()
            break
    return result
