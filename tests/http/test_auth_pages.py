"""The Thai sign-in page, the home page by role, and signing out in the browser."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from api.access import Role
from api.access.sessions import SESSION_COOKIE
from archive.archive import Archive
from tests.http.conftest import PASSWORD, Callers, person_in, sample_units


def _form_token(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field"
    return match.group(1)


def _sign_in(client: TestClient, login: str, *, next_path: str = "/") -> httpx.Response:
    form = client.get("/login", params={"next": next_path})
    return client.post("/login", data={
        "login": login, "password": PASSWORD, "next": next_path,
        "login_csrf": _form_token(form.text, "login_csrf")}, follow_redirects=False)


def test_signed_out_home_goes_to_the_thai_login_form(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    page = client.get("/login").text
    assert '<label for="login">ชื่อผู้ใช้หรือเลขประจำตัวประชาชน</label>' in page
    assert '<label for="password">รหัสผ่าน</label>' in page
    assert "ThaID" not in page  # no provider configured


def test_pages_behind_sign_in_come_back_after_it(client: TestClient, callers: Callers,
                                                 archive: Archive) -> None:
    callers.make(Role.ACCESS_CONTROLLER, unit=sample_units(archive)[0], username="ac")
    r = client.get("/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/users"
    signed = _sign_in(client, "ac", next_path="/users")
    assert signed.status_code == 303 and signed.headers["location"] == "/users"
    assert "ผู้ใช้และสิทธิ์" in client.get("/users").text


def test_next_never_leads_off_site(client: TestClient, callers: Callers,
                                   archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = _sign_in(client, "head", next_path=evil)
        assert r.status_code == 303 and r.headers["location"] == "/", evil
        client.cookies.clear()


def test_wrong_password_shows_the_form_again_with_a_thai_error(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    form = client.get("/login")
    r = client.post("/login", data={"login": "head", "password": "wrong-wrong-wrong",
                                     "login_csrf": _form_token(form.text, "login_csrf")})
    assert r.status_code == 401
    assert 'role="alert"' in r.text and "รหัสผ่านไม่ถูกต้อง" in r.text
    assert 'value="head"' in r.text
    assert SESSION_COOKIE not in client.cookies


def test_login_form_without_its_token_is_refused(client: TestClient, callers: Callers,
                                                 archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    r = client.post("/login", data={"login": "head", "password": PASSWORD,
                                     "login_csrf": "made-up"})
    assert r.status_code == 400 and SESSION_COOKIE not in client.cookies


def test_home_lists_what_each_role_may_do(client: TestClient, callers: Callers,
                                          archive: Archive) -> None:
    unit = sample_units(archive)[0]
    callers.make(Role.DIGITIZER, unit=unit, username="scanner")
    assert _sign_in(client, "scanner").status_code == 303
    home = client.get("/").text
    assert 'href="/upload"' in home and "เจ้าหน้าที่นำเข้าเอกสาร" in home
    assert 'href="/search"' not in home and 'href="/users"' not in home
    client.cookies.clear()
    callers.make(owner_of=person_in(archive, unit), username="teacher")
    assert _sign_in(client, "teacher").status_code == 303
    home = client.get("/").text
    assert 'href="/me"' in home and "เจ้าของประวัติ" in home and 'href="/upload"' not in home


def test_logout_button_signs_out_and_says_so(client: TestClient, callers: Callers,
                                             archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    _sign_in(client, "head")
    home = client.get("/").text
    r = client.post("/logout", data={"csrf": _form_token(home, "csrf")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?bye=1"
    assert "ออกจากระบบเรียบร้อยแล้ว" in client.get("/login?bye=1").text
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401
