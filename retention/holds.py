"""Legal holds (การระงับการทำลาย): placed and released with a reason and an authority, audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.models import Person
from archive.catalog.retention import LegalHold
from retention.errors import RetentionError


def held_citizen_ids(session: Session) -> set[str]:
    """Citizen IDs with at least one unreleased hold."""
    return set(
        session.scalars(select(LegalHold.citizen_id).where(LegalHold.released_at.is_(None)))
    )


def is_held(session: Session, citizen_id: str) -> bool:
    return session.scalar(
        select(LegalHold.id)
        .where(LegalHold.citizen_id == citizen_id, LegalHold.released_at.is_(None))
        .limit(1)
    ) is not None


def _required(value: str, name: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise RetentionError(f"a hold needs a {name}; say it in words")
    return text


def place_hold(
    session: Session, *, citizen_id: str, reason: str, authority: str, actor: str
) -> LegalHold:
    """Block destruction of the owner's record until released; the owner must be catalogued.

    The person row is locked so that an execution re-checking this owner waits for the hold.
    """
    reason, authority = _required(reason, "reason"), _required(authority, "authority")
    person = session.execute(
        select(Person.id).where(Person.citizen_id == citizen_id).with_for_update()
    ).first()
    if person is None:
        raise RetentionError(f"no person with citizen ID {citizen_id} in the catalog")
    hold = LegalHold(
        citizen_id=citizen_id, reason=reason, authority=authority, placed_by=actor,
        placed_at=datetime.now(UTC),
    )
    session.add(hold)
    session.flush()
    audit.append(
        session, action="retention.hold.place", subject=f"person:{citizen_id}", actor=actor,
        details={"hold_id": hold.id, "reason": reason, "authority": authority},
    )
    return hold


def release_hold(
    session: Session, *, hold_id: int, reason: str, authority: str, actor: str
) -> LegalHold:
    reason, authority = _required(reason, "reason"), _required(authority, "authority")
    hold = session.execute(
        select(LegalHold).where(LegalHold.id == hold_id).with_for_update()
    ).scalar_one_or_none()
    if hold is None:
        raise RetentionError(f"no legal hold {hold_id}; list them with: tabian holds list")
    if hold.released_at is not None:
        raise RetentionError(f"legal hold {hold_id} was already released")
    hold.released_at = datetime.now(UTC)
    hold.released_by, hold.release_reason, hold.release_authority = actor, reason, authority
    audit.append(
        session, action="retention.hold.release", subject=f"person:{hold.citizen_id}",
        actor=actor, details={"hold_id": hold.id, "reason": reason, "authority": authority},
    )
    return hold


def list_holds(
    session: Session, *, citizen_id: str | None = None, include_released: bool = False
) -> list[LegalHold]:
    query = select(LegalHold).order_by(LegalHold.id)
    if citizen_id is not None:
        query = query.where(LegalHold.citizen_id == citizen_id)
    if not include_released:
        query = query.where(LegalHold.released_at.is_(None))
    return list(session.scalars(query))


def hold_as_dict(hold: LegalHold) -> dict[str, Any]:
    return {
        "hold_id": hold.id,
        "citizen_id": hold.citizen_id,
        "reason": hold.reason,
        "authority": hold.authority,
        "placed_by": hold.placed_by,
        "placed_at": hold.placed_at.isoformat(),
        "released_at": hold.released_at.isoformat() if hold.released_at else None,
        "released_by": hold.released_by,
        "release_reason": hold.release_reason,
        "release_authority": hold.release_authority,
    }
