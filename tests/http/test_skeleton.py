"""The app's frame: health, sign-in by token, stable error bodies in Thai."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.access import Role
from tests.http.conftest import Callers, sample_units


def test_health_needs_no_sign_in(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_me_without_credentials_is_401_with_code_and_thai_message(client: TestClient) -> None:
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"
    assert "เข้าสู่ระบบ" in r.json()["error"]["message"]


def test_me_with_token_lists_the_right(client: TestClient, callers: Callers, archive) -> None:  # type: ignore[no-untyped-def]
    unit = sample_units(archive)[0]
    caller = callers.make(Role.CERTIFIER, unit=unit)
    body = client.get("/api/v1/me", headers=caller.headers).json()
    assert body["roles"] == ["certifier"]
    assert body["grants"][0]["unit"] == unit


def test_bad_token_is_refused(client: TestClient) -> None:
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer tbn_1_nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_token"


def test_unknown_api_path_is_404_json(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
