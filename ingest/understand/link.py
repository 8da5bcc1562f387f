"""Who a document belongs to: registry persons weighed on IDs, names and the folder hint.

Each kind of evidence adds points (roughly log-odds) to a person:

| evidence | points |
|---|---|
| citizen ID read exactly, check digit valid, in the registry | 10 |
| ID one OCR slip away, the check digit picks one registry person | 8 |
| damaged ID, registry posterior p (idmatch) | 1.5 + logit(p), at most 7 |
| name with title, same as registered (skeleton, unique in registry) | 5 (less if shared) |
| title, name and surname run together once OCR's stray spaces and line breaks go | 5 |
| ... either, the registry's names distinct and no other unit after it (_distinct) | +3 |
| ... not on a list that also names strangers (_not_distinct_among_strangers) | (+0) |
| ... either, read with a title ruling the registered person out (_title_contradicts) | -2 |
| name near a registered one (within ocr_distance) / first name + start of surname | 2-5 / 2.5 |
| first name and surname both in the text (no title) | 3 |
| first name and surname as one run outside signatures (the title lost; a unique name) | 4 |
| the folder's person's name signed above the copy's certification (_certified_copy) | 4 |
| a damaged ID that only fits the ID of a person the text names (likelihood ratio) | 3-7 |
| the first name or surname of a person found by ID on that ID's row (the rest damaged) | 2 |
| the person's registered unit after the name, before the next (or nearly: UNIT_FUZZY) | 3 |
| ... or in the heading of the list's group their row stands under (_unit_headings) | 3 |
| ... or anywhere on a paper about them alone, no list, their name whole and unshared | 3 |
| the person's registered date of birth on the name's row | 3 |
| a damaged name found in the letters of a list's row, or the folder's person's (targeted) | 3.5-5 |
| named on a row of an anchored list of subjects (_list_members) | 3 |
| ID printed next to the name belongs to someone else | -8 |
| folder named by the person's citizen ID | 4 |

A list of subjects whose every numbered row is a registry person, and one of whom the page
proves beyond their name (their ID, the folder's person named there, their unit on their row),
is the agency's list of its own people: a member whose row opens with a name only one registry
person has (whole, or damaged but placed one way only) is that person. Namesakes, a row naming
a second person or another unit, and a row without an ID on a list that prints IDs get nothing
from the list. A number beside a name is held against it only when it can be an ID: its
dashes, its length, and its column (a licence's or a certificate's number is not).

A row no subject accounts for holds a list of subjects back unless it is plainly a stranger's
(_strangers_rows): a child's, an outside role's or unit's, or, where the registry's names are
distinct, a name (read, or the words a title opens the row with) whose letters open with no
registered name within OCR's edits, however split (_registered_opening), and that comes near
no registered person in its parts either (_near_in_parts: a first name or surname cut short).

A table whose rows open with a school, a project's title or a role and name their person
further on (extract.late_name_rows) is a list too, when no row opens with a name. A unit
counts for a name namesakes share only on a list of subjects: elsewhere it has told them
apart, and may be the unit one of them left.

Namesakes (the same registered name) share the name's points until the page tells them
apart: an ID reading, the date of birth or the unit on the name's row, the unit on the page;
failing that the folder's person takes the name, unless the page points to another namesake
(their unit, their ID), which leaves the document to a person.

A person is a *subject* when the text alone gives at least MENTIONED points; signers (names
in a signature block: a form's applicant signing as such, "ผู้ยื่นคำขอ", excepted), relatives
and witnesses do not count (on a house register, though, its house head is one of the
residents it lists), nor, on a paper that prints its subjects' IDs, a registered name with
no ID beside it (a committee member, a father). A
document is `linked` only when every subject reaches LINKED points, a folder hint (if any)
names one of them, no subject's own row gives a post no civil servant holds (a contract
teacher, a school board's community member) unless their ID or the folder says it is them,
and no group is left short ("จำนวน ๕ ราย" or "รวม ๕ ราย", or such a count misread below the
persons found that every reading of it puts above them; a numbered list of names in an
order; or a line of a list that reads as a row OCR lost, with fewer subjects found). A
folder the text contradicts, or any doubt, sends it to review with the candidates. Precision
over recall: a wrong filing is worse than a look by a person.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from archive.thai import THAI_MONTHS, THAI_MONTHS_ABBR
from ingest.understand import idmatch
from ingest.understand.classify import CONFIDENCE_BAR
from ingest.understand.extract import (
    CHILD_TITLES,
    DIGITISH,
    ROW_SPAN,
    TITLED_IN_ROW,
    Extracted,
    IdReading,
    NameMention,
    count_readings,
    has_relative_label,
    is_list_row,
    is_post_cell_only,
    is_signature_line,
    late_name_rows,
    list_rows,
    numbered_to,
    opening_title,
    opens_bracket,
    opens_with_title,
    row_number,
    wrapped_name,
    wrapped_surname,
)
from ingest.understand.normal import key_offsets, match_key, ocr_distance
from ingest.understand.registry import (
    NAME_CUTOFF,
    Known,
    RegistryIndex,
    name_key,
    registry_index,
)

ID_EXACT, ID_RESCUED, ID_MAX = 10.0, 8.0, 7.0
ID_SURE = 5.0  # an ID reading this good picks one of several namesakes
NAME_EXACT, NAME_RUN_ON, NAME_PARTS, NAME_PARTIAL = 5.0, 4.5, 3.0, 2.5
NAME_JOINED = 5.0  # the same letters as an exact name; only OCR's spaces differ
# First name and surname as one run of letters, the title lost to OCR; a unique registered name.
NAME_RUN = 4.0
NAME_ON_ROW = 2.0  # the first name or the surname on the row of the person's ID reading
# A damaged ID reading that fits a named person's ID this much better than anyone else's
# (natural-log likelihood ratio, idmatch) supports that person: points = ratio / 2.
ID_SUPPORT_LLR = 6.0
UNIT_ROW = 3.0
# A titled name, whole and unique in the registry, on a row of a list of subjects whose every
# row is a registry person and one of whom the page proves by ID or with the folder.
LIST_MEMBER = 3.0
# A unit's name OCR damaged on a row: partial similarity at least UNIT_FUZZY, ahead of every
# other registered unit by UNIT_MARGIN; only for names of UNIT_FUZZY_MIN letters or more.
UNIT_FUZZY, UNIT_MARGIN, UNIT_FUZZY_MIN = 90.0, 4.0, 10
ID_CONFLICT = -8.0
FOLDER = 4.0
MENTIONED = 2.5
LINKED = 8.0
CANDIDATE = 2.5
MAX_GROUP = 200  # a larger "จำนวน N ราย" is a count of something else
# Categories whose numbered lists of names are lists of the document's subjects (a house
# registration lists the family, a beneficiary form the heirs, an investigation its committee).
# A licence names its holder, and a council's announcement of licences granted lists holders;
# "other" papers list the agency's own people (a school's leave summary, corrected birth dates).
# A university's list of graduates, a council's of degrees it recognises, a course's of those
# who passed a skill, a register of coaches: each lists those who hold the qualification or the
# ability. (Discipline papers are not: their lists are of the committee that investigates.)
LISTS_OF_SUBJECTS = frozenset({"appointment", "status_orders", "background_check",
                               "education_training", "special_service", "martial_law",
                               "decorations", "honors", "professional_license", "other",
                               "qualification", "special_abilities"})

# The classifier's probability that a paper's category lists its subjects (summed over its
# ranked categories in LISTS_OF_SUBJECTS) at which its lists count as of subjects, as a sure
# category's do: the bar a category itself must pass.
SUBJECTS_LISTED = CONFIDENCE_BAR

# Categories whose lists are of the person's family (residents, relatives, heirs): a person
# named on one of their rows does not make the others subjects.
FAMILY_LISTS = frozenset({"house_registration", "personal_status", "benefits"})


@dataclass
class PersonFinding:
    index: int
    pk: int
    citizen_id: str
    name: str
    id_points: float = 0.0
    name_points: float = 0.0
    unit_points: float = 0.0
    birth_points: float = 0.0  # BIRTH_ROW: their registered date of birth on their row
    list_points: float = 0.0  # LIST_MEMBER: on an anchored list of subjects (_list_members)
    conflict: float = 0.0
    folder: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    with_reading: bool = False  # named next to an ID reading (a row of a list or table)
    namesake_out: bool = False  # the name on the page was settled on a namesake
    lines: set[int] = field(default_factory=set)  # where the page names the person

    @property
    def content(self) -> float:
        return self.id_points + self.name_points + self.unit_points + self.birth_points + \
            self.list_points + self.conflict

    @property
    def points(self) -> float:
        return round(self.content + self.folder, 6)  # 7.9999999 is 8

    @property
    def confidence(self) -> float:
        return round(1.0 / (1.0 + math.exp(-(self.points - 4.0))), 4)

    def as_json(self) -> dict[str, Any]:
        return {"citizen_id": self.citizen_id, "name": self.name,
                "confidence": self.confidence, "points": round(self.points, 2),
                "reasons": self.reasons}


@dataclass
class PersonLinks:
    link: str  # linked | needs_review | unlinked
    owners: list[PersonFinding]  # linked owners, or the best candidates
    review_reasons: list[str] = field(default_factory=list)
    folder_person: str | None = None


class _Board:
    """Points per registry person, collected from every piece of evidence."""

    def __init__(self, reg: RegistryIndex) -> None:
        self.reg = reg
        self.found: dict[int, PersonFinding] = {}
        self.id_line: dict[int, int] = {}  # person -> line of the reading that names them

    @functools.cached_property
    def unit_heads(self) -> frozenset[str]:
        """How the registered units' names open (โรงเรียน, สำนักงาน ...), as match keys."""
        return frozenset(unit[:UNIT_HEAD] for unit in self.reg.unit_names
                         if len(unit) > UNIT_HEAD + UNIT_NAMED)

    def get(self, i: int) -> PersonFinding:
        if i not in self.found:
            k = self.reg.persons[i]
            self.found[i] = PersonFinding(i, k.pk, k.citizen_id, k.full_name)
        return self.found[i]

    def id_evidence(self, i: int, points: float, reason: dict[str, Any],
                    line: int | None = None) -> None:
        f = self.get(i)
        if points > f.id_points:
            f.id_points = points
            if line is not None:
                self.id_line[i] = line
            f.reasons = [r for r in f.reasons if not r["kind"].startswith("citizen_id")]
            f.reasons.append(reason)

    def name_evidence(self, i: int, points: float, reason: dict[str, Any]) -> None:
        f = self.get(i)
        if points > f.name_points:
            f.name_points = points
            f.reasons = [r for r in f.reasons if not r["kind"].startswith("name")]
            f.reasons.append(reason)

    def unit_evidence(self, i: int, reason: dict[str, Any]) -> None:
        f = self.get(i)
        if not f.unit_points:
            f.unit_points = UNIT_ROW
            f.reasons.append(reason)


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _ids(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    reg = board.reg
    for reading in extracted.ids:
        if _relative(reading, ctx):
            continue
        exact = reading.exact
        if exact and exact in reg.by_id:
            board.id_evidence(reg.by_id[exact], ID_EXACT,
                              {"kind": "citizen_id_exact", "read": reading.raw}, reading.line)
            continue
        rescued = [c for c in idmatch.check_digit_rescues(reading.symbols) if c in reg.by_id]
        if len(rescued) == 1:
            board.id_evidence(reg.by_id[rescued[0]], ID_RESCUED,
                              {"kind": "citizen_id_check_digit", "read": reading.raw},
                              reading.line)
            continue
        matches = reg.ids_like(reading.symbols, arabic=reading.arabic)
        if not matches:
            continue
        i, p, llr = max(matches, key=lambda m: m[1])
        if p >= 0.5:
            board.id_evidence(i, min(ID_MAX, 1.5 + _logit(p)),
                              {"kind": "citizen_id_ocr", "read": reading.raw,
                               "posterior": round(p, 4)}, reading.line)


def _own_reading(extracted: Extracted, mention: NameMention) -> IdReading | None:
    """The ID printed with a name: the next reading after it on its line, before the next
    name; or, for a table row that wrapped, the reading opening the next line."""
    later_names = [m.start for m in extracted.names
                   if m.line == mention.line and m.start > mention.start]
    return _reading_from(extracted, mention.line, mention.start + 1,
                         min(later_names, default=10**9))


def _reading_from(extracted: Extracted, line: int, start: int, stop: int = 10**9
                  ) -> IdReading | None:
    """The first ID reading on `line` from offset `start` (before `stop`); else one opening
    the line after (a table row that wrapped)."""
    for reading in extracted.ids:
        if reading.line == line and start <= reading.start < stop:
            return reading
    for reading in extracted.ids:
        if reading.line == line + 1 and reading.at_line_start:
            return reading
    return None


@dataclass(frozen=True)
class _Context:
    """What the whole page says, for evidence that looks past one name."""

    lines: list[str]
    keys: list[str]  # match_key of each line
    text_key: str
    folder_index: int | None
    lists_are_subjects: bool  # a numbered list of names here lists the document's subjects
    household: bool = False  # a house register: its house head is one of its residents
    # Readings (line, start) in a list's column of numbers that are not citizen IDs
    # (_not_id_column): they never count against the name on their row.
    not_ids: frozenset[tuple[int, int]] = frozenset()
    # The rows of a table whose rows name their person further on (extract.late_name_rows),
    # when no row opens with a name.
    late_rows: tuple[tuple[int, int], ...] = ()
    # An appointment or a status order (STAFF_LISTS), the category sure: its rows name the posts
    # their persons held before it (a government employee appointed a civil servant).
    staff_list: bool = False
    # A list that groups its rows under its units' names (_unit_headings): each line of a
    # row under such a heading, and the heading's letters.
    headed: dict[int, str] = field(default_factory=dict)
    # Every list row on the page (first and last line), of subjects or not.
    rows: tuple[tuple[int, int], ...] = ()

    def late_row(self, line: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in self.late_rows if a <= line <= b), None)


def _relative(item: IdReading | NameMention, ctx: _Context) -> bool:
    """A relative's or witness's ID or name; on a house register the house head is not."""
    return item.relative and not (ctx.household and item.household)


ROW_CONTINUATION = 2  # lines a wrapped (or OCR-broken) table row may run on for


def _row_key(line: int, ctx: _Context) -> str:
    """A row's letters, with its wrapped continuation: the next lines up to the next row,
    a signature or ROW_CONTINUATION lines, past OCR's garbage between them (lines with no
    Thai letter: a stray colon, a speck, as _span_key)."""
    parts = [ctx.keys[line]]
    taken, nxt = 0, line + 1
    while taken < ROW_CONTINUATION and nxt < min(len(ctx.keys), line + 1 + 2 * ROW_CONTINUATION):
        raw = ctx.lines[nxt]
        if is_list_row(raw) or is_signature_line(raw) or (line in ctx.headed) != (
                nxt in ctx.headed) or \
                any(nxt == first for first, _last in ctx.late_rows):
            break
        if _THAI.search(ctx.keys[nxt]):
            parts.append(ctx.keys[nxt])
            taken += 1
        nxt += 1
    return "".join(parts)


def _namesakes(board: _Board, indices: list[int], ctx: _Context, line: int) -> list[int]:
    """Which of several registry persons of the same name a mention means, from what is next
    to it: the one an ID on the page picks; else the one whose registered date of birth is
    on the name's row; else the one whose registered unit is on the
    name's row, when no other namesake has that unit; else all of them, for now (they share
    the name's points until _settle_namesakes has seen the whole page)."""
    if len(indices) < 2:
        return indices
    by_id = [i for i in indices if i in board.found and board.found[i].id_points >= ID_SURE]
    units = board.reg.unit_keys
    row = _row_key(line, ctx) + (f"|{ctx.headed[line]}" if line in ctx.headed else "")
    on_row = [i for i in indices if len(units[i]) >= 4 and units[i] in row]
    born = [i for i in indices if (day := board.reg.persons[i].birth) is not None
            and _birth_pattern(day).search(row)]
    picked = by_id if len(by_id) == 1 else born if len(born) == 1 else on_row if \
        len(on_row) == 1 and sum(units[i] == units[on_row[0]] for i in indices) == 1 \
        else indices
    if len(picked) == 1:
        for i in indices:
            if i != picked[0]:
                board.get(i).namesake_out = True  # this name on this page is not theirs
    return picked


