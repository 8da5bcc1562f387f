"""/verify/{id}: the public page a printed record's QR code opens (no sign-in). It says whether
Tabian issued the printout, when and by whom, and checks an uploaded PDF byte for byte."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Request, UploadFile
from fastapi.responses import HTMLResponse

from api.http.deps import DbDep, OptionalPrincipal
from api.http.routers.verify import read_limited
from api.services import printout
from api.web.render import page

router = APIRouter(include_in_schema=False)
PrintoutId = Annotated[str, Path(max_length=64)]


@router.get("/verify/{printout_id}", response_class=HTMLResponse, summary="Verify a printout")
def verify_page(printout_id: PrintoutId, request: Request, db: DbDep,
                principal: OptionalPrincipal) -> HTMLResponse:
    result = printout.verify(db, printout_id)
    return page(request, "verify.html", principal, v=result, check=None)


@router.post("/verify/{printout_id}", response_class=HTMLResponse,
             summary="Check an uploaded PDF against the printout")
def verify_upload_page(printout_id: PrintoutId, request: Request, db: DbDep,
                       principal: OptionalPrincipal,
                       file: Annotated[UploadFile | str | None, File()] = None) -> HTMLResponse:
    result = printout.verify(db, printout_id)
    check = printout.check_upload(db, printout_id, read_limited(file)) \
        if not isinstance(file, str | None) else None
    return page(request, "verify.html", principal, v=result, check=check)
