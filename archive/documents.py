"""Where a document's objects live in the store, and how they are written before the catalog row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from archive.catalog.models import DocumentObject
from archive.objectstore import ObjectStore

if TYPE_CHECKING:
    from archive.archive import Archive

OBJECT_NAMES = {
    "original": "original.pdf",
    "archive": "archive.pdf",
    "text": "text.txt",
    "thumbnail": "thumbnail.png",
}


def object_key(sha256: str, kind: str, *, original_suffix: str = ".pdf") -> str:
    """documents/<sha256[:2]>/<sha256>/<name>: content-addressed by the original's sha256."""
    name = OBJECT_NAMES[kind]
    if kind == "original":
        name = "original" + (original_suffix.lower() or ".bin")
    return f"documents/{sha256[:2]}/{sha256}/{name}"


@dataclass(frozen=True)
class ObjectSource:
    """One object to store: a file on disk or bytes in memory."""

    kind: str
    key: str
    path: Path | None = None
    data: bytes | None = None


def write_objects(store: ObjectStore, sources: list[ObjectSource]) -> list[DocumentObject]:
    """Write every object, then return catalog rows naming them (objects precede the row).

    A crash between the two leaves orphans that `verify` reports and a re-run adopts, never a
    catalog row that points at nothing.
    """
    rows: list[DocumentObject] = []
    for src in sources:
        if src.path is not None:
            info = store.put_file(src.key, src.path)
        else:
            assert src.data is not None
            info = store.put_bytes(src.key, src.data)
        assert info.sha256 is not None
        rows.append(DocumentObject(kind=src.kind, key=src.key, sha256=info.sha256, size=info.size))
    return rows


def show_document(session: Session, store: ObjectStore, document_id: str) -> dict[str, Any] | None:
    """A document's metadata and stored text (the `documents show` fields), inside the caller's
    transaction; the text object's sha256 is checked. Not audited: callers audit the read."""
    from sqlalchemy import select

    from archive.catalog.models import Document, DocumentEntry, DocumentPerson, Person, RecordEntry

    doc = session.get(Document, document_id)
    if doc is None:
        return None
    owners = session.execute(
        select(Person.citizen_id, DocumentPerson.state)
        .join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .where(DocumentPerson.document_id == document_id)
        .order_by(DocumentPerson.confidence.desc(), Person.citizen_id)
    ).all()
    entry_ids = list(session.scalars(
        select(RecordEntry.entry_id)
        .join(DocumentEntry, DocumentEntry.entry_pk == RecordEntry.id)
        .where(DocumentEntry.document_id == document_id)
        .order_by(RecordEntry.entry_id)
    ))
    text_obj = next((o for o in doc.objects if o.kind == "text"), None)
    text = (
        store.get_bytes(text_obj.key, sha256=text_obj.sha256).decode("utf-8")
        if text_obj else ""
    )
    return {
        "document_id": doc.id,
        "original_name": doc.original_name,
        "sha256": doc.sha256,
        "pages": doc.pages,
        "category": doc.category,
        "category_confidence": doc.category_confidence or 0.0,
        "citizen_ids": [cid for cid, _state in owners],
        "link": doc.link,
        "entry_ids": entry_ids,
        "warnings": list(doc.warnings or []),
        "text": text,
    }


def read_document(
    archive: Archive, document_id: str, *, actor: str | None = None
) -> dict[str, Any] | None:
    """A document's metadata and stored text, as `documents show` gives it; the read is audited."""
    from archive import audit

    with archive.catalog.session() as s:
        result = show_document(s, archive.store, document_id)
        if result is None:
            return None
        audit.append(s, action="document.read", subject=f"document:{document_id}", actor=actor)
    return result
