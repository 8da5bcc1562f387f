"""Reminders API: old photos, late orders, uncertified appointees, retirements (records manager)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.http.routers.retention_models import RemindersOut
from api.services import reminders_service as svc
from api.services.retention_scope import day_of

router = APIRouter(prefix=f"{API_PREFIX}/reminders", tags=["reminders"],
                   responses=ERROR_RESPONSES)

Manager = Annotated[Principal, requires(Action.RETENTION_REVIEW)]


@router.get("", response_model=RemindersOut,
            summary="What the records manager should act on, for the persons of their scope")
def reminders(
    db: DbDep, archive: ArchiveDep, principal: Manager,
    as_of: Annotated[str | None, Query(max_length=40, description="default: today")] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    kind: Annotated[list[str] | None, Query(max_length=10)] = None,
    fiscal_year: Annotated[int | None, Query(description="B.E., e.g. 2570")] = None,
) -> dict[str, Any]:
    return svc.reminders(
        db, archive, principal, as_of=day_of(as_of, "as_of") if as_of else date.today(),
        since=day_of(since, "since") if since else None, kinds=kind, fiscal_year=fiscal_year)
