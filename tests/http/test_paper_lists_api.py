"""Paper destruction lists through the API: made from a batch, decided by the committee, kept
as CSV and PDF; limited to the records manager's persons."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import Person
from tests.http.conftest import Callers
from tests.http.retention_records import A_NEXT, A_OLDEST, B_PERSON, UNIT_A, UNIT_B
from tests.retention.records import add_batch, add_document

API = "/api/v1/retention/paper-lists"


def _batch(archive: Archive, *citizen_ids: str) -> str:
    with archive.catalog.session() as s:
        persons = [s.scalar(select(Person).where(Person.citizen_id == c)) for c in citizen_ids]
        docs = [add_document(s, archive.store, [p], size=1500) for p in persons if p]
        return add_batch(s, docs, rejected=1)


def test_a_paper_list_is_made_decided_and_downloaded(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    batch_id = _batch(archive, A_OLDEST, A_NEXT)
    r = client.post(API, json={"batch_id": batch_id}, headers=manager.headers)
    assert r.status_code == 201, r.text
    made = r.json()
    assert [i["no"] for i in made["items"]] == [1, 2] and made["state"] == "awaiting_decision"
    assert made["excluded"][0]["reason"] == "rejected" and made["excluded"][0]["reason_th"]
    list_id = made["list_id"]
    assert [x["list_id"] for x in client.get(API, headers=manager.headers).json()] == [list_id]
    # A committee of two is not a committee.
    r = client.post(f"{API}/{list_id}/decide", json={"committee": ["ก", "ข"]},
                    headers=manager.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "committee_too_small"
    r = client.post(f"{API}/{list_id}/decide", headers=manager.headers, json={
        "committee": ["นายประธาน", "นางกรรมการ", "นายเลขา"], "meeting_ref": "ครั้งที่ 1/2569",
        "keep": {"2": "ยังใช้อ้างอิงคดี"}})
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["state"] == "decided"
    assert [i["decision"] for i in decided["items"]] == ["destroy", "keep"]
    again = client.post(f"{API}/{list_id}/decide", headers=manager.headers,
                        json={"committee": ["ก", "ข", "ค"]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    csv = client.get(f"{API}/{list_id}.csv", headers=manager.headers)
    assert csv.status_code == 200 and "ลำดับที่" in csv.content.decode("utf-8-sig")
    pdf = client.get(f"{API}/{list_id}.pdf", headers=manager.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_paper_lists_stay_within_the_unit(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    manager_a = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    manager_b = callers.make(Role.RECORDS_MANAGER, unit=UNIT_B)
    mixed = _batch(archive, A_OLDEST, B_PERSON)
    r = client.post(API, json={"batch_id": mixed}, headers=manager_a.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    list_id = client.post(API, json={"batch_id": _batch(archive, A_OLDEST)},
                          headers=manager_a.headers).json()["list_id"]
    assert client.get(API, headers=manager_b.headers).json() == []
    for path in (f"{API}/{list_id}", f"{API}/{list_id}.pdf"):
        assert client.get(path, headers=manager_b.headers).status_code == 404
    r = client.post(f"{API}/{list_id}/decide", json={"committee": ["ก", "ข", "ค"]},
                    headers=manager_b.headers)
    assert r.status_code == 404
    assert client.post(API, json={"batch_id": "nope"},
                       headers=manager_a.headers).status_code == 404
