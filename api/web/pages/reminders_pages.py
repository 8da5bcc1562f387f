"""/reminders: what the records manager should act on, grouped by kind, in Thai."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.access import Action, Principal
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ApiError
from api.services import reminders_service as svc
from api.services.retention_scope import day_of
from api.web.pages import retention_filters  # noqa: F401  (registers the Thai filters)
from api.web.render import page
from retention.reminders import KINDS

router = APIRouter(include_in_schema=False)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]


@router.get("/reminders", response_class=HTMLResponse, summary="Reminders page")
def reminders_page(request: Request, db: DbDep, archive: ArchiveDep, principal: Manager,
                   as_of: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
    error = None
    try:
        day = day_of(as_of, "as_of") if as_of.strip() else date.today()
    except ApiError as exc:
        error, day = exc.message, date.today()
    result = svc.reminders(db, archive, principal, as_of=day)
    groups = {kind: [r for r in result["reminders"] if r["kind"] == kind] for kind in KINDS}
    return page(request, "reminders.html", principal, status_code=400 if error else 200,
                error=error, as_of=day.isoformat(), result=result, groups=groups,
                kinds_th=svc.KIND_TH)
