"""Signing in with a password: the session cookie, refusals, the brake on guessing, idle
expiry, logout, CSRF on cookie writes, and API tokens kept only as hashes."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.access import Role
from api.access.accounts import now
from api.access.sessions import SESSION_COOKIE, resolve_session
from archive.archive import Archive
from archive.catalog import ApiToken, AuditEvent, User, WebSession
from tests.http.conftest import PASSWORD, Callers, person_in, sample_units


def _login(client: TestClient, login: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"login": login, "password": password})


def _events(archive: Archive, action: str) -> list[AuditEvent]:
    with archive.catalog.session() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        s.expunge_all()
        return rows


def test_login_sets_an_httponly_session_cookie_that_signs_requests_in(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    # GIVEN a certifier with a password
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    # WHEN they sign in
    r = _login(client, "head")
    # THEN the session cookie is set HttpOnly, SameSite=Lax, for the whole site
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["username"] == "head" and body["csrf_token"] and body["expires_at"]
    cookie = r.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie
    assert "samesite=lax" in cookie and "path=/" in cookie and "secure" not in cookie
    # AND the cookie alone now signs the browser in, with the session on record
    me = client.get("/api/v1/me").json()
    assert me["username"] == "head" and me["method"] == "password"
    with archive.catalog.session() as s:
        assert s.scalar(select(WebSession).join(User).where(User.username == "head")) is not None


def test_owner_signs_in_with_citizen_id_in_thai_digits(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    cid = person_in(archive, sample_units(archive)[0])
    callers.make(owner_of=cid, username="owner")
    thai = cid.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    r = _login(client, f"{thai[0]}-{thai[1:5]}-{thai[5:10]}-{thai[10:12]}-{thai[12]}")
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/me").json()["is_owner"] is True


def test_wrong_password_is_401_in_thai_and_audited_as_denied(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    r = _login(client, "head", "not-the-password")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "bad_credentials"
    assert "รหัสผ่าน" in r.json()["error"]["message"]
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")
    unknown = _login(client, "nobody-here")
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "bad_credentials"
    denied = [e for e in _events(archive, "auth.login") if e.outcome == "denied"]
    assert {e.subject for e in denied} == {"login:head", "login:nobody-here"}


def test_five_failures_block_the_name_even_with_the_right_password(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="other")
    for _ in range(5):
        assert _login(client, "head", "guess-guess-guess").status_code == 401
    blocked = _login(client, "head")
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    # Another name is not affected, and the blocked attempts are on the record.
    assert _login(client, "other").status_code == 200
    assert [e.outcome for e in _events(archive, "auth.login_blocked")] == ["denied"]


def test_a_success_clears_earlier_failures(client: TestClient, callers: Callers,
                                           archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    for _ in range(4):
        _login(client, "head", "typo-typo-typo")
    assert _login(client, "head").status_code == 200
    for _ in range(4):
        _login(client, "head", "typo-typo-typo")
    assert _login(client, "head").status_code == 200


def test_password_is_stored_as_argon2id_never_in_clear(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    with archive.catalog.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "head"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    db_file = archive.settings.data_dir / "catalog.sqlite3"
    assert PASSWORD.encode() not in db_file.read_bytes()


def test_session_ends_after_the_idle_timeout(client: TestClient, callers: Callers,
                                             archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    assert _login(client, "head").status_code == 200
    cookie = client.cookies[SESSION_COOKIE]
    idle = timedelta(minutes=archive.settings.session_idle_minutes)
    with archive.catalog.session() as s:
        # Left idle past the deadline: gone. Used before it: the deadline moves on.
        assert resolve_session(s, cookie, settings=archive.settings,
                               at=now() + idle + timedelta(minutes=1)) is None
        assert resolve_session(s, cookie, settings=archive.settings,
                               at=now() + idle - timedelta(minutes=1)) is not None
        assert resolve_session(s, cookie, settings=archive.settings,
                               at=now() + idle + timedelta(minutes=1)) is not None
        # WHEN the deadline passes for real, THEN the browser is signed out
        row = s.scalar(select(WebSession))
        assert row is not None
        row.expires_at = now() - timedelta(seconds=1)
    r = client.get("/api/v1/me")
    assert r.status_code == 401


def test_logout_ends_the_session_and_the_old_cookie_stops_working(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    csrf = _login(client, "head").json()["csrf_token"]
    cookie = client.cookies[SESSION_COOKIE]
    # Without the CSRF token a cookie write is refused, even logout.
    assert client.post("/api/v1/auth/logout").status_code == 403
    r = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"ended": True}
    assert SESSION_COOKIE not in client.cookies
    client.cookies.set(SESSION_COOKIE, cookie)
    assert client.get("/api/v1/me").status_code == 401
    assert [e.details for e in _events(archive, "session.end")][0].count("logout") == 1


def test_cookie_writes_need_the_csrf_token(client: TestClient, callers: Callers,
                                           archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    csrf = _login(client, "head").json()["csrf_token"]
    refused = client.post("/api/v1/tokens", json={"name": "script"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    wrong = client.post("/api/v1/tokens", json={"name": "script"},
                        headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    ok = client.post("/api/v1/tokens", json={"name": "script"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_api_token_is_kept_only_as_a_hash_and_stops_when_revoked(
        client: TestClient, callers: Callers, archive: Archive) -> None:
    caller = callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    made = client.post("/api/v1/tokens", json={"name": "nightly", "expires_in_days": 30},
                       headers=caller.headers)
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    assert secret.startswith("tbn_") and made.json()["expires_at"]
    with archive.catalog.session() as s:
        row = s.get(ApiToken, made.json()["id"])
        assert row is not None and secret.split("_", 2)[2] not in row.token_hash
        assert len(row.token_hash) == 64
    assert secret.encode() not in (archive.settings.data_dir / "catalog.sqlite3").read_bytes()
    own = client.get("/api/v1/tokens", headers=caller.headers).json()["tokens"]
    assert {t["name"] for t in own} == {"test", "nightly"} and "token" not in own[0]
    # WHEN revoked THEN refused
    new = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=new).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made.json()['id']}", headers=caller.headers).json()[
        "live"] is False
    r = client.get("/api/v1/me", headers=new)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_token"


def test_someone_elses_token_cannot_be_revoked(client: TestClient, callers: Callers,
                                               archive: Archive) -> None:
    a = callers.make(Role.CERTIFIER, unit=sample_units(archive)[0])
    b = callers.make(Role.CERTIFIER, unit=sample_units(archive)[0])
    b_tokens = client.get("/api/v1/tokens", headers=b.headers).json()["tokens"]
    r = client.delete(f"/api/v1/tokens/{b_tokens[0]['id']}", headers=a.headers)
    assert r.status_code == 404
    assert client.get("/api/v1/me", headers=b.headers).status_code == 200


def test_cookie_is_secure_over_https(app: FastAPI, callers: Callers, archive: Archive) -> None:
    callers.make(Role.CERTIFIER, unit=sample_units(archive)[0], username="head")
    with TestClient(app, base_url="https://testserver") as https:
        r = _login(https, "head")
        assert r.status_code == 200 and "secure" in r.headers["set-cookie"].lower()
        assert https.get("/api/v1/me").status_code == 200
