"""Importing the personnel registry (persons and record entries) from CSV into the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.models import Person, RecordEntry, Unit
from archive.catalog.retention import Tombstone
from archive.csvfile import CsvRow, RowError, read_rows
from archive.domain import EntrySection, LeftReason, ServiceStatus, retirement_date
from archive.objectstore.base import sha256_of_file
from archive.thai import ThaiTextError, normalize_order_ref, parse_citizen_id, parse_date_field

PERSON_COLUMNS = ("citizen_id", "prefix", "first_name", "last_name", "birth_date", "status")
PERSON_OPTIONAL = ("appointed_on", "unit", "left_service_on", "left_reason")
ENTRY_COLUMNS = ("entry_id", "citizen_id", "section", "effective_on", "title")
ENTRY_OPTIONAL = ("order_ref",)
_ENTRY_COMPARED = ("person_id", "section", "effective_on", "order_ref", "title")
UNIT_SEPARATOR = " > "

# Statuses under which a date of leaving (or being put out of) service is meaningful.
_STATUSES_WITH_LEFT_DATE = {
    ServiceStatus.LEFT_SERVICE, ServiceStatus.SUSPENDED, ServiceStatus.ORDERED_OUT_PENDING,
    ServiceStatus.TRANSFERRED_OUT,
}


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    changed: int = 0
    rejected: list[RowError] = field(default_factory=list)
    # Citizen IDs whose unit changed or who left active service in this import: a user with
    # that citizen ID loses every right at once (clauses 2.2.3, 6.2).
    moved: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "changed": self.changed,
            "rejected": [e.as_dict() for e in sorted(self.rejected, key=lambda e: e.line)],
        }


class RowInvalid(Exception):
    """One CSV row is wrong; the message says which field and what to write instead."""


def _date(values: dict[str, str], name: str, *, required: bool) -> date | None:
    text = values[name]
    if not text:
        if required:
            raise RowInvalid(f"{name} is empty; write a date as YYYY-MM-DD (CE) or D/M/YYYY (BE)")
        return None
    try:
        return parse_date_field(text)
    except ThaiTextError as exc:
        raise RowInvalid(f"{name}: {exc}") from exc


def _choice(text: str, name: str, enum: type[ServiceStatus] | type[LeftReason]) -> str:
    allowed = [m.value for m in enum]
    if text not in allowed:
        raise RowInvalid(f"unknown {name} {text!r}; use one of: {', '.join(allowed)}")
    return text


def _person_values(row: CsvRow) -> dict[str, Any]:
    v = row.values
    try:
        citizen_id = parse_citizen_id(v["citizen_id"])
    except ThaiTextError as exc:
        raise RowInvalid(f"citizen_id: {exc}") from exc
    for name in ("prefix", "first_name", "last_name"):
        if not v[name]:
            raise RowInvalid(f"{name} is empty")
    status = _choice(v["status"], "status", ServiceStatus)
    birth = _date(v, "birth_date", required=True)
    appointed = _date(v, "appointed_on", required=False)
    left_on = _date(v, "left_service_on", required=status == ServiceStatus.LEFT_SERVICE)
    left_reason = _choice(v["left_reason"], "left_reason", LeftReason) if v["left_reason"] else None
    if left_reason and status != ServiceStatus.LEFT_SERVICE:
        raise RowInvalid(
            f"left_reason {left_reason!r} is given but status is {status!r}; "
            "a left_reason belongs only to status left_service"
        )
    if left_on and status not in _STATUSES_WITH_LEFT_DATE:
        raise RowInvalid(
            f"left_service_on is given but status is {status!r}; "
            "set status left_service or leave left_service_on empty"
        )
    today = datetime.now(UTC).date()
    if birth and birth > today:
        raise RowInvalid(f"birth_date {birth.isoformat()} is in the future")
    if appointed and birth and appointed <= birth:
        raise RowInvalid("appointed_on is not after birth_date")
    if left_on and appointed and left_on < appointed:
        raise RowInvalid("left_service_on is before appointed_on")
    return {
        "citizen_id": citizen_id,
        "prefix": v["prefix"],
        "first_name": v["first_name"],
        "last_name": v["last_name"],
        "birth_date": birth,
        "appointed_on": appointed,
        "retirement_on": retirement_date(birth) if birth else None,
        "status": status,
        "left_service_on": left_on,
        "left_reason": left_reason,
        "_unit": v["unit"],
    }


class _UnitResolver:
    """Finds or creates units along a ' > ' path, caching what it has seen in this import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_path: dict[str, int] = dict(
            session.execute(select(Unit.path, Unit.id)).all()
        )

    def resolve(self, path_text: str) -> int | None:
        names = [part.strip() for part in path_text.split(UNIT_SEPARATOR.strip())]
        names = [n for n in names if n]
        if not names:
            return None
        parent: int | None = None
        for depth in range(1, len(names) + 1):
            path = UNIT_SEPARATOR.join(names[:depth])
            unit_id = self.by_path.get(path)
            if unit_id is None:
                unit = Unit(name=names[depth - 1], path=path, parent_id=parent)
                self.session.add(unit)
                self.session.flush()
                unit_id = self.by_path[path] = unit.id
            parent = unit_id
        return parent


