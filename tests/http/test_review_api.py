"""The review queue through the API and pages: scope decides who sees and files what."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import (
    AuditEvent,
    Document,
    DocumentEntry,
    DocumentPerson,
    Person,
    RecordEntry,
)
from archive.catalog.review import ReviewItem
from archive.documents import ObjectSource, object_key, write_objects
from tests.http.conftest import Callers, person_in, sample_units
from tests.ingest.pages import write_scan_pdf
from tests.search.archive_docs import store_document

TEXT = "หนังสือรับรองความประพฤติ ให้ไว้เพื่อรับรองว่าเป็นผู้มีความประพฤติดี"


def _name(archive: Archive, cid: str) -> str:
    with archive.catalog.session() as s:
        p = s.scalars(select(Person).where(Person.citizen_id == cid)).one()
        return f"{p.prefix}{p.first_name} {p.last_name}"


def review_document(archive: Archive, *, candidates: list[str], category: str | None = "other",
                    linked: list[str] | None = None, folder_hint: str | None = None,
                    pdf: Path | None = None) -> tuple[str, int]:
    """A stored document waiting in the queue, as ingest leaves one (no OCR needed)."""
    persons = [(c, "candidate") for c in candidates] + [(c, "linked") for c in linked or []]
    doc_id = store_document(archive, TEXT, name="scan.pdf", category=category, persons=persons)
    names = {c: _name(archive, c) for c in candidates}
    with archive.catalog.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        doc.link, doc.folder_hint = ("linked" if linked else "needs_review"), folder_hint
        if pdf is not None:
            doc.objects.extend(write_objects(archive.store, [ObjectSource(
                "archive", object_key(doc.sha256, "archive"), path=pdf)]))
        item = ReviewItem(
            document_id=doc_id, state="open", reasons=["owner_uncertain"],
            candidates=[{"citizen_id": c, "name": names[c], "confidence": 0.71,
                         "points": 4.9, "reasons": [{"kind": "name_fuzzy"}]}
                        for c in candidates],
            proposal={"categories": [{"category": category, "probability": 0.8}],
                      "entries": [], "draft": None, "draft_basis": None},
            created_at=datetime.now(UTC))
        s.add(item)
        s.flush()
        return doc_id, item.id


def _owners(archive: Archive, doc_id: str) -> list[tuple[str, str]]:
    with archive.catalog.session() as s:
        return sorted(s.execute(select(Person.citizen_id, DocumentPerson.state).join(
            DocumentPerson, DocumentPerson.person_id == Person.id).where(
            DocumentPerson.document_id == doc_id)).all())


@pytest.fixture
def two_units(archive: Archive) -> tuple[str, str, str, str]:
    units = [u for u in sample_units(archive) if person_in(archive, u)]
    a = units[0]
    b = next(u for u in units if u.split(" > ")[0] != a.split(" > ")[0])
    return a, b, person_in(archive, a), person_in(archive, b)


def test_queue_shows_only_items_in_scope(client: TestClient, callers: Callers, archive: Archive,
                                         two_units: tuple[str, str, str, str]) -> None:
    unit_a, unit_b, cid_a, cid_b = two_units
    _, mine = review_document(archive, candidates=[cid_a])
    _, theirs = review_document(archive, candidates=[cid_b])
    _, nobody = review_document(archive, candidates=[])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    items = client.get("/api/v1/review", headers=registrar.headers).json()["items"]
    # a unit-level registrar also sees the items that concern no one yet
    assert [i["item"] for i in items] == [mine, nobody]
    assert items[0]["candidates"][0]["citizen_id"] == cid_a
    assert client.get(f"/api/v1/review/{theirs}", headers=registrar.headers).status_code == 404
    for verb in ("accept", "reject"):
        r = client.post(f"/api/v1/review/{theirs}/{verb}", headers=registrar.headers, json={})
        assert r.status_code == 404
    # a registrar assigned one person sees that person's items only
    assigned = callers.make(Role.REGISTRAR, person=cid_b)
    items = client.get("/api/v1/review", headers=assigned.headers).json()["items"]
    assert [i["item"] for i in items] == [theirs]
    # roles without RESOLVE_REVIEW are refused outright
    for role in (Role.DIGITIZER, Role.CERTIFIER, Role.RECORDER, Role.DATA_CONTROLLER):
        other = callers.make(role, unit=unit_a)
        assert client.get("/api/v1/review", headers=other.headers).status_code == 403
    assert client.get("/api/v1/review").status_code == 401
    assert client.get("/api/v1/review", params={"state": "x"},
                      headers=registrar.headers).status_code == 400


def test_accept_files_the_document_and_is_audited(
        client: TestClient, callers: Callers, archive: Archive,
        two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, _ = two_units
    doc_id, item = review_document(archive, candidates=[cid_a])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    shown = client.get(f"/api/v1/review/{item}", headers=registrar.headers).json()
    assert shown["candidates"][0]["in_scope"] is True and shown["state"] == "open"
    r = client.post(f"/api/v1/review/{item}/accept", headers=registrar.headers)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "accepted"
    assert _owners(archive, doc_id) == [(cid_a, "linked")]
    again = client.post(f"/api/v1/review/{item}/accept", headers=registrar.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    with archive.catalog.session() as s:
        actions = {(e.action, e.actor) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.subject == f"document:{doc_id}"))}
    who = f"user:{registrar.username}"
    assert {("document.read", who), ("review.accept", who)} <= actions


def test_accept_needs_every_candidate_in_scope(client: TestClient, callers: Callers,
                                               archive: Archive,
                                               two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, cid_b = two_units
    doc_id, item = review_document(archive, candidates=[cid_a, cid_b])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    r = client.post(f"/api/v1/review/{item}/accept", headers=registrar.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "person_out_of_scope"
    assert _owners(archive, doc_id) == sorted([(cid_a, "candidate"), (cid_b, "candidate")])
    # the registrar may still file it to their own person only
    r = client.post(f"/api/v1/review/{item}/correct", headers=registrar.headers,
                    json={"citizen_ids": [cid_a]})
    assert r.status_code == 200, r.text
    assert _owners(archive, doc_id) == [(cid_a, "linked")]


def test_correct_checks_scope_of_every_new_owner(client: TestClient, callers: Callers,
                                                 archive: Archive,
                                                 two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, cid_b = two_units
    doc_id, item = review_document(archive, candidates=[cid_a])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    url = f"/api/v1/review/{item}/correct"
    # filing into a person outside the scope (or unknown) is refused, nothing changes
    for body, status, code in (
        ({"citizen_ids": [cid_b]}, 403, "person_out_of_scope"),
        ({"citizen_ids": ["1111111111119"]}, 403, "person_out_of_scope"),
        ({"citizen_ids": ["123"]}, 400, "bad_citizen_id"),
        ({"category": "nope"}, 400, "unknown_category"),
        ({}, 400, "nothing_to_correct"),
        ({"citizen_ids": [cid_a], "entry_ids": ["E-NOPE"]}, 400, "entry_not_owned"),
    ):
        r = client.post(url, headers=registrar.headers, json=body)
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), body
    assert _owners(archive, doc_id) == [(cid_a, "candidate")]
    # a good correction: category, owner and the entry the document proves
    with archive.catalog.session() as s:
        entry_id = s.scalars(select(RecordEntry.entry_id).join(
            Person, Person.id == RecordEntry.person_id).where(Person.citizen_id == cid_a)).first()
    body = {"category": "appointment", "citizen_ids": [cid_a], "note": "ตรวจแล้ว"}
    if entry_id:
        body["entry_ids"] = [entry_id]
    r = client.post(url, headers=registrar.headers, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "corrected"
    with archive.catalog.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and (doc.category, doc.link) == ("appointment", "linked")
        linked = list(s.scalars(select(RecordEntry.entry_id).join(
            DocumentEntry, DocumentEntry.entry_pk == RecordEntry.id).where(
            DocumentEntry.document_id == doc_id)))
    assert linked == ([entry_id] if entry_id else [])


def test_reject_unfiles_and_keeps_the_document(client: TestClient, callers: Callers,
                                               archive: Archive,
                                               two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, _ = two_units
    doc_id, item = review_document(archive, candidates=[cid_a])
    registrar = callers.make(Role.REGISTRAR, person=cid_a)
    r = client.post(f"/api/v1/review/{item}/reject", headers=registrar.headers,
                    json={"note": "ไม่ใช่ของบุคคลนี้"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert _owners(archive, doc_id) == []
    assert r.json()["decision"]["note"] == "ไม่ใช่ของบุคคลนี้"


def test_reject_cannot_take_a_document_from_an_owner_out_of_scope(
        client: TestClient, callers: Callers, archive: Archive,
        two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, cid_b = two_units
    # GIVEN a document already filed to B's person, reopened with A's person proposed
    doc_id, item = review_document(archive, candidates=[cid_a], linked=[cid_b])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    r = client.post(f"/api/v1/review/{item}/reject", headers=registrar.headers, json={})
    assert r.status_code == 403
    assert (cid_b, "linked") in _owners(archive, doc_id)


def test_page_image_for_readers_and_reviewers(client: TestClient, callers: Callers,
                                              archive: Archive, tmp_path: Path,
                                              two_units: tuple[str, str, str, str]) -> None:
    unit_a, unit_b, cid_a, _ = two_units
    pdf = write_scan_pdf(tmp_path / "p.pdf", ["คำสั่งแต่งตั้ง"], dpi=150)
    doc_id, _item = review_document(archive, candidates=[cid_a], pdf=pdf)
    reviewer = callers.make(Role.REGISTRAR, unit=unit_a)
    url = f"/api/v1/documents/{doc_id}/pages/1.png"
    r = client.get(url, headers=reviewer.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    assert list((archive.settings.data_dir / "cache" / "pages").rglob("*.png"))
    assert client.get(url, headers=reviewer.headers).content == r.content  # from the cache
    # a candidate link opens no record: a certifier of A (READ_RECORD only) may not look
    for caller in (callers.make(Role.CERTIFIER, unit=unit_a),
                   callers.make(Role.REGISTRAR, unit=unit_b),
                   callers.make(Role.DIGITIZER, unit=unit_a)):
        assert client.get(url, headers=caller.headers).status_code == 404
    assert client.get(f"/api/v1/documents/{doc_id}/pages/2.png",
                      headers=reviewer.headers).status_code == 404
    assert client.get("/api/v1/documents/nope/pages/1.png",
                      headers=reviewer.headers).status_code == 404
    with archive.catalog.session() as s:
        views = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "document.view_page")).all()
    assert len(views) == 2 and views[0].subject == f"document:{doc_id}"


def test_page_image_for_a_reader_of_the_linked_owner(client: TestClient, callers: Callers,
                                                     archive: Archive, tmp_path: Path,
                                                     two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, _ = two_units
    pdf = write_scan_pdf(tmp_path / "p.pdf", ["คำสั่งแต่งตั้ง"], dpi=150)
    doc_id, _item = review_document(archive, candidates=[], linked=[cid_a], pdf=pdf)
    owner = callers.make(owner_of=cid_a)
    assert client.get(f"/api/v1/documents/{doc_id}/pages/1.png",
                      headers=owner.headers).status_code == 200


def test_review_pages(client: TestClient, callers: Callers, archive: Archive, tmp_path: Path,
                      two_units: tuple[str, str, str, str]) -> None:
    unit_a, _b, cid_a, cid_b = two_units
    pdf = write_scan_pdf(tmp_path / "p.pdf", ["คำสั่งแต่งตั้ง"], dpi=150)
    doc_id, item = review_document(archive, candidates=[cid_a], pdf=pdf)
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    h = registrar.headers
    listing = client.get("/review", headers=h)
    assert listing.status_code == 200 and f'href="/review/{item}"' in listing.text
    page = client.get(f"/review/{item}", headers=h)
    assert page.status_code == 200
    assert f"/api/v1/documents/{doc_id}/pages/1.png" in page.text
    assert _name(archive, cid_a) in page.text and 'for="citizen_ids"' in page.text
    # a refused correction shows the reason on the page and changes nothing
    r = client.post(f"/review/{item}/correct", headers=h, data={"citizen_ids": cid_b})
    assert r.status_code == 403 and "นอกขอบเขต" in r.text
    r = client.post(f"/review/{item}/accept", headers=h, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review?done={item}"
    assert _owners(archive, doc_id) == [(cid_a, "linked")]
    assert "ยืนยันแล้ว" in client.get(f"/review/{item}", headers=h).text
