"""Keeping a record current: the head of office's certification and the photo's renewal
date (every 6 years, clause 3.2), each within the caller's rights and audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from api.access import Action, Principal
from api.http.errors import bad_request
from api.services.records import person_for
from retention.reminders import record_certification, record_photo


def _not_future(day: date) -> None:
    if day > date.today():
        raise bad_request("date_in_future", "วันที่ต้องไม่เป็นวันในอนาคต")


def certify(db: Session, principal: Principal, citizen_id: str, certified_on: date) -> str:
    """Record that the head of office certified the record; returns the citizen ID."""
    person = person_for(db, principal, citizen_id, Action.CERTIFY)
    _not_future(certified_on)
    record_certification(db, citizen_id=person.citizen_id, certified_on=certified_on,
                         actor=principal.actor)
    return person.citizen_id


def photo_taken(db: Session, principal: Principal, citizen_id: str, taken_on: date) -> str:
    """Record when the owner's colour photo was taken; returns the citizen ID."""
    person = person_for(db, principal, citizen_id, Action.WRITE_ENTRY)
    _not_future(taken_on)
    record_photo(db, citizen_id=person.citizen_id, taken_on=taken_on, actor=principal.actor)
    return person.citizen_id
