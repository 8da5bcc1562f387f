"""Users and rights (clause 6.1 ผู้ควบคุมการเข้าใช้งาน, 6.2): accounts in the caller's units,
grants and revocations, and the fiscal-year rights review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.access import Action, Principal, Role
from api.http.app_prefix import API_PREFIX
from api.http.deps import DbDep, requires
from api.http.errors import ERROR_RESPONSES
from api.services import accounts_review as review
from api.services.accounts_service import (
    PLAIN_TEXT,
    change_user_as,
    create_user_as,
    grant_as,
    grant_for,
    grant_json,
    revoke_grant,
    user_for,
    user_json,
    users_in_scope,
)

router = APIRouter(prefix=API_PREFIX, tags=["users and rights"], responses=ERROR_RESPONSES)

ReadRights = Annotated[Principal, requires(Action.READ_RIGHTS)]
GrantRights = Annotated[Principal, requires(Action.GRANT_RIGHTS)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class GrantOut(BaseModel):
    id: int
    user_id: int
    username: str
    role: str
    role_th: str
    unit: str | None
    citizen_id: str | None
    person_name: str | None
    section: str | None
    granted_by: str
    granted_at: str | None
    confirmed_fy: int | None
    confirmed_by: str | None
    confirmed_at: str | None
    live: bool
    revoked_at: str | None
    revoked_by: str | None
    revoke_reason: str | None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    citizen_id: str | None
    unit: str | None
    home_unit: str | None = Field(description="Own unit, or the unit of the owner's record")
    position: str | None
    active: bool
    has_password: bool
    oidc_linked: bool
    created_at: str | None
    updated_at: str | None
    grants: list[GrantOut] | None = None


class UserList(BaseModel):
    users: list[UserOut]


class UserCreate(BaseModel):
    username: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=200)
    display_name: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=300)
    unit: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=2000,
                      description="Unit path, ' > ' between levels")
    password: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=1000,
                                 description="At least 10 characters; omit for ThaID-only users")
    citizen_id: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=40)
    position: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=300)


class UserPatch(BaseModel):
    display_name: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=300)
    unit: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=2000,
                             description="A new unit revokes every right and ends all sign-ins")
    position: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=300,
                                 description="A new position revokes every right, as a new unit")
    active: bool | None = Field(default=None, description="false: left service (same effect)")


class UserChanged(BaseModel):
    user: UserOut
    changed: list[str]
    grants_revoked: int
    sessions_ended: int
    tokens_revoked: int


class GrantCreate(BaseModel):
    role: Role
    unit: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=2000)
    citizen_id: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=40,
                                   description="One assigned person (recorder, registrar)")
    section: str | None = Field(pattern=PLAIN_TEXT, default=None, max_length=32,
                                description="Recorder only: one record section (clause 4.4)")


class ReviewRow(GrantOut):
    display_name: str
    user_active: bool
    user_unit: str | None
    user_position: str | None
    needs_confirming: bool
    can_decide: bool


class ReviewReport(BaseModel):
    fiscal_year: int
    current_fiscal_year: int
    starts_on: str
    ends_on: str
    total: int
    needs_confirming: int
    grants: list[ReviewRow]


class ReviewDecision(BaseModel):
    decision: review.Decision
    reason: str = Field(pattern=PLAIN_TEXT, default="", max_length=2000,
                        description="Required to revoke")


class DecisionOut(GrantOut):
    decision: str
    fiscal_year: int
    decided_at: str | None


@router.get("/users", summary="Users in the caller's units", response_model=UserList)
def list_users(principal: ReadRights, db: DbDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200,
               offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    users = users_in_scope(db, principal, limit=limit, offset=offset)
    return {"users": [user_json(db, u) for u in users]}


@router.post("/users", summary="Create a user in a unit the caller controls",
             response_model=UserOut, status_code=201)
def create_user(body: UserCreate, principal: GrantRights, db: DbDep) -> dict[str, Any]:
    user = create_user_as(db, principal, username=body.username, display_name=body.display_name,
                          unit_path=body.unit, password=body.password or None,
                          citizen_id=body.citizen_id or None, position=body.position)
    return user_json(db, user, with_grants=True)


@router.get("/users/{user_id}", summary="A user and their rights (live and revoked)",
            response_model=UserOut)
def get_user(user_id: RowId, principal: ReadRights, db: DbDep) -> dict[str, Any]:
    return user_json(db, user_for(db, principal, user_id), with_grants=True)


@router.patch("/users/{user_id}", summary="Change a user; a new unit or position, or leaving "
              "service, revokes every right at once (clauses 2.2.3, 6.2)",
              response_model=UserChanged)
def patch_user(user_id: RowId, body: UserPatch, principal: GrantRights,
               db: DbDep) -> dict[str, Any]:
    user = user_for(db, principal, user_id, action=Action.GRANT_RIGHTS)
    change = change_user_as(db, principal, user=user, display_name=body.display_name,
                            unit_path=body.unit, position=body.position, active=body.active)
    return {"user": user_json(db, user, with_grants=True), "changed": list(change.changed),
            "grants_revoked": change.grants_revoked, "sessions_ended": change.sessions_ended,
            "tokens_revoked": change.tokens_revoked}


@router.post("/users/{user_id}/grants", summary="Grant a right inside the caller's units",
             response_model=GrantOut, status_code=201)
def create_grant(user_id: RowId, body: GrantCreate, principal: GrantRights,
                 db: DbDep) -> dict[str, Any]:
    user = user_for(db, principal, user_id, action=Action.GRANT_RIGHTS)
    row = grant_as(db, principal, user=user, role=body.role, unit_path=body.unit or None,
                   citizen_id=body.citizen_id or None, section=body.section or None)
    return grant_json(row)


@router.delete("/grants/{grant_id}", summary="Revoke a right, with the reason",
               response_model=GrantOut)
def delete_grant(
    grant_id: RowId, principal: GrantRights, db: DbDep,
    reason: Annotated[str, Query(min_length=1, max_length=2000, pattern=PLAIN_TEXT)],
) -> dict[str, Any]:
    row = grant_for(db, principal, grant_id)
    return grant_json(revoke_grant(db, grant_row=row, actor=principal.actor, reason=reason))


@router.get("/rights/review", summary="The fiscal-year rights review: every live right in "
            "the caller's units and whether it still needs confirming",
            response_model=ReviewReport)
def rights_review(principal: ReadRights, db: DbDep,
                  fiscal_year: Annotated[int | None, Query(
                      ge=2500, le=2800, description="Buddhist Era; default the current one")
                  ] = None) -> dict[str, Any]:
    year = fiscal_year or review.current_fiscal_year()
    return review.review_report(db, fiscal_year=year, principal=principal)


@router.post("/rights/review/{grant_id}", summary="Confirm a right for this fiscal year, "
             "or revoke it", response_model=DecisionOut)
def decide(grant_id: RowId, body: ReviewDecision, principal: GrantRights,
           db: DbDep) -> dict[str, Any]:
    return review.decide_as(db, principal, grant_id=grant_id, decision=body.decision,
                            reason=body.reason)
