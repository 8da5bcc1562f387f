"""The audit log for the data controller: a filtered, scoped listing and the hash-chain check.

Which events a caller sees (their READ_AUDIT scope, a unit subtree or assigned persons):
- events about a person of the scope (`person:<citizen id>`), while the person is catalogued;
- events about a document linked to such a person (`document:<id>`);
- events about retention lists whose every owner is in scope (reviews, proposals, orders,
  paper lists: the destruction trail, which outlives the destroyed persons);
- the caller's own events.
Events about users, sessions, batches or the system name no record of the scope, so they are
left out: the log is confidential too, and a unit's controller has no say over the others.
Reading the log is itself audited (`audit.read`, `audit.verify`).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from api.access import Action, Principal, scope
from api.services.retention_scope import visible_subjects
from archive import audit
from archive.catalog import Person, Unit
from archive.catalog.models import AuditEvent, DocumentPerson
from search import Scope

BANGKOK = ZoneInfo("Asia/Bangkok")
MAX_LIMIT = 500
CHAIN_TH = {True: "สมบูรณ์", False: "ถูกแก้ไข"}
PROBLEM_TH = {"edited": "เนื้อหาถูกแก้ไข", "deleted": "รายการถูกลบ", "reordered": "ลำดับถูกสลับ",
              "truncated": "ท้ายบันทึกถูกตัด", "head_mismatch": "หัวสายโซ่ไม่ตรงกับบันทึก"}


def _in_units(sc: Scope) -> ColumnElement[bool]:
    """Person (joined with Unit) is one of the scope's persons or in one of its subtrees."""
    terms: list[ColumnElement[bool]] = [Person.citizen_id.in_(sorted(sc.citizen_ids))]
    for u in sc.unit_paths:
        terms += [Unit.path == u, Unit.path.startswith(u + " > ", autoescape=True)]
    return or_(*terms)


def _visible(db: Session, principal: Principal) -> ColumnElement[bool]:
    sc = scope(principal, Action.READ_AUDIT)
    own = AuditEvent.actor == principal.actor
    if sc.nothing:
        return own
    person = exists(
        select(Person.id).outerjoin(Unit, Unit.id == Person.unit_id)
        .where(Person.citizen_id == func.substr(AuditEvent.subject, len("person:") + 1),
               _in_units(sc))
    )
    document = exists(
        select(DocumentPerson.person_id)
        .join(Person, Person.id == DocumentPerson.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(DocumentPerson.document_id == func.substr(AuditEvent.subject,
                                                         len("document:") + 1),
               DocumentPerson.state == "linked", _in_units(sc))
    )
    subjects = visible_subjects(db, sc)
    return or_(
        own,
        and_(AuditEvent.subject.startswith("person:"), person),
        and_(AuditEvent.subject.startswith("document:"), document),
        AuditEvent.subject.in_(subjects) if subjects else false(),
    )


def _utc_start(day: date) -> str:
    """The log's `at` text at the start of `day` in Thailand (the log is kept in UTC)."""
    start = datetime.combine(day, time(), tzinfo=BANGKOK).astimezone(ZoneInfo("UTC"))
    return start.isoformat(timespec="microseconds")


def event_view(ev: AuditEvent) -> dict[str, Any]:
    try:
        details = json.loads(ev.details)
    except ValueError:
        details = ev.details
    return {"seq": ev.seq, "at": ev.at, "actor": ev.actor, "action": ev.action,
            "subject": ev.subject, "outcome": ev.outcome, "details": details}


def events(db: Session, principal: Principal, *, actor: str | None = None,
           action: str | None = None, subject: str | None = None, since: date | None = None,
           until: date | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Newest first. `action` matches exactly or as a prefix (`retention` finds
    `retention.order.approve`); `since`/`until` are Thai calendar days, both included."""
    where: list[ColumnElement[bool]] = [_visible(db, principal)]
    if actor:
        where.append(AuditEvent.actor == actor.strip())
    if action:
        a = action.strip().rstrip(".")
        where.append(or_(AuditEvent.action == a,
                         AuditEvent.action.startswith(a + ".", autoescape=True)))
    if subject:
        where.append(AuditEvent.subject == subject.strip())
    if since:
        where.append(AuditEvent.at >= _utc_start(since))
    if until:
        where.append(AuditEvent.at < _utc_start(until + timedelta(days=1)))
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    total = db.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = db.scalars(select(AuditEvent).where(*where).order_by(AuditEvent.seq.desc())
                      .limit(limit).offset(offset)).all()
    out = {"total": total, "limit": limit, "offset": offset,
           "events": [event_view(ev) for ev in rows]}
    audit.append(db, action="audit.read", subject="audit", actor=principal.actor, details={
        "actor": actor, "action": action, "subject": subject,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None, "offset": offset, "shown": len(rows)})
    return out


def verify(db: Session, principal: Principal) -> dict[str, Any]:
    """The whole chain recomputed. Problems give the event number and kind only: the event
    itself may be outside the caller's scope."""
    db.flush()  # verify_chain clears the session as it walks the log
    report = audit.verify_chain(db)
    result = {
        "ok": report.ok, "status": "intact" if report.ok else "tampered",
        "status_th": CHAIN_TH[report.ok], "events": report.events,
        "problems": [{"seq": p.seq, "kind": p.kind, "kind_th": PROBLEM_TH.get(p.kind, p.kind)}
                     for p in report.problems],
    }
    audit.append(db, action="audit.verify", subject="audit", actor=principal.actor,
                 details={"ok": report.ok, "events": report.events,
                          "problems": len(report.problems)})
    return result
