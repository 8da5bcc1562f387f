"""The destruction rule of clause 5.6.2 as pure functions of a person's data and the as-of date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from archive.domain import ServiceStatus, add_years, retention_eligible_after

RETENTION_YEARS = 10


class Verdict(StrEnum):
    """What the rule says of one owner on the as-of date."""

    ELIGIBLE = "eligible"
    SUSPENDED = "suspended"  # พักราชการ: never destroyed
    ORDERED_OUT_PENDING = "ordered_out_pending"  # ให้ออกจากราชการไว้ก่อน: never destroyed
    LEGAL_HOLD = "legal_hold"  # an unreleased hold blocks
    NOT_APPLICABLE = "not_applicable"  # in service, transferred, or not yet past 10 years


# The statuses that are reported as excluded once their date is more than 10 years back.
_NEVER_DESTROYED = {
    ServiceStatus.SUSPENDED.value: Verdict.SUSPENDED,
    ServiceStatus.ORDERED_OUT_PENDING.value: Verdict.ORDERED_OUT_PENDING,
}
LEFT_SERVICE = ServiceStatus.LEFT_SERVICE.value  # an enum lookup per owner shows at 1M owners
STATUSES_OF_INTEREST = (
    ServiceStatus.LEFT_SERVICE.value,
    ServiceStatus.SUSPENDED.value,
    ServiceStatus.ORDERED_OUT_PENDING.value,
)


def past_retention(left_service_on: date, as_of: date) -> bool:
    """More than 10 years: as_of is strictly after the 10th anniversary (29 Feb -> 28 Feb)."""
    return as_of > retention_eligible_after(left_service_on)


def prefilter_before(as_of: date) -> date:
    """A date such that every left_service_on past retention on as_of is earlier than it.

    Generous by two days (leap-day anniversaries), for a SQL pre-filter; `assess` decides.
    """
    return add_years(as_of, -RETENTION_YEARS) + timedelta(days=2)


def last_left_date_past_retention(as_of: date) -> date:
    """The latest date of leaving that is past retention on as_of.

    `past_retention` only grows as the date of leaving moves back, so on as_of it holds exactly
    for the dates up to this one: a review over a registry compares dates instead of calling
    the rule per owner (the tests check both agree).
    """
    day = prefilter_before(as_of)
    while not past_retention(day, as_of):
        day -= timedelta(days=1)
    return day


def status_verdict(status: str, *, held: bool) -> Verdict:
    """`assess` for an owner already known to be past retention."""
    if status in _NEVER_DESTROYED:
        return _NEVER_DESTROYED[status]
    if status != LEFT_SERVICE:
        return Verdict.NOT_APPLICABLE
    return Verdict.LEGAL_HOLD if held else Verdict.ELIGIBLE


def assess(status: str, left_service_on: date | None, as_of: date, *, held: bool) -> Verdict:
    """The rule for one owner. Status beats holds: a suspended owner is reported as suspended.

    Any reason of section 107 counts (died, retired, resigned, ordered out, dismissed, other);
    a transfer to another agency is not leaving service, and an unknown date is never past.
    """
    if left_service_on is None or not past_retention(left_service_on, as_of):
        return Verdict.NOT_APPLICABLE
    return status_verdict(status, held=held)


class Candidate(NamedTuple):
    """An eligible owner with what destroying the record would remove and free.

    (A named tuple, not a dataclass: a review builds one per eligible owner of a registry.)
    """

    person_id: int
    citizen_id: str
    left_service_on: date
    documents: int = 0
    bytes: int = 0
    shared_documents: int = 0


def order_key(candidate: Candidate) -> tuple[date, str]:
    """Destruction order: oldest left_service_on first, then citizen ID."""
    return (candidate.left_service_on, candidate.citizen_id)


def shortest_prefix(ordered: Sequence[Candidate], free_bytes: int) -> list[Candidate]:
    """The shortest oldest-first prefix whose bytes add up to at least free_bytes.

    If even the whole list falls short, all of it: that is as far as the rule allows.
    """
    total = 0
    for i, candidate in enumerate(ordered):
        if total >= free_bytes:
            return list(ordered[:i])
        total += candidate.bytes
    return list(ordered)


# A document of some eligible owner, as the review reads it: (stored bytes, its linked owners
# among the candidates, how many linked owners it has in all). Plain tuples: one per document.
DocumentShare = tuple[int, tuple[int, ...], int]


def attribute_documents(
    ordered_ids: Sequence[int], documents: Iterable[DocumentShare]
) -> dict[int, tuple[int, int, int]]:
    """Per owner (documents in the record, bytes freed, documents only unlinked).

    A document shared with other owners (a group order) is freed only when its last owner is
    destroyed. Walking in destruction order, its bytes go to the owner destroyed last, and only
    if every owner is on the list; for the others it is merely unlinked. Execution in the same
    order frees exactly these bytes.
    """
    rank = {pid: i for i, pid in enumerate(ordered_ids)}
    docs = dict.fromkeys(ordered_ids, 0)
    freed = dict.fromkeys(ordered_ids, 0)
    shared = dict.fromkeys(ordered_ids, 0)
    for size, owners, owner_count in documents:
        if owner_count == 1 and len(owners) == 1:  # the common case: one owner
            pid = owners[0]
            if pid in rank:
                docs[pid] += 1
                freed[pid] += size
            continue
        listed = [pid for pid in owners if pid in rank]
        if not listed:
            continue
        last = max(listed, key=rank.__getitem__)
        all_listed = len(listed) == owner_count
        for pid in listed:
            docs[pid] += 1
            if all_listed and pid == last:
                freed[pid] += size
            else:
                shared[pid] += 1
    return {pid: (docs[pid], freed[pid], shared[pid]) for pid in ordered_ids}
