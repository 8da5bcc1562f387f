"""Users and their rights, as the access controller (ผู้ควบคุมการเข้าใช้งาน) manages them.

Shared by the JSON API, the web pages and `tabian users`. Functions take keyword-only
arguments and leave the commit to the caller. The `*_as` functions check the signed-in
principal through `api.access.policy` (the one decision point); the others are the
operator's (the command line), who may do anything.

A user's place in the unit tree is their own unit, or, for an owner account without one,
the unit of their record in the registry: that is where their access controller finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from api.access import ROLE_NAMES_TH, Action, Principal, Role, Target, allows
from api.access.accounts import (
    AccountError,
    create_user,
    grant,
    live_grants,
    now,
    person_by_citizen_id,
    revoke,
    unit_by_path,
)
from api.access.policy import scope
from api.access.sessions import end_all_sessions, revoke_token
from api.http.errors import ApiError, not_found
from archive import audit
from archive.catalog import ApiToken, Grant, Person, Unit, User
from archive.registry import UNIT_SEPARATOR
from archive.thai import parse_citizen_id

NOT_OWN_RIGHTS = ("self_grant", "ท่านไม่อาจมอบหรือรับรองสิทธิ์ให้ตนเอง")
OUTSIDE_UNIT = ("outside_scope", "ขอบเขตของสิทธิ์ต้องอยู่ในหน่วยงานที่ท่านดูแล")
REASON_NEEDED = ("reason_required", "ต้องระบุเหตุผล")
# Text from forms and JSON: no control characters (a NUL cannot be stored by PostgreSQL).
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def iso_time(value: datetime | None) -> str | None:
    """ISO time in UTC (SQLite hands timezone-aware columns back naive)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


# --- where a user and a grant sit in the unit tree -------------------------------------------

def home_unit_path(session: Session, user: User) -> str | None:
    """The unit that places `user`: their own, or their record's (owner accounts)."""
    if user.unit is not None:
        return user.unit.path
    if user.citizen_id:
        return session.scalar(
            select(Unit.path).join(Person, Person.unit_id == Unit.id)
            .where(Person.citizen_id == user.citizen_id))
    return None


def grant_target(grant_row: Grant) -> Target:
    """What a right reaches, as a policy target: its unit, or its one person."""
    if grant_row.person is not None:
        return Target.of(grant_row.person)
    return Target(unit_path=grant_row.unit.path if grant_row.unit else None)


def under_any(column: Any, unit_paths: tuple[str, ...]) -> Any:
    """SQL: `column` (a unit path) is one of `unit_paths` or below one."""
    return or_(*(
        or_(column == p, column.startswith(p + UNIT_SEPARATOR, autoescape=True))
        for p in unit_paths
    ))


def units_in(session: Session, unit_paths: tuple[str, ...]) -> list[str]:
    """Every unit path in (or below) `unit_paths`, for choosing a unit in a form."""
    if not unit_paths:
        return []
    return list(session.scalars(
        select(Unit.path).where(under_any(Unit.path, unit_paths)).order_by(Unit.path)))


def grant_units(principal: Principal) -> tuple[str, ...]:
    """The unit subtrees where the caller may create users and grant rights."""
    return scope(principal, Action.GRANT_RIGHTS).unit_paths


# --- JSON shapes ------------------------------------------------------------------------------

def grant_json(grant_row: Grant) -> dict[str, Any]:
    person = grant_row.person
    return {
        "id": grant_row.id,
        "user_id": grant_row.user_id,
        "username": grant_row.user.username,
        "role": grant_row.role,
        "role_th": ROLE_NAMES_TH.get(Role(grant_row.role), grant_row.role),
        "unit": grant_row.unit.path if grant_row.unit else None,
        "citizen_id": person.citizen_id if person else None,
        "person_name": f"{person.prefix}{person.first_name} {person.last_name}" if person else None,
        "section": grant_row.section,
        "granted_by": grant_row.granted_by,
        "granted_at": iso_time(grant_row.granted_at),
        "confirmed_fy": grant_row.confirmed_fy,
        "confirmed_by": grant_row.confirmed_by,
        "confirmed_at": iso_time(grant_row.confirmed_at),
        "live": grant_row.revoked_at is None,
        "revoked_at": iso_time(grant_row.revoked_at),
        "revoked_by": grant_row.revoked_by,
        "revoke_reason": grant_row.revoke_reason,
    }


