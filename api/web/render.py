"""Rendering Thai pages: one Jinja2 environment, Thai filters, the layout's menu by right."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.access import ROLE_NAMES_TH, Action, Principal, Role
from api.http.errors import ApiError
from archive.domain import EVIDENCE_CATEGORIES
from archive.thai import format_citizen_id, format_thai_date, to_thai_digits

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
BANGKOK = ZoneInfo("Asia/Bangkok")

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
env = templates.env
env.autoescape = True
CATEGORY_NAMES_TH = {c.slug: c.name_th for c in EVIDENCE_CATEGORIES}


def thai_date(value: date | datetime | None, abbreviated: bool = True) -> str:
    """๒๔ เม.ย. ๒๕๕๓ (a datetime is shown in Bangkok time, with the time)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = value.astimezone(BANGKOK) if value.tzinfo else value
        return f"{format_thai_date(local.date(), abbreviated=abbreviated)} " \
               f"{to_thai_digits(local.strftime('%H:%M'))} น."
    return format_thai_date(value, abbreviated=abbreviated)


def citizen_id(value: str | None) -> str:
    return format_citizen_id(value) if value else "—"


env.filters["thai_date"] = thai_date
env.filters["citizen_id"] = citizen_id
env.filters["thai_digits"] = lambda v: to_thai_digits(str(v)) if v is not None else "—"
env.filters["category_th"] = lambda slug: CATEGORY_NAMES_TH.get(slug or "", "ยังไม่จัดหมวด")
env.filters["role_th"] = lambda role: ROLE_NAMES_TH.get(Role(role), role)
env.globals["CATEGORY_NAMES_TH"] = CATEGORY_NAMES_TH

# The menu: (path, Thai label, the right that shows it; None = every signed-in user).
MENU: list[tuple[str, str, Action | None]] = [
    ("/", "หน้าแรก", None),
    ("/search", "ค้นหาเอกสาร", Action.READ_RECORD),
    ("/persons", "ทะเบียนประวัติ", Action.READ_RECORD),
    ("/upload", "นำเข้าเอกสาร", Action.UPLOAD),
    ("/review", "คิวตรวจสอบ", Action.RESOLVE_REVIEW),
    ("/drafts", "รายการร่าง", Action.WRITE_ENTRY),
    ("/corrections", "คำขอแก้ไข", Action.DECIDE_CORRECTION),
    ("/retention", "การทำลายเอกสาร", Action.RETENTION_REVIEW),
    ("/retention", "การทำลายเอกสาร", Action.RETENTION_ORDER),
    ("/reminders", "การแจ้งเตือน", Action.RETENTION_REVIEW),
    ("/audit", "บันทึกการเข้าถึง", Action.READ_AUDIT),
    ("/users", "ผู้ใช้และสิทธิ์", Action.READ_RIGHTS),
]


def menu_for(principal: Principal | None) -> list[tuple[str, str]]:
    if principal is None:
        return []
    seen: set[str] = set()
    items = []
    for path, label, action in MENU:
        if path in seen:
            continue
        if action is None or principal.can_at_all(action):
            seen.add(path)
            items.append((path, label))
    if principal.is_owner:
        items.insert(1, ("/me", "ประวัติของฉัน"))
    return items


def page(request: Request, template: str, principal: Principal | None,
         status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` in the layout, with the caller, the menu and the CSRF token."""
    ws = getattr(request.state, "web_session", None)
    context.update(
        request=request, principal=principal, menu=menu_for(principal),
        csrf=ws.csrf_token if ws is not None else "", current_path=request.url.path,
    )
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, err: ApiError) -> HTMLResponse:
    # The failed request's catalog session is rolled back and closed by now, so its web
    # session row is detached; the error page has no forms and needs no CSRF token.
    request.state.web_session = None
    return page(request, "error.html", None, status_code=err.status, error=err)