def _destroyed(session: Session, cids: list[str]) -> dict[str, tuple[str, datetime]]:
    """Citizen IDs among `cids` that have a tombstone: the order and when."""
    found: dict[str, tuple[str, datetime]] = {}
    for start in range(0, len(cids), 900):
        for cid, order_id, when in session.execute(
            select(Tombstone.citizen_id, Tombstone.order_id, Tombstone.destroyed_at)
            .where(Tombstone.citizen_id.in_(cids[start:start + 900]))
        ):
            found[cid] = (order_id, when)
    return found


def import_persons(session: Session, path: Path, *, actor: str | None = None,
                   reopen_destroyed: bool = False) -> ImportReport:
    """Insert new persons and update existing ones (by citizen ID); bad rows are only reported.

    A citizen ID whose record was destroyed under a destruction order (a tombstone) is not
    silently re-created: the row is rejected unless `reopen_destroyed` (the person re-entered
    service and needs a new record)."""
    report = ImportReport()
    rows: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for row in read_rows(path, PERSON_COLUMNS, report.rejected, PERSON_OPTIONAL):
        try:
            values = _person_values(row)
        except RowInvalid as exc:
            report.rejected.append(RowError(row.line, str(exc)))
            continue
        cid = values["citizen_id"]
        if cid in first_line:
            report.rejected.append(RowError(
                row.line, f"citizen_id {cid} already appears on line {first_line[cid]} of this file"
            ))
            continue
        first_line[cid] = row.line
        rows.append(values)

    units = _UnitResolver(session)
    now = datetime.now(UTC)
    existing: dict[str, tuple[Any, ...]] = {}
    cids = [r["citizen_id"] for r in rows]
    compared = (
        Person.prefix, Person.first_name, Person.last_name, Person.birth_date,
        Person.appointed_on, Person.unit_id, Person.status, Person.left_service_on,
        Person.left_reason,
    )
    for start in range(0, len(cids), 900):
        chunk = cids[start:start + 900]
        for pid, cid, *rest in session.execute(
            select(Person.id, Person.citizen_id, *compared).where(Person.citizen_id.in_(chunk))
        ):
            existing[cid] = (pid, *rest)

    if not reopen_destroyed:
        destroyed = _destroyed(session, [c for c in cids if c not in existing])
        if destroyed:
            for cid, (order_id, when) in destroyed.items():
                report.rejected.append(RowError(
                    first_line[cid],
                    f"the record of {cid} was destroyed on {when:%Y-%m-%d} under destruction "
                    f"order {order_id}; remove the row, or if the person has re-entered service "
                    "import it with --reopen-destroyed",
                ))
            rows = [r for r in rows if r["citizen_id"] not in destroyed]

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for values in rows:
        values["unit_id"] = units.resolve(values.pop("_unit"))
        values["updated_at"] = now
        known = existing.get(values["citizen_id"])
        if known is None:
            values["created_at"] = now
            inserts.append(values)
            continue
        pid, *old = known
        new = [values[c.key] for c in compared]
        if old != new:
            report.changed += 1
            was = dict(zip((c.key for c in compared), old, strict=True))
            if was["unit_id"] != values["unit_id"] or (
                    was["status"] == "active" and values["status"] != "active"):
                report.moved.append(values["citizen_id"])
        updates.append({"pk": pid, **values})
    if inserts:
        session.execute(insert(Person), inserts)
    if updates:
        from sqlalchemy import bindparam

        stmt = (
            update(Person.__table__)  # type: ignore[arg-type]
            .where(Person.__table__.c.id == bindparam("pk"))
        )
        session.connection().execute(stmt, updates)
    report.imported, report.updated = len(inserts), len(updates)
    audit.append(
        session, action="persons.import", subject=f"file:{path.name}", actor=actor,
        details={
            "sha256": sha256_of_file(path)[0],
            "imported": report.imported, "updated": report.updated,
            "changed": report.changed, "rejected": len(report.rejected),
        },
    )
    return report