def _settle_namesakes(board: _Board, ctx: _Context) -> None:
    """Namesakes still sharing a name once every piece of evidence is in: the name is given
    whole to the one the page points to (an ID reading; else the only namesake whose unit
    the page names), or to the folder's person when nothing on the page points to another
    of them; the others lose it. A page that points to another namesake than the folder's
    (their unit, a reading of their ID) settles nothing: it waits for a person."""
    reg = board.reg
    groups: dict[str, list[int]] = {}
    for f in board.found.values():
        if any(r.get("shared_by") for r in f.reasons if r["kind"].startswith("name")):
            k = reg.persons[f.index]
            groups.setdefault(name_key(k.first_name, k.last_name), []).append(f.index)
    units = reg.unit_keys
    # The page's letters outside its list rows: a unit printed on a row is that row's person's.
    off_rows = "".join(k for n, k in enumerate(ctx.keys)
                       if not any(first <= n <= last for first, last in ctx.rows)) \
        if groups else ""
    for key, found in groups.items():
        everyone = reg.by_name.get(key, found)
        ided = [i for i in everyone if i in board.found and board.found[i].id_points >= ID_SURE]
        on_page = [i for i in everyone if len(units[i]) >= 4 and units[i] in off_rows
                   and sum(units[j] == units[i] for j in everyone) == 1]
        pointed = {i for i in everyone if i in board.found and board.found[i].id_points > 0}
        # A namesake already told apart where the page names them (their unit on the row).
        on_row = [i for i in everyone if i in board.found and board.found[i].unit_points > 0
                  and not board.found[i].namesake_out]
        winner = None
        if len(ided) == 1:
            winner, why = ided[0], "citizen_id"
        elif len(on_row) == 1:
            winner, why = on_row[0], "unit_on_row"
        elif len(on_page) == 1:
            winner, why = on_page[0], "unit_on_page"
        elif ctx.folder_index in everyone and not (set(on_page) | pointed) - {ctx.folder_index}:
            winner, why = ctx.folder_index, "folder_hint"
        if winner is None:
            continue
        for i in found:
            f = board.found[i]
            named = [r for r in f.reasons if r["kind"].startswith("name")]
            f.reasons = [r for r in f.reasons if not r["kind"].startswith("name")]
            if i == winner:
                kind = named[0]["kind"] if named else "name_exact"
                f.name_points = NAME_JOINED if kind == "name_joined" else NAME_EXACT
                f.reasons.append({**(named[0] if named else {}), "kind": kind,
                                  "namesakes": len(everyone), "told_apart_by": why})
                f.reasons[-1].pop("shared_by", None)
            else:
                f.name_points = 0.0
                f.unit_points = 0.0
                f.namesake_out = True


def _title_keys(*titles: str) -> tuple[str, ...]:
    """Titles as match keys, longest first (นางสาว before นาง)."""
    return tuple(sorted({match_key(t) for t in titles}, key=len, reverse=True))


# The titles a registered name carries, as match keys: what a damaged name's row opens with.
_TITLE_KEYS = _title_keys("นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง")
# Where the next person's name opens: a row or a sentence that names two people names each
# one's unit after their name. A doctor's title only where the row prints it with its dot:
# its letters are also ครู's as OCR often reads it (ดรู).
_NEXT_TITLE = re.compile("|".join(_TITLE_KEYS))
_NEXT_TITLE_OR_DOCTOR = re.compile("|".join(_title_keys(*_TITLE_KEYS, "ดร.")))
_DOCTOR = re.compile(r"ดร\s*\.")


# In a sentence, where the unit a person left a post for follows their name: "นางสาว…
# ผู้ดำรงตำแหน่งได้รับการย้ายไปดำรงตำแหน่งผู้อำนวยการโรงเรียน…" (a vacancy's cause). What
# follows is no unit of theirs the paper is evidence of (match keys).
_MOVED_ON = re.compile("|".join(match_key(w) for w in ("ได้รับการย้าย", "ย้ายไป")))


def _next_title(ctx: _Context, first: int, last: int) -> re.Pattern[str]:
    """What opens the next name on lines first..last (_NEXT_TITLE, or with a doctor's
    title where those lines print one)."""
    return _NEXT_TITLE_OR_DOCTOR if any(_DOCTOR.search(ln) for ln in ctx.lines[first:last + 1]) \
        else _NEXT_TITLE


UNIT_HEADING_GAP = 2  # lines of OCR's garbage a unit's heading may stand above its first row
HEADED_ROW_TITLE = 12  # letters a row's title may follow (a number, a position number)


def _unit_headings(board: _Board, lines: list[str], keys: list[str],
                   rows: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], dict[int, str]]:
    """A list that groups its rows under the name of their unit ("โรงเรียนบ้านดอนแดง
    อำเภอหนองจิก" on a line of its own, its rows under it): the rows, none running on into the
    next heading, and for each line under a heading, up to the next heading or the list's
    end, the heading's letters (match keys: _unit_named finds a unit there however OCR
    damaged it). A heading opens (past OCR's stray เ) as a registered kind of unit does and
    goes on for a name (UNIT_NAMED), and the next line with Thai letters, past OCR's garbage,
    opens with a number or a title (a row, its number or title damaged); a list has two
    headings or more, one of them over its first row."""
    if not rows:
        return rows, {}
    heads = tuple(board.unit_heads)
    starts = {first for first, _last in rows}
    headings = []
    for n, key in enumerate(keys):
        key = key[1:] if key.startswith("เ") else key
        if n in starts or not key.startswith(heads) or len(key) < UNIT_HEAD + UNIT_NAMED:
            continue
        nxt = next((m for m in range(n + 1, min(n + 2 + UNIT_HEADING_GAP, len(keys)))
                    if _THAI.search(keys[m])), None)
        if nxt is not None and (nxt in starts or row_number(lines[nxt]) is not None or
                                _NEXT_TITLE.search(keys[nxt][:HEADED_ROW_TITLE])):
            headings.append(n)
    first_row = min(starts)
    if len(headings) < 2 or not any(first_row - 2 - UNIT_HEADING_GAP <= h < first_row
                                    for h in headings):
        return rows, {}  # a wrapped row's unit on its next line heads nothing
    out = [(first, min([last, *(h - 1 for h in headings if first < h <= last)]))
           for first, last in rows]
    end = max(last for _first, last in out)
    headed = {}
    for k, h in enumerate(headings):
        stop = headings[k + 1] - 1 if k + 1 < len(headings) else max(end, h + ROW_SPAN)
        headed.update({n: keys[h] for n in range(h + 1, stop + 1)})
    return out, headed


def _after_name(ctx: _Context, line: int, rest: str) -> str:
    """The letters that follow a name on its row (rest: its own line's, as match keys) and
    the row's continuation (_row_key), up to where the next titled name opens; under a
    unit's heading (ctx.headed), the heading's letters after them."""
    nxt = _row_key(line, ctx)[len(ctx.keys[line]):]
    text = rest + nxt
    cut = _next_title(ctx, line, line + 2 * ROW_CONTINUATION).search(text)
    text = text[:cut.start()] if cut else text
    if not is_list_row(ctx.lines[line]) and ctx.late_row(line) is None:
        moved = _MOVED_ON.search(text)
        text = text[:moved.start()] if moved else text
    return f"{text}|{ctx.headed[line]}" if line in ctx.headed else text


def _before_name(ctx: _Context, line: int, before: str) -> str:
    """On a row of a table whose rows name their person further on (ctx.late_rows), the
    letters before the name from the row's start (before: its own line's, as match keys),
    when no other titled name stands there: the row's school or office, its first cell."""
    row = ctx.late_row(line)
    if row is None:
        return ""
    text = "".join(ctx.keys[row[0]:line]) + before
    return "" if _next_title(ctx, row[0], line).search(text) else text


BIRTH_ROW = 3.0  # the registered date of birth printed on the name's row


@functools.lru_cache(maxsize=4096)
def _birth_pattern(born: date) -> re.Pattern[str]:
    """A date of birth as Thai papers print it, over match keys: day, month (in full or
    abbreviated), an optional พ.ศ., the Buddhist-Era year; digits Thai or Arabic."""
    months = {match_key(THAI_MONTHS[born.month - 1]), match_key(THAI_MONTHS_ABBR[born.month - 1])}
    year = born.year + 543
    # Match keys run numbers together: the day may follow the year of a date before it.
    return re.compile(rf"(?:(?<![0-9])|(?<=2[45][0-9]{{2}})){born.day}"
                      rf"(?:{'|'.join(sorted(months))})(?:พศ)?{year}")


def _birth_on_row(board: _Board, indices: list[int], text: str) -> None:
    """A person named with their registered date of birth on the row (text: the row's letters
    after and before the name, as _unit_on_row takes them): a form, a register, a list of
    corrections. A whole date that agrees is no accident of a shared name."""
    if len(indices) != 1:
        return
    i = indices[0]
    born = board.reg.persons[i].birth
    f = board.get(i)
    if born is None or f.birth_points or not _birth_pattern(born).search(text):
        return
    f.birth_points = BIRTH_ROW
    f.reasons.append({"kind": "birth_date_on_row", "born": born.isoformat()})


def _beside_name(board: _Board, indices: list[int], line: int, after: str, before: str,
                 ctx: _Context) -> None:
    """What stands beside a name on its row (after: _after_name; before: _before_name) that
    only its person has: their registered unit, their registered date of birth."""
    text = f"{after}|{before}"
    _unit_on_row(board, indices, line, text, ctx)
    _birth_on_row(board, indices, text)


def _unit_on_row(board: _Board, indices: list[int], line: int, text: str, ctx: _Context
                 ) -> None:
    """A person named with their registered unit after the name, on its line or the line's
    continuation and before the next name (text: those letters, _after_name, and on a
    late-named table's row its first cell, _before_name): a list's row ("๓ นางสาว...
    โรงเรียน..."), or a sentence ("นางสาว... ครู โรงเรียน..."). A name that
    namesakes share counts the unit only on a row of a list of subjects: elsewhere the unit
    has told them apart (_namesakes) and a former unit may be a namesake's present one."""
    if len(indices) != 1:
        return
    reg, i = board.reg, indices[0]
    k = reg.persons[i]
    if len(reg.by_name.get(name_key(k.first_name, k.last_name), ())) > 1 and not (
            ctx.lists_are_subjects and (is_list_row(ctx.lines[line]) or ctx.late_row(line))):
        return
    _unit_found(board, i, _unit_named(reg, i, text))


def _unit_found(board: _Board, i: int, similarity: float | None) -> None:
    """Record person i's registered unit as found on their row (_unit_named's similarity:
    100.0 whole, less where OCR damaged it; None: not found)."""
    if similarity is None:
        return
    reason = {"kind": "unit_on_row", "unit": board.reg.persons[i].unit}
    board.unit_evidence(i, reason if similarity == 100.0 else
                        {**reason, "similarity": round(similarity, 1)})


def _unit_named(reg: RegistryIndex, i: int, text: str) -> float | None:
    """Whether person i's registered unit is named in `text` (match keys): 100.0 whole; its
    similarity where OCR damaged it (a letter misread, one lost) but it is UNIT_FUZZY close
    and no other registered unit comes within UNIT_MARGIN of it; None otherwise."""
    unit = reg.unit_keys[i]
    if len(unit) >= 4 and unit in text:
        return 100.0
    if len(unit) < UNIT_FUZZY_MIN:
        return None
    best = process.extract(text, reg.unit_names, scorer=fuzz.partial_ratio, limit=2)
    if best and best[0][0] == unit and best[0][1] >= UNIT_FUZZY and \
            (len(best) < 2 or best[1][1] <= best[0][1] - UNIT_MARGIN):
        return float(best[0][1])
    return None


# What a form's signature block calls the person who signs it as its own applicant (match
# keys): the one who files the request, applies, gives the power of attorney, receives the
# copy asked for. A teacher's own request names them only there ("ลงชื่อ … ผู้ยื่นคำขอ" over
# "(นางปิยะนุช นิลยศ)"): they are its subject, not a signer who vouches for it.
APPLICANT_ROLES = tuple(match_key(w) for w in (
    "ผู้ยื่นคำขอ", "ผู้ยื่นคำร้อง", "ผู้ขอ", "ผู้ร้อง", "ผู้สมัคร", "ผู้มอบอำนาจ", "ผู้รับสำเนา"))


SIGNATURE_SPAN = 4  # lines a signature block's "ลงชื่อ …" may stand above its bracketed name


def _applicant_line(ctx: _Context, n: int) -> bool:
    """Whether signature line n names the form's applicant (APPLICANT_ROLES): the role on the
    "ลงชื่อ …" line above it (up to SIGNATURE_SPAN lines, past OCR's garbage) or on a line
    between the two, or on the line under it, and one name alone on the line."""
    if not is_signature_line(ctx.lines[n]) or ctx.lines[n].count("(") > 1:
        return False
    near: list[int] = []
    for m in range(n - 1, max(-1, n - 1 - SIGNATURE_SPAN), -1):
        near.append(m)
        if is_signature_line(ctx.lines[m]):
            break  # the "ลงชื่อ …" line: the role is on it or below it
    else:
        near = []
    below = _next_thai_line(ctx, n)
    if below < len(ctx.lines) and not is_signature_line(ctx.lines[below]):
        near.append(below)
    return any(_names_role(ctx.keys[m], role) for m in near for role in APPLICANT_ROLES)


ROLE_EDITS = 1  # OCR-shaped edits a role of ROLE_LETTERS or more may carry ("ฝูยื่นคำขอ")
ROLE_LETTERS = 5


def _names_role(key: str, role: str) -> bool:
    """Whether a line's letters (key) hold a role's (match keys); a role of ROLE_LETTERS or
    more also with a letter misread or lost (ROLE_EDITS)."""
    return role in key or len(role) >= ROLE_LETTERS and _holds_name(key, role, ROLE_EDITS)


# A copy's certification, on a line of its own under its certifier's bracketed name (match
# keys): a person certifies the copies of their own papers they hand in.
_CERTIFIED = match_key("สำเนาถูกต้อง")
CERTIFICATION_LINE = 3  # letters besides the certification its line may hold (OCR's marks)


def _certified_copy(board: _Board, ctx: _Context) -> None:
    """The folder's person certifying the copy: their registered name (first name and surname
    run together, within NAME_EDITS OCR-shaped edits) in the bracketed signature just above
    a line that certifies the copy (สำเนาถูกต้อง), however OCR broke it over lines. It says
    the paper is a copy they handed in of their own (NAME_RUN)."""
    i = ctx.folder_index
    f = board.found.get(i) if i is not None else None
    if i is None or f is not None and (f.name_points >= NAME_RUN or f.namesake_out
                                       or f.conflict):
        return
    person = board.reg.persons[i]
    name = match_key(person.first_name + person.last_name)
    for k, key in enumerate(ctx.keys):
        if _CERTIFIED not in key or len(key) - len(_CERTIFIED) > CERTIFICATION_LINE:
            continue
        opens = next((n for n in range(k - 1, max(-1, k - 1 - SIGNATURE_SPAN), -1)
                      if opens_bracket(ctx.lines[n])), None)
        if opens is None:
            continue
        signed = "".join(ctx.keys[n] for n in range(opens, k) if _THAI.search(ctx.keys[n]))
        if _holds_name(signed, name, NAME_EDITS):
            board.name_evidence(i, NAME_RUN, {"kind": "name_certified_copy",
                                              "read": " ".join(ctx.lines[opens:k])[:60]})
            board.found[i].lines.update(range(opens, k))
            return


