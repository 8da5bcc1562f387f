"""Keeping the index in step with the catalog: drain the outbox, rebuild, compare for verify."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from archive.archive import Archive
from archive.catalog.outbox import SearchOutbox
from search.backends import index_exists, open_index
from search.base import SearchError, SearchIndex
from search.documents import NO_TEXT, catalog_facts, load_documents

log = logging.getLogger(__name__)

__all__ = ["DrainReport", "drain", "reindex", "sync", "verify_index"]

DRAIN_BATCH = 200


@dataclass
class DrainReport:
    upserted: int = 0
    deleted: int = 0
    rebuilt: int = 0  # documents indexed by a full build (a new or rebuilt index)

    def as_dict(self) -> dict[str, int]:
        return {"upserted": self.upserted, "deleted": self.deleted, "rebuilt": self.rebuilt}


def _pending(archive: Archive, limit: int) -> list[tuple[int, str, str]]:
    with archive.catalog.session() as s:
        rows = s.execute(
            select(SearchOutbox.id, SearchOutbox.document_id, SearchOutbox.op)
            .order_by(SearchOutbox.id).limit(limit)
        ).all()
    return [(i, d, op) for i, d, op in rows]


def _forget(archive: Archive, ids: list[int]) -> None:
    with archive.catalog.session() as s:
        s.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids)))


def _apply(archive: Archive, index: SearchIndex, rows: list[tuple[int, str, str]],
           report: DrainReport) -> None:
    last_op: dict[str, str] = {}
    for _id, document_id, op in rows:
        last_op[document_id] = op  # rows come in id order: the latest wins
    wanted = [d for d, op in last_op.items() if op == "upsert"]
    facts = list(catalog_facts(archive, wanted))
    present = {f.document_id for f in facts}
    # A document gone from the catalog by now is removed whatever the row said.
    gone = [d for d in last_op if d not in present]
    with index.batch() as batch:
        for doc in load_documents(archive, facts):
            batch.upsert(doc)
            report.upserted += 1
        for document_id in gone:
            batch.delete(document_id)
            report.deleted += 1


def drain(archive: Archive, index: SearchIndex, *, batch_size: int = DRAIN_BATCH,
          progress: Callable[[int], None] | None = None) -> DrainReport:
    """Apply every pending outbox row to the index, oldest first; rows go once applied.

    A row is deleted only after the index committed its change, so a crash re-applies it
    (upserts are idempotent). An index that was just created is built from the whole catalog
    first, since the outbox only holds changes made after the last build.
    """
    report = DrainReport()
    if index.created:
        high_water = _high_water(archive)
        report.rebuilt = sync(archive, index)
        with archive.catalog.session() as s:
            s.execute(delete(SearchOutbox).where(SearchOutbox.id <= high_water))
        index.created = False
    while rows := _pending(archive, batch_size):
        _apply(archive, index, rows, report)
        _forget(archive, [r[0] for r in rows])
        if progress:
            progress(report.upserted + report.deleted)
    return report


def _high_water(archive: Archive) -> int:
    with archive.catalog.session() as s:
        return int(s.scalar(select(SearchOutbox.id).order_by(SearchOutbox.id.desc()).limit(1))
                   or 0)


def sync(archive: Archive, index: SearchIndex) -> int:
    """Index what the index lacks or holds stale, and remove what the catalog no longer has."""
    indexed = index.fingerprints()
    facts = [f for f in catalog_facts(archive) if indexed.get(f.document_id) != f.fingerprint]
    known = {f.document_id for f in facts} | set(_catalog_ids(archive))
    written = 0
    for start in range(0, len(facts), DRAIN_BATCH):
        with index.batch() as batch:
            for doc in load_documents(archive, facts[start:start + DRAIN_BATCH]):
                batch.upsert(doc)
                written += 1
    extra = [d for d in indexed if d not in known]
    if extra:
        with index.batch() as batch:
            for document_id in extra:
                batch.delete(document_id)
    return written


def _catalog_ids(archive: Archive) -> list[str]:
    from archive.catalog.models import Document

    with archive.catalog.session() as s:
        return list(s.scalars(select(Document.id)))


def reindex(archive: Archive, index: SearchIndex) -> int:
    """Rebuild the index from the catalog, then catch up with changes made meanwhile.

    The old index answers searches until the new one is swapped in. Documents stored or
    changed during the build are caught by comparing fingerprints after the swap.
    """
    high_water = _high_water(archive)
    written = index.rebuild(load_documents(archive, catalog_facts(archive)))
    with archive.catalog.session() as s:
        s.execute(delete(SearchOutbox).where(SearchOutbox.id <= high_water))
    written += sync(archive, index)
    index.created = False
    return written


def verify_index(archive: Archive) -> list[dict[str, Any]]:
    """Documents missing from the index or stale in it, as verify problems.

    Documents with a pending outbox row are on their way and not reported. An index not
    built yet is not compared: it is built from the whole catalog on first use. An index that
    cannot be read is one problem, index_unreadable.
    """
    try:
        if not index_exists(archive.settings):
            log.info("search index not built yet: it is built on first search or by reindex")
            return []
        with archive.catalog.session() as s:
            pending = set(s.scalars(select(SearchOutbox.document_id)))
        index = open_index(archive.settings)
        try:
            indexed = index.fingerprints()
        finally:
            index.close()
    except SearchError as exc:
        return [{"kind": "index_unreadable", "document_id": None, "detail": str(exc)}]
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in catalog_facts(archive):
        seen.add(f.document_id)
        have = indexed.get(f.document_id)
        if f.document_id in pending or have == f.fingerprint:
            continue
        if have is None:
            problems.append(_problem("index_missing", f.document_id,
                                     "stored in the catalog but not in the search index"))
        elif have.endswith(NO_TEXT):
            problems.append(_problem("index_stale", f.document_id,
                                     "indexed without its text (the text object was missing "
                                     "or damaged when it was indexed)"))
        else:
            problems.append(_problem("index_stale", f.document_id,
                                     "the search index holds an older version of the document"))
    for document_id in sorted(set(indexed) - seen - pending):
        problems.append(_problem("index_stale", document_id,
                                 "in the search index but no longer in the catalog"))
    return problems


def _problem(kind: str, document_id: str, detail: str) -> dict[str, Any]:
    return {"kind": kind, "document_id": document_id,
            "detail": f"{detail}; fix with: tabian reindex"}