def _entry_values(row: CsvRow, person_ids: dict[str, int]) -> dict[str, Any]:
    v = row.values
    if not v["entry_id"]:
        raise RowInvalid("entry_id is empty")
    try:
        citizen_id = parse_citizen_id(v["citizen_id"])
    except ThaiTextError as exc:
        raise RowInvalid(f"citizen_id: {exc}") from exc
    person_id = person_ids.get(citizen_id)
    if person_id is None:
        raise RowInvalid(
            f"no person with citizen_id {citizen_id}; import the person (persons import) first"
        )
    sections = [s.value for s in EntrySection]
    if v["section"] not in sections:
        raise RowInvalid(f"unknown section {v['section']!r}; use one of: {', '.join(sections)}")
    effective = _date(v, "effective_on", required=True)
    order_ref = None
    if v["order_ref"]:
        try:
            order_ref = normalize_order_ref(v["order_ref"])
        except ThaiTextError as exc:
            raise RowInvalid(f"order_ref: {exc}") from exc
    if not v["title"]:
        raise RowInvalid("title is empty")
    return {
        "entry_id": v["entry_id"], "person_id": person_id, "section": v["section"],
        "effective_on": effective, "order_ref": order_ref, "title": v["title"],
    }


def import_entries(session: Session, path: Path, *, actor: str | None = None) -> ImportReport:
    """Insert or update record entries by entry_id; each must name a known person."""
    report = ImportReport()
    person_ids = dict(session.execute(select(Person.citizen_id, Person.id)).all())
    existing = {
        eid: (pk, pid, sec, eff, ref, title)
        for pk, eid, pid, sec, eff, ref, title in session.execute(
            select(
                RecordEntry.id, RecordEntry.entry_id, RecordEntry.person_id, RecordEntry.section,
                RecordEntry.effective_on, RecordEntry.order_ref, RecordEntry.title,
            )
        )
    }
    first_line: dict[str, int] = {}
    now = datetime.now(UTC)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in read_rows(path, ENTRY_COLUMNS, report.rejected, ENTRY_OPTIONAL):
        try:
            values = _entry_values(row, person_ids)
        except RowInvalid as exc:
            report.rejected.append(RowError(row.line, str(exc)))
            continue
        eid = values["entry_id"]
        if eid in first_line:
            report.rejected.append(RowError(
                row.line, f"entry_id {eid} already appears on line {first_line[eid]} of this file"
            ))
            continue
        first_line[eid] = row.line
        values["updated_at"] = now
        known = existing.get(eid)
        if known is None:
            values["created_at"] = now
            values["state"] = "recorded"
            inserts.append(values)
        else:
            pk, *old = known
            new = [values[k] for k in _ENTRY_COMPARED]
            if old != new:
                report.changed += 1
            updates.append({"pk": pk, **values, "state": "recorded"})
    if inserts:
        session.execute(insert(RecordEntry), inserts)
    if updates:
        from sqlalchemy import bindparam

        table = RecordEntry.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("pk")), updates  # type: ignore[arg-type]
        )
    report.imported, report.updated = len(inserts), len(updates)
    audit.append(
        session, action="entries.import", subject=f"file:{path.name}", actor=actor,
        details={
            "sha256": sha256_of_file(path)[0],
            "imported": report.imported, "updated": report.updated,
            "changed": report.changed, "rejected": len(report.rejected),
        },
    )
    return report
