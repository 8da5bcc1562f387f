"""The world of the authorization matrix (issue 8): two top-level units A and B, each with a
person (P in A, Q in B) whose record holds a real PDF, entries, a draft, a review item, a
correction request with evidence, a legal hold, an ingest batch, target users and grants,
and the destruction trail (review, proposals, an executed order with its certificate, a paper
list). A-side objects are made by A-scoped callers, B-side ones by B-scoped callers, through
the API where it has a route for it.

Built once per test module (`build_world`); `fresh_*` make a new target for a mutating call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from fpdf import FPDF
from sqlalchemy import select

from api.access import Role
from api.http import create_app
from api.services.ingest_runner import RUNNER
from archive import registry
from archive.archive import Archive, open_archive
from archive.catalog import Document, IngestBatch, Person, RecordEntry
from archive.catalog.review import ReviewItem
from archive.config import load_settings
from archive.documents import ObjectSource, object_key, write_objects
from tests.http.conftest import SAMPLE, Caller, Callers
from tests.http.retention_records import A_NEXT, A_OLDEST, AS_OF, B_PERSON, UNIT_A, UNIT_B
from tests.retention.records import add_batch, add_document, add_entry
from tests.search.archive_docs import add_person, citizen_id, store_document

API = "/api/v1"
# The matrix's callers, all scoped to unit A (the owner and the recorder to person P).
ROLES = ("anonymous", "owner", "recorder", "registrar", "certifier", "access_controller",
         "data_controller", "digitizer", "records_manager")
P = citizen_id(880001)  # active, in a school of unit A
Q = citizen_id(880002)  # active, in a school of unit B
P2 = citizen_id(880003)  # active, in unit A's school, with no account yet
SCHOOL = {"A": f"{UNIT_A} > โรงเรียนบ้านโนนแดง", "B": f"{UNIT_B} > โรงเรียนบ้านดอยงาม"}
# Each side's document text: an order number and a phrase found nowhere else.
ORDER_NO = {"A": "441/2568", "B": "773/2568"}
PHRASE = {"A": "ไปช่วยราชการโรงเรียนบ้านโนนแดง", "B": "เลื่อนเงินเดือนครูโรงเรียนบ้านดอยงาม"}
TEXT = {side: f"คำสั่งแต่งตั้ง ที่ {ORDER_NO[side]} ให้{PHRASE[side]}" for side in ("A", "B")}
CORRECTION = {"kind": "correction", "subject": "วันบรรจุ",
              "description": "วันบรรจุในทะเบียนไม่ตรงกับคำสั่งที่แนบมา"}


def tiny_pdf(label: str) -> bytes:
    """A real one-page PDF (poppler renders it)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=f"Tabian authz test {label}")
    return bytes(pdf.output())


@dataclass
class Side:
    """One unit's objects, and the unit's staff who made them."""

    name: str
    unit: str
    cid: str
    doc: str
    entry: str
    draft: str
    review_item: int
    batch: str
    owner: Caller
    staff: dict[str, Caller]
    correction: int = 0
    hold: int = 0
    printout: str = ""
    target_user: int = 0
    grant: int = 0
    review: str = ""
    proposal: str = ""
    order: str = ""
    paper_list: str = ""
    gone_list: str = ""  # a paper list naming only owners destroyed since
    owner_token: int = 0


@dataclass
class World:
    archive: Archive
    client: TestClient
    callers: dict[str, Caller | None]  # the matrix's callers by role (A-scoped)
    a: Side = field(init=False)
    b: Side = field(init=False)

    def side(self, name: str) -> Side:
        return self.a if name == "A" else self.b

    def call(self, method: str, url: str, caller: Caller | None, *, expect: int | None = None,
             **kwargs: Any) -> Any:
        """One request (cookies never carry over); `expect` asserts its status."""
        headers = caller.headers if caller is not None else {}
        r = self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
        self.client.cookies.clear()
        if expect is not None:
            assert r.status_code == expect, f"{method} {url}: {r.status_code} {r.text[:500]}"
        return r


# --- objects straight into the catalog (no route makes them) -------------------------------


def _person(s: Any, cid: str) -> Person:
    person = s.scalar(select(Person).where(Person.citizen_id == cid))
    assert person is not None
    return person


def _with_pdf(archive: Archive, doc_id: str, label: str) -> str:
    """Give a stored document a real PDF as its archive copy."""
    with archive.catalog.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.objects.extend(write_objects(archive.store, [ObjectSource(
            "archive", object_key(doc.sha256, "archive"), data=tiny_pdf(label))]))
    return doc_id


def _filed_document(archive: Archive, side: str, cid: str) -> str:
    """A document filed in `cid`'s record, searchable, with a real PDF as its archive copy."""
    return _with_pdf(archive, store_document(
        archive, TEXT[side], name=f"คำสั่ง-{side}.pdf", category="appointment",
        persons=[(cid, "linked")]), side)


