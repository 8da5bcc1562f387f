"""Checking the object store against the catalog: every object present, intact, accounted for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from archive.archive import Archive
from archive.catalog.models import DocumentObject
from archive.catalog.retention import DestructionJournal, DestructionJournalObject
from archive.objectstore import ObjectNotFound

OBJECT_PREFIX = "documents/"


@dataclass
class Problem:
    # checksum_mismatch | missing_object | orphan_object | destruction_pending | index_missing |
    # index_stale
    kind: str
    document_id: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "document_id": self.document_id, "detail": self.detail}


@dataclass
class VerifyReport:
    objects: int = 0
    ok: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "ok": self.ok,
            "problems": [p.as_dict() for p in self.problems],
        }


def verify_objects(
    archive: Archive, *, progress: Callable[[int], None] | None = None
) -> VerifyReport:
    """Recompute every catalogued object's sha256; list objects the catalog does not name."""
    report = VerifyReport()
    known: set[str] = set()
    with archive.catalog.session() as s:
        rows = s.execute(
            select(DocumentObject.document_id, DocumentObject.key, DocumentObject.sha256)
            .order_by(DocumentObject.key)
        ).all()
        # Objects an interrupted destruction still has to delete: catalog rows are gone by
        # design, so name the unfinished order rather than calling them orphans.
        pending = {
            key: (document_id, order_id)
            for key, document_id, order_id in s.execute(
                select(DestructionJournalObject.key, DestructionJournalObject.document_id,
                       DestructionJournal.order_id)
                .join(DestructionJournal,
                      DestructionJournal.id == DestructionJournalObject.journal_id)
                .where(DestructionJournal.state == "objects_pending")
            ).all()
        }
    for document_id, key, sha256 in rows:
        known.add(key)
        report.objects += 1
        try:
            actual = archive.store.checksum(key)
        except ObjectNotFound:
            report.problems.append(Problem(
                "missing_object", document_id, f"{key} is in the catalog but not in the store"
            ))
            continue
        if actual != sha256:
            report.problems.append(Problem(
                "checksum_mismatch", document_id,
                f"{key}: stored bytes hash to {actual}, catalog says {sha256}",
            ))
            continue
        report.ok += 1
        if progress:
            progress(report.objects)
    for key in archive.store.iter_keys(OBJECT_PREFIX):
        if key in pending and key not in known:
            document_id, order_id = pending[key]
            report.problems.append(Problem(
                "destruction_pending", document_id,
                f"{key} awaits deletion by destruction order {order_id}; finish it with "
                f"`tabian retention execute {order_id}`",
            ))
        elif key not in known:
            report.problems.append(Problem(
                "orphan_object", None, f"{key} is in the store but no catalogued document names it"
            ))
    return report
