"""Reminders through the API: only the records manager's persons, with Thai labels."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import Unit
from tests.http.conftest import Callers
from tests.http.retention_records import A_OLDEST, UNIT_A, UNIT_B
from tests.retention.records import add_person, cid

APPOINTEE_A, APPOINTEE_B = cid(901), cid(902)


@pytest.fixture
def appointees(archive: Archive) -> None:
    """A new appointee in each unit, appointed 30 days before 1 June 2026, never certified."""
    with archive.catalog.session() as s:
        for citizen_id, path in ((APPOINTEE_A, UNIT_A), (APPOINTEE_B, UNIT_B)):
            person = add_person(s, citizen_id, status="active", left_service_on=None,
                                appointed_on=date(2026, 5, 2), birth_date=date(1995, 1, 1))
            person.unit_id = s.scalar(select(Unit.id).where(Unit.path == path))


def test_reminders_list_only_the_managers_persons(
        client: TestClient, callers: Callers, appointees: None) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    r = client.get("/api/v1/reminders", params={"as_of": "2026-06-01"}, headers=manager.headers)
    assert r.status_code == 200, r.text
    found = {(x["kind"], x["citizen_id"]) for x in r.json()["reminders"]}
    assert ("appointee_not_certified", APPOINTEE_A) in found
    assert all(c != APPOINTEE_B for _k, c in found)
    late = [x for x in r.json()["reminders"] if x["citizen_id"] == APPOINTEE_A][0]
    assert late["kind_th"].startswith("ผู้บรรจุใหม่") and late["deadline"] == "2026-05-17"
    only = client.get("/api/v1/reminders", params={"as_of": "2026-06-01", "kind": "retiring"},
                      headers=manager.headers).json()
    assert all(x["kind"] == "retiring" for x in only["reminders"])


def test_bad_reminder_requests(client: TestClient, callers: Callers) -> None:
    manager = callers.make(Role.RECORDS_MANAGER, unit=UNIT_A)
    for params, code in [({"kind": "nope"}, "bad_kind"), ({"as_of": "32/13/2569"}, "bad_date"),
                         ({"fiscal_year": 99999999999}, "bad_fiscal_year")]:
        r = client.get("/api/v1/reminders", params=params, headers=manager.headers)
        assert r.status_code == 400 and r.json()["error"]["code"] == code, params


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.RECORDS_MANAGER, Role.OWNER)]
                         + [None])
def test_only_records_managers_get_reminders(
        client: TestClient, callers: Callers, role: Role | None) -> None:
    caller = callers.make(role, unit=UNIT_A) if role else callers.make(owner_of=A_OLDEST)
    assert client.get("/api/v1/reminders", headers=caller.headers).status_code == 403
