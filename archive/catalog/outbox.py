"""The search outbox: documents whose index entry must be written or removed.

A row is added in the same transaction as the catalog change it follows, so the index can
never miss a committed change; the search indexer drains the rows after the fact.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.catalog.models import Base

OutboxOp = Literal["upsert", "delete"]


class SearchOutbox(Base):
    """One pending index change for a document (upsert: index it anew; delete: remove it)."""

    __tablename__ = "search_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    op: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def enqueue(session: Session, document_id: str, op: OutboxOp = "upsert") -> None:
    """Ask for the document's index entry to be refreshed once this transaction commits."""
    if op not in ("upsert", "delete"):
        raise ValueError(f"unknown outbox op {op!r}: expected 'upsert' or 'delete'")
    session.add(SearchOutbox(document_id=document_id, op=op, created_at=datetime.now(UTC)))
