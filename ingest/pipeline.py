"""One file's way in: triage -> scan rules -> dedupe -> OCR -> Thai clean-up -> store."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive import audit
from archive.archive import Archive
from archive.catalog import Document, IngestItem, enqueue
from archive.documents import ObjectSource, object_key, write_objects
from archive.objectstore.base import sha256_of_file
from archive.thai import is_valid_citizen_id
from ingest.ocr import OcrFailed, OcrUnreadable, ocr_document
from ingest.scanqa import check_scan
from ingest.triage import IngestRejected, triage
from ingest.understand import Understanding, apply, understand_for_ingest

log = logging.getLogger(__name__)


class Status:
    STORED = "stored"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class IngestTask:
    path: Path
    batch_id: str
    folder_hint: str | None = None


@dataclass
class FileOutcome:
    """What happened to one input file; `as_json` is the contract's JSON line."""

    file: str
    status: str
    document_id: str | None = None
    sha256: str | None = None
    pages: int = 0
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    category: str | None = None
    category_confidence: float = 0.0
    citizen_ids: list[str] = field(default_factory=list)
    link: str = "unlinked"
    entry_ids: list[str] = field(default_factory=list)
    detail: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "document_id": self.document_id,
            "sha256": self.sha256,
            "pages": self.pages,
            "reasons": self.reasons,
            "warnings": self.warnings,
            "category": self.category,
            "category_confidence": self.category_confidence,
            "citizen_ids": self.citizen_ids,
            "link": self.link,
            "entry_ids": self.entry_ids,
            "detail": self.detail,
        }


def crash_point(name: str) -> None:
    """Fault injection for the crash-safety tests: die here like `kill -9` when asked to.

    TABIAN_CRASH_AT names the point; TABIAN_CRASH_AFTER (default 0) lets that many passes
    through it go by first, counted in TABIAN_CRASH_COUNTER_FILE across processes.
    """
    if os.environ.get("TABIAN_CRASH_AT") != name:
        return
    counter = Path(os.environ.get("TABIAN_CRASH_COUNTER_FILE", "/nonexistent"))
    passes = int(counter.read_text()) if counter.is_file() else 0
    if passes >= int(os.environ.get("TABIAN_CRASH_AFTER", "0")):
        os.kill(os.getpid(), signal.SIGKILL)
    if counter.parent.is_dir():
        counter.write_text(str(passes + 1))


def folder_hint_for(path: Path) -> str | None:
    """A parent folder named by a valid 13-digit citizen ID hints at the owner."""
    name = path.parent.name
    if len(name) == 13 and name.isdigit() and is_valid_citizen_id(name):
        return name
    return None


def _find_duplicate(archive: Archive, sha256: str) -> str | None:
    with archive.catalog.session() as s:
        return s.scalar(select(Document.id).where(Document.sha256 == sha256))


def _record_item(archive: Archive, task: IngestTask, outcome: FileOutcome) -> None:
    with archive.catalog.session() as s:
        s.add(_item_row(task, outcome))


def _item_row(task: IngestTask, outcome: FileOutcome) -> IngestItem:
    return IngestItem(
        batch_id=task.batch_id, path=str(task.path), sha256=outcome.sha256,
        status=outcome.status, document_id=outcome.document_id, pages=outcome.pages,
        reasons=outcome.reasons, warnings=outcome.warnings, detail=outcome.detail,
        seconds=outcome.seconds, finished_at=datetime.now(UTC),
    )


def process_file(archive: Archive, task: IngestTask, workroot: Path) -> FileOutcome:
    """Take one file all the way in. Never raises for a bad file; raises for a broken system."""
    started = time.monotonic()
    outcome = FileOutcome(file=str(task.path), status=Status.REJECTED)
    workdir = Path(tempfile.mkdtemp(prefix="ingest-", dir=workroot))
    try:
        _process(archive, task, workdir, outcome)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        outcome.seconds = time.monotonic() - started
    if outcome.status != Status.STORED:
        _record_item(archive, task, outcome)
    return outcome


def _reject(outcome: FileOutcome, reasons: list[str], detail: str) -> None:
    """Warnings belong to stored documents only; a rejection carries its reasons and advice."""
    outcome.status = Status.REJECTED
    outcome.reasons = reasons
    outcome.warnings = []
    outcome.detail = detail


