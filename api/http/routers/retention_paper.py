"""Paper destruction lists API (บัญชีหนังสือขอทำลาย): make from an ingest batch, decide, download.

Records managers (RETENTION_REVIEW) make lists and record the destruction committee's decision;
both roles of the destruction workflow may read them, within their scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.http.routers.retention import PDF, Reader, pdf_response
from api.http.routers.retention_models import DecideIn, PaperListIn, PaperListOut
from api.services import retention_paper_service as svc

router = APIRouter(prefix=f"{API_PREFIX}/retention/paper-lists", tags=["retention"],
                   responses=ERROR_RESPONSES)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The CSV (UTF-8 with BOM)"}}


@router.post("", status_code=201, response_model=PaperListOut,
             summary="List the paper originals of an ingest batch whose electronic copies are "
                     "verified and filed (records manager)")
def make(body: PaperListIn, db: DbDep, archive: ArchiveDep, principal: Manager) -> dict[str, Any]:
    return svc.make(db, archive, principal, body.batch_id)


@router.get("", response_model=list[PaperListOut], summary="Paper destruction lists in scope")
def list_all(db: DbDep, principal: Reader) -> list[dict[str, Any]]:
    return svc.list_all(db, principal)


@router.get("/{list_id}.pdf", response_class=Response, responses=PDF,
            summary="The list as a Thai PDF (form 25), as stored (audited)")
def pdf(list_id: str, db: DbDep, archive: ArchiveDep, principal: Reader) -> Response:
    return pdf_response(svc.file(db, archive, principal, list_id, "pdf"),
                        f"paper-list-{list_id}.pdf")


@router.get("/{list_id}.csv", response_class=Response, responses=CSV,
            summary="The list as CSV, as stored (audited)")
def csv(list_id: str, db: DbDep, archive: ArchiveDep, principal: Reader) -> Response:
    data = svc.file(db, archive, principal, list_id, "csv")
    return Response(data, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="paper-list-{list_id}.csv"'})


@router.get("/{list_id}", response_model=PaperListOut,
            summary="A paper destruction list with its items (audited)")
def get(list_id: str, db: DbDep, principal: Reader) -> dict[str, Any]:
    return svc.get(db, principal, list_id)


@router.post("/{list_id}/decide", response_model=PaperListOut,
             summary="Record the destruction committee's decision: every item destroyed unless "
                     "kept with a reason (records manager)")
def decide(list_id: str, body: DecideIn, db: DbDep, archive: ArchiveDep,
           principal: Manager) -> dict[str, Any]:
    return svc.decide(db, archive, principal, list_id, committee=body.committee,
                      meeting_ref=body.meeting_ref, keep=body.keep, note=body.note)
