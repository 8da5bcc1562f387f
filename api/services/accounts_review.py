"""The fiscal-year rights review (การทบทวนสิทธิ์ประจำปีงบประมาณ, clause 6.2).

Every fiscal year (1 October - 30 September, Buddhist Era) the access controller goes through
every live right in their units and confirms or revokes it. A right granted during a fiscal
year counts as reviewed for that year; any other needs a confirmation each year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from api.access import Action, Principal, allows
from api.access.accounts import AccountError, now
from api.access.policy import scope
from api.http.errors import ApiError
from api.services.accounts_service import (
    NOT_OWN_RIGHTS,
    REASON_NEEDED,
    grant_for,
    grant_json,
    grant_target,
    iso_time,
    revoke_grant,
    under_any,
)
from archive import audit
from archive.catalog import Grant, Person, Unit, User
from archive.domain import fiscal_year_be

BANGKOK = ZoneInfo("Asia/Bangkok")


class Decision(StrEnum):
    CONFIRM = "confirm"
    REVOKE = "revoke"


def current_fiscal_year(at: datetime | None = None) -> int:
    """The Buddhist-Era fiscal year of `at` (default now), by the date in Thailand."""
    return fiscal_year_be((at or now()).astimezone(BANGKOK).date())


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a Buddhist-Era fiscal year: 1 Oct of the year before - 30 Sep."""
    ce = fiscal_year - 543
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def fiscal_year_of(value: datetime) -> int:
    return current_fiscal_year(value if value.tzinfo else value.replace(tzinfo=UTC))


def needs_confirming(grant_row: Grant, fiscal_year: int) -> bool:
    """Whether the review of `fiscal_year` has yet to keep this right."""
    reviewed = grant_row.confirmed_fy or fiscal_year_of(grant_row.granted_at)
    return reviewed < fiscal_year


def _reach_paths(principal: Principal) -> tuple[str, ...]:
    paths = set(scope(principal, Action.READ_RIGHTS).unit_paths)
    paths |= set(scope(principal, Action.GRANT_RIGHTS).unit_paths)
    return tuple(sorted(paths))


def live_grants_in(session: Session, unit_paths: tuple[str, ...] | None) -> list[Grant]:
    """Live grants whose reach (their unit, or their person's unit) lies in `unit_paths`
    (None: all of them, for the operator)."""
    query = select(Grant).where(Grant.revoked_at.is_(None)).order_by(Grant.id)
    if unit_paths is not None:
        if not unit_paths:
            return []
        grant_unit, person_unit = aliased(Unit), aliased(Unit)
        reach = func.coalesce(grant_unit.path, person_unit.path)
        query = (query.outerjoin(grant_unit, grant_unit.id == Grant.unit_id)
                 .outerjoin(Person, Person.id == Grant.person_id)
                 .outerjoin(person_unit, person_unit.id == Person.unit_id)
                 .where(under_any(reach, unit_paths)))
    return list(session.scalars(query))


def review_report(session: Session, *, fiscal_year: int,
                  principal: Principal | None) -> dict[str, Any]:
    """Every live right in the caller's units (the operator: all), with what still needs
    confirming in `fiscal_year`."""
    grants = live_grants_in(session, None if principal is None else _reach_paths(principal))
    start, end = fiscal_year_bounds(fiscal_year)
    rows = []
    for g in grants:
        user: User = g.user
        row = grant_json(g)
        row.update(
            display_name=user.display_name, user_active=user.active,
            user_unit=user.unit.path if user.unit else None, user_position=user.position,
            needs_confirming=needs_confirming(g, fiscal_year),
            can_decide=principal is None or (
                user.id != principal.user_id
                and allows(principal, Action.GRANT_RIGHTS, grant_target(g))),
        )
        rows.append(row)
    return {
        "fiscal_year": fiscal_year,
        "current_fiscal_year": current_fiscal_year(),
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "total": len(rows),
        "needs_confirming": sum(1 for r in rows if r["needs_confirming"]),
        "grants": rows,
    }


def decide(session: Session, *, grant_row: Grant, decision: Decision, actor: str,
           reason: str = "") -> dict[str, Any]:
    """Keep a right for the current fiscal year, or revoke it (the reason is required)."""
    if grant_row.revoked_at is not None:
        raise ApiError(409, "already_revoked", "สิทธิ์นี้ถูกเพิกถอนไปแล้ว")
    fiscal_year = current_fiscal_year()
    if decision == Decision.REVOKE:
        if not reason.strip():
            raise AccountError(*REASON_NEEDED)
        revoke_grant(session, grant_row=grant_row, actor=actor,
                     reason=f"ทบทวนสิทธิ์ปีงบประมาณ {fiscal_year}: {reason.strip()}")
    else:
        grant_row.confirmed_fy = fiscal_year
        grant_row.confirmed_by = actor
        grant_row.confirmed_at = now()
        audit.append(session, action="grant.confirm", subject=f"user:{grant_row.user.username}",
                     actor=actor, details={"grant_id": grant_row.id, "fiscal_year": fiscal_year,
                                           "reason": reason.strip() or None})
    out = grant_json(grant_row)
    out["decision"] = decision.value
    out["fiscal_year"] = fiscal_year
    out["decided_at"] = iso_time(now())
    return out


def decide_as(session: Session, principal: Principal, *, grant_id: int, decision: Decision,
              reason: str = "") -> dict[str, Any]:
    """The access controller's decision: on a right in their units, never their own."""
    grant_row = grant_for(session, principal, grant_id)
    if grant_row.user_id == principal.user_id and decision == Decision.CONFIRM:
        raise ApiError(403, *NOT_OWN_RIGHTS)
    return decide(session, grant_row=grant_row, decision=decision, actor=principal.actor,
                  reason=reason)
