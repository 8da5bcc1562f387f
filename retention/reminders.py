"""Reminders for records managers: old photos, late orders, uncertified appointees, retirements.

- photo_outdated: the owner's latest photo is more than 6 years old (clause 3.2: renewed every
  6 years); owners still in service only.
- order_recorded_late: an order (an entry with an order reference) whose entry and scanned
  evidence were not both recorded within 5 working days of the order's effective date, or are
  still missing after it. Weekends and configured public holidays are not working days.
- appointee_not_certified: a new appointee whose record was not certified within 15 days.
- retiring: owners in service whose retirement date (clause 3.2.10) falls in the coming fiscal
  year (1 October - 30 September after the current one), or the fiscal year asked for.
Orders and appointments are checked from `since` (default: a year before as-of) to as-of.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.models import Document, DocumentEntry, Person, RecordEntry
from archive.catalog.retention import PersonPhoto, RecordCertification
from archive.domain import ServiceStatus, add_years, fiscal_year_be, retirement_date
from retention.errors import RetentionError
from retention.holidays import Holidays

KINDS = ("photo_outdated", "order_recorded_late", "appointee_not_certified", "retiring")
PHOTO_YEARS = 6
ORDER_WORKING_DAYS = 5
CERTIFY_DAYS = 15
IN_SERVICE = (
    ServiceStatus.ACTIVE.value, ServiceStatus.SUSPENDED.value,
    ServiceStatus.ORDERED_OUT_PENDING.value,
)
# Recording dates are counted on the Thai calendar day, not the UTC one.
THAI_TIME = timezone(timedelta(hours=7))


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(THAI_TIME).date()


def _person(session: Session, citizen_id: str) -> Person:
    person = session.scalar(select(Person).where(Person.citizen_id == citizen_id))
    if person is None:
        raise RetentionError(f"no person with citizen ID {citizen_id} in the catalog")
    return person


def record_photo(session: Session, *, citizen_id: str, taken_on: date, actor: str) -> None:
    person = _person(session, citizen_id)
    session.add(PersonPhoto(person_id=person.id, taken_on=taken_on, recorded_by=actor,
                            recorded_at=datetime.now(UTC)))
    audit.append(session, action="record.photo", subject=f"person:{citizen_id}", actor=actor,
                 details={"taken_on": taken_on.isoformat()})


def record_certification(
    session: Session, *, citizen_id: str, certified_on: date, actor: str
) -> None:
    person = _person(session, citizen_id)
    session.add(RecordCertification(person_id=person.id, certified_on=certified_on,
                                    certified_by=actor, recorded_at=datetime.now(UTC)))
    audit.append(session, action="record.certify", subject=f"person:{citizen_id}", actor=actor,
                 details={"certified_on": certified_on.isoformat()})


def _photos(session: Session, as_of: date) -> list[dict[str, Any]]:
    latest = (
        select(PersonPhoto.person_id, func.max(PersonPhoto.taken_on).label("taken_on"))
        .group_by(PersonPhoto.person_id).subquery()
    )
    rows = session.execute(
        select(Person.citizen_id, Person.prefix, Person.first_name, Person.last_name,
               latest.c.taken_on)
        .join(latest, latest.c.person_id == Person.id)
        .where(Person.status.in_(IN_SERVICE), latest.c.taken_on < add_years(as_of, -PHOTO_YEARS))
    ).all()
    out = []
    for cid, prefix, first, last, taken in rows:
        renew_by = add_years(taken, PHOTO_YEARS)
        if as_of > renew_by:
            out.append({"kind": "photo_outdated", "citizen_id": cid,
                        "full_name": f"{prefix}{first} {last}", "taken_on": taken.isoformat(),
                        "renew_by": renew_by.isoformat(),
                        "detail": f"photo taken {taken}, due for renewal by {renew_by}"})
    return out


def _orders(session: Session, as_of: date, since: date, holidays: Holidays) -> list[dict[str, Any]]:
    entries = session.execute(
        select(RecordEntry.id, RecordEntry.entry_id, RecordEntry.order_ref,
               RecordEntry.effective_on, RecordEntry.state, RecordEntry.created_at,
               Person.citizen_id, Person.prefix, Person.first_name, Person.last_name)
        .join(Person, Person.id == RecordEntry.person_id)
        .where(RecordEntry.order_ref.is_not(None), RecordEntry.effective_on >= since,
               RecordEntry.effective_on <= as_of)
    ).all()
    evidence: dict[int, datetime] = {}
    if entries:
        for entry_pk, created in session.execute(
            select(DocumentEntry.entry_pk, func.min(Document.created_at))
            .join(Document, Document.id == DocumentEntry.document_id)
            .join(RecordEntry, RecordEntry.id == DocumentEntry.entry_pk)
            .where(RecordEntry.order_ref.is_not(None), RecordEntry.effective_on >= since,
                   RecordEntry.effective_on <= as_of)
            .group_by(DocumentEntry.entry_pk)
        ):
            evidence[entry_pk] = created
    out = []
    for pk, entry_id, ref, effective, state, created, cid, prefix, first, last in entries:
        if effective is None:  # the query leaves none; this tells the type checker
            continue
        deadline = holidays.add_working_days(effective, ORDER_WORKING_DAYS)
        recorded_on = _local_day(created) if state == "recorded" else None
        evidence_on = _local_day(evidence[pk]) if pk in evidence else None
        complete_on = max(recorded_on, evidence_on) if recorded_on and evidence_on else None
        late = complete_on > deadline if complete_on else as_of > deadline
        if not late:
            continue
        missing = [w for w, v in (("entry", recorded_on), ("evidence", evidence_on)) if not v]
        detail = (f"order {ref} of {effective}: due by {deadline}, "
                  + (f"missing {' and '.join(missing)}" if missing else f"recorded {complete_on}"))
        out.append({"kind": "order_recorded_late", "citizen_id": cid,
                    "full_name": f"{prefix}{first} {last}", "entry_id": entry_id,
                    "order_ref": ref, "effective_on": effective.isoformat(),
                    "deadline": deadline.isoformat(),
                    "recorded_on": recorded_on.isoformat() if recorded_on else None,
                    "evidence_on": evidence_on.isoformat() if evidence_on else None,
                    "detail": detail})
    return out


def _appointees(session: Session, as_of: date, since: date) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Person.id, Person.citizen_id, Person.prefix, Person.first_name, Person.last_name,
               Person.appointed_on)
        .where(Person.status == ServiceStatus.ACTIVE.value, Person.appointed_on >= since,
               Person.appointed_on < as_of - timedelta(days=CERTIFY_DAYS))
    ).all()
    certified: dict[int, date] = {}
    if rows:
        for pid, first_on in session.execute(
            select(RecordCertification.person_id, func.min(RecordCertification.certified_on))
            .join(Person, Person.id == RecordCertification.person_id)
            .where(Person.appointed_on >= since)
            .group_by(RecordCertification.person_id)
        ):
            certified[pid] = first_on
    out = []
    for pid, cid, prefix, first, last, appointed in rows:
        if appointed is None:  # the query leaves none; this tells the type checker
            continue
        deadline = appointed + timedelta(days=CERTIFY_DAYS)
        on = certified.get(pid)
        if on is not None and on <= deadline:
            continue
        out.append({"kind": "appointee_not_certified", "citizen_id": cid,
                    "full_name": f"{prefix}{first} {last}",
                    "appointed_on": appointed.isoformat(), "deadline": deadline.isoformat(),
                    "certified_on": on.isoformat() if on else None,
                    "detail": f"appointed {appointed}, certify by {deadline}"
                              + (f", certified late on {on}" if on else ", not certified")})
    return out


def _retiring(session: Session, fiscal_year: int) -> list[dict[str, Any]]:
    retire_on = date(fiscal_year - 543, 9, 30)
    rows = session.execute(
        select(Person.citizen_id, Person.prefix, Person.first_name, Person.last_name,
               Person.birth_date, Person.retirement_on)
        .where(Person.status.in_(IN_SERVICE),
               or_(Person.retirement_on == retire_on,
                   Person.retirement_on.is_(None) & Person.birth_date.is_not(None)))
    ).all()
    out = []
    for cid, prefix, first, last, birth, stored in rows:
        retires = stored or (retirement_date(birth) if birth else None)
        if retires != retire_on:
            continue
        out.append({"kind": "retiring", "citizen_id": cid, "full_name": f"{prefix}{first} {last}",
                    "retirement_on": retire_on.isoformat(), "fiscal_year": fiscal_year,
                    "detail": f"retires {retire_on} (fiscal year {fiscal_year})"})
    return out


def list_reminders(
    session: Session, *, as_of: date, holidays: Holidays, since: date | None = None,
    kinds: list[str] | None = None, fiscal_year: int | None = None,
) -> dict[str, Any]:
    since = since or as_of - timedelta(days=365)
    wanted = set(kinds or KINDS)
    fiscal_year = fiscal_year or _coming_fiscal_year(as_of)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if "photo_outdated" in wanted:
        found["photo_outdated"] = _photos(session, as_of)
    if "order_recorded_late" in wanted:
        found["order_recorded_late"] = _orders(session, as_of, since, holidays)
    if "appointee_not_certified" in wanted:
        found["appointee_not_certified"] = _appointees(session, as_of, since)
    if "retiring" in wanted:
        found["retiring"] = _retiring(session, fiscal_year)
    reminders = [r for kind in KINDS for r in sorted(found[kind], key=lambda r: r["citizen_id"])]
    return {
        "as_of": as_of.isoformat(), "since": since.isoformat(), "fiscal_year": fiscal_year,
        "holidays_file": str(holidays.configured_from) if holidays.configured_from else None,
        "reminders": reminders,
    }


def _coming_fiscal_year(as_of: date) -> int:
    return fiscal_year_be(as_of) + 1
