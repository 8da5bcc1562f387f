"""Paper originals of an ingest batch: บัญชีหนังสือขอทำลาย (form 25) and the committee's decision.

Under the Regulation on Correspondence (งานสารบรรณ) a paper original may be destroyed once its
electronic copy is stored, checked and filed into the owner's record. The list names only such
documents; the rest are reported as not ready, with the reason. The destruction committee
(a chair and at least two members) then decides item by item; both steps are audited and keep
their CSV and PDF, with sha256, in the object store.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.archive import Archive
from archive.catalog.models import (
    Document,
    DocumentEntry,
    DocumentPerson,
    IngestBatch,
    IngestItem,
    Person,
    RecordEntry,
)
from archive.catalog.retention import PaperDestructionList
from archive.domain import CATEGORY_BY_SLUG
from archive.objectstore import ObjectNotFound
from retention.errors import RetentionError
from retention.thaipdf import thai_date

COLUMNS = ("ลำดับที่", "รหัสแฟ้ม", "ที่", "ลงวันที่", "เรื่อง", "การพิจารณา", "หมายเหตุ")
PREFIX = "paper-lists"
MIN_COMMITTEE = 3  # ประธานกรรมการและกรรมการอย่างน้อยสองคน
DECISION_TH = {"destroy": "ทำลาย", "keep": "เก็บไว้"}


def _owners(session: Session, document_id: str) -> list[str]:
    return list(session.scalars(
        select(Person.citizen_id).join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .where(DocumentPerson.document_id == document_id, DocumentPerson.state == "linked")
        .order_by(Person.citizen_id)
    ))


def _verified(archive: Archive, doc: Document) -> str | None:
    """Why the electronic copy is not yet a safe substitute for the paper, or None."""
    if not doc.objects:
        return "missing_object"
    for obj in doc.objects:
        try:
            if archive.store.checksum(obj.key) != obj.sha256:
                return "checksum_mismatch"
        except ObjectNotFound:
            return "missing_object"
    return None


def _row(session: Session, doc: Document, owners: list[str]) -> dict[str, Any]:
    entries = session.execute(
        select(RecordEntry.order_ref, RecordEntry.effective_on, RecordEntry.title)
        .join(DocumentEntry, DocumentEntry.entry_pk == RecordEntry.id)
        .where(DocumentEntry.document_id == doc.id)
        .order_by(RecordEntry.effective_on, RecordEntry.entry_id)
    ).all()
    category = CATEGORY_BY_SLUG.get(doc.category or "")
    code = f"/{category.code:02d}" if category else ""
    refs = sorted({ref for ref, _on, _title in entries if ref})
    dated = next((on for _ref, on, _title in entries if on), None)
    subject = next((t for _r, _o, t in entries if t), None)
    return {
        "document_id": doc.id,
        "file_code": ", ".join(f"{cid}{code}" for cid in owners),
        "number": ", ".join(refs) or "-",
        "dated": thai_date(dated) if dated else "-",
        "subject": subject or (category.name_th if category else doc.original_name),
        "decision": None,
        "decision_th": "",
        "remarks": f"{doc.original_name}; {doc.pages} หน้า; เอกสาร {doc.id}",
    }


def _collect(archive: Archive, s: Session, batch_id: str) -> tuple[list[dict[str, Any]],
                                                                 list[dict[str, Any]]]:
    batch = s.get(IngestBatch, batch_id)
    if batch is None:
        raise RetentionError(f"no ingest batch {batch_id}; list them with: tabian batches list")
    if batch.state != "done":
        raise RetentionError(
            f"ingest batch {batch_id} is {batch.state}; run it to the end before listing its paper"
        )
    items: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for item in s.scalars(select(IngestItem).where(IngestItem.batch_id == batch_id)
                          .order_by(IngestItem.id)):
        name = Path(item.path).name
        if item.status != "stored" or item.document_id is None:
            excluded.append({"file": name, "document_id": item.document_id,
                             "reason": item.status})
            continue
        doc = s.get(Document, item.document_id)
        if doc is None:
            excluded.append({"file": name, "document_id": item.document_id,
                             "reason": "document_missing"})
            continue
        owners = _owners(s, doc.id)
        reason = _verified(archive, doc) or (None if owners else "not_filed")
        if reason:
            excluded.append({"file": name, "document_id": doc.id, "reason": reason})
            continue
        items.append({"no": len(items) + 1, **_row(s, doc, owners)})
    if not items:
        raise RetentionError(f"batch {batch_id} has no paper original ready to destroy: "
                             "no stored document is both verified and filed")
    return items, excluded


def _csv(items: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for i in items:
        writer.writerow([i["no"], i["file_code"], i["number"], i["dated"], i["subject"],
                         i["decision_th"], i["remarks"]])
    # A BOM so spreadsheet programs read the Thai as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


def _pdf(row: PaperDestructionList, items: list[dict[str, Any]], created: datetime) -> bytes:
    from retention.thaipdf import ThaiPdf

    pdf = ThaiPdf("บัญชีหนังสือขอทำลาย", created=created, landscape=True)
    pdf.heading(f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {created.year + 543}")
    pdf.fields([
        ("บัญชีเลขที่", row.id),
        ("ต้นฉบับกระดาษของชุดนำเข้า", f"{row.batch_id} (สำเนาอิเล็กทรอนิกส์ตรวจสอบแล้ว)"),
        ("จัดทำโดย", f"{row.created_by} เมื่อ {thai_date(row.created_at)}"),
    ])
    pdf.grid(COLUMNS, [[str(i["no"]), i["file_code"], i["number"], i["dated"], i["subject"],
                        i["decision_th"], i["remarks"]] for i in items],
             (16, 40, 28, 30, 70, 28, 55))
    if row.state == "decided":
        pdf.fields([
            ("คณะกรรมการทำลายหนังสือ", ", ".join(row.committee)),
            ("การประชุม", row.meeting_ref or "-"),
            ("วินิจฉัยเมื่อ", thai_date(row.decided_at) if row.decided_at else "-"),
            ("หมายเหตุ", row.decision_note or "-"),
        ])
    pdf.paragraph("ลงชื่อ ........................................ ประธานกรรมการ")
    pdf.paragraph("ลงชื่อ ........................................ กรรมการ")
    pdf.paragraph("ลงชื่อ ........................................ กรรมการ")
    return pdf.to_bytes()


def _publish(archive: Archive, row: PaperDestructionList, items: list[dict[str, Any]],
             stage: str, created: datetime, out: Path | None) -> dict[str, Any]:
    """Write the CSV and PDF to the store (and `out`), and note their keys and sha256."""
    csv_bytes, pdf_bytes = _csv(items), _pdf(row, items, created)
    row.csv_key = f"{PREFIX}/{row.id}/{stage}.csv"
    row.pdf_key = f"{PREFIX}/{row.id}/{stage}.pdf"
    row.csv_sha256 = archive.store.put_bytes(row.csv_key, csv_bytes).sha256 or ""
    row.pdf_sha256 = archive.store.put_bytes(row.pdf_key, pdf_bytes).sha256 or ""
    folder = out if out is not None else archive.settings.data_dir / PREFIX / row.id
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, pdf_path = folder / f"{stage}.csv", folder / f"{stage}.pdf"
    csv_path.write_bytes(csv_bytes)
    pdf_path.write_bytes(pdf_bytes)
    return {"list_id": row.id, "batch_id": row.batch_id, "state": row.state, "items": items,
            "excluded": row.excluded, "csv": str(csv_path), "pdf": str(pdf_path),
            "csv_sha256": row.csv_sha256, "pdf_sha256": row.pdf_sha256}


def make_paper_list(
    archive: Archive, batch_id: str, *, actor: str, out: Path | None = None
) -> dict[str, Any]:
    now = datetime.now(UTC)
    with archive.catalog.session() as s:
        items, excluded = _collect(archive, s, batch_id)
        row = PaperDestructionList(
            id=uuid.uuid4().hex, batch_id=batch_id, created_by=actor, created_at=now,
            state="awaiting_decision", items=items, excluded=excluded, committee=[],
        )
        result = _publish(archive, row, items, "list", now, out)
        s.add(row)
        audit.append(s, action="retention.paper_list.make", subject=f"paper_list:{row.id}",
                     actor=actor, details={"batch_id": batch_id, "items": len(items),
                                           "excluded": len(excluded),
                                           "csv_sha256": row.csv_sha256,
                                           "pdf_sha256": row.pdf_sha256})
    return result


def decide_paper_list(
    archive: Archive, list_id: str, *, actor: str, committee: list[str],
    meeting_ref: str | None = None, keep: dict[str, str] | None = None, note: str | None = None,
    out: Path | None = None,
) -> dict[str, Any]:
    """The committee's decision: every item destroyed unless kept (with the reason)."""
    members = [" ".join(m.split()) for m in committee if m.strip()]
    if len(set(members)) < MIN_COMMITTEE:
        raise RetentionError(f"the destruction committee is a chair and at least two members: "
                             f"name {MIN_COMMITTEE} or more (--committee NAME, repeated)")
    keep = keep or {}
    now = datetime.now(UTC)
    with archive.catalog.session() as s:
        row = s.execute(select(PaperDestructionList).where(PaperDestructionList.id == list_id)
                        .with_for_update()).scalar_one_or_none()
        if row is None:
            raise RetentionError(f"no paper destruction list {list_id}")
        if row.state != "awaiting_decision":
            raise RetentionError(f"paper destruction list {list_id} was already decided")
        numbers = {str(i["no"]) for i in row.items}
        unknown = sorted(set(keep) - numbers)
        if unknown:
            raise RetentionError(f"--keep names no item {', '.join(unknown)} of list {list_id}")
        items = []
        for item in row.items:
            reason = keep.get(str(item["no"]))
            decision = "keep" if reason else "destroy"
            items.append({**item, "decision": decision,
                          "decision_th": DECISION_TH[decision] + (f": {reason}" if reason else "")})
        row.items, row.state, row.committee = items, "decided", members
        row.decided_by, row.decided_at = actor, now
        row.meeting_ref, row.decision_note = meeting_ref, note
        result = _publish(archive, row, items, "decided", now, out)
        audit.append(s, action="retention.paper_list.decide", subject=f"paper_list:{row.id}",
                     actor=actor, details={"committee": members, "meeting_ref": meeting_ref,
                                           "kept": keep, "csv_sha256": row.csv_sha256,
                                           "pdf_sha256": row.pdf_sha256})
    return result
