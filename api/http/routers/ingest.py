"""Bulk upload and batch reports: POST /ingest, GET /batches[/{id}[/events]] (Action.UPLOAD)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import ingest_service

router = APIRouter(prefix=API_PREFIX, tags=["ingest"], responses=ERROR_RESPONSES)
Uploader = Annotated[Principal, requires(Action.UPLOAD)]


class UploadOut(BaseModel):
    batch_id: str
    state: str
    total: int


class BatchOut(BaseModel):
    batch_id: str
    state: str  # queued | running | done | interrupted | failed
    state_th: str
    started_at: str
    finished_at: str | None
    uploaded_by: str
    unit: str | None
    total: int
    done: int
    stored: int
    rejected: int
    duplicates: int
    failure: str | None = None


class BatchList(BaseModel):
    batches: list[BatchOut]


class BatchFileOut(BaseModel):
    file: str
    status: str  # stored | rejected | duplicate
    status_th: str
    pages: int
    reasons: list[str]
    reasons_th: list[str]
    warnings: list[str]
    warnings_th: list[str]
    detail: str | None
    document_id: str | None
    category: str | None
    link: str | None


class BatchDetail(BatchOut):
    items: list[BatchFileOut]


@router.post(
    "/ingest", status_code=202, response_model=UploadOut,
    summary="Upload scans (files, a folder, or a zip of the folder-per-person layout)",
    description="Multipart field `files`, repeated. A file's name may carry its folder "
                "(`1234567890123/order.pdf`: a folder named by a citizen ID hints at the "
                "owner). A `.zip` is unpacked; entries leaving their folder (zip-slip) or "
                "expanding past the limits (zip bombs) refuse the whole upload. Files that are "
                "not PDF/TIFF/JPEG/PNG are kept and rejected by ingest with their reason. "
                "Answers at once with the batch id; follow it at /batches/{id}/events.",
)
def upload(archive: ArchiveDep, db: DbDep, principal: Uploader,
           files: Annotated[list[UploadFile] | None,
                            File(description="scans, folders' files or zips")] = None,
           ) -> dict[str, Any]:
    return ingest_service.start_upload(
        archive, db, principal, ((f.filename or "", f.file) for f in files or []))


@router.get("/batches", response_model=BatchList,
            summary="Ingest batches of the caller's unit, newest first")
def batches(db: DbDep, principal: Uploader,
            limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    return {"batches": ingest_service.list_batches(db, principal, limit=limit)}


@router.get("/batches/{batch_id}", response_model=BatchDetail,
            summary="One batch: progress and the report of every file (no record contents)")
def batch(db: DbDep, principal: Uploader, batch_id: str) -> dict[str, Any]:
    return ingest_service.batch_detail(db, ingest_service.get_batch(db, principal, batch_id))


@router.get(
    "/batches/{batch_id}/events", summary="Live progress of a batch (Server-Sent Events)",
    description="`event: progress` with the batch's counts whenever they change, then "
                "`event: done` once it has finished; comments keep the connection alive.",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def batch_events(archive: ArchiveDep, db: DbDep, principal: Uploader,
                 batch_id: str) -> StreamingResponse:
    ingest_service.get_batch(db, principal, batch_id)
    return StreamingResponse(
        ingest_service.events(archive, batch_id), media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
