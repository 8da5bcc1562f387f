"""Catalog tables of retention: holds, reviews, proposals, orders, journal, tombstones, proofs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.models import Base, Person

# The destruction review's pre-filter (status, date of leaving) answered from this index alone.
Index("ix_persons_retention", Person.status, Person.left_service_on, Person.citizen_id)


class LegalHold(Base):
    """การระงับการทำลาย: while unreleased, the owner's record may not be destroyed."""

    __tablename__ = "legal_holds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # By citizen ID, not a foreign key: a hold is about a person, and must outlive any row.
    citizen_id: Mapped[str] = mapped_column(String(13), index=True)
    reason: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[str | None] = mapped_column(String(200))
    release_reason: Mapped[str | None] = mapped_column(Text)
    release_authority: Mapped[str | None] = mapped_column(Text)


class RetentionReview(Base):
    """A saved destruction review: what the rule found on an as-of date, as the manager saw it."""

    __tablename__ = "retention_reviews"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    free_bytes: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DestructionProposal(Base):
    """บัญชีเสนอทำลาย: a records manager's list from a review, some names possibly struck."""

    __tablename__ = "destruction_proposals"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("retention_reviews.id"), index=True)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # proposed | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class ProposalItem(Base):
    """One owner on a proposal, in destruction order; struck names stay, with the reason."""

    __tablename__ = "destruction_proposal_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[str] = mapped_column(
        ForeignKey("destruction_proposals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    citizen_id: Mapped[str] = mapped_column(String(13))
    left_service_on: Mapped[date] = mapped_column(Date)
    documents: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(BigInteger)
    struck: Mapped[bool] = mapped_column(Boolean, default=False)
    strike_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("proposal_id", "citizen_id", name="uq_proposal_items_cid"),)


class DestructionOrder(Base):
    """คำสั่งทำลาย: the data controller's approval of a proposal, citing the necessity."""

    __tablename__ = "destruction_orders"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    proposal_id: Mapped[str] = mapped_column(
        ForeignKey("destruction_proposals.id"), unique=True
    )
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    necessity: Mapped[str] = mapped_column(String(16))  # space | other
    necessity_detail: Mapped[str] = mapped_column(Text)
    order_ref: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16))  # approved | executing | executed
    executed_by: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DestructionJournal(Base):
    """Execution progress for one owner of an order; a re-run resumes from `state`.

    pending -> objects_pending (catalog rows gone, tombstone written, objects named below still
    to delete) -> done; or pending -> skipped (the run-time re-check refused), with the reason.
    """

    __tablename__ = "destruction_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("destruction_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    citizen_id: Mapped[str] = mapped_column(String(13))
    state: Mapped[str] = mapped_column(String(16), index=True)
    skip_reason: Mapped[str | None] = mapped_column(String(32))
    deleted_documents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unlinked_documents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("order_id", "citizen_id", name="uq_journal_cid"),)


class DestructionJournalObject(Base):
    """A stored object to remove for a journal entry, with the sha256 it had when catalogued."""

    __tablename__ = "destruction_journal_objects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journal_id: Mapped[int] = mapped_column(
        ForeignKey("destruction_journal.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    # False for a copy found under the document's prefix that no catalog row named.
    catalogued: Mapped[bool] = mapped_column(Boolean, default=True)


class Tombstone(Base):
    """What stays of a destroyed record: who it was, what went, and by which order."""

    __tablename__ = "tombstones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(13), index=True)
    full_name: Mapped[str] = mapped_column(String(600))
    left_service_on: Mapped[date] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(32))
    documents_destroyed: Mapped[int] = mapped_column(Integer)
    documents_unlinked: Mapped[int] = mapped_column(Integer)
    bytes_destroyed: Mapped[int] = mapped_column(BigInteger)
    order_id: Mapped[str] = mapped_column(ForeignKey("destruction_orders.id"), index=True)
    destroyed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DestructionCertificate(Base):
    """หนังสือรับรองการทำลาย of an executed order; both files are in the object store."""

    __tablename__ = "destruction_certificates"
    order_id: Mapped[str] = mapped_column(
        ForeignKey("destruction_orders.id"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    json_key: Mapped[str] = mapped_column(String(500))
    json_sha256: Mapped[str] = mapped_column(String(64))
    pdf_key: Mapped[str] = mapped_column(String(500))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(BigInteger)


class PaperDestructionList(Base):
    """บัญชีหนังสือขอทำลาย (Regulation on Correspondence, form 25) for one ingest batch."""

    __tablename__ = "paper_destruction_lists"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("ingest_batches.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(24))  # awaiting_decision | decided
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    excluded: Mapped[list[Any]] = mapped_column(JSON, default=list)
    csv_key: Mapped[str] = mapped_column(String(500))
    csv_sha256: Mapped[str] = mapped_column(String(64))
    pdf_key: Mapped[str] = mapped_column(String(500))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    committee: Mapped[list[Any]] = mapped_column(JSON, default=list)
    meeting_ref: Mapped[str | None] = mapped_column(String(200))
    decision_note: Mapped[str | None] = mapped_column(Text)


class PersonPhoto(Base):
    """รูปถ่าย of a record owner (clause 3.2): when it was taken, for the 6-year renewal."""

    __tablename__ = "person_photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    taken_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecordCertification(Base):
    """การรับรองทะเบียนประวัติ: the certifier's check of a record (new appointees: 15 days)."""

    __tablename__ = "record_certifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    certified_on: Mapped[date] = mapped_column(Date)
    certified_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
