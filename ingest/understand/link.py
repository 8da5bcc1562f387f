"""Who a document belongs to: registry persons weighed on IDs, names and the folder hint.

Each kind of evidence adds points (roughly log-odds) to a person:

| evidence | points |
|---|---|
| citizen ID read exactly, check digit valid, in the registry | 10 |
| ID one OCR slip away, the check digit picks one registry person | 8 |
| damaged ID, registry posterior p (idmatch) | 1.5 + logit(p), at most 7 |
| name with title, same as registered (skeleton, unique in registry) | 5 (less if shared) |
| title, name and surname run together once OCR's stray spaces and line breaks go | 5 |
| name close to a registered one (fuzzy) / first name + start of surname | 2-5 / 2.5 |
| first name and surname both in the text (no title) | 3 |
| first name and surname as one run outside signatures (the title lost; a unique name) | 4 |
| a damaged ID that only fits the ID of a person the text names (likelihood ratio) | 3-7 |
| the first name or surname of a person found by ID on that ID's row (the rest damaged) | 2 |
| the person's registered unit on the row of a list of subjects (or nearly: UNIT_FUZZY) | 3 |
| ID printed next to the name belongs to someone else | -8 |
| folder named by the person's citizen ID | 4 |

Namesakes (the same registered name) share the name's points until the page tells them
apart: an ID reading, the unit on the name's row or on the page; failing that the folder's
person takes the name, unless the page points to another namesake (their unit, their ID),
which leaves the document to a person.

A person is a *subject* when the text alone gives at least MENTIONED points; signers (names
in a signature block), relatives and witnesses do not count (on a house register, though, its
house head is one of the residents it lists), nor, on a paper that prints its
subjects' IDs, a registered name with no ID beside it (a committee member, a father). A
document is `linked` only when every subject reaches LINKED points, a folder hint (if any)
names one of them, and no group is left short ("จำนวน ๕ ราย", or a numbered list of names in
an order, with fewer subjects found). A folder the text contradicts, or any doubt, sends it
to review with the candidates. Precision over recall: a wrong filing is worse than a look by
a person.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from ingest.understand import idmatch
from ingest.understand.extract import (
    Extracted,
    IdReading,
    NameMention,
    has_relative_label,
    is_list_row,
    is_signature_line,
    list_rows,
    numbered_to,
)
from ingest.understand.normal import key_offsets, match_key
from ingest.understand.registry import RegistryIndex, name_key, registry_index

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
LISTS_OF_SUBJECTS = frozenset({"appointment", "status_orders", "background_check",
                               "education_training", "special_service", "martial_law",
                               "decorations", "honors"})


@dataclass
class PersonFinding:
    index: int
    pk: int
    citizen_id: str
    name: str
    id_points: float = 0.0
    name_points: float = 0.0
    unit_points: float = 0.0
    conflict: float = 0.0
    folder: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    with_reading: bool = False  # named next to an ID reading (a row of a list or table)
    namesake_out: bool = False  # the name on the page was settled on a namesake
    lines: set[int] = field(default_factory=set)  # where the page names the person

    @property
    def content(self) -> float:
        return self.id_points + self.name_points + self.unit_points + self.conflict

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
    stop = min(later_names, default=10**9)
    for reading in extracted.ids:
        if reading.line == mention.line and mention.start < reading.start < stop:
            return reading
    for reading in extracted.ids:
        if reading.line == mention.line + 1 and reading.at_line_start:
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


def _relative(item: IdReading | NameMention, ctx: _Context) -> bool:
    """A relative's or witness's ID or name; on a house register the house head is not."""
    return item.relative and not (ctx.household and item.household)


ROW_CONTINUATION = 2  # lines a wrapped (or OCR-broken) table row may run on for


def _row_key(line: int, ctx: _Context) -> str:
    """A row's letters, with its wrapped continuation: the next lines up to the next row,
    a signature or ROW_CONTINUATION lines."""
    parts = [ctx.keys[line]]
    for nxt in range(line + 1, min(line + 1 + ROW_CONTINUATION, len(ctx.keys))):
        raw = ctx.lines[nxt]
        if is_list_row(raw) or is_signature_line(raw):
            break
        parts.append(ctx.keys[nxt])
    return "".join(parts)


def _namesakes(board: _Board, indices: list[int], ctx: _Context, line: int) -> list[int]:
    """Which of several registry persons of the same name a mention means, from what is next
    to it: the one an ID on the page picks; else the one whose registered unit is on the
    name's row, when no other namesake has that unit; else all of them, for now (they share
    the name's points until _settle_namesakes has seen the whole page)."""
    if len(indices) < 2:
        return indices
    by_id = [i for i in indices if i in board.found and board.found[i].id_points >= ID_SURE]
    units = board.reg.unit_keys
    row = _row_key(line, ctx)
    on_row = [i for i in indices if len(units[i]) >= 4 and units[i] in row]
    picked = by_id if len(by_id) == 1 else on_row if len(on_row) == 1 and \
        sum(units[i] == units[on_row[0]] for i in indices) == 1 else indices
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
    for key, found in groups.items():
        everyone = reg.by_name.get(key, found)
        ided = [i for i in everyone if i in board.found and board.found[i].id_points >= ID_SURE]
        on_page = [i for i in everyone if len(units[i]) >= 4 and units[i] in ctx.text_key
                   and sum(units[j] == units[i] for j in everyone) == 1]
        pointed = {i for i in everyone if i in board.found and board.found[i].id_points > 0}
        winner = None
        if len(ided) == 1:
            winner, why = ided[0], "citizen_id"
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


