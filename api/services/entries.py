"""Writing record entries (รายการทะเบียนประวัติ, clause 4.4) and settling draft entries
proposed from scanned orders, as a recorder or registrar within their rights.

A recorder limited to some sections may write only those (the policy decides, given the
section). Every write is audited in the caller's transaction.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from api.access import Action, Principal, Target, allows, scope
from api.http.errors import ApiError, conflict, not_found
from api.services.records import DocumentRef, doc_ref, in_scope, person_for
from archive import audit
from archive.catalog import (
    Document,
    DocumentEntry,
    DocumentPerson,
    DraftSource,
    Person,
    RecordEntry,
    Unit,
)
from archive.thai import ThaiTextError, normalize_order_ref

DRAFT = "draft"
RECORDED = "recorded"


class EntryDetail(TypedDict):
    entry_id: str
    citizen_id: str
    section: str
    effective_on: date | None
    order_ref: str | None
    title: str
    state: str
    documents: list[str]


def _detail(db: Session, entry: RecordEntry, citizen_id: str) -> EntryDetail:
    refs = list(db.scalars(select(DocumentEntry.document_id)
                           .where(DocumentEntry.entry_pk == entry.id)
                           .order_by(DocumentEntry.document_id)))
    if entry.state == DRAFT:
        refs = list(db.scalars(select(DraftSource.document_id)
                               .where(DraftSource.entry_pk == entry.id)
                               .order_by(DraftSource.document_id)))
    return {"entry_id": entry.entry_id, "citizen_id": citizen_id, "section": entry.section,
            "effective_on": entry.effective_on, "order_ref": entry.order_ref,
            "title": entry.title, "state": entry.state, "documents": refs}


def _json(detail: EntryDetail) -> dict[str, Any]:
    out: dict[str, Any] = dict(detail)
    out["effective_on"] = detail["effective_on"].isoformat() if detail["effective_on"] else None
    return out


def _order_ref(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    try:
        return normalize_order_ref(text)
    except ThaiTextError as exc:
        raise ApiError(400, "bad_order_ref",
                       "เลขที่คำสั่งไม่ถูกต้อง ให้เขียนเป็น เลขที่/ปี พ.ศ. เช่น ๑๒๓/๒๕๖๗",
                       str(exc)) from exc


def _may_write(principal: Principal, person: Person, section: str) -> None:
    if not allows(principal, Action.WRITE_ENTRY, Target.of(person, section=section)):
        raise ApiError(403, "forbidden", "ท่านไม่มีสิทธิ์บันทึกรายการหมวดนี้ของผู้นี้")


def _writable_person(db: Session, principal: Principal, citizen_id: str) -> Person:
    # Unseen records stay unseen (404); seen but not writable is 403 at the section check.
    person = person_for(db, principal, citizen_id, Action.READ_RECORD)
    if not allows(principal, Action.WRITE_ENTRY, Target.of(person)):
        raise ApiError(403, "forbidden", "ท่านไม่มีสิทธิ์บันทึกรายการของผู้นี้")
    return person


def _set_documents(db: Session, person: Person, entry: RecordEntry, ids: list[str]) -> None:
    """Make `ids` the entry's reference documents; each must be filed in this person's record."""
    linked = set(db.scalars(select(DocumentPerson.document_id).where(
        DocumentPerson.person_id == person.id, DocumentPerson.state == "linked",
        DocumentPerson.document_id.in_(ids))))
    missing = sorted(set(ids) - linked)
    if missing:
        raise ApiError(400, "document_not_in_record",
                       "เอกสารอ้างอิงต้องเป็นเอกสารที่จัดเก็บในทะเบียนประวัติของผู้นี้แล้ว", missing)
    db.execute(delete(DocumentEntry).where(DocumentEntry.entry_pk == entry.id))
    for doc_id in dict.fromkeys(ids):
        db.add(DocumentEntry(document_id=doc_id, entry_pk=entry.id, confidence=1.0,
                             reasons=[{"kind": "recorded_by_hand"}]))
    db.flush()


def create_entry(db: Session, principal: Principal, *, citizen_id: str, section: str,
                 effective_on: date | None, order_ref: str | None, title: str,
                 entry_id: str | None = None, documents: list[str] | None = None) -> EntryDetail:
    person = _writable_person(db, principal, citizen_id)
    _may_write(principal, person, section)
    if not title.strip():
        raise ApiError(400, "title_required", "ต้องระบุรายการ (ชื่อรายการ)")
    entry_id = (entry_id or "").strip() or f"W{secrets.token_hex(6).upper()}"
    if db.scalar(select(RecordEntry.id).where(RecordEntry.entry_id == entry_id)):
        raise conflict("entry_exists", f"มีรายการรหัส {entry_id} อยู่แล้ว")
    now = datetime.now(UTC)
    entry = RecordEntry(entry_id=entry_id, person_id=person.id, section=section,
                        effective_on=effective_on, order_ref=_order_ref(order_ref),
                        title=title.strip(), state=RECORDED, created_at=now, updated_at=now)
    db.add(entry)
    db.flush()
    if documents:
        _set_documents(db, person, entry, documents)
    detail = _detail(db, entry, person.citizen_id)
    audit.append(db, action="entry.create", subject=f"entry:{entry_id}", actor=principal.actor,
                 details=_json(detail))
    return detail


def _entry_in_reach(db: Session, principal: Principal, entry_id: str) -> tuple[RecordEntry,
                                                                               Person]:
    entry = db.scalar(select(RecordEntry).where(RecordEntry.entry_id == entry_id))
    if entry is None:
        raise not_found("รายการ")
    person = db.get(Person, entry.person_id)
    assert person is not None
    if not allows(principal, Action.READ_RECORD, Target.of(person, section=entry.section)):
        raise not_found("รายการ")
    return entry, person


def update_entry(db: Session, principal: Principal, *, entry_id: str,
                 changes: dict[str, Any]) -> EntryDetail:
    """Change the fields given in `changes` (section, effective_on, order_ref, title,
    documents); the old and the new section must both be the caller's to write."""
    entry, person = _entry_in_reach(db, principal, entry_id)
    _may_write(principal, person, entry.section)
    before = _json(_detail(db, entry, person.citizen_id))
    if "section" in changes and changes["section"] is not None:
        _may_write(principal, person, changes["section"])
        entry.section = changes["section"]
    if "effective_on" in changes:
        entry.effective_on = changes["effective_on"]
    if "order_ref" in changes:
        entry.order_ref = _order_ref(changes["order_ref"])
    if changes.get("title") is not None:
        if not changes["title"].strip():
            raise ApiError(400, "title_required", "ต้องระบุรายการ (ชื่อรายการ)")
        entry.title = changes["title"].strip()
    if changes.get("documents") is not None:
        if entry.state == DRAFT:
            raise ApiError(400, "draft_documents",
                           "รายการร่างได้เอกสารอ้างอิงเมื่อยืนยันรายการ")
        _set_documents(db, person, entry, changes["documents"])
    entry.updated_at = datetime.now(UTC)
    db.flush()
    detail = _detail(db, entry, person.citizen_id)
    audit.append(db, action="entry.update", subject=f"entry:{entry_id}", actor=principal.actor,
                 details={"before": before, "after": _json(detail)})
    return detail


