"""/drafts: draft record entries proposed from scanned orders (clause 4.4: record within
5 working days), for the recorder or registrar to confirm or discard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import Action, Principal
from api.http.deps import CurrentPrincipal, DbDep, requires
from api.services import entries
from api.web.render import page

router = APIRouter(include_in_schema=False)
EntryId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")]


@router.get("/drafts", response_class=HTMLResponse, summary="Draft entries page")
def drafts_page(request: Request, db: DbDep,
                principal: Annotated[Principal, requires(Action.WRITE_ENTRY)]) -> HTMLResponse:
    return page(request, "drafts.html", principal,
                drafts=entries.list_drafts(db, principal, limit=200))


@router.post("/drafts/{entry_id}/{verdict}", summary="Confirm or discard a draft (form)")
def decide_form(entry_id: EntryId, verdict: Literal["confirm", "discard"],
                principal: CurrentPrincipal, db: DbDep) -> Response:
    entries.decide_draft(db, principal, entry_id=entry_id, confirm=verdict == "confirm")
    return RedirectResponse("/drafts", status_code=303)
