"""/users (accounts and rights in the caller's units), /users/rights-review (the fiscal-year
review) and /tokens (one's own API tokens): server-rendered on the accounts services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access import ROLE_NAMES_TH, AccessDenied, Action, Principal, Role, Target, allows
from api.access.accounts import AccountError
from api.http.deps import CurrentPrincipal, DbDep, requires
from api.http.errors import ApiError
from api.services import accounts_review as review
from api.services.accounts_service import (
    PLAIN_TEXT,
    change_user_as,
    create_user_as,
    grant_as,
    grant_for,
    grant_units,
    revoke_grant,
    units_in,
    user_for,
    user_json,
    users_in_scope,
)
from api.services.accounts_tokens import (
    MAX_TOKEN_DAYS,
    new_token,
    own_tokens,
    revoke_own_token,
    token_json,
)
from api.web.render import env, page, thai_date
from archive.catalog import Grant, User
from archive.domain import EntrySection

router = APIRouter(include_in_schema=False)


def _iso_date_th(value: str | None) -> str:
    """An ISO time from the services, as a Thai date and time (Bangkok)."""
    return thai_date(datetime.fromisoformat(value)) if value else "—"


env.filters["iso_date_th"] = _iso_date_th

ReadRights = Annotated[Principal, requires(Action.READ_RIGHTS)]
GrantRights = Annotated[Principal, requires(Action.GRANT_RIGHTS)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=2000, pattern=PLAIN_TEXT)]
PageError = (AccountError, ApiError, AccessDenied)

SECTION_NAMES_TH = {
    EntrySection.POSITION_SALARY: "ตำแหน่งและอัตราเงินเดือน",
    EntrySection.TRAINING: "การฝึกอบรม",
    EntrySection.RESEARCH: "ผลงานวิจัย",
    EntrySection.STUDY_VISIT: "การดูงาน",
    EntrySection.SPECIAL_ABILITY: "ความสามารถพิเศษ",
    EntrySection.SPECIAL_SERVICE: "การปฏิบัติราชการพิเศษ",
    EntrySection.DISCIPLINE: "การได้รับโทษทางวินัยและการนิรโทษกรรม",
    EntrySection.ETHICS: "จรรยาบรรณวิชาชีพ",
    EntrySection.MARTIAL_LAW: "การรับราชการในเขตกฎอัยการศึก",
    EntrySection.DECORATION: "เครื่องราชอิสริยาภรณ์",
    EntrySection.LEAVE: "จำนวนวันลา",
    EntrySection.OTHER: "อื่น ๆ",
}
GRANTABLE = [(r.value, ROLE_NAMES_TH[r]) for r in Role if r != Role.OWNER]
NOTICES = {
    "created": "สร้างผู้ใช้แล้ว", "updated": "บันทึกการแก้ไขแล้ว", "granted": "มอบสิทธิ์แล้ว",
    "revoked": "เพิกถอนสิทธิ์แล้ว", "confirmed": "ยืนยันสิทธิ์แล้ว",
    "moved": "บันทึกแล้ว และเพิกถอนสิทธิ์ทั้งหมดของผู้ใช้นี้ พร้อมยุติการเข้าสู่ระบบทุกช่องทาง "
             "(ข้อ ๒.๒.๓ และ ๖.๒) มอบสิทธิ์ใหม่ตามหน้าที่ใหม่ได้ด้านล่าง",
    "token_revoked": "เพิกถอนโทเค็นแล้ว",
}


def _message(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ApiError):
        return exc.message, exc.status
    if isinstance(exc, AccessDenied):
        return exc.message, 403
    assert isinstance(exc, AccountError)
    return exc.message, 400


# --- the users list -----------------------------------------------------------------------------

def _live_counts(db: Session, user_ids: list[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    rows = db.execute(select(Grant.user_id, func.count()).where(
        Grant.user_id.in_(user_ids), Grant.revoked_at.is_(None)).group_by(Grant.user_id))
    return {uid: n for uid, n in rows}


def _users_page(request: Request, db: Session, principal: Principal, *,
                error: str | None = None, form: dict[str, str] | None = None,
                status_code: int = 200) -> HTMLResponse:
    users = users_in_scope(db, principal, limit=1000)
    counts = _live_counts(db, [u.id for u in users])
    rows = [dict(user_json(db, u), live_grants=counts.get(u.id, 0)) for u in users]
    return page(request, "users.html", principal, status_code=status_code, users=rows,
                units=units_in(db, grant_units(principal)),
                can_manage=principal.can_at_all(Action.GRANT_RIGHTS), error=error,
                form=form or {}, notice=NOTICES.get(request.query_params.get("done", "")))


@router.get("/users", response_class=HTMLResponse, summary="Users in the caller's units")
def users_list(request: Request, db: DbDep, principal: ReadRights) -> HTMLResponse:
    return _users_page(request, db, principal)


@router.post("/users", summary="Create a user")
def users_create(request: Request, db: DbDep, principal: GrantRights,
                 username: Text = "", display_name: Text = "", unit: Text = "",
                 password: Text = "", citizen_id: Text = "", position: Text = "") -> Response:
    try:
        if not unit.strip():
            raise AccountError("bad_unit", "ต้องเลือกหน่วยงาน")
        user = create_user_as(db, principal, username=username, display_name=display_name,
                              unit_path=unit, password=password or None,
                              citizen_id=citizen_id or None, position=position or None)
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        form = {"username": username, "display_name": display_name, "unit": unit,
                "citizen_id": citizen_id, "position": position}
        return _users_page(request, db, principal, error=message, form=form,
                           status_code=status)
    return RedirectResponse(f"/users/{user.id}?done=created", status_code=303)


# --- one user -----------------------------------------------------------------------------------

def _user_page(request: Request, db: Session, principal: Principal, user: User, *,
               error: str | None = None, status_code: int = 200) -> HTMLResponse:
    info = user_json(db, user, with_grants=True)
    manage_units = grant_units(principal)
    can_manage = allows(principal, Action.GRANT_RIGHTS, Target(unit_path=info["home_unit"]))
    return page(request, "users_detail.html", principal, status_code=status_code, user=info,
                live=[g for g in info["grants"] if g["live"]],
                revoked=[g for g in info["grants"] if not g["live"]],
                units=units_in(db, manage_units), can_manage=can_manage,
                is_self=user.id == principal.user_id, roles=GRANTABLE,
                sections=list(SECTION_NAMES_TH.items()), section_names=SECTION_NAMES_TH,
                error=error, notice=NOTICES.get(request.query_params.get("done", "")))


@router.get("/users/{user_id:int}", response_class=HTMLResponse, summary="A user and their rights")
def user_detail(request: Request, user_id: RowId, db: DbDep,
                principal: ReadRights) -> HTMLResponse:
    return _user_page(request, db, principal, user_for(db, principal, user_id))


@router.post("/users/{user_id:int}", summary="Change a user (unit, position, service)")
def user_update(request: Request, user_id: RowId, db: DbDep, principal: GrantRights,
                display_name: Text = "", unit: Text = "", position: Text = "",
                active: Text = "1") -> Response:
    user = user_for(db, principal, user_id, action=Action.GRANT_RIGHTS)
    current_unit = user.unit.path if user.unit else ""
    try:
        change = change_user_as(
            db, principal, user=user, display_name=display_name or None,
            unit_path=unit if unit.strip() and unit != current_unit else None,
            position=position, active=active != "0")
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        return _user_page(request, db, principal, user, error=message, status_code=status)
    moved = change.grants_revoked or {"unit", "position", "deactivated"} & set(change.changed)
    return RedirectResponse(f"/users/{user.id}?done={'moved' if moved else 'updated'}",
                            status_code=303)


@router.post("/users/{user_id:int}/grants", summary="Grant a right")
def user_grant(request: Request, user_id: RowId, db: DbDep, principal: GrantRights,
               role: Text = "", scope: Text = "unit", unit: Text = "", citizen_id: Text = "",
               section: Text = "") -> Response:
    user = user_for(db, principal, user_id, action=Action.GRANT_RIGHTS)
    try:
        if role not in {r for r, _ in GRANTABLE}:
            raise AccountError("bad_role", "กรุณาเลือกบทบาท")
        by_person = scope == "person"
        grant_as(db, principal, user=user, role=Role(role),
                 unit_path=None if by_person else (unit or None),
                 citizen_id=(citizen_id or None) if by_person else None,
                 section=section or None)
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        return _user_page(request, db, principal, user, error=message, status_code=status)
    return RedirectResponse(f"/users/{user.id}?done=granted", status_code=303)


@router.post("/grants/{grant_id:int}/revoke", summary="Revoke a right")
def grant_revoke(request: Request, grant_id: RowId, db: DbDep, principal: GrantRights,
                 reason: Text = "") -> Response:
    row = grant_for(db, principal, grant_id)
    user = row.user
    try:
        revoke_grant(db, grant_row=row, actor=principal.actor, reason=reason)
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        return _user_page(request, db, principal, user, error=message, status_code=status)
    return RedirectResponse(f"/users/{user.id}?done=revoked", status_code=303)


# --- the fiscal-year rights review --------------------------------------------------------------

def _review_page(request: Request, db: Session, principal: Principal, fiscal_year: int, *,
                 error: str | None = None, status_code: int = 200) -> HTMLResponse:
    report = review.review_report(db, fiscal_year=fiscal_year, principal=principal)
    current = report["current_fiscal_year"]
    return page(request, "users_review.html", principal, status_code=status_code,
                report=report, years=[current - i for i in range(4)], error=error,
                bounds=review.fiscal_year_bounds(fiscal_year),
                section_names=SECTION_NAMES_TH,
                notice=NOTICES.get(request.query_params.get("done", "")))


@router.get("/users/rights-review", response_class=HTMLResponse,
            summary="The fiscal-year rights review")
def rights_review(request: Request, db: DbDep, principal: ReadRights,
                  fiscal_year: Annotated[int | None, Query(ge=2500, le=2800)] = None
                  ) -> HTMLResponse:
    return _review_page(request, db, principal, fiscal_year or review.current_fiscal_year())


@router.post("/users/rights-review/{grant_id:int}", summary="Confirm or revoke a right")
def rights_decide(request: Request, grant_id: RowId, db: DbDep, principal: GrantRights,
                  decision: Text = "", reason: Text = "") -> Response:
    try:
        if decision not in {d.value for d in review.Decision}:
            raise AccountError("bad_decision", "กรุณาเลือกยืนยันหรือเพิกถอน")
        review.decide_as(db, principal, grant_id=grant_id, decision=review.Decision(decision),
                         reason=reason)
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        return _review_page(request, db, principal, review.current_fiscal_year(),
                            error=message, status_code=status)
    done = "confirmed" if decision == review.Decision.CONFIRM else "revoked"
    return RedirectResponse(f"/users/rights-review?done={done}#g{grant_id}", status_code=303)


# --- one's own API tokens -----------------------------------------------------------------------

def _tokens_page(request: Request, db: Session, principal: Principal, *,
                 new: dict[str, Any] | None = None, error: str | None = None,
                 status_code: int = 200) -> HTMLResponse:
    tokens = [token_json(t) for t in own_tokens(db, principal.user_id)]
    return page(request, "tokens.html", principal, status_code=status_code, tokens=tokens,
                new=new, error=error, max_days=MAX_TOKEN_DAYS,
                notice=NOTICES.get(request.query_params.get("done", "")))


@router.get("/tokens", response_class=HTMLResponse, summary="One's own API tokens")
def tokens_list(request: Request, db: DbDep, principal: CurrentPrincipal) -> HTMLResponse:
    return _tokens_page(request, db, principal)


@router.post("/tokens", response_class=HTMLResponse, summary="Make an API token")
def tokens_create(request: Request, db: DbDep, principal: CurrentPrincipal,
                  name: Text = "", expires_in_days: Text = "") -> HTMLResponse:
    try:
        days = int(expires_in_days) if expires_in_days.strip() else None
        if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValueError(days)
    except ValueError:
        return _tokens_page(request, db, principal, status_code=400,
                            error=f"อายุโทเค็นต้องเป็นจำนวนวัน ๑ ถึง {MAX_TOKEN_DAYS} วัน")
    user = db.get(User, principal.user_id)
    assert user is not None
    try:
        secret, row = new_token(db, user=user, name=name, actor=principal.actor,
                                expires_in_days=days)
    except PageError as exc:
        db.rollback()
        message, status = _message(exc)
        return _tokens_page(request, db, principal, error=message, status_code=status)
    return _tokens_page(request, db, principal, new={"name": row.name, "token": secret})


@router.post("/tokens/{token_id:int}/revoke", summary="Revoke an API token")
def tokens_revoke(token_id: RowId, db: DbDep, principal: CurrentPrincipal) -> Response:
    revoke_own_token(db, user_id=principal.user_id, token_id=token_id, actor=principal.actor)
    return RedirectResponse("/tokens?done=token_revoked", status_code=303)
