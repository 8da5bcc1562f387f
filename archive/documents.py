"""Where a document's objects live in the store, and how they are written before the catalog row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.catalog.models import DocumentObject
from archive.objectstore import ObjectStore

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
