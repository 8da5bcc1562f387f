"""The review queue for the web: who sees which item, and decisions checked against scope.

An item is seen by a caller who may RESOLVE_REVIEW one of the persons it concerns (its
candidates, the document's current owners, the folder's person); an item that concerns no
one yet is seen by registrars holding a unit-level right, in the unit tree of the upload it
came with when that upload names a unit (unit B's unattributed scans are not unit A's). A
decision must be allowed for every person it files the document to, and for every owner it
takes the document from. The decisions themselves are `ingest.understand.review`'s, audited
there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from api.access import Action, Principal, Target, allows, under
from api.http.errors import ApiError, not_found
from archive import audit
from archive.catalog import (
    Document,
    DocumentEntry,
    DocumentPerson,
    IngestBatch,
    Person,
    RecordEntry,
)
from archive.catalog.review import ReviewItem
from archive.domain import CATEGORY_BY_SLUG
from archive.thai import ThaiTextError, parse_citizen_id
from ingest.understand import review

STATES = review.STATES
SCAN_LIMIT = 5000  # items looked through for one listing
CHUNK = 500  # values in one SQL IN (...)
REASONS_TH = {
    "folder_hint_contradicted": "เนื้อหาระบุบุคคลอื่น ไม่ตรงกับโฟลเดอร์",
    "folder_hint_unknown": "ชื่อโฟลเดอร์ไม่ตรงกับบุคคลในทะเบียน",
    "owner_not_found_in_text": "ไม่พบชื่อหรือเลขประจำตัวของเจ้าของในเอกสาร",
    "no_owner_found": "ไม่พบเจ้าของเอกสาร",
    "group_incomplete": "คำสั่งกลุ่มพบรายชื่อไม่ครบ",
    "owner_uncertain": "ไม่แน่ใจว่าเป็นของผู้ใด",
    "group_member_uncertain": "ไม่แน่ใจบางรายชื่อในคำสั่งกลุ่ม",
    "category_uncertain": "ไม่แน่ใจหมวดเอกสาร",
    "reviewer_opened": "ผู้ตรวจสอบเปิดเพื่อแก้ไข",
}
EVIDENCE_TH = {
    "citizen_id_exact": "เลขประจำตัวประชาชนตรงกัน",
    "citizen_id_ocr": "เลขประจำตัวตรงกันเมื่อแก้ตัวเลขที่อ่านผิด",
    "citizen_id_check_digit": "เลขประจำตัวผ่านการตรวจหลักสุดท้าย",
    "citizen_id_conflict": "เลขประจำตัวขัดแย้งกัน",
    "folder_hint": "อยู่ในโฟลเดอร์ของบุคคลนี้",
    "name_exact": "ชื่อ-สกุลตรงกัน",
    "name_fuzzy": "ชื่อ-สกุลใกล้เคียง",
    "name_parts": "ชื่อหรือสกุลตรงบางส่วน",
    "name_run_on": "ชื่อติดกับข้อความอื่น",
    "name_partial": "ชื่อตรงบางส่วน",
    "name_joined": "ชื่อ-สกุลตรงกันเมื่อรวมส่วนที่ถูกตัดแยก",
    "name_run": "ชื่อและสกุลติดกันตรงกับทะเบียน",
    "name_certified_copy": "ลงชื่อรับรองสำเนาถูกต้องของเอกสารของตนเอง",
    "name_on_id_row": "ชื่อหรือสกุลอยู่แถวเดียวกับเลขประจำตัว",
    "citizen_id_with_name": "เลขประจำตัวที่อ่านผิดบางส่วนตรงกับบุคคลที่ระบุชื่อ",
    "unit_on_row": "ระบุสถานศึกษา/หน่วยงานของบุคคลนี้คู่กับชื่อ",
    "unit_on_page": "เอกสารเรื่องของบุคคลนี้คนเดียว และระบุสถานศึกษา/หน่วยงานของบุคคลนี้",
    "birth_date_on_row": "ระบุวันเกิดตรงกับทะเบียนคู่กับชื่อ",
    "listed_with_anchor": "อยู่ในบัญชีรายชื่อเดียวกับบุคคลที่ยืนยันแล้ว",
    "named_together": "ระบุชื่อ-สกุลตรงกับทะเบียนร่วมกันในข้อความเดียวกันหลายคน ซึ่งบังเอิญตรงกันได้ยาก",
    "listed_together": "ชื่อ-สกุลตรงกับทะเบียนครบทุกคนในบัญชีรายชื่อเดียวกัน ซึ่งบังเอิญตรงกันได้ยาก",
    "review_accepted": "ผู้ตรวจสอบยืนยัน",
    "review_corrected": "ผู้ตรวจสอบแก้ไข",
    "draft_confirmed": "ผู้บันทึกยืนยันรายการ",
    "recorded_by_hand": "บันทึกโดยเจ้าหน้าที่",
}
STATE_TH = {"open": "รอตรวจสอบ", "accepted": "ยืนยันแล้ว", "corrected": "แก้ไขแล้ว",
            "rejected": "ปฏิเสธแล้ว"}
_OUT_OF_SCOPE = ("person_out_of_scope", "ไม่พบบุคคลนี้ หรือบุคคลนี้อยู่นอกขอบเขตสิทธิ์ของท่าน")


def _person(db: Session, citizen_id: str | None) -> Person | None:
    if not citizen_id:
        return None
    return db.scalar(select(Person).options(joinedload(Person.unit))
                     .where(Person.citizen_id == citizen_id))


def _may(principal: Principal, person: Person) -> bool:
    return allows(principal, Action.RESOLVE_REVIEW, Target.of(person))


def _linked_owners(db: Session, document_id: str) -> list[Person]:
    return list(db.scalars(
        select(Person).join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .options(joinedload(Person.unit))
        .where(DocumentPerson.document_id == document_id, DocumentPerson.state == "linked")))


def _concerned_map(db: Session, items: list[ReviewItem]) -> dict[int, list[Person]]:
    """For each item, the registered persons it concerns: candidates, current owners, the
    folder's person; looked up together (a queue can be long)."""
    doc_ids = list({i.document_id for i in items})
    owners: dict[str, list[str]] = {}
    hints: dict[str, str | None] = {}
    for start in range(0, len(doc_ids), CHUNK):
        part = doc_ids[start:start + CHUNK]
        for doc_id, cid in db.execute(
            select(DocumentPerson.document_id, Person.citizen_id)
            .join(Person, Person.id == DocumentPerson.person_id)
            .where(DocumentPerson.document_id.in_(part), DocumentPerson.state == "linked")):
            owners.setdefault(doc_id, []).append(cid)
        for doc_id, hint in db.execute(select(Document.id, Document.folder_hint)
                                       .where(Document.id.in_(part))):
            hints[doc_id] = hint
    wanted = {i.id: list(dict.fromkeys([
        *(c["citizen_id"] for c in i.candidates), *owners.get(i.document_id, []),
        *filter(None, [hints.get(i.document_id)])])) for i in items}
    cids = list({c for cs in wanted.values() for c in cs})
    persons: dict[str, Person] = {}
    for start in range(0, len(cids), CHUNK):
        persons.update((p.citizen_id, p) for p in db.scalars(
            select(Person).options(joinedload(Person.unit))
            .where(Person.citizen_id.in_(cids[start:start + CHUNK]))))
    return {item_id: [persons[c] for c in cs if c in persons] for item_id, cs in wanted.items()}


