"""Owners' requests to correct or add to their record (คำขอแก้ไข/เพิ่มเติมข้อมูล, handbook
clause 4.1): always with evidence attached; the registrar approves or rejects with a reason.

Evidence files are checked (PDF, JPEG or PNG by their bytes, at most 20 MB each) before anything
is stored, then kept in the archive's object store under `corrections/<sha256>`, written with
their sha256 checked, ahead of the catalog row that names them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from api.access import Action, Principal, Target, allows, require, scope
from api.http.errors import ApiError, conflict, not_found
from api.services.records import in_scope, own_person
from archive import audit
from archive.catalog import CorrectionRequest, Person, Unit
from archive.objectstore import ObjectNotFound, ObjectStore

log = logging.getLogger(__name__)

KINDS = {"correction": "ขอแก้ไขข้อมูล", "addition": "ขอเพิ่มเติมข้อมูล"}
STATUSES = {"pending": "รอพิจารณา", "approved": "อนุมัติแล้ว", "rejected": "ไม่อนุมัติ"}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
EVIDENCE_REQUIRED = (
    "evidence_required",
    "ต้องแนบเอกสารหลักฐานอย่างน้อยหนึ่งไฟล์ ตามคู่มือการจัดทำทะเบียนประวัติ ข้อ ๔.๑ "
    "เจ้าของประวัติยื่นคำขอแก้ไขหรือเพิ่มเติมข้อมูลพร้อมแนบเอกสารหลักฐาน "
    "คำขอที่ไม่มีหลักฐานจะไม่ได้รับการพิจารณา",
)
# What the first bytes of each accepted kind of file are.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class EvidenceFile:
    """One uploaded evidence file, read and checked, not yet stored."""

    name: str
    data: bytes
    media_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_evidence(name: str, chunks: Iterator[bytes]) -> EvidenceFile:
    """Read one upload, refusing it early once it passes the size limit; check its type by
    its bytes (a name or a browser's content type can say anything)."""
    buf = bytearray()
    for chunk in chunks:
        buf.extend(chunk)
        if len(buf) > MAX_FILE_BYTES:
            raise ApiError(413, "evidence_too_large",
                           f"ไฟล์ {name} ใหญ่เกิน ๒๐ เมกะไบต์ กรุณาย่อขนาดหรือสแกนใหม่แล้วแนบอีกครั้ง")
    if not buf:
        raise ApiError(400, "evidence_empty", f"ไฟล์ {name} ว่างเปล่า")
    media_type = next((mt for magic, mt in MAGIC if buf.startswith(magic)), None)
    if media_type is None:
        raise ApiError(415, "evidence_type",
                       f"ไฟล์ {name} ไม่ใช่ PDF, JPEG หรือ PNG: แนบหลักฐานได้เฉพาะไฟล์ชนิดนี้")
    return EvidenceFile(name=(name or "evidence")[:300], data=bytes(buf), media_type=media_type)


class EvidenceOut(TypedDict):
    index: int
    name: str
    sha256: str
    size: int
    media_type: str


class CorrectionOut(TypedDict):
    id: int
    citizen_id: str
    full_name: str
    kind: str
    kind_th: str
    subject: str
    description: str
    evidence: list[EvidenceOut]
    status: str
    status_th: str
    created_at: datetime
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def as_out(row: CorrectionRequest) -> CorrectionOut:
    return {
        "id": row.id, "citizen_id": row.person.citizen_id, "full_name": row.person.full_name,
        "kind": row.kind, "kind_th": KINDS.get(row.kind, row.kind), "subject": row.subject,
        "description": row.description,
        "evidence": [{"index": i, "name": e["name"], "sha256": e["sha256"], "size": e["size"],
                      "media_type": e["media_type"]} for i, e in enumerate(row.evidence or [])],
        "status": row.status, "status_th": STATUSES.get(row.status, row.status),
        "created_at": _aware(row.created_at) or datetime.now(UTC),
        "requested_by": row.requester.display_name, "decided_by": row.decided_by,
        "decided_at": _aware(row.decided_at), "decision_reason": row.decision_reason,
    }


def request_correction(db: Session, store: ObjectStore, principal: Principal, *, kind: str,
                       subject: str, description: str,
                       files: list[EvidenceFile]) -> CorrectionOut:
    """The owner asks; refused without evidence, and then nothing at all is stored."""
    person = own_person(db, principal)
    require(principal, Action.REQUEST_CORRECTION, Target.of(person))
    if kind not in KINDS:
        raise ApiError(400, "bad_kind", "ประเภทคำขอต้องเป็น correction (แก้ไข) หรือ addition (เพิ่มเติม)")
    subject, description = subject.strip(), description.strip()
    if not subject or len(subject) > 300:
        raise ApiError(400, "subject_required", "ต้องระบุรายการที่ขอแก้ไข/เพิ่มเติม (ไม่เกิน ๓๐๐ ตัวอักษร)")
    if not description:
        raise ApiError(400, "description_required", "ต้องอธิบายว่าขอแก้ไขหรือเพิ่มเติมอย่างไร")
    if not files:
        raise ApiError(400, *EVIDENCE_REQUIRED)
    if len(files) > MAX_FILES:
        raise ApiError(400, "too_many_files", "แนบหลักฐานได้ไม่เกิน ๑๐ ไฟล์ต่อคำขอ")
    evidence = []
    for f in files:
        key = f"corrections/{f.sha256}"
        info = store.put_bytes(key, f.data, sha256=f.sha256)
        evidence.append({"name": f.name, "sha256": f.sha256, "size": info.size,
                         "media_type": f.media_type, "key": key})
    row = CorrectionRequest(person_id=person.id, requested_by=principal.user_id, kind=kind,
                            subject=subject, description=description, evidence=evidence,
                            status="pending", created_at=datetime.now(UTC))
    db.add(row)
    db.flush()
    audit.append(db, action="correction.request", subject=f"correction:{row.id}",
                 actor=principal.actor,
                 details={"citizen_id": person.citizen_id, "kind": kind, "subject": subject,
                          "evidence": [{k: e[k] for k in ("name", "sha256", "size")}
                                       for e in evidence]})
    return as_out(row)


def own_requests(db: Session, principal: Principal) -> list[CorrectionOut]:
    person = own_person(db, principal)
    rows = db.scalars(select(CorrectionRequest).where(CorrectionRequest.person_id == person.id)
                      .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc()))
    return [as_out(r) for r in rows]


