"""ThaID-style sign-in (OpenID Connect) against a real provider on 127.0.0.1: the mock
provider from PyPI `oidc-provider-mock`, started by the test, signing real RS256 id_tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from oidc_provider_mock import run_server_in_thread
from sqlalchemy import select

from api.access import Role
from api.access.oidc import OidcError, PendingSignIn, client_for, pending_sign_ins
from api.http import create_app
from archive.archive import Archive
from archive.catalog import AuditEvent, User
from tests.http.conftest import Callers, person_in, sample_units

CLIENT_ID, CLIENT_SECRET = "tabian-test", "s3cret-for-tests"
NOT_IN_REGISTRY = "1101700203450"  # a valid citizen ID that the sample registry lacks


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def oidc_client(archive: Archive, issuer: str) -> Iterator[TestClient]:
    settings = archive.settings.model_copy(update={
        "oidc_issuer": issuer, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET,
        "public_url": "http://testserver"})
    with TestClient(create_app(settings, archive=archive)) as c:
        yield c


def _provider_user(issuer: str, sub: str, **claims: str) -> None:
    httpx.put(f"{issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()


def _start(client: TestClient, next_path: str = "/") -> str:
    r = client.get("/auth/oidc/start", params={"next": next_path}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def _approve_at_provider(authorize_url: str, sub: str) -> str:
    """What the person does at the provider: sign in as `sub`; returns our callback URL."""
    r = httpx.post(authorize_url, data={"sub": sub}, timeout=10)
    assert r.status_code == 302, r.text
    return r.headers["location"]


def _back(client: TestClient, callback: str) -> httpx.Response:
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def test_login_page_offers_thaid_when_configured(oidc_client: TestClient) -> None:
    page = oidc_client.get("/login?next=/tokens").text
    assert "เข้าสู่ระบบด้วย ThaID" in page and "/auth/oidc/start?next=/tokens" in page


def test_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(
        oidc_client: TestClient, issuer: str) -> None:
    url = _start(oidc_client)
    assert url.startswith(f"{issuer}/oauth2/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/auth/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"][0].split() == ["openid", "profile", "pid"]  # ThaID: pid by scope


def test_owner_in_the_registry_gets_an_account_on_first_sign_in(
        oidc_client: TestClient, archive: Archive, issuer: str) -> None:
    # GIVEN a person in the registry whom the provider knows by their citizen ID (pid)
    cid = person_in(archive, sample_units(archive)[0])
    _provider_user(issuer, "thaid-owner-1", pid=cid, name="Someone")
    # WHEN they sign in with ThaID
    back = _back(oidc_client, _approve_at_provider(_start(oidc_client, "/tokens"),
                                                   "thaid-owner-1"))
    # THEN they land where they were going, signed in as the owner of their record
    assert back.status_code == 303 and back.headers["location"] == "/tokens"
    me = oidc_client.get("/api/v1/me").json()
    assert me["citizen_id"] == cid and me["is_owner"] and me["method"] == "oidc"
    assert me["roles"] == ["owner"]
    with archive.catalog.session() as s:
        user = s.scalar(select(User).where(User.citizen_id == cid))
        assert user is not None and user.oidc_issuer == issuer
        assert user.oidc_subject == "thaid-owner-1" and user.password_hash is None
        events = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert events[-3:] == ["user.create", "auth.oidc", "session.start"]
    # AND a second sign-in finds the same account by (issuer, subject)
    oidc_client.cookies.clear()
    _back(oidc_client, _approve_at_provider(_start(oidc_client), "thaid-owner-1"))
    with archive.catalog.session() as s:
        assert len(list(s.scalars(select(User).where(User.citizen_id == cid)))) == 1


def test_existing_staff_account_is_found_by_citizen_id_and_linked(
        oidc_client: TestClient, archive: Archive, callers: Callers, issuer: str) -> None:
    unit = sample_units(archive)[0]
    cid = person_in(archive, unit)
    callers.make(Role.REGISTRAR, unit=unit, owner_of=cid, username="registrar-somchai")
    _provider_user(issuer, "thaid-staff-1", pid=cid)
    back = _back(oidc_client, _approve_at_provider(_start(oidc_client), "thaid-staff-1"))
    assert back.status_code == 303
    me = oidc_client.get("/api/v1/me").json()
    assert me["username"] == "registrar-somchai" and "registrar" in me["roles"]


def test_unknown_staff_is_refused_with_a_thai_page(
        oidc_client: TestClient, archive: Archive, issuer: str) -> None:
    # GIVEN someone the provider vouches for but who is neither a user nor in the registry
    _provider_user(issuer, "thaid-stranger", pid=NOT_IN_REGISTRY)
    back = _back(oidc_client, _approve_at_provider(_start(oidc_client), "thaid-stranger"))
    assert back.status_code == 403
    assert "ไม่พบบัญชีผู้ใช้" in back.text and "oidc_unknown_user" in back.text
    assert oidc_client.get("/api/v1/me").status_code == 401
    with archive.catalog.session() as s:
        assert s.scalar(select(User).where(User.citizen_id == NOT_IN_REGISTRY)) is None
        denied = s.scalar(select(AuditEvent).where(AuditEvent.action == "auth.oidc"))
        assert denied is not None and denied.outcome == "denied"


def test_no_citizen_id_claim_is_refused(oidc_client: TestClient, issuer: str) -> None:
    _provider_user(issuer, "thaid-no-pid", name="No PID")
    back = _back(oidc_client, _approve_at_provider(_start(oidc_client), "thaid-no-pid"))
    assert back.status_code == 403


def test_bad_or_replayed_state_is_refused(oidc_client: TestClient, archive: Archive,
                                          issuer: str) -> None:
    cid = person_in(archive, sample_units(archive)[0])
    _provider_user(issuer, "thaid-owner-2", pid=cid)
    callback = _approve_at_provider(_start(oidc_client), "thaid-owner-2")
    parts = urlsplit(callback)
    code = parse_qs(parts.query)["code"][0]
    forged = oidc_client.get(f"/auth/oidc/callback?code={code}&state=forged-state")
    assert forged.status_code == 400 and "oidc_bad_state" in forged.text
    # The right state from another browser (no binding cookie) is refused too...
    other = TestClient(oidc_client.app)
    assert _back(other, callback).status_code == 400
    # ...without spending it: the browser that started still signs in, once.
    assert _back(oidc_client, callback).status_code == 303
    oidc_client.cookies.clear()
    oidc_client.cookies.set("tabian_oidc", parse_qs(parts.query)["state"][0],
                            path="/auth/oidc")
    replay = _back(oidc_client, callback)
    assert replay.status_code == 400 and "oidc_bad_state" in replay.text


def test_provider_refusal_is_a_thai_page(oidc_client: TestClient) -> None:
    url = _start(oidc_client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    r = oidc_client.get(f"/auth/oidc/callback?error=access_denied&state={state}")
    assert r.status_code == 403 and "ไม่อนุญาต" in r.text


def test_id_token_checks_nonce_audience_and_signature(issuer: str) -> None:
    client = client_for(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    _provider_user(issuer, "thaid-check", pid=NOT_IN_REGISTRY)
    url, pending = client.begin(redirect_uri="http://testserver/auth/oidc/callback",
                                next_path="/")
    code = parse_qs(urlsplit(_approve_at_provider(url, "thaid-check")).query)["code"][0]
    # A different nonce than the one sent: refused.
    swapped = PendingSignIn(pending.state, "another-nonce", pending.code_verifier,
                            pending.redirect_uri, "/")
    with pytest.raises(OidcError) as err:
        client.finish(pending=swapped, code=code)
    assert err.value.code == "oidc_bad_nonce"
    # A token signed by anyone but the provider: refused.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode({"iss": issuer, "aud": CLIENT_ID, "sub": "x", "nonce": "n",
                         "iat": int(time.time()), "exp": int(time.time()) + 300},
                        key, algorithm="RS256")
    with pytest.raises(OidcError):
        client.verify_id_token(forged, nonce="n")
    # A token meant for another client: refused.
    other = client_for(issuer=issuer, client_id="someone-else", client_secret="x")
    url, pending = other.begin(redirect_uri="http://testserver/cb", next_path="/")
    code = parse_qs(urlsplit(_approve_at_provider(url, "thaid-check")).query)["code"][0]
    r = httpx.post(f"{issuer}/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://testserver/cb"},
        auth=("someone-else", "x"), timeout=10)
    with pytest.raises(OidcError):
        client.verify_id_token(r.json()["id_token"], nonce=pending.nonce)
    # An unsigned ("none") token: refused.
    unsigned = jwt.encode({"iss": issuer, "aud": CLIENT_ID, "sub": "x"}, "", algorithm="none")
    with pytest.raises(OidcError):
        client.verify_id_token(unsigned, nonce="n")
    assert pending_sign_ins.take(pending.state) is None  # begin() alone stores nothing


def test_start_without_a_provider_is_404(client: TestClient) -> None:
    assert client.get("/auth/oidc/start", follow_redirects=False).status_code == 404
