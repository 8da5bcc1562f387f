"""Issuing printed records and verifying them: each PDF is recorded (random id, sha256,
issuer, time) so anyone holding a copy can check it against Tabian through its QR code, as
the handbook's form says ("สามารถตรวจสอบทะเบียนประวัติได้จาก QR code")."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from api.access import Principal
from api.services.record_pdf import render_record_pdf
from api.services.records import record_of
from archive import audit
from archive.catalog import Person, RecordPrintout
from archive.catalog.db import write_side

MASK = "•••"


def mask_name(person: Person) -> str:
    """Enough of the owner's name to match the paper in hand, too little to learn it from."""
    first = person.first_name[:1] + MASK if person.first_name else MASK
    last = person.last_name[:1] + MASK if person.last_name else MASK
    return f"{person.prefix}{first} {last}"


def verify_url(base_url: str, printout_id: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{printout_id}"


@dataclass(frozen=True)
class Issued:
    printout_id: str
    pdf: bytes
    sha256: str
    filename: str


def issue(db: Session, principal: Principal, person: Person, *, base_url: str) -> Issued:
    """Print the record of `person` as this caller sees it (the caller may read it); the
    printout is recorded and audited (`record.print`) in one write (`write_side`)."""
    record = record_of(db, principal, person, audit_action=None)
    printout_id = secrets.token_urlsafe(18)  # 144 random bits: not guessable, short in a QR
    url = verify_url(base_url, printout_id)
    issued_at = datetime.now(UTC).replace(microsecond=0)
    pdf, pages = render_record_pdf(record, printout_id=printout_id, verify_url=url,
                            issued_at=issued_at, issuer=principal.display_name)
    digest = hashlib.sha256(pdf).hexdigest()
    with write_side(db) as w:  # a GET: the printout and its audit event in one write
        w.add(RecordPrintout(
            id=printout_id, person_id=person.id, owner_masked=mask_name(person),
            sha256=digest, size=len(pdf), pages=pages, issued_by=principal.actor,
            issuer_name=principal.display_name, issued_at=issued_at,
        ))
        w.flush()
        audit.append(w, action="record.print", subject=f"person:{person.citizen_id}",
                     actor=principal.actor,
                     details={"printout": printout_id, "sha256": digest, "size": len(pdf),
                              "sections": "limited" if record["sections_limited"] else "all"})
    return Issued(printout_id, pdf, digest,
                  f"ทะเบียนประวัติ-{person.first_name}-{person.last_name}.pdf")


class Verification(TypedDict):
    printout_id: str
    genuine: bool
    issued_at: datetime | None
    issued_by: str | None
    owner: str | None
    sha256: str | None
    size: int | None
    pages: int | None
    record_held: bool
    message: str


class UploadCheck(Verification):
    uploaded_sha256: str
    matches: bool


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def verify(db: Session, printout_id: str) -> Verification:
    """What the public verification page says of a printout id (no sign-in needed)."""
    row = db.get(RecordPrintout, printout_id) if len(printout_id) <= 64 else None
    if row is None:
        return {"printout_id": printout_id, "genuine": False, "issued_at": None,
                "issued_by": None, "owner": None, "sha256": None, "size": None, "pages": None,
                "record_held": False,
                "message": "ไม่พบทะเบียนประวัติฉบับพิมพ์เลขที่นี้ในระบบ เอกสารนี้ไม่ได้ออกจากระบบ "
                           "Tabian หรือรหัสใน QR code ไม่ถูกต้อง"}
    return {"printout_id": row.id, "genuine": True, "issued_at": _aware(row.issued_at),
            "issued_by": row.issuer_name, "owner": row.owner_masked, "sha256": row.sha256,
            "size": row.size, "pages": row.pages, "record_held": row.person_id is not None,
            "message": "ทะเบียนประวัติฉบับพิมพ์นี้ออกจากระบบจริง ตรวจว่าไฟล์หรือฉบับพิมพ์ที่ถืออยู่"
                       "ตรงกับรายละเอียดข้างล่าง (เทียบค่า SHA-256 ของไฟล์ได้)"}


def check_upload(db: Session, printout_id: str, data: bytes) -> UploadCheck:
    """Compare an uploaded PDF with the one issued: genuine only if the bytes are the same."""
    found = verify(db, printout_id)
    uploaded = hashlib.sha256(data).hexdigest()
    matches = found["genuine"] and found["sha256"] == uploaded
    message = found["message"]
    if found["genuine"]:
        message = ("ไฟล์ที่ส่งมาตรงกับทะเบียนประวัติฉบับที่ออกจากระบบทุกไบต์" if matches else
                   "ไฟล์ที่ส่งมาไม่ตรงกับฉบับที่ออกจากระบบ: อาจถูกแก้ไข หรือเป็นไฟล์อื่น "
                   "ไม่ควรเชื่อถือไฟล์นี้")
    return {**found, "genuine": matches, "uploaded_sha256": uploaded, "matches": matches,
            "message": message}
