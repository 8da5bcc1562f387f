"""A person's record as ก.ค.ศ.๑๖ / ก.พ.๗ holds it: listing persons in scope, and reading one
record (fixed items, entries by clause 4.4 section with their reference documents, evidence by
the 16 categories of clause 3.5), with every read on the audit log.

Access is decided only by `api.access.policy`; this module turns its answers into queries.
A record the caller may not see is "not found", so its existence is not revealed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from api.access import Action, Principal, Target, allows, scope, sections_visible
from api.http.errors import not_found
from archive import audit
from archive.catalog import Document, DocumentEntry, DocumentPerson, Person, RecordEntry, Unit
from archive.domain import EVIDENCE_CATEGORIES, EntrySection
from archive.registry import UNIT_SEPARATOR
from archive.thai import ThaiTextError, fold_digits, parse_citizen_id
from search import Scope


@dataclass(frozen=True)
class SectionInfo:
    """A clause 4.4 entry section and where it stands on the printed form ก.ค.ศ.๑๖."""

    slug: str
    clause: str
    form_item: int
    name_th: str
    categories: frozenset[str]  # the evidence categories (clause 3.5) that back it


SECTIONS: tuple[SectionInfo, ...] = (
    SectionInfo("position_salary", "4.4.1", 15,
                "ตำแหน่ง วิทยฐานะ อันดับ/ระดับ และอัตราเงินเดือน",
                frozenset({"appointment", "status_orders"})),
    SectionInfo("training", "4.4.2", 16, "ประวัติการฝึกอบรมและพัฒนาตนเอง",
                frozenset({"education_training"})),
    SectionInfo("research", "4.4.3", 17, "ประวัติการปฏิบัติงานวิจัย",
                frozenset({"education_training"})),
    SectionInfo("study_visit", "4.4.4", 18, "ประวัติการดูงาน", frozenset({"education_training"})),
    SectionInfo("special_ability", "4.4.5", 19, "ความสามารถพิเศษ",
                frozenset({"special_abilities"})),
    SectionInfo("special_service", "4.4.6", 20, "การปฏิบัติราชการพิเศษ",
                frozenset({"special_service"})),
    SectionInfo("discipline", "4.4.7", 21,
                "การได้รับโทษทางวินัย การล้างมลทิน และการนิรโทษกรรม", frozenset({"discipline"})),
    SectionInfo("ethics", "4.4.8", 22, "การฝ่าฝืนจรรยาบรรณ", frozenset({"discipline"})),
    SectionInfo("martial_law", "4.4.9", 23,
                "วันที่ได้ประจำปฏิบัติหน้าที่อยู่ในเขตที่ได้มีประกาศใช้กฎอัยการศึก",
                frozenset({"martial_law"})),
    SectionInfo("decoration", "4.4.10", 24, "เครื่องราชอิสริยาภรณ์/เหรียญตรา",
                frozenset({"decorations"})),
    SectionInfo("leave", "4.4.11", 25, "จำนวนวันลาหยุดราชการ ขาดราชการ มาสาย",
                frozenset({"other"})),
    SectionInfo("other", "4.4.12", 26, "รายการอื่นที่จำเป็น", frozenset({"other"})),
)
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}
assert set(SECTION_BY_SLUG) == {s.value for s in EntrySection}

STATUS_TH = {
    "active": "รับราชการ", "suspended": "พักราชการ",
    "ordered_out_pending": "ให้ออกจากราชการไว้ก่อน", "transferred_out": "โอน/ย้ายออก",
    "left_service": "พ้นจากราชการ",
}
LEFT_REASON_TH = {
    "died": "ถึงแก่กรรม", "retired": "เกษียณอายุราชการ", "resigned": "ลาออก",
    "ordered_out": "ถูกสั่งให้ออก", "dismissed": "ถูกปลดออก/ไล่ออก", "other": "อื่น ๆ",
}


class DocumentRef(TypedDict):
    document_id: str
    original_name: str
    category: str | None
    pages: int


class EntryOut(TypedDict):
    entry_id: str
    section: str
    effective_on: date | None
    order_ref: str | None
    title: str
    state: str
    documents: list[DocumentRef]


class SectionOut(TypedDict):
    section: str
    clause: str
    form_item: int
    name_th: str
    entries: list[EntryOut]


class EvidenceGroup(TypedDict):
    code: int | None
    slug: str | None
    name_th: str
    count: int
    documents: list[DocumentRef]


class PersonSummary(TypedDict):
    citizen_id: str
    prefix: str
    first_name: str
    last_name: str
    full_name: str
    unit: str | None
    status: str
    status_th: str
    left_service_on: date | None


class PersonPage(TypedDict):
    total: int
    limit: int
    offset: int
    persons: list[PersonSummary]


class RecordOut(PersonSummary):
    birth_date: date | None
    appointed_on: date | None
    retirement_on: date | None
    unit_path: list[str]
    left_reason: str | None
    left_reason_th: str | None
    sections_limited: bool
    sections: list[SectionOut]
    evidence: list[EvidenceGroup]


# --- scope as SQL --------------------------------------------------------------------------


def in_scope(s: Scope) -> ColumnElement[bool]:
    """A WHERE clause over Person (outer-joined to Unit) for the persons `s` reaches."""
    if s.everything:
        return true()
    if s.nothing:
        return false()
    terms: list[ColumnElement[bool]] = []
    if s.citizen_ids:
        terms.append(Person.citizen_id.in_(sorted(s.citizen_ids)))
    for path in s.unit_paths:
        terms.append(Unit.path == path)
        terms.append(Unit.path.startswith(path + UNIT_SEPARATOR, autoescape=True))
    return or_(*terms)


def parse_cid(text: str) -> str | None:
    try:
        return parse_citizen_id(text)
    except ThaiTextError:
        return None


def person_for(db: Session, principal: Principal, citizen_id: str,
               action: Action = Action.READ_RECORD) -> Person:
    """The person `citizen_id` if `action` reaches them for this caller; otherwise not found,
    whether the person exists or not."""
    cid = parse_cid(citizen_id)
    person = db.scalar(select(Person).where(Person.citizen_id == cid)) if cid else None
    if person is None or not allows(principal, action, Target.of(person)):
        raise not_found("ทะเบียนประวัติ")
    return person


def summary(person: Person) -> PersonSummary:
    return {
        "citizen_id": person.citizen_id, "prefix": person.prefix,
        "first_name": person.first_name, "last_name": person.last_name,
        "full_name": person.full_name, "unit": person.unit.path if person.unit else None,
        "status": person.status, "status_th": STATUS_TH.get(person.status, person.status),
        "left_service_on": person.left_service_on,
    }


def list_persons(db: Session, principal: Principal, *, q: str = "", unit: str | None = None,
                 status: str | None = None, limit: int = 50, offset: int = 0) -> PersonPage:
    """Persons whose record the caller may read, by name or citizen-ID search; audited."""
    stmt = (select(Person).outerjoin(Unit, Unit.id == Person.unit_id)
            .where(in_scope(scope(principal, Action.READ_RECORD))))
    for term in fold_digits(q).split():
        digits = "".join(ch for ch in term if ch.isdigit())
        if digits and len(digits) >= len(term.replace("-", "")):
            stmt = stmt.where(Person.citizen_id.contains(digits, autoescape=True))
        else:
            stmt = stmt.where(or_(Person.first_name.contains(term, autoescape=True),
                                  Person.last_name.contains(term, autoescape=True)))
    if unit:
        stmt = stmt.where(or_(Unit.path == unit,
                              Unit.path.startswith(unit + UNIT_SEPARATOR, autoescape=True)))
    if status:
        stmt = stmt.where(Person.status == status)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.order_by(Person.first_name, Person.last_name, Person.citizen_id)
                      .limit(limit).offset(offset)).all()
    audit.append(db, action="persons.list", subject="persons", actor=principal.actor,
                 details={"q": q, "unit": unit, "status": status, "total": total,
                          "shown": [p.citizen_id for p in rows]})
    return {"total": total, "limit": limit, "offset": offset,
            "persons": [summary(p) for p in rows]}


# --- one record ----------------------------------------------------------------------------


def visible_categories(sections: frozenset[str] | None) -> frozenset[str] | None:
    """Evidence categories a section-limited reader sees (None: all)."""
    if sections is None:
        return None
    return frozenset().union(*(SECTION_BY_SLUG[s].categories for s in sections
                               if s in SECTION_BY_SLUG))


def doc_ref(doc: Document) -> DocumentRef:
    return {"document_id": doc.id, "original_name": doc.original_name,
            "category": doc.category, "pages": doc.pages}


def linked_documents(db: Session, person: Person) -> list[Document]:
    """Documents filed in the record: linked to the person, not merely proposed."""
    return list(db.scalars(
        select(Document).join(DocumentPerson, DocumentPerson.document_id == Document.id)
        .where(DocumentPerson.person_id == person.id, DocumentPerson.state == "linked")
        .order_by(Document.created_at, Document.id)
    ))


def record_of(db: Session, principal: Principal, person: Person, *,
              audit_action: str | None = "record.read") -> RecordOut:
    """The record of `person` as this caller may see it (the caller is already allowed to read
    it); the read is audited in the caller's transaction (None: the caller audits it)."""
    sections = sections_visible(principal, person)
    docs = linked_documents(db, person)
    linked_ids = {d.id for d in docs}
    entries = db.scalars(
        select(RecordEntry).where(RecordEntry.person_id == person.id,
                                  RecordEntry.state == "recorded")
        .order_by(RecordEntry.effective_on, RecordEntry.entry_id)
    ).all()
    refs: dict[int, list[DocumentRef]] = defaultdict(list)
    for entry_pk, doc in db.execute(
        select(DocumentEntry.entry_pk, Document)
        .join(Document, Document.id == DocumentEntry.document_id)
        .join(RecordEntry, RecordEntry.id == DocumentEntry.entry_pk)
        .where(RecordEntry.person_id == person.id).order_by(Document.created_at)
    ):
        if doc.id in linked_ids:  # an unlinked scan is not part of this record
            refs[entry_pk].append(doc_ref(doc))
    by_section: dict[str, list[EntryOut]] = defaultdict(list)
    shown_refs: set[str] = set()
    for e in entries:
        if sections is not None and e.section not in sections:
            continue
        by_section[e.section].append({
            "entry_id": e.entry_id, "section": e.section, "effective_on": e.effective_on,
            "order_ref": e.order_ref, "title": e.title, "state": e.state,
            "documents": refs.get(e.id, []),
        })
        shown_refs.update(r["document_id"] for r in refs.get(e.id, []))
    section_out: list[SectionOut] = [
        {"section": s.slug, "clause": s.clause, "form_item": s.form_item, "name_th": s.name_th,
         "entries": by_section.get(s.slug, [])}
        for s in SECTIONS if sections is None or s.slug in sections
    ]
    cats = visible_categories(sections)
    evidence = _evidence_groups([d for d in docs if cats is None or d.category in cats
                                 or d.id in shown_refs])
    unit = person.unit.path if person.unit else None
    record: RecordOut = {
        **summary(person),
        "birth_date": person.birth_date, "appointed_on": person.appointed_on,
        "retirement_on": person.retirement_on,
        "unit_path": unit.split(UNIT_SEPARATOR) if unit else [],
        "left_reason": person.left_reason,
        "left_reason_th": LEFT_REASON_TH.get(person.left_reason or "") or None,
        "sections_limited": sections is not None, "sections": section_out,
        "evidence": evidence,
    }
    if audit_action is not None:
        audit.append(db, action=audit_action, subject=f"person:{person.citizen_id}",
                     actor=principal.actor,
                     details={"sections": sorted(sections) if sections is not None else "all",
                              "documents": sum(g["count"] for g in evidence)})
    return record


def _evidence_groups(docs: list[Document]) -> list[EvidenceGroup]:
    by_cat: dict[str | None, list[DocumentRef]] = defaultdict(list)
    for d in docs:
        by_cat[d.category].append(doc_ref(d))
    groups: list[EvidenceGroup] = [
        {"code": c.code, "slug": c.slug, "name_th": c.name_th, "count": len(by_cat[c.slug]),
         "documents": by_cat[c.slug]}
        for c in EVIDENCE_CATEGORIES
    ]
    known = {c.slug for c in EVIDENCE_CATEGORIES}
    loose = [ref for cat, refs in by_cat.items() if cat not in known for ref in refs]
    if loose:
        groups.append({"code": None, "slug": None, "name_th": "ยังไม่จัดหมวด",
                       "count": len(loose), "documents": loose})
    return groups


def own_person(db: Session, principal: Principal) -> Person:
    """The caller's own record (owner self-service); not found for a user who owns none."""
    if not principal.is_owner or not principal.citizen_id:
        raise not_found("ทะเบียนประวัติของท่าน")
    return person_for(db, principal, principal.citizen_id)

