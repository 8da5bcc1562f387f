"""Executing a destruction order: journalled, one owner at a time, resumable after any crash.

The first run writes a journal row per owner on the order (struck names left out). Each owner
then goes pending -> objects_pending (catalog transaction) -> done (objects deleted), or is
skipped when the run-time re-check refuses. A run killed anywhere is simply run again: it
picks up every row that is not done, and finally issues the certificate.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from archive import audit
from archive.archive import Archive
from archive.catalog.retention import (
    DestructionCertificate,
    DestructionJournal,
    DestructionOrder,
    ProposalItem,
    Tombstone,
)
from archive.objectstore import ObjectStore
from retention.certificate import issue_certificate
from retention.destroy import destroy_catalog, pending_objects
from retention.errors import RetentionError
from retention.faults import crash_point

log = logging.getLogger(__name__)

FINAL_STATES = ("done", "skipped")
DELETE_THREADS = 8


@dataclass
class ExecutionReport:
    order_id: str
    state: str
    destroyed: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    certificate: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "state": self.state,
            "destroyed": self.destroyed,
            "skipped": self.skipped,
            "documents_destroyed": sum(d["documents_destroyed"] for d in self.destroyed),
            "documents_unlinked": sum(d["documents_unlinked"] for d in self.destroyed),
            "bytes": sum(d["bytes"] for d in self.destroyed),
            "certificate": self.certificate,
        }


def _start(archive: Archive, order_id: str, actor: str) -> None:
    """approved -> executing, with the journal; an order already executing resumes as it is."""
    with archive.catalog.session() as s:
        order = s.execute(
            select(DestructionOrder).where(DestructionOrder.id == order_id).with_for_update()
        ).scalar_one_or_none()
        if order is None:
            raise RetentionError(f"no destruction order {order_id}")
        if order.state != "approved":
            return
        items = s.scalars(
            select(ProposalItem)
            .where(ProposalItem.proposal_id == order.proposal_id, ProposalItem.struck.is_(False))
            .order_by(ProposalItem.position)
        ).all()
        now = datetime.now(UTC)
        s.add_all(
            DestructionJournal(order_id=order.id, position=i.position, citizen_id=i.citizen_id,
                               state="pending", updated_at=now)
            for i in items
        )
        order.state, order.executed_by, order.started_at = "executing", actor, now
        audit.append(
            s, action="retention.execute.start", subject=f"destruction_order:{order.id}",
            actor=actor, details={"persons": len(items)},
        )


def _open_journal(archive: Archive, order_id: str) -> list[tuple[int, str]]:
    with archive.catalog.session() as s:
        rows = s.execute(
            select(DestructionJournal.id, DestructionJournal.state)
            .where(DestructionJournal.order_id == order_id,
                   DestructionJournal.state.not_in(FINAL_STATES))
            .order_by(DestructionJournal.position)
        ).all()
    return [(jid, state) for jid, state in rows]


def _destroy_in_catalog(archive: Archive, journal_id: int, today: date, actor: str) -> str:
    with archive.catalog.session() as s:
        journal = s.execute(
            select(DestructionJournal).where(DestructionJournal.id == journal_id)
            .with_for_update()
        ).scalar_one()
        if journal.state != "pending":  # another run got here first
            return journal.state
        outcome = destroy_catalog(s, archive.store, journal, today=today, actor=actor)
        crash_point("retention_before_commit")
    return outcome.state


def _delete_folder(store: ObjectStore, keys: list[str]) -> int:
    for key in keys:
        store.delete(key)  # every version; absent is not an error, so re-runs are safe
    return len(keys)


def _delete_objects(archive: Archive, journal_id: int, pool: ThreadPoolExecutor) -> None:
    with archive.catalog.session() as s:
        keys = pending_objects(s, journal_id)
    # Documents in parallel (each delete waits on a disk flush or a round trip), the objects
    # of one document in turn: the folder store prunes a folder once it is empty.
    folders: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        folders[key.rsplit("/", 1)[0]].append(key)
    for done in as_completed([pool.submit(_delete_folder, archive.store, group)
                              for group in folders.values()]):
        done.result()
        crash_point("retention_object_deleted")
    with archive.catalog.session() as s:
        journal = s.get(DestructionJournal, journal_id)
        assert journal is not None
        journal.state, journal.updated_at = "done", datetime.now(UTC)


def _finish(archive: Archive, order_id: str, actor: str) -> None:
    with archive.catalog.session() as s:
        order = s.execute(
            select(DestructionOrder).where(DestructionOrder.id == order_id).with_for_update()
        ).scalar_one()
        if order.state == "executed":
            return
        left = s.scalar(
            select(func.count()).select_from(DestructionJournal)
            .where(DestructionJournal.order_id == order_id,
                   DestructionJournal.state.not_in(FINAL_STATES))
        )
        if left:
            raise RetentionError(f"order {order_id} still has {left} owners to destroy")
        order.state, order.finished_at = "executed", datetime.now(UTC)
        audit.append(s, action="retention.execute.finish", subject=f"destruction_order:{order_id}",
                     actor=actor)


def execute_order(
    archive: Archive, order_id: str, *, actor: str, today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExecutionReport:
    """Carry out (or resume) an approved order, then issue its certificate. Idempotent."""
    today = today or date.today()
    _start(archive, order_id, actor)
    todo = _open_journal(archive, order_id)
    with ThreadPoolExecutor(max_workers=DELETE_THREADS) as pool:
        for n, (journal_id, state) in enumerate(todo, start=1):
            if state == "pending":
                state = _destroy_in_catalog(archive, journal_id, today, actor)
                crash_point("retention_after_catalog")
            if state == "objects_pending":
                _delete_objects(archive, journal_id, pool)
            if progress:
                progress(n, len(todo))
    _finish(archive, order_id, actor)
    certificate = issue_certificate(archive, order_id, actor=actor)
    return execution_report(archive, order_id, certificate=certificate)


def execution_report(
    archive: Archive, order_id: str, *, certificate: dict[str, Any] | None = None
) -> ExecutionReport:
    with archive.catalog.session() as s:
        order = s.get(DestructionOrder, order_id)
        if order is None:
            raise RetentionError(f"no destruction order {order_id}")
        report = ExecutionReport(order_id=order_id, state=order.state)
        tombstones = {t.citizen_id: t for t in s.scalars(
            select(Tombstone).where(Tombstone.order_id == order_id)
        )}
        for j in s.scalars(select(DestructionJournal).where(DestructionJournal.order_id == order_id)
                           .order_by(DestructionJournal.position)):
            if j.state == "skipped":
                report.skipped.append({"citizen_id": j.citizen_id, "reason": j.skip_reason})
            elif j.citizen_id in tombstones:
                t = tombstones[j.citizen_id]
                report.destroyed.append({
                    "citizen_id": t.citizen_id, "state": j.state,
                    "left_service_on": t.left_service_on.isoformat(),
                    "documents_destroyed": t.documents_destroyed,
                    "documents_unlinked": t.documents_unlinked, "bytes": t.bytes_destroyed,
                })
        if certificate is None:
            cert = s.get(DestructionCertificate, order_id)
            if cert is not None:
                certificate = {"json_sha256": cert.json_sha256, "pdf_sha256": cert.pdf_sha256}
        report.certificate = certificate
    return report
