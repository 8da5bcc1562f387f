"""Jinja filters for the retention, holds, reminders and audit pages (ISO text from services)."""

from __future__ import annotations

from datetime import date, datetime

from api.web.render import env, thai_date
from archive.thai import to_thai_digits


def thai_day(value: str | None) -> str:
    """An ISO date (2026-06-01) as ๑ มิ.ย. ๒๕๖๙."""
    if not value:
        return "—"
    try:
        return thai_date(date.fromisoformat(value[:10]))
    except ValueError:
        return value


def thai_when(value: str | None) -> str:
    """An ISO time (UTC) as a Thai date and time in Bangkok."""
    if not value:
        return "—"
    try:
        return thai_date(datetime.fromisoformat(value))
    except ValueError:
        return value


def thai_bytes(value: int | None) -> str:
    """A size people can read: ๑,๒๓๔ ไบต์ / ๑.๒ เมกะไบต์."""
    if value is None:
        return "—"
    for limit, unit in ((1024**3, "กิกะไบต์"), (1024**2, "เมกะไบต์"), (1024, "กิโลไบต์")):
        if value >= limit:
            return to_thai_digits(f"{value / limit:,.1f}") + f" {unit}"
    return to_thai_digits(f"{value:,}") + " ไบต์"


env.filters["thai_day"] = thai_day
env.filters["thai_when"] = thai_when
env.filters["thai_bytes"] = thai_bytes
