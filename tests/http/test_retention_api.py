"""Retention through the API: review -> proposal -> order (another person) -> execution ->
certificate, within the callers' units, with separation of duties and stable error codes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.access import Role
from api.access.accounts import grant
from archive.archive import Archive
from archive.catalog import User
from tests.http.conftest import Caller, Callers
from tests.http.retention_records import (
    A_NEXT,
    A_OLDEST,
    A_SUSPENDED,
    AS_OF,
    B_PERSON,
    UNIT_A,
    UNIT_B,
    exists,
    give_documents,
)

API = "/api/v1/retention"


@pytest.fixture
def docs(archive: Archive) -> dict[str, list[str]]:
    return give_documents(archive)


def _review(client: TestClient, caller: Caller, **body: Any) -> dict[str, Any]:
    r = client.post(f"{API}/reviews", json={"as_of": AS_OF, **body}, headers=caller.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _proposal(client: TestClient, caller: Caller, review_id: str, **body: Any) -> dict[str, Any]:
    r = client.post(f"{API}/proposals", json={"review_id": review_id, **body},
                    headers=caller.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _approve(client: TestClient, caller: Caller, proposal_id: str) -> Any:
    return client.post(f"{API}/proposals/{proposal_id}/approve", headers=caller.headers,
                       json={"necessity": "space", "reason": "พื้นที่จัดเก็บเต็ม",
                             "order_ref": "12/2569"})


def test_review_to_certificate_through_the_api(
        client: TestClient, callers: Callers, archive: Archive, docs: dict[str, list[str]]) -> None:
    # GIVEN a records manager and a data controller of unit A
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    # WHEN the records manager runs a review
    review = _review(client, manager)
    # THEN unit A's owners are eligible oldest first, the suspended one excluded in Thai
    assert [e["citizen_id"] for e in review["eligible"]] == [A_OLDEST, A_NEXT]
    assert all(e["documents"] == 2 and e["bytes"] > 0 for e in review["eligible"])
    assert review["excluded"] == [{"citizen_id": A_SUSPENDED, "reason": "suspended",
                                   "reason_th": "พักราชการ", "full_name": "นายสมชาย ใจดี"}]
    assert review["eligible"][0]["full_name"]
    assert B_PERSON not in str(review)
    assert [r["review_id"] for r in client.get(f"{API}/reviews",
                                               headers=manager.headers).json()] == [
        review["review_id"]]
    # WHEN they propose it and the data controller approves it
    proposal = _proposal(client, manager, review["review_id"])
    assert proposal["state"] == "proposed"
    r = _approve(client, controller, proposal["proposal_id"])
    assert r.status_code == 200, r.text
    order = r.json()["order"]
    assert (order["state"], order["approved_by"]) == ("approved", f"user:{controller.username}")
    # AND executes the order
    r = client.post(f"{API}/orders/{order['order_id']}/execute", headers=controller.headers)
    assert r.status_code == 200, r.text
    done = r.json()
    # THEN both records are gone, unit B's is not, and a certificate was issued
    assert done["state"] == "executed" and done["certificate"] is True
    assert [d["citizen_id"] for d in done["execution"]["destroyed"]] == [A_OLDEST, A_NEXT]
    assert done["execution"]["documents_destroyed"] == 4
    assert not exists(archive, A_OLDEST) and not exists(archive, A_NEXT)
    assert exists(archive, B_PERSON)
    certs = client.get(f"{API}/certificates", headers=controller.headers).json()
    assert [c["order_id"] for c in certs] == [order["order_id"]]
    cert = client.get(f"{API}/certificates/{order['order_id']}", headers=controller.headers)
    assert cert.status_code == 200
    assert cert.json()["certificate"]["totals"]["persons_destroyed"] == 2
    pdf = client.get(f"{API}/certificates/{order['order_id']}.pdf", headers=controller.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    # AND the proposal is still visible to its unit after its persons were destroyed
    seen = client.get(f"{API}/proposals/{proposal['proposal_id']}", headers=manager.headers)
    assert seen.status_code == 200 and seen.json()["order"]["state"] == "executed"
    # AND executing again changes nothing
    again = client.post(f"{API}/orders/{order['order_id']}/execute", headers=controller.headers)
    assert again.status_code == 200 and again.json()["state"] == "executed"


def test_free_bytes_takes_the_oldest_first_prefix(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    review = _review(client, manager, free_bytes=1)
    assert [e["citizen_id"] for e in review["eligible"]] == [A_OLDEST]
    assert review["target_met"] is True and review["all_eligible"] == 2


def test_a_proposal_can_pick_whom_to_propose(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    review = _review(client, manager)
    proposal = _proposal(client, manager, review["review_id"], citizen_ids=[A_NEXT])
    struck = {i["citizen_id"]: i["strike_reason"] for i in proposal["items"] if i["struck"]}
    assert list(struck) == [A_OLDEST] and struck[A_OLDEST]
    r = client.post(f"{API}/proposals", headers=manager.headers,
                    json={"review_id": review["review_id"], "citizen_ids": [B_PERSON]})
    assert r.status_code == 400 and r.json()["error"]["code"] == "not_on_review"


def test_the_proposer_cannot_approve_their_own_proposal(
        client: TestClient, callers: Callers, archive: Archive,
        docs: dict[str, list[str]]) -> None:
    # GIVEN a user who is both records manager and data controller of unit A
    both = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A, username="both")
    with archive.catalog.session() as s:
        user = s.query(User).filter_by(username="both").one()
        grant(s, user=user, role=Role.DATA_CONTROLLER, actor="test", unit_path=UNIT_A)
    proposal = _proposal(client, both, _review(client, both)["review_id"])
    # WHEN they approve their own proposal
    r = _approve(client, both, proposal["proposal_id"])
    # THEN it is refused with a code, and the proposal still waits
    assert r.status_code == 409 and r.json()["error"]["code"] == "proposer_cannot_approve"
    seen = client.get(f"{API}/proposals/{proposal['proposal_id']}", headers=both.headers)
    assert seen.json()["state"] == "proposed" and seen.json()["order"] is None


def test_a_records_manager_cannot_approve_or_execute(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    other_manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    proposal = _proposal(client, manager, _review(client, manager)["review_id"])
    r = _approve(client, other_manager, proposal["proposal_id"])
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.post(f"{API}/proposals/{proposal['proposal_id']}/reject",
                    json={"reason": "ไม่"}, headers=other_manager.headers)
    assert r.status_code == 403


def test_rejection_needs_a_reason_and_ends_the_proposal(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    pid = _proposal(client, manager, _review(client, manager)["review_id"])["proposal_id"]
    r = client.post(f"{API}/proposals/{pid}/reject", json={"reason": "   "},
                    headers=controller.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    r = client.post(f"{API}/proposals/{pid}/reject", json={"reason": "ยังมีคดีค้าง"},
                    headers=controller.headers)
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    r = _approve(client, controller, pid)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_decided"


def test_out_of_scope_persons_never_appear(
        client: TestClient, callers: Callers, archive: Archive,
        docs: dict[str, list[str]]) -> None:
    # GIVEN unit A's proposal, and the records manager and data controller of unit B
    manager_a = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    review_a = _review(client, manager_a)
    proposal_a = _proposal(client, manager_a, review_a["review_id"])
    manager_b = callers.make(Role.RECORDS_MANAGER, unit=UNIT_B)
    controller_b = callers.make(Role.DATA_CONTROLLER, unit=UNIT_B)
    # WHEN unit B reviews: only unit B's owner
    review_b = _review(client, manager_b)
    assert [e["citizen_id"] for e in review_b["eligible"]] == [B_PERSON]
    assert review_b["excluded"] == []
    # THEN unit A's review, proposal and order do not exist for unit B
    for caller in (manager_b, controller_b):
        listed = client.get(f"{API}/reviews", headers=caller.headers).json()
        assert [r["review_id"] for r in listed] == [review_b["review_id"]]
        assert client.get(f"{API}/proposals", headers=caller.headers).json() == []
        assert client.get(f"{API}/reviews/{review_a['review_id']}",
                          headers=caller.headers).status_code == 404
        assert client.get(f"{API}/proposals/{proposal_a['proposal_id']}",
                          headers=caller.headers).status_code == 404
    r = client.post(f"{API}/proposals", json={"review_id": review_a["review_id"]},
                    headers=manager_b.headers)
    assert r.status_code == 404
    r = _approve(client, controller_b, proposal_a["proposal_id"])
    assert r.status_code == 404
    # AND once unit A's data controller orders it, unit B cannot execute it
    controller_a = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    order_id = _approve(client, controller_a, proposal_a["proposal_id"]).json()["order"]["order_id"]
    r = client.post(f"{API}/orders/{order_id}/execute", headers=controller_b.headers)
    assert r.status_code == 404
    assert exists(archive, A_OLDEST)


def test_a_data_controller_of_a_sub_unit_cannot_order_the_whole_unit(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    proposal = _proposal(client, manager, _review(client, manager)["review_id"])
    school = callers.make(Role.DATA_CONTROLLER, unit=f"{UNIT_A} > โรงเรียนวัดสว่างอารมณ์")
    # The school's controller does not see a list that names another school's owner.
    assert _approve(client, school, proposal["proposal_id"]).status_code == 404


def test_bad_input_is_a_clear_error(
        client: TestClient, callers: Callers, docs: dict[str, list[str]]) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    for body, code in [({"as_of": "not a date"}, "bad_date"), ({"as_of": "0001-01-01"}, "bad_date"),
                       ({"as_of": AS_OF, "free_bytes": -1}, "invalid_request"), ({}, "invalid_request")]:
        r = client.post(f"{API}/reviews", json=body, headers=manager.headers)
        assert r.status_code in (400, 422) and r.json()["error"]["code"] == code, body
        assert r.json()["error"]["message"]
    # A Thai date with a Buddhist-era year works as well.
    assert client.post(f"{API}/reviews", json={"as_of": "๑/๖/๒๕๖๙"},
                       headers=manager.headers).json()["as_of"] == AS_OF
    r = client.post(f"{API}/proposals", json={"review_id": "nope"}, headers=manager.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.post(f"{API}/orders/nope/execute", headers=controller.headers)
    assert r.status_code == 404
    r = client.get(f"{API}/certificates/nope.pdf", headers=controller.headers)
    assert r.status_code == 404
    pid = _proposal(client, manager, _review(client, manager)["review_id"])["proposal_id"]
    r = client.post(f"{API}/proposals/{pid}/approve", headers=controller.headers,
                    json={"necessity": "storage", "reason": "x"})
    assert r.status_code == 422


NOT_MANAGER = [r for r in Role if r not in (Role.RECORDS_MANAGER, Role.OWNER)]
NOT_CONTROLLER = [r for r in Role if r not in (Role.DATA_CONTROLLER, Role.OWNER)]


def _caller(callers: Callers, role: Role | None) -> Caller:
    return callers.make(role, unit=UNIT_A) if role else callers.make(owner_of=A_OLDEST)


@pytest.mark.parametrize("role", [*NOT_MANAGER, None])
def test_only_records_managers_review_and_propose(
        client: TestClient, callers: Callers, role: Role | None) -> None:
    caller = _caller(callers, role)
    assert client.post(f"{API}/reviews", json={"as_of": AS_OF},
                       headers=caller.headers).status_code == 403
    assert client.post(f"{API}/proposals", json={"review_id": "x"},
                       headers=caller.headers).status_code == 403
    assert client.post(f"{API}/paper-lists", json={"batch_id": "x"},
                       headers=caller.headers).status_code == 403


@pytest.mark.parametrize("role", [*NOT_CONTROLLER, None])
def test_only_data_controllers_order_execute_and_certify(
        client: TestClient, callers: Callers, role: Role | None) -> None:
    caller = _caller(callers, role)
    for method, path, body in [
        ("post", "/proposals/x/approve", {"necessity": "space", "reason": "x"}),
        ("post", "/proposals/x/reject", {"reason": "x"}), ("post", "/orders/x/execute", None),
        ("get", "/certificates", None), ("get", "/certificates/x", None),
        ("get", "/certificates/x.pdf", None),
    ]:
        r = client.request(method.upper(), f"{API}{path}", json=body, headers=caller.headers)
        assert r.status_code == 403, (role, path)
        assert r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", [r for r in Role if r not in (
    Role.RECORDS_MANAGER, Role.DATA_CONTROLLER, Role.OWNER)] + [None])
def test_lists_need_a_retention_right(
        client: TestClient, callers: Callers, role: Role | None) -> None:
    caller = _caller(callers, role)
    for path in ("/reviews", "/reviews/x", "/proposals", "/proposals/x", "/orders", "/orders/x",
                 "/paper-lists", "/paper-lists/x", "/paper-lists/x.csv"):
        assert client.get(f"{API}{path}", headers=caller.headers).status_code == 403, path


def test_signed_out_callers_get_401(client: TestClient) -> None:
    r = client.post(f"{API}/reviews", json={"as_of": AS_OF})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
