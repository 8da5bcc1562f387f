"""Legal holds API (การระงับการทำลาย): list, place and release, by the data controller."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.access import Action, Principal
from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.http.routers.retention_models import HoldIn, HoldOut, ReleaseIn
from api.services import holds_service as svc

router = APIRouter(prefix=f"{API_PREFIX}/holds", tags=["holds"], responses=ERROR_RESPONSES)

Controller = Annotated[Principal, requires(Action.LEGAL_HOLD)]


@router.get("", response_model=list[HoldOut], summary="Legal holds on the caller's persons")
def list_holds(
    db: DbDep, principal: Controller,
    citizen_id: Annotated[str | None, Query(max_length=40)] = None,
    include_released: Annotated[bool, Query(alias="all",
                                            description="released holds too")] = False,
) -> list[dict[str, Any]]:
    return svc.holds(db, principal, citizen_id=citizen_id, include_released=include_released)


@router.post("", status_code=201, response_model=HoldOut,
             summary="Place a hold: the person's record may not be destroyed until released")
def place(body: HoldIn, db: DbDep, principal: Controller) -> dict[str, Any]:
    return svc.place(db, principal, citizen_id=body.citizen_id, reason=body.reason,
                     authority=body.authority)


@router.post("/{hold_id}/release", response_model=HoldOut,
             summary="Release a hold, with the reason and the authority")
def release(hold_id: Annotated[int, Path(ge=1, le=2**31)], body: ReleaseIn, db: DbDep,
            principal: Controller) -> dict[str, Any]:
    return svc.release(db, principal, hold_id, reason=body.reason, authority=body.authority)
