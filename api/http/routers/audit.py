"""Audit log API: the scoped, filtered listing and the hash-chain check (data controller)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.http.routers.retention_models import AuditPage, ChainOut
from api.services import audit_service as svc
from api.services.retention_scope import day_of

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"], responses=ERROR_RESPONSES)

Auditor = Annotated[Principal, requires(Action.READ_AUDIT)]


@router.get("", response_model=AuditPage,
            summary="Audit events about records in scope and the caller's own, newest first")
def events(
    db: DbDep, principal: Auditor,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=100,
                                        description="exact, or a prefix such as retention")] = None,
    subject: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(max_length=40, description="first day (Thai time)")] = None,
    until: Annotated[str | None, Query(max_length=40, description="last day (Thai time)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    return svc.events(db, principal, actor=actor, action=action, subject=subject,
                      since=day_of(since, "since") if since else None,
                      until=day_of(until, "until") if until else None, limit=limit, offset=offset)


@router.get("/verify", response_model=ChainOut,
            summary="Recompute the hash chain: intact (สมบูรณ์) or tampered (ถูกแก้ไข)")
def verify(db: DbDep, principal: Auditor) -> dict[str, Any]:
    return svc.verify(db, principal)
