"""Signing in and out with a password (session cookie); OIDC sign-in is a browser flow in
`api.web.pages.auth_pages`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.http.app_prefix import API_PREFIX
from api.http.deps import ArchiveDep, DbDep, OptionalPrincipal
from api.http.errors import CSRF_FAILED, ERROR_RESPONSES, ERROR_SCHEMA, ApiError
from api.services.accounts_login import (
    clear_session_cookie,
    logout,
    password_login,
    set_session_cookie,
)
from api.services.accounts_service import PLAIN_TEXT

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"], responses=ERROR_RESPONSES)

TOO_MANY: dict[int | str, dict[str, Any]] = {429: {
    "description": "Too many failed sign-ins for this name; wait and try again",
    "content": {"application/json": {"schema": ERROR_SCHEMA}}}}


class LoginBody(BaseModel):
    login: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=200,
                       description="Username, or a citizen ID (13 digits) for an owner")
    password: str = Field(pattern=PLAIN_TEXT, min_length=1, max_length=1000)


class LoginOut(BaseModel):
    username: str
    display_name: str
    csrf_token: str = Field(description="Send as X-CSRF-Token on cookie-authenticated writes")
    expires_at: datetime = Field(description="When the session ends if left idle")


class LogoutOut(BaseModel):
    ended: bool = Field(description="Whether a live session was ended")


@router.post("/login", summary="Sign in with a password; sets the session cookie",
             response_model=LoginOut, responses=TOO_MANY)
def login(body: LoginBody, request: Request, db: DbDep, archive: ArchiveDep) -> Response:
    result = password_login(db, login=body.login, password=body.password,
                            settings=archive.settings,
                            client=request.client.host if request.client else None)
    if isinstance(result, ApiError):
        # Returned, not raised: the refusal's audit event commits with the request.
        return JSONResponse(result.body(), status_code=result.status)
    ws = result.row
    out = LoginOut(username=ws.user.username, display_name=ws.user.display_name,
                   csrf_token=ws.csrf_token, expires_at=ws.expires_at)
    response = JSONResponse(out.model_dump(mode="json"))
    set_session_cookie(response, request, result, request.app.state.settings)
    return response


@router.post("/logout", summary="End the session and clear its cookie",
             response_model=LogoutOut)
def logout_route(request: Request, db: DbDep, principal: OptionalPrincipal) -> Response:
    ws = request.state.web_session
    if ws is not None and request.headers.get("x-csrf-token") != ws.csrf_token:
        raise ApiError(403, *CSRF_FAILED)
    ended = logout(db, ws)
    response = JSONResponse(LogoutOut(ended=ended).model_dump())
    clear_session_cookie(response)
    return response