def list_requests(db: Session, principal: Principal, *, status: str | None = None,
                  limit: int = 100, offset: int = 0) -> list[CorrectionOut]:
    """Requests the caller may decide (their DECIDE_CORRECTION scope), newest first."""
    stmt = (select(CorrectionRequest).join(Person, Person.id == CorrectionRequest.person_id)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(in_scope(scope(principal, Action.DECIDE_CORRECTION))))
    if status:
        stmt = stmt.where(CorrectionRequest.status == status)
    rows = db.scalars(stmt.order_by(CorrectionRequest.created_at.desc(),
                                    CorrectionRequest.id.desc()).limit(limit).offset(offset))
    return [as_out(r) for r in rows]


def _is_requester(principal: Principal, row: CorrectionRequest) -> bool:
    return row.requested_by == principal.user_id or (
        principal.is_owner and principal.citizen_id == row.person.citizen_id)


def get_request(db: Session, principal: Principal, request_id: int, *,
                audited: bool = True) -> CorrectionRequest:
    """A request, for one who may decide it or the owner who made it; otherwise not found."""
    row = db.get(CorrectionRequest, request_id)
    if row is None or not (
        _is_requester(principal, row)
        or allows(principal, Action.DECIDE_CORRECTION, Target.of(row.person))
    ):
        raise not_found("คำขอแก้ไข")
    if audited:
        audit.append(db, action="correction.read", subject=f"correction:{row.id}",
                     actor=principal.actor, details={"citizen_id": row.person.citizen_id})
    return row


def evidence_stream(db: Session, store: ObjectStore, principal: Principal, request_id: int,
                    index: int) -> tuple[dict[str, Any], Iterator[bytes]]:
    row = get_request(db, principal, request_id, audited=False)
    files = row.evidence or []
    if not 0 <= index < len(files):
        raise not_found("ไฟล์หลักฐาน")
    ev = files[index]
    try:
        stream = store.open_stream(ev["key"])
    except ObjectNotFound as exc:
        log.error("correction %s: evidence %s missing from the store", row.id, ev["key"])
        raise ApiError(500, "object_missing",
                       "ไม่พบไฟล์หลักฐานในคลังจัดเก็บ กรุณาแจ้งผู้ดูแลระบบ") from exc
    audit.append(db, action="correction.evidence_download", subject=f"correction:{row.id}",
                 actor=principal.actor, details={"index": index, "sha256": ev["sha256"]})
    from api.services.documents_service import verified

    return ev, verified(stream, ev["key"], ev["sha256"])


def decide(db: Session, principal: Principal, request_id: int, *, approve: bool,
           reason: str | None) -> CorrectionOut:
    """The registrar's decision; a reason is required to reject. No one decides their own."""
    row = get_request(db, principal, request_id, audited=False)
    require(principal, Action.DECIDE_CORRECTION, Target.of(row.person))
    if _is_requester(principal, row):
        raise ApiError(403, "own_request", "ท่านไม่อาจพิจารณาคำขอแก้ไขทะเบียนประวัติของตนเอง")
    if row.status != "pending":
        raise conflict("already_decided",
                       f"คำขอนี้ได้รับการพิจารณาแล้ว ({STATUSES.get(row.status, row.status)})")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ApiError(400, "reason_required", "ต้องระบุเหตุผลที่ไม่อนุมัติคำขอ")
    if len(reason) > 4000:
        raise ApiError(400, "reason_too_long", "เหตุผลยาวเกิน ๔,๐๐๐ ตัวอักษร")
    row.status = "approved" if approve else "rejected"
    row.decided_by, row.decided_at = principal.display_name, datetime.now(UTC)
    row.decision_reason = reason or None
    db.flush()
    audit.append(db, action=f"correction.{'approve' if approve else 'reject'}",
                 subject=f"correction:{row.id}", actor=principal.actor,
                 details={"citizen_id": row.person.citizen_id, "reason": reason})
    return as_out(row)