def _upload_units(db: Session, items: list[ReviewItem]) -> dict[int, str | None]:
    """The unit of the upload each item's scan came with (None: the batch names none, as a
    shell `tabian ingest` does)."""
    doc_ids = list({i.document_id for i in items})
    batch_of: dict[str, str | None] = {}
    for start in range(0, len(doc_ids), CHUNK):
        for doc_id, batch_id in db.execute(select(Document.id, Document.batch_id).where(
                Document.id.in_(doc_ids[start:start + CHUNK]))):
            batch_of[doc_id] = batch_id
    batch_ids = sorted({b for b in batch_of.values() if b})
    units: dict[str, str | None] = {}
    for start in range(0, len(batch_ids), CHUNK):
        for batch in db.scalars(select(IngestBatch).where(
                IngestBatch.id.in_(batch_ids[start:start + CHUNK]))):
            units[batch.id] = (batch.report or {}).get("unit")
    return {i.id: units.get(batch_of.get(i.document_id) or "") for i in items}


def _unit_reviewer(principal: Principal, unit: str | None = None) -> bool:
    """A unit-level registrar; for a scan uploaded in `unit`, one of that unit's tree."""
    return any(g.unit_path and (unit is None or under(unit, g.unit_path)
                                or under(g.unit_path, unit))
               for g in principal.grants_for(Action.RESOLVE_REVIEW))


def _visible(principal: Principal, concerned: list[Person], unit: str | None = None) -> bool:
    if concerned:
        return any(_may(principal, p) for p in concerned)
    return _unit_reviewer(principal, unit)


def _visible_items(db: Session, principal: Principal, items: list[ReviewItem]) -> set[int]:
    concerned = _concerned_map(db, items)
    units = _upload_units(db, [i for i in items if not concerned[i.id]])
    return {i.id for i in items if _visible(principal, concerned[i.id], units.get(i.id))}


def visible(db: Session, principal: Principal, item: ReviewItem) -> bool:
    return item.id in _visible_items(db, principal, [item])


