"""Putting documents straight into a real archive (catalog rows, text object, outbox), no OCR."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from archive.archive import Archive
from archive.catalog import Document, DocumentEntry, DocumentPerson, Person, RecordEntry, Unit
from archive.catalog.outbox import enqueue
from archive.documents import ObjectSource, object_key, write_objects
from archive.thai import citizen_id_check_digit


def citizen_id(n: int) -> str:
    first12 = f"1{n:011d}"
    return first12 + str(citizen_id_check_digit(first12))


def add_unit(archive: Archive, path: str) -> int:
    """The unit at `path` ("A > B > C"), creating it and its parents as needed."""
    parent_id = None
    with archive.catalog.session() as s:
        parts = path.split(" > ")
        for depth in range(1, len(parts) + 1):
            sub = " > ".join(parts[:depth])
            unit = s.query(Unit).filter_by(path=sub).one_or_none()
            if unit is None:
                unit = Unit(name=parts[depth - 1], path=sub, parent_id=parent_id)
                s.add(unit)
                s.flush()
            parent_id = unit.id
    assert parent_id is not None
    return parent_id


def add_person(archive: Archive, cid: str, prefix: str, first: str, last: str,
               unit: str | None = None) -> None:
    unit_id = add_unit(archive, unit) if unit else None
    now = datetime.now(UTC)
    with archive.catalog.session() as s:
        s.add(Person(citizen_id=cid, prefix=prefix, first_name=first, last_name=last,
                     unit_id=unit_id, status="active", created_at=now, updated_at=now))


def store_document(
    archive: Archive, text: str, *, name: str = "scan.pdf", category: str | None = None,
    persons: Sequence[tuple[str, str]] = (), entry_refs: Sequence[str] = (),
    outbox: bool = True, created_at: datetime | None = None, document_id: str | None = None,
) -> str:
    """A stored document as ingest leaves it; persons are (citizen_id, linked|candidate)."""
    document_id = document_id or uuid.uuid4().hex
    original = f"{document_id} {text}".encode()
    sha = hashlib.sha256(original).hexdigest()
    rows = write_objects(archive.store, [
        ObjectSource("original", object_key(sha, "original"), data=original),
        ObjectSource("text", object_key(sha, "text"), data=text.encode("utf-8")),
    ])
    with archive.catalog.session() as s:
        doc = Document(id=document_id, sha256=sha, size=len(original), pages=1,
                       original_name=name, media_type="application/pdf", category=category,
                       link="linked" if persons else "unlinked", warnings=[],
                       created_at=created_at or datetime.now(UTC))
        doc.objects.extend(rows)
        s.add(doc)
        for cid, state in persons:
            person = s.query(Person).filter_by(citizen_id=cid).one()
            s.add(DocumentPerson(document_id=document_id, person_id=person.id, state=state,
                                 confidence=0.99 if state == "linked" else 0.5, reasons=[]))
        for n, ref in enumerate(entry_refs):
            owner = s.query(Person).filter_by(citizen_id=persons[0][0]).one()
            entry = RecordEntry(entry_id=f"{document_id[:8]}-{n}", person_id=owner.id,
                                section="position_salary", order_ref=ref, title="คำสั่ง",
                                created_at=datetime.now(UTC), updated_at=datetime.now(UTC))
            s.add(entry)
            s.flush()
            s.add(DocumentEntry(document_id=document_id, entry_pk=entry.id, confidence=0.9,
                                reasons=[]))
        if outbox:
            enqueue(s, document_id)
    return document_id
