"""/search: the Thai search page, server-rendered from the search service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Action, Principal, scope, under
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ApiError
from api.services import search_service
from api.services.search_service import SearchForm, snippet_parts
from api.web.render import page
from archive.catalog import Unit

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 10


def _units_in_scope(db: Session, principal: Principal) -> list[str]:
    """Units the caller reaches (for the unit filter); empty for person-scoped rights."""
    roots = scope(principal, Action.READ_RECORD).unit_paths
    if not roots:
        return []
    paths = db.scalars(select(Unit.path).order_by(Unit.path))
    return [p for p in paths if any(under(p, r) for r in roots)]


@router.get("/search", response_class=HTMLResponse, summary="Search page")
def search_page(
    request: Request, archive: ArchiveDep, db: DbDep,
    principal: Annotated[Principal, requires(Action.READ_RECORD)],
    q: Annotated[str, Query(max_length=500)] = "",
    category: str | None = None, citizen_id: str | None = None, unit: str | None = None,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100)] = 1,
) -> HTMLResponse:
    form = SearchForm(q=q, category=category or None, citizen_id=citizen_id or None,
                      unit=unit or None, date_from=date_from or None, date_to=date_to or None,
                      limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    units = _units_in_scope(db, principal)
    result = None
    error = None
    if q.strip():
        try:
            result = search_service.search(archive, db, principal, form)
        except ApiError as exc:
            if exc.status != 400:
                raise
            error = exc.message
    hits = [dict(h, parts=snippet_parts(h["snippet"])) for h in result["hits"]] if result else []
    params = {k: v for k, v in (("q", q), ("category", category), ("citizen_id", citizen_id),
                                ("unit", unit), ("from", date_from), ("to", date_to)) if v}
    return page(request, "search.html", principal, form=form, result=result, hits=hits,
                error=error, units=units, page_no=page_no, page_size=PAGE_SIZE, params=params)