def list_items(db: Session, principal: Principal, *, state: str | None, limit: int = 50,
               offset: int = 0) -> list[dict[str, Any]]:
    """The caller's queue (oldest first); the listing is audited, as it names persons."""
    if state is not None and state not in STATES:
        raise ApiError(400, "unknown_state", "สถานะไม่ถูกต้อง", {"states": list(STATES)})
    query = select(ReviewItem).order_by(ReviewItem.id).limit(SCAN_LIMIT)
    if state is not None:
        query = query.where(ReviewItem.state == state)
    found: list[ReviewItem] = []
    skipped = 0
    items = list(db.scalars(query.options(joinedload(ReviewItem.document))).all())
    shown = _visible_items(db, principal, items)
    for item in items:
        if item.id not in shown:
            continue
        if skipped < offset:
            skipped += 1
            continue
        found.append(item)
        if len(found) >= limit:
            break
    rows = [summary(item) for item in found]
    if rows:
        audit.append(db, action="review.list", subject=f"user:{principal.username}",
                     actor=principal.actor, details={"items": [r["item"] for r in rows]})
    return rows


def summary(item: ReviewItem) -> dict[str, Any]:
    doc = item.document
    return {
        "item": item.id, "document_id": item.document_id, "state": item.state,
        "state_th": STATE_TH.get(item.state, item.state), "original_name": doc.original_name,
        "category": doc.category, "category_confidence": doc.category_confidence or 0.0,
        "reasons": list(item.reasons), "reasons_th": [REASONS_TH.get(r, r) for r in item.reasons],
        "candidates": [{"citizen_id": c["citizen_id"], "name": c.get("name"),
                        "confidence": c.get("confidence", 0.0)} for c in item.candidates],
        "created_at": item.created_at.isoformat(),
    }


def get_item(db: Session, principal: Principal, item_id: int) -> ReviewItem:
    item = db.get(ReviewItem, item_id) if 1 <= item_id <= 2**62 else None
    if item is None or not visible(db, principal, item):
        raise not_found("รายการตรวจสอบ")
    return item


def detail(db: Session, principal: Principal, item: ReviewItem) -> dict[str, Any]:
    """Everything the reviewer needs; reading it is a read of the record (audited)."""
    result = review.item_json(db, item)
    result["state_th"] = STATE_TH.get(item.state, item.state)
    result["pages"] = item.document.pages
    result["reasons_th"] = [REASONS_TH.get(r, r) for r in item.reasons]
    for cand in result["candidates"]:
        person = _person(db, cand["citizen_id"])
        cand["unit"] = person.unit.path if person is not None and person.unit else None
        cand["in_scope"] = person is not None and _may(principal, person)
        cand["evidence_th"] = [EVIDENCE_TH.get(r.get("kind", ""), r.get("kind", ""))
                               for r in cand.get("reasons", [])]
    audit.append(db, action="document.read", subject=f"document:{item.document_id}",
                 actor=principal.actor, details={"via": "review", "item": item.id})
    return result


def _require_all(principal: Principal, persons: list[Person]) -> None:
    if not all(_may(principal, p) for p in persons):
        raise ApiError(403, *_OUT_OF_SCOPE)


def _open(item: ReviewItem) -> None:
    if item.state != "open":
        raise ApiError(409, "already_decided", "รายการนี้ตัดสินไปแล้ว "
                       f"({STATE_TH.get(item.state, item.state)})",
                       {"state": item.state, "decided_by": item.decided_by})


def _refused(exc: review.ReviewError) -> ApiError:
    return ApiError(400, "review_refused", "ไม่สามารถดำเนินการตามที่ขอได้", str(exc))


def _result(item: ReviewItem, decision: dict[str, Any]) -> dict[str, Any]:
    return {"item": item.id, "document_id": item.document_id, "state": item.state,
            "decision": decision}


def accept(db: Session, principal: Principal, item: ReviewItem) -> dict[str, Any]:
    """File the document to its candidates, as proposed."""
    _open(item)
    if not item.candidates:
        raise ApiError(400, "no_candidates", "ระบบไม่ได้เสนอเจ้าของ กรุณาใช้ \"แก้ไข\" "
                       "แล้วระบุเลขประจำตัวประชาชน หรือปฏิเสธ")
    if item.document.category is None:
        raise ApiError(400, "no_category", "ระบบไม่ได้เสนอหมวดเอกสาร กรุณาใช้ \"แก้ไข\" "
                       "แล้วเลือกหมวด")
    persons = [_person(db, c["citizen_id"]) for c in item.candidates]
    if any(p is None for p in persons):
        raise ApiError(400, "candidate_gone", "ผู้ที่ระบบเสนอไม่อยู่ในทะเบียนแล้ว กรุณาแก้ไข")
    _require_all(principal, [p for p in persons if p is not None]
                 + _linked_owners(db, item.document_id))
    try:
        decision = review.accept(db, item=item, actor=principal.actor)
    except review.ReviewError as exc:
        raise _refused(exc) from exc
    return _result(item, decision)


