"""The caller's own API tokens (`Authorization: Bearer tbn_…`): hashed at rest, revocable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.http.app_prefix import API_PREFIX
from api.http.deps import CurrentPrincipal, DbDep
from api.http.errors import ERROR_RESPONSES
from api.services.accounts_service import PLAIN_TEXT
from api.services.accounts_tokens import (
    MAX_TOKEN_DAYS,
    new_token,
    own_tokens,
    revoke_own_token,
    token_json,
)
from archive.catalog import User

router = APIRouter(prefix=f"{API_PREFIX}/tokens", tags=["tokens"], responses=ERROR_RESPONSES)


class TokenCreate(BaseModel):
    name: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=200,
                      description="What the token is for")
    expires_in_days: int | None = Field(default=None, ge=1, le=MAX_TOKEN_DAYS)


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: str | None
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None
    live: bool


class TokenCreated(TokenOut):
    token: str = Field(description="The secret, shown this once only")


class TokenList(BaseModel):
    tokens: list[TokenOut]


@router.post("", summary="Make an API token for oneself (the secret is shown once)",
             response_model=TokenCreated, status_code=201)
def create(body: TokenCreate, principal: CurrentPrincipal, db: DbDep) -> dict[str, Any]:
    user = db.get(User, principal.user_id)
    assert user is not None
    secret, row = new_token(db, user=user, name=body.name, actor=principal.actor,
                            expires_in_days=body.expires_in_days)
    return {**token_json(row), "token": secret}


@router.get("", summary="The caller's API tokens (never their secrets)",
            response_model=TokenList)
def list_own(principal: CurrentPrincipal, db: DbDep) -> dict[str, Any]:
    return {"tokens": [token_json(t) for t in own_tokens(db, principal.user_id)]}


@router.delete("/{token_id}", summary="Revoke one of the caller's API tokens",
               response_model=TokenOut)
def revoke(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], principal: CurrentPrincipal,
           db: DbDep) -> dict[str, Any]:
    row = revoke_own_token(db, user_id=principal.user_id, token_id=token_id,
                           actor=principal.actor)
    return token_json(row)