def _holds_name(key: str, name: str, edits: float) -> bool:
    """Whether the letters `key` hold `name` (match keys) within `edits` OCR-shaped edits
    (ocr_distance): a letter lost, added or misread as its lookalike."""
    slack = math.ceil(edits)
    for start in range(max(1, len(key) - len(name) + slack + 1)):
        for size in range(len(name) - slack, len(name) + slack + 1):
            window = key[start:start + size]
            if len(window) >= len(name) - slack and \
                    Levenshtein.distance(name, window, score_cutoff=2 * slack) <= 2 * slack \
                    and ocr_distance(name, window) <= edits:
                return True
    return False


def _ocr_near(reg: RegistryIndex, i: int, m: NameMention) -> bool:
    """Whether the name read is within NAME_EDITS of person i's registered name as OCR
    damages names (ocr_distance over first name and surname run together)."""
    return ocr_distance(match_key(m.first + m.last), _run_of(reg.persons[i])) <= NAME_EDITS


# A whole registered name no one else in the registry bears, where the registry's names are
# distinct (_distinct): NAME_EXACT and this make LINKED.
DISTINCT_NAME = 3.0
# A name read with a title that rules its registered bearer out (_title_contradicts).
TITLE_CONTRADICTS = 2.0
_MALE = frozenset(match_key(t) for t in ("นาย", "ว่าที่ร้อยตรี", "ว่าที่ ร.ต."))
_FEMALE = frozenset(match_key(t) for t in ("นาง", "นางสาว", "น.ส.", "ว่าที่ร้อยตรีหญิง",
                                           "ว่าที่ ร.ต.หญิง"))
_RESERVE = frozenset(match_key(t) for t in ("ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "ว่าที่ร้อยตรีหญิง",
                                            "ว่าที่ ร.ต.หญิง"))


def _title_contradicts(read: str, prefix: str) -> bool:
    """Whether the title a name was read with rules out the registered person: the other sex,
    a married woman's นาง for a registered นางสาว, or a reserve officer's rank the registry
    does not give them. (An older paper may well print นางสาว for a registered นาง, or นาย for
    a registered ว่าที่ร้อยตรี: titles are gained, not lost.)"""
    r, p = match_key(read), match_key(prefix)
    if r in _MALE and p in _FEMALE or r in _FEMALE and p in _MALE:
        return True
    return (r == match_key("นาง") and p == match_key("นางสาว")) or (r in _RESERVE and
                                                                   p not in _RESERVE)


def _distinct(reg: RegistryIndex, i: int, after: str) -> bool:
    """Whether a whole registered name, no one else's in the registry, proves more than
    NAME_EXACT (DISTINCT_NAME): where the registry's names are distinct (namesake_share below
    STRANGERS_DISTINCT) a stranger bearing it by chance is too rare to doubt, unless the
    letters after it (after: _after_name) name another registered unit than theirs."""
    own = reg.unit_keys[i]
    return reg.namesake_share < STRANGERS_DISTINCT and not any(
        unit != own and len(unit) > UNIT_HEAD + UNIT_NAMED and unit in after
        for unit in reg.unit_names)


