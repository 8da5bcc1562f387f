"""/upload and /batches/{id}: bulk upload with live progress, and each batch's report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api.access import Action, Principal
from api.http.deps import ArchiveDep, DbDep, requires
from api.services import ingest_service
from api.services.ingest_service import LINK_TH, REASONS_TH, STATE_TH
from api.web.render import page, thai_date

router = APIRouter(include_in_schema=False)
Uploader = Annotated[Principal, requires(Action.UPLOAD)]


def _started_th(batch: dict[str, Any]) -> dict[str, Any]:
    return {**batch, "started_th": thai_date(datetime.fromisoformat(batch["started_at"]))}


@router.get("/upload", response_class=HTMLResponse, summary="Upload page")
def upload_page(request: Request, db: DbDep, principal: Uploader) -> HTMLResponse:
    batches = [_started_th(b) for b in ingest_service.list_batches(db, principal, limit=20)]
    return page(request, "upload.html", principal, batches=batches,
                unit=ingest_service.batch_unit(principal), reasons_th=REASONS_TH,
                states_th=STATE_TH)


@router.post("/upload", summary="Upload form (without JavaScript)")
def upload_form(archive: ArchiveDep, db: DbDep, principal: Uploader,
                files: Annotated[list[UploadFile] | None, File()] = None) -> RedirectResponse:
    started = ingest_service.start_upload(
        archive, db, principal, ((f.filename or "", f.file) for f in files or []))
    return RedirectResponse(f"/batches/{started['batch_id']}", status_code=303)


@router.get("/batches/{batch_id}", response_class=HTMLResponse, summary="Batch report page")
def batch_page(request: Request, db: DbDep, principal: Uploader, batch_id: str) -> HTMLResponse:
    batch = _started_th(
        ingest_service.batch_detail(db, ingest_service.get_batch(db, principal, batch_id)))
    rejected = [i for i in batch["items"] if i["status"] != "stored"]
    return page(request, "batch.html", principal, batch=batch, rejected=rejected,
                link_th=LINK_TH)
