"""Who a document belongs to: registry persons weighed on IDs, names and the folder hint.

Each kind of evidence adds points (roughly log-odds) to a person:

| evidence | points |
|---|---|
| citizen ID read exactly, check digit valid, in the registry | 10 |
| ID one OCR slip away, the check digit picks one registry person | 8 |
| damaged ID, registry posterior p (idmatch) | 1.5 + logit(p), at most 7 |
| name with title, same as registered (skeleton, unique in registry) | 5 (less if shared) |
| name close to a registered one (fuzzy) / first name + start of surname | 2-5 / 2.5 |
| first name and surname both in the text (no title) | 3 |
| ID printed next to the name belongs to someone else | -8 |
| folder named by the person's citizen ID | 4 |

A person is a *subject* when the text alone gives at least MENTIONED points; signers (names
in a signature block), relatives and witnesses do not count, nor, on a paper that prints its
subjects' IDs, a registered name with no ID beside it (a committee member, a father). A
document is `linked` only when every subject reaches LINKED points, a folder hint (if any)
names one of them, and no group is left short ("จำนวน ๕ ราย", or a numbered list of names in
an order, with fewer subjects found). A folder the text contradicts, or any doubt, sends it
to review with the candidates. Precision over recall: a wrong filing is worse than a look by
a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ingest.understand import idmatch
from ingest.understand.extract import Extracted, IdReading, NameMention
from ingest.understand.normal import match_key
from ingest.understand.registry import RegistryIndex, registry_index

ID_EXACT, ID_RESCUED, ID_MAX = 10.0, 8.0, 7.0
ID_SURE = 5.0  # an ID reading this good picks one of several namesakes
NAME_EXACT, NAME_RUN_ON, NAME_PARTS, NAME_PARTIAL = 5.0, 4.5, 3.0, 2.5
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
    conflict: float = 0.0
    folder: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    with_reading: bool = False  # named next to an ID reading (a row of a list or table)

    @property
    def content(self) -> float:
        return self.id_points + self.name_points + self.conflict

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

    def get(self, i: int) -> PersonFinding:
        if i not in self.found:
            k = self.reg.persons[i]
            self.found[i] = PersonFinding(i, k.pk, k.citizen_id, k.full_name)
        return self.found[i]

    def id_evidence(self, i: int, points: float, reason: dict[str, Any]) -> None:
        f = self.get(i)
        if points > f.id_points:
            f.id_points = points
            f.reasons = [r for r in f.reasons if not r["kind"].startswith("citizen_id")]
            f.reasons.append(reason)

    def name_evidence(self, i: int, points: float, reason: dict[str, Any]) -> None:
        f = self.get(i)
        if points > f.name_points:
            f.name_points = points
            f.reasons = [r for r in f.reasons if not r["kind"].startswith("name")]
            f.reasons.append(reason)


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _ids(board: _Board, extracted: Extracted) -> None:
    reg = board.reg
    for reading in extracted.ids:
        if reading.relative:
            continue
        exact = reading.exact
        if exact and exact in reg.by_id:
            board.id_evidence(reg.by_id[exact], ID_EXACT,
                              {"kind": "citizen_id_exact", "read": reading.raw})
            continue
        rescued = [c for c in idmatch.check_digit_rescues(reading.symbols) if c in reg.by_id]
        if len(rescued) == 1:
            board.id_evidence(reg.by_id[rescued[0]], ID_RESCUED,
                              {"kind": "citizen_id_check_digit", "read": reading.raw})
            continue
        matches = reg.ids_like(reading.symbols, arabic=reading.arabic)
        if not matches:
            continue
        i, p, llr = max(matches, key=lambda m: m[1])
        if p >= 0.5:
            board.id_evidence(i, min(ID_MAX, 1.5 + _logit(p)),
                              {"kind": "citizen_id_ocr", "read": reading.raw,
                               "posterior": round(p, 4)})


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


def _names(board: _Board, extracted: Extracted) -> None:
    reg = board.reg
    for mention in extracted.names:
        if mention.signature or mention.relative:
            continue
        matches = reg.names_like(mention.first, mention.last)
        reason: dict[str, Any] = {"read": mention.text}
        if len(matches) > 1 and matches[0][1] == 100.0:
            # Namesakes in the registry: an ID read on the page tells which one is meant.
            by_id = [(i, sc) for i, sc in matches
                     if i in board.found and board.found[i].id_points >= ID_SURE]
            if len(by_id) == 1:
                matches = by_id
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
            if own is not None:
                board.found[i].with_reading = True
                _check_conflict(board, i, own)


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


def _check_conflict(board: _Board, i: int, reading: IdReading) -> None:
    """The ID printed with the name cannot be this person's: a namesake, not them."""
    person = board.found[i]
    if reading.relative or person.conflict:
        return
    # By likelihood, not by the check digit: one Thai-digit reading in ten that OCR got
    # wrong still passes the check digit.
    ids = idmatch.id_matrix([person.citizen_id])
    score, background = idmatch.score_registry(reading.symbols, ids, arabic=reading.arabic)
    if float(score[0]) - background < -6.0:
        person.conflict = ID_CONFLICT
        person.reasons.append({"kind": "citizen_id_conflict", "read": reading.raw})


def _name_parts(board: _Board, text_key: str, indices: set[int]) -> None:
    for i in indices:
        if i in board.found and board.found[i].name_points > 0:
            continue
        person = board.reg.persons[i]
        first, last = match_key(person.first_name), match_key(person.last_name)
        if len(first) >= 3 and len(last) >= 3 and first in text_key and last in text_key:
            board.name_evidence(i, NAME_PARTS, {"kind": "name_parts"})


def link_persons(session: Session, text: str, extracted: Extracted, *,
                 folder_hint: str | None, category: str | None = None) -> PersonLinks:
    reg = registry_index(session)
    board = _Board(reg)
    _ids(board, extracted)
    _names(board, extracted)
    folder_index = reg.by_id.get(folder_hint) if folder_hint else None
    targets = {i for i, f in board.found.items() if f.name_points == 0}
    if folder_index is not None:
        targets.add(folder_index)
    _name_parts(board, match_key(text), targets)
    if folder_index is not None:
        finding = board.get(folder_index)
        finding.folder = FOLDER
        finding.reasons.append({"kind": "folder_hint"})
    mentioned = [f for f in board.found.values() if f.content >= MENTIONED]
    # A paper that prints its subjects' IDs names others in passing (a committee, a father,
    # the previous holder of a post): a registered name with no ID beside it is one of those.
    uses_ids = any(f.id_points >= ID_SURE for f in mentioned)
    subjects = sorted((f for f in mentioned
                       if not (uses_ids and f.id_points == 0 and not f.with_reading
                               and not f.folder)),
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