def _names(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    reg = board.reg
    for mention in extracted.names:
        if (mention.signature and not _applicant_line(ctx, mention.line)) or \
                _relative(mention, ctx):
            continue
        matches = reg.names_like(mention.first, mention.last)
        if matches and matches[0][1] < 100.0:
            # Near, but further than OCR's damage goes (_ocr_near): another person's name.
            matches = [(i, s) for i, s in matches if _ocr_near(reg, i, mention)]
        reason: dict[str, Any] = {"read": mention.text}
        raw = ctx.lines[mention.line]
        # What follows the name on its row (for an exact or a fuzzy match only).
        after = _after_name(ctx, mention.line, match_key(raw[mention.start:])[
            len(match_key(mention.text)):]) if matches else ""
        if len(matches) > 1 and matches[0][1] == 100.0:
            # Namesakes in the registry: an ID, or the folder with the unit, tells which.
            picked = _namesakes(board, [i for i, _sc in matches], ctx, mention.line)
            matches = [(i, 100.0) for i in picked]
        if matches and matches[0][1] == 100.0:
            shared = len(matches)
            points = NAME_EXACT - 2.0 * math.log(shared)
            if shared == 1 and _title_contradicts(mention.title,
                                                  reg.persons[matches[0][0]].prefix):
                points -= TITLE_CONTRADICTS
                reason["title_contradicts"] = mention.title
            elif shared == 1 and _distinct(reg, matches[0][0], after):
                points += DISTINCT_NAME
                reason["distinct"] = True
            reason["kind"] = "name_exact"
            if shared > 1:
                reason["shared_by"] = shared
        elif matches:
            best = max(score for _i, score in matches)
            runner_up = max((score for _i, score in matches if score < best), default=0.0)
            matches = [(i, s) for i, s in matches if s == best]
            if len(matches) > 1 and len({name_key(reg.persons[i].first_name,
                                                  reg.persons[i].last_name)
                                         for i, _s in matches}) == 1:
                # Namesakes, the name a little damaged: told apart as for an exact name.
                picked = _namesakes(board, [i for i, _s in matches], ctx, mention.line)
                matches = [(i, best) for i in picked]
                if len(matches) > 1:
                    reason["shared_by"] = len(matches)
            points = min(5.0, 2.0 + 3.0 * (best - 85.0) / 10.0) - 2.0 * math.log(len(matches))
            reason.update(kind="name_fuzzy", similarity=round(best, 1),
                          runner_up=round(runner_up, 1))
        else:
            matches, kind = _partial(reg, mention.first, mention.last)
            points = (NAME_RUN_ON if kind == "name_run_on" else NAME_PARTIAL) \
                - 2.0 * math.log(max(len(matches), 1))
            reason["kind"] = kind
        own = _own_reading(extracted, mention)
        for i, _score in matches:
            board.name_evidence(i, points, dict(reason))
            board.found[i].lines.add(mention.line)
            if own is not None:
                board.found[i].with_reading = True
                _check_conflict(board, i, own, ctx)
        if reason["kind"] in ("name_exact", "name_fuzzy"):
            before = _before_name(ctx, mention.line, match_key(raw[:mention.start]))
            _beside_name(board, [i for i, _s in matches], mention.line, after, before, ctx)


def _runs(ctx: _Context, pattern: re.Pattern[str]) -> list[tuple[int, re.Match[str], bool]]:
    """Where a run of name letters (pattern, over match keys) stands on the page once OCR's
    spaces and line breaks are gone: (line, match, whether it runs on into the next line with
    letters). A stray line of Latin garbage between the two halves is skipped; signature
    lines, and runs next to a relative's or witness's label, do not count."""
    found = []
    for n, line in enumerate(ctx.lines):
        key = ctx.keys[n]
        if not key or (is_signature_line(line) and not _applicant_line(ctx, n)):
            continue
        nxt = _next_thai_line(ctx, n)
        following = ctx.lines[nxt] if nxt < len(ctx.lines) else ""
        if is_signature_line(following):
            following = ""
        joined = key + match_key(following)
        raw = f"{line}\n{following}"
        offsets: list[int] = []
        for match in pattern.finditer(joined):
            if match.start() >= len(key):
                continue  # wholly on the next line: found on its own turn
            if not offsets:
                offsets = key_offsets(line) + [len(line) + 1 + i for i in key_offsets(following)]
            # The letters around the run as printed (20 before, 15 after), for the label.
            start, end = match.start(), match.end()
            before = raw[offsets[max(0, start - 20)]:offsets[start]]
            after = raw[offsets[end - 1] + 1:offsets[min(len(offsets), end + 15) - 1] + 1] \
                if end < len(offsets) else ""
            if has_relative_label(f"{before} {after}", household_ok=ctx.household):
                continue
            found.append((n, match, match.end() > len(key)))
    return found


_THAI = re.compile("[\u0e01-\u0e2e]")


def _next_thai_line(ctx: _Context, n: int) -> int:
    """The line after n, past OCR's garbage from a stamp or a rule (no Thai letter)."""
    nxt = n + 1
    while nxt < len(ctx.lines) and ctx.keys[nxt] and not _THAI.search(ctx.keys[nxt]):
        nxt += 1
    return nxt


def _joined_names(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    """Registered titled names found in the page's letters once spaces and line breaks are
    gone: what OCR split ("นางสาวศิริพ ร สายทอ ง", a surname on the next line) is whole
    again (see _runs)."""
    reg = board.reg
    if reg.titled is None:
        return
    for n, match, wraps in _runs(ctx, reg.titled):
        nxt = _next_thai_line(ctx, n)
        breaks = _breaks([ctx.lines[n], ctx.lines[nxt] if nxt < len(ctx.lines) else ""])
        if match.end() < len(breaks) and not breaks[match.end()]:
            continue  # the word read runs on past the surname: another one ("สุขดีงาม")
        indices = _namesakes(board, list(reg.by_titled[match.group()]), ctx, n)
        if wraps:  # the name ends on the next line: what follows it there
            end_line, end_key = nxt, match.end() - len(ctx.keys[n])
        else:
            end_line, end_key = n, match.end()
        after = _after_name(ctx, end_line, ctx.keys[end_line][end_key:])
        distinct = len(indices) == 1 and _distinct(reg, indices[0], after)
        points = NAME_JOINED - 2.0 * math.log(len(indices)) + (DISTINCT_NAME if distinct
                                                               else 0.0)
        reason: dict[str, Any] = {"kind": "name_joined", "read": ctx.lines[n].strip()[:60]}
        if distinct:
            reason["distinct"] = True
        if len(indices) > 1:
            reason["shared_by"] = len(indices)
        # The ID printed with the name: the next reading after where it ends.
        offsets = key_offsets(ctx.lines[end_line])
        own = _reading_from(extracted, end_line, offsets[end_key - 1] + 1
                            if 0 < end_key <= len(offsets) else 0)
        if own is not None and _relative(own, ctx):
            own = None  # a spouse's or a child's ID on the row: theirs, not the name's
        for i in indices:
            board.name_evidence(i, points, dict(reason))
            board.found[i].lines.update((n, n + 1) if wraps else (n,))
            if own is not None:
                board.found[i].with_reading = True
                _check_conflict(board, i, own, ctx)
        before = _before_name(ctx, n, ctx.keys[n][:match.start()])
        _beside_name(board, indices, n, after, before, ctx)


def _id_support(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    """A damaged ID reading that the registry as a whole cannot place, but that fits the ID
    of a person the page names: names narrow the candidates, the reading confirms one."""
    reg = board.reg
    # A reading that already names someone surely (their row's ID, damaged) is theirs: that
    # it also fits another named person's ID is OCR's chance.
    claimed = {(board.id_line[i], r["read"]) for i, f in board.found.items()
               if f.id_points >= ID_SURE and i in board.id_line
               for r in f.reasons if r["kind"].startswith("citizen_id")}
    readings = [r for r in extracted.ids
                if not _relative(r, ctx) and not (r.exact and r.exact in reg.by_id)
                and (r.line, r.raw) not in claimed]
    if not readings:
        return
    for f in list(board.found.values()):
        if f.name_points < NAME_PARTIAL or f.id_points >= ID_SURE or f.conflict:
            continue
        ids = idmatch.id_matrix([f.citizen_id])
        best, read = -1e9, ""
        for reading in readings:
            score, background = idmatch.score_registry(reading.symbols, ids,
                                                       arabic=reading.arabic)
            if float(score[0]) - background > best:
                best, read = float(score[0]) - background, reading.raw
        if best >= ID_SUPPORT_LLR:
            board.id_evidence(f.index, min(ID_MAX, best / 2.0),
                              {"kind": "citizen_id_with_name", "read": read,
                               "likelihood_ratio": round(best, 1)})


def _partial(reg: RegistryIndex, first: str, last: str) -> tuple[list[tuple[int, float]], str]:
    """Same first name, and the surname cut short (a table cell wrapped onto the next line)
    or run on into the next word (OCR lost the space after it)."""
    last_key = match_key(last)
    if len(last_key) < 3:
        return [], "name_partial"
    same_first = reg.by_first.get(match_key(first), [])
    run_on = [(i, 90.0) for i in same_first
              if len(match_key(reg.persons[i].last_name)) >= 3
              and last_key.startswith(match_key(reg.persons[i].last_name))]
    if run_on:
        return run_on, "name_run_on"
    return [(i, 80.0) for i in same_first
            if match_key(reg.persons[i].last_name).startswith(last_key)], "name_partial"


# How many symbols OCR makes of a number of a given length (the share read whole, one symbol
# lost or gained, two), measured on the fixtures' ID readings (86 % whole).
_LENGTH_SLIP = {0: 0.86, 1: 0.065, 2: 0.005}
NOT_ID_COLUMN_LLR = 3.0  # natural log: the column's lengths fit another length this much better


def _length_fit(lengths: list[int], size: int) -> float:
    return sum(math.log(_LENGTH_SLIP.get(abs(n - size), 1e-4)) for n in lengths)


# A table's heading that names a number column as something else than a citizen ID (a
# licence's, a certificate's, a post's number), and one that names an ID column (match keys).
_OTHER_NUMBER_HEADS = tuple(match_key(w) for w in (
    "ใบอนุญาต", "วุฒิบัตร", "ประกาศนียบัตร", "เกียรติบัตร", "เลขที่ตำแหน่ง", "ตำแหน่งเลขที่",
    "เลขที่บัญชี", "เลขทะเบียน"))
_ID_HEADS = tuple(match_key(w) for w in ("ประจำตัวประชาชน", "บัตรประชาชน", "เลขบัตร",
                                         "เลขประจำตัว"))
HEADING_LINES = 2  # lines above a table's first row its heading may take


def _heading_numbers(lines: list[str], rows: list[tuple[int, int]]) -> tuple[bool, bool]:
    """What the heading above a list's first row names its number columns: (another
    number's than a citizen ID, a licence's "เลขที่ใบอนุญาต"; a citizen ID's)."""
    first = rows[0][0]
    heading = match_key(" ".join(lines[max(0, first - HEADING_LINES):first]))
    return any(w in heading for w in _OTHER_NUMBER_HEADS), any(w in heading for w in _ID_HEADS)


def _not_id_column(extracted: Extracted, rows: list[tuple[int, int]], lines: list[str]
                   ) -> frozenset[tuple[int, int]]:
    """The numbers on the rows of a list when, taken together, they are not citizen IDs: a
    table prints one kind of number in a column, so when its heading names that column as
    another number's (_heading_numbers), when most of its values cannot be IDs
    (their dashes), or when their lengths fit one other length (a 15-digit licence number,
    an 11-digit certificate number) far better than the 13 of an ID, the few values OCR left
    ID-shaped are no IDs either, and never count against the name on their row."""
    row_lines = {n for first, last in rows for n in range(first, last + 1)}
    on_rows = [r for r in extracted.ids if r.line in row_lines]
    if not on_rows:
        return frozenset()
    named_other, named_ids = _heading_numbers(lines, rows)
    if named_other:
        # Where the heading names an ID column too ("เลขประจำตัวประชาชน / เลขที่ใบอนุญาต": a
        # row prints the one or the other), a reading whole with its check digit holding is
        # an ID still.
        return frozenset((r.line, r.start) for r in on_rows if not (named_ids and r.exact))
    if len(on_rows) < 2:
        return frozenset()
    shaped = sum(idmatch.could_be_id(r.raw, r.symbols, arabic=r.arabic) for r in on_rows)
    lengths = [len(r.symbols) for r in on_rows]
    other = max(_length_fit(lengths, size) for size in range(8, 21) if size != 13)
    if 2 * shaped >= len(on_rows) and other - _length_fit(lengths, 13) < NOT_ID_COLUMN_LLR:
        return frozenset()
    return frozenset((r.line, r.start) for r in on_rows)


def _check_conflict(board: _Board, i: int, reading: IdReading, ctx: _Context) -> None:
    """The ID printed with the name cannot be this person's: a namesake, not them."""
    person = board.found[i]
    if _relative(reading, ctx) or person.conflict:
        return
    if (reading.line, reading.start) in ctx.not_ids or \
            not idmatch.could_be_id(reading.raw, reading.symbols, arabic=reading.arabic):
        return  # a certificate's or a licence's number in the row's next column: no ID
    # By likelihood, not by the check digit: one Thai-digit reading in ten that OCR got
    # wrong still passes the check digit.
    ids = idmatch.id_matrix([person.citizen_id])
    score, background = idmatch.score_registry(reading.symbols, ids, arabic=reading.arabic)
    if float(score[0]) - background < -6.0:
        person.conflict = ID_CONFLICT
        person.reasons.append({"kind": "citizen_id_conflict", "read": reading.raw})


# The registered first name and surname found on the row of the person's ID reading with this
# partial similarity (a targeted look: the ID already names whom to look for).
NAME_ON_ROW_FUZZY = 85.0


def _name_on_id_row(board: _Board, ctx: _Context, rows: list[tuple[int, int]]) -> None:
    """A person found by ID whose name OCR damaged past recognition: their first name or
    surname, or their whole name a little damaged, on the row of that ID (from the list row's
    first line, or the line above when there is no list) still says the reading was no
    accident."""
    for i, f in board.found.items():
        line = board.id_line.get(i)
        if line is None or f.name_points > 0 or f.id_points < ID_SURE or f.conflict:
            continue
        person = board.reg.persons[i]
        # A name cell may sit a line or two above the ID when a row wraps.
        lo = next((first for first, last in rows if first <= line <= last), max(0, line - 1))
        row = "".join(ctx.keys[lo:line]) + _row_key(line, ctx)
        whole = _run_of(person)
        for part in (match_key(person.first_name), match_key(person.last_name)):
            if len(part) >= 4 and part in row:
                board.name_evidence(i, NAME_ON_ROW, {"kind": "name_on_id_row", "part": part})
                break
        else:
            similarity = fuzz.partial_ratio(whole, row) if len(whole) >= ROW_NAME_MIN else 0.0
            if similarity >= NAME_ON_ROW_FUZZY:
                board.name_evidence(i, NAME_ON_ROW, {"kind": "name_on_id_row",
                                                     "similarity": round(similarity, 1)})


def _unaccounted_rows(board: _Board, subjects: list[PersonFinding],
                      rows: list[tuple[int, int]]) -> list[int]:
    """Numbered rows of a list of subjects on which no subject was recognised, by name or
    by ID."""
    named = set().union(*(f.lines for f in subjects)) | \
        {board.id_line[f.index] for f in subjects if f.index in board.id_line}
    return [first for first, last in rows if not any(n in named for n in range(first, last + 1))]


def _outsider_rows(board: _Board, extracted: Extracted, rows: list[tuple[int, int]]
                   ) -> set[int]:
    """Rows (by first line) that print a citizen ID read whole, its check digit holding, that
    is no registry person's (nor one a check-digit rescue makes of it): a person from outside
    the agency (a house register's other residents, a committee member from another office).
    IDs are unique, so no record misses the paper for them. (A registry ID OCR misread into
    another valid one is matched by idmatch and found: its row is accounted for anyway.)"""
    reg = board.reg
    lines = set()
    for reading in extracted.ids:
        exact = reading.exact
        if exact is None or exact in reg.by_id or any(
                c in reg.by_id for c in idmatch.check_digit_rescues(reading.symbols)):
            continue
        lines.add(reading.line)
    return {first for first, last in rows
            if any(n in lines for n in range(first, last + 1))}


# A row's name that OCR damaged past the name pattern (a space inside the surname, a title
# misread, a letter lost): the registered name (first name and surname, no title) found
# within the row's letters this similar (rapidfuzz partial ratio over match keys), every
# other registered name ROW_NAME_MARGIN further; a name shorter than ROW_NAME_MIN letters
# must be there whole.
ROW_NAME_CUTOFF, ROW_NAME_MARGIN, ROW_NAME_MIN = 90.0, 5.0, 8
# A row's name damaged further (two letters misread in a name's dozen consonants) counts at
# this similarity when the row also names the person's registered unit, nearer than any
# other registered unit: two damaged cells that agree on one person.
ROW_NAME_WITH_UNIT = 80.0
ROW_NAME_START = 16  # letters before the name on its row: number, title, OCR's stray marks
_runs_cache: dict[int, tuple[RegistryIndex, list[str], list[str]]] = {}
_surnames_cache: dict[int, tuple[RegistryIndex, list[str]]] = {}


def _run_of(person: Known) -> str:
    """A registered name as one run of letters, first name and surname (match keys)."""
    return match_key(person.first_name) + match_key(person.last_name)


def _registry_surnames(reg: RegistryIndex) -> list[str]:
    """Each registered person's surname (match keys), by person index."""
    cached = _surnames_cache.get(id(reg))
    if cached is None or cached[0] is not reg:
        if len(_surnames_cache) > 8:
            _surnames_cache.clear()
        cached = _surnames_cache[id(reg)] = (reg, [match_key(p.last_name)
                                                   for p in reg.persons])
    return cached[1]


def _registry_runs(reg: RegistryIndex) -> tuple[list[str], list[str]]:
    """Each registered name (reg.name_keys) as one run of letters, first name and surname;
    and each registered titled name (reg.by_titled)."""
    cached = _runs_cache.get(id(reg))
    if cached is None or cached[0] is not reg:
        if len(_runs_cache) > 8:
            _runs_cache.clear()
        cached = _runs_cache[id(reg)] = (reg, [k.replace(" ", "") for k in reg.name_keys],
                                         list(reg.by_titled))
    return cached[1], cached[2]


def _row_names(board: _Board, extracted: Extracted, rows: list[tuple[int, int]],
               ctx: _Context) -> None:
    """Rows of a list of subjects on which no registry person was recognised: the registered
    name the row's letters hold (see ROW_NAME_CUTOFF), scored like a damaged name."""
    reg = board.reg
    if not rows or not reg.name_keys:
        return
    found = [f for f in board.found.values() if f.content >= MENTIONED]
    runs, keys = _registry_runs(reg)[0], reg.name_keys
    ends = dict(rows)
    for first in _unaccounted_rows(board, found, rows):
        # The row's own lines, never a signature (the last row of a list runs on into the
        # closing and the signer).
        last = first
        while last < ends[first] and not is_signature_line(ctx.lines[last + 1]):
            last += 1
        row = "".join(ctx.keys[first:last + 1])
        if is_signature_line(ctx.lines[first]) or any(
                m.title in CHILD_TITLES for m in extracted.names if first <= m.line <= last):
            continue  # a pupil's row (a child's title): never staff
        best = process.extract(row, runs, scorer=fuzz.partial_ratio, limit=4,
                               score_cutoff=ROW_NAME_WITH_UNIT - ROW_NAME_MARGIN)
        text = "\n".join(ctx.lines[first:last + 1])
        if not best or has_relative_label(text, household_ok=ctx.household, within=best[0][0]):
            continue  # a relative's row
        top_score = best[0][1]
        top = [k for _run, score, k in best if score == top_score]
        runner_up = max((score for _run, score, _k in best if score < top_score), default=0.0)
        if len(top) != 1 or top_score < ROW_NAME_WITH_UNIT or \
                runner_up > top_score - ROW_NAME_MARGIN or \
                (top_score < 100.0 and len(runs[top[0]]) < ROW_NAME_MIN):
            continue
        indices = reg.by_name[keys[top[0]]]
        unit = _unit_named(reg, indices[0], row) \
            if top_score < ROW_NAME_CUTOFF and len(indices) == 1 else None
        if top_score < ROW_NAME_CUTOFF and (unit is None or not _parts_follow(
                reg.persons[indices[0]], row)):
            continue  # damaged further: only with their unit on the row, both names there
        # The row opens with the name (after its number and title): a name further on is
        # another column's (a supervisor, a signer's name run on).
        where = fuzz.partial_ratio_alignment(runs[top[0]], row)
        if where is None or where.dest_start > ROW_NAME_START:
            continue
        if top_score < 100.0 and ocr_distance(runs[top[0]], row[where.dest_start:_word_end(
                ctx, first, last, where.dest_end)]) > NAME_EDITS:
            # More than OCR's damage (lookalikes misread, a letter lost) between the registered
            # name and the word read, run on to its end: another person's name.
            continue
        points = min(NAME_EXACT, 2.0 + 3.0 * (top_score - 85.0) / 10.0) \
            - 2.0 * math.log(len(indices))
        # What the row reads, its lines joined: a title OCR left on the number's line or a
        # line of its own is still the name's (_listed_name compares it with the registered).
        read = " ".join(ln.strip() for ln in text.split("\n") if ln.strip())
        reason: dict[str, Any] = {"kind": "name_fuzzy", "read": read[:60],
                                  "similarity": round(top_score, 1),
                                  "runner_up": round(runner_up, 1), "on_row": True}
        if len(indices) > 1:
            reason["shared_by"] = len(indices)
        own = next((r for r in extracted.ids if first <= r.line <= last
                    and not _relative(r, ctx)), None)
        for i in indices:
            board.name_evidence(i, points, dict(reason))
            board.found[i].lines.add(first)
            if own is not None:
                _check_conflict(board, i, own, ctx)
        if top_score < ROW_NAME_CUTOFF:
            _unit_found(board, indices[0], unit)


WORD_RUNS_ON = 4  # letters a word read may run on past where a registered name's alignment ends


def _breaks(lines: Iterable[str]) -> list[bool]:
    """For each letter of the lines' match keys run together: whether a space or a line break
    stands before it (a word opens there)."""
    out: list[bool] = []
    for line in lines:
        offsets = key_offsets(line)
        out.extend(k == 0 or any(ch.isspace() for ch in line[offsets[k - 1] + 1:at])
                   for k, at in enumerate(offsets))
    return out


def _word_end(ctx: _Context, first: int, last: int, end: int) -> int:
    """Where (in the row's match keys, lines first to last joined) the word read at key
    position end - 1 ends: at the next space or line break, at most WORD_RUNS_ON letters on."""
    breaks = _breaks(ctx.lines[first:last + 1])
    stop = min(len(breaks), end + WORD_RUNS_ON)
    while end < stop and not breaks[end]:
        end += 1
    return end


def _parts_follow(person: Known, row: str) -> bool:
    """Whether a row's letters hold the person's first name and, right after it, their surname,
    each STRANGER_PART near: a name damaged in a few letters keeps both, a stranger who shares
    the first name (and the school) does not."""
    first, last = match_key(person.first_name), match_key(person.last_name)
    where = fuzz.partial_ratio_alignment(first, row)
    if where is None or where.score < STRANGER_PART:
        return False
    rest = row[where.dest_end:]
    return fuzz.ratio(last, rest[:len(last)]) >= STRANGER_PART


STRAY_NAME = 95.0  # a registered name this much within a row's wrapped line (partial ratio)


def _not_distinct_among_strangers(board: _Board, subjects: list[PersonFinding],
                                  rows: list[tuple[int, int]], ctx: _Context) -> None:
    """On a list that also names strangers (cadets of the universities, a club, the public),
    a whole registered name on a row is no rarer than the strangers' around it: the bonus a
    distinct registry gives it (_distinct) does not count there. Its person needs what their
    own row says (an ID, their unit), the folder, or a person's review."""
    for f in subjects:
        named = next((r for r in f.reasons if r["kind"].startswith("name")), None)
        if named is None or not named.get("distinct") or f.folder or \
                _row_of(board, f, rows, ctx) is None:
            continue
        f.name_points -= DISTINCT_NAME
        named["distinct"] = False
        named["among_strangers"] = True


def _stray_name(board: _Board, subjects: list[PersonFinding], rows: list[tuple[int, int]],
                ctx: _Context) -> bool:
    """A row's wrapped lines that hold a registered name no subject has, ROW_NAME_MIN letters
    or more of it: the name of a row OCR merged into the one above, number and title lost
    ("วรรณ นาคประเสริฐ" under "๔) นางสาวปวีณา สายทอง"). Someone's record would miss it."""
    runs = _registry_runs(board.reg)[0]
    mine = {_run_of(board.reg.persons[f.index]) for f in subjects}
    for first, last in rows:
        for n in range(first + 1, last + 1):
            key = ctx.keys[n]
            if len(key) < ROW_NAME_MIN or is_signature_line(ctx.lines[n]) or \
                    any(f.index in board.found and n in f.lines for f in subjects):
                continue
            best = process.extract(key, runs, scorer=fuzz.partial_ratio, limit=3,
                                   score_cutoff=STRAY_NAME)
            if best and not any(run in mine for run, _s, _k in best):
                return True
    return False


def _folder_name(board: _Board, ctx: _Context) -> None:
    """The folder's person named with a little OCR damage that the name pattern missed (a
    letter misread, a stray mark, the surname on the next line): a targeted look for their
    registered titled name in each line with the next (outside signatures and relatives'
    labels), at least ROW_NAME_CUTOFF similar and ROW_NAME_MARGIN ahead of any other
    registered titled name there; scored like a damaged name. Namesakes are left to
    _settle_namesakes."""
    i, reg = ctx.folder_index, board.reg
    if i is None:
        return
    f = board.found.get(i)
    if f is not None and (f.name_points >= NAME_RUN or f.namesake_out or f.conflict):
        return
    person = reg.persons[i]
    if len(reg.by_name.get(name_key(person.first_name, person.last_name), ())) > 1:
        return
    titled = match_key(person.prefix + person.first_name + person.last_name)
    if len(titled) < ROW_NAME_MIN:
        return
    best, where, text = 0.0, -1, ""
    for n, line in enumerate(ctx.lines):
        if not ctx.keys[n] or is_signature_line(line) and not _applicant_line(ctx, n):
            continue
        following = ctx.lines[n + 1] if n + 1 < len(ctx.lines) else ""
        following = "" if is_signature_line(following) else following
        joined = ctx.keys[n] + match_key(following)
        if len(joined) < len(titled) - NAME_EDITS:
            continue  # a piece of the name (its surname alone) is no reading of it
        similarity = fuzz.partial_ratio(titled, joined)
        if similarity > best:
            best, where, text = similarity, n, joined
    if best < ROW_NAME_CUTOFF or has_relative_label(
            "\n".join(ctx.lines[where:where + 2]), household_ok=ctx.household,
            within=_run_of(reg.persons[i])):
        return
    others = [score for key, score, _k in process.extract(
        text, _registry_runs(reg)[1], scorer=fuzz.partial_ratio, limit=4)
        if i not in reg.by_titled[key]]
    runner_up = max(others, default=0.0)
    if runner_up > best - ROW_NAME_MARGIN:
        return
    points = min(NAME_EXACT, 2.0 + 3.0 * (best - 85.0) / 10.0)
    board.name_evidence(i, points, {"kind": "name_fuzzy", "read": ctx.lines[where].strip()[:60],
                                    "similarity": round(best, 1),
                                    "runner_up": round(runner_up, 1), "targeted": True})
    board.found[i].lines.add(where)


def _name_parts(board: _Board, ctx: _Context, indices: set[int]) -> None:
    """The first name and the surname of a person the page does not name with a title (the
    folder's person, one found by ID): one run of letters outside signatures and relatives'
    labels (a title OCR damaged: "วาทีรอยตรี", "นา งสาว") counts NAME_RUN; both anywhere on
    the page, NAME_PARTS."""
    for i in indices:
        if i in board.found and (board.found[i].name_points > 0 or board.found[i].namesake_out):
            continue
        person = board.reg.persons[i]
        first, last = match_key(person.first_name), match_key(person.last_name)
        if len(first) < 3 or len(last) < 3 or first not in ctx.text_key \
                or last not in ctx.text_key:
            continue
        if len(board.reg.by_name.get(name_key(person.first_name, person.last_name), ())) == 1:
            runs = _runs(ctx, re.compile(re.escape(first + last)))
            if runs:
                board.name_evidence(i, NAME_RUN, {"kind": "name_run",
                                                  "read": ctx.lines[runs[0][0]].strip()[:60]})
                board.found[i].lines.update(n for n, _m, _w in runs)
                continue
        board.name_evidence(i, NAME_PARTS, {"kind": "name_parts"})


_BARE_NUMBER = re.compile(r"^\s*[0-9\u0e50-\u0e59]{1,3}\s*[.)]?\s*$")
_NUMBER_LEFT = re.compile(rf"^\s*(?:[{DIGITISH}]{{1,3}}\s*)?[.)]")
# A damaged name on a list's row that counts as whole: this similar to one registered name
# (one letter lost or misread in twenty), every other registered name this much further.
LIST_FUZZY, LIST_FUZZY_MARGIN = 95.0, 5.0


def _row_of(board: _Board, f: PersonFinding, rows: list[tuple[int, int]], ctx: _Context
            ) -> tuple[int, int] | None:
    """The row of a list that opens with this person's name: a numbered row's first line, the
    next one when OCR left the row's number alone on its line, or, among the list's rows, a
    line that opens with a title (OCR lost the number); or the row of their ID's reading."""
    if not rows:
        return None
    for first, last in rows:
        if first in f.lines or board.id_line.get(f.index) in range(first, last + 1):
            return first, last
        if ctx.late_rows and f.lines & set(range(first, last + 1)):
            return first, last  # the row names its person further on
        if first + 1 in f.lines and first + 1 <= last and (
                _BARE_NUMBER.match(ctx.lines[first]) or is_post_cell_only(ctx.lines[first])):
            return first, last
    starts = {first for first, _last in rows}
    for n in sorted(f.lines):
        if n in starts or not rows[0][0] - 1 <= n <= rows[-1][1] or \
                not opens_with_title(ctx.lines[n]):
            continue
        if any(first < n <= last and any(_THAI.search(ctx.keys[k]) for k in range(first, n))
               for first, last in rows) and _two_name_columns(rows, ctx):
            continue  # below a row's first name, on a list of two names a row: the second's
        # Just above the first row, only what is left of a number (". นาย...") makes a row.
        if n > rows[0][0] or _NUMBER_LEFT.match(ctx.lines[n]):
            return n, n
    return None


def _two_name_columns(rows: list[tuple[int, int]], ctx: _Context) -> bool:
    """Whether a list's rows name two persons each (a mentor teacher and their student): half
    its rows or more, and two at least, whose lines hold a second titled name after the
    first, no row's number just before it (not two rows OCR ran together)."""
    two = 0
    for first, last in rows:
        titled = [(n, m) for n in range(first, last + 1)
                  if not is_signature_line(ctx.lines[n]) and "(" not in ctx.lines[n]
                  for m in TITLED_IN_ROW.finditer(ctx.lines[n])]
        two += any(not _NUMBER_BEFORE.search(ctx.lines[n][:m.start()]) for n, m in titled[1:])
    return two >= max(2, len(rows) / 2)


_CHILD_KEYS = _title_keys(*CHILD_TITLES)


def _title_differs(read: str, prefix: str) -> bool:
    """Whether the name as read opens (after a row's number) with another title than the
    registered one: นาง for a registered นางสาว, นาย for a นาง, a child's (เด็กชาย) for
    anyone's."""
    key = match_key(read).lstrip("0123456789")
    title = next((t for t in (*_CHILD_KEYS, *_TITLE_KEYS) if key.startswith(t)), None)
    return title is not None and title != match_key(prefix)


def _listed_name(board: _Board, f: PersonFinding) -> str | None:
    """How a list's row names this person, when it names them as only one registry person
    can be named (no namesake shares the name): "whole" (their registered titled name, or
    nearly: LIST_FUZZY ahead of every other registered name by LIST_FUZZY_MARGIN, or less
    near with their registered unit on the row); "placed" (damaged, ROW_NAME_CUTOFF similar,
    and no other registered name even passes the registry's name cutoff: on a list of
    registry persons, the registry places it only one way); None otherwise, and never a name
    read with another title than theirs (นาง for a registered นางสาว: on a list that vouches
    for names alone, someone else's who shares or only resembles the name)."""
    named = [r for r in f.reasons if r["kind"].startswith("name")]
    if len(named) != 1 or named[0].get("shared_by") or named[0].get("namesakes"):
        return None
    r = named[0]
    if _title_differs(r.get("read", ""), board.reg.persons[f.index].prefix):
        return None
    if r["kind"] in ("name_exact", "name_joined"):
        return "whole" if f.name_points >= NAME_EXACT else None
    if r["kind"] != "name_fuzzy" or r["runner_up"] > r["similarity"] - LIST_FUZZY_MARGIN:
        return None
    if r["similarity"] >= LIST_FUZZY or (r["similarity"] >= ROW_NAME_CUTOFF and
                                         f.unit_points >= UNIT_ROW):
        return "whole"
    if r["similarity"] >= ROW_NAME_CUTOFF and r["runner_up"] < NAME_CUTOFF:
        return "placed"
    if r["similarity"] >= ROW_NAME_WITH_UNIT and f.unit_points >= UNIT_ROW and \
            r["runner_up"] < NAME_CUTOFF:
        return "placed"  # further damaged, and their unit on the row agrees
    return None


UNIT_NEAR = 80.0  # a unit OCR damaged is still this similar to itself (partial ratio)
UNIT_HEAD = 7  # letters a kind of unit opens with: โรงเรียน, สำนักงาน (match keys)
UNIT_NAMED = 6  # letters after that opening that make it a unit's name, not a cut-off word
# Letters after an outside office's opening that name it: a district's name can be as short
# as ทุ่งสง or เบตง (skeletons ทงสง, บตง).
OFFICE_NAMED = 3


# Offices outside the registry's agency that a committee or a list draws people from (a
# district office, a municipality, a police station, a task force, a court, or "the public" of
# a course's list of graduates). A list row naming one, and not the person's own unit, lists an
# outsider: a district officer chairing a committee of teachers whose name a registry teacher
# shares. Not a university or a hospital: a teacher's row names them as where they studied,
# sat an exam or trained.
OUTSIDE_UNIT_HEADS = frozenset(match_key(head) for head in (
    "อำเภอ", "เทศบาล", "องค์การบริหารส่วน", "สถานีตำรวจ", "กองกำลัง", "ศาลจังหวัด", "ศาลแขวง",
    "ประชาชนทั่วไป", "หน่วยเฉพาะกิจ"))


# The education agency's own offices as lists abbreviate them (a primary or secondary area
# office, the basic education commission, a provincial education office, non-formal
# education): a row naming one, and not the person's registered unit, names someone posted
# there (match keys).
AGENCY_OFFICE_HEADS = frozenset(match_key(head) for head in (
    "สพป.", "สพม.", "สพฐ.", "ศธจ.", "สกร.", "กศน.", "สำนักงานเขตพื้นที่",
    "ศพป.", "ศพม."))  # OCR reads ส as ศ


def _foreign_unit(board: _Board, key: str) -> bool:
    """Whether a row's letters name a unit of a kind no registered unit is (an office
    outside the agency, or one of its offices when the registry holds only schools) and no
    registered kind of unit: whoever the row lists is posted where the registry holds no
    one."""
    return not _names_unit(key, board.unit_heads) and _names_office(key)


def _names_office(key: str) -> bool:
    """Whether a row's letters name an office outside the agency or one of its own offices
    (OUTSIDE_UNIT_HEADS, AGENCY_OFFICE_HEADS), going on for a name."""
    return _names_unit(key, OUTSIDE_UNIT_HEADS, OFFICE_NAMED) or \
        _names_unit(key, AGENCY_OFFICE_HEADS, OFFICE_NAMED)


def _other_unit_on_row(board: _Board, f: PersonFinding, row: tuple[int, int], ctx: _Context
                       ) -> bool:
    """The row names a unit (it opens like a registered unit's name, or like a kind of unit
    outside the agency, and goes on for a name), and not the person's own (however damaged:
    UNIT_NEAR, as near as any other registered unit): whoever it lists may be a namesake from
    another school or office, or the registry may be behind; either way the name is in
    doubt."""
    if _own_unit_in(board, f, "".join(ctx.keys[row[0]:row[1] + 1])):
        return False  # anywhere on the row: a transfer's row names the old unit, then the new
    key = _span_key(row, ctx)
    return _names_unit(key, board.unit_heads) or _names_office(key)


def _office_rows(board: _Board, rows: list[tuple[int, int]], ctx: _Context) -> set[int]:
    """Rows (by first line) that name an office outside the agency (OUTSIDE_UNIT_HEADS) and
    no registered kind of unit: the row of someone from outside (a district officer on a
    committee of teachers), whoever's name it prints. A teacher's row names their school.
    Only a few rows of a list are: where half of its rows or more name such an office, the
    offices are the list's column of postings (non-formal education's กศน.อำเภอ...), not
    outsiders."""
    office = {row[0] for row in rows
              if _names_unit(key := _span_key(row, ctx), OUTSIDE_UNIT_HEADS, OFFICE_NAMED)
              and not _names_unit(key, board.unit_heads)}
    return office if 2 * len(office) < len(rows) else set()


# A titled name read whole that is this far from every registered name (rapidfuzz ratio over
# name keys, below) is no registry person's, however OCR damaged it: a damaged registered
# name stays far closer (names_like's cutoff is 85, ROW_NAME_CUTOFF 90).
STRANGER_NAME = 70.0


# Categories whose lists name only the agency's own people, every row an appointee or a
# member whose status changes: a name there the registry does not know is someone the
# registry lacks (a new appointee not imported yet), never a stranger.
STAFF_LISTS = frozenset({"appointment", "status_orders"})


def _near_registered(reg: RegistryIndex, m: NameMention) -> bool:
    """Whether a name read is near a registered one (STRANGER_NAME or closer): a registry
    person's, perhaps damaged; farther, a stranger's. A child's name never is."""
    if m.title in CHILD_TITLES:
        return False
    best = process.extractOne(name_key(m.first, m.last), reg.name_keys, scorer=fuzz.ratio)
    return best is not None and best[1] >= STRANGER_NAME


def _strangers_rows(board: _Board, extracted: Extracted, rows: list[tuple[int, int]],
                    ctx: _Context) -> set[int]:
    """Rows (by first line) that name someone who is plainly no registry person: a child
    (เด็กชาย, ด.ญ.: a pupil on a list of teachers), or a titled name read whole that is far
    from every registered name (_near_registered): a volunteer, a village head, a club
    member on a list that also names the agency's teachers (not on a list of its staff,
    STAFF_LISTS), when no registered name (first name and surname run together) stands in
    the row's letters even that near either, so the row is no registry person's name that
    OCR split in the wrong place ("นายพี รพัฒน์"); or a row that says its person is no staff
    (_outside_role: a nurse, a village head) or is posted where the registry holds no one
    (_foreign_unit: a district office, an area office of a registry of schools), whose
    letters the registry cannot place even with a unit's support (ROW_NAME_WITH_UNIT); or,
    where the registry's names are distinct, a name (read, or the words a title opens the
    row with where OCR split it past reading) whose letters open with no registered name
    within OCR's edits however split (_registered_opening), near no registered person in its
    parts (_near_in_parts); that last only where the registry's names are distinct enough
    (STRANGERS_FAR). No record misses the paper for them."""
    reg = board.reg
    if not reg.name_keys:
        return set()
    runs = _registry_runs(reg)[0]
    out = set()
    for first, last in rows:
        named = [m for m in extracted.names if first <= m.line <= last and not m.signature]
        adults = [m for m in named if m.title not in CHILD_TITLES]
        if named and not adults:
            out.add(first)  # a child's row
            continue
        wrapped = wrapped_name(ctx.lines, first, _next_thai_line(ctx, first))
        if wrapped is not None and adults and all(
                (m.line, m.first) == (wrapped.line, wrapped.first) for m in adults) and \
                _first_name_at_unit(reg, wrapped, _span_key((first, last), ctx)):
            # The row's name wrapped, its first name a registered person's who works at the
            # unit the row names: the surname read may be what OCR left of theirs.
            continue
        if not named and wrapped is not None and \
                not _first_name_at_unit(reg, wrapped, _span_key((first, last), ctx)):
            adults = [] if wrapped.title in CHILD_TITLES else [wrapped]
        whole = "".join(ctx.keys[first:last + 1])
        if _not_appointed(whole):
            # Someone who waived the appointment or never reported for duty: never
            # appointed, so no registry person, on a list of staff too (unless the registry
            # places the name there).
            if not _placeable(reg, whole, runs):
                out.add(first)
            continue
        if ctx.staff_list:
            continue
        if _outside_role((first, last), ctx):
            # However OCR broke its name (a surname on the next line, the role two lines
            # down): a row whose letters, all of them, hold no registered name as a list's
            # row would place one (_placeable). (The role may be another column's words: a
            # research title "… ของนักเรียน" before a teacher's name.)
            if not _placeable(reg, whole, runs):
                out.add(first)
            continue
        if _foreign_unit(board, whole):
            # Posted where the registry holds no one: its letters, all of them, are not
            # even near a registered name (ROW_NAME_WITH_UNIT), whatever unit the row names.
            near = process.extractOne(whole, runs, scorer=fuzz.partial_ratio)
            if near is None or near[1] < ROW_NAME_WITH_UNIT:
                out.add(first)
            continue
        # No name read on the row (OCR split it): the one a title opens it with, judged by
        # the row's letters from it on, where the registry's names are distinct.
        opening = _opening_mention((first, last), ctx) if not named and wrapped is None \
            else None
        if opening is not None and opening.title in CHILD_TITLES:
            out.add(first)
            continue
        if not adults and opening is None:
            continue
        if adults and not any(_near_registered(reg, m) for m in adults):
            near = process.extractOne(_span_key((first, last), ctx), runs,
                                      scorer=fuzz.partial_ratio)
            if near is None or near[1] < STRANGER_NAME:
                out.add(first)
                continue
        # A name read whole whose first name and surname no one registered person comes
        # near both of (a stranger who shares a teacher's first name or a surname), on a row
        # whose letters hold no registered name even as near as a unit's support would place
        # it (a first name of under NAME_FRAGMENT letters is what OCR left of one, no name).
        # Only where the registry's names are distinct enough (STRANGERS_FAR): where many
        # share a name, the strangers a list names bear registered names by chance, and a
        # list with strangers on it must wait for a person whatever its other rows say.
        if reg.namesake_share < STRANGERS_FAR and \
                all(_opens_row(m, first, ctx) and len(match_key(m.first)) >= NAME_FRAGMENT
                    and not _near_in_parts(reg, m, ctx, last)
                    and not _registered_opening(reg, _name_run(m, ctx, last))
                    for m in adults or [m for m in (opening,) if m is not None]):
            out.add(first)
    return out


# A damaged registered name read whole keeps its first name at least this near (rapidfuzz
# ratio over match keys), and with _parts_follow its surname too: the registered persons worth
# measuring a name read against (_near_in_parts measures the edits). (A name OCR split in the
# wrong place is also caught by its row's letters run together: _registered_opening.)
STRANGER_PART = 55.0
# The registry's namesake share (RegistryIndex.namesake_share) below which a whole registered
# name no one else bears proves its person more than by its letters (_distinct: DISTINCT_NAME):
# an agency's registry, whose surnames are one family's each, is far below it; the fixtures'
# pools of common names far above.
STRANGERS_DISTINCT = 0.05
# The share below which a list's row whose name is far from every registered one, in its parts
# and run together (_near_in_parts, _registered_opening), is a stranger's (_strangers_rows).
# That verdict only ever excuses a row from holding a paper back (a registered name damaged
# past finding would leave a link incomplete, never give it a wrong owner), so it reaches
# further than STRANGERS_DISTINCT: to the share a registry of a few persons is taken to have
# (registry.NAMESAKE_PRIOR). The fixtures' pools (0.11-0.16) stay above it.
STRANGERS_FAR = 0.1
# Edits (letters misread, lost or added; over match keys, so OCR's dropped marks and spaces do
# not count) within which a name read may be a registered one OCR damaged: at most about two
# in a name of a dozen letters on the worst scans measured (noise.py, severity 2). Further, it
# is someone else's name (_near_in_parts, _ocr_near, _row_names).
NAME_EDITS = 2
TRUNCATED_SURNAME = 3  # letters of a surname a line cut short must keep to be its start
NAME_FRAGMENT = 3  # letters under which a first name read is what OCR left of one, no name


# A row's number (what OCR reads digits as too) just before a name on its line.
_ROW_NUMBER = rf"(?:^|\s)[{DIGITISH}]{{1,3}}\s*"
_NUMBER_BEFORE = re.compile(_ROW_NUMBER + r"[.)]?\s*$")


# A row's number with its mark ending a line: the next row's, OCR ran its name onto the next line.
_NUMBER_ENDS = re.compile(_ROW_NUMBER + r"[.)]\s*$")


def _opens_row(m: NameMention, first: int, ctx: _Context) -> bool:
    """Whether a name opens its row (first: the row's first line): on that line, or below a
    number OCR left alone on it (with no Thai letter between); or the next row's name, where
    OCR ran two rows into one (its number, perhaps misread, just before it on its line, or
    with its mark ending the line above while the name opens its own)."""
    before = ctx.lines[m.line][:m.start]
    return all(not _THAI.search(ctx.keys[n]) for n in range(first, m.line)) or \
        bool(_NUMBER_BEFORE.search(before)) or \
        m.line > first and not before.strip() and bool(_NUMBER_ENDS.search(ctx.lines[m.line - 1]))


def _name_run(m: NameMention, ctx: _Context, last: int) -> str:
    """The letters (match keys) of a row from the first name read on, to the row's last
    line (last): where a registered name OCR damaged or split in the wrong place would
    stand."""
    run = match_key(" ".join([ctx.lines[m.line][m.start:],
                              *(ctx.lines[n] for n in range(m.line + 1, last + 1)
                                if _THAI.search(ctx.keys[n]))]))
    first = match_key(m.first)
    at = run.find(first) if first else -1
    return run[at:] if at >= 0 else run


_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


def _opening_mention(row: tuple[int, int], ctx: _Context) -> NameMention | None:
    """The name a row opens with when none was read there (OCR split it: "นางวิไลวรร ณ
    บระเสริฐศรี"): the title opening its first line with Thai letters (opening_title), and
    the first two runs of Thai letters after it on that line, as first name and surname, or
    the one there and the surname wrapped onto the row's next line with Thai letters
    (wrapped_surname). None where there is no second (the surname lost)."""
    first, last = row
    for n in range(first, last + 1):
        if _THAI.search(ctx.keys[n]):
            opening = opening_title(ctx.lines[n])
            if opening is None:
                return None
            title, at = opening
            runs = list(_THAI_RUN.finditer(ctx.lines[n], at))[:2]
            words, end = [w[0] for w in runs], runs[-1].end() if runs else at
            nxt = _next_thai_line(ctx, n)
            wrapped = wrapped_surname(ctx.lines[nxt]) if len(words) == 1 and nxt <= last \
                else None
            if wrapped is not None:
                words.append(wrapped["last"])
            if len(words) < 2:
                return None
            return NameMention(title, words[0], words[1], n, signature=False,
                               relative=False, start=at, end=end)
    return None


def _near_in_parts(reg: RegistryIndex, m: NameMention, ctx: _Context, last: int) -> bool:
    """Whether some registered person whose first name is near the one read (STRANGER_PART)
    has a name OCR could have damaged into the letters read: their first name and surname
    run together within NAME_EDITS edits of the row's letters from the first name on (OCR's
    spaces and a wrong split between the parts do not count); or, the first name within an
    edit of theirs, the surname read may be theirs cut or damaged (_surname_fits), or, read
    as a letter or two, with the word after it (_words_after) is ("ว งศ์สวัสดิ์"); or the first
    name read and the surname read together are theirs within an edit, the first name split
    in two ("นายภูว ดล"), and a word after it may be their surname, or none is read; or the
    first name read is the start of theirs and the surname theirs, each within an edit (the
    first name's line cut short, the surname wrapped onto the next)."""
    first, read_last = match_key(m.first), match_key(m.last)
    run = _name_run(m, ctx, last)
    for i in _first_names_near(reg, first, STRANGER_PART):
        person = reg.persons[i]
        surname = match_key(person.last_name)
        whole = match_key(person.first_name) + surname
        if min(Levenshtein.distance(whole, run[:len(whole) + k])
               for k in (-1, 0, 1)) <= NAME_EDITS:
            return True
        if Levenshtein.distance(first, match_key(person.first_name)) <= 1 and (
                _surname_fits(read_last, surname) if len(read_last) >= TRUNCATED_SURNAME
                else _short_surname_fits(read_last, surname, m, ctx, last)):
            return True
    for i in _first_names_near(reg, first + read_last, FIRST_NAME_NEAR):
        # The first name read split in two ("นายภูว ดล"): the surname is a word after it.
        if Levenshtein.distance(first + read_last,
                                match_key(reg.persons[i].first_name)) <= 1 and \
                any(_surname_fits(w, match_key(reg.persons[i].last_name))
                    for w in _words_after(m, ctx, last) or [""]):
            return True
    surnames = _registry_surnames(reg)
    return bool(first) and any(
        Levenshtein.distance(first, match_key(reg.persons[i].first_name)[:len(first)]) <= 1
        for _s, _d, i in process.extract(read_last, surnames, scorer=Levenshtein.distance,
                                         score_cutoff=1, limit=None))


def _surname_fits(read: str, surname: str) -> bool:
    """Whether the letters read as a surname (match keys) may be a registered surname that
    OCR damaged or cut short: nothing read (the row ran on past its lines), its start
    however short (a line cut short), its end (TRUNCATED_SURNAME letters or more: a wrapped
    surname whose next line lost its first letters), or the whole of it within NAME_EDITS
    edits."""
    return not read or surname.startswith(read) or len(read) >= TRUNCATED_SURNAME and (
        surname.endswith(read) or
        Levenshtein.distance(read, surname, score_cutoff=NAME_EDITS) <= NAME_EDITS)


def _short_surname_fits(read: str, surname: str, m: NameMention, ctx: _Context,
                        last: int) -> bool:
    """Whether a surname read as a letter or two (under TRUNCATED_SURNAME) may be a registered
    one: its start, where the name's line ends there (a line cut short); or, run together with
    a word after it (_words_after: OCR split it, "ว งศ์สวัสดิ์"), the registered surname cut or
    damaged (_surname_fits). A letter that merely opens it proves nothing where more follows
    on the line ("ส งอรุณ" is no สุขสวัสดิ์)."""
    at_end = not _THAI_RUN.search(ctx.lines[m.line][m.end:]) if m.end else False
    return at_end and surname.startswith(read) or \
        any(_surname_fits(read + w, surname) for w in _words_after(m, ctx, last))


def _words_after(m: NameMention, ctx: _Context, last: int) -> list[str]:
    """Where the rest of a name read one word early may stand (match keys): the word after
    it on its line, and the word opening the row's next line with Thai letters (up to the
    row's last line: a table's name column wrapped beside the next column's words)."""
    words = _THAI_RUN.findall(ctx.lines[m.line][m.end:])[:1] if m.end else []
    nxt = _next_thai_line(ctx, m.line)
    if nxt <= last:
        words += _THAI_RUN.findall(ctx.lines[nxt])[:1]
    return [match_key(w) for w in words]


# Letters a title may leave before the first name it was read apart from ("สาว" of a นางสาว
# read as นาง, "ตรี" of a reserve rank cut short).
TITLE_LEFTOVER = 3
_DIGIT = re.compile("[0-9]")


def _registered_opening(reg: RegistryIndex, run: str) -> bool:
    """Whether the letters `run` (match keys) open with some registered person's name, first
    name and surname run together, within NAME_EDITS edits, or with up to TITLE_LEFTOVER
    letters of a title before it: a registered name however OCR split it (a wrong split
    between the parts, "นายพี รพัฒน์"), or damaged, or merged with its title. Letters that end
    before a digit (a date, an ID in the next column) may be the start of the name, within an
    edit: a line cut short."""
    runs = _registry_runs(reg)[0]
    head = _DIGIT.split(run, 1)[0][:max(map(len, runs), default=0) + TITLE_LEFTOVER
                                     + NAME_EDITS]
    for name, _score, _k in process.extract(head, runs, scorer=fuzz.partial_ratio,
                                            score_cutoff=STRANGER_NAME, limit=None):
        for skip in range(TITLE_LEFTOVER + 1):
            rest = head[skip:]
            if len(rest) < len(name) - NAME_EDITS:
                if Levenshtein.distance(name[:len(rest)], rest) <= 1:
                    return True
                continue
            for slack in range(-NAME_EDITS, NAME_EDITS + 1):
                if Levenshtein.distance(name, rest[:len(name) + slack],
                                        score_cutoff=NAME_EDITS) <= NAME_EDITS:
                    return True
    return False


def _first_names_near(reg: RegistryIndex, first: str, cutoff: float) -> Iterator[int]:
    """Registered persons whose first name (match keys) is at least `cutoff` near `first`
    (rapidfuzz ratio)."""
    for key, _score, _k in process.extract(first, reg.by_first.keys(), scorer=fuzz.ratio,
                                           score_cutoff=cutoff, limit=None):
        yield from reg.by_first[key]


FIRST_NAME_NEAR = 80.0  # a first name OCR damaged a little (rapidfuzz ratio over match keys)


def _first_name_at_unit(reg: RegistryIndex, m: NameMention, key: str) -> bool:
    """Whether a registered person whose first name is near the one read works at a unit the
    row's letters (key) name: a wrapped name whose surname OCR cut may be theirs."""
    return any(len(reg.unit_keys[i]) >= UNIT_HEAD and
               fuzz.partial_ratio(reg.unit_keys[i], key) >= UNIT_NEAR
               for i in _first_names_near(reg, match_key(m.first), FIRST_NAME_NEAR))


def _placeable(reg: RegistryIndex, key: str, runs: list[str]) -> bool:
    """Whether a row's letters hold a registered name as _row_names would place it: within
    ROW_NAME_CUTOFF, or within ROW_NAME_WITH_UNIT with that person's unit on the row."""
    for _run, score, k in process.extract(key, runs, scorer=fuzz.partial_ratio, limit=4,
                                          score_cutoff=ROW_NAME_WITH_UNIT):
        if score >= ROW_NAME_CUTOFF or any(_unit_named(reg, i, key) is not None
                                           for i in reg.by_name[reg.name_keys[k]]):
            return True
    return False


# What a row says its person is when they are not the agency's (match keys): a pupil or a
# student, a nurse or a doctor, a district or local official, a village head, a community's
# or parents' representative, a volunteer, a business owner, a club's chair, a police
# officer, a school's janitor or driver. A list vouches for no one on such a row
# (_list_members). Such a row whose name the registry could not place even with a unit's support
# (below ROW_NAME_WITH_UNIT) is a stranger's, however near the name comes to a registered
# one by chance (the fixtures' and a province's common surnames).
OUTSIDE_ROLES = tuple(match_key(w) for w in (
    "นักเรียน", "นักศึกษา", "พยาบาล", "แพทย์", "สาธารณสุข", "ปลัดอำเภอ", "นายอำเภอ", "กำนัน",
    "ผู้ใหญ่บ้าน", "ผู้แทนชุมชน", "ผู้ปกครอง", "อาสาสมัคร", "นายกเทศมนตรี",
    "นายกองค์การบริหารส่วน", "ผู้ประกอบการ", "ประธานชมรม", "ตำรวจ",
    # a school's employees, whom a register of civil servants (ก.พ.๗, ก.ค.ศ.๑๖) never holds
    "ลูกจ้าง", "นักการภารโรง", "พนักงานขับรถ",
    # occupations a list of the public gives (a polling station's committee)
    "ค้าขาย", "เกษตรกร", "รับจ้าง",
    # a school board's member for the community
    "ผู้แทนคณะกรรมการสถานศึกษา",
    # a province's officials and others on its committees (a red-cross fair's)
    "ผู้ว่าราชการจังหวัด", "ปลัดจังหวัด", "ศึกษาธิการจังหวัด", "ท้องถิ่นจังหวัด", "คลังจังหวัด",
    "วัฒนธรรมจังหวัด", "เหล่ากาชาด", "ธนาคาร", "สมาคม"))
# Of OUTSIDE_ROLES, those a row gives only as its person's own post, never as what the row
# is about or where (a case's "ละเลยการดูแลนักเรียน", a polling place "ที่ทำการผู้ใหญ่บ้าน"): a
# registered name and unit beside one, and no staff post, waits for a person (_role_in_doubt).
OUTSIDE_POSTS = tuple(match_key(w) for w in (
    "ผู้แทนคณะกรรมการสถานศึกษา", "นักการภารโรง", "พนักงานขับรถ", "พยาบาลวิชาชีพ",
    "นักวิชาการสาธารณสุข"))
# Who works for the agency without being a civil servant, whom its register of civil
# servants never holds however they teach: a government employee ("พนักงานราชการ (ครู)", its
# last letters often misread), a teacher on a temporary contract (ครูอัตราจ้าง).
NOT_CIVIL_SERVANTS = tuple(match_key(w) for w in ("พนักงานราช", "ครูอัตราจ้าง"))
_CIVIL_SERVANT = re.compile("ข้าราชการ")


def _outside_role(row: tuple[int, int], ctx: _Context) -> bool:
    """Whether a list's row, any of its lines, names an outside role (OUTSIDE_ROLES) and
    says nothing of its person being staff (_STAFF_POST: ครู, ข้าราชการ), or names a post
    that is no civil servant's (NOT_CIVIL_SERVANTS) and not a civil servant's, where the
    paper is no appointment or status order (which names the posts held before it), or
    says its person was never appointed (_not_appointed)."""
    key = "".join(ctx.keys[row[0]:row[1] + 1])
    text = " ".join(ctx.lines[row[0]:row[1] + 1])
    return (any(role in key for role in OUTSIDE_ROLES) and not _STAFF_POST.search(text)) or \
        _not_civil_servant(key, text, ctx) or _not_appointed(key)


# What a row of an appointment's roll says of someone never appointed (match keys): they
# waived it, or did not report for duty in time. The registry holds no record of them.
NOT_APPOINTED = tuple(match_key(w) for w in ("สละสิทธิ์", "ไม่มารายงานตัว", "ไม่ไปรายงานตัว"))


def _not_appointed(key: str) -> bool:
    """Whether a row's letters (key) say its person was never appointed (NOT_APPOINTED)."""
    return any(mark in key for mark in NOT_APPOINTED)


def _not_civil_servant(key: str, text: str, ctx: _Context) -> bool:
    """Whether a row's letters (key, text) name a post no civil servant holds
    (NOT_CIVIL_SERVANTS) and none that one does, on a paper that is no appointment or status
    order."""
    return not ctx.staff_list and any(post in key for post in NOT_CIVIL_SERVANTS) and \
        not _CIVIL_SERVANT.search(text)


# Where minutes list who attended, and where the meeting itself opens (match keys).
_ATTENDANCE = tuple(match_key(w) for w in ("ผู้มาประชุม", "ผู้เข้าประชุม", "ผู้เข้าร่วมประชุม",
                                            "ผู้ไม่มาประชุม", "ผู้ร่วมประชุม"))
_MEETING_OPENS = tuple(match_key(w) for w in ("เริ่มประชุม", "เปิดประชุม", "ระเบียบวาระ"))


def _attendee_rows(rows: list[tuple[int, int]], ctx: _Context) -> set[int]:
    """Rows (by first line) of the list of those who attended a meeting, in minutes: from a
    line that heads it (ผู้มาประชุม) to the line where the meeting opens. They sat on the
    committee; the paper is evidence of the persons it decides on, listed further on."""
    out: set[int] = set()
    inside = False
    starts = {first for first, _last in rows}
    for n, key in enumerate(ctx.keys):
        if any(w in key for w in _MEETING_OPENS):
            inside = False
        elif any(w in key for w in _ATTENDANCE):
            inside = True
        if inside and n in starts:
            out.add(n)
    return out


def _stranger_on_office_row(board: _Board, f: PersonFinding, office_rows: set[int],
                            rows: list[tuple[int, int]], ctx: _Context) -> bool:
    """Whether only a name ties f to the page, and it stands on an outsider's row
    (_office_rows) that does not name f's own unit."""
    if f.id_points >= ID_SURE or f.folder:
        return False
    row = _row_of(board, f, rows, ctx)
    return row is not None and row[0] in office_rows and \
        not _own_unit_in(board, f, _span_key(row, ctx))


def _span_key(row: tuple[int, int], ctx: _Context) -> str:
    """The letters of a list row's lines: its first and up to ROW_CONTINUATION more, past
    OCR's garbage from a stamp or a rule (lines with no Thai letter)."""
    keys = [ctx.keys[row[0]]] + [key for key in ctx.keys[row[0] + 1:row[1] + 1]
                                 if _THAI.search(key)]
    return "".join(keys[:ROW_CONTINUATION + 1])


def _own_unit_in(board: _Board, f: PersonFinding, key: str) -> bool:
    """Whether the person's registered unit is in `key`, as near as any registered unit is."""
    reg = board.reg
    own = reg.unit_keys[f.index]
    if len(own) < 4:
        return False
    near = fuzz.partial_ratio(own, key)
    best = process.extractOne(key, reg.unit_names, scorer=fuzz.partial_ratio)
    return near >= UNIT_NEAR and (best is None or near >= best[1])


def _names_unit(key: str, heads: Iterable[str], least: int = UNIT_NAMED) -> bool:
    """Whether a kind of unit opens somewhere in `key` and goes on for a name."""
    return any(len(key) - (match.start() + len(head)) >= least
               for head in heads for match in re.finditer(re.escape(head), key))


def _anchored(board: _Board, f: PersonFinding, rows: list[tuple[int, int]], ctx: _Context
              ) -> bool:
    """A subject the page itself ties to the registry beyond their name, named on the list:
    their ID read, the folder's person named there (the folder and the page agree), or their
    registered unit on their row."""
    if f.conflict or f.points - f.list_points < LINKED or _row_of(board, f, rows, ctx) is None:
        return False
    return f.id_points >= ID_SURE or f.folder > 0 or f.unit_points >= UNIT_ROW or \
        f.birth_points >= BIRTH_ROW


# A list anchors itself when the chance that each of its members named whole is instead a
# stranger who by chance bears a registry person's name (the registry's namesake share, once
# per member) is below this: a list of the agency's own people.
LIST_COINCIDENCE = 1e-3


def _named_whole(board: _Board, f: PersonFinding) -> bool:
    """Whether f is named by their whole registered titled name, unique in the registry, and
    nothing on the page speaks against them: what a coincidence bound counts."""
    return not f.conflict and not f.namesake_out and f.name_points >= NAME_EXACT and \
        _listed_name(board, f) == "whole"


def _listed_together(board: _Board, subjects: list[PersonFinding],
                     rows: list[tuple[int, int]], ctx: _Context) -> list[PersonFinding]:
    """The members of a list of subjects named each on a row of their own by their whole
    registered titled name, unique in the registry, when there are enough of them that they
    cannot all be strangers' names by chance (LIST_COINCIDENCE): where names are distinct,
    as an agency's are, two or three; where the registry shows many namesakes, more.
    Nothing else on the page need prove any one of them."""
    whole: list[PersonFinding] = []
    used: set[int] = set()
    for f in subjects:
        row = _row_of(board, f, rows, ctx)
        if row is None or row[0] in used or not _named_whole(board, f):
            continue
        used.add(row[0])
        whole.append(f)
    if len(whole) < 2 or board.reg.namesake_share ** len(whole) > LIST_COINCIDENCE:
        return []
    return whole


# What may stand between two names of one enumeration: spaces, commas, "และ" (and), "กับ"
# (with), and OCR's stray marks; at most one line break (a sentence wrapped), after which the
# rest of a surname the wrap broke ("พิมพ์ / ทอง,"); and a word or two before the "และ" or
# comma: the first person's post ("นาย… ครู และนาย… ครู"), the tail of a surname OCR split.
_BETWEEN_NAMES = re.compile(r"^[\s,;:|'.]*(?:\n[\u0e01-\u0e4e]{1,8})?[\s,;:|'.]*"
                            r"(?:(?:[\u0e01-\u0e4e]{1,15}[\s,;:|'.]*){1,2}(?=และ|กับ|,))?"
                            r"(?:และ|กับ)?[\s,;:|'.]*$")


def _enumerations(extracted: Extracted, ctx: _Context) -> list[list[NameMention]]:
    """Runs of titled names one sentence enumerates ("โดย นาย..., นางสาว... และ นาง..."): each
    name follows the last with nothing between them but separators (_BETWEEN_NAMES)."""
    named = sorted((m for m in extracted.names if not m.signature and not _relative(m, ctx)),
                   key=lambda m: (m.line, m.start))
    runs: list[list[NameMention]] = []
    for m in named:
        last = runs[-1][-1] if runs else None
        if last is not None and m.line - last.line <= 1:
            if m.line == last.line:
                gap = ctx.lines[m.line][last.end:m.start]
            else:
                gap = ctx.lines[last.line][last.end:] + "\n" + ctx.lines[m.line][:m.start]
            if _BETWEEN_NAMES.match(gap):
                runs[-1].append(m)
                continue
        runs.append([m])
    return [run for run in runs if len(run) >= 2]


def _enumeration_incomplete(board: _Board, subjects: list[PersonFinding],
                            enumerations: list[list[NameMention]]) -> bool:
    """Whether a sentence that enumerates subjects (_enumerations) names another person, not
    found, whose name is near a registered one (_near_registered): a subject's name OCR
    damaged past finding ("นายธนากร มั่น วศ์")."""
    for run in enumerations:
        found = [_mentioned(board, subjects, m) for m in run]
        if any(found) and any(f is None and _near_registered(board.reg, m)
                              for m, f in zip(run, found, strict=True)):
            return True
    return False


def _mentioned(board: _Board, subjects: list[PersonFinding], m: NameMention
               ) -> PersonFinding | None:
    """The subject a mention names: by their exact registered name, or read in part on that
    line (damaged, joined, fuzzy: a finding whose lines hold the mention's and whose first
    name or surname it reads)."""
    for i in board.reg.by_name.get(name_key(m.first, m.last), []):
        f = next((f for f in subjects if f.index == i), None)
        if f is not None:
            return f
    first, last = match_key(m.first), match_key(m.last)
    for f in subjects:
        k = board.reg.persons[f.index]
        if m.line in f.lines and (match_key(k.first_name) == first or
                                  match_key(k.last_name).startswith(last)):
            return f
    return None


_JOINERS = re.compile("และ|กับ|[^\u0e01-\u0e4e]")


def _tight(run: list[NameMention], ctx: _Context) -> bool:
    """Whether an enumeration's names follow each other with only separators and "และ"
    between them: no word between two names that may be a third name OCR broke."""
    for a, b in itertools.pairwise(run):
        gap = ctx.lines[a.line][a.end:b.start] if a.line == b.line else \
            ctx.lines[a.line][a.end:] + "\n" + ctx.lines[b.line][:b.start]
        if _JOINERS.sub("", gap):
            return False
    return True


def _anchors_page(f: PersonFinding) -> bool:
    """A subject the page ties to the registry beyond their name, enough to be linked without
    any list's help: the folder's person named on it, or their ID read."""
    return not f.conflict and (f.folder > 0 or f.id_points >= ID_SURE) and \
        f.points - f.list_points >= LINKED


def _named_together(board: _Board, subjects: list[PersonFinding],
                    enumerations: list[list[NameMention]], ctx: _Context) -> None:
    """Persons one sentence of a paper about its subjects enumerates (co-authors of a paper,
    teachers sent on one duty): as on a list (_listed_together), enough of them named by
    their whole registered name, unique in the registry, cannot all be strangers bearing
    registry names by chance; then a member whose name OCR damaged a little (_listed_name:
    whole or placed) is one of them too. A name in the enumeration that is near a registered
    one but not a subject's leaves it in doubt; one far from every registered name
    (_near_registered: a professor from outside) is a stranger's and does not."""
    reg = board.reg
    for run in enumerations:
        whole: list[PersonFinding] = []
        members: list[tuple[PersonFinding, str]] = []
        for m in run:
            f = _mentioned(board, subjects, m)
            how = _listed_name(board, f) if f is not None and not f.conflict and \
                not f.namesake_out else None
            if f is not None and how is not None:
                members.append((f, how))
                if _named_whole(board, f):
                    whole.append(f)
                continue
            if _near_registered(reg, m):
                members = []
                break
        whole = list({id(f): f for f in whole}.values())
        # Or, as on a list (_list_members), one of them the page ties to the registry beyond
        # the name (the folder's person, their ID read), every name of the sentence a
        # subject's: the sentence names the agency's people with them.
        anchored = len(members) == len(run) and _tight(run, ctx) and \
            any(_anchors_page(f) for f, _how in members)
        if not members or (len(whole) < 2 or reg.namesake_share ** len(whole) >
                           LIST_COINCIDENCE) and not anchored:
            continue
        for f, how in {id(f): (f, how) for f, how in members}.values():
            if f.points < LINKED:
                if how == "placed":  # a damaged name the enumeration places, as a list does
                    f.name_points = NAME_EXACT
                f.list_points = LIST_MEMBER
                f.reasons.append({"kind": "named_together",
                                  "members": [g.citizen_id for g in whole],
                                  "namesake_share": round(reg.namesake_share, 3),
                                  "anchors": [g.citizen_id for g, _how in members
                                              if _anchors_page(g)]})


# A teacher's or an official's post; ครู also as OCR leaves it as a word of its own, its
# vowel lost or its ร read as its lookalike ("คร ๕๐๐", "ควูผู้ช่วย").
_STAFF_POST = re.compile("ครู|ข้าราชการ|(?<![\u0e01-\u0e4e])ค[รว]\u0e39?(?=ผ|\\s|$)")


def _staff_row(board: _Board, row: tuple[int, int], ctx: _Context) -> bool:
    """Whether a list's row says its person is the agency's: a teacher's or an official's
    post (ครู, ข้าราชการ), or a registered kind of unit (a school) by name."""
    return bool(_STAFF_POST.search(" ".join(ctx.lines[row[0]:row[1] + 1]))) or \
        _names_unit(_span_key(row, ctx), board.unit_heads)


LOST_NAME_LEFT = 2  # letters of a name left before a lost row's post
# A teacher's post as a row's cell, a word of its own: not the ครู of a wrapped cell's
# "วิทยฐานะครูชำนาญการ" (nor "วิทยฐานะ ครูชำนาญการ" as OCR spaces it) or "ตำแหน่งครู".
_LOST_ROW_POST = re.compile("(?<!\\S)ครู(?:ผู้ช่วย)?(?![\u0e01-\u0e4e])")


def _lost_row(board: _Board, rows: list[tuple[int, int]], subjects: list[PersonFinding],
              ctx: _Context) -> bool:
    """A line inside a list, past every row's lines, that reads as a row whose number and
    title OCR lost with part of the name: what is left of the name, a staff post (ครู) and
    a registered unit after it ("ชา ใจดี ครู โรงเรียนบ้านท่าช้าง ..."), on a line no subject
    is named on nor within a row's lines (ROW_SPAN) below one. Someone's record would miss
    the paper."""
    if not rows:
        return False
    covered = {n for first, last in rows for n in range(first, last + 1)}
    named = set().union(*(f.lines for f in subjects))
    for n in range(rows[0][0], rows[-1][1] + 1):
        if n in covered or any(n - k in named for k in range(ROW_SPAN)):
            continue  # a row's, or the rest of a row whose number line was not read as one
        post = _LOST_ROW_POST.search(ctx.lines[n])
        if post is None or len(_THAI.findall(ctx.lines[n][:post.start()])) < LOST_NAME_LEFT:
            continue
        rest = match_key(ctx.lines[n][post.end():])
        if any(unit in rest for unit in board.reg.unit_names if len(unit) >= UNIT_HEAD):
            return True
    return False


_EMPTY_CELL = re.compile(r"\s[-–—]\s")  # a table's cell left empty: a dash alone


def _list_members(board: _Board, subjects: list[PersonFinding], rows: list[tuple[int, int]],
                  extracted: Extracted, ctx: _Context, *, mixed: bool = False) -> None:
    """The other members of a list of subjects that every numbered row of is accounted for
    (the callers' checks) and that holds an anchored member (_anchored): a member whose row
    opens with their registered titled name, whole and unique in the registry (_whole_name),
    gets LIST_MEMBER. The list is then the agency's list of its own people, one of whom the
    page proves: a name on it that is a single registry person's is that person. A name shared
    by namesakes, read only in part or too damaged, or with an ID beside it that is not
    theirs, gets nothing; nor, on a list that prints its members' IDs, does a row with no
    reading of one (a name there that is not a member's: a signer whose bracket OCR lost).
    On a list that mixes in outsiders (mixed: strangers' or outside offices' rows), only a
    member whose row says they are staff (_staff_row) is vouched for."""
    anchors = [f for f in subjects if _anchored(board, f, rows, ctx)]
    evidence: dict[str, Any] = {"kind": "listed_with_anchor",
                                "anchors": [a.citizen_id for a in anchors]}
    if not anchors:
        anchors = _listed_together(board, subjects, rows, ctx)
        evidence = {"kind": "listed_together", "members": [a.citizen_id for a in anchors],
                    "namesake_share": round(board.reg.namesake_share, 3)}
    if not anchors:
        return
    with_ids = any(a.id_points >= ID_SURE for a in anchors)
    for f in subjects:
        if f.points >= LINKED or f.conflict or f.namesake_out:
            continue
        row = _row_of(board, f, rows, ctx)
        if row is None or mixed and not _staff_row(board, row, ctx) or \
                _outside_role(_own_lines(f, row, subjects), ctx):
            continue
        span = set(range(row[0], row[1] + 1))
        if any(g is not f and g.lines & span & (f.lines | {row[0]}) for g in subjects):
            continue  # a row names one person: another registered name there is in doubt
        if _other_unit_on_row(board, f, row, ctx):
            continue
        if f.id_points >= ID_SURE and f.name_points == 0 and board.id_line.get(f.index) in \
                span and not any(g is not f and g.lines & span for g in subjects):
            pass  # their ID read on a row that names nobody else (the name lost to OCR)
        elif (how := _listed_name(board, f)) is None:
            continue
        elif how == "placed":
            f.name_points = NAME_EXACT
            f.reasons = [{**r, "placed_by_list": True} if r["kind"] == "name_fuzzy" else r
                         for r in f.reasons]
        if with_ids and not any(
                row[0] <= r.line <= row[1] and not _relative(r, ctx) and
                idmatch.could_be_id(r.raw, r.symbols, arabic=r.arabic) for r in extracted.ids) \
                and not _EMPTY_CELL.search(" ".join(ctx.lines[row[0]:row[1] + 1]) + " "):
            continue  # (a dash in the ID's column says the list has none for this member)
        f.list_points = LIST_MEMBER
        f.reasons.append(dict(evidence))


def _role_in_doubt(board: _Board, f: PersonFinding, subjects: list[PersonFinding],
                   rows: list[tuple[int, int]], ctx: _Context) -> bool:
    """Whether only a name (and unit) ties f to the page, on a list's row (or a line) whose
    lines of f's say f holds a post no civil servant holds (_not_civil_servant) or a post
    outside the agency (OUTSIDE_POSTS) and no staff post."""
    if f.id_points >= ID_SURE or f.folder or not f.lines:
        return False
    row = _row_of(board, f, rows, ctx)
    # (Named elsewhere, as a row OCR broke past reading as one: their line and the next.)
    first, last = _own_lines(f, row, subjects) if row is not None else \
        (min(f.lines), min(min(f.lines) + 1, len(ctx.lines) - 1))
    key, text = "".join(ctx.keys[first:last + 1]), " ".join(ctx.lines[first:last + 1])
    return _not_civil_servant(key, text, ctx) or (
        any(post in key for post in OUTSIDE_POSTS) and not _STAFF_POST.search(text))


def _own_lines(f: PersonFinding, row: tuple[int, int], subjects: list[PersonFinding]
               ) -> tuple[int, int]:
    """The lines of a list's row that are f's: from where f is named to the line after,
    short of a line naming another subject (a polling unit's row lists its committee one
    per line under one number)."""
    named = sorted(n for n in f.lines if row[0] <= n <= row[1]) or [row[0]]
    others = {n for g in subjects if g is not f for n in g.lines}
    end = named[-1]
    if end + 1 <= row[1] and end + 1 not in others:
        end += 1
    return named[0], end


# Posts of those who sign a paper to certify or order it (match keys): a director, a head,
# a district chief, a governor, a dean, a commander, a committee's chair.
_AUTHORITY = tuple(match_key(w) for w in (
    "อำนวยการ", "ผู้บังคับ", "นายอำเภอ", "ผู้ว่าราชการ", "หัวหน้า", "คณบดี", "อธิการบดี",
    "เลขาธิการ", "ประธาน"))


def _certifiers(board: _Board, ctx: _Context) -> set[int]:
    """Registry persons who sign the paper as its authority: a signature line that holds one
    registered titled name (however OCR spaced it), over a post that certifies or orders
    (_AUTHORITY: "(นายสุรชัย ชัยมงคล) / ผู้อำนวยการโรงเรียน…"). Named also in its body (a
    record's "ผู้บริหาร" row), they are who vouches for the paper, not whom it is about."""
    reg, out = board.reg, set[int]()
    if reg.titled is None:
        return out
    for n, line in enumerate(ctx.lines):
        if not is_signature_line(line):
            continue
        named = set(reg.titled.findall(ctx.keys[n]))
        if len(named) != 1:
            continue
        # The post under the name (past OCR's garbage), or by the "ลงชื่อ …" above it.
        below = _next_thai_line(ctx, n)
        post = ctx.keys[below] if below < len(ctx.lines) else ""
        if any(is_signature_line(ctx.lines[m]) for m in range(max(0, n - 2), n)):
            post += "".join(ctx.keys[max(0, n - 2):n])
        if any(w in post for w in _AUTHORITY):
            out.update(reg.by_titled[named.pop()])
    return out


def _unit_on_page(board: _Board, f: PersonFinding, ctx: _Context) -> None:
    """A paper about one person (no list of names), named whole by a name no namesake shares,
    and not with their unit beside the name, that names their registered unit elsewhere (the
    school that issues a form about its own teacher, "แบบแจ้งผลการเลื่อนเงินเดือน ... โรงเรียน…"
    in its head): their unit as evidence, as on their row."""
    reg = board.reg
    unit, k = reg.unit_keys[f.index], reg.persons[f.index]
    if f.unit_points or f.name_points < NAME_EXACT or f.conflict or len(unit) < UNIT_FUZZY_MIN \
            or len(reg.by_name.get(name_key(k.first_name, k.last_name), ())) > 1 \
            or not any(r["kind"] in ("name_exact", "name_joined") for r in f.reasons):
        return
    if unit in ctx.text_key:
        board.unit_evidence(f.index, {"kind": "unit_on_page", "unit": k.unit})


def _count_misread_short(raw: str, found: int) -> bool:
    """Whether a group's count, read below the persons found (so misread), names more than
    were found under every reading it may have been printed as that is not below them."""
    fits = [n for n in count_readings(raw) if n >= found]
    return bool(fits) and found < fits[0] <= MAX_GROUP


# A list row whose ID cell says none was given: the row's number, the name (no digits), then
# a dash alone where the ID would stand.
_NO_ID_GIVEN = re.compile(rf"^\s*[{DIGITISH}]{{1,3}}\s*[.)]?[^0-9\u0e50-\u0e59]*\s[-\u2013\u2014]"
                          r"(?:\s|$)")


def _no_id_given(passing: list[PersonFinding], rows: list[tuple[int, int]], ctx: _Context
                 ) -> list[PersonFinding]:
    """Of the names taken as named in passing on a paper that prints its subjects' IDs (no ID
    beside them), those that open a line of a checked list's row as a row does, whose ID cell
    is a dash (_NO_ID_GIVEN: the sender gave no ID for them, a registry office found them by
    name and birth date): that row's person, or the next row's where OCR ran it into this one
    (its number misread, "e นางสาว… -"), to add to subjects."""
    return [f for f in passing if any(
        n in f.lines and _NO_ID_GIVEN.match(ctx.lines[n])
        for first, last in rows for n in range(first, last + 1))]


# A row's number with its mark inside a row's lines, before a title: OCR ran that row into
# the one above. Digits only, printed ones, not what OCR reads them as; a title after it, not
# a numbered paragraph the last row ran on into.
_INNER_ROW_NUMBER = re.compile(r"(?<=\s)[0-9\u0e50-\u0e59]{1,3}\s*[.)]\s*(?=" +
                               TITLED_IN_ROW.pattern + ")")


def _merged_rows(board: _Board, subjects: list[PersonFinding], rows: list[tuple[int, int]],
                 ctx: _Context) -> int:
    """The persons a list's accounted rows (subjects' and outsiders') name beyond one each
    and beyond the subjects named on them: each row number inside a row (_INNER_ROW_NUMBER)
    opens another row OCR ran into it ("๓. นายธนพล ธรรมรักษ์ ๔. นายธนพล พรหมวงศ์")."""
    extra = 0
    for first, last in rows:
        inner = sum(len(_INNER_ROW_NUMBER.findall(ctx.lines[n] if n == first else
                                                  " " + ctx.lines[n]))
                    for n in range(first, last + 1))
        if not inner:
            continue
        span = set(range(first, last + 1))
        named = sum(1 for f in subjects
                    if f.lines & span or board.id_line.get(f.index) in span)
        extra += max(0, 1 + inner - max(named, 1))
    return extra


def _rows_at(rows: list[tuple[int, int]], firsts: set[int]) -> list[tuple[int, int]]:
    """The rows (first, last) of a list that open on these lines."""
    return [row for row in rows if row[0] in firsts]


def _damaged_row_names(board: _Board, extracted: Extracted, subjects: list[PersonFinding],
                       rows: list[tuple[int, int]], ctx: _Context) -> list[PersonFinding]:
    """A list checked as one of subjects (several were found on it) that its category does not
    make one (a discipline memo's cases, a house-rent check's teachers): its rows that name
    nobody found (rows) are read against the registry as a subjects' list's are (_row_names),
    with the unit on the row as further evidence. The persons found there, to add to
    subjects."""
    before = {i: f.content for i, f in board.found.items()}
    _row_names(board, extracted, rows, ctx)
    lines = {n for first, last in rows for n in range(first, last + 1)}
    added = []
    for i, f in board.found.items():
        if f.content > before.get(i, 0.0) and f.content >= MENTIONED and f.lines & lines \
                and f not in subjects:
            for first, last in rows:
                if first in f.lines:
                    _unit_on_row(board, [i], first,
                                 "".join(ctx.keys[first:last + 1]), ctx)
            added.append(f)
    return added


def _incomplete(subjects: list[PersonFinding], reasons: list[str], folder_hint: str | None
                ) -> PersonLinks:
    """A group paper someone's record would miss as read: it waits for a person, with the
    candidates found so far."""
    return PersonLinks("needs_review", [f for f in subjects if f.points >= CANDIDATE],
                       [*reasons, "group_incomplete"], folder_hint)


def link_persons(session: Session, text: str, extracted: Extracted, *,
                 folder_hint: str | None, category: str | None = None,
                 category_sure: bool = False, subjects_listed: float = 0.0) -> PersonLinks:
    """category_sure: the category is above the confidence bar, so what it implies about
    lists of names (LISTS_OF_SUBJECTS) may add evidence, not only demand it. subjects_listed:
    the classifier's probability that the category is one of LISTS_OF_SUBJECTS, whichever it
    is; at or above the bar (SUBJECTS_LISTED), the lists are taken as of subjects even where
    the category itself is unsure (a roster of escorted teachers the model splits between
    martial law and a status order: both list their subjects)."""
    reg = registry_index(session)
    board = _Board(reg)
    folder_index = reg.by_id.get(folder_hint) if folder_hint else None
    lines = text.replace("\f", "\n").split("\n")
    text_key = match_key(text)
    all_rows = list_rows(lines)
    late = () if all_rows else tuple(late_name_rows(lines))
    all_rows = all_rows or list(late)
    keys = [match_key(ln) for ln in lines]
    all_rows, headed = _unit_headings(board, lines, keys, all_rows)
    ctx = _Context(lines, keys, text_key, folder_index,
                   category_sure and category in LISTS_OF_SUBJECTS
                   or subjects_listed >= SUBJECTS_LISTED,
                   category_sure and category == "house_registration",
                   _not_id_column(extracted, all_rows, lines), late,
                   category_sure and category in STAFF_LISTS,
                   headed, tuple(all_rows))
    _ids(board, extracted, ctx)
    _names(board, extracted, ctx)
    _joined_names(board, extracted, ctx)
    _id_support(board, extracted, ctx)
    _settle_namesakes(board, ctx)
    targets = {i for i, f in board.found.items() if f.name_points == 0 and not f.namesake_out}
    if folder_index is not None:
        targets.add(folder_index)
    _name_parts(board, ctx, targets)
    _folder_name(board, ctx)
    _certified_copy(board, ctx)
    _name_on_id_row(board, ctx, all_rows)
    _row_names(board, extracted, all_rows if ctx.lists_are_subjects else [], ctx)
    if folder_index is not None:
        finding = board.get(folder_index)
        finding.folder = FOLDER
        finding.reasons.append({"kind": "folder_hint"})
    mentioned = [f for f in board.found.values() if f.content >= MENTIONED]
    # A paper that prints its subjects' IDs names others in passing (a committee, a father,
    # the previous holder of a post): a registered name with no ID beside it is one of those.
    uses_ids = any(f.id_points >= ID_SURE for f in mentioned)
    rows = all_rows if ctx.lists_are_subjects else []
    row_lines = {n for first, last in rows for n in range(first, last + 1)}
    passing = [f for f in mentioned if uses_ids and f.id_points == 0 and not f.with_reading
               and not f.folder and not f.lines & row_lines]
    subjects = sorted((f for f in mentioned if f not in passing), key=lambda f: -f.points)
    # A name alone on a row of someone from outside the agency (_office_rows), not beside
    # the person's own unit, is a stranger's who shares a registry name: never a subject, and
    # the row is an outsider's.
    office_rows = _office_rows(board, all_rows, ctx)
    # Those who attended a meeting are not what its minutes decide on.
    attendees = _attendee_rows(all_rows, ctx)
    certifiers = _certifiers(board, ctx)
    subjects = [f for f in subjects
                if not _stranger_on_office_row(board, f, office_rows | attendees, all_rows, ctx)
                and not (f.index in certifiers and not f.folder and f.id_points < ID_SURE)]
    reasons: list[str] = []
    if folder_hint and folder_index is None:
        reasons.append("folder_hint_unknown")
    folder = board.found.get(folder_index) if folder_index is not None else None
    if folder is not None and folder not in subjects:
        if subjects:
            # The content names someone else: never file it under the folder's person.
            return PersonLinks("needs_review", subjects, [*reasons, "folder_hint_contradicted"],
                               folder_hint)
        return PersonLinks("needs_review", [folder], [*reasons, "owner_not_found_in_text"],
                           folder_hint)
    if not subjects:
        return PersonLinks("unlinked", [], [*reasons, "no_owner_found"], folder_hint)
    if len(subjects) == 1 and not all_rows:
        _unit_on_page(board, subjects[0], ctx)
    # The check only ever holds a document back, so it runs whenever the list may be one of
    # subjects: the category says so (however sure), several persons are being linked, or the
    # one being linked is named on one of its rows that open with a name (a list of
    # corrections, of leave taken) where the list is not of their family (a house register,
    # a birth or marriage record, a designation of heirs).
    on_a_row = category not in FAMILY_LISTS and not ctx.late_rows and any(
        _row_of(board, f, all_rows, ctx) is not None for f in subjects)
    check = [row for row in all_rows if row[0] not in attendees] \
        if category in LISTS_OF_SUBJECTS or len(subjects) > 1 or on_a_row else []
    unaccounted = set(_unaccounted_rows(board, subjects, check))
    if unaccounted and not ctx.lists_are_subjects:
        subjects += _damaged_row_names(board, extracted, subjects,
                                       _rows_at(check, unaccounted), ctx)
        unaccounted = set(_unaccounted_rows(board, subjects, check))
    if unaccounted and passing:
        subjects += _no_id_given(passing, _rows_at(check, unaccounted), ctx)
        unaccounted = set(_unaccounted_rows(board, subjects, check))
    unsure = [f for f in subjects if f.points < LINKED]
    strangers = _strangers_rows(board, extracted, _rows_at(check, unaccounted), ctx)
    offices = office_rows & {first for first, _last in check}
    by_id = _outsider_rows(board, extracted, check)
    outsiders = (by_id | strangers | offices) & unaccounted
    # The persons a list's rows are accounted for by: a row that OCR ran the next rows into
    # counts each row number inside it (_merged_rows).
    found = len(subjects) + len(outsiders) + _merged_rows(
        board, subjects, [row for row in check if row[0] not in unaccounted - outsiders], ctx)
    if check and (unaccounted - outsiders or (numbered_to(lines, check) or 0) > found):
        # A numbered row of a list of subjects names nobody found, or the numbering runs
        # past the persons found (a row lost whole): someone's record would miss this.
        return _incomplete(subjects, reasons, folder_hint)
    if check and _lost_row(board, check, subjects, ctx):
        return _incomplete(subjects, reasons, folder_hint)
    enumerations = _enumerations(extracted, ctx) if ctx.lists_are_subjects else []
    if _enumeration_incomplete(board, subjects, enumerations):
        # A sentence enumerating the subjects names one more whose name is near a registered
        # one but was not found (OCR damaged it): someone's record would miss this.
        return _incomplete(subjects, reasons, folder_hint)
    size = extracted.group_size
    if size is not None and size < found and \
            _count_misread_short(extracted.group_size_raw, found):
        # "จำนวน ๒ ราย" with five found: the count was misread (๖ as ๒), and whatever it was
        # printed as, it names more than were found.
        return _incomplete(subjects, reasons, folder_hint)
    listed = extracted.listed - len(attendees)
    if category in LISTS_OF_SUBJECTS and listed > (size or 0):
        size = listed  # every numbered name in such a list (not its meeting's) is a subject
    if size is not None and found < size <= MAX_GROUP:
        # "จำนวน ๕ ราย" but fewer found: someone's record would miss this order.
        return _incomplete(subjects, reasons, folder_hint)
    # A list that names strangers by name alone (or by an outside office: _office_rows) mixes
    # the agency's people with others: a name on it vouches for nobody (a club member may
    # bear a teacher's name); each member must be proven on their own row. (A stranger whose
    # row prints their own ID is told apart by it.)
    mixed = bool((strangers | offices) - by_id)
    if mixed:
        _not_distinct_among_strangers(board, subjects, rows or check, ctx)
        unsure = [f for f in subjects if f.points < LINKED]
    if unsure and rows:
        _list_members(board, subjects, rows, extracted, ctx, mixed=mixed)
        unsure = [f for f in subjects if f.points < LINKED]
    if unsure and enumerations and not mixed:
        _named_together(board, subjects, enumerations, ctx)
        unsure = [f for f in subjects if f.points < LINKED]
    # A person named only, whose own lines of a list's row say they are no civil servant or
    # not the agency's (a contract teacher, a nurse) while the registry holds them as one:
    # the same name may be a stranger's, or the paper from before their service; a person
    # decides.
    unsure += [f for f in subjects if f not in unsure and _role_in_doubt(board, f, subjects,
                                                                         all_rows, ctx)]
    if unsure:
        reasons.append("owner_uncertain" if len(subjects) == 1 else "group_member_uncertain")
        return PersonLinks("needs_review", [f for f in subjects if f.points >= CANDIDATE],
                           reasons, folder_hint)
    if len(subjects) > 1 and rows and _stray_name(board, subjects, rows, ctx):
        reasons.append("group_incomplete")
        return PersonLinks("needs_review", subjects, reasons, folder_hint)
    return PersonLinks("linked", subjects, reasons, folder_hint)
