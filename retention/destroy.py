"""Destroying one owner's record: catalog rows in one transaction, then the stored objects.

The catalog goes first, in a single transaction that also writes the tombstone and the list of
objects to remove (the journal): until it commits the record is whole, after it the record is
gone from every read. The objects, no longer named by any catalog row, are then deleted (every
version); a crash in between leaves only unreachable bytes that the journal names and a re-run
removes. This mirrors ingest, which writes objects before the row that names them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from archive import audit
from archive.catalog.access import CorrectionRequest
from archive.catalog.models import (
    Document,
    DocumentEntry,
    DocumentObject,
    DocumentPerson,
    Person,
    RecordEntry,
)
from archive.catalog.outbox import enqueue
from archive.catalog.retention import DestructionJournal, DestructionJournalObject, Tombstone
from archive.catalog.review import ReviewItem
from archive.objectstore import ObjectNotFound, ObjectStore
from archive.objectstore.base import validate_prefix
from retention.holds import is_held
from retention.rule import Verdict, assess

log = logging.getLogger(__name__)

LINKED = "linked"


@dataclass(frozen=True)
class Outcome:
    """What one step did to one owner: destroyed (catalog gone), skipped (with why), or done."""

    citizen_id: str
    state: str
    skip_reason: str | None = None


def recheck(
    session: Session, citizen_id: str, person: Person | None, today: date
) -> str | None:
    """Why the owner may not be destroyed today (status or holds may have changed), or None."""
    if person is None:
        gone = session.scalar(select(Tombstone.id).where(Tombstone.citizen_id == citizen_id)
                              .limit(1))
        return "already_destroyed" if gone is not None else "not_found"
    verdict = assess(person.status, person.left_service_on, today,
                     held=is_held(session, person.citizen_id))
    if verdict is Verdict.ELIGIBLE:
        return None
    if verdict is Verdict.NOT_APPLICABLE:
        return "not_left_service" if person.status != "left_service" else "not_yet_eligible"
    return verdict.value


def _document_folder(sha256: str) -> str:
    return f"documents/{sha256[:2]}/{sha256}/"


def _uncatalogued_copies(
    store: ObjectStore, document_id: str, sha256: str, known: set[str]
) -> list[dict[str, Any]]:
    """Copies under the document's folder that no catalog row names (a thumbnail cache, an
    orphan of a crashed ingest): destruction must reach them too, so they are journalled."""
    extra = []
    for key in store.iter_keys(validate_prefix(_document_folder(sha256))):
        if key in known:
            continue
        try:
            digest, size = store.checksum(key), store.stat(key).size
        except ObjectNotFound:
            continue
        extra.append({"document_id": document_id, "kind": "uncatalogued", "key": key,
                      "sha256": digest, "size": size, "catalogued": False})
    return extra


def _owned_documents(session: Session, person_id: int) -> list[tuple[str, str, str, int, int]]:
    """(document_id, sha256, original_name, pages, other linked owners) of the owner's record."""
    other = aliased(DocumentPerson)
    others = (
        select(func.count())
        .where(other.document_id == DocumentPerson.document_id, other.state == LINKED,
               other.person_id != person_id)
        .correlate(DocumentPerson)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Document.id, Document.sha256, Document.original_name, Document.pages, others)
        .join(DocumentPerson, DocumentPerson.document_id == Document.id)
        .where(DocumentPerson.person_id == person_id, DocumentPerson.state == LINKED)
        .order_by(Document.id)
    ).all()
    return [(d, sha, name, pages, n) for d, sha, name, pages, n in rows]


def _clean_review_queue(
    session: Session, citizen_id: str, deleted: list[str], kept: list[str]
) -> None:
    """Review items of destroyed documents go with them; on documents that stay, the
    destroyed owner is struck from the candidates, so no name of theirs is left behind."""
    if deleted:
        session.execute(delete(ReviewItem).where(ReviewItem.document_id.in_(deleted)))
    if not kept:
        return
    for item in session.scalars(select(ReviewItem).where(ReviewItem.document_id.in_(kept))):
        remaining = [c for c in item.candidates or []
                     if not (isinstance(c, dict) and c.get("citizen_id") == citizen_id)]
        if len(remaining) != len(item.candidates or []):
            item.candidates = remaining


