"""Who may do what to whose record (clause 6.1): principals, scopes and the one decision point.

Every route and page asks here; nothing else decides access. A scope is a set of unit
subtrees plus assigned persons (`search.Scope`), so the same answer filters lists, search
hits and single reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.roles import ROLE_ACTIONS, Action, Role
from archive.catalog import Grant, Person, Unit, User
from archive.registry import UNIT_SEPARATOR
from search import Scope


class AccessDenied(Exception):
    """The caller may not do this; `code` is a stable identifier, `message` is Thai."""

    def __init__(self, message: str = "ท่านไม่มีสิทธิ์เข้าถึงข้อมูลนี้", *,
                 code: str = "forbidden") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RoleGrant:
    """One live right: a role over a unit subtree or one person (optionally one section)."""

    grant_id: int
    role: Role
    unit_path: str | None = None
    citizen_id: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Principal:
    """The signed-in caller, with every live right loaded once per request."""

    user_id: int
    username: str
    display_name: str
    citizen_id: str | None = None
    unit_path: str | None = None
    grants: tuple[RoleGrant, ...] = ()
    method: str = "password"  # password | oidc | token
    is_owner: bool = False  # the citizen_id names a person in the registry

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"user:{self.username}"

    @property
    def roles(self) -> frozenset[Role]:
        roles = {g.role for g in self.grants}
        if self.is_owner:
            roles.add(Role.OWNER)
        return frozenset(roles)

    def grants_for(self, action: Action) -> list[RoleGrant]:
        found = [g for g in self.grants if action in ROLE_ACTIONS[g.role]]
        if self.is_owner and self.citizen_id and action in ROLE_ACTIONS[Role.OWNER]:
            found.append(RoleGrant(0, Role.OWNER, citizen_id=self.citizen_id))
        return found

    def can_at_all(self, action: Action) -> bool:
        """Whether any right allows `action` somewhere (menus, routes without a target)."""
        return bool(self.grants_for(action))


def load_principal(session: Session, user: User, *, method: str = "password") -> Principal:
    """The caller's live rights. An inactive user has none (and cannot sign in anyway)."""
    rows = session.execute(
        select(Grant, Unit.path, Person.citizen_id)
        .outerjoin(Unit, Unit.id == Grant.unit_id)
        .outerjoin(Person, Person.id == Grant.person_id)
        .where(Grant.user_id == user.id, Grant.revoked_at.is_(None))
        .order_by(Grant.id)
    ).all()
    grants = tuple(
        RoleGrant(g.id, Role(g.role), unit_path=path, citizen_id=cid, section=g.section)
        for g, path, cid in rows
    ) if user.active else ()
    is_owner = bool(user.active and user.citizen_id and session.scalar(
        select(Person.id).where(Person.citizen_id == user.citizen_id)
    ))
    unit_path = user.unit.path if user.unit is not None else None
    return Principal(user.id, user.username, user.display_name, user.citizen_id, unit_path,
                     grants, method, is_owner)


def under(path: str | None, unit_path: str) -> bool:
    """Whether `path` is the unit `unit_path` or a unit below it."""
    return path is not None and (path == unit_path or path.startswith(unit_path + UNIT_SEPARATOR))


def scope(principal: Principal, action: Action) -> Scope:
    """Whose records `action` reaches for this caller, as a search/listing filter."""
    citizen_ids: set[str] = set()
    unit_paths: list[str] = []
    for g in principal.grants_for(action):
        if g.citizen_id:
            citizen_ids.add(g.citizen_id)
        elif g.unit_path:
            unit_paths.append(g.unit_path)
    # A unit inside another adds nothing; keep the outermost.
    outer = tuple(sorted(
        u for u in set(unit_paths) if not any(u != o and under(u, o) for o in unit_paths)
    ))
    return Scope(citizen_ids=frozenset(citizen_ids), unit_paths=outer)


@dataclass(frozen=True)
class Target:
    """What a request touches: a person (by citizen_id and unit path) or just a unit."""

    citizen_id: str | None = None
    unit_path: str | None = None
    section: str | None = None

    @classmethod
    def of(cls, person: Person, *, section: str | None = None) -> Target:
        return cls(person.citizen_id, person.unit.path if person.unit else None, section)


def allows(principal: Principal, action: Action, target: Target) -> bool:
    """The decision: does some live right of the caller allow `action` on `target`?

    A recorder's grant limited to one record section allows only that section's entries;
    asking without a section (the record as a whole) is allowed for reading, so the recorder
    sees the person's fixed items and the entries of their sections (`sections_visible`)."""
    for g in principal.grants_for(action):
        if g.citizen_id:
            hit = target.citizen_id == g.citizen_id
        elif g.unit_path:
            hit = under(target.unit_path, g.unit_path)
        else:
            hit = False
        if hit and g.section and target.section and target.section != g.section:
            hit = False
        if hit:
            return True
    return False


def require(principal: Principal, action: Action, target: Target) -> None:
    if not allows(principal, action, target):
        raise AccessDenied()


def require_any(principal: Principal, action: Action) -> None:
    """For routes without one target (upload, the audit log): some right must allow it."""
    if not principal.can_at_all(action):
        raise AccessDenied()


def sections_visible(principal: Principal, person: Person) -> frozenset[str] | None:
    """Record sections of `person` this caller may read: None means all of them. Only a
    recorder whose every right over the person is limited to sections sees fewer."""
    target = Target.of(person)
    sections: set[str] = set()
    for g in principal.grants_for(Action.READ_RECORD):
        hit = (target.citizen_id == g.citizen_id) if g.citizen_id else (
            g.unit_path is not None and under(target.unit_path, g.unit_path))
        if not hit:
            continue
        if g.role != Role.RECORDER or not g.section:
            return None
        sections.add(g.section)
    return frozenset(sections)

