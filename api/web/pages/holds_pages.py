"""/holds: legal holds (การระงับการทำลาย) placed and released by the data controller."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.access import Action, Principal
from api.http.deps import DbDep, requires
from api.http.errors import ApiError
from api.services import holds_service as svc
from api.web.pages import retention_filters  # noqa: F401  (registers the Thai filters)
from api.web.render import page

router = APIRouter(include_in_schema=False)

Controller = Annotated[Principal, requires(Action.LEGAL_HOLD)]
Text = Annotated[str, Form(max_length=2000)]
FORM_ERRORS = (400, 404, 409)


def _page(request: Request, db: Session, principal: Principal, *, show_all: bool = False,
          status_code: int = 200, error: str | None = None, notice: str | None = None,
          form: dict[str, Any] | None = None) -> HTMLResponse:
    return page(request, "holds.html", principal, status_code=status_code, error=error,
                notice=notice, form=form or {}, show_all=show_all,
                holds=svc.holds(db, principal, include_released=show_all))


@router.get("/holds", response_class=HTMLResponse, summary="Legal holds page")
def holds_page(request: Request, db: DbDep, principal: Controller,
               show_all: Annotated[bool, Query(alias="all")] = False) -> HTMLResponse:
    return _page(request, db, principal, show_all=show_all)


@router.post("/holds", summary="Place a hold (form)")
def place_form(request: Request, db: DbDep, principal: Controller,
               citizen_id: Annotated[str, Form(max_length=40)], reason: Text = "",
               authority: Text = "") -> Response:
    form = {"citizen_id": citizen_id, "reason": reason, "authority": authority}
    try:
        svc.place(db, principal, citizen_id=citizen_id, reason=reason, authority=authority)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _page(request, db, principal, status_code=exc.status, error=exc.message,
                     form=form)
    return RedirectResponse("/holds", status_code=303)


@router.post("/holds/{hold_id}/release", summary="Release a hold (form)")
def release_form(hold_id: Annotated[int, Path(ge=1, le=2**31)], request: Request, db: DbDep,
                 principal: Controller, reason: Text = "", authority: Text = "") -> Response:
    try:
        svc.release(db, principal, hold_id, reason=reason, authority=authority)
    except ApiError as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _page(request, db, principal, status_code=exc.status, error=exc.message)
    return RedirectResponse("/holds?all=true", status_code=303)
