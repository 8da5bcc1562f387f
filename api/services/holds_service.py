"""Legal holds (การระงับการทำลาย) for the data controller: placed and released within scope.

`retention.holds` keeps and audits them; here a hold is placed only on a person the caller
reaches (others answer 404, so the list does not tell who exists elsewhere), and the list shows
only the caller's persons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import Action, Principal, Target, allows, scope
from api.http.errors import bad_request, conflict, not_found
from api.services.retention_scope import in_scope, iso_time, owners_of
from archive.catalog import Person
from archive.catalog.retention import LegalHold
from archive.thai import ThaiTextError, parse_citizen_id
from retention import RetentionError, hold_as_dict, list_holds, place_hold, release_hold


def citizen_id_of(text: str) -> str:
    try:
        return parse_citizen_id(text)
    except ThaiTextError as exc:
        raise bad_request("bad_citizen_id", "เลขประจำตัวประชาชนไม่ถูกต้อง", str(exc)) from exc


def _view(hold: LegalHold, full_name: str | None) -> dict[str, Any]:
    out = hold_as_dict(hold)
    out.update(placed_at=iso_time(hold.placed_at), released_at=iso_time(hold.released_at),
               full_name=full_name, active=hold.released_at is None)
    return out


def _person(db: Session, principal: Principal, citizen_id: str) -> Person:
    person = db.scalar(select(Person).where(Person.citizen_id == citizen_id))
    if person is None or not allows(principal, Action.LEGAL_HOLD, Target.of(person)):
        raise not_found("บุคคล")
    return person


def _required(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise bad_request(f"{what}_required",
                          "ต้องระบุเหตุผล" if what == "reason" else "ต้องระบุผู้มีอำนาจหรือคำสั่งที่ให้ระงับ")
    return text


def holds(db: Session, principal: Principal, *, citizen_id: str | None = None,
          include_released: bool = False) -> list[dict[str, Any]]:
    sc = scope(principal, Action.LEGAL_HOLD)
    cid = citizen_id_of(citizen_id) if citizen_id else None
    rows = list_holds(db, citizen_id=cid, include_released=include_released)
    owners = owners_of(db, [h.citizen_id for h in rows])
    return [_view(h, owners[h.citizen_id].full_name) for h in rows
            if h.citizen_id in owners
            and in_scope(sc, h.citizen_id, owners[h.citizen_id].unit_path)]


def place(db: Session, principal: Principal, *, citizen_id: str, reason: str,
          authority: str) -> dict[str, Any]:
    person = _person(db, principal, citizen_id_of(citizen_id))
    try:
        hold = place_hold(db, citizen_id=person.citizen_id, reason=_required(reason, "reason"),
                          authority=_required(authority, "authority"), actor=principal.actor)
    except RetentionError as exc:  # the checks above leave none; kept for safety
        raise conflict("hold_refused", "ระงับการทำลายไม่ได้", str(exc)) from exc
    return _view(hold, person.full_name)


def release(db: Session, principal: Principal, hold_id: int, *, reason: str,
            authority: str) -> dict[str, Any]:
    hold = db.get(LegalHold, hold_id)
    if hold is None:
        raise not_found("การระงับการทำลาย")
    person = _person(db, principal, hold.citizen_id)
    if hold.released_at is not None:
        raise conflict("already_released", "การระงับการทำลายนี้ถูกยกเลิกไปแล้ว")
    try:
        hold = release_hold(db, hold_id=hold.id, reason=_required(reason, "reason"),
                            authority=_required(authority, "authority"), actor=principal.actor)
    except RetentionError as exc:
        raise conflict("release_refused", "ยกเลิกการระงับการทำลายไม่ได้", str(exc)) from exc
    return _view(hold, person.full_name)
