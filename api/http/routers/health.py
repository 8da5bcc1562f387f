"""Liveness and the signed-in caller: who am I, with which rights."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.access import ROLE_NAMES_TH
from api.http.app_prefix import API_PREFIX
from api.http.deps import CurrentPrincipal
from api.http.errors import ERROR_RESPONSES

router = APIRouter(prefix=API_PREFIX, tags=["system"], responses=ERROR_RESPONSES)


@router.get("/health", summary="Liveness check (no sign-in needed)")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/me", summary="The signed-in user and their live rights")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    return {
        "username": principal.username,
        "display_name": principal.display_name,
        "citizen_id": principal.citizen_id,
        "unit": principal.unit_path,
        "method": principal.method,
        "is_owner": principal.is_owner,
        "roles": sorted(principal.roles),
        "grants": [
            {"grant_id": g.grant_id, "role": g.role.value, "role_th": ROLE_NAMES_TH[g.role],
             "unit": g.unit_path, "citizen_id": g.citizen_id, "section": g.section}
            for g in principal.grants
        ],
    }
