"""/me: the owner's own record and evidence, their correction requests with status, and the
form to ask for a correction or addition, refused without evidence (handbook clause 4.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.http.deps import ArchiveDep, CurrentPrincipal, DbDep
from api.http.errors import ApiError
from api.http.routers.corrections import evidence_files
from api.services import corrections, records
from api.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/me", response_class=HTMLResponse, summary="My record")
def me_page(request: Request, principal: CurrentPrincipal, db: DbDep,
            sent: int = 0) -> HTMLResponse:
    person = records.own_person(db, principal)
    record = records.record_of(db, principal, person)
    return page(request, "me.html", principal, r=record, saved="", sent=sent,
                requests=corrections.own_requests(db, principal), kinds=corrections.KINDS,
                form={}, form_error=None)


@router.get("/me/corrections/new", response_class=HTMLResponse, summary="New request form")
def new_request_page(request: Request, principal: CurrentPrincipal, db: DbDep) -> HTMLResponse:
    records.own_person(db, principal)
    return page(request, "correction_new.html", principal, kinds=corrections.KINDS, form={},
                form_error=None)


@router.post("/me/corrections", response_class=HTMLResponse, summary="Send a request (form)")
def send_request(
    request: Request, principal: CurrentPrincipal, db: DbDep, archive: ArchiveDep,
    kind: Annotated[str, Form(max_length=16)] = "correction",
    subject: Annotated[str, Form(max_length=300)] = "",
    description: Annotated[str, Form(max_length=10_000)] = "",
    files: Annotated[list[UploadFile | str] | None, File()] = None,
) -> Response:
    try:
        made = corrections.request_correction(
            db, archive.store, principal, kind=kind, subject=subject, description=description,
            files=evidence_files(files))
    except ApiError as exc:
        if exc.status not in (400, 413, 415):
            raise
        form = {"kind": kind, "subject": subject, "description": description}
        return page(request, "correction_new.html", principal, status_code=exc.status,
                    kinds=corrections.KINDS, form=form, form_error=exc)
    return RedirectResponse(f"/me?sent={made['id']}#requests", status_code=303)