def _targets(db: Session, citizen_ids: list[str]) -> list[Person]:
    persons: list[Person] = []
    for text in citizen_ids:
        try:
            cid = parse_citizen_id(text)
        except ThaiTextError as exc:
            raise ApiError(400, "bad_citizen_id", "เลขประจำตัวประชาชนไม่ถูกต้อง",
                           {"citizen_id": text}) from exc
        person = _person(db, cid)
        if person is None:
            raise ApiError(403, *_OUT_OF_SCOPE)
        if person not in persons:
            persons.append(person)
    return persons


def _entries(db: Session, entry_ids: list[str], owners: list[Person]) -> list[RecordEntry]:
    pks = {p.id for p in owners}
    entries = []
    for entry_id in dict.fromkeys(entry_ids):
        entry = db.scalar(select(RecordEntry).where(RecordEntry.entry_id == entry_id))
        if entry is None or entry.person_id not in pks:
            raise ApiError(400, "entry_not_owned", "รายการทะเบียนประวัตินี้ไม่ใช่ของเจ้าของ"
                           "เอกสารที่ระบุ", {"entry_id": entry_id})
        entries.append(entry)
    return entries


def correct(db: Session, principal: Principal, item: ReviewItem, *, category: str | None,
            citizen_ids: list[str], entry_ids: list[str], note: str | None
            ) -> dict[str, Any]:
    """The reviewer's own answer: category and/or owners, optionally the entries it proves."""
    _open(item)
    if category is not None and category not in CATEGORY_BY_SLUG:
        raise ApiError(400, "unknown_category", "ไม่มีหมวดเอกสารนี้",
                       {"categories": sorted(CATEGORY_BY_SLUG)})
    if category is None and not citizen_ids:
        raise ApiError(400, "nothing_to_correct", "กรุณาเลือกหมวดเอกสาร และ/หรือ ระบุเลข"
                       "ประจำตัวประชาชนของเจ้าของ")
    current = _linked_owners(db, item.document_id)
    targets = _targets(db, citizen_ids) if citizen_ids else current
    if not targets:
        raise ApiError(400, "owner_required", "เอกสารนี้ยังไม่มีเจ้าของ กรุณาระบุเลขประจำตัว"
                       "ประชาชน")
    if (category or item.document.category) is None:
        raise ApiError(400, "no_category", "เอกสารนี้ยังไม่มีหมวด กรุณาเลือกหมวด")
    _require_all(principal, targets + current)
    entries = _entries(db, entry_ids, targets)
    try:
        decision = review.correct(db, item=item, category=category,
                                  citizen_ids=[p.citizen_id for p in targets], note=note,
                                  actor=principal.actor)
    except review.ReviewError as exc:
        raise _refused(exc) from exc
    if entries:
        _link_entries(db, principal, item, entries)
        decision = dict(item.decision or {})
    return _result(item, decision)


def _link_entries(db: Session, principal: Principal, item: ReviewItem,
                  entries: list[RecordEntry]) -> None:
    reason = [{"kind": "review_corrected", "actor": principal.actor}]
    for entry in entries:
        if db.get(DocumentEntry, (item.document_id, entry.id)) is None:
            db.add(DocumentEntry(document_id=item.document_id, entry_pk=entry.id,
                                 confidence=1.0, reasons=reason))
    ids = sorted({*(item.decision or {}).get("entry_ids", []), *(e.entry_id for e in entries)})
    item.decision = {**(item.decision or {}), "entry_ids": ids}
    audit.append(db, action="review.link_entries", subject=f"document:{item.document_id}",
                 actor=principal.actor, details={"item": item.id, "entry_ids": ids})


def reject(db: Session, principal: Principal, item: ReviewItem, *, note: str | None
           ) -> dict[str, Any]:
    """No one proposed is the owner: the document stays stored, filed under no one."""
    _open(item)
    _require_all(principal, _linked_owners(db, item.document_id))
    try:
        decision = review.reject(db, item=item, note=note, actor=principal.actor)
    except review.ReviewError as exc:
        raise _refused(exc) from exc
    return _result(item, decision)


def document_reviewable(db: Session, principal: Principal, document_id: str) -> bool:
    """Whether the caller reviews some item of this document (for its page images)."""
    items = list(db.scalars(select(ReviewItem).where(ReviewItem.document_id == document_id)))
    return bool(_visible_items(db, principal, items))