def unattributed_scan(w: World, side: Side) -> tuple[str, int]:
    """A scan of the side's upload that ingest could attribute to no one, in the queue."""
    doc_id = _with_pdf(w.archive, store_document(w.archive, "ลายมือ อ่านไม่ออก", outbox=False),
                       side.name)
    with w.archive.catalog.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.batch_id, doc.link = side.batch, "unlinked"
        item = ReviewItem(document_id=doc_id, state="open", reasons=["no_owner_found"],
                          candidates=[], proposal={}, created_at=datetime.now(UTC))
        s.add(item)
        s.flush()
        return doc_id, item.id


def fresh_draft(w: World, side: Side) -> str:
    """A draft entry proposed for the side's person (as the order reader leaves one)."""
    entry_id = f"D{uuid.uuid4().hex[:10].upper()}"
    now = datetime.now(UTC)
    with w.archive.catalog.session() as s:
        s.add(RecordEntry(entry_id=entry_id, person_id=_person(s, side.cid).id,
                          section="position_salary", effective_on=date(2025, 5, 1),
                          order_ref=ORDER_NO[side.name], title="เลื่อนเงินเดือน (ร่าง)",
                          state="draft", created_at=now, updated_at=now))
    return entry_id


def _review_item(archive: Archive, side: str, cid: str) -> int:
    doc_id = store_document(archive, f"หนังสือรับรอง {side} {uuid.uuid4().hex}",
                            name="scan.pdf", category="other", persons=[(cid, "candidate")],
                            outbox=False)
    with archive.catalog.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.link = "needs_review"
        person = _person(s, cid)
        item = ReviewItem(
            document_id=doc_id, state="open", reasons=["owner_uncertain"],
            candidates=[{"citizen_id": cid, "name": person.full_name, "confidence": 0.7,
                         "points": 4.9, "reasons": [{"kind": "name_fuzzy"}]}],
            proposal={"categories": [{"category": "other", "probability": 0.8}],
                      "entries": [], "draft": None, "draft_basis": None},
            created_at=datetime.now(UTC))
        s.add(item)
        s.flush()
        return item.id


def fresh_review_item(w: World, side: Side) -> int:
    return _review_item(w.archive, side.name, side.cid)


def _batch(archive: Archive, unit: str, *doc_ids: str) -> str:
    """A finished ingest batch of the unit that stored these documents."""
    with archive.catalog.session() as s:
        docs = [s.get(Document, d) for d in doc_ids]
        batch_id = add_batch(s, [d for d in docs if d is not None])
        s.flush()
        batch = s.get(IngestBatch, batch_id)
        assert batch is not None
        batch.report = {"unit": unit, "total": len(docs), "uploaded_by": "scanner",
                        "source": "web"}
        for doc in docs:
            assert doc is not None
            doc.batch_id = batch_id
        return batch_id


# --- objects through the API, made by the side's own staff ---------------------------------


def fresh_correction(w: World, side: Side) -> int:
    r = w.call("POST", f"{API}/me/corrections", side.owner, expect=201, data=CORRECTION,
               files=[("files", ("หลักฐาน.pdf", tiny_pdf("evidence"), "application/pdf"))])
    return int(r.json()["id"])


def fresh_hold(w: World, side: Side) -> int:
    r = w.call("POST", f"{API}/holds", side.staff["data_controller"], expect=201,
               json={"citizen_id": side.cid, "reason": "อยู่ระหว่างการสอบสวน",
                     "authority": "คำสั่งศาลปกครอง ที่ 1/2569"})
    return int(r.json()["hold_id"])


def fresh_proposal(w: World, side: Side) -> str:
    r = w.call("POST", f"{API}/retention/proposals", side.staff["records_manager"], expect=201,
               json={"review_id": side.review})
    return str(r.json()["proposal_id"])


def fresh_paper_list(w: World, side: Side) -> str:
    r = w.call("POST", f"{API}/retention/paper-lists", side.staff["records_manager"],
               expect=201, json={"batch_id": side.batch})
    return str(r.json()["list_id"])


def fresh_user(w: World, side: Side) -> int:
    r = w.call("POST", f"{API}/users", side.staff["access_controller"], expect=201,
               json={"username": f"t-{uuid.uuid4().hex[:12]}", "display_name": "ผู้ใช้ทดสอบ",
                     "unit": side.unit})
    return int(r.json()["id"])


def fresh_grant(w: World, side: Side) -> int:
    r = w.call("POST", f"{API}/users/{side.target_user}/grants",
               side.staff["access_controller"], expect=201,
               json={"role": "certifier", "unit": side.unit})
    return int(r.json()["id"])


def fresh_token(w: World, caller: Caller) -> int:
    r = w.call("POST", f"{API}/tokens", caller, expect=201, json={"name": "ชั่วคราว"})
    return int(r.json()["id"])


