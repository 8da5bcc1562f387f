"""Catalog table of printed records (ก.ค.ศ.๑๖ printouts): each PDF issued, so its QR code can
be checked against Tabian ("ตรวจสอบทะเบียนประวัติได้จาก QR code")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.models import Base


class RecordPrintout(Base):
    """One issued PDF of a person's record. `id` is random and unguessable: it is the whole
    of what the QR code carries. Only the PDF's sha256 is kept, not the PDF, so a reader
    compares the copy in hand with it. The owner's name is kept masked, as the public
    verification page shows it; `person_id` empties if the record is later destroyed."""

    __tablename__ = "record_printouts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    owner_masked: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(200))  # the audit actor, user:<name>
    issuer_name: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


__all__ = ["RecordPrintout"]