def destroy_catalog(
    session: Session, store: ObjectStore, journal: DestructionJournal, *, today: date,
    actor: str,
) -> Outcome:
    """Re-check the owner, then remove the record from the catalog and write its tombstone.

    A document shared with an owner who stays (a group order) is only unlinked; it is deleted
    with its objects once no linked owner remains. Runs inside the caller's transaction.
    """
    person = session.execute(
        select(Person).where(Person.citizen_id == journal.citizen_id).with_for_update()
    ).scalar_one_or_none()
    reason = recheck(session, journal.citizen_id, person, today)
    now = datetime.now(UTC)
    if reason is not None:
        journal.state, journal.skip_reason, journal.updated_at = "skipped", reason, now
        audit.append(
            session, action="retention.destroy.skip", subject=f"person:{journal.citizen_id}",
            actor=actor, outcome="skipped", details={"order_id": journal.order_id,
                                                     "reason": reason},
        )
        return Outcome(journal.citizen_id, "skipped", reason)
    assert person is not None and person.left_service_on is not None
    deleted: list[dict[str, Any]] = []
    unlinked: list[str] = []
    objects: list[dict[str, Any]] = []
    owned = _owned_documents(session, person.id)
    catalogued = _objects_by_document(session, [row[0] for row in owned if row[4] == 0])
    for doc_id, sha256, name, pages, other_owners in owned:
        if other_owners:
            unlinked.append(doc_id)
            continue
        rows = catalogued.get(doc_id, [])
        objects += rows
        objects += _uncatalogued_copies(store, doc_id, sha256, {o["key"] for o in rows})
        deleted.append({
            "document_id": doc_id, "sha256": sha256, "original_name": name, "pages": pages,
            "bytes": sum(o["size"] for o in rows),
        })
    deleted_ids = [d["document_id"] for d in deleted]
    # The owner's correction requests and their evidence files are part of the record too.
    objects += _correction_evidence(session, person.id)
    session.execute(delete(CorrectionRequest).where(CorrectionRequest.person_id == person.id))
    # Documents that stay but name the owner: shared ones (unlinked below) and ones where the
    # owner was only a candidate. Their index entries list the owner's name, so refresh them.
    proposed_for = list(session.scalars(select(DocumentPerson.document_id).where(
        DocumentPerson.person_id == person.id, DocumentPerson.state != LINKED
    )))
    kept = unlinked + proposed_for
    _clean_review_queue(session, person.citizen_id, deleted_ids, kept)
    for doc_id in kept:
        enqueue(session, doc_id, "upsert")
    if deleted_ids:
        session.execute(delete(Document).where(Document.id.in_(deleted_ids)))
        for doc_id in deleted_ids:
            enqueue(session, doc_id, "delete")
    entry_pks = select(RecordEntry.id).where(RecordEntry.person_id == person.id)
    session.execute(delete(DocumentEntry).where(DocumentEntry.entry_pk.in_(entry_pks)))
    session.execute(delete(RecordEntry).where(RecordEntry.person_id == person.id))
    session.execute(delete(DocumentPerson).where(DocumentPerson.person_id == person.id))
    tombstone = Tombstone(
        citizen_id=person.citizen_id, full_name=person.full_name,
        left_service_on=person.left_service_on, left_reason=person.left_reason,
        documents_destroyed=len(deleted), documents_unlinked=len(unlinked),
        bytes_destroyed=sum(d["bytes"] for d in deleted), order_id=journal.order_id,
        destroyed_at=now,
    )
    session.execute(delete(Person).where(Person.id == person.id))
    session.add(tombstone)
    if objects:
        session.execute(insert(DestructionJournalObject),
                        [{**o, "journal_id": journal.id} for o in objects])
    journal.deleted_documents, journal.unlinked_documents = deleted, unlinked
    journal.state, journal.updated_at = "objects_pending", now
    audit.append(
        session, action="retention.destroy", subject=f"person:{person.citizen_id}", actor=actor,
        details={"order_id": journal.order_id, "documents_destroyed": deleted_ids,
                 "documents_unlinked": unlinked, "bytes": tombstone.bytes_destroyed,
                 "objects": len(objects)},
    )
    return Outcome(person.citizen_id, "objects_pending")


def _correction_evidence(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Evidence files of the owner's correction requests, as journal rows; a file another
    owner's request also names (the same bytes) stays for them."""
    mine: dict[str, dict[str, Any]] = {}
    for row in session.scalars(
        select(CorrectionRequest).where(CorrectionRequest.person_id == person_id)
    ):
        for ev in row.evidence or []:
            if isinstance(ev, dict) and ev.get("key"):
                mine.setdefault(ev["key"], {
                    "document_id": f"correction-{row.id}", "kind": "evidence",
                    "key": ev["key"], "sha256": ev.get("sha256", ""),
                    "size": int(ev.get("size", 0)), "catalogued": True})
    if not mine:
        return []
    for row in session.scalars(
        select(CorrectionRequest).where(CorrectionRequest.person_id != person_id)
    ):
        for ev in row.evidence or []:
            if isinstance(ev, dict):
                mine.pop(ev.get("key", ""), None)
    return list(mine.values())


def _objects_by_document(
    session: Session, document_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The catalogued objects of each document, as journal rows."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not document_ids:
        return out
    for doc_id, kind, key, sha256, size in session.execute(
        select(DocumentObject.document_id, DocumentObject.kind, DocumentObject.key,
               DocumentObject.sha256, DocumentObject.size)
        .where(DocumentObject.document_id.in_(document_ids))
        .order_by(DocumentObject.document_id, DocumentObject.kind)
    ):
        out.setdefault(doc_id, []).append({"document_id": doc_id, "kind": kind, "key": key,
                                           "sha256": sha256, "size": size, "catalogued": True})
    return out


def pending_objects(session: Session, journal_id: int) -> list[str]:
    """Journalled keys still to delete; a key that a catalog row names again (the same bytes
    ingested anew since) belongs to that document now and is left alone."""
    keys = list(session.scalars(
        select(DestructionJournalObject.key)
        .where(DestructionJournalObject.journal_id == journal_id)
        .order_by(DestructionJournalObject.id)
    ))
    if not keys:
        return []
    named = set(session.scalars(select(DocumentObject.key).where(DocumentObject.key.in_(keys))))
    return [k for k in keys if k not in named]
