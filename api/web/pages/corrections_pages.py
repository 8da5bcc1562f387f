"""/corrections: the registrar's list of owners' requests, with approve and reject forms
(a reason is required to reject), and the evidence files to open."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from api.access import Action, Principal
from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep, requires
from api.http.errors import ApiError
from api.services import corrections
from api.services.documents_service import content_disposition
from api.web.render import page

router = APIRouter(include_in_schema=False)
RequestId = Annotated[int, Path(ge=1, le=2**31)]


@router.get("/corrections", response_class=HTMLResponse, summary="Correction requests page")
def corrections_page(
    request: Request, db: DbDep,
    principal: Annotated[Principal, requires(Action.DECIDE_CORRECTION)],
    status: Literal["pending", "approved", "rejected", "all"] = "pending",
) -> HTMLResponse:
    items = corrections.list_requests(db, principal, status=None if status == "all" else status)
    return page(request, "corrections.html", principal, items=items, status=status,
                statuses=corrections.STATUSES, error=None)


@router.post("/corrections/{request_id}/{verdict}", response_class=HTMLResponse,
             summary="Approve or reject (form)")
def decide_form(request_id: RequestId, verdict: Literal["approve", "reject"],
                request: Request, principal: CurrentPrincipal, db: DbDep,
                reason: Annotated[str, Form(max_length=4000)] = "") -> Response:
    try:
        corrections.decide(db, principal, request_id, approve=verdict == "approve",
                           reason=reason)
    except ApiError as exc:
        if exc.status not in (400, 409):
            raise
        items = corrections.list_requests(db, principal, status="pending")
        return page(request, "corrections.html", principal, status_code=exc.status,
                    items=items, status="pending", statuses=corrections.STATUSES,
                    error=exc.message)
    return RedirectResponse(f"/corrections?status=all#c{request_id}", status_code=303)


@router.get("/corrections/{request_id}/evidence/{index}", summary="Evidence file")
def evidence_file(request_id: RequestId, index: Annotated[int, Path(ge=0, le=100)],
                  principal: CurrentPrincipal, db: DbDep,
                  archive: ArchiveDep) -> StreamingResponse:
    ev, chunks = corrections.evidence_stream(db, archive.store, principal, request_id, index)
    return StreamingResponse(chunks, media_type=ev["media_type"], headers={
        "Content-Disposition": content_disposition(ev["name"], "inline"),
        "Content-Length": str(ev["size"])})
