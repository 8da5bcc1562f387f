"""A user's own API tokens: made (the secret shown once), listed, revoked."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import now
from api.access.sessions import create_token, revoke_token
from api.http.errors import not_found
from api.services.accounts_service import iso_time
from archive.catalog import ApiToken, User

MAX_TOKEN_DAYS = 3650


def token_json(row: ApiToken) -> dict[str, Any]:
    expires = row.expires_at
    if expires is not None and expires.tzinfo is None:  # SQLite: naive, written in UTC
        expires = expires.replace(tzinfo=UTC)
    expired = expires is not None and expires <= now()
    return {
        "id": row.id,
        "name": row.name,
        "created_at": iso_time(row.created_at),
        "expires_at": iso_time(expires),
        "last_used_at": iso_time(row.last_used_at),
        "revoked_at": iso_time(row.revoked_at),
        "live": row.revoked_at is None and not expired,
    }


def own_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())))


def new_token(session: Session, *, user: User, name: str, actor: str,
              expires_in_days: int | None = None) -> tuple[str, ApiToken]:
    expires = now() + timedelta(days=expires_in_days) if expires_in_days else None
    return create_token(session, user, name=name, actor=actor, expires_at=expires)


def revoke_own_token(session: Session, *, user_id: int, token_id: int, actor: str) -> ApiToken:
    """Revoke one of the caller's tokens; another user's token is 'not found'."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise not_found("โทเค็น")
    revoke_token(session, row, actor=actor)
    return row
