"""/review and /review/{item}: the queue, and one item with its page image and decisions."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import Action, Principal
from api.http.deps import DbDep, requires
from api.http.errors import ApiError
from api.services import review_service
from api.web.render import page, thai_date

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[Principal, requires(Action.RESOLVE_REVIEW)]
_LIST_SPLIT = re.compile(r"[,;\n]+")


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in _LIST_SPLIT.split(text or "") if p.strip()]


@router.get("/review", response_class=HTMLResponse, summary="Review queue page")
def review_list(request: Request, db: DbDep, principal: Reviewer,
                state: Annotated[str, Query()] = "open",
                done: Annotated[int | None, Query()] = None) -> HTMLResponse:
    wanted = None if state == "all" else state
    if wanted is not None and wanted not in review_service.STATES:
        wanted, state = "open", "open"
    items = [{**i, "created_th": thai_date(datetime.fromisoformat(i["created_at"]))}
             for i in review_service.list_items(db, principal, state=wanted, limit=200)]
    return page(request, "review_list.html", principal, items=items, state=state,
                states=review_service.STATE_TH, done=done)


def _item_page(request: Request, db: DbDep, principal: Principal, item_id: int,
               page_no: int = 1, error: ApiError | None = None,
               form: dict[str, Any] | None = None) -> HTMLResponse:
    item = review_service.get_item(db, principal, item_id)
    detail = review_service.detail(db, principal, item)
    page_no = min(max(page_no, 1), max(detail["pages"], 1))
    return page(request, "review_item.html", principal, item=detail, page_no=page_no,
                error=error, form=form or {}, status_code=error.status if error else 200)


@router.get("/review/{item_id}", response_class=HTMLResponse, summary="Review item page")
def review_item(request: Request, db: DbDep, principal: Reviewer, item_id: int,
                page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
                ) -> HTMLResponse:
    return _item_page(request, db, principal, item_id, page_no)


def _decided(item_id: int) -> RedirectResponse:
    return RedirectResponse(f"/review?done={item_id}", status_code=303)


@router.post("/review/{item_id}/accept", summary="Accept (form)")
def accept_form(request: Request, db: DbDep, principal: Reviewer, item_id: int) -> Response:
    item = review_service.get_item(db, principal, item_id)
    try:
        review_service.accept(db, principal, item)
    except ApiError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _item_page(request, db, principal, item_id, error=exc)
    return _decided(item_id)


@router.post("/review/{item_id}/correct", summary="Correct (form)")
def correct_form(request: Request, db: DbDep, principal: Reviewer, item_id: int,
                 category: Annotated[str | None, Form()] = None,
                 citizen_ids: Annotated[str | None, Form(max_length=5000)] = None,
                 entry_ids: Annotated[str | None, Form(max_length=5000)] = None,
                 note: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    item = review_service.get_item(db, principal, item_id)
    try:
        review_service.correct(db, principal, item, category=category or None,
                               citizen_ids=_split(citizen_ids), entry_ids=_split(entry_ids),
                               note=note or None)
    except ApiError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _item_page(request, db, principal, item_id, error=exc, form={
            "category": category, "citizen_ids": citizen_ids, "entry_ids": entry_ids,
            "note": note})
    return _decided(item_id)


@router.post("/review/{item_id}/reject", summary="Reject (form)")
def reject_form(request: Request, db: DbDep, principal: Reviewer, item_id: int,
                note: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    item = review_service.get_item(db, principal, item_id)
    try:
        review_service.reject(db, principal, item, note=note or None)
    except ApiError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _item_page(request, db, principal, item_id, error=exc)
    return _decided(item_id)
