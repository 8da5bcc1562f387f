"""/retention/paper-lists: บัญชีหนังสือขอทำลาย of an ingest batch, the committee's decision, and
the CSV and PDF to print (records manager; both retention roles may read)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.access import Action, Principal
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ApiError
from api.services import retention_paper_service as svc
from api.web.pages.retention_pages import FORM_ERRORS, Reader
from api.web.render import page

router = APIRouter(include_in_schema=False)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]
Id = Annotated[str, Path(max_length=64)]
Text = Annotated[str, Form(max_length=2000)]
BASE = "/retention/paper-lists"


def _lists(request: Request, db: Session, principal: Principal, *, status_code: int = 200,
           error: str | None = None, batch_id: str = "") -> HTMLResponse:
    return page(request, "retention_paper.html", principal, status_code=status_code,
                lists=svc.list_all(db, principal), error=error, batch_id=batch_id,
                can_review=principal.can_at_all(Action.RETENTION_REVIEW))


@router.get(BASE, response_class=HTMLResponse, summary="Paper destruction lists")
def lists_page(request: Request, db: DbDep, principal: Reader) -> HTMLResponse:
    return _lists(request, db, principal)


@router.post(BASE, summary="Make a paper destruction list (form)")
def make_form(request: Request, db: DbDep, archive: ArchiveDep, principal: Manager,
              batch_id: Annotated[str, Form(max_length=64)]) -> Response:
    try:
        made = svc.make(db, archive, principal, batch_id.strip())
    except ApiError as exc:
        if exc.status not in (*FORM_ERRORS, 403):
            raise
        return _lists(request, db, principal, status_code=exc.status, error=exc.message,
                      batch_id=batch_id)
    return RedirectResponse(f"{BASE}/{made['list_id']}", status_code=303)


@router.get(BASE + "/{list_id}.pdf", summary="Paper destruction list PDF")
def pdf(list_id: Id, db: DbDep, archive: ArchiveDep, principal: Reader) -> Response:
    return Response(svc.file(db, archive, principal, list_id, "pdf"),
                    media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="paper-list-{list_id}.pdf"'})


@router.get(BASE + "/{list_id}.csv", summary="Paper destruction list CSV")
def csv(list_id: Id, db: DbDep, archive: ArchiveDep, principal: Reader) -> Response:
    return Response(svc.file(db, archive, principal, list_id, "csv"),
                    media_type="text/csv; charset=utf-8", headers={
                        "Content-Disposition": f'attachment; filename="paper-list-{list_id}.csv"'})


def _detail(request: Request, db: Session, principal: Principal, list_id: str, *,
            status_code: int = 200, error: str | None = None,
            form: dict[str, Any] | None = None) -> HTMLResponse:
    return page(request, "retention_paper_list.html", principal, status_code=status_code,
                paper=svc.get(db, principal, list_id), error=error, form=form or {},
                can_review=principal.can_at_all(Action.RETENTION_REVIEW))


@router.get(BASE + "/{list_id}", response_class=HTMLResponse, summary="A paper list")
def detail_page(list_id: Id, request: Request, db: DbDep, principal: Reader) -> HTMLResponse:
    return _detail(request, db, principal, list_id)


@router.post(BASE + "/{list_id}/decide", summary="Record the committee's decision (form)")
def decide_form(
    list_id: Id, request: Request, db: DbDep, archive: ArchiveDep, principal: Manager,
    committee: Annotated[list[str] | None, Form()] = None,
    item_no: Annotated[list[str] | None, Form()] = None,
    keep_reason: Annotated[list[str] | None, Form()] = None,
    meeting_ref: Annotated[str, Form(max_length=200)] = "", note: Text = "",
) -> Response:
    """Each item has a reason box, always sent: a reason keeps the item, empty destroys it."""
    members = [m for m in committee or [] if m.strip()]
    keep = {no: reason.strip() for no, reason in zip(item_no or [], keep_reason or [],
                                                     strict=False) if reason.strip()}
    fields = {"committee": members, "meeting_ref": meeting_ref, "note": note, "keep": keep}
    try:
        svc.decide(db, archive, principal, list_id, committee=members,
                   meeting_ref=meeting_ref or None, keep=keep, note=note or None)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _detail(request, db, principal, list_id, status_code=exc.status,
                       error=exc.message, form=fields)
    return RedirectResponse(f"{BASE}/{list_id}", status_code=303)
