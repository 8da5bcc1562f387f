"""Draft record entries: an order found in a scan with no entry for its owner yet becomes a
proposed entry (section, effective date, order reference, title) for the recorder to confirm,
so clause 4.4's "recorded within 5 working days" starts from a filled-in form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalog.models import RecordEntry
from archive.catalog.review import DraftSource
from archive.domain import CATEGORY_BY_SLUG
from ingest.understand.entries import own_order_ref
from ingest.understand.extract import Extracted

DRAFT = "draft"


@dataclass(frozen=True)
class DraftProposal:
    section: str
    effective_on: date | None
    order_ref: str | None
    title: str

    def as_json(self) -> dict[str, Any]:
        return {"section": self.section,
                "effective_on": self.effective_on.isoformat() if self.effective_on else None,
                "order_ref": self.order_ref, "title": self.title}


def _section(category: str, subject: str) -> str | None:
    if category in ("appointment", "status_orders"):
        return "position_salary"
    if category == "education_training":
        if "ดูงาน" in subject:
            return "study_visit"
        return "research" if "วิจัย" in subject else "training"
    if category == "discipline":
        return "ethics" if "จรรยาบรรณ" in subject else "discipline"
    if category == "other":
        return "leave" if "ลา" in subject[:6] else "other"
    return {"special_service": "special_service", "martial_law": "martial_law",
            "decorations": "decoration", "special_abilities": "special_ability"}.get(category)


def draft_basis(extracted: Extracted) -> dict[str, Any]:
    """What a draft entry would be made from, kept with a review item so the draft can be
    proposed again once a reviewer settles the category. A number read from Thai digits is
    not taken as fact: it goes into the title as read, for the recorder to check, and the
    field stays empty."""
    trusted_ref = own_order_ref(extracted) if extracted.own_ref_trusted else None
    effective = extracted.effective_on if extracted.effective_trusted else None
    if effective is None and extracted.effective_read is None and extracted.signed_trusted:
        effective = extracted.signed_on  # no "ตั้งแต่": the order takes effect when signed
    unsure = []
    if trusted_ref is None and extracted.own_ref_raw:
        unsure.append(f"คำสั่งที่ {extracted.own_ref_raw}")
    if effective is None and extracted.effective_read:
        unsure.append(f"ตั้งแต่ {extracted.effective_read}")
    return {"is_order": extracted.is_order, "subject": extracted.subject or "",
            "effective_on": effective.isoformat() if effective else None,
            "order_ref": trusted_ref, "unsure": unsure,
            "gazette": [str(g) for g in extracted.gazette]}


def propose(basis: dict[str, Any], category: str | None) -> DraftProposal | None:
    """What an entry for this document would say, if it is an order (or a Gazette notice of a
    decoration) of a kind that makes a record entry."""
    if category is None:
        return None
    subject = basis.get("subject") or ""
    gazette = category == "decorations" and bool(basis.get("gazette"))
    if not (basis.get("is_order") or gazette):
        return None
    section = _section(category, subject)
    if section is None:
        return None
    title = subject or CATEGORY_BY_SLUG[category].name_th
    if gazette:
        title = f"{title} ({basis['gazette'][0]})"
    if basis.get("unsure"):
        # What OCR made of the numbers, marked as unchecked for the recorder.
        title = f"{title} [อ่านจากภาพ ตรวจสอบ: {'; '.join(basis['unsure'])}]"
    effective = basis.get("effective_on")
    return DraftProposal(section, date.fromisoformat(effective) if effective else None,
                         basis.get("order_ref"), title)


def remove_drafts(session: Session, *, document_id: str) -> list[str]:
    """Take back the drafts this document proposed: its sources go, and a draft left with no
    source at all goes too. Returns the entry_ids of drafts removed."""
    sources = session.scalars(select(DraftSource).where(
        DraftSource.document_id == document_id)).all()
    removed = []
    for source in sources:
        entry_pk = source.entry_pk
        session.delete(source)
        session.flush()
        entry = session.get(RecordEntry, entry_pk)
        others = session.scalar(select(DraftSource.entry_pk).where(
            DraftSource.entry_pk == entry_pk).limit(1))
        if entry is not None and entry.state == DRAFT and others is None:
            removed.append(entry.entry_id)
            session.delete(entry)
    session.flush()
    return removed


def create_drafts(session: Session, *, document_id: str, proposal: DraftProposal,
                  person_pks: list[int], covered: set[int]) -> list[RecordEntry]:
    """A draft entry for every owner not `covered` by a matched entry; an existing draft of the
    same order for that person is reused and gains this document as a source."""
    now = datetime.now(UTC)
    made = []
    for person_pk in person_pks:
        if person_pk in covered:
            continue
        existing = None
        if proposal.order_ref is not None:
            existing = session.scalar(select(RecordEntry).where(
                RecordEntry.person_id == person_pk, RecordEntry.state == DRAFT,
                RecordEntry.order_ref == proposal.order_ref))
        entry = existing or RecordEntry(
            entry_id=f"draft-{document_id[:16]}-{person_pk}", person_id=person_pk,
            section=proposal.section, effective_on=proposal.effective_on,
            order_ref=proposal.order_ref, title=proposal.title, state=DRAFT,
            created_at=now, updated_at=now,
        )
        if existing is None:
            session.add(entry)
            session.flush()
        if session.get(DraftSource, (entry.id, document_id)) is None:
            session.add(DraftSource(entry_pk=entry.id, document_id=document_id, created_at=now))
        made.append(entry)
    return made
