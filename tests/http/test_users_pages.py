"""The Thai pages for users, rights, the rights review and one's own tokens, used as a
signed-in access controller would: plain forms carrying the session's CSRF token."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from archive.archive import Archive
from archive.catalog import Grant, User
from tests.http.conftest import PASSWORD, Callers

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุดรธานี เขต 1"
SCHOOL = f"{OFFICE} > โรงเรียนบ้านป่าตึง"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no csrf field on the page"
    return match.group(1)


def _sign_in(client: TestClient, username: str) -> str:
    form = client.get("/login").text
    token = re.search(r'name="login_csrf" value="([^"]+)"', form)
    assert token
    r = client.post("/login", data={"login": username, "password": PASSWORD, "next": "/",
                                     "login_csrf": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return _csrf(client.get("/").text)


def _user_id(archive: Archive, username: str) -> int:
    with archive.catalog.session() as s:
        uid = s.scalar(select(User.id).where(User.username == username))
    assert uid is not None
    return uid


def test_access_controller_creates_a_user_and_grants_a_right_by_form(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.ACCESS_CONTROLLER, unit=OFFICE, username="ac")
    csrf = _sign_in(client, "ac")
    page = client.get("/users").text
    assert "สร้างผู้ใช้" in page and f'<option value="{html.escape(SCHOOL)}"' in page
    assert "ลำปาง" not in page  # only the caller's own units are offered
    made = client.post("/users", data={
        "csrf": csrf, "username": "kru-a", "display_name": "ครูเอ", "unit": SCHOOL,
        "position": "ครู", "password": PASSWORD}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].endswith("?done=created")
    detail = client.get(made.headers["location"]).text
    assert "สร้างผู้ใช้แล้ว" in detail and "มอบสิทธิ์" in detail
    uid = _user_id(archive, "kru-a")
    granted = client.post(f"/users/{uid}/grants", data={
        "csrf": csrf, "role": "registrar", "scope": "unit", "unit": SCHOOL},
        follow_redirects=False)
    assert granted.status_code == 303
    detail = client.get(f"/users/{uid}").text
    assert "ผู้จัดทำทะเบียนประวัติ" in detail and "เพิกถอน" in detail


def test_form_without_csrf_is_refused_and_a_bad_grant_changes_nothing(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.ACCESS_CONTROLLER, unit=OFFICE, username="ac")
    csrf = _sign_in(client, "ac")
    forged = client.post("/users", data={"username": "x", "display_name": "x", "unit": SCHOOL})
    assert forged.status_code == 403
    uid = _user_id(archive, "ac")
    self_grant = client.post(f"/users/{uid}/grants", data={
        "csrf": csrf, "role": "data_controller", "scope": "unit", "unit": OFFICE})
    assert self_grant.status_code == 403 and "ตนเอง" in self_grant.text
    with archive.catalog.session() as s:
        assert s.scalar(select(User).where(User.username == "x")) is None
        assert len(list(s.scalars(select(Grant).where(Grant.user_id == uid)))) == 1


def test_moving_a_user_by_form_says_every_right_was_revoked(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.ACCESS_CONTROLLER, unit=OFFICE, username="ac")
    callers.make(Role.REGISTRAR, unit=SCHOOL, username="kru-b")
    csrf = _sign_in(client, "ac")
    uid = _user_id(archive, "kru-b")
    r = client.post(f"/users/{uid}", data={
        "csrf": csrf, "display_name": "kru-b", "unit": OFFICE, "position": "", "active": "1"})
    assert r.status_code == 200 and "เพิกถอนสิทธิ์ทั้งหมด" in r.text
    assert "ไม่มีสิทธิ์ที่ใช้อยู่" in r.text


def test_rights_review_page_confirms_and_revokes(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.ACCESS_CONTROLLER, unit=OFFICE, username="ac")
    callers.make(Role.REGISTRAR, unit=SCHOOL, username="kru-c")
    callers.make(Role.CERTIFIER, unit=SCHOOL, username="kru-d")
    csrf = _sign_in(client, "ac")
    page = client.get("/users/rights-review").text
    assert "ทบทวนสิทธิ์ประจำปีงบประมาณ" in page and "kru-c" in page and "kru-d" in page
    with archive.catalog.session() as s:
        ids = dict(s.execute(select(User.username, Grant.id).join(Grant)).tuples().all())
    ok = client.post(f"/users/rights-review/{ids['kru-c']}",
                     data={"csrf": csrf, "decision": "confirm"})
    assert ok.status_code == 200 and "ยืนยันสิทธิ์แล้ว" in ok.text
    no_reason = client.post(f"/users/rights-review/{ids['kru-d']}",
                            data={"csrf": csrf, "decision": "revoke"})
    assert no_reason.status_code == 400 and "ต้องระบุเหตุผล" in no_reason.text
    gone = client.post(f"/users/rights-review/{ids['kru-d']}",
                       data={"csrf": csrf, "decision": "revoke", "reason": "ย้ายออก"})
    assert gone.status_code == 200 and "เพิกถอนสิทธิ์แล้ว" in gone.text
    with archive.catalog.session() as s:
        kept, revoked = s.get(Grant, ids["kru-c"]), s.get(Grant, ids["kru-d"])
        assert kept is not None and kept.confirmed_fy and kept.confirmed_by == "user:ac"
        assert revoked is not None and revoked.revoked_at is not None


def test_tokens_page_shows_a_new_secret_once(client: TestClient, callers: Callers) -> None:
    callers.make(Role.CERTIFIER, unit=SCHOOL, username="head")
    csrf = _sign_in(client, "head")
    made = client.post("/tokens", data={"csrf": csrf, "name": "สคริปต์", "expires_in_days": "30"})
    assert made.status_code == 200
    secret = re.search(r'value="(tbn_[^"]+)"', made.text)
    assert secret and "ระบบจะไม่แสดงอีก" in made.text
    listed = client.get("/tokens").text
    assert "สคริปต์" in listed and secret.group(1) not in listed
    ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert ok.status_code == 200
    token_id = int(secret.group(1).split("_")[1])
    client.post(f"/tokens/{token_id}/revoke", data={"csrf": csrf})
    gone = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert gone.status_code == 401


def test_people_without_rights_over_users_cannot_open_the_pages(
        client: TestClient, callers: Callers) -> None:
    callers.make(Role.REGISTRAR, unit=SCHOOL, username="kru-e")
    _sign_in(client, "kru-e")
    assert client.get("/users").status_code == 403
    assert client.get("/users/rights-review").status_code == 403
