"""Whose retention records a caller reaches: owners mapped to their units, checked against a scope.

Reviews, proposals, orders and certificates name owners by citizen ID only. A caller reaches
one of them when every owner on it lies in the caller's scope (`api.access.policy.scope`), so a
list made in unit A never shows, or lets anyone act on, the persons of unit B. Destroyed owners
have no catalog row: their unit is the one the saved review noted (`units`) when it was made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access import AccessDenied, Action, Principal, scope, under
from api.http.errors import ApiError
from archive.catalog import IngestBatch, Person, Unit
from archive.catalog.retention import (
    DestructionOrder,
    DestructionProposal,
    PaperDestructionList,
    ProposalItem,
    RetentionReview,
)
from archive.thai import ThaiTextError, parse_date_field
from search import Scope

CHUNK = 500
# Dates the rule can count ten years back from, and that a person would type.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)


@dataclass(frozen=True)
class Owner:
    """An owner as a retention list shows them: unit (for scope) and name (for people)."""

    unit_path: str | None
    full_name: str | None = None


def out_of_scope() -> ApiError:
    return ApiError(403, "out_of_scope", "รายการนี้มีบุคคลที่อยู่นอกขอบเขตสิทธิ์ของท่าน")


def iso_time(value: datetime | None) -> str | None:
    """ISO time in UTC (SQLite hands timezone-aware columns back naive)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def union_scope(principal: Principal, *actions: Action) -> Scope:
    """Everyone any of `actions` reaches for this caller."""
    scopes = [scope(principal, a) for a in actions]
    return Scope(citizen_ids=frozenset().union(*(s.citizen_ids for s in scopes)),
                 unit_paths=tuple(sorted({u for s in scopes for u in s.unit_paths})))


def retention_scope(principal: Principal) -> Scope:
    """Whose retention lists a caller may see: the records manager's and data controller's."""
    return union_scope(principal, Action.RETENTION_REVIEW, Action.RETENTION_ORDER)


def in_scope(sc: Scope, citizen_id: str, unit_path: str | None) -> bool:
    return sc.everything or citizen_id in sc.citizen_ids or any(
        under(unit_path, u) for u in sc.unit_paths)


def owners_of(db: Session, citizen_ids: Iterable[str]) -> dict[str, Owner]:
    """Catalogued owners by citizen ID (absent: not in the catalog, e.g. destroyed)."""
    wanted = sorted(set(citizen_ids))
    found: dict[str, Owner] = {}
    for i in range(0, len(wanted), CHUNK):
        rows = db.execute(
            select(Person.citizen_id, Unit.path, Person.prefix, Person.first_name,
                   Person.last_name)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(Person.citizen_id.in_(wanted[i:i + CHUNK]))
        ).all()
        for cid, path, prefix, first, last in rows:
            found[cid] = Owner(path, f"{prefix}{first} {last}")
    return found


def all_in_scope(sc: Scope, owners: Mapping[str, Owner], citizen_ids: Iterable[str]) -> bool:
    return all(in_scope(sc, cid, owners[cid].unit_path if cid in owners else None)
               for cid in citizen_ids)


def review_citizen_ids(result: Mapping[str, Any]) -> list[str]:
    return [i["citizen_id"] for i in result.get("eligible", [])] + [
        i["citizen_id"] for i in result.get("excluded", [])]


def review_owners(db: Session, result: Mapping[str, Any],
                  citizen_ids: Iterable[str]) -> dict[str, Owner]:
    """Owners now in the catalog, else as the review noted them (destroyed since)."""
    wanted = list(citizen_ids)
    noted = result.get("units") or {}
    owners = {cid: Owner(noted[cid]) for cid in wanted if cid in noted}
    owners.update(owners_of(db, wanted))
    return owners


def review_visible(db: Session, sc: Scope, review: RetentionReview) -> bool:
    cids = review_citizen_ids(review.result)
    return all_in_scope(sc, review_owners(db, review.result, cids), cids)


def proposal_citizen_ids(db: Session, proposal_id: str) -> list[str]:
    return list(db.scalars(select(ProposalItem.citizen_id)
                           .where(ProposalItem.proposal_id == proposal_id)
                           .order_by(ProposalItem.position)))


