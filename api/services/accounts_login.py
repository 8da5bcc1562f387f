"""Password sign-in with a brake on guessing, the session cookie, and safe `next` addresses.

Failed sign-ins are counted from the audit log (action `auth.login`, outcome `denied`, subject
`login:<name>`), which is in the catalog: the brake holds across server processes and
restarts, needs no table of its own, and every refused attempt is on the record (6.4).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access.accounts import authenticate, now
from api.access.sessions import SESSION_COOKIE, StartedSession, end_session, start_session
from api.http.errors import ApiError
from archive import audit
from archive.catalog import AuditEvent, WebSession
from archive.config import Settings
from archive.thai import parse_citizen_id

MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=15)

BAD_CREDENTIALS = ApiError(401, "bad_credentials",
                           "ชื่อผู้ใช้หรือเลขประจำตัวประชาชน หรือรหัสผ่านไม่ถูกต้อง")


def too_many_attempts() -> ApiError:
    minutes = int(FAILED_LOGIN_WINDOW.total_seconds() // 60)
    return ApiError(429, "too_many_attempts",
                    f"ใส่รหัสผ่านผิดหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่")


def login_key(login: str) -> str:
    """One name per account: a citizen ID however it was typed, else the name as given."""
    text = login.strip()
    try:
        return parse_citizen_id(text)
    except ValueError:
        return text[:200]


def recent_failures(session: Session, key: str) -> int:
    """Failed sign-ins for `key` in the window, not counting those before a success."""
    subject = f"login:{key}"
    since = (now() - FAILED_LOGIN_WINDOW).isoformat(timespec="microseconds")
    last_ok = session.scalar(select(func.max(AuditEvent.at)).where(
        AuditEvent.subject == subject, AuditEvent.action == "auth.login",
        AuditEvent.outcome == "ok"))
    start = max(since, last_ok or "")
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.subject == subject, AuditEvent.action == "auth.login",
        AuditEvent.outcome == "denied", AuditEvent.at > start)) or 0


def password_login(session: Session, *, login: str, password: str, settings: Settings,
                   client: str | None = None) -> StartedSession | ApiError:
    """Sign in with a password; the refusal is returned (not raised) so that its audit event
    commits with the request."""
    key = login_key(login)
    subject = f"login:{key}"
    details = {"method": "password", "client": client}
    if recent_failures(session, key) >= MAX_FAILED_LOGINS:
        # Not counted as a failure (the wait does not grow) and the password is not tried.
        audit.append(session, action="auth.login_blocked", subject=subject, actor="anonymous",
                     outcome="denied", details=details)
        return too_many_attempts()
    user = authenticate(session, login, password)
    if user is None:
        audit.append(session, action="auth.login", subject=subject, actor="anonymous",
                     outcome="denied", details={**details, "reason": "bad_credentials"})
        return BAD_CREDENTIALS
    audit.append(session, action="auth.login", subject=subject, actor=f"user:{user.username}",
                 details=details)
    return start_session(session, user, method="password", settings=settings)


def logout(session: Session, web_session: WebSession | None) -> bool:
    if web_session is None or web_session.ended_at is not None:
        return False
    end_session(session, web_session, reason="logout")
    return True


def cookie_secure(request: Request, settings: Settings) -> bool:
    return request.url.scheme == "https" or (settings.public_url or "").startswith("https:")


def set_session_cookie(response: Response, request: Request, started: StartedSession,
                       settings: Settings) -> None:
    # No max-age: the browser drops it on close; the server ends it when idle (6.4).
    response.set_cookie(SESSION_COOKIE, started.cookie_value, httponly=True, samesite="lax",
                        secure=cookie_secure(request, settings), path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in; anything else (another site) becomes '/'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ord(ch) < 32 or ch == "\\" for ch in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith(("/login", "/logout", "/auth/")):
        return "/"
    return value
