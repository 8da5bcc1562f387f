"""Catalog tables of the review queue: documents waiting for a person, decisions taken,
corrections kept as training data, and the scans behind draft record entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.catalog.models import Base, Document


class ReviewItem(Base):
    """A document waiting for a person: why, the proposal and its candidates, the decision.

    state: open | accepted | corrected | rejected. `candidates` lists the proposed owners
    ({citizen_id, name, confidence, reasons}); `proposal` holds the category guess and the
    entries and drafts the document would get; `decision` what the reviewer chose.
    """

    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), index=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    candidates: Mapped[list[Any]] = mapped_column(default=list)
    proposal: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[dict[str, Any] | None] = mapped_column()
    document: Mapped[Document] = relationship()


class TrainingExample(Base):
    """A category confirmed or corrected by a reviewer: training data for the classifier.

    The text is not copied here; retraining reads the document's stored text, so an example
    goes with its document when that is destroyed.
    """

    __tablename__ = "training_examples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(ForeignKey("evidence_categories.slug"))
    source: Mapped[str] = mapped_column(String(32))  # accepted | corrected
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DraftSource(Base):
    """The scan a draft record entry was proposed from (its future reference document)."""

    __tablename__ = "draft_sources"
    entry_pk: Mapped[int] = mapped_column(
        ForeignKey("record_entries.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
