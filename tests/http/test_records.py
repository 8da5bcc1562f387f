"""Persons and their records over HTTP: who sees which record (clause 6.1), the record laid out
like ก.ค.ศ.๑๖, entries written within one's sections, draft entries, and the audit of reads."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import DocumentEntry, DraftSource, Person, RecordEntry
from tests.http.conftest import Callers
from tests.http.record_docs import (
    NEIGHBOUR,
    OUTSIDER,
    OWNER,
    UNIT,
    Filed,
    audit_events,
    sign_in,
)


def _section(record: dict, slug: str) -> dict:
    return next(s for s in record["sections"] if s["section"] == slug)


def test_registrar_reads_the_assigned_record_laid_out_like_the_form(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    # GIVEN a registrar assigned one person
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    # WHEN they open the record
    r = client.get(f"/api/v1/persons/{OWNER}", headers=registrar.headers)
    # THEN the fixed items, the entries by section with their reference documents, and the
    # evidence grouped by the 16 categories are there
    assert r.status_code == 200
    rec = r.json()
    assert rec["full_name"] == "นางวาสนา ไชยวงศ์"
    assert rec["appointed_on"] == "2010-04-24" and rec["unit"].startswith(UNIT)
    assert [s["form_item"] for s in rec["sections"]] == list(range(15, 27))
    pos = _section(rec, "position_salary")["entries"]
    assert [e["entry_id"] for e in pos] == ["E000001", "E000002"]
    assert pos[0]["order_ref"] == "319/2553"
    assert [d["document_id"] for d in pos[0]["documents"]] == [filed.appointment]
    evidence = {g["slug"]: g for g in rec["evidence"]}
    assert len(rec["evidence"]) == 16
    assert evidence["appointment"]["count"] == 1  # the candidate is not filed yet
    assert evidence["education_training"]["documents"][0]["document_id"] == filed.training
    # AND the read is on the audit log under the registrar's name
    reads = audit_events(archive, "record.read")
    assert reads[-1].subject == f"person:{OWNER}" and reads[-1].actor == f"user:{registrar.username}"


def test_registrar_cannot_see_another_record_and_is_not_told_it_exists(
        client: TestClient, callers: Callers) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    for cid in (NEIGHBOUR, "1234567890121", "not-an-id"):
        r = client.get(f"/api/v1/persons/{cid}", headers=registrar.headers)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_person_list_is_the_callers_scope_with_search(
        client: TestClient, callers: Callers) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    certifier = callers.make(Role.CERTIFIER, unit=UNIT)
    body = client.get("/api/v1/persons", headers=registrar.headers).json()
    assert body["total"] == 1 and body["persons"][0]["citizen_id"] == OWNER
    unit_body = client.get("/api/v1/persons", headers=certifier.headers).json()
    cids = {p["citizen_id"] for p in unit_body["persons"]}
    assert {OWNER, NEIGHBOUR} <= cids and OUTSIDER not in cids
    assert all(p["unit"].startswith(UNIT) for p in unit_body["persons"])
    # by name, by part of a citizen ID written with Thai digits, by status
    found = client.get("/api/v1/persons", params={"q": "วาสนา"}, headers=certifier.headers)
    assert [p["citizen_id"] for p in found.json()["persons"]] == [OWNER]
    found = client.get("/api/v1/persons", params={"q": "๔๓๔๐๒๙"}, headers=certifier.headers)
    assert [p["citizen_id"] for p in found.json()["persons"]] == [OWNER]
    paged = client.get("/api/v1/persons", params={"limit": 1, "offset": 1},
                       headers=certifier.headers).json()
    assert paged["total"] == unit_body["total"] and len(paged["persons"]) == 1


def test_roles_without_record_rights_see_no_persons(client: TestClient,
                                                    callers: Callers) -> None:
    digitizer = callers.make(Role.DIGITIZER, unit=UNIT)
    assert client.get("/api/v1/persons", headers=digitizer.headers).status_code == 403
    assert client.get(f"/api/v1/persons/{OWNER}", headers=digitizer.headers).status_code == 404


def test_owner_sees_their_own_record_only(client: TestClient, callers: Callers,
                                          filed: Filed) -> None:
    owner = callers.make(owner_of=OWNER)
    assert client.get("/api/v1/me/record", headers=owner.headers).json()["citizen_id"] == OWNER
    assert client.get(f"/api/v1/persons/{OWNER}", headers=owner.headers).status_code == 200
    assert client.get(f"/api/v1/persons/{NEIGHBOUR}", headers=owner.headers).status_code == 404
    staff = callers.make(Role.CERTIFIER, unit=UNIT)
    assert client.get("/api/v1/me/record", headers=staff.headers).status_code == 404


def test_section_limited_recorder_sees_only_their_sections(
        client: TestClient, callers: Callers, filed: Filed) -> None:
    # GIVEN a recorder assigned the training items of one person
    recorder = callers.make(Role.RECORDER, person=OWNER, section="training")
    rec = client.get(f"/api/v1/persons/{OWNER}", headers=recorder.headers).json()
    # THEN only that section's entries, and only the evidence behind it, are shown
    assert rec["sections_limited"] is True
    assert [s["section"] for s in rec["sections"]] == ["training"]
    assert [e["entry_id"] for e in rec["sections"][0]["entries"]] == ["E000003"]
    shown = {d["document_id"] for g in rec["evidence"] for d in g["documents"]}
    assert shown == {filed.training}
    assert client.get(f"/api/v1/documents/{filed.appointment}",
                      headers=recorder.headers).status_code == 404


def test_entries_are_written_within_ones_sections_and_audited(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    recorder = callers.make(Role.RECORDER, person=OWNER, section="training")
    body = {"section": "training", "title": "อบรมการจัดการเรียนรู้", "effective_on": "2024-06-01",
            "order_ref": "๑๒/๒๕๖๗", "documents": [filed.training]}
    r = client.post(f"/api/v1/persons/{OWNER}/entries", json=body, headers=recorder.headers)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["order_ref"] == "12/2567" and made["documents"] == [filed.training]
    assert audit_events(archive, "entry.create")[-1].subject == f"entry:{made['entry_id']}"
    # a section not assigned to them is refused, as is moving the entry there
    other = dict(body, section="position_salary")
    r = client.post(f"/api/v1/persons/{OWNER}/entries", json=other, headers=recorder.headers)
    assert r.status_code == 403
    r = client.patch(f"/api/v1/entries/{made['entry_id']}", json={"section": "other"},
                     headers=recorder.headers)
    assert r.status_code == 403
    r = client.patch(f"/api/v1/entries/{made['entry_id']}", json={"title": "อบรม (แก้ไข)"},
                     headers=recorder.headers)
    assert r.status_code == 200 and r.json()["title"] == "อบรม (แก้ไข)"
    # a document not filed in this record cannot be its reference; a bad order number is clear
    r = client.post(f"/api/v1/persons/{OWNER}/entries", headers=recorder.headers,
                    json=dict(body, documents=[filed.outsider]))
    assert r.status_code == 400 and r.json()["error"]["code"] == "document_not_in_record"
    r = client.post(f"/api/v1/persons/{OWNER}/entries", headers=recorder.headers,
                    json=dict(body, order_ref="abc"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_order_ref"
    # a certifier reads but does not write; an outsider is not told the record exists
    certifier = callers.make(Role.CERTIFIER, unit=UNIT)
    assert client.post(f"/api/v1/persons/{OWNER}/entries", json=body,
                       headers=certifier.headers).status_code == 403
    stranger = callers.make(Role.REGISTRAR, person=OUTSIDER)
    assert client.post(f"/api/v1/persons/{OWNER}/entries", json=body,
                       headers=stranger.headers).status_code == 404
    assert client.patch(f"/api/v1/entries/{made['entry_id']}", json={"title": "x"},
                        headers=stranger.headers).status_code == 404


def _draft(archive: Archive, document_id: str) -> str:
    with archive.catalog.session() as s:
        person = s.scalar(select(Person).where(Person.citizen_id == OWNER))
        assert person is not None
        now = datetime.now(UTC)
        entry = RecordEntry(entry_id="draft-test-1", person_id=person.id,
                            section="position_salary", order_ref="77/2568",
                            title="เลื่อนเงินเดือน", state="draft", created_at=now, updated_at=now)
        s.add(entry)
        s.flush()
        s.add(DraftSource(entry_pk=entry.id, document_id=document_id, created_at=now))
        return entry.entry_id


def test_draft_entries_are_listed_in_scope_and_confirmed(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    entry_id = _draft(archive, filed.appointment)
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    trainer = callers.make(Role.RECORDER, person=OWNER, section="training")
    stranger = callers.make(Role.REGISTRAR, person=OUTSIDER)
    drafts = client.get("/api/v1/drafts", headers=registrar.headers).json()["drafts"]
    assert [d["entry_id"] for d in drafts] == [entry_id]
    assert drafts[0]["sources"][0]["document_id"] == filed.appointment
    assert client.get("/api/v1/drafts", headers=trainer.headers).json()["drafts"] == []
    assert client.get("/api/v1/drafts", headers=stranger.headers).json()["drafts"] == []
    assert client.post(f"/api/v1/drafts/{entry_id}/confirm",
                       headers=stranger.headers).status_code == 404
    r = client.post(f"/api/v1/drafts/{entry_id}/confirm", headers=registrar.headers)
    assert r.status_code == 200 and r.json()["state"] == "recorded"
    with archive.catalog.session() as s:
        entry = s.scalar(select(RecordEntry).where(RecordEntry.entry_id == entry_id))
        assert entry is not None and entry.state == "recorded"
        refs = s.scalars(select(DocumentEntry.document_id)
                         .where(DocumentEntry.entry_pk == entry.id)).all()
        assert refs == [filed.appointment]
    assert audit_events(archive, "entry.draft_confirm")[-1].subject == f"entry:{entry_id}"
    assert client.post(f"/api/v1/drafts/{entry_id}/discard",
                       headers=registrar.headers).status_code == 404


def test_record_pages_in_thai(client: TestClient, callers: Callers, archive: Archive,
                              filed: Filed) -> None:
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    csrf = sign_in(client, archive, registrar.username)
    listing = client.get("/persons")
    assert listing.status_code == 200 and "วาสนา" in listing.text and "สมเกียรติ" not in listing.text
    page = client.get(f"/persons/{OWNER}")
    assert page.status_code == 200
    for text in ("ส่วนที่ ๑", "ส่วนที่ ๒", "๒๔ เมษายน ๒๕๕๓", "๓๑๙/๒๕๕๓",
                 "พิมพ์ทะเบียนประวัติ (PDF)", f"/documents/{filed.appointment}",
                 "คำสั่งบรรจุและแต่งตั้ง"):
        assert text in page.text, text
    assert client.get(f"/persons/{OUTSIDER}").status_code == 404
    # the entry form records an entry and comes back to the record
    r = client.post(f"/persons/{OWNER}/entries", follow_redirects=False, data={
        "csrf": csrf, "section": "other", "title": "ได้รับมอบหมายเป็นวิทยากร",
        "effective_on": "2025-01-15", "order_ref": "5/2568"})
    assert r.status_code == 303
    assert "ได้รับมอบหมายเป็นวิทยากร" in client.get(r.headers["location"]).text
    r = client.post(f"/persons/{OWNER}/entries", data={
        "csrf": csrf, "section": "other", "title": "x", "order_ref": "not a ref"})
    assert r.status_code == 400 and "เลขที่คำสั่งไม่ถูกต้อง" in r.text


def test_the_drafts_page_confirms_a_draft_with_the_form(
        client: TestClient, callers: Callers, archive: Archive, filed: Filed) -> None:
    from tests.http.record_docs import sign_in

    # GIVEN a draft entry proposed from a scanned order, and its registrar signed in
    entry_id = _draft(archive, filed.appointment)
    registrar = callers.make(Role.REGISTRAR, person=OWNER)
    csrf = sign_in(client, archive, registrar.username)
    # WHEN they open the drafts page THEN the draft shows with its source scan
    html = client.get("/drafts").text
    assert "77/2568" in html or "๗๗/๒๕๖๘" in html
    assert f"/documents/{filed.appointment}" in html
    # AND a form post without the CSRF token is refused, with it the draft is recorded
    assert client.post(f"/drafts/{entry_id}/confirm").status_code == 403
    r = client.post(f"/drafts/{entry_id}/confirm", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    with archive.catalog.session() as s:
        entry = s.scalar(select(RecordEntry).where(RecordEntry.entry_id == entry_id))
        assert entry is not None and entry.state == "recorded"