def user_json(session: Session, user: User, *, with_grants: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "citizen_id": user.citizen_id,
        "unit": user.unit.path if user.unit else None,
        "home_unit": home_unit_path(session, user),
        "position": user.position,
        "active": user.active,
        "has_password": bool(user.password_hash),
        "oidc_linked": bool(user.oidc_subject),
        "created_at": iso_time(user.created_at),
        "updated_at": iso_time(user.updated_at),
    }
    if with_grants:
        rows = session.scalars(select(Grant).where(Grant.user_id == user.id).order_by(Grant.id))
        out["grants"] = [grant_json(g) for g in rows]
    return out


# --- finding ----------------------------------------------------------------------------------

def users_query(unit_paths: tuple[str, ...] | None) -> Select[User]:
    """Users placed in one of `unit_paths` (None: every user, for the operator)."""
    query = select(User).order_by(User.username)
    if unit_paths is None:
        return query
    if not unit_paths:
        return query.where(User.id.is_(None))
    own_unit, record_unit = aliased(Unit), aliased(Unit)
    placed = func.coalesce(own_unit.path, record_unit.path)
    return (query.outerjoin(own_unit, own_unit.id == User.unit_id)
            .outerjoin(Person, Person.citizen_id == User.citizen_id)
            .outerjoin(record_unit, record_unit.id == Person.unit_id)
            .where(under_any(placed, unit_paths)))


def list_users(session: Session, *, unit_paths: tuple[str, ...] | None,
               limit: int = 500, offset: int = 0) -> list[User]:
    return list(session.scalars(users_query(unit_paths).limit(limit).offset(offset)))


def user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise AccountError("unknown_user", f"ไม่พบผู้ใช้ '{username}'")
    return user


def _user_visible(session: Session, principal: Principal, user: User, action: Action) -> bool:
    return allows(principal, action, Target(unit_path=home_unit_path(session, user)))


def user_for(session: Session, principal: Principal, user_id: int, *,
             action: Action = Action.READ_RIGHTS) -> User:
    """A user the caller may see (`READ_RIGHTS`) or manage (`GRANT_RIGHTS`); one outside
    the caller's units is 'not found' (its existence is not the caller's business)."""
    user = session.get(User, user_id)
    if user is None or not _user_visible(session, principal, user, Action.READ_RIGHTS) and \
            not _user_visible(session, principal, user, Action.GRANT_RIGHTS):
        raise not_found("ผู้ใช้")
    if action == Action.GRANT_RIGHTS and not _user_visible(session, principal, user, action):
        raise ApiError(403, "forbidden", "ท่านไม่มีสิทธิ์จัดการผู้ใช้นี้")
    return user


def users_in_scope(session: Session, principal: Principal, *, limit: int = 500,
                   offset: int = 0) -> list[User]:
    paths = set(scope(principal, Action.READ_RIGHTS).unit_paths)
    paths |= set(scope(principal, Action.GRANT_RIGHTS).unit_paths)
    return list_users(session, unit_paths=tuple(sorted(paths)), limit=limit, offset=offset)


def grant_for(session: Session, principal: Principal | None, grant_id: int) -> Grant:
    """A grant the caller may manage (None: the operator)."""
    row = session.get(Grant, grant_id)
    if row is None:
        raise not_found("สิทธิ์")
    if principal is None:
        return row
    if not allows(principal, Action.READ_RIGHTS, grant_target(row)) and \
            not allows(principal, Action.GRANT_RIGHTS, grant_target(row)):
        raise not_found("สิทธิ์")
    if not allows(principal, Action.GRANT_RIGHTS, grant_target(row)):
        raise ApiError(403, "forbidden", "ท่านไม่มีสิทธิ์จัดการสิทธิ์นี้")
    return row


