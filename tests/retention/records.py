"""Building records for retention tests: persons, and documents stored straight (no OCR)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from unittest import mock

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.archive import Archive
from archive.catalog.models import (
    Document,
    DocumentEntry,
    DocumentPerson,
    IngestBatch,
    IngestItem,
    Person,
    RecordEntry,
)
from archive.documents import ObjectSource, object_key, write_objects
from archive.objectstore import ObjectStore
from archive.thai import citizen_id_check_digit


def cid(n: int) -> str:
    """A valid citizen ID numbered n."""
    first12 = f"3{n:011d}"
    return first12 + str(citizen_id_check_digit(first12))


def add_person(
    session: Session, citizen_id: str, *, status: str = "left_service",
    left_service_on: date | None = date(2010, 1, 1), left_reason: str | None = "retired",
    first_name: str = "สมชาย", last_name: str = "ใจดี", birth_date: date | None = None,
    appointed_on: date | None = None,
) -> Person:
    now = datetime.now(UTC)
    if status != "left_service":
        left_reason = None
    person = Person(
        citizen_id=citizen_id, prefix="นาย", first_name=first_name, last_name=last_name,
        birth_date=birth_date or date(1950, 5, 1), appointed_on=appointed_on,
        status=status, left_service_on=left_service_on, left_reason=left_reason,
        created_at=now, updated_at=now,
    )
    session.add(person)
    session.flush()
    return person


def add_document(
    session: Session, store: ObjectStore, owners: Sequence[Person], *, size: int = 1000,
    kinds: Sequence[str] = ("original", "archive", "text"), category: str | None = "appointment",
    batch_id: str | None = None, name: str | None = None, state: str = "linked",
    text: str | None = None,
) -> Document:
    """A document with real objects in the store, linked to every owner."""
    doc_id = uuid.uuid4().hex
    original = (doc_id.encode() * (size // 32 + 1))[:size]
    sha = hashlib.sha256(original).hexdigest()
    sources = []
    for kind in kinds:
        data = original if kind == "original" else (kind.encode() + original)[:size]
        if kind == "text" and text is not None:
            data = text.encode()
        sources.append(ObjectSource(kind, object_key(sha, kind), data=data))
    doc = Document(
        id=doc_id, sha256=sha, size=size, pages=1, original_name=name or f"{doc_id[:8]}.pdf",
        source_path=None, media_type="application/pdf", category=category,
        category_confidence=1.0, link="linked" if owners else "unlinked", warnings=[],
        folder_hint=None, batch_id=batch_id, created_at=datetime.now(UTC),
    )
    doc.objects.extend(write_objects(store, sources))
    session.add(doc)
    session.flush()
    for owner in owners:
        session.add(DocumentPerson(document_id=doc_id, person_id=owner.id, state=state,
                                   confidence=1.0, reasons=[]))
    session.flush()
    return doc


def add_entry(
    session: Session, person: Person, entry_id: str, *, effective_on: date,
    order_ref: str | None = "12/2569", created_at: datetime | None = None,
    documents: Sequence[Document] = (), title: str = "คำสั่งแต่งตั้ง",
) -> RecordEntry:
    now = created_at or datetime.now(UTC)
    entry = RecordEntry(entry_id=entry_id, person_id=person.id, section="position_salary",
                        effective_on=effective_on, order_ref=order_ref, title=title,
                        state="recorded", created_at=now, updated_at=now)
    session.add(entry)
    session.flush()
    for doc in documents:
        session.add(DocumentEntry(document_id=doc.id, entry_pk=entry.id, confidence=1.0,
                                  reasons=[]))
    session.flush()
    return entry


def add_batch(session: Session, documents: Sequence[Document], *, rejected: int = 0) -> str:
    batch_id = uuid.uuid4().hex
    now = datetime.now(UTC)
    session.add(IngestBatch(id=batch_id, started_at=now, finished_at=now, state="done",
                            actor="test", host="test", pid=1, paths=[], jobs=1, report={}))
    session.flush()
    for doc in documents:
        session.add(IngestItem(batch_id=batch_id, path=f"/scans/{doc.original_name}",
                               sha256=doc.sha256, status="stored", document_id=doc.id, pages=1,
                               reasons=[], warnings=[], finished_at=now))
    for i in range(rejected):
        session.add(IngestItem(batch_id=batch_id, path=f"/scans/bad{i}.pdf", sha256=None,
                               status="rejected", document_id=None, pages=1,
                               reasons=["low_resolution"], warnings=[], finished_at=now))
    return batch_id


def person_exists(archive: Archive, citizen_id: str) -> bool:
    with archive.catalog.session() as s:
        return s.scalar(select(Person.id).where(Person.citizen_id == citizen_id)) is not None


def document_exists(archive: Archive, document_id: str) -> bool:
    with archive.catalog.session() as s:
        return s.get(Document, document_id) is not None


def stored_keys(store: ObjectStore) -> list[str]:
    return list(store.iter_keys("documents/"))


def data_dir_archive(data_dir: Path) -> Archive:
    from archive.archive import open_archive
    from archive.config import load_settings

    return open_archive(load_settings(data_dir))


def approved_order(
    archive: Archive, *, as_of: date, strikes: dict[str, str] | None = None,
    free_bytes: int | None = None,
) -> str:
    """Review -> proposal (records manager) -> order (data controller); the order's id."""
    from retention import approve, propose, run_review, save_review

    with archive.catalog.session() as s:
        review = save_review(s, run_review(s, as_of=as_of, free_bytes=free_bytes),
                             actor="rm:somsri")
        proposal = propose(s, review_id=review.id, actor="rm:somsri", strikes=strikes)
        order = approve(s, proposal_id=proposal.id, actor="dc:prasert", necessity="space",
                        detail="พื้นที่จัดเก็บเต็ม")
        return order.id


@contextmanager
def no_fsync() -> Iterator[None]:
    """Build large test fixtures fast: skip the folder store's flushes to disk (this process
    only; the command under test runs in its own, with them)."""
    with mock.patch("os.fsync"), mock.patch("archive.objectstore.directory.fsync_dir"):
        yield