def _retention(w: World, side: Side, old_docs: list[str]) -> None:
    """Review -> proposal -> order (another person) -> executed with a certificate; then a
    second proposal left open, and a paper destruction list of the side's batch. Before the
    order runs, a paper list of the scans of the owners it destroys."""
    rm, dc = side.staff["records_manager"], side.staff["data_controller"]
    r = w.call("POST", f"{API}/retention/paper-lists", rm, expect=201,
               json={"batch_id": _batch(w.archive, side.unit, *old_docs)})
    side.gone_list = r.json()["list_id"]
    r = w.call("POST", f"{API}/retention/reviews", rm, expect=201, json={"as_of": AS_OF})
    side.review = r.json()["review_id"]
    assert r.json()["eligible"], "the side needs someone eligible for destruction"
    executed = fresh_proposal(w, side)
    r = w.call("POST", f"{API}/retention/proposals/{executed}/approve", dc, expect=200,
               json={"necessity": "space", "reason": "พื้นที่จัดเก็บเต็ม", "order_ref": "9/2569"})
    side.order = r.json()["order"]["order_id"]
    r = w.call("POST", f"{API}/retention/orders/{side.order}/execute", dc, expect=200)
    assert r.json()["certificate"] is True
    side.proposal = fresh_proposal(w, side)
    side.paper_list = fresh_paper_list(w, side)


def _side(w: World, name: str, cid: str, staff: dict[str, Caller], owner: Caller,
          old_docs: list[str]) -> Side:
    archive = w.archive
    doc = _filed_document(archive, name, cid)
    entry_id = f"E-{name}-{uuid.uuid4().hex[:6]}"
    with archive.catalog.session() as s:
        document = s.get(Document, doc)
        assert document is not None
        add_entry(s, _person(s, cid), entry_id, effective_on=date(2025, 5, 1),
                  order_ref=ORDER_NO[name], documents=[document], title="แต่งตั้ง")
    unit = UNIT_A if name == "A" else UNIT_B
    side = Side(name=name, unit=unit, cid=cid, doc=doc, entry=entry_id, draft="",
                review_item=_review_item(archive, name, cid), batch=_batch(archive, unit, doc),
                owner=owner, staff=staff)
    side.draft = fresh_draft(w, side)
    side.correction = fresh_correction(w, side)
    side.hold = fresh_hold(w, side)
    r = w.call("GET", f"{API}/persons/{cid}/record.pdf", staff["registrar"], expect=200)
    side.printout = r.headers["X-Tabian-Printout"]
    side.target_user = fresh_user(w, side)
    side.grant = fresh_grant(w, side)
    side.owner_token = fresh_token(w, owner)
    _retention(w, side, old_docs)
    return side


@contextmanager
def build_world(tmp: Path) -> Iterator[World]:
    """The archive (sample registry + the matrix's objects), the app and every caller."""
    archive = open_archive(load_settings(tmp / "data"))
    with archive.catalog.session() as s:
        registry.import_persons(s, SAMPLE / "persons.csv")
    with archive.catalog.session() as s:
        registry.import_entries(s, SAMPLE / "entries.csv")
    add_person(archive, P, "นาย", "ปกรณ์", "สิทธิ์ทดสอบ", unit=SCHOOL["A"])
    add_person(archive, Q, "นางสาว", "ขวัญใจ", "นอกขอบเขต", unit=SCHOOL["B"])
    add_person(archive, P2, "นาง", "สมใจ", "ยังไม่มีบัญชี", unit=SCHOOL["A"])
    old: dict[str, list[str]] = {"A": [], "B": []}
    with archive.catalog.session() as s:  # records old enough to destroy, on each side
        for name, cid in (("A", A_OLDEST), ("A", A_NEXT), ("B", B_PERSON)):
            old[name].append(add_document(s, archive.store, [_person(s, cid)], size=2000).id)
    callers = Callers(archive)
    matrix: dict[str, Caller | None] = {
        "anonymous": None,
        "owner": callers.make(owner_of=P, username="a-owner"),
        "recorder": callers.make(Role.RECORDER, person=P, username="a-recorder"),
    }
    for role in ROLES[3:]:
        matrix[role] = callers.make(Role(role), unit=UNIT_A, username=f"a-{role}")
    b_staff = {role: callers.make(Role(role), unit=UNIT_B, username=f"b-{role}")
               for role in ("registrar", "data_controller", "access_controller",
                            "records_manager")}
    a_staff = {role: c for role, c in matrix.items() if c is not None}
    app = create_app(archive.settings, archive=archive)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            w = World(archive, client, matrix)
            w.a = _side(w, "A", P, a_staff, a_staff["owner"], old["A"])
            w.b = _side(w, "B", Q, b_staff, callers.make(owner_of=Q, username="b-owner"),
                        old["B"])
            yield w
            RUNNER.wait_idle()
    finally:
        archive.close()