# --- changing ---------------------------------------------------------------------------------

def owner_record(session: Session, citizen_id: str | None) -> Person | None:
    """The registered person a new user's citizen ID names, if any."""
    if not citizen_id or not citizen_id.strip():
        return None
    try:
        cid = parse_citizen_id(citizen_id)
    except ValueError:
        return None  # create_user refuses it with its own message
    return session.scalar(select(Person).where(Person.citizen_id == cid))


def create_user_as(session: Session, principal: Principal, *, username: str, display_name: str,
                   unit_path: str, password: str | None = None, citizen_id: str | None = None,
                   position: str | None = None) -> User:
    """A new user in a unit the caller controls. A citizen ID makes the user the owner of
    that person's record (clause 6.1.1), so the person, too, must be in the caller's units:
    an owner account for someone elsewhere would open their record."""
    if not allows(principal, Action.GRANT_RIGHTS, Target(unit_path=unit_path.strip())):
        raise ApiError(403, *OUTSIDE_UNIT)
    person = owner_record(session, citizen_id)
    if person is not None and not allows(principal, Action.GRANT_RIGHTS, Target.of(person)):
        raise ApiError(403, *OUTSIDE_UNIT)
    return create_user(session, username=username, display_name=display_name,
                       actor=principal.actor, password=password, citizen_id=citizen_id,
                       unit_path=unit_path, position=position)


def grant_as(session: Session, principal: Principal, *, user: User, role: Role,
             unit_path: str | None = None, citizen_id: str | None = None,
             section: str | None = None) -> Grant:
    """Give a right, inside the caller's units, to someone else (never to oneself)."""
    if user.id == principal.user_id:
        raise ApiError(403, *NOT_OWN_RIGHTS)
    if not _user_visible(session, principal, user, Action.GRANT_RIGHTS):
        raise ApiError(403, "forbidden", "ท่านไม่มีสิทธิ์จัดการผู้ใช้นี้")
    if unit_path:
        target = Target(unit_path=unit_by_path(session, unit_path).path)
    elif citizen_id:
        target = Target.of(person_by_citizen_id(session, citizen_id))
    else:
        raise AccountError("bad_scope", "ต้องระบุขอบเขตอย่างใดอย่างหนึ่ง: หน่วยงาน หรือ ผู้มีประวัติ")
    if not allows(principal, Action.GRANT_RIGHTS, target):
        raise ApiError(403, *OUTSIDE_UNIT)
    return grant(session, user=user, role=role, actor=principal.actor, unit_path=unit_path,
                 citizen_id=citizen_id, section=section)


def revoke_grant(session: Session, *, grant_row: Grant, actor: str, reason: str) -> Grant:
    if not reason.strip():
        raise AccountError(*REASON_NEEDED)
    if grant_row.revoked_at is not None:
        raise ApiError(409, "already_revoked", "สิทธิ์นี้ถูกเพิกถอนไปแล้ว")
    revoke(session, grant_row=grant_row, actor=actor, reason=reason.strip())
    return grant_row


@dataclass(frozen=True)
class UserChange:
    """What a change to a user did: rights revoked and sign-ins ended (clauses 2.2.3, 6.2)."""

    user: User
    changed: tuple[str, ...]
    grants_revoked: int = 0
    sessions_ended: int = 0
    tokens_revoked: int = 0