# --- drafts --------------------------------------------------------------------------------


class DraftOut(EntryDetail):
    full_name: str
    sources: list[DocumentRef]


def list_drafts(db: Session, principal: Principal, *, limit: int = 100,
                offset: int = 0) -> list[DraftOut]:
    """Draft entries the caller may confirm: in their WRITE_ENTRY scope and section."""
    rows = db.execute(
        select(RecordEntry, Person).join(Person, Person.id == RecordEntry.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(RecordEntry.state == DRAFT, in_scope(scope(principal, Action.WRITE_ENTRY)))
        .order_by(RecordEntry.created_at, RecordEntry.id)
    ).all()
    mine = [(e, p) for e, p in rows
            if allows(principal, Action.WRITE_ENTRY, Target.of(p, section=e.section))]
    out: list[DraftOut] = []
    for entry, person in mine[offset:offset + limit]:
        detail = _detail(db, entry, person.citizen_id)
        sources = db.scalars(
            select(Document).join(DraftSource, DraftSource.document_id == Document.id)
            .join(DocumentPerson, DocumentPerson.document_id == Document.id)
            .where(DraftSource.entry_pk == entry.id, DocumentPerson.person_id == person.id,
                   DocumentPerson.state == "linked")
            .order_by(Document.created_at)
        ).all()
        out.append({**detail, "full_name": person.full_name,
                    "sources": [doc_ref(d) for d in sources]})
    return out


def decide_draft(db: Session, principal: Principal, *, entry_id: str,
                 confirm: bool) -> EntryDetail:
    """Confirm a draft (its scans become its reference documents) or discard it; as
    `tabian drafts confirm|discard` does, within the caller's rights."""
    entry, person = _entry_in_reach(db, principal, entry_id)
    if entry.state != DRAFT:
        raise not_found("รายการร่าง")
    _may_write(principal, person, entry.section)
    sources = list(db.scalars(select(DraftSource.document_id)
                              .where(DraftSource.entry_pk == entry.id)))
    result = _detail(db, entry, person.citizen_id)
    if confirm:
        entry.state, entry.updated_at = RECORDED, datetime.now(UTC)
        for doc_id in sources:
            db.add(DocumentEntry(document_id=doc_id, entry_pk=entry.id, confidence=1.0,
                                 reasons=[{"kind": "draft_confirmed"}]))
        db.execute(delete(DraftSource).where(DraftSource.entry_pk == entry.id))
        result["state"] = RECORDED
    else:
        db.delete(entry)
        result["state"] = "discarded"
    db.flush()
    audit.append(db, action=f"entry.draft_{'confirm' if confirm else 'discard'}",
                 subject=f"entry:{entry_id}", actor=principal.actor, details=_json(result))
    return result
