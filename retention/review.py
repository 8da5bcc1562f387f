"""The destruction review: the rule applied to the catalog on an as-of date (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from archive.catalog.models import DocumentObject, DocumentPerson, Person
from retention.holds import held_citizen_ids
from retention.rule import (
    LEFT_SERVICE,
    STATUSES_OF_INTEREST,
    Candidate,
    DocumentShare,
    Verdict,
    attribute_documents,
    last_left_date_past_retention,
    order_key,
    shortest_prefix,
    status_verdict,
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
    """SQL selects the owners past retention (a date cutoff derived from the pure rule); the
    status part of the rule and the holds decide each one."""
    rows = session.connection().execute(
        select(Person.id, Person.citizen_id, Person.status, Person.left_service_on).where(
            Person.status.in_(STATUSES_OF_INTEREST),
            Person.left_service_on <= last_left_date_past_retention(as_of),
        )
    ).all()
    held = held_citizen_ids(session)
    eligible: list[Candidate] = []
    excluded: list[Excluded] = []
    for pid, cid, status, left in rows:
        if left is None:  # the query leaves none; this tells the type checker
            continue
        verdict = status_verdict(status, held=cid in held)
        if verdict is Verdict.ELIGIBLE:
            eligible.append(Candidate(pid, cid, left))
        elif verdict is not Verdict.NOT_APPLICABLE:
            excluded.append(Excluded(cid, verdict.value, left))
    eligible.sort(key=order_key)
    excluded.sort(key=lambda e: (e.left_service_on, e.citizen_id))
    return eligible, excluded


def _document_shares(session: Session, as_of: date) -> list[DocumentShare]:
    """Every document linked to a possibly eligible owner: its bytes, those owners, and how
    many linked owners it has in all. One pass, plain rows: this runs over a whole registry."""
    other = aliased(DocumentPerson)
    owner_count = (
        select(func.count()).select_from(other)
        .where(other.document_id == DocumentPerson.document_id, other.state == LINKED)
        .correlate(DocumentPerson).scalar_subquery()
    )
    stored = (
        select(func.coalesce(func.sum(DocumentObject.size), 0))
        .where(DocumentObject.document_id == DocumentPerson.document_id)
        .correlate(DocumentPerson).scalar_subquery()
    )
    rows = session.connection().execute(
        select(DocumentPerson.document_id, DocumentPerson.person_id, owner_count, stored)
        .join(Person, Person.id == DocumentPerson.person_id)
        .where(
            DocumentPerson.state == LINKED,
            Person.status == LEFT_SERVICE,
            Person.left_service_on <= last_left_date_past_retention(as_of),
        )
    ).all()
    shares: dict[str, DocumentShare] = {}
    for doc_id, pid, count, size in rows:
        seen = shares.get(doc_id)
        # int(): PostgreSQL sums to Decimal
        shares[doc_id] = (int(size), (pid,) if seen is None else (*seen[1], pid), count)
    return list(shares.values())


def _cache_for_a_scan(session: Session) -> None:
    """SQLite's default page cache (2 MB) thrashes on the review's lookups over a registry;
    give this connection 256 MB and memory-mapped reads, as a server database would have."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA cache_size = -262144")
        session.connection().exec_driver_sql("PRAGMA mmap_size = 1073741824")


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
        _cache_for_a_scan(session)
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