def change_user(session: Session, *, user: User, actor: str, display_name: str | None = None,
                unit_path: str | None = None, position: str | None = None,
                active: bool | None = None) -> UserChange:
    """Update a user. A new unit or position, or leaving service (deactivation), revokes every
    live right at once and ends every sign-in and API token: rights are given anew for the
    new post (clauses 2.2.3 and 6.2). `unit_path=""` clears the unit, `None` keeps it."""
    changed: list[str] = []
    if display_name is not None and display_name.strip() and display_name != user.display_name:
        user.display_name = display_name.strip()
        changed.append("display_name")
    if unit_path is not None:
        new_unit = unit_by_path(session, unit_path) if unit_path.strip() else None
        if (new_unit.id if new_unit else None) != user.unit_id:
            user.unit_id = new_unit.id if new_unit else None
            user.unit = new_unit
            changed.append("unit")
    if position is not None and (position.strip() or None) != user.position:
        user.position = position.strip() or None
        changed.append("position")
    if active is not None and active != user.active:
        user.active = active
        changed.append("active" if active else "deactivated")
    if not changed:
        return UserChange(user, ())
    user.updated_at = now()
    audit.append(session, action="user.update", subject=f"user:{user.username}", actor=actor,
                 details={"changed": changed, "unit": user.unit.path if user.unit else None,
                          "position": user.position, "active": user.active})
    if not {"unit", "position", "deactivated"} & set(changed):
        return UserChange(user, tuple(changed))
    why = {"unit": "ย้ายหน่วยงาน", "position": "เปลี่ยนตำแหน่ง", "deactivated": "พ้นจากราชการ/ระงับบัญชี"}
    reason = "เพิกถอนอัตโนมัติ: " + ", ".join(why[c] for c in changed if c in why)
    grants, sessions, tokens = revoke_everything(session, user, actor=actor, reason=reason)
    return UserChange(user, tuple(changed), grants, sessions, tokens)


def revoke_everything(session: Session, user: User, *, actor: str,
                      reason: str) -> tuple[int, int, int]:
    """Every live right, sign-in session and API token of `user` ends now."""
    grants = live_grants(session, user)
    for g in grants:
        revoke(session, grant_row=g, actor=actor, reason=reason)
    sessions = end_all_sessions(session, user, reason="rights_revoked")
    tokens = list(session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    for t in tokens:
        revoke_token(session, t, actor=actor)
    return len(grants), sessions, len(tokens)


def revoke_for_registry_moves(session: Session, citizen_ids: list[str], *,
                              actor: str) -> list[str]:
    """The registry (an HR import) says these persons changed unit or left active service:
    their user accounts keep being owners of their own record but lose every right given for
    the old post. Returns the usernames affected."""
    affected: list[str] = []
    for start in range(0, len(citizen_ids), 900):
        users = session.scalars(select(User).where(
            User.citizen_id.in_(citizen_ids[start:start + 900]))).all()
        for user in users:
            n = revoke_everything(session, user, actor=actor,
                                  reason="เพิกถอนอัตโนมัติ: ทะเบียนบุคลากรแจ้งย้ายหน่วยงาน/พ้นจากราชการ")
            if any(n):
                affected.append(user.username)
    return affected


def change_user_as(session: Session, principal: Principal, *, user: User,
                   display_name: str | None = None, unit_path: str | None = None,
                   position: str | None = None, active: bool | None = None) -> UserChange:
    """The access controller's change: the user must be in their units, and so must a new
    unit (moving someone out of the caller's units is the receiving unit's business)."""
    if unit_path is not None and unit_path.strip() and not allows(
            principal, Action.GRANT_RIGHTS, Target(unit_path=unit_path.strip())):
        raise ApiError(403, *OUTSIDE_UNIT)
    if unit_path is not None and not unit_path.strip():
        raise AccountError("bad_unit", "ต้องระบุหน่วยงาน")
    if user.id == principal.user_id and active is False:
        raise ApiError(403, "self_deactivate", "ท่านไม่อาจระงับบัญชีของตนเอง")
    return change_user(session, user=user, actor=principal.actor, display_name=display_name,
                       unit_path=unit_path, position=position, active=active)


__all__ = [
    "PLAIN_TEXT",
    "UserChange",
    "change_user",
    "change_user_as",
    "create_user_as",
    "grant_as",
    "grant_for",
    "grant_json",
    "grant_target",
    "grant_units",
    "home_unit_path",
    "iso_time",
    "list_users",
    "revoke_grant",
    "units_in",
    "user_by_username",
    "user_for",
    "user_json",
    "users_in_scope",
]
