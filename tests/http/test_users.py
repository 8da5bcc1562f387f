"""Users and rights through the API: the access controller works inside their own units only,
never on themselves; a new unit or position revokes everything at once; the fiscal-year
review confirms or revokes every right, on the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from api.access.accounts import now
from api.services.accounts_review import current_fiscal_year
from archive.archive import Archive
from archive.catalog import AuditEvent, Grant, User
from tests.http.conftest import PASSWORD, Caller, Callers, person_in

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุดรธานี เขต 1"
SCHOOL = f"{OFFICE} > โรงเรียนบ้านป่าตึง"
ELSEWHERE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง"


@pytest.fixture
def ac(callers: Callers) -> Caller:
    return callers.make(Role.ACCESS_CONTROLLER, unit=OFFICE, username="ac")


def _new_user(client: TestClient, ac: Caller, username: str, unit: str = SCHOOL,
              **extra: Any) -> dict[str, Any]:
    r = client.post("/api/v1/users", headers=ac.headers, json={
        "username": username, "display_name": f"ครู {username}", "unit": unit,
        "password": PASSWORD, "position": "ครู", **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _grant(client: TestClient, ac: Caller, user_id: int, **body: Any) -> httpx.Response:
    return client.post(f"/api/v1/users/{user_id}/grants", headers=ac.headers, json=body)


def _audit(archive: Archive, action: str) -> list[tuple[str, str, str]]:
    with archive.catalog.session() as s:
        return [(e.actor, e.subject, e.outcome) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def test_access_controller_creates_users_only_in_own_units(
        client: TestClient, ac: Caller, archive: Archive) -> None:
    made = _new_user(client, ac, "teacher1")
    assert made["unit"] == SCHOOL and made["has_password"] and made["grants"] == []
    assert ("user:ac", "user:teacher1", "ok") in _audit(archive, "user.create")
    outside = client.post("/api/v1/users", headers=ac.headers, json={
        "username": "spy", "display_name": "spy", "unit": ELSEWHERE, "password": PASSWORD})
    assert outside.status_code == 403 and outside.json()["error"]["code"] == "outside_scope"
    weak = client.post("/api/v1/users", headers=ac.headers, json={
        "username": "weak", "display_name": "weak", "unit": SCHOOL, "password": "short"})
    assert weak.status_code == 400 and weak.json()["error"]["code"] == "weak_password"
    with archive.catalog.session() as s:
        assert s.scalar(select(User).where(User.username.in_(["spy", "weak"]))) is None


def test_grants_inside_own_units_but_not_outside_nor_to_self(
        client: TestClient, ac: Caller, callers: Callers, archive: Archive) -> None:
    user = _new_user(client, ac, "teacher1")
    ok = _grant(client, ac, user["id"], role="registrar", unit=SCHOOL)
    assert ok.status_code == 201 and ok.json()["granted_by"] == "user:ac"
    person = person_in(archive, OFFICE)
    section = _grant(client, ac, user["id"], role="recorder", citizen_id=person,
                     section="training")
    assert section.status_code == 201 and section.json()["section"] == "training"
    outside = _grant(client, ac, user["id"], role="registrar", unit=ELSEWHERE)
    assert outside.status_code == 403 and outside.json()["error"]["code"] == "outside_scope"
    stranger = _grant(client, ac, user["id"], role="recorder",
                      citizen_id=person_in(archive, ELSEWHERE))
    assert stranger.status_code == 403
    me = client.get("/api/v1/me", headers=ac.headers).json()
    own = client.get("/api/v1/users", headers=ac.headers).json()["users"]
    self_id = next(u["id"] for u in own if u["username"] == me["username"])
    to_self = _grant(client, ac, self_id, role="data_controller", unit=OFFICE)
    assert to_self.status_code == 403 and to_self.json()["error"]["code"] == "self_grant"
    # The new right works at once: the teacher now reads records of the school.
    assert {g["role"] for g in client.get(f"/api/v1/users/{user['id']}",
                                          headers=ac.headers).json()["grants"]} == {
        "registrar", "recorder"}


def test_users_outside_the_units_are_not_found_and_others_see_no_users(
        client: TestClient, ac: Caller, callers: Callers) -> None:
    callers.make(Role.REGISTRAR, unit=ELSEWHERE, username="far-away")
    listed = {u["username"] for u in client.get("/api/v1/users", headers=ac.headers).json()[
        "users"]}
    assert "ac" in listed and "far-away" not in listed
    far = callers.make(Role.ACCESS_CONTROLLER, unit=ELSEWHERE, username="ac-far")
    far_ids = [u["id"] for u in client.get("/api/v1/users", headers=far.headers).json()["users"]
               if u["username"] == "far-away"]
    r = client.get(f"/api/v1/users/{far_ids[0]}", headers=ac.headers)
    assert r.status_code == 404
    assert _grant(client, ac, far_ids[0], role="registrar", unit=SCHOOL).status_code == 404
    registrar = callers.make(Role.REGISTRAR, unit=OFFICE)
    assert client.get("/api/v1/users", headers=registrar.headers).status_code == 403
    assert client.get("/api/v1/rights/review", headers=registrar.headers).status_code == 403


def test_new_unit_revokes_every_right_and_ends_every_sign_in_at_once(
        client: TestClient, ac: Caller, archive: Archive, app: FastAPI) -> None:
    # GIVEN a teacher with two rights, signed in in a browser and holding an API token
    user = _new_user(client, ac, "mover")
    for unit in (SCHOOL, OFFICE):
        assert _grant(client, ac, user["id"], role="registrar", unit=unit).status_code == 201
    browser = TestClient(app)
    signed = browser.post("/api/v1/auth/login", json={"login": "mover", "password": PASSWORD})
    assert signed.status_code == 200
    token = browser.post("/api/v1/tokens", json={"name": "t"},
                         headers={"X-CSRF-Token": signed.json()["csrf_token"]})
    assert token.status_code == 201, token.text
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    # WHEN the access controller records a move to another school of the office
    r = client.patch(f"/api/v1/users/{user['id']}", headers=ac.headers,
                     json={"unit": f"{OFFICE} > โรงเรียนบ้านแม่สาย"})
    # THEN every right is revoked in that one change, and every sign-in is over
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["changed"] == ["unit"] and body["grants_revoked"] == 2
    assert body["sessions_ended"] == 1 and body["tokens_revoked"] == 1
    with archive.catalog.session() as s:
        rows = list(s.scalars(select(Grant).where(Grant.user_id == user["id"])))
        times = [g.revoked_at for g in rows]
        assert None not in times and max(times) - min(times) < timedelta(seconds=1)  # type: ignore[operator,type-var]
        assert all("ย้ายหน่วยงาน" in (g.revoke_reason or "") for g in rows)
    assert browser.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert len(_audit(archive, "grant.revoke")) == 2


def test_new_position_or_leaving_service_revokes_too_but_a_name_does_not(
        client: TestClient, ac: Caller, archive: Archive) -> None:
    user = _new_user(client, ac, "promoted")
    _grant(client, ac, user["id"], role="registrar", unit=SCHOOL)
    renamed = client.patch(f"/api/v1/users/{user['id']}", headers=ac.headers,
                           json={"display_name": "ครูสมชาย ใหม่"}).json()
    assert renamed["changed"] == ["display_name"] and renamed["grants_revoked"] == 0
    moved = client.patch(f"/api/v1/users/{user['id']}", headers=ac.headers,
                         json={"position": "รองผู้อำนวยการ"}).json()
    assert moved["grants_revoked"] == 1
    _grant(client, ac, user["id"], role="certifier", unit=SCHOOL)
    left = client.patch(f"/api/v1/users/{user['id']}", headers=ac.headers,
                        json={"active": False}).json()
    assert left["changed"] == ["deactivated"] and left["grants_revoked"] == 1
    refused = client.post("/api/v1/auth/login", json={"login": "promoted", "password": PASSWORD})
    assert refused.status_code == 401
    outside = client.patch(f"/api/v1/users/{user['id']}", headers=ac.headers,
                           json={"unit": ELSEWHERE})
    assert outside.status_code == 403


def test_revoking_a_right_needs_a_reason(client: TestClient, ac: Caller,
                                         archive: Archive) -> None:
    user = _new_user(client, ac, "t2")
    grant_id = _grant(client, ac, user["id"], role="registrar", unit=SCHOOL).json()["id"]
    assert client.delete(f"/api/v1/grants/{grant_id}", headers=ac.headers).status_code == 422
    r = client.delete(f"/api/v1/grants/{grant_id}", headers=ac.headers,
                      params={"reason": "ย้ายไปสอนที่อื่น"})
    assert r.status_code == 200 and r.json()["live"] is False
    assert r.json()["revoke_reason"] == "ย้ายไปสอนที่อื่น"
    again = client.delete(f"/api/v1/grants/{grant_id}", headers=ac.headers,
                          params={"reason": "x"})
    assert again.status_code == 409
    assert client.delete("/api/v1/grants/999999", headers=ac.headers,
                         params={"reason": "x"}).status_code == 404


def test_rights_review_lists_every_right_and_confirms_or_revokes(
        client: TestClient, ac: Caller, callers: Callers, archive: Archive) -> None:
    year = current_fiscal_year()
    user = _new_user(client, ac, "reviewed")
    old = _grant(client, ac, user["id"], role="registrar", unit=SCHOOL).json()["id"]
    fresh = _grant(client, ac, user["id"], role="certifier", unit=SCHOOL).json()["id"]
    callers.make(Role.REGISTRAR, unit=ELSEWHERE)  # not in the access controller's units
    with archive.catalog.session() as s:  # GIVEN one right was granted two years ago
        row = s.get(Grant, old)
        assert row is not None
        row.granted_at = now() - timedelta(days=730)
    report = client.get("/api/v1/rights/review", headers=ac.headers).json()
    assert report["fiscal_year"] == year
    by_id = {g["id"]: g for g in report["grants"]}
    assert set(by_id) >= {old, fresh} and all(g["unit"] != ELSEWHERE for g in by_id.values())
    assert by_id[old]["needs_confirming"] and not by_id[fresh]["needs_confirming"]
    own = next(g for g in report["grants"] if g["username"] == "ac")
    assert own["can_decide"] is False and by_id[old]["can_decide"] is True
    # WHEN confirmed THEN kept for this year, by whom, on the audit log
    r = client.post(f"/api/v1/rights/review/{old}", headers=ac.headers,
                    json={"decision": "confirm"})
    assert r.status_code == 200 and r.json()["confirmed_fy"] == year
    again = client.get("/api/v1/rights/review", headers=ac.headers).json()
    assert not {g["id"]: g for g in again["grants"]}[old]["needs_confirming"]
    assert ("user:ac", "user:reviewed", "ok") in _audit(archive, "grant.confirm")
    # AND revoking needs a reason
    no_reason = client.post(f"/api/v1/rights/review/{fresh}", headers=ac.headers,
                            json={"decision": "revoke"})
    assert no_reason.status_code == 400 and no_reason.json()["error"]["code"] == "reason_required"
    gone = client.post(f"/api/v1/rights/review/{fresh}", headers=ac.headers,
                       json={"decision": "revoke", "reason": "ไม่ได้ปฏิบัติหน้าที่แล้ว"})
    assert gone.status_code == 200 and gone.json()["live"] is False
    after = client.get("/api/v1/rights/review", headers=ac.headers).json()
    assert fresh not in {g["id"] for g in after["grants"]}
    assert ("user:ac", "user:reviewed", "ok") in _audit(archive, "grant.revoke")
    # One's own right is never confirmed by oneself.
    mine = client.post(f"/api/v1/rights/review/{own['id']}", headers=ac.headers,
                       json={"decision": "confirm"})
    assert mine.status_code == 403 and mine.json()["error"]["code"] == "self_grant"
    past = client.get("/api/v1/rights/review", headers=ac.headers,
                      params={"fiscal_year": year - 3}).json()
    assert past["fiscal_year"] == year - 3 and past["needs_confirming"] == 0


def test_data_controller_reads_the_review_but_cannot_decide(
        client: TestClient, ac: Caller, callers: Callers) -> None:
    user = _new_user(client, ac, "t3")
    grant_id = _grant(client, ac, user["id"], role="registrar", unit=SCHOOL).json()["id"]
    dc = callers.make(Role.DATA_CONTROLLER, unit=OFFICE)
    report = client.get("/api/v1/rights/review", headers=dc.headers).json()
    assert grant_id in {g["id"] for g in report["grants"]}
    assert not any(g["can_decide"] for g in report["grants"])
    r = client.post(f"/api/v1/rights/review/{grant_id}", headers=dc.headers,
                    json={"decision": "confirm"})
    assert r.status_code == 403
