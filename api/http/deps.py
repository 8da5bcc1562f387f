"""Request dependencies: the archive, a catalog session, and the signed-in principal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.access import Action, Principal, load_principal, require_any
from api.access.policy import AccessDenied
from api.access.sessions import SESSION_COOKIE, resolve_session, resolve_token
from api.http.errors import CSRF_FAILED, FORBIDDEN, NOT_AUTHENTICATED, ApiError
from archive.archive import Archive
from archive.catalog import WebSession


def get_archive(request: Request) -> Archive:
    archive: Archive = request.app.state.archive
    return archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]


WRITES_ON_GET = "__tabian_writes_on_get__"
F = TypeVar("F", bound=Callable[..., Any])


def writes_on_get(endpoint: F) -> F:
    """Mark a GET route whose purpose is a write (the OpenID Connect callback signs in): it
    gets an ordinary write transaction rather than a read-first one."""
    setattr(endpoint, WRITES_ON_GET, True)
    return endpoint


def db_session(request: Request, archive: ArchiveDep) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent (scope=function),
    so a failed commit is an error response, never a silent loss.

    GET and HEAD read (`Catalog.read_session`): on SQLite they take no write lock, so reads
    run side by side; what they write (the audit event of the read, a session's sliding
    deadline) goes through `write_side`, a short write transaction of its own."""
    catalog = archive.catalog
    reads = request.method in {"GET", "HEAD"} and not getattr(
        request.scope.get("endpoint"), WRITES_ON_GET, False)
    with (catalog.read_session if reads else catalog.session)() as session:
        yield session


DbDep = Annotated[Session, Depends(db_session, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def optional_principal(request: Request, archive: ArchiveDep, db: DbDep) -> Principal | None:
    """The caller, from a bearer token or the session cookie; None when not signed in.
    Sets `request.state.web_session` for cookie callers (CSRF, logout)."""
    request.state.web_session = None
    raw_token = _bearer(request)
    if raw_token is not None:
        token = resolve_token(db, raw_token)
        if token is None:
            raise ApiError(401, "bad_token", "โทเค็นไม่ถูกต้อง หมดอายุ หรือถูกเพิกถอนแล้ว")
        return load_principal(db, token.user, method="token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        ws = resolve_session(db, cookie, settings=archive.settings)
        if ws is not None:
            request.state.web_session = ws
            return load_principal(db, ws.user, method=ws.method)
    return None


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def _form_csrf(request: Request) -> str | None:
    """The `csrf` field of a posted HTML form (plain forms work without JavaScript)."""
    ctype = request.headers.get("content-type", "")
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and (
        ctype.startswith("application/x-www-form-urlencoded")
        or ctype.startswith("multipart/form-data")
    ):
        form = await request.form()  # cached on the request; the route reads it again free
        value = form.get("csrf")
        request.state.form_csrf = value if isinstance(value, str) else None
    return None


def current_principal(
    request: Request, principal: OptionalPrincipal,
    _csrf: Annotated[str | None, Depends(_form_csrf)] = None,
) -> Principal:
    if principal is None:
        raise ApiError(401, *NOT_AUTHENTICATED)
    ws: WebSession | None = request.state.web_session
    if ws is not None and request.method not in {"GET", "HEAD", "OPTIONS"}:
        # Cookie-authenticated writes must carry the session's CSRF token (header or form).
        sent = request.headers.get("x-csrf-token")
        if sent is None:
            sent = getattr(request.state, "form_csrf", None)
        if sent != ws.csrf_token:
            raise ApiError(403, *CSRF_FAILED)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def requires(action: Action):
    """A dependency: the caller must hold `action` somewhere (target checks come later)."""

    def check(principal: CurrentPrincipal) -> Principal:
        try:
            require_any(principal, action)
        except AccessDenied as exc:
            raise ApiError(403, FORBIDDEN[0], exc.message) from exc
        return principal

    return Depends(check)
