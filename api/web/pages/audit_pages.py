"""/audit: the audit log viewer (data controller): filters, Thai dates, and the chain status."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.access import Action, Principal
from api.http.deps import DbDep, requires
from api.http.errors import ApiError
from api.services import audit_service as svc
from api.services.retention_scope import day_of
from api.web.pages import retention_filters  # noqa: F401  (registers the Thai filters)
from api.web.render import page

router = APIRouter(include_in_schema=False)

Auditor = Annotated[Principal, requires(Action.READ_AUDIT)]
PAGE_SIZE = 50


@router.get("/audit", response_class=HTMLResponse, summary="Audit log page")
def audit_page(
    request: Request, db: DbDep, principal: Auditor,
    actor: Annotated[str, Query(max_length=200)] = "",
    action: Annotated[str, Query(max_length=100)] = "",
    subject: Annotated[str, Query(max_length=300)] = "",
    since: Annotated[str, Query(max_length=40)] = "",
    until: Annotated[str, Query(max_length=40)] = "",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> HTMLResponse:
    """The chain is checked on the first page (the whole log is walked), not on paging."""
    filters: dict[str, Any] = {"actor": actor, "action": action, "subject": subject,
                               "since": since, "until": until}
    error = None
    try:
        first = day_of(since, "since") if since.strip() else None
        last = day_of(until, "until") if until.strip() else None
    except ApiError as exc:
        error, first, last = exc.message, None, None
    result = svc.events(db, principal, actor=actor or None, action=action or None,
                        subject=subject or None, since=first, until=last, limit=PAGE_SIZE,
                        offset=offset)
    chain = svc.verify(db, principal) if offset == 0 else None
    query = urlencode({k: v for k, v in filters.items() if v})
    return page(request, "audit.html", principal, status_code=400 if error else 200,
                error=error, filters=filters, result=result, chain=chain, query=query,
                page_size=PAGE_SIZE)
