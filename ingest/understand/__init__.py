"""Understanding a stored scan's text: category, what it says, whose it is, which entries.

`understand` reads (registry lookups in the caller's session) and decides; `apply` writes the
decision inside the caller's transaction: the document's category and link, DocumentPerson
and DocumentEntry rows with their confidence and reasons, draft entries for orders not yet
recorded, and a review-queue item whenever a person must look.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from archive import audit
from archive.catalog.models import Document, DocumentEntry, DocumentPerson
from archive.catalog.review import DraftSource, ReviewItem
from ingest.understand.classify import CONFIDENCE_BAR, Classifier, Prediction, load_classifier
from ingest.understand.drafts import DraftProposal, create_drafts, draft_basis, propose
from ingest.understand.entries import EntryMatch, match_entries
from ingest.understand.extract import Extracted, extract
from ingest.understand.link import LISTS_OF_SUBJECTS, PersonLinks, link_persons

if TYPE_CHECKING:
    from archive.archive import Archive

__all__ = [
    "CONFIDENCE_BAR",
    "Understanding",
    "apply",
    "load_classifier",
    "understand",
    "understand_for_ingest",
]

log = logging.getLogger(__name__)


@dataclass
class Understanding:
    prediction: Prediction
    extracted: Extracted
    persons: PersonLinks
    entries: list[EntryMatch] = field(default_factory=list)
    draft: DraftProposal | None = None
    draft_basis: dict[str, Any] = field(default_factory=dict)
    review_reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def category(self) -> str | None:
        return self.prediction.category

    @property
    def category_confidence(self) -> float:
        return self.prediction.confidence

    @property
    def link(self) -> str:
        return self.persons.link

    @property
    def citizen_ids(self) -> list[str]:
        return [p.citizen_id for p in self.persons.owners]

    @property
    def entry_ids(self) -> list[str]:
        """Recorded entries this document is the reference for (linked documents only)."""
        if self.link != "linked":
            return []
        return sorted(e.entry_id for e in self.entries if e.state == "recorded")

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)

    def fill(self, outcome: Any) -> None:
        """Copy the contract's fields onto an ingest FileOutcome."""
        outcome.category = self.category
        outcome.category_confidence = self.category_confidence
        outcome.citizen_ids = self.citizen_ids
        outcome.link = self.link
        outcome.entry_ids = self.entry_ids

    def proposal(self) -> dict[str, Any]:
        ex = self.extracted
        return {
            "category": self.category,
            "category_confidence": self.category_confidence,
            "categories": [{"category": c, "probability": p} for c, p in self.prediction.ranked],
            "category_evidence": [e.as_json() for e in self.prediction.evidence],
            "link": self.link,
            "folder_hint": self.persons.folder_person,
            "entries": [{"entry_pk": e.pk, "entry_id": e.entry_id, "person_pk": e.person_pk,
                         "state": e.state, "confidence": e.confidence, "reasons": e.reasons}
                        for e in self.entries],
            "draft": self.draft.as_json() if self.draft else None,
            "draft_basis": self.draft_basis,
            "order_refs": [str(r) for r in ex.order_refs],
            "subject": ex.subject,
            "gazette": [str(g) for g in ex.gazette],
        }


def understand(session: Session, text: str, *, folder_hint: str | None,
               classifier: Classifier | None = None) -> Understanding:
    """Classify, extract and link one document's (cleaned) text; writes nothing."""
    started = time.perf_counter()
    model = classifier or load_classifier()
    try:
        prediction = model.predict(text)
        extracted = extract(text)
    except Exception:  # a text that trips a bug must not stop a batch; a person will look
        log.exception("understanding failed; the document goes to review")
        prediction, extracted = Prediction(None, 0.0, []), Extracted()
    persons = link_persons(session, text, extracted, folder_hint=folder_hint,
                           category=prediction.category, category_sure=not prediction.uncertain,
                           subjects_listed=sum(p for c, p in prediction.ranked
                                               if c in LISTS_OF_SUBJECTS))
    pks = [p.pk for p in persons.owners]
    basis = draft_basis(extracted)
    result = Understanding(prediction, extracted, persons,
                           entries=match_entries(session, extracted, prediction.category, pks),
                           draft=propose(basis, prediction.category), draft_basis=basis)
    reasons = list(persons.review_reasons) if persons.link != "linked" else []
    if prediction.uncertain:
        reasons.append("category_uncertain")
    result.review_reasons = reasons
    result.seconds = time.perf_counter() - started
    return result


def understand_for_ingest(archive: Archive, text: str, *, folder_hint: str | None
                          ) -> Understanding:
    """`understand` with the data dir's classifier, in a short session of its own."""
    classifier = load_classifier(Path(archive.settings.data_dir))
    with archive.catalog.session() as session:
        return understand(session, text, folder_hint=folder_hint, classifier=classifier)


def link_owners(session: Session, document: Document, understanding: Understanding, *,
                owner_pks: list[int]) -> tuple[list[str], list[str]]:
    """File the document under these owners: linked rows, its entries, drafts for the rest.

    Returns (entry_ids, draft entry_ids).
    """
    entries = [e for e in understanding.entries if e.person_pk in owner_pks]
    for e in entries:
        if e.state == "recorded":
            document.entries.append(DocumentEntry(entry_pk=e.pk, confidence=e.confidence,
                                                  reasons=e.reasons))
        else:  # a draft from an earlier scan of the same order: this one supports it too
            session.add(DraftSource(entry_pk=e.pk, document_id=document.id,
                                    created_at=datetime.now(UTC)))
    drafts = []
    if understanding.draft is not None and not understanding.prediction.uncertain:
        drafts = create_drafts(session, document_id=document.id, proposal=understanding.draft,
                               person_pks=owner_pks, covered={e.person_pk for e in entries})
    return sorted(e.entry_id for e in entries if e.state == "recorded"), \
        [d.entry_id for d in drafts]


def apply(session: Session, document: Document, understanding: Understanding, *,
          actor: str | None = None) -> ReviewItem | None:
    """Write what was understood about a (new) document, in the caller's transaction."""
    u = understanding
    document.category = u.category
    document.category_confidence = u.category_confidence
    document.link = u.link
    state = "linked" if u.link == "linked" else "candidate"
    for person in u.persons.owners:
        document.persons.append(DocumentPerson(person_id=person.pk, state=state,
                                               confidence=person.confidence,
                                               reasons=person.reasons))
    session.add(document)
    session.flush()
    entry_ids: list[str] = []
    drafts: list[str] = []
    if u.link == "linked":
        entry_ids, drafts = link_owners(session, document, u,
                                        owner_pks=[p.pk for p in u.persons.owners])
    item = None
    if u.needs_review:
        item = ReviewItem(document_id=document.id, state="open", reasons=u.review_reasons,
                          candidates=[p.as_json() for p in u.persons.owners],
                          proposal=u.proposal(), created_at=datetime.now(UTC))
        session.add(item)
        session.flush()
    audit.append(session, action="document.understand", subject=f"document:{document.id}",
                 actor=actor, details={
                     "category": u.category, "category_confidence": u.category_confidence,
                     "link": u.link, "citizen_ids": u.citizen_ids, "entry_ids": entry_ids,
                     "drafts": drafts, "review_item": item.id if item else None,
                     "reasons": u.review_reasons})
    return item
