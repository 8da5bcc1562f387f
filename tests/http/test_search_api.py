"""GET /api/v1/search and /search: hits only in the caller's scope, filters, audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import AuditEvent
from tests.http.conftest import Callers, person_in, sample_units
from tests.search.archive_docs import store_document

ORDER_A = "คำสั่งแต่งตั้ง ที่ ๑๒๓/๒๕๖๗ ให้ข้าราชการครูไปช่วยราชการ โรงเรียนบ้านหนองบัว"
ORDER_B = "คำสั่งแต่งตั้ง ที่ 123/2567 เรื่องเลื่อนเงินเดือน กลุ่มนโยบายและแผน"


def _two_units(archive: Archive) -> tuple[str, str, str, str]:
    """Two units in different offices, and one person in each."""
    units = sample_units(archive)
    a = next(u for u in units if person_in(archive, u))
    b = next(u for u in units if person_in(archive, u) and u.split(" > ")[0] != a.split(" > ")[0])
    return a, b, person_in(archive, a), person_in(archive, b)


def test_registrar_finds_only_documents_of_their_unit(client: TestClient, callers: Callers,
                                                      archive: Archive) -> None:
    # GIVEN one order in unit A and one in unit B, both about order 123/2567
    unit_a, unit_b, cid_a, cid_b = _two_units(archive)
    doc_a = store_document(archive, ORDER_A, name="a.pdf", category="appointment",
                           persons=[(cid_a, "linked")])
    doc_b = store_document(archive, ORDER_B, name="b.pdf", category="appointment",
                           persons=[(cid_b, "linked")])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    # WHEN the registrar of A searches the order number (Arabic digits)
    r = client.get("/api/v1/search", params={"q": "123/2567"}, headers=registrar.headers)
    # THEN only A's document comes back, with a marked snippet
    assert r.status_code == 200, r.text
    body = r.json()
    assert [h["document_id"] for h in body["hits"]] == [doc_a]
    assert body["total"] == 1 and body["total_exact"] is True
    assert "«" in body["hits"][0]["snippet"] and body["hits"][0]["citizen_ids"] == [cid_a]
    # AND B's document stays invisible, even asked for by its ID or its owner
    for params in ({"q": doc_b}, {"q": cid_b}, {"q": "เลื่อนเงินเดือน"},
                   {"q": "123/2567", "citizen_id": cid_b}, {"q": "123/2567", "unit": unit_b}):
        r = client.get("/api/v1/search", params=params, headers=registrar.headers)
        assert r.status_code == 200 and r.json()["hits"] == [], params


def test_owner_sees_only_own_documents(client: TestClient, callers: Callers,
                                       archive: Archive) -> None:
    _a, _b, cid_a, cid_b = _two_units(archive)
    mine = store_document(archive, ORDER_A, persons=[(cid_a, "linked")])
    store_document(archive, ORDER_B, persons=[(cid_b, "linked")])
    owner = callers.make(owner_of=cid_a)
    hits = client.get("/api/v1/search", params={"q": "คำสั่งแต่งตั้ง"},
                      headers=owner.headers).json()["hits"]
    assert [h["document_id"] for h in hits] == [mine]


def test_candidate_links_do_not_open_a_document(client: TestClient, callers: Callers,
                                                archive: Archive) -> None:
    # GIVEN a document only proposed (candidate) for a person of unit A
    unit_a, _b, cid_a, _cid_b = _two_units(archive)
    store_document(archive, ORDER_A, persons=[(cid_a, "candidate")])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    r = client.get("/api/v1/search", params={"q": "คำสั่งแต่งตั้ง"}, headers=registrar.headers)
    assert r.json()["hits"] == []


def test_filters_and_paging(client: TestClient, callers: Callers, archive: Archive) -> None:
    unit_a, _b, cid_a, _ = _two_units(archive)
    store_document(archive, ORDER_A, name="1.pdf", category="appointment",
                   persons=[(cid_a, "linked")])
    store_document(archive, ORDER_A + " ฉบับสำเนา", name="2.pdf", category="other",
                   persons=[(cid_a, "linked")])
    caller = callers.make(Role.CERTIFIER, unit=unit_a.split(" > ")[0])
    get = lambda **p: client.get("/api/v1/search", params={"q": "คำสั่งแต่งตั้ง", **p},  # noqa: E731
                                 headers=caller.headers)
    assert get().json()["total"] == 2
    assert [h["original_name"] for h in get(category="other").json()["hits"]] == ["2.pdf"]
    assert len(get(limit=1).json()["hits"]) == 1
    assert get(limit=1, offset=1).json()["hits"][0]["document_id"] != \
        get(limit=1).json()["hits"][0]["document_id"]
    assert get(citizen_id=cid_a).json()["total"] == 2
    assert get(**{"from": "2000-01-01", "to": "1/1/2600"}).json()["total"] == 2


def test_bad_input_is_400_with_code(client: TestClient, callers: Callers,
                                    archive: Archive) -> None:
    caller = callers.make(Role.CERTIFIER, unit=sample_units(archive)[0])
    cases = {"query_too_short": {"q": "ก"}, "unknown_category": {"q": "ครู", "category": "x"},
             "bad_citizen_id": {"q": "ครู", "citizen_id": "1234"},
             "bad_date": {"q": "ครู", "from": "32/13/2567"}}
    for code, params in cases.items():
        r = client.get("/api/v1/search", params=params, headers=caller.headers)
        assert r.status_code == 400, (code, r.text)
        assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    # control characters are dropped, not passed to the index
    assert client.get("/api/v1/search", params={"q": "ครู\x00ดี"},
                      headers=caller.headers).status_code == 200
    empty = client.get("/api/v1/search", headers=caller.headers)
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "query_too_short"
    assert client.get("/api/v1/search", params={"q": "ครู", "limit": 0},
                      headers=caller.headers).status_code == 422


def test_search_is_audited_and_needs_read_right(client: TestClient, callers: Callers,
                                                archive: Archive) -> None:
    unit_a, _b, cid_a, _ = _two_units(archive)
    store_document(archive, ORDER_A, persons=[(cid_a, "linked")])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    client.get("/api/v1/search", params={"q": "ช่วยราชการ"}, headers=registrar.headers)
    with archive.catalog.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "search")).one()
        assert event.actor == f"user:{registrar.username}" and "ช่วยราชการ" in event.details
    for role in (Role.DIGITIZER, Role.ACCESS_CONTROLLER, Role.RECORDS_MANAGER):
        other = callers.make(role, unit=unit_a)
        r = client.get("/api/v1/search", params={"q": "ช่วยราชการ"}, headers=other.headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/search", params={"q": "ครู"}).status_code == 401


def test_search_page_marks_hits_and_escapes_text(client: TestClient, callers: Callers,
                                                 archive: Archive) -> None:
    unit_a, _b, cid_a, _ = _two_units(archive)
    doc = store_document(archive, ORDER_A + " <script>alert(1)</script>", name="a.pdf",
                         category="appointment", persons=[(cid_a, "linked")])
    registrar = callers.make(Role.REGISTRAR, unit=unit_a)
    page = client.get("/search", params={"q": "ช่วยราชการ"}, headers=registrar.headers)
    assert page.status_code == 200
    assert "<mark>" in page.text and "<script>alert" not in page.text
    assert f'href="/documents/{doc}"' in page.text and f'href="/persons/{cid_a}"' in page.text
    assert 'for="q"' in page.text
    bad = client.get("/search", params={"q": "ก"}, headers=registrar.headers)
    assert bad.status_code == 200 and "อย่างน้อย" in bad.text