def proposal_owners(db: Session, proposal: DestructionProposal) -> dict[str, Owner]:
    review = db.get(RetentionReview, proposal.review_id)
    result = review.result if review is not None else {}
    return review_owners(db, result, proposal_citizen_ids(db, proposal.id))


def proposal_in(db: Session, sc: Scope, proposal: DestructionProposal) -> bool:
    """Whether every owner on the proposal (struck or not) lies in `sc`."""
    cids = proposal_citizen_ids(db, proposal.id)
    review = db.get(RetentionReview, proposal.review_id)
    owners = review_owners(db, review.result if review is not None else {}, cids)
    return all_in_scope(sc, owners, cids)


def paper_list_citizen_ids(row: PaperDestructionList) -> set[str]:
    """Owners named by the list's file codes (`<citizen id>/<category code>`, comma-joined)."""
    return {part.split("/")[0].strip() for item in row.items
            for part in str(item.get("file_code", "")).split(",") if part.strip()}


def noted_units(db: Session, citizen_ids: Iterable[str]) -> dict[str, str]:
    """Units the saved reviews noted for owners proposed for destruction (those destroyed
    since have no catalog row to tell)."""
    wanted = sorted(set(citizen_ids))
    found: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        review_ids = db.scalars(
            select(DestructionProposal.review_id).distinct()
            .join(ProposalItem, ProposalItem.proposal_id == DestructionProposal.id)
            .where(ProposalItem.citizen_id.in_(wanted[i:i + CHUNK]))).all()
        for review_id in review_ids:
            review = db.get(RetentionReview, review_id)
            units = (review.result.get("units") or {}) if review is not None else {}
            found.update({c: u for c, u in units.items() if c in wanted and u})
    return found


def paper_list_visible(db: Session, sc: Scope, row: PaperDestructionList) -> bool:
    """Every owner the list names lies in `sc` (the list shows no more than file codes). An
    owner destroyed since counts in the unit their destruction review noted, else in the unit
    of the upload; unknown, only a caller reaching everyone (or them by name) sees the list."""
    cids = paper_list_citizen_ids(row)
    units: dict[str, str | None] = {cid: o.unit_path for cid, o in owners_of(db, cids).items()}
    gone = cids - units.keys()
    if gone:
        units.update(noted_units(db, gone))
        batch = db.get(IngestBatch, row.batch_id)
        upload_unit = (batch.report or {}).get("unit") if batch is not None else None
        units.update({cid: upload_unit for cid in gone if cid not in units})
    return all(in_scope(sc, cid, units[cid]) for cid in cids)


def visible_subjects(db: Session, sc: Scope) -> list[str]:
    """Audit subjects of the retention lists `sc` reaches: reviews, proposals, orders, paper."""
    subjects = [f"retention_review:{r.id}" for r in db.scalars(select(RetentionReview))
                if review_visible(db, sc, r)]
    orders = dict(db.execute(select(DestructionOrder.proposal_id, DestructionOrder.id)).all())
    for p in db.scalars(select(DestructionProposal)):
        if proposal_in(db, sc, p):
            subjects.append(f"destruction_proposal:{p.id}")
            if p.id in orders:
                subjects.append(f"destruction_order:{orders[p.id]}")
    subjects += [f"paper_list:{row.id}" for row in db.scalars(select(PaperDestructionList))
                 if paper_list_visible(db, sc, row)]
    return subjects


def day_of(text: str, field: str) -> date:
    """A date from a form or query (ISO, or Thai with a B.E. year); 400 when it is not one."""
    try:
        day = parse_date_field(text)
    except (ThaiTextError, ValueError) as exc:
        raise ApiError(400, "bad_date", f"วันที่ไม่ถูกต้อง ({field})", str(exc)) from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ApiError(400, "bad_date", f"วันที่อยู่นอกช่วงที่รับได้ ({field})", day.isoformat())
    return day


def require_retention_reader(principal: Principal) -> None:
    """Lists of the destruction workflow: the records manager's or the data controller's."""
    if not (principal.can_at_all(Action.RETENTION_REVIEW)
            or principal.can_at_all(Action.RETENTION_ORDER)):
        raise AccessDenied()
