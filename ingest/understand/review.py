"""The review queue: documents a person must look at, and the decisions taken on them.

Service functions take the caller's session and leave the commit to it; every check is made
before anything changes, so a refused decision (ReviewError) leaves the catalog as it was.
Accepted and corrected categories are kept as training data (TrainingExample).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.models import Document, DocumentEntry, DocumentPerson, Person, RecordEntry
from archive.catalog.review import ReviewItem, TrainingExample
from archive.domain import CATEGORY_BY_SLUG
from archive.thai import ThaiTextError, parse_citizen_id
from ingest.understand.drafts import create_drafts, propose, remove_drafts

STATES = ("open", "accepted", "corrected", "rejected")


class ReviewError(Exception):
    """A decision that cannot be taken as asked; the message says why (exit 2)."""


def find_item(session: Session, ref: str) -> ReviewItem:
    """A review item by its number, or the latest item of a document (by document id)."""
    item = session.get(ReviewItem, int(ref)) if ref.isdigit() else None
    if item is None:
        item = session.scalar(
            select(ReviewItem).where(ReviewItem.document_id == ref)
            .order_by((ReviewItem.state == "open").desc(), ReviewItem.id.desc()).limit(1))
    if item is None:
        raise ReviewError(f"no review item {ref!r}; list them with: tabian review list")
    return item


def list_items(session: Session, *, state: str | None = "open", limit: int = 50
               ) -> list[ReviewItem]:
    query = select(ReviewItem).order_by(ReviewItem.id).limit(limit)
    if state is not None:
        query = query.where(ReviewItem.state == state)
    return list(session.scalars(query))


def _owners(session: Session, document_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Person.citizen_id, DocumentPerson.state, DocumentPerson.confidence)
        .join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .where(DocumentPerson.document_id == document_id)
        .order_by(DocumentPerson.confidence.desc(), Person.citizen_id)).all()
    return [{"citizen_id": c, "state": s, "confidence": conf} for c, s, conf in rows]


def item_json(session: Session, item: ReviewItem) -> dict[str, Any]:
    doc = item.document
    return {
        "item": item.id, "document_id": item.document_id, "state": item.state,
        "original_name": doc.original_name, "folder_hint": doc.folder_hint,
        "category": doc.category, "category_confidence": doc.category_confidence or 0.0,
        "link": doc.link, "owners": _owners(session, doc.id),
        "reasons": item.reasons, "candidates": item.candidates, "proposal": item.proposal,
        "created_at": item.created_at.isoformat(),
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
        "decided_by": item.decided_by, "decision": item.decision,
    }


def _open(item: ReviewItem) -> None:
    if item.state != "open":
        raise ReviewError(
            f"review item {item.id} was already {item.state} by {item.decided_by} on "
            f"{item.decided_at:%Y-%m-%d %H:%M}; a decision is not taken twice"
            if item.decided_at else f"review item {item.id} is {item.state}, not open")


def _persons(session: Session, citizen_ids: list[str]) -> list[Person]:
    persons = []
    for text in citizen_ids:
        try:
            cid = parse_citizen_id(text)
        except ThaiTextError as exc:
            raise ReviewError(f"--citizen-id {text!r}: {exc}") from exc
        person = session.scalar(select(Person).where(Person.citizen_id == cid))
        if person is None:
            raise ReviewError(f"no person with citizen ID {cid} in the registry; import them "
                              "first (tabian persons import)")
        if person not in persons:
            persons.append(person)
    return persons


def _file(session: Session, item: ReviewItem, *, persons: list[Person], category: str,
          reasons: list[dict[str, Any]], actor: str) -> dict[str, Any]:
    """Link the document to exactly these owners, with its entries and drafts."""
    doc = item.document
    pks = [p.id for p in persons]
    by_citizen = {c["citizen_id"]: c for c in item.candidates}
    session.execute(delete(DocumentPerson).where(DocumentPerson.document_id == doc.id))
    session.execute(delete(DocumentEntry).where(DocumentEntry.document_id == doc.id))
    removed = remove_drafts(session, document_id=doc.id)
    for person in persons:
        found = by_citizen.get(person.citizen_id, {})
        session.add(DocumentPerson(document_id=doc.id, person_id=person.id, state="linked",
                                   confidence=1.0,
                                   reasons=[*found.get("reasons", []), *reasons]))
    entries = [e for e in item.proposal.get("entries", []) if e.get("person_pk") in pks]
    for e in entries:
        if e.get("state") == "recorded" and session.get(RecordEntry, e["entry_pk"]):
            session.add(DocumentEntry(document_id=doc.id, entry_pk=e["entry_pk"],
                                      confidence=e["confidence"], reasons=e["reasons"]))
    drafts = []
    proposal = propose(item.proposal.get("draft_basis") or {}, category)
    if proposal is not None:
        drafts = create_drafts(session, document_id=doc.id, proposal=proposal, person_pks=pks,
                               covered={e["person_pk"] for e in entries})
    doc.link = "linked"
    session.add(TrainingExample(document_id=doc.id, category=category, actor=actor,
                                source=item.state, created_at=datetime.now(UTC)))
    return {"citizen_ids": [p.citizen_id for p in persons], "category": category,
            "entry_ids": sorted(e["entry_id"] for e in entries if e.get("state") == "recorded"),
            "drafts": [d.entry_id for d in drafts], "drafts_removed": removed}


def _decide(item: ReviewItem, state: str, actor: str, decision: dict[str, Any]) -> None:
    item.state = state
    item.decided_at = datetime.now(UTC)
    item.decided_by = actor
    item.decision = decision


def accept(session: Session, *, item: ReviewItem, actor: str | None = None) -> dict[str, Any]:
    """Take the proposal as it stands: the candidates become the owners."""
    _open(item)
    who = actor or audit.current_actor()
    doc = item.document
    if not item.candidates:
        raise ReviewError(f"review item {item.id} proposes no owner; name one with "
                          "tabian review correct --citizen-id ID, or reject it")
    if doc.category is None:
        raise ReviewError(f"review item {item.id} proposes no category; give one with "
                          "tabian review correct --category SLUG")
    persons = _persons(session, [c["citizen_id"] for c in item.candidates])
    item.state = "accepted"
    decision = _file(session, item, persons=persons, category=doc.category,
                     reasons=[{"kind": "review_accepted", "actor": who}], actor=who)
    _decide(item, "accepted", who, decision)
    audit.append(session, action="review.accept", subject=f"document:{doc.id}", actor=who,
                 details={"item": item.id, **decision})
    return decision


def correct(session: Session, *, item: ReviewItem, category: str | None,
            citizen_ids: list[str], note: str | None = None, actor: str | None = None
            ) -> dict[str, Any]:
    """The reviewer's own answer: a category and/or the owners (replacing the proposal)."""
    _open(item)
    who = actor or audit.current_actor()
    doc = item.document
    if category is None and not citizen_ids:
        raise ReviewError("say what is right: --category SLUG and/or --citizen-id ID")
    if category is not None and category not in CATEGORY_BY_SLUG:
        raise ReviewError(f"unknown category {category!r}; one of: "
                          + ", ".join(CATEGORY_BY_SLUG))
    persons = _persons(session, citizen_ids)
    if not persons:
        if doc.link != "linked":
            raise ReviewError(f"document {doc.id} has no owner yet; name them with "
                              "--citizen-id ID (repeat it for a group order)")
        linked = [o["citizen_id"] for o in _owners(session, doc.id) if o["state"] == "linked"]
        persons = _persons(session, linked)
    final = category or doc.category
    if final is None:
        raise ReviewError(f"document {doc.id} has no category yet; give --category SLUG")
    previous = {"category": doc.category, "link": doc.link,
                "citizen_ids": [o["citizen_id"] for o in _owners(session, doc.id)]}
    doc.category, doc.category_confidence = final, 1.0
    item.state = "corrected"
    decision = _file(session, item, persons=persons, category=final,
                     reasons=[{"kind": "review_corrected", "actor": who}], actor=who)
    decision.update(previous=previous, note=note)
    _decide(item, "corrected", who, decision)
    audit.append(session, action="review.correct", subject=f"document:{doc.id}", actor=who,
                 details={"item": item.id, **decision})
    return decision