def _unit_on_row(board: _Board, indices: list[int], line: int, ctx: _Context) -> None:
    """A person named in a numbered list of subjects with their registered unit on the same
    row (or the row's wrapped continuation)."""
    if len(indices) != 1 or not ctx.lists_are_subjects or not is_list_row(ctx.lines[line]):
        return
    reg, i = board.reg, indices[0]
    unit, row = reg.unit_keys[i], _row_key(line, ctx)
    if len(unit) >= 4 and unit in row:
        board.unit_evidence(i, {"kind": "unit_on_row", "unit": reg.persons[i].unit})
        return
    if len(unit) < UNIT_FUZZY_MIN:
        return
    # OCR damaged the unit's name (a letter misread, one lost): it still counts when it is
    # this close, and no other registered unit comes as close to what the row says.
    best = process.extract(row, reg.unit_names, scorer=fuzz.partial_ratio, limit=2)
    if best and best[0][0] == unit and best[0][1] >= UNIT_FUZZY and \
            (len(best) < 2 or best[1][1] <= best[0][1] - UNIT_MARGIN):
        board.unit_evidence(i, {"kind": "unit_on_row", "unit": reg.persons[i].unit,
                                "similarity": round(best[0][1], 1)})


def _names(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    reg = board.reg
    for mention in extracted.names:
        if mention.signature or _relative(mention, ctx):
            continue
        matches = reg.names_like(mention.first, mention.last)
        reason: dict[str, Any] = {"read": mention.text}
        if len(matches) > 1 and matches[0][1] == 100.0:
            # Namesakes in the registry: an ID, or the folder with the unit, tells which.
            picked = _namesakes(board, [i for i, _sc in matches], ctx, mention.line)
            matches = [(i, 100.0) for i in picked]
        if matches and matches[0][1] == 100.0:
            shared = len(matches)
            points = NAME_EXACT - 2.0 * math.log(shared)
            reason["kind"] = "name_exact"
            if shared > 1:
                reason["shared_by"] = shared
        elif matches:
            best = max(score for _i, score in matches)
            matches = [(i, s) for i, s in matches if s == best]
            points = min(5.0, 2.0 + 3.0 * (best - 85.0) / 10.0) - 2.0 * math.log(len(matches))
            reason.update(kind="name_fuzzy", similarity=round(best, 1))
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
        if reason["kind"] == "name_exact":
            _unit_on_row(board, [i for i, _s in matches], mention.line, ctx)


def _runs(ctx: _Context, pattern: re.Pattern[str]) -> list[tuple[int, re.Match[str], bool]]:
    """Where a run of name letters (pattern, over match keys) stands on the page once OCR's
    spaces and line breaks are gone: (line, match, whether it runs on into the next line with
    letters). A stray line of Latin garbage between the two halves is skipped; signature
    lines, and runs next to a relative's or witness's label, do not count."""
    found = []
    for n, line in enumerate(ctx.lines):
        key = ctx.keys[n]
        if not key or is_signature_line(line):
            continue
        nxt = n + 1
        while nxt < len(ctx.lines) and ctx.keys[nxt] and not _THAI.search(ctx.keys[nxt]):
            nxt += 1  # OCR's garbage from a stamp or a rule between the two lines
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


def _joined_names(board: _Board, ctx: _Context) -> None:
    """Registered titled names found in the page's letters once spaces and line breaks are
    gone: what OCR split ("นางสาวศิริพ ร สายทอ ง", a surname on the next line) is whole
    again (see _runs)."""
    reg = board.reg
    if reg.titled is None:
        return
    for n, match, wraps in _runs(ctx, reg.titled):
        indices = _namesakes(board, list(reg.by_titled[match.group()]), ctx, n)
        points = NAME_JOINED - 2.0 * math.log(len(indices))
        reason: dict[str, Any] = {"kind": "name_joined", "read": ctx.lines[n].strip()[:60]}
        if len(indices) > 1:
            reason["shared_by"] = len(indices)
        for i in indices:
            board.name_evidence(i, points, dict(reason))
            board.found[i].lines.update((n, n + 1) if wraps else (n,))
        _unit_on_row(board, indices, n, ctx)


def _id_support(board: _Board, extracted: Extracted, ctx: _Context) -> None:
    """A damaged ID reading that the registry as a whole cannot place, but that fits the ID
    of a person the page names: names narrow the candidates, the reading confirms one."""
    reg = board.reg
    readings = [r for r in extracted.ids
                if not _relative(r, ctx) and not (r.exact and r.exact in reg.by_id)]
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


def _check_conflict(board: _Board, i: int, reading: IdReading, ctx: _Context) -> None:
    """The ID printed with the name cannot be this person's: a namesake, not them."""
    person = board.found[i]
    if _relative(reading, ctx) or person.conflict:
        return
    # By likelihood, not by the check digit: one Thai-digit reading in ten that OCR got
    # wrong still passes the check digit.
    ids = idmatch.id_matrix([person.citizen_id])
    score, background = idmatch.score_registry(reading.symbols, ids, arabic=reading.arabic)
    if float(score[0]) - background < -6.0:
        person.conflict = ID_CONFLICT
        person.reasons.append({"kind": "citizen_id_conflict", "read": reading.raw})


def _name_on_id_row(board: _Board, ctx: _Context) -> None:
    """A person found by ID whose name OCR damaged past recognition: their first name or
    surname on the row of that ID still says the reading was no accident."""
    for i, f in board.found.items():
        line = board.id_line.get(i)
        if line is None or f.name_points > 0 or f.id_points < ID_SURE or f.conflict:
            continue
        person = board.reg.persons[i]
        lo = max(0, line - 1)  # a name cell may sit a line above the ID when a row wraps
        row = "".join(ctx.keys[lo:line]) + _row_key(line, ctx)
        for part in (match_key(person.first_name), match_key(person.last_name)):
            if len(part) >= 4 and part in row:
                board.name_evidence(i, NAME_ON_ROW, {"kind": "name_on_id_row", "part": part})
                break


def _unaccounted_rows(board: _Board, subjects: list[PersonFinding],
                      rows: list[tuple[int, int]]) -> list[int]:
    """Numbered rows of a list of subjects on which no subject was recognised, by name or
    by ID."""
    named = set().union(*(f.lines for f in subjects)) | \
        {board.id_line[f.index] for f in subjects if f.index in board.id_line}
    return [first for first, last in rows if not any(n in named for n in range(first, last + 1))]


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


def link_persons(session: Session, text: str, extracted: Extracted, *,
                 folder_hint: str | None, category: str | None = None,
                 category_sure: bool = False) -> PersonLinks:
    """category_sure: the category is above the confidence bar, so what it implies about
    lists of names (LISTS_OF_SUBJECTS) may add evidence, not only demand it."""
    reg = registry_index(session)
    board = _Board(reg)
    folder_index = reg.by_id.get(folder_hint) if folder_hint else None
    lines = text.replace("\f", "\n").split("\n")
    text_key = match_key(text)
    ctx = _Context(lines, [match_key(ln) for ln in lines], text_key, folder_index,
                   category_sure and category in LISTS_OF_SUBJECTS,
                   category_sure and category == "house_registration")
    _ids(board, extracted, ctx)
    _names(board, extracted, ctx)
    _joined_names(board, ctx)
    _id_support(board, extracted, ctx)
    _settle_namesakes(board, ctx)
    targets = {i for i, f in board.found.items() if f.name_points == 0 and not f.namesake_out}
    if folder_index is not None:
        targets.add(folder_index)
    _name_parts(board, ctx, targets)
    _name_on_id_row(board, ctx)
    if folder_index is not None:
        finding = board.get(folder_index)
        finding.folder = FOLDER
        finding.reasons.append({"kind": "folder_hint"})
    mentioned = [f for f in board.found.values() if f.content >= MENTIONED]
    # A paper that prints its subjects' IDs names others in passing (a committee, a father,
    # the previous holder of a post): a registered name with no ID beside it is one of those.
    uses_ids = any(f.id_points >= ID_SURE for f in mentioned)
    all_rows = list_rows(lines)
    rows = all_rows if ctx.lists_are_subjects else []
    row_lines = {n for first, last in rows for n in range(first, last + 1)}
    subjects = sorted((f for f in mentioned
                       if not (uses_ids and f.id_points == 0 and not f.with_reading
                               and not f.folder and not f.lines & row_lines)),
                      key=lambda f: -f.points)
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
    unsure = [f for f in subjects if f.points < LINKED]
    # The check only ever holds a document back, so it runs whenever the list may be one of
    # subjects: the category says so (however sure), or several persons are being linked.
    check = all_rows if category in LISTS_OF_SUBJECTS or len(subjects) > 1 else []
    if check and (_unaccounted_rows(board, subjects, check) or
                  (numbered_to(lines, check) or 0) > len(subjects)):
        # A numbered row of a list of subjects names nobody found, or the numbering runs
        # past the persons found (a row lost whole): someone's record would miss this.
        reasons.append("group_incomplete")
        return PersonLinks("needs_review", [f for f in subjects if f.points >= CANDIDATE],
                           reasons, folder_hint)
    size = extracted.group_size
    if category in LISTS_OF_SUBJECTS and extracted.listed > (size or 0):
        size = extracted.listed  # every numbered name in such a list is one of its subjects
    if size is not None and len(subjects) < size <= MAX_GROUP:
        # "จำนวน ๕ ราย" but fewer found: someone's record would miss this order.
        reasons.append("group_incomplete")
        return PersonLinks("needs_review", [f for f in subjects if f.points >= CANDIDATE],
                           reasons, folder_hint)
    if unsure:
        reasons.append("owner_uncertain" if len(subjects) == 1 else "group_member_uncertain")
        return PersonLinks("needs_review", [f for f in subjects if f.points >= CANDIDATE],
                           reasons, folder_hint)
    return PersonLinks("linked", subjects, reasons, folder_hint)
