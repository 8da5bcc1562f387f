"""Which record entries (clause 4.4) a document is the reference document of: order reference,
person and date together, with the entry section fitting the document's category."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.catalog.models import RecordEntry
from archive.thai import ThaiTextError, fold_digits, normalize_order_ref
from ingest.understand.extract import DIGIT_STANDINS, Extracted
from ingest.understand.idmatch import expected_reading

# Entry sections a document of each category can be the evidence for.
SECTIONS: dict[str, tuple[str, ...]] = {
    "appointment": ("position_salary",),
    "status_orders": ("position_salary",),
    "education_training": ("training", "research", "study_visit"),
    "special_abilities": ("special_ability",),
    "special_service": ("special_service",),
    "discipline": ("discipline", "ethics"),
    "martial_law": ("martial_law",),
    "decorations": ("decoration",),
    "other": ("leave", "other"),
    "honors": ("other",),
}
_STANDIN = re.compile(f"[{DIGIT_STANDINS}]")


@dataclass
class EntryMatch:
    pk: int
    entry_id: str
    person_pk: int
    confidence: float
    reasons: list[dict[str, Any]] = field(default_factory=list)
    state: str = "recorded"


def _loose(ref: str) -> str:
    """An order reference as Thai OCR would most likely read it, stand-ins as '?'."""
    return expected_reading(_STANDIN.sub("?", fold_digits(ref)))


def own_order_ref(extracted: Extracted) -> str | None:
    """The order's own number, only when it reads cleanly and its year fits the signing date."""
    if extracted.own_ref_raw is None:
        return None
    try:
        ref = normalize_order_ref(fold_digits(extracted.own_ref_raw))
    except ThaiTextError:
        return None
    if extracted.signed_on is not None and \
            abs(int(ref.split("/")[1]) - (extracted.signed_on.year + 543)) > 1:
        return None  # a misread year: an order is numbered in the year it is signed
    return ref


def _ref_matches(extracted: Extracted, order_ref: str) -> dict[str, Any] | None:
    refs = {str(r) for r in extracted.order_refs}
    if order_ref in refs:
        return {"kind": "order_ref", "ref": order_ref}
    raw = extracted.own_ref_raw
    if raw is not None:
        seen, want = _loose(raw), _loose(order_ref)
        if len(seen) == len(want) and all(a in ("?", b) for a, b in zip(seen, want, strict=True)):
            return {"kind": "order_ref_ocr", "read": raw, "ref": order_ref}
    return None


def match_entries(session: Session, extracted: Extracted, category: str | None,
                  person_pks: list[int]) -> list[EntryMatch]:
    """Entries of these persons whose order reference the document carries, confirmed by a
    date of the document or by a section that fits its category."""
    if not person_pks:
        return []
    rows = session.scalars(
        select(RecordEntry).where(RecordEntry.person_id.in_(person_pks),
                                  RecordEntry.order_ref.is_not(None))
    ).all()
    dates = set(extracted.dates)
    fitting = SECTIONS.get(category or "", ())
    out = []
    for entry in rows:
        assert entry.order_ref is not None
        ref = _ref_matches(extracted, entry.order_ref)
        if ref is None:
            continue
        reasons = [ref]
        if entry.effective_on is not None and entry.effective_on in dates:
            reasons.append({"kind": "date", "date": entry.effective_on.isoformat()})
        if entry.section in fitting:
            reasons.append({"kind": "section", "section": entry.section})
        if len(reasons) < 2:
            continue  # a number alone recurs every year in every office
        confidence = 0.9 if ref["kind"] == "order_ref_ocr" else 0.97
        if len(reasons) == 3:
            confidence = min(0.99, confidence + 0.02)
        out.append(EntryMatch(entry.id, entry.entry_id, entry.person_id, confidence, reasons,
                              entry.state))
    return out