def reject(session: Session, *, item: ReviewItem, note: str | None = None,
           actor: str | None = None) -> dict[str, Any]:
    """Nobody proposed is the owner: the document stays stored but filed under no one."""
    _open(item)
    who = actor or audit.current_actor()
    doc = item.document
    previous = [c["citizen_id"] for c in item.candidates]
    session.execute(delete(DocumentPerson).where(DocumentPerson.document_id == doc.id))
    session.execute(delete(DocumentEntry).where(DocumentEntry.document_id == doc.id))
    removed = remove_drafts(session, document_id=doc.id)
    doc.link = "unlinked"
    decision = {"rejected_candidates": previous, "drafts_removed": removed, "note": note}
    _decide(item, "rejected", who, decision)
    audit.append(session, action="review.reject", subject=f"document:{doc.id}", actor=who,
                 details={"item": item.id, **decision})
    return decision


def open_correction(session: Session, *, document_id: str) -> ReviewItem:
    """A review item for a document that is not in the queue (a linked one found wrong later),
    so it can be corrected through the same path."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise ReviewError(f"no document {document_id}")
    item = ReviewItem(document_id=doc.id, state="open", reasons=["reviewer_opened"],
                      candidates=[], proposal={}, created_at=datetime.now(UTC))
    session.add(item)
    session.flush()
    return item
