"""API errors: a stable English code, a Thai message for people, and the HTTP status."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised by routes and services; rendered as `{"error": {"code", "message", "detail"}}`
    for the API and as a Thai error page for the web interface."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail is not None:
            err["detail"] = self.detail
        return {"error": err}


def not_found(what: str = "ข้อมูล") -> ApiError:
    return ApiError(404, "not_found", f"ไม่พบ{what}ที่ขอ")


def bad_request(code: str, message: str, detail: Any = None) -> ApiError:
    return ApiError(400, code, message, detail)


def conflict(code: str, message: str, detail: Any = None) -> ApiError:
    return ApiError(409, code, message, detail)


NOT_AUTHENTICATED = ("not_authenticated", "กรุณาเข้าสู่ระบบก่อนใช้งาน")
FORBIDDEN = ("forbidden", "ท่านไม่มีสิทธิ์เข้าถึงข้อมูลนี้")
CSRF_FAILED = ("csrf_failed", "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")

# The schema of an error body, for OpenAPI `responses=`.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "detail": {}},
        "required": ["code", "message"]}},
    "required": ["error"],
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, text in (
        (400, "Bad request"), (401, "Not signed in"), (403, "Not allowed by clause 6.1"),
        (404, "Not found"), (409, "Conflict"), (422, "Invalid input"),
    )
}
