"""Paper destruction lists (บัญชีหนังสือขอทำลาย) for signed-in records managers.

`retention.paper` builds and decides the list and keeps its CSV and PDF in the object store; here
the caller must reach every owner of the batch's filed documents, and every read is audited.
Making and deciding run in the archive's own transactions, so the request's ends first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Action, Principal, scope
from api.http.errors import ApiError, bad_request, conflict, not_found
from api.services.retention_scope import (
    in_scope,
    iso_time,
    out_of_scope,
    paper_list_visible,
    retention_scope,
)
from api.services.retention_service import refused
from archive import audit
from archive.archive import Archive
from archive.catalog import Person, Unit
from archive.catalog.models import DocumentPerson, IngestBatch, IngestItem
from archive.catalog.retention import PaperDestructionList
from archive.objectstore.base import ChecksumMismatch, ObjectNotFound
from retention import RetentionError
from retention.paper import MIN_COMMITTEE, decide_paper_list, make_paper_list

STATE_TH = {"awaiting_decision": "รอคณะกรรมการพิจารณา", "decided": "คณะกรรมการวินิจฉัยแล้ว"}
EXCLUDED_TH = {
    "not_filed": "ยังไม่ได้จัดเข้าแฟ้มทะเบียนประวัติ", "missing_object": "ไม่พบสำเนาอิเล็กทรอนิกส์",
    "checksum_mismatch": "สำเนาอิเล็กทรอนิกส์ไม่ตรงกับค่าตรวจสอบ", "rejected": "ถูกปฏิเสธตอนนำเข้า",
    "duplicate": "ซ้ำกับเอกสารที่มีอยู่", "document_missing": "ไม่พบเอกสารในระบบ",
}


def _batch_owner_units(db: Session, batch_id: str) -> list[tuple[str, str | None]]:
    return [(cid, path) for cid, path in db.execute(
        select(Person.citizen_id, Unit.path).distinct()
        .select_from(IngestItem)
        .join(DocumentPerson, DocumentPerson.document_id == IngestItem.document_id)
        .join(Person, Person.id == DocumentPerson.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(IngestItem.batch_id == batch_id, DocumentPerson.state == "linked")
    ).all()]


def view(row: PaperDestructionList) -> dict[str, Any]:
    return {
        "list_id": row.id, "batch_id": row.batch_id, "state": row.state,
        "state_th": STATE_TH.get(row.state, row.state), "created_by": row.created_by,
        "created_at": iso_time(row.created_at), "items": row.items,
        "excluded": [{**e, "reason_th": EXCLUDED_TH.get(e.get("reason") or "", e.get("reason"))}
                     for e in row.excluded],
        "csv_sha256": row.csv_sha256, "pdf_sha256": row.pdf_sha256,
        "decided_by": row.decided_by, "decided_at": iso_time(row.decided_at),
        "committee": row.committee, "meeting_ref": row.meeting_ref,
        "decision_note": row.decision_note,
    }


def _row(db: Session, principal: Principal, list_id: str) -> PaperDestructionList:
    row = db.get(PaperDestructionList, list_id)
    if row is None or not paper_list_visible(db, retention_scope(principal), row):
        raise not_found("บัญชีหนังสือขอทำลาย")
    return row


def make(db: Session, archive: Archive, principal: Principal, batch_id: str) -> dict[str, Any]:
    if db.get(IngestBatch, batch_id) is None:
        raise not_found("ชุดนำเข้า")
    sc = scope(principal, Action.RETENTION_REVIEW)
    if not all(in_scope(sc, cid, path) for cid, path in _batch_owner_units(db, batch_id)):
        raise out_of_scope()
    db.commit()  # make_paper_list runs its own transaction
    try:
        result = make_paper_list(archive, batch_id, actor=principal.actor)
    except RetentionError as exc:
        raise refused(exc) from exc
    row = db.get(PaperDestructionList, result["list_id"])
    assert row is not None
    return view(row)


def decide(db: Session, archive: Archive, principal: Principal, list_id: str, *,
           committee: list[str], meeting_ref: str | None = None,
           keep: dict[str, str] | None = None, note: str | None = None) -> dict[str, Any]:
    """The destruction committee's decision: every item destroyed unless kept, with a reason."""
    row = _row(db, principal, list_id)
    if row.state != "awaiting_decision":
        raise conflict("already_decided", "บัญชีนี้คณะกรรมการวินิจฉัยไปแล้ว")
    if len({" ".join(m.split()) for m in committee if m.strip()}) < MIN_COMMITTEE:
        raise bad_request("committee_too_small",
                          "คณะกรรมการทำลายหนังสือต้องมีประธานและกรรมการอย่างน้อยสองคน (รวม ๓ คน)")
    keep = {str(k).strip(): r.strip() for k, r in (keep or {}).items()}
    numbers = {str(i["no"]) for i in row.items}
    if set(keep) - numbers:
        raise bad_request("unknown_item", "ไม่มีลำดับที่นี้ในบัญชี", sorted(set(keep) - numbers))
    if any(not r for r in keep.values()):
        raise bad_request("reason_required", "รายการที่เก็บไว้ต้องระบุเหตุผล")
    db.commit()  # decide_paper_list runs its own transaction
    try:
        decide_paper_list(archive, row.id, actor=principal.actor, committee=committee,
                          meeting_ref=meeting_ref or None, keep=keep, note=note or None)
    except RetentionError as exc:
        raise refused(exc) from exc
    db.refresh(row)
    return view(row)


def get(db: Session, principal: Principal, list_id: str) -> dict[str, Any]:
    row = _row(db, principal, list_id)
    audit.append(db, action="retention.paper_list.read", subject=f"paper_list:{row.id}",
                 actor=principal.actor)
    return view(row)


def file(db: Session, archive: Archive, principal: Principal, list_id: str,
         kind: str) -> bytes:
    """The list's CSV or PDF as stored (checked against its recorded sha256), audited."""
    row = _row(db, principal, list_id)
    key, sha = (row.csv_key, row.csv_sha256) if kind == "csv" else (row.pdf_key, row.pdf_sha256)
    try:
        data = archive.store.get_bytes(key, sha256=sha)
    except (ObjectNotFound, ChecksumMismatch) as exc:  # reported, never served
        raise ApiError(409, "file_unavailable", "ไฟล์บัญชีไม่พร้อมใช้งานหรือไม่ตรงกับค่าตรวจสอบ",
                       str(exc)) from exc
    audit.append(db, action=f"retention.paper_list.download_{kind}",
                 subject=f"paper_list:{row.id}", actor=principal.actor)
    return data


def list_all(db: Session, principal: Principal) -> list[dict[str, Any]]:
    sc = retention_scope(principal)
    rows = db.scalars(select(PaperDestructionList)
                      .order_by(PaperDestructionList.created_at.desc()))
    return [{"list_id": r.id, "batch_id": r.batch_id, "state": r.state,
             "state_th": STATE_TH.get(r.state, r.state), "created_by": r.created_by,
             "created_at": iso_time(r.created_at), "items": len(r.items),
             "excluded": len(r.excluded)}
            for r in rows if paper_list_visible(db, sc, r)]
