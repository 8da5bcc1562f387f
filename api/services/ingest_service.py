"""Bulk upload for the web: take the files in, queue the batch, report its progress.

A digitizer (Action.UPLOAD) sees the batches of their unit: file names, status, the reasons
for each rejection, the category and whether it was filed, never the text or the owners.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.access import Action, Principal, under
from api.http.errors import not_found
from api.services import ingest_runner
from api.services.ingest_spool import Spool, UploadRefused, remove
from archive import audit
from archive.archive import Archive
from archive.catalog import Document, IngestBatch, IngestItem
from ingest.batch import iter_input_files

REASONS_TH = {
    "low_resolution": "ความละเอียดต่ำกว่า ๓๐๐ DPI ให้สแกนใหม่ (ข้อ ๕.๖.๑)",
    "not_color": "ไม่ได้สแกนเป็นภาพสี ให้สแกนใหม่แบบสี (ข้อ ๕.๖.๑)",
    "encrypted": "ไฟล์ PDF ถูกเข้ารหัสหรือจำกัดสิทธิ์ ให้ส่งไฟล์ที่ไม่มีรหัสผ่าน",
    "unreadable": "ไฟล์เสียหายหรืออ่านไม่ได้",
    "not_pdf": "ไม่ใช่ไฟล์ PDF หรือภาพสแกน (TIFF, JPEG, PNG)",
    "ocr_failed": "อ่านข้อความหรือแปลงเป็น PDF/A ไม่สำเร็จ ให้บันทึกไฟล์ใหม่หรือสแกนใหม่",
    "duplicate": "ซ้ำกับเอกสารที่จัดเก็บไว้แล้ว",
}
WARNINGS_TH = {
    "legacy_bw_scan": "ภาพขาวดำที่สแกนก่อนวันที่ ๒๖ ม.ค. ๒๕๖๙ (รับได้ ระวังหมึกสี)",
    "blurry": "ภาพไม่คมชัด",
}
STATUS_TH = {"stored": "จัดเก็บแล้ว", "rejected": "ไม่รับ", "duplicate": "ซ้ำ"}
STATE_TH = {"queued": "รอคิว", "running": "กำลังนำเข้า", "done": "เสร็จแล้ว",
            "interrupted": "หยุดกลางคัน", "failed": "ล้มเหลว"}
LINK_TH = {"linked": "เข้าแฟ้มแล้ว", "needs_review": "รอตรวจสอบ", "unlinked": "ยังไม่ทราบเจ้าของ"}
SSE_POLL_S = 1.0
SSE_MAX_S = 2 * 3600
FINAL_STATES = {"done", "interrupted", "failed"}
SCAN_LIMIT = 5000  # batches looked through for a listing, newest first


def batch_unit(principal: Principal) -> str | None:
    """The unit a new batch belongs to: the uploader's own unit if an UPLOAD right covers it,
    else the unit of their first UPLOAD right."""
    units = [g.unit_path for g in principal.grants_for(Action.UPLOAD) if g.unit_path]
    if principal.unit_path and any(under(principal.unit_path, u) for u in units):
        return principal.unit_path
    return units[0] if units else None


def start_upload(archive: Archive, db: Session, principal: Principal,
                 uploads: Iterable[tuple[str, IO[bytes]]]) -> dict[str, Any]:
    """Save the uploads, record the batch (queued) and hand it to the runner."""
    batch_id = uuid.uuid4().hex
    spool = Spool((archive.settings.data_dir / "uploads" / batch_id).resolve())
    try:
        for name, source in uploads:
            if name:  # a form sends an empty, nameless part for a file input left empty
                spool.add_file(name, source)
        total = sum(1 for _ in iter_input_files([spool.files_dir])) if spool.files else 0
        if total == 0:
            raise UploadRefused("no_files", "ไม่มีไฟล์ให้นำเข้า กรุณาเลือกไฟล์ โฟลเดอร์ หรือ ZIP")
    except BaseException:
        remove(spool.root)
        raise
    unit = batch_unit(principal)
    db.add(IngestBatch(
        id=batch_id, started_at=datetime.now(UTC), state="queued", actor=principal.actor,
        host=socket.gethostname(), pid=os.getpid(), paths=[str(spool.files_dir)],
        jobs=ingest_runner.DEFAULT_JOBS,
        report={"total": total, "unit": unit, "source": "web", "uploaded_by": principal.username,
                "files_root": str(spool.files_dir)},
    ))
    audit.append(db, action="ingest.upload", subject=f"batch:{batch_id}", actor=principal.actor,
                 details={"files": total, "bytes": spool.size, "unit": unit})
    db.commit()  # the batch row exists before the worker (and the caller) looks for it
    ingest_runner.RUNNER.submit(ingest_runner.BatchJob(archive, batch_id, spool.root,
                                                       principal.actor))
    return {"batch_id": batch_id, "state": "queued", "total": total}


def _visible(principal: Principal, batch: IngestBatch) -> bool:
    if batch.actor == principal.actor:
        return True
    unit = (batch.report or {}).get("unit")
    return bool(unit) and any(
        g.unit_path and under(unit, g.unit_path) for g in principal.grants_for(Action.UPLOAD))


def get_batch(db: Session, principal: Principal, batch_id: str) -> IngestBatch:
    batch = db.get(IngestBatch, batch_id) if len(batch_id) <= 32 else None
    if batch is None or not _visible(principal, batch):
        raise not_found("ชุดนำเข้า")
    return batch


def _state(batch: IngestBatch) -> str:
    """What the row says, unless the process it names is gone (a restarted server)."""
    if batch.state in ("queued", "running") and batch.host == socket.gethostname():
        try:
            os.kill(batch.pid, 0)
        except ProcessLookupError:
            return "interrupted"
        except PermissionError:
            pass
    return batch.state


def _counts(db: Session, batch_id: str) -> dict[str, int]:
    rows = db.execute(select(IngestItem.status, func.count()).where(
        IngestItem.batch_id == batch_id).group_by(IngestItem.status)).all()
    counts = {"stored": 0, "rejected": 0, "duplicate": 0}
    counts.update({status: int(n) for status, n in rows})
    return counts


def batch_summary(db: Session, batch: IngestBatch) -> dict[str, Any]:
    report = batch.report or {}
    counts = _counts(db, batch.id)
    state = _state(batch)
    return {
        "batch_id": batch.id, "state": state, "state_th": STATE_TH.get(state, state),
        "started_at": batch.started_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
        "uploaded_by": report.get("uploaded_by") or batch.actor, "unit": report.get("unit"),
        "total": int(report.get("total") or report.get("files") or sum(counts.values())),
        "done": sum(counts.values()), "stored": counts["stored"],
        "rejected": counts["rejected"], "duplicates": counts["duplicate"],
        "failure": report.get("failure"),
    }


def _file_name(path: str, files_root: str | None) -> str:
    if files_root and path.startswith(files_root.rstrip("/") + "/"):
        return path[len(files_root.rstrip("/")) + 1:]
    return path.rsplit("/", 1)[-1]


def batch_detail(db: Session, batch: IngestBatch) -> dict[str, Any]:
    """The batch with one row per file: name, status, reasons (Thai too), category, filing."""
    result = batch_summary(db, batch)
    root = (batch.report or {}).get("files_root")
    rows = db.execute(
        select(IngestItem, Document.category, Document.link)
        .outerjoin(Document, (Document.id == IngestItem.document_id)
                   & (IngestItem.status == "stored"))
        .where(IngestItem.batch_id == batch.id).order_by(IngestItem.id)).all()
    result["items"] = [{
        "file": _file_name(item.path, root), "status": item.status,
        "status_th": STATUS_TH.get(item.status, item.status), "pages": item.pages,
        "reasons": list(item.reasons or []),
        "reasons_th": [REASONS_TH.get(r, r) for r in item.reasons or []]
        + ([REASONS_TH["duplicate"]] if item.status == "duplicate" else []),
        "warnings": list(item.warnings or []),
        "warnings_th": [WARNINGS_TH.get(w, w) for w in item.warnings or []],
        "detail": item.detail if item.status == "rejected" else None,
        "document_id": item.document_id if item.status == "stored" else None,
        "category": category, "link": link,
    } for item, category, link in rows]
    return result


def list_batches(db: Session, principal: Principal, *, limit: int = 50) -> list[dict[str, Any]]:
    """The caller's unit's batches (and their own), newest first."""
    found: list[dict[str, Any]] = []
    query = select(IngestBatch).order_by(IngestBatch.started_at.desc()).limit(SCAN_LIMIT)
    for batch in db.scalars(query).all():
        if _visible(principal, batch):
            found.append(batch_summary(db, batch))
            if len(found) >= limit:
                break
    return found


def _poll(archive: Archive, batch_id: str) -> dict[str, Any] | None:
    with archive.catalog.read_session() as s:  # no write lock while watching a batch
        batch = s.get(IngestBatch, batch_id)
        return batch_summary(s, batch) if batch is not None else None


async def events(archive: Archive, batch_id: str) -> AsyncIterator[str]:
    """Server-Sent Events: a `progress` event whenever the counts change, `done` at the end.
    The caller's right is checked before streaming starts; each poll is its own session, in
    a worker thread, so waiting clients hold no thread."""
    last: str | None = None
    started = time.monotonic()
    quiet = 0.0
    while time.monotonic() - started < SSE_MAX_S:
        summary = await run_in_threadpool(_poll, archive, batch_id)
        if summary is None:
            return
        data = json.dumps(summary, ensure_ascii=False)
        if summary["state"] in FINAL_STATES:
            yield f"event: done\ndata: {data}\n\n"
            return
        if data != last:
            last, quiet = data, 0.0
            yield f"event: progress\ndata: {data}\n\n"
        elif quiet >= 15:
            quiet = 0.0
            yield ": keep-alive\n\n"
        await asyncio.sleep(SSE_POLL_S)
        quiet += SSE_POLL_S
