"""Records for the record/document/printout/correction HTTP tests: documents filed straight
into the sample registry's persons (no OCR), helpers to read the audit log and sign in."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access.sessions import SESSION_COOKIE, start_session
from archive.archive import Archive
from archive.catalog import AuditEvent, DocumentEntry, Person, RecordEntry, User
from tests.retention.records import add_document

UNIT = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุบลราชธานี เขต 1"
OWNER = "4340291521053"  # นางวาสนา ไชยวงศ์, บรรจุ 24 เม.ย. 2553 (คำสั่ง 319/2553), unit UNIT
NEIGHBOUR = "1340687488601"  # นายยงยุทธ ยิ่งยง: same unit tree, another school
OUTSIDER = "3411570714569"  # นายสมเกียรติ กาญจนวงศ์: another area office


@dataclass(frozen=True)
class Filed:
    appointment: str  # the appointment order, reference document of entry E000001
    training: str  # a training certificate, reference document of entry E000003
    candidate: str  # proposed for OWNER, not yet filed (needs review)
    outsider: str  # filed in OUTSIDER's record


def file_documents(archive: Archive) -> Filed:
    with archive.catalog.session() as s:
        owner = s.scalar(select(Person).where(Person.citizen_id == OWNER))
        outsider = s.scalar(select(Person).where(Person.citizen_id == OUTSIDER))
        assert owner is not None and outsider is not None
        store = archive.store
        appointment = add_document(s, store, [owner], category="appointment",
                                   name="คำสั่งบรรจุ วาสนา.pdf", text="คำสั่ง ที่ ๓๑๙/๒๕๕๓")
        training = add_document(s, store, [owner], category="education_training",
                                name="วุฒิบัตรลูกเสือ.pdf", text="วุฒิบัตร")
        candidate = add_document(s, store, [owner], category="appointment", state="candidate",
                                 name="ไม่แน่ใจ.pdf")
        other = add_document(s, store, [outsider], category="appointment", name="other.pdf")
        for doc, entry_id in ((appointment, "E000001"), (training, "E000003")):
            entry = s.scalar(select(RecordEntry).where(RecordEntry.entry_id == entry_id))
            assert entry is not None
            s.add(DocumentEntry(document_id=doc.id, entry_pk=entry.id, confidence=1.0,
                                reasons=[]))
        return Filed(appointment.id, training.id, candidate.id, other.id)


def audit_events(archive: Archive, action: str) -> list[AuditEvent]:
    with archive.catalog.session() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                         .order_by(AuditEvent.seq)).all()
        s.expunge_all()
        return list(rows)


def sign_in(client: TestClient, archive: Archive, username: str) -> str:
    """Give `client` a browser session for `username`; returns the session's CSRF token."""
    with archive.catalog.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        started = start_session(s, user, method="password", settings=archive.settings)
        csrf = started.row.csrf_token
    client.cookies.set(SESSION_COOKIE, started.cookie_value)
    return csrf
