"""The destruction review: the rule applied to the catalog on an as-of date (read-only)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalog.models import DocumentObject, DocumentPerson, Person
from archive.domain import ServiceStatus
from retention.holds import held_citizen_ids
from retention.rule import (
    STATUSES_OF_INTEREST,
    Candidate,
    DocumentShare,
    Verdict,
    assess,
    attribute_documents,
    order_key,
    prefilter_before,
    shortest_prefix,
)

LINKED = "linked"


@dataclass
class Excluded:
    citizen_id: str
    reason: str
    left_service_on: date


@dataclass
class Review:
    """What `tabian retention review` prints: eligible in destruction order, and the excluded."""

    as_of: date
    eligible: list[Candidate]
    excluded: list[Excluded]
    free_bytes: int | None = None
    all_eligible: int = 0
    all_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(c.bytes for c in self.eligible)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "eligible": [
                {
                    "citizen_id": c.citizen_id,
                    "left_service_on": c.left_service_on.isoformat(),
                    "documents": c.documents,
                    "bytes": c.bytes,
                    "shared_documents": c.shared_documents,
                }
                for c in self.eligible
            ],
            "excluded": [{"citizen_id": e.citizen_id, "reason": e.reason} for e in self.excluded],
            "bytes": self.bytes,
        }
        if self.free_bytes is not None:
            out["free_bytes"] = self.free_bytes
            out["target_met"] = self.bytes >= self.free_bytes
        out.update(self.extra)
        return out


def _candidates(session: Session, as_of: date) -> tuple[list[Candidate], list[Excluded]]:
    """SQL narrows to owners out of service long enough; the pure rule decides each one."""
    rows = session.execute(
        select(Person.id, Person.citizen_id, Person.status, Person.left_service_on).where(
            Person.left_service_on < prefilter_before(as_of),
            Person.status.in_(STATUSES_OF_INTEREST),
        )
    ).all()
    held = held_citizen_ids(session)
    eligible: list[Candidate] = []
    excluded: list[Excluded] = []
    for pid, cid, status, left in rows:
        if left is None:  # the filter leaves none; this tells the type checker
            continue
        verdict = assess(status, left, as_of, held=cid in held)
        if verdict is Verdict.ELIGIBLE:
            eligible.append(Candidate(pid, cid, left))
        elif verdict is not Verdict.NOT_APPLICABLE:
            excluded.append(Excluded(cid, verdict.value, left))
    eligible.sort(key=order_key)
    excluded.sort(key=lambda e: (e.left_service_on, e.citizen_id))
    return eligible, excluded


def _document_shares(session: Session, as_of: date) -> list[DocumentShare]:
    """Every document linked to a possibly eligible owner, with its bytes and all its owners."""
    possible = (
        select(DocumentPerson.document_id)
        .join(Person, Person.id == DocumentPerson.person_id)
        .where(
            DocumentPerson.state == LINKED,
            Person.status == ServiceStatus.LEFT_SERVICE.value,
            Person.left_service_on < prefilter_before(as_of),
        )
        .distinct()
        .scalar_subquery()
    )
    owners: dict[str, set[int]] = defaultdict(set)
    for doc_id, pid in session.execute(
        select(DocumentPerson.document_id, DocumentPerson.person_id).where(
            DocumentPerson.state == LINKED, DocumentPerson.document_id.in_(possible)
        )
    ):
        owners[doc_id].add(pid)
    sizes: dict[str, int] = {
        doc_id: int(total or 0)
        for doc_id, total in session.execute(
            select(DocumentObject.document_id, func.sum(DocumentObject.size))
            .where(DocumentObject.document_id.in_(possible))
            .group_by(DocumentObject.document_id)
        )
    }
    return [
        DocumentShare(doc_id, sizes.get(doc_id, 0), frozenset(pids))
        for doc_id, pids in owners.items()
    ]


def run_review(session: Session, *, as_of: date, free_bytes: int | None = None) -> Review:
    """Eligible owners oldest first with their documents and freed bytes; the excluded ones.

    Bytes are the stored objects (original, PDF/A, text, thumbnails) of the owner's documents.
    A document shared with other owners counts, once, for the owner whose destruction frees it:
    the last of its owners in destruction order, and only if all of them are eligible.
    """
    if free_bytes is not None and free_bytes < 0:
        raise ValueError("free_bytes must be 0 or more")
    eligible, excluded = _candidates(session, as_of)
    if eligible:
        shares = _document_shares(session, as_of)
        figures = attribute_documents([c.person_id for c in eligible], shares)
        eligible = [
            Candidate(c.person_id, c.citizen_id, c.left_service_on, *figures[c.person_id])
            for c in eligible
        ]
    review = Review(as_of=as_of, eligible=eligible, excluded=excluded, free_bytes=free_bytes,
                    all_eligible=len(eligible), all_bytes=sum(c.bytes for c in eligible))
    if free_bytes is not None:
        review.eligible = shortest_prefix(eligible, free_bytes)
    return review
