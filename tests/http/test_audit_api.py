"""The audit log through the API: only events about the controller's records (and their own),
filters, paging, and the hash-chain check that notices an edited event."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.access import Role
from archive import audit
from archive.archive import Archive
from archive.catalog.models import AuditEvent
from tests.http.conftest import Caller, Callers
from tests.http.retention_records import (
    A_NEXT,
    A_OLDEST,
    AS_OF,
    B_PERSON,
    UNIT_A,
    UNIT_B,
    give_documents,
)

HOLD = {"reason": "คดีความ", "authority": "ศาลปกครองกลาง"}


def _events(client: TestClient, caller: Caller, **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/audit", params=params, headers=caller.headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def trail(client: TestClient, callers: Callers, archive: Archive) -> dict[str, Any]:
    """Events about unit A and unit B: holds, document reads, a review and a proposal."""
    docs = give_documents(archive)
    controller_a = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    controller_b = callers.make(Role.DATA_CONTROLLER, unit=UNIT_B)
    manager_a = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    client.post("/api/v1/holds", json={"citizen_id": A_OLDEST, **HOLD},
                headers=controller_a.headers)
    client.post("/api/v1/holds", json={"citizen_id": B_PERSON, **HOLD},
                headers=controller_b.headers)
    with archive.catalog.session() as s:
        audit.append(s, action="document.read", subject=f"document:{docs[A_NEXT][0]}",
                     actor="user:reader")
        audit.append(s, action="document.read", subject=f"document:{docs[B_PERSON][0]}",
                     actor="user:reader")
    review = client.post("/api/v1/retention/reviews", json={"as_of": AS_OF},
                         headers=manager_a.headers).json()
    proposal = client.post("/api/v1/retention/proposals", json={"review_id": review["review_id"]},
                           headers=manager_a.headers).json()
    return {"docs": docs, "review_id": review["review_id"],
            "proposal_id": proposal["proposal_id"], "controller_a": controller_a}


def test_a_controller_sees_events_about_their_units_records_only(
        client: TestClient, callers: Callers, trail: dict[str, Any]) -> None:
    # GIVEN another data controller of unit A, who has done nothing yet
    auditor = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    subjects = {e["subject"] for e in _events(client, auditor)["events"]}
    # THEN unit A's person, document and retention lists are there, unit B's are not
    assert f"person:{A_OLDEST}" in subjects
    assert f"document:{trail['docs'][A_NEXT][0]}" in subjects
    assert f"retention_review:{trail['review_id']}" in subjects
    assert f"destruction_proposal:{trail['proposal_id']}" in subjects
    assert f"person:{B_PERSON}" not in subjects
    assert f"document:{trail['docs'][B_PERSON][0]}" not in subjects
    # AND reading the log was itself recorded, and shows as the caller's own event
    own = _events(client, auditor, action="audit")["events"]
    assert own and all(e["actor"] == f"user:{auditor.username}" for e in own)


def test_filters_and_paging(client: TestClient, callers: Callers,
                            trail: dict[str, Any]) -> None:
    auditor = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    holds = _events(client, auditor, action="retention.hold")
    assert [(e["action"], e["subject"]) for e in holds["events"]] == [
        ("retention.hold.place", f"person:{A_OLDEST}")]
    assert holds["events"][0]["details"]["authority"] == HOLD["authority"]
    by_actor = _events(client, auditor, actor=f"user:{trail['controller_a'].username}")
    assert {e["action"] for e in by_actor["events"]} == {"retention.hold.place"}
    by_subject = _events(client, auditor, subject=f"retention_review:{trail['review_id']}")
    assert [e["action"] for e in by_subject["events"]] == ["retention.review.save"]
    first = _events(client, auditor, action="retention", limit=1)
    second = _events(client, auditor, action="retention", limit=1, offset=1)
    assert first["total"] == second["total"] >= 3
    assert first["events"][0]["seq"] > second["events"][0]["seq"]  # newest first
    assert _events(client, auditor, since="2100-01-01", action="retention")["total"] == 0
    assert _events(client, auditor, until="2000-01-01")["total"] == 0
    today = _events(client, auditor, since="2020-01-01", until="2100-12-31",
                    action="retention")
    assert today["total"] == first["total"]
    r = client.get("/api/v1/audit", params={"since": "yesterday"}, headers=auditor.headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_date"
    r = client.get("/api/v1/audit", params={"limit": 0}, headers=auditor.headers)
    assert r.status_code == 422


def test_the_chain_check_reports_intact_then_edited(
        client: TestClient, callers: Callers, archive: Archive,
        trail: dict[str, Any]) -> None:
    auditor = callers.make(Role.DATA_CONTROLLER, unit=UNIT_A)
    r = client.get("/api/v1/audit/verify", headers=auditor.headers)
    assert r.status_code == 200
    assert (r.json()["ok"], r.json()["status_th"], r.json()["problems"]) == (
        True, "สมบูรณ์", [])
    # WHEN someone edits an event in the database behind Tabian's back
    with archive.catalog.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2)
                  .values(details='{"reason":"แก้ไขแล้ว"}'))
    body = client.get("/api/v1/audit/verify", headers=auditor.headers).json()
    # THEN the check says so
    assert (body["ok"], body["status"], body["status_th"]) == (False, "tampered", "ถูกแก้ไข")
    assert {"seq": 2, "kind": "edited", "kind_th": "เนื้อหาถูกแก้ไข"} in body["problems"]


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.DATA_CONTROLLER, Role.OWNER)]
                         + [None])
def test_only_data_controllers_read_the_audit_log(
        client: TestClient, callers: Callers, role: Role | None) -> None:
    caller = callers.make(role, unit=UNIT_A) if role else callers.make(owner_of=A_OLDEST)
    for path in ("/api/v1/audit", "/api/v1/audit/verify"):
        r = client.get(path, headers=caller.headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
