"""A document page as a PNG (for reviewers and readers), rendered by poppler and cached.

The archive PDF/A page is rendered with `pdftoppm` at 100 DPI: enough to read a scan on a
screen, small enough to send quickly. Images are cached in the data dir by the PDF's sha256
and the page number, so they follow the content, not the document id.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from api.access import Action, Principal, Target, allows
from api.http.errors import ApiError, not_found
from api.services.review_service import document_reviewable
from archive import audit
from archive.archive import Archive
from archive.catalog import Document, DocumentObject, DocumentPerson, Person

log = logging.getLogger(__name__)

DPI = 100
RENDER_TIMEOUT_S = 60


def may_view(db: Session, principal: Principal, document_id: str) -> bool:
    """READ_RECORD of a linked owner, or a review item of the document the caller reviews."""
    owners = db.scalars(
        select(Person).join(DocumentPerson, DocumentPerson.person_id == Person.id)
        .options(joinedload(Person.unit))
        .where(DocumentPerson.document_id == document_id, DocumentPerson.state == "linked"))
    if any(allows(principal, Action.READ_RECORD, Target.of(p)) for p in owners):
        return True
    return document_reviewable(db, principal, document_id)


def _pdf_object(db: Session, doc: Document) -> DocumentObject | None:
    objects = {o.kind: o for o in db.scalars(
        select(DocumentObject).where(DocumentObject.document_id == doc.id))}
    if "archive" in objects:
        return objects["archive"]
    if doc.media_type == "application/pdf":
        return objects.get("original")
    return None


def cache_path(archive: Archive, sha256: str, page: int) -> Path:
    return archive.settings.data_dir / "cache" / "pages" / sha256[:2] / f"{sha256}-{page}.png"


def _render(archive: Archive, obj: DocumentObject, page: int, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # the work folder sits beside the cache, so the finished image moves in atomically
    with tempfile.TemporaryDirectory(prefix=".render-", dir=target.parent) as tmp:
        pdf = Path(tmp) / "doc.pdf"
        archive.store.get_file(obj.key, pdf, sha256=obj.sha256)
        out = Path(tmp) / "page"
        try:
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                 "-singlefile", str(pdf), str(out)],
                check=True, capture_output=True, timeout=RENDER_TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            log.warning("pdftoppm failed on %s page %s: %s", obj.key, page, exc)
            raise ApiError(422, "page_unrenderable", "แสดงภาพหน้านี้ไม่ได้") from exc
        out.with_suffix(".png").replace(target)


def page_png(archive: Archive, db: Session, principal: Principal, document_id: str,
             page: int) -> Path:
    """The cached PNG of `page` (1-based) of the document; the view is audited."""
    doc = db.get(Document, document_id) if len(document_id) <= 32 else None
    if doc is None or not may_view(db, principal, document_id):
        raise not_found("เอกสาร")
    if not 1 <= page <= max(doc.pages, 1):
        raise not_found("หน้าเอกสาร")
    obj = _pdf_object(db, doc)
    if obj is None:
        raise ApiError(404, "no_page_image", "เอกสารนี้ไม่มีไฟล์ PDF สำหรับแสดงภาพ")
    target = cache_path(archive, obj.sha256, page)
    if not target.is_file():
        _render(archive, obj, page, target)
    audit.append(db, action="document.view_page", subject=f"document:{doc.id}",
                 actor=principal.actor, details={"page": page})
    return target
