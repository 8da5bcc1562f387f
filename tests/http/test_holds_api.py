"""Legal holds through the API: placed and released by the data controller within scope, and
respected when an order is executed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.access import Role
from archive.archive import Archive
from tests.http.conftest import Callers
from tests.http.retention_records import (
    A_NEXT,
    A_OLDEST,
    AS_OF,
    B_PERSON,
    UNIT_A,
    UNIT_B,
    exists,
    give_documents,
)

HOLD = {"reason": "คดีความค้างอยู่ที่ศาลปกครอง", "authority": "หนังสือศาลปกครองกลาง ที่ 1/2569"}


@pytest.fixture
def docs(archive: Archive) -> dict[str, list[str]]:
    return give_documents(archive)


def test_a_hold_placed_before_execution_keeps_the_record(
        client: TestClient, callers: Callers, archive: Archive,
        docs: dict[str, list[str]]) -> None:
    # GIVEN an approved order for both of unit A's eligible owners
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    review = client.post("/api/v1/retention/reviews", json={"as_of": AS_OF},
                         headers=manager.headers).json()
    proposal = client.post("/api/v1/retention/proposals", json={"review_id": review["review_id"]},
                           headers=manager.headers).json()
    order = client.post(f"/api/v1/retention/proposals/{proposal['proposal_id']}/approve",
                        json={"necessity": "space", "reason": "พื้นที่เต็ม"},
                        headers=controller.headers).json()["order"]
    # WHEN a hold is placed on one of them before the order is carried out
    r = client.post("/api/v1/holds", json={"citizen_id": A_NEXT, **HOLD},
                    headers=controller.headers)
    assert r.status_code == 201, r.text
    assert r.json()["active"] and r.json()["placed_by"] == f"user:{controller.username}"
    done = client.post(f"/api/v1/retention/orders/{order['order_id']}/execute",
                       headers=controller.headers).json()
    # THEN the held record is skipped, with the reason, and kept
    assert [d["citizen_id"] for d in done["execution"]["destroyed"]] == [A_OLDEST]
    assert done["execution"]["skipped"] == [
        {"citizen_id": A_NEXT, "reason": "legal_hold", "reason_th": "มีการระงับการทำลาย"}]
    assert exists(archive, A_NEXT) and not exists(archive, A_OLDEST)
    # AND a later review reports it as excluded by the hold, in Thai
    later = client.post("/api/v1/retention/reviews", json={"as_of": AS_OF},
                        headers=manager.headers).json()
    assert [e for e in later["excluded"] if e["citizen_id"] == A_NEXT][0]["reason_th"] == (
        "ถูกระงับการทำลายตามกฎหมาย")


def test_holds_are_listed_and_released_with_reason_and_authority(
        client: TestClient, callers: Callers) -> None:
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    hold = client.post("/api/v1/holds", json={"citizen_id": "3-3006-67326-35-1", **HOLD},
                       headers=controller.headers).json()
    assert hold["citizen_id"] == A_OLDEST
    listed = client.get("/api/v1/holds", headers=controller.headers).json()
    assert [h["hold_id"] for h in listed] == [hold["hold_id"]] and listed[0]["full_name"]
    r = client.post(f"/api/v1/holds/{hold['hold_id']}/release",
                    json={"reason": "ศาลยกฟ้อง", "authority": ""}, headers=controller.headers)
    assert r.status_code == 422  # the authority is required
    r = client.post(f"/api/v1/holds/{hold['hold_id']}/release",
                    json={"reason": "ศาลยกฟ้อง", "authority": "คำพิพากษาศาลปกครองกลาง"},
                    headers=controller.headers)
    assert r.status_code == 200 and r.json()["active"] is False
    assert r.json()["release_authority"] == "คำพิพากษาศาลปกครองกลาง"
    again = client.post(f"/api/v1/holds/{hold['hold_id']}/release",
                        json={"reason": "x", "authority": "y"}, headers=controller.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_released"
    assert client.get("/api/v1/holds", headers=controller.headers).json() == []
    everything = client.get("/api/v1/holds?all=true", headers=controller.headers).json()
    assert [h["hold_id"] for h in everything] == [hold["hold_id"]]


def test_holds_stay_within_the_controllers_unit(client: TestClient, callers: Callers) -> None:
    controller_a = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    controller_b = callers.make(Role.DATA_CONTROLLER, unit=UNIT_B)
    hold_b = client.post("/api/v1/holds", json={"citizen_id": B_PERSON, **HOLD},
                         headers=controller_b.headers).json()
    # Unit A's controller can neither hold nor see nor release unit B's person.
    r = client.post("/api/v1/holds", json={"citizen_id": B_PERSON, **HOLD},
                    headers=controller_a.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/holds", headers=controller_a.headers).json() == []
    assert client.get(f"/api/v1/holds?citizen_id={B_PERSON}",
                      headers=controller_a.headers).json() == []
    r = client.post(f"/api/v1/holds/{hold_b['hold_id']}/release",
                    json={"reason": "x", "authority": "y"}, headers=controller_a.headers)
    assert r.status_code == 404


def test_bad_hold_requests_are_clear_errors(client: TestClient, callers: Callers) -> None:
    controller = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    r = client.post("/api/v1/holds", json={"citizen_id": "1234567890123", **HOLD},
                    headers=controller.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_citizen_id"
    r = client.post("/api/v1/holds", json={"citizen_id": A_OLDEST, "reason": " ",
                                           "authority": "ศาล"}, headers=controller.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    r = client.post("/api/v1/holds/999999/release", json={"reason": "x", "authority": "y"},
                    headers=controller.headers)
    assert r.status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.DATA_CONTROLLER, Role.OWNER)]
                         + [None])
def test_only_data_controllers_hold(client: TestClient, callers: Callers,
                                    role: Role | None) -> None:
    caller = callers.make(role, unit=UNIT_A) if role else callers.make(owner_of=A_OLDEST)
    assert client.get("/api/v1/holds", headers=caller.headers).status_code == 403
    r = client.post("/api/v1/holds", json={"citizen_id": A_OLDEST, **HOLD},
                    headers=caller.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.post("/api/v1/holds/1/release", json={"reason": "x", "authority": "y"},
                       headers=caller.headers).status_code == 403
