"""The FastAPI application: JSON API under /api/v1, Thai web pages at /, one archive per process.

Routers are discovered: every module in `api.http.routers` and `api.web.pages` that defines
`router` is included, so an area adds a file and nothing else.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.access.accounts import AccountError
from api.access.policy import AccessDenied
from api.http.app_prefix import API_PREFIX
from api.http.errors import ApiError
from archive.archive import Archive, open_archive
from archive.config import Settings

log = logging.getLogger(__name__)


STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"

_STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden",
                 404: "not_found", 405: "method_not_allowed", 409: "conflict",
                 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request"}
_STATUS_TH = {400: "คำขอไม่ถูกต้อง", 401: "กรุณาเข้าสู่ระบบก่อนใช้งาน",
              403: "ท่านไม่มีสิทธิ์เข้าถึงข้อมูลนี้", 404: "ไม่พบข้อมูลหรือหน้าที่ขอ",
              405: "ไม่รองรับวิธีเรียกนี้", 409: "ข้อมูลขัดแย้งกับที่มีอยู่",
              413: "ไฟล์ใหญ่เกินกำหนด", 415: "ไม่รองรับชนิดข้อมูลนี้",
              422: "ข้อมูลที่ส่งมาไม่ถูกต้อง"}


def _include_all(app: FastAPI, package: str) -> None:
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package}.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX) and request.url.path not in {
        "/openapi.json", "/docs"}


def _error(request: Request, err: ApiError) -> Response:
    if _wants_html(request):
        if err.status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        from api.web.render import error_page

        return error_page(request, err)
    headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else None
    return JSONResponse(err.body(), status_code=err.status, headers=headers)


def create_app(settings: Settings, *, archive: Archive | None = None) -> FastAPI:
    """The app for `settings`; pass `archive` to share one already open (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = archive is None
        app.state.archive = archive or open_archive(settings)
        try:
            yield
        finally:
            if own:
                app.state.archive.close()

    app = FastAPI(
        title="Tabian — ทะเบียนประวัติอิเล็กทรอนิกส์",
        version="1.0",
        description="Archive of Thai personnel records: ingest, search, records, review, "
                    "retention. Errors are `{\"error\": {\"code\", \"message\"}}` with a stable "
                    "English code and a Thai message. Sign in with a session cookie "
                    "(POST /api/v1/auth/login) or an API token (`Authorization: Bearer tbn_…`).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    if archive is not None:
        app.state.archive = archive

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error(request, exc)

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, exc: AccessDenied) -> Response:
        return _error(request, ApiError(403, exc.code, exc.message))

    @app.exception_handler(AccountError)
    async def _account(request: Request, exc: AccountError) -> Response:
        return _error(request, ApiError(400, exc.code, exc.message))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        detail: list[dict[str, Any]] = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        return _error(request, ApiError(422, "invalid_request", _STATUS_TH[422], detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = _STATUS_TH.get(exc.status_code, str(exc.detail))
        return _error(request, ApiError(exc.status_code, code, message))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, ApiError(500, "internal_error",
                                        "ระบบขัดข้อง กรุณาลองใหม่ หากยังไม่ได้ให้แจ้งผู้ดูแลระบบ"))

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static"):
            # Confidential records: never keep pages in shared caches or the back-button cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _include_all(app, "api.http.routers")
    _include_all(app, "api.web.pages")
    return app
