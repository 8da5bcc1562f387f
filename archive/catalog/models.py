"""Catalog tables: the system of record for persons, entries, documents, objects, audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Unit(Base):
    """สังกัด: a node of the unit tree; `path` is the names from the root joined by ' > '."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(String(2000), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Person(Base):
    """เจ้าของประวัติ: a record owner with the clause 3.2 items archiving needs."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(13), unique=True)
    prefix: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    appointed_on: Mapped[date | None] = mapped_column(Date)
    retirement_on: Mapped[date | None] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    left_service_on: Mapped[date | None] = mapped_column(Date, index=True)
    left_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    unit: Mapped[Unit | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name} {self.last_name}"


class RecordEntry(Base):
    """รายการทะเบียนประวัติ (clause 4.4): one movement or event, backed by a reference document."""

    __tablename__ = "record_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    effective_on: Mapped[date | None] = mapped_column(Date)
    order_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    # 'recorded' entries come from the registry; 'draft' ones are proposed from an order found
    # in a scan and wait for the recorder to confirm them.
    state: Mapped[str] = mapped_column(String(16), default="recorded")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    person: Mapped[Person] = relationship()


class EvidenceCategoryRow(Base):
    """The 16 evidence categories of clause 3.5, kept as data so reports can join on them."""

    __tablename__ = "evidence_categories"
    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    clause: Mapped[str] = mapped_column(String(16))
    optional: Mapped[bool] = mapped_column(Boolean)


class Document(Base):
    """One piece of evidence: the scanned or born-digital file and what Tabian learnt from it."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(1000))
    source_path: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(
        ForeignKey("evidence_categories.slug"), index=True
    )
    category_confidence: Mapped[float | None] = mapped_column(Float)
    link: Mapped[str] = mapped_column(String(16), default="unlinked")
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    folder_hint: Mapped[str | None] = mapped_column(String(13))
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    objects: Mapped[list[DocumentObject]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )
    persons: Mapped[list[DocumentPerson]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )
    entries: Mapped[list[DocumentEntry]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )


class DocumentObject(Base):
    """A stored object of a document (original, archive PDF/A, text, thumbnail) and its sha256."""

    __tablename__ = "document_objects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(500), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    document: Mapped[Document] = relationship(back_populates="objects")
    __table_args__ = (UniqueConstraint("document_id", "kind", name="uq_document_objects_kind"),)


class DocumentPerson(Base):
    """A document's link to a record owner, with the confidence and the evidence that matched."""

    __tablename__ = "document_persons"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    state: Mapped[str] = mapped_column(String(16))  # linked | candidate
    confidence: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    document: Mapped[Document] = relationship(back_populates="persons")
    person: Mapped[Person] = relationship()


class DocumentEntry(Base):
    """A document serving as the reference document (เอกสารอ้างอิง) of a record entry."""

    __tablename__ = "document_entries"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    entry_pk: Mapped[int] = mapped_column(
        ForeignKey("record_entries.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    confidence: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    document: Mapped[Document] = relationship(back_populates="entries")
    entry: Mapped[RecordEntry] = relationship()


class AuditEvent(Base):
    """One audit event, hash-chained to the one before; never updated or deleted."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # ISO 8601 UTC text, so the hashed form is byte-identical on every database.
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(300), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain head: locked by every append, and lets verify notice a cut-off tail."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_record_entries_person_order", RecordEntry.person_id, RecordEntry.order_ref)


class IngestBatch(Base):
    """One run of `tabian ingest`: what was asked, and the report of what came of it."""

    __tablename__ = "ingest_batches"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16))  # running | done | interrupted
    actor: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    paths: Mapped[list[Any]] = mapped_column(JSON, default=list)
    jobs: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IngestItem(Base):
    """The outcome for one input file of a batch (stored, rejected with reasons, duplicate)."""

    __tablename__ = "ingest_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(
        ForeignKey("ingest_batches.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[str | None] = mapped_column(String(32), index=True)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    detail: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
