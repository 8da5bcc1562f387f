"""Accounts: users, passwords (argon2), rights granted and revoked, all on the audit log."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.roles import PERSON_SCOPED_ROLES, Role
from archive import audit
from archive.catalog import Grant, Person, Unit, User
from archive.domain import EntrySection
from archive.thai import parse_citizen_id

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; `code` is stable, message Thai."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def now() -> datetime:
    return datetime.now(UTC)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password",
                           f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร")
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A fixed hash so that an unknown username costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("tabian-no-such-user")


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The active user whose username (or citizen ID, for owners) and password match."""
    login = login.strip()
    user = session.scalar(select(User).where(User.username == login))
    if user is None:
        try:
            cid = parse_citizen_id(login)
        except ValueError:
            cid = None
        if cid:
            user = session.scalar(select(User).where(User.citizen_id == cid))
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    if not user.active or not verify_password(user, password):
        return None
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def unit_by_path(session: Session, path: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.path == path.strip()))
    if unit is None:
        raise AccountError("unknown_unit", f"ไม่พบหน่วยงาน '{path}' ในทะเบียน")
    return unit


def person_by_citizen_id(session: Session, citizen_id: str) -> Person:
    try:
        cid = parse_citizen_id(citizen_id)
    except ValueError as exc:
        raise AccountError("bad_citizen_id", f"เลขประจำตัวประชาชนไม่ถูกต้อง: {exc}") from exc
    person = session.scalar(select(Person).where(Person.citizen_id == cid))
    if person is None:
        raise AccountError("unknown_person", f"ไม่พบผู้มีเลขประจำตัวประชาชน {cid} ในทะเบียน")
    return person


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    actor: str,
    password: str | None = None,
    citizen_id: str | None = None,
    unit_path: str | None = None,
    position: str | None = None,
) -> User:
    username = username.strip()
    if not username:
        raise AccountError("bad_username", "ต้องระบุชื่อผู้ใช้")
    if session.scalar(select(User.id).where(User.username == username)):
        raise AccountError("user_exists", f"มีชื่อผู้ใช้ '{username}' อยู่แล้ว")
    cid = None
    if citizen_id:
        try:
            cid = parse_citizen_id(citizen_id)
        except ValueError as exc:
            raise AccountError("bad_citizen_id", f"เลขประจำตัวประชาชนไม่ถูกต้อง: {exc}") from exc
        if session.scalar(select(User.id).where(User.citizen_id == cid)):
            raise AccountError("user_exists", f"มีผู้ใช้ที่มีเลขประจำตัวประชาชน {cid} อยู่แล้ว")
    t = now()
    user = User(
        username=username, display_name=display_name.strip() or username, citizen_id=cid,
        password_hash=hash_password(password) if password else None,
        unit_id=unit_by_path(session, unit_path).id if unit_path else None,
        position=position, active=True, created_at=t, updated_at=t,
    )
    session.add(user)
    session.flush()
    audit.append(session, action="user.create", subject=f"user:{username}", actor=actor,
                 details={"citizen_id": cid, "unit": unit_path, "position": position})
    return user


def grant(
    session: Session,
    *,
    user: User,
    role: Role,
    actor: str,
    unit_path: str | None = None,
    citizen_id: str | None = None,
    section: str | None = None,
) -> Grant:
    """Give `user` a right. Unit-scoped roles need a unit; recorder and registrar may instead
    be assigned one person; a recorder may be limited to one record section."""
    if role == Role.OWNER:
        raise AccountError("bad_role", "สิทธิ์เจ้าของประวัติได้จากเลขประจำตัวประชาชนของผู้ใช้ ไม่ต้องมอบ")
    if not user.active:
        raise AccountError("user_inactive", "ผู้ใช้นี้ถูกระงับแล้ว")
    if bool(unit_path) == bool(citizen_id):
        raise AccountError("bad_scope", "ต้องระบุขอบเขตอย่างใดอย่างหนึ่ง: หน่วยงาน หรือ ผู้มีประวัติ")
    if citizen_id and role not in PERSON_SCOPED_ROLES:
        raise AccountError("bad_scope", "บทบาทนี้มอบได้ตามหน่วยงานเท่านั้น")
    if section is not None:
        if role != Role.RECORDER:
            raise AccountError("bad_scope", "การจำกัดหมวดรายการใช้กับผู้บันทึกรายการเท่านั้น")
        if section not in {s.value for s in EntrySection}:
            raise AccountError("bad_section", f"ไม่รู้จักหมวดรายการ '{section}'")
    unit = unit_by_path(session, unit_path) if unit_path else None
    person = person_by_citizen_id(session, citizen_id) if citizen_id else None
    row = Grant(
        user_id=user.id, role=role.value, unit_id=unit.id if unit else None,
        person_id=person.id if person else None, section=section, granted_by=actor,
        granted_at=now(),
    )
    session.add(row)
    session.flush()
    audit.append(session, action="grant.create", subject=f"user:{user.username}", actor=actor,
                 details={"grant_id": row.id, "role": role.value, "unit": unit_path,
                          "citizen_id": person.citizen_id if person else None,
                          "section": section})
    return row


def revoke(session: Session, *, grant_row: Grant, actor: str, reason: str) -> None:
    if grant_row.revoked_at is not None:
        return
    grant_row.revoked_at = now()
    grant_row.revoked_by = actor
    grant_row.revoke_reason = reason
    audit.append(session, action="grant.revoke", subject=f"user:{grant_row.user.username}",
                 actor=actor, details={"grant_id": grant_row.id, "reason": reason})


def live_grants(session: Session, user: User) -> list[Grant]:
    return list(session.scalars(
        select(Grant).where(Grant.user_id == user.id, Grant.revoked_at.is_(None)).order_by(Grant.id)
    ))
