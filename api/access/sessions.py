"""Sign-in sessions (cookie) and API tokens (bearer): random secrets, stored only as sha256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import AccountError, now
from archive import audit
from archive.catalog import ApiToken, User, WebSession
from archive.catalog.db import update_row
from archive.config import Settings

SESSION_COOKIE = "tabian_session"
TOKEN_PREFIX = "tbn_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StartedSession:
    cookie_value: str
    row: WebSession


def start_session(session: Session, user: User, *, method: str, settings: Settings,
                  at: datetime | None = None) -> StartedSession:
    t = at or now()
    raw = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_digest(raw), user_id=user.id, csrf_token=secrets.token_urlsafe(24),
        method=method, created_at=t, last_seen_at=t,
        expires_at=t + timedelta(minutes=settings.session_idle_minutes),
    )
    session.add(row)
    session.flush()
    audit.append(session, action="session.start", subject=f"user:{user.username}",
                 actor=f"user:{user.username}", details={"method": method, "session": row.id})
    return StartedSession(raw, row)


def resolve_session(session: Session, cookie_value: str, *, settings: Settings,
                    at: datetime | None = None) -> WebSession | None:
    """The live session behind a cookie, its idle deadline pushed on; None when it ended,
    idled out, passed its maximum age, or its user was deactivated."""
    t = at or now()
    row = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(cookie_value)))
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    hard_end = _aware(row.created_at) + timedelta(hours=settings.session_max_hours)
    if _aware(row.expires_at) <= t or hard_end <= t:
        return None
    # Write the sliding deadline at most once a minute: reads stay cheap.
    # On a GET (read-first session) the update commits in its own short write transaction.
    if (t - _aware(row.last_seen_at)).total_seconds() >= 60:
        update_row(session, row, last_seen_at=t, expires_at=min(
            t + timedelta(minutes=settings.session_idle_minutes), hard_end))
    return row


def end_session(session: Session, row: WebSession, *, reason: str = "logout") -> None:
    if row.ended_at is None:
        row.ended_at = now()
        audit.append(session, action="session.end", subject=f"user:{row.user.username}",
                     actor=f"user:{row.user.username}",
                     details={"session": row.id, "reason": reason})


def end_all_sessions(session: Session, user: User, *, reason: str) -> int:
    rows = list(session.scalars(select(WebSession).where(
        WebSession.user_id == user.id, WebSession.ended_at.is_(None))))
    for row in rows:
        end_session(session, row, reason=reason)
    return len(rows)


def create_token(session: Session, user: User, *, name: str, actor: str,
                 expires_at: datetime | None = None) -> tuple[str, ApiToken]:
    """A new API token; the returned secret is shown once and never stored."""
    if not name.strip():
        raise AccountError("bad_token_name", "ต้องตั้งชื่อโทเค็น")
    secret = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip(), token_hash=_digest(secret),
                   created_at=now(), expires_at=expires_at)
    session.add(row)
    session.flush()
    audit.append(session, action="token.create", subject=f"user:{user.username}", actor=actor,
                 details={"token_id": row.id, "name": row.name})
    return f"{TOKEN_PREFIX}{row.id}_{secret}", row


def resolve_token(session: Session, raw: str, *, at: datetime | None = None) -> ApiToken | None:
    t = at or now()
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token_id, _, secret = raw[len(TOKEN_PREFIX):].partition("_")
    # ASCII digits only ("²" is a digit to str.isdigit), and short enough for a row id.
    if not (token_id.isascii() and token_id.isdigit()) or len(token_id) > 18 or not secret:
        return None
    row = session.get(ApiToken, int(token_id))
    if row is None or not secrets.compare_digest(row.token_hash, _digest(secret)):
        return None
    if row.revoked_at is not None or not row.user.active:
        return None
    if row.expires_at is not None and _aware(row.expires_at) <= t:
        return None
    if row.last_used_at is None or (t - _aware(row.last_used_at)).total_seconds() >= 60:
        update_row(session, row, last_used_at=t)
    return row


def revoke_token(session: Session, row: ApiToken, *, actor: str) -> None:
    if row.revoked_at is None:
        row.revoked_at = now()
        audit.append(session, action="token.revoke", subject=f"user:{row.user.username}",
                     actor=actor, details={"token_id": row.id})


def _aware(value: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive; they were written in UTC.
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