def _process(archive: Archive, task: IngestTask, workdir: Path, outcome: FileOutcome) -> None:
    try:
        outcome.sha256, _size = sha256_of_file(task.path)
    except OSError as exc:
        _reject(outcome, ["unreadable"], f"cannot read the file: {exc.strerror}")
        return
    existing = _find_duplicate(archive, outcome.sha256)
    if existing is not None:
        outcome.status, outcome.document_id = Status.DUPLICATE, existing
        outcome.detail = "the same bytes are already stored"
        return
    try:
        tri = triage(task.path, workdir)
    except IngestRejected as rej:
        _reject(outcome, list(rej.reasons), rej.detail)
        return
    outcome.pages = tri.pages
    qa = check_scan(tri.pdf_path, created_at=tri.created_at)
    outcome.warnings = list(qa.warnings)
    if qa.reasons:
        _reject(outcome, list(qa.reasons), _qa_detail(qa.reasons))
        return
    try:
        ocr = ocr_document(tri.pdf_path, workdir / "ocr", text_pages=tri.text_pages)
    except OcrUnreadable as exc:
        _reject(outcome, ["unreadable"], f"the PDF cannot be processed: {exc}")
        return
    except OcrFailed as exc:
        log.warning("OCR failed on %s: %s", task.path, exc)
        _reject(outcome, ["ocr_failed"],
                f"OCR or PDF/A conversion failed ({exc}); nothing was stored: "
                "check the file opens in a PDF viewer, re-save or re-scan it, and ingest again")
        return
    text = "\f".join(ocr.page_texts)
    understanding = understand_for_ingest(archive, text, folder_hint=task.folder_hint)
    understanding.fill(outcome)
    _store(archive, task, tri, ocr.archive_pdf, text, outcome, understanding)


def _qa_detail(reasons: list[str]) -> str:
    advice = {
        "low_resolution": "scan again at 300 DPI or more (clause 5.6.1)",
        "not_color": "scan again in colour (clause 5.6.1); black-and-white is accepted only for "
        "scans made before 26 January 2026",
    }
    return "; ".join(advice.get(r, r) for r in reasons)


def _store(
    archive: Archive, task: IngestTask, tri: Any, archive_pdf: Path, text: str,
    outcome: FileOutcome, understanding: Understanding | None = None,
) -> None:
    """Objects first, then one catalog transaction naming them, with the audit event."""
    sha = outcome.sha256
    assert sha is not None
    suffix = task.path.suffix or ".bin"
    objects = write_objects(archive.store, [
        ObjectSource("original", object_key(sha, "original", original_suffix=suffix),
                     path=task.path),
        ObjectSource("archive", object_key(sha, "archive"), path=archive_pdf),
        ObjectSource("text", object_key(sha, "text"), data=text.encode("utf-8")),
    ])
    crash_point("after_objects")
    document_id = uuid.uuid4().hex
    outcome.document_id = document_id
    outcome.status = Status.STORED
    try:
        with archive.catalog.session() as s:
            doc = Document(
                id=document_id, sha256=sha, size=task.path.stat().st_size, pages=tri.pages,
                original_name=task.path.name, source_path=str(task.path),
                media_type=tri.media_type, category=outcome.category,
                category_confidence=outcome.category_confidence, link=outcome.link,
                warnings=outcome.warnings, folder_hint=task.folder_hint, batch_id=task.batch_id,
                created_at=datetime.now(UTC),
            )
            doc.objects.extend(objects)
            s.add(doc)
            enqueue(s, document_id)  # the search index follows in step (search outbox)
            s.add(_item_row(task, outcome))
            audit.append(
                s, action="document.ingest", subject=f"document:{document_id}",
                details={"sha256": sha, "file": task.path.name, "pages": tri.pages,
                         "batch": task.batch_id, "warnings": outcome.warnings},
            )
            if understanding is not None:  # links, entries, drafts, review item (same commit)
                apply(s, doc, understanding)
            s.flush()
            crash_point("before_commit")
    except IntegrityError:
        # Another worker (or a run killed after its commit) stored the same bytes meanwhile.
        existing = _find_duplicate(archive, sha)
        if existing is None:
            raise
        outcome.status, outcome.document_id = Status.DUPLICATE, existing
        outcome.detail = "the same bytes are already stored"
