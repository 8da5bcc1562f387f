"""/login, /logout, the ThaID (OpenID Connect) sign-in, and the home page (/)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import ROLE_NAMES_TH, Action, Principal
from api.access.oidc import OidcError, pending_sign_ins
from api.access.sessions import start_session
from api.http.deps import ArchiveDep, DbDep, OptionalPrincipal, writes_on_get
from api.http.errors import CSRF_FAILED, ApiError
from api.services import accounts_review
from api.services.accounts_login import (
    clear_session_cookie,
    cookie_secure,
    logout,
    password_login,
    safe_next,
    set_session_cookie,
)
from api.services.accounts_service import PLAIN_TEXT
from api.services.oidc_signin import (
    callback_url,
    oidc_client,
    oidc_enabled,
    scopes,
    user_for_claims,
)
from api.web.render import error_page, page

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "tabian_login_csrf"
OIDC_COOKIE = "tabian_oidc"
OIDC_COOKIE_PATH = "/auth/oidc"

# The home page's tasks: (path, title, what it is for, the right that shows it).
TASKS: list[tuple[str, str, str, Action]] = [
    ("/search", "ค้นหาเอกสาร", "ค้นหาเอกสารหลักฐานด้วยข้อความ หมวดเอกสาร หรือหน่วยงาน",
     Action.READ_RECORD),
    ("/persons", "ทะเบียนประวัติ", "เปิดดูทะเบียนประวัติและเอกสารหลักฐานของผู้ที่อยู่ในความรับผิดชอบ",
     Action.READ_RECORD),
    ("/upload", "นำเข้าเอกสาร", "อัปโหลดไฟล์สแกนหรือโฟลเดอร์รายบุคคล และดูรายงานการนำเข้า",
     Action.UPLOAD),
    ("/review", "คิวตรวจสอบ", "ตรวจสอบเอกสารที่ระบบยังจัดเข้าแฟ้มไม่ได้แน่ชัด", Action.RESOLVE_REVIEW),
    ("/corrections", "คำขอแก้ไข", "พิจารณาคำขอแก้ไขทะเบียนประวัติจากเจ้าของประวัติ",
     Action.DECIDE_CORRECTION),
    ("/retention", "การทำลายเอกสาร", "ทบทวนระยะเวลาเก็บ เสนอ และทำบัญชีทำลายเอกสาร",
     Action.RETENTION_REVIEW),
    ("/retention", "การทำลายเอกสาร", "อนุมัติคำสั่งทำลายทะเบียนประวัติตามข้อ ๕.๖.๒",
     Action.RETENTION_ORDER),
    ("/reminders", "การแจ้งเตือน", "รายการที่ถึงกำหนดต้องดำเนินการ", Action.RETENTION_REVIEW),
    ("/audit", "บันทึกการเข้าถึง", "ตรวจดูว่าใครเข้าถึงข้อมูลใดเมื่อใด", Action.READ_AUDIT),
    ("/users", "ผู้ใช้และสิทธิ์", "สร้างผู้ใช้ในหน่วยงาน มอบและเพิกถอนสิทธิ์", Action.GRANT_RIGHTS),
    ("/users", "ผู้ใช้และสิทธิ์", "ดูผู้ใช้และสิทธิ์ในหน่วยงาน", Action.READ_RIGHTS),
    ("/users/rights-review", "ทบทวนสิทธิ์ประจำปีงบประมาณ",
     "รายงานสิทธิ์ทั้งหมด ยืนยันหรือเพิกถอนเป็นรายการ", Action.READ_RIGHTS),
]


def tasks_for(principal: Principal) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    if principal.is_owner:
        out.append({"path": "/me", "title": "ประวัติของฉัน",
                    "text": "ดูทะเบียนประวัติและเอกสารของท่าน ขอแก้ไขหรือเพิ่มเติมพร้อมหลักฐาน"})
    for path, title, text, action in TASKS:
        if path not in seen and principal.can_at_all(action):
            seen.add(path)
            out.append({"path": path, "title": title, "text": text})
    out.append({"path": "/tokens", "title": "โทเค็นเชื่อมต่อระบบ",
                "text": "สร้างหรือเพิกถอนโทเค็นสำหรับเรียกใช้ API ของท่านเอง"})
    return out


@router.get("/", response_class=HTMLResponse, summary="Home: what the signed-in user may do")
def home(request: Request, db: DbDep, archive: ArchiveDep,
         principal: OptionalPrincipal) -> Response:
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    pending_review = None
    if principal.can_at_all(Action.GRANT_RIGHTS):
        year = accounts_review.current_fiscal_year()
        report = accounts_review.review_report(db, fiscal_year=year, principal=principal)
        pending_review = {"fiscal_year": year, "count": report["needs_confirming"]}
    rights = [{"role_th": ROLE_NAMES_TH[g.role], "unit": g.unit_path, "citizen_id": g.citizen_id,
               "section": g.section} for g in principal.grants]
    return page(request, "home.html", principal, tasks=tasks_for(principal), rights=rights,
                pending_review=pending_review,
                idle_minutes=archive.settings.session_idle_minutes)


def _login_page(request: Request, *, next_path: str, error: str | None = None,
                notice: str | None = None, status_code: int = 200,
                login_value: str = "") -> Response:
    settings = request.app.state.settings
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", None, status_code=status_code, next_path=next_path,
                    error=error, notice=notice, login_csrf=token, login_value=login_value,
                    oidc=oidc_enabled(settings), oidc_name=settings.oidc_display_name)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                        secure=cookie_secure(request, settings), path="/login")
    return response


@router.get("/login", response_class=HTMLResponse, summary="Sign-in form")
def login_form(request: Request, principal: OptionalPrincipal,
               next: Annotated[str | None, Query(max_length=2000)] = None,
               bye: bool = False) -> Response:
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_path=safe_next(next),
                       notice="ออกจากระบบเรียบร้อยแล้ว" if bye else None)


@router.post("/login", response_class=HTMLResponse, summary="Sign in with a password")
def login_submit(
    request: Request, db: DbDep, archive: ArchiveDep,
    login: Annotated[str, Form(max_length=200, pattern=PLAIN_TEXT)] = "",
    password: Annotated[str, Form(max_length=1000, pattern=PLAIN_TEXT)] = "",
    next: Annotated[str, Form(max_length=2000, pattern=PLAIN_TEXT)] = "/",
    login_csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    next_path = safe_next(next)
    sent = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not secrets.compare_digest(sent, login_csrf):
        return _login_page(request, next_path=next_path, error=CSRF_FAILED[1], status_code=400,
                           login_value=login)
    if not login.strip() or not password:
        return _login_page(request, next_path=next_path, status_code=400, login_value=login,
                           error="กรุณากรอกชื่อผู้ใช้หรือเลขประจำตัวประชาชน และรหัสผ่าน")
    result = password_login(db, login=login, password=password, settings=archive.settings,
                            client=request.client.host if request.client else None)
    if isinstance(result, ApiError):
        return _login_page(request, next_path=next_path, error=result.message,
                           status_code=result.status, login_value=login)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, request, result, request.app.state.settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", summary="Sign out")
def logout_submit(request: Request, db: DbDep, principal: OptionalPrincipal,
                  csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    ws = request.state.web_session
    if ws is not None and not secrets.compare_digest(csrf, ws.csrf_token):
        return error_page(request, ApiError(403, *CSRF_FAILED))
    logout(db, ws)
    response = RedirectResponse("/login?bye=1", status_code=303)
    clear_session_cookie(response)
    return response


# --- ThaID / Digital ID (OpenID Connect) ------------------------------------------------------

def _oidc_error(request: Request, exc: OidcError, *, finished: bool = True) -> Response:
    response = error_page(request, ApiError(exc.status, exc.code, exc.message))
    if finished:  # a stray or forged return leaves a sign-in under way alone
        response.delete_cookie(OIDC_COOKIE, path=OIDC_COOKIE_PATH)
    return response


@router.get("/auth/oidc/start", summary="Start signing in with the OpenID Connect provider")
def oidc_start(request: Request,
               next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    settings = request.app.state.settings
    if not oidc_enabled(settings):
        raise ApiError(404, "oidc_disabled", "ระบบนี้ยังไม่ได้เปิดใช้การเข้าสู่ระบบด้วย ThaID")
    try:
        url, pending = oidc_client(settings).begin(
            redirect_uri=callback_url(request, settings), next_path=safe_next(next),
            scope=scopes(settings))
    except OidcError as exc:
        return _oidc_error(request, exc)
    pending_sign_ins.put(pending)
    response = RedirectResponse(url, status_code=303)
    # Binds the sign-in to this browser: the provider's redirect back must carry its state.
    response.set_cookie(OIDC_COOKIE, pending.state, max_age=600, httponly=True, samesite="lax",
                        secure=cookie_secure(request, settings), path=OIDC_COOKIE_PATH)
    return response


@router.get("/auth/oidc/callback", summary="Return from the OpenID Connect provider")
@writes_on_get  # provisions or links the user and starts a session
def oidc_callback(
    request: Request, db: DbDep, archive: ArchiveDep,
    code: Annotated[str | None, Query(max_length=4000)] = None,
    state: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    settings = request.app.state.settings
    if not oidc_enabled(settings):
        raise ApiError(404, "oidc_disabled", "ระบบนี้ยังไม่ได้เปิดใช้การเข้าสู่ระบบด้วย ThaID")
    # The browser that started must be the one returning (its cookie holds the state), and
    # only then is the record taken: a leaked callback URL cannot spend someone's sign-in.
    cookie = request.cookies.get(OIDC_COOKIE) or ""
    bound = bool(state and cookie) and secrets.compare_digest(cookie, state or "")
    pending = pending_sign_ins.take(cookie) if bound else None
    if pending is None:
        return _oidc_error(request, OidcError(
            "oidc_bad_state", "การเข้าสู่ระบบหมดอายุหรือไม่ได้เริ่มจากเบราว์เซอร์นี้ กรุณาเริ่มใหม่"),
            finished=False)
    if error or not code:
        return _oidc_error(request, OidcError(
            "oidc_denied", "ผู้ให้บริการยืนยันตัวตนไม่อนุญาตให้เข้าสู่ระบบ", status=403))
    client = oidc_client(settings)
    try:
        claims: dict[str, Any] = client.finish(pending=pending, code=code)
    except OidcError as exc:
        return _oidc_error(request, exc)
    user = user_for_claims(db, claims=claims, issuer=client.issuer, settings=settings)
    if isinstance(user, OidcError):
        return _oidc_error(request, user)
    started = start_session(db, user, method="oidc", settings=archive.settings)
    response = RedirectResponse(pending.next_path, status_code=303)
    set_session_cookie(response, request, started, settings)
    response.delete_cookie(OIDC_COOKIE, path=OIDC_COOKIE_PATH)
    return response
