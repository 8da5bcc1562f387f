"""Who an OpenID Connect sign-in is: the account for the provider's verified claims.

The account is found by (issuer, subject), else by the citizen ID claim (ThaID: `pid`) and
then linked to that subject. An owner (เจ้าของประวัติ) whose citizen ID is in the registry
gets an owner account on first sign-in; staff accounts are made by the access controller
beforehand, never from a sign-in.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.access.oidc import OidcClient, OidcError, client_for
from archive import audit
from archive.catalog import Person, User
from archive.config import Settings
from archive.thai import parse_citizen_id

UNKNOWN_USER = ("ไม่พบบัญชีผู้ใช้สำหรับผู้ที่ยืนยันตัวตนนี้ หากท่านเป็นเจ้าหน้าที่ "
                "โปรดติดต่อผู้ควบคุมการเข้าใช้งานของหน่วยงานเพื่อสร้างบัญชี")
CONFLICT = "บัญชีนี้ผูกกับผู้ยืนยันตัวตนรายอื่นแล้ว โปรดติดต่อผู้ควบคุมการเข้าใช้งาน"
INACTIVE = "บัญชีผู้ใช้นี้ถูกระงับแล้ว"


STANDARD_CLAIMS = frozenset({
    "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "gender", "birthdate", "zoneinfo", "locale",
    "phone_number", "address", "updated_at"})


def oidc_enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


def oidc_client(settings: Settings) -> OidcClient:
    assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
    return client_for(issuer=settings.oidc_issuer, client_id=settings.oidc_client_id,
                      client_secret=settings.oidc_client_secret)


def scopes(settings: Settings) -> str:
    """`openid profile`, plus the citizen ID claim's own scope where it has one: ThaID gives
    `pid` only to a client that asks for the `pid` scope (others ignore unknown scopes)."""
    claim = settings.oidc_citizen_id_claim
    return "openid profile" if claim in STANDARD_CLAIMS else f"openid profile {claim}"


def callback_url(request: Request, settings: Settings) -> str:
    base = settings.public_url or str(request.base_url)
    return base.rstrip("/") + "/auth/oidc/callback"


def _citizen_id(claims: dict[str, Any], claim: str) -> str | None:
    value = claims.get(claim)
    if not isinstance(value, str | int):
        return None
    try:
        return parse_citizen_id(str(value))
    except ValueError:
        return None


def _free_username(session: Session, wanted: str) -> str:
    name, n = wanted, 1
    while session.scalar(select(User.id).where(User.username == name)):
        n += 1
        name = f"{wanted}-{n}"
    return name


def _provision_owner(session: Session, person: Person, *, issuer: str, subject: str) -> User:
    user = create_user(
        session, username=_free_username(session, person.citizen_id),
        display_name=f"{person.prefix}{person.first_name} {person.last_name}",
        actor=f"oidc:{issuer}", citizen_id=person.citizen_id)
    user.oidc_issuer, user.oidc_subject = issuer, subject
    return user


def user_for_claims(session: Session, *, claims: dict[str, Any], issuer: str,
                    settings: Settings) -> User | OidcError:
    """The account these verified claims sign in as, or why there is none. Every outcome
    is on the audit log; the refusal is returned so that its event commits."""
    subject = str(claims["sub"])
    cid = _citizen_id(claims, settings.oidc_citizen_id_claim)
    audit_subject = f"oidc:{cid or subject}"
    details: dict[str, Any] = {"issuer": issuer, "sub": subject, "citizen_id": cid}

    def refuse(code: str, message: str) -> OidcError:
        audit.append(session, action="auth.oidc", subject=audit_subject, actor="anonymous",
                     outcome="denied", details={**details, "reason": code})
        return OidcError(code, message, status=403)

    user = session.scalar(select(User).where(User.oidc_issuer == issuer,
                                             User.oidc_subject == subject))
    if user is not None and cid and user.citizen_id and user.citizen_id != cid:
        return refuse("oidc_conflict", CONFLICT)
    if user is None and cid:
        user = session.scalar(select(User).where(User.citizen_id == cid))
        if user is not None:
            if user.oidc_subject and (user.oidc_issuer, user.oidc_subject) != (issuer, subject):
                return refuse("oidc_conflict", CONFLICT)
            user.oidc_issuer, user.oidc_subject = issuer, subject
            details["linked"] = True
    if user is None and cid:
        person = session.scalar(select(Person).where(Person.citizen_id == cid))
        if person is not None:
            user = _provision_owner(session, person, issuer=issuer, subject=subject)
            details["provisioned"] = True
    if user is None:
        return refuse("oidc_unknown_user", UNKNOWN_USER)
    if not user.active:
        return refuse("account_inactive", INACTIVE)
    audit.append(session, action="auth.oidc", subject=audit_subject,
                 actor=f"user:{user.username}", details=details)
    return user
