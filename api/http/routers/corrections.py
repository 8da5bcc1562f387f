"""Owners' correction and addition requests (handbook clause 4.1): the owner asks with
evidence and follows the status; the registrar approves or rejects with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import corrections
from api.services.documents_service import CHUNK, content_disposition

router = APIRouter(prefix=API_PREFIX, tags=["corrections"], responses=ERROR_RESPONSES)
RequestId = Annotated[int, Path(ge=1, le=2**31)]

UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "An evidence file is over 20 MB"},
    415: {"description": "An evidence file is not PDF, JPEG or PNG"},
}


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(CHUNK):
        yield chunk


def evidence_files(files: list[UploadFile | str] | None) -> list[corrections.EvidenceFile]:
    """Read the uploads. A browser's file input with no file chosen sends an empty part with
    no name, which arrives as text or as an empty nameless file: neither is evidence."""
    out = []
    for f in files or []:
        if isinstance(f, str) or (not f.filename and not f.size):
            continue
        out.append(corrections.read_evidence(f.filename or "evidence", _chunks(f)))
    return out


@router.post("/me/corrections", status_code=201, responses=UPLOAD_ERRORS,
             summary="Ask to correct or add to one's own record, with evidence (required)")
def request_correction(
    principal: CurrentPrincipal, db: DbDep, archive: ArchiveDep,
    kind: Annotated[Literal["correction", "addition"], Form()],
    subject: Annotated[str, Form(max_length=300)],
    description: Annotated[str, Form(max_length=10_000)],
    files: Annotated[list[UploadFile | str] | None,
                     File(description="evidence: PDF, JPEG or PNG, ≤ 20 MB each; at least one")]
    = None,
) -> corrections.CorrectionOut:
    return corrections.request_correction(
        db, archive.store, principal, kind=kind, subject=subject, description=description,
        files=evidence_files(files))


@router.get("/me/corrections", summary="The signed-in owner's own requests and their status")
def my_corrections(principal: CurrentPrincipal,
                   db: DbDep) -> dict[str, list[corrections.CorrectionOut]]:
    return {"corrections": corrections.own_requests(db, principal)}


@router.get("/corrections", summary="Requests the caller may decide (registrar's scope)")
def list_corrections(
    principal: Annotated[Principal, requires(Action.DECIDE_CORRECTION)], db: DbDep,
    status: Literal["pending", "approved", "rejected"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, list[corrections.CorrectionOut]]:
    return {"corrections": corrections.list_requests(db, principal, status=status,
                                                     limit=limit, offset=offset)}


@router.get("/corrections/{request_id}", summary="One request (the decider or its owner)")
def read_correction(request_id: RequestId, principal: CurrentPrincipal,
                    db: DbDep) -> corrections.CorrectionOut:
    return corrections.as_out(corrections.get_request(db, principal, request_id))


@router.get("/corrections/{request_id}/evidence/{index}", response_class=StreamingResponse,
            responses={200: {"content": {"application/pdf": {}, "image/jpeg": {},
                                         "image/png": {}}}},
            summary="Download one evidence file of a request (audited)")
def correction_evidence(request_id: RequestId,
                        index: Annotated[int, Path(ge=0, le=100)],
                        principal: CurrentPrincipal, db: DbDep,
                        archive: ArchiveDep) -> StreamingResponse:
    ev, chunks = corrections.evidence_stream(db, archive.store, principal, request_id, index)
    return StreamingResponse(chunks, media_type=ev["media_type"], headers={
        "Content-Disposition": content_disposition(ev["name"]),
        "Content-Length": str(ev["size"])})


class Decision(BaseModel):
    reason: str | None = Field(default=None, max_length=4000,
                               description="required to reject")


@router.post("/corrections/{request_id}/approve", summary="Approve a request (audited)")
def approve(request_id: RequestId, principal: CurrentPrincipal,
            db: DbDep, body: Decision | None = None) -> corrections.CorrectionOut:
    return corrections.decide(db, principal, request_id, approve=True,
                              reason=body.reason if body else None)


@router.post("/corrections/{request_id}/reject",
             summary="Reject a request; a reason is required (audited)")
def reject(request_id: RequestId, body: Decision,
           principal: CurrentPrincipal, db: DbDep) -> corrections.CorrectionOut:
    return corrections.decide(db, principal, request_id, approve=False, reason=body.reason)
