"""Reading one document of a record: who may (a reader of some record it is filed in), its
metadata and text as `documents show` gives them, and streamed downloads whose sha256 is checked
on the way out. Every read and download is audited in the caller's transaction."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from api.access import Action, Principal, Target, allows, sections_visible
from api.http.errors import ApiError, not_found
from api.services.records import visible_categories
from archive import audit
from archive.catalog import Document, DocumentEntry, DocumentPerson, Person, RecordEntry
from archive.documents import show_document
from archive.objectstore import ObjectNotFound, ObjectStore
from archive.objectstore.base import ChecksumMismatch

log = logging.getLogger(__name__)

DOWNLOAD_KINDS = ("original", "archive")
CHUNK = 1024 * 1024  # reading uploads


class DocumentOut(TypedDict):
    document_id: str
    original_name: str
    sha256: str
    pages: int
    category: str | None
    category_confidence: float
    citizen_ids: list[str]
    link: str
    entry_ids: list[str]
    warnings: list[str]
    text: str
    media_type: str
    size: int
    downloads: list[str]
    owners: list[dict[str, str]]


def _reaches(db: Session, principal: Principal, doc: Document, owner: Person) -> bool:
    """Whether the caller may read `doc` as part of `owner`'s record; a recorder limited to
    some sections reads only the evidence of those sections and their reference documents."""
    if not allows(principal, Action.READ_RECORD, Target.of(owner)):
        return False
    sections = sections_visible(principal, owner)
    if sections is None:
        return True
    cats = visible_categories(sections) or frozenset()
    if doc.category in cats:
        return True
    return db.scalar(
        select(RecordEntry.id).join(DocumentEntry, DocumentEntry.entry_pk == RecordEntry.id)
        .where(DocumentEntry.document_id == doc.id, RecordEntry.person_id == owner.id,
               RecordEntry.section.in_(sorted(sections))).limit(1)
    ) is not None


def readable_document(db: Session, principal: Principal, document_id: str) -> tuple[Document,
                                                                                   list[Person]]:
    """The document and the owners the caller reaches it through; not found otherwise (a
    document outside the caller's scope, or not yet filed in anyone's record)."""
    doc = db.get(Document, document_id)
    if doc is None:
        raise not_found("เอกสาร")
    owners = db.scalars(
        select(Person).join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .where(DocumentPerson.document_id == doc.id, DocumentPerson.state == "linked")
        .order_by(Person.citizen_id)
    ).all()
    reached = [p for p in owners if _reaches(db, principal, doc, p)]
    if not reached:
        raise not_found("เอกสาร")
    return doc, reached


def read(db: Session, store: ObjectStore, principal: Principal, document_id: str) -> DocumentOut:
    doc, owners = readable_document(db, principal, document_id)
    shown = show_document(db, store, doc.id)
    assert shown is not None
    # Only the owners the caller may see are named; other linked owners stay hidden.
    visible = {p.citizen_id for p in owners}
    kinds = {o.kind for o in doc.objects}
    out: DocumentOut = {
        **shown,  # type: ignore[typeddict-item]
        "citizen_ids": [c for c in shown["citizen_ids"] if c in visible],
        "media_type": doc.media_type, "size": doc.size,
        "downloads": [k for k in DOWNLOAD_KINDS if k in kinds],
        "owners": [{"citizen_id": p.citizen_id, "full_name": p.full_name} for p in owners],
    }
    audit.append(db, action="document.read", subject=f"document:{doc.id}",
                 actor=principal.actor, details={"via": [p.citizen_id for p in owners]})
    return out


@dataclass(frozen=True)
class Download:
    """What a download response needs: the chunks, their size, type and file name."""

    chunks: Iterator[bytes]
    size: int
    media_type: str
    filename: str

    @property
    def content_disposition(self) -> str:
        return content_disposition(self.filename)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """An ASCII fallback name and the real (Thai) name in RFC 5987 form."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_") or "document"
    return (f'{disposition}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")


def download(db: Session, store: ObjectStore, principal: Principal, document_id: str,
             kind: str) -> Download:
    """Open a document's original or archive (PDF/A) copy for streaming; audited."""
    doc, owners = readable_document(db, principal, document_id)
    obj = next((o for o in doc.objects if o.kind == kind), None)
    if obj is None:
        raise ApiError(404, "no_such_copy", "เอกสารนี้ไม่มีไฟล์ชนิดที่ขอ"
                       if kind == "original" else "เอกสารนี้ยังไม่มีไฟล์ PDF/A สำหรับเก็บถาวร")
    try:
        stream = store.open_stream(obj.key)
    except ObjectNotFound as exc:
        log.error("document %s: %s object %s is missing from the store", doc.id, kind, obj.key)
        raise ApiError(500, "object_missing",
                       "ไม่พบไฟล์ในคลังจัดเก็บ กรุณาแจ้งผู้ดูแลระบบให้ตรวจสอบ (tabian verify)") from exc
    stem = PurePath(doc.original_name).stem or doc.id
    if kind == "original":
        name, media_type = doc.original_name, doc.media_type
    else:
        name, media_type = f"{stem}.pdfa.pdf", "application/pdf"
    audit.append(db, action="document.download", subject=f"document:{doc.id}",
                 actor=principal.actor,
                 details={"kind": kind, "sha256": obj.sha256, "size": obj.size,
                          "via": [p.citizen_id for p in owners]})
    return Download(verified(stream, obj.key, obj.sha256), obj.size, media_type, name)


def verified(stream: Iterator[bytes], key: str, sha256: str) -> Iterator[bytes]:
    """Pass the chunks on, holding the last one back until the whole has matched its sha256:
    a corrupt object ends the response short of its Content-Length, so no client takes a
    damaged file for a whole one."""
    hasher = hashlib.sha256()
    held: bytes | None = None
    try:
        for chunk in stream:
            hasher.update(chunk)
            if held is not None:
                yield held
            held = chunk
        if hasher.hexdigest() != sha256:
            log.error("checksum mismatch streaming %s: expected %s", key, sha256)
            raise ChecksumMismatch(key, sha256, hasher.hexdigest())
        if held is not None:
            yield held
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
