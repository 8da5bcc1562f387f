"""OpenID Connect sign-in (ThaID / Digital ID style): discovery, PKCE, code exchange and the
id_token's checks (signature by the issuer's JWKS, iss, aud, exp, nonce).

The relying party is one confidential client (authorization code flow with PKCE S256). What a
browser started is kept server-side for ten minutes under its `state` and bound to that
browser by a cookie holding the same `state`; the record is taken (single use) on return.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jwt

# Asymmetric algorithms only: an HS* token would be "signed" with our own client secret.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
PENDING_TTL_S = 600
METADATA_TTL_S = 3600
LEEWAY_S = 60


class OidcError(Exception):
    """Sign-in with the provider failed; `code` is stable, `message` is Thai."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


UNAVAILABLE = "ไม่สามารถติดต่อผู้ให้บริการยืนยันตัวตนได้ กรุณาลองใหม่ภายหลัง"
BAD_TOKEN = "ผลการยืนยันตัวตนจากผู้ให้บริการไม่ถูกต้อง กรุณาเริ่มเข้าสู่ระบบใหม่"


@dataclass(frozen=True)
class Provider:
    """The parts of the issuer's discovery document that sign-in needs."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in the browser was sent off to finish at the provider."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_path: str
    created: float = field(default_factory=time.monotonic)


class PendingStore:
    """Sign-ins under way, by state; each is taken once and lives ten minutes at most."""

    def __init__(self, *, ttl_s: float = PENDING_TTL_S, max_items: int = 10_000) -> None:
        self._items: dict[str, PendingSignIn] = {}
        self._lock = threading.Lock()
        self._ttl = ttl_s
        self._max = max_items

    def put(self, item: PendingSignIn) -> None:
        with self._lock:
            self._expire()
            if len(self._items) >= self._max:  # a flood of unfinished starts: drop the oldest
                oldest = min(self._items.values(), key=lambda p: p.created)
                del self._items[oldest.state]
            self._items[item.state] = item

    def take(self, state: str) -> PendingSignIn | None:
        with self._lock:
            self._expire()
            return self._items.pop(state, None)

    def _expire(self) -> None:
        limit = time.monotonic() - self._ttl
        for key in [k for k, v in self._items.items() if v.created < limit]:
            del self._items[key]


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    """One provider, one client registration."""

    def __init__(self, *, issuer: str, client_id: str, client_secret: str,
                 timeout_s: float = 10.0, http: httpx.Client | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self._http = http or httpx.Client(timeout=timeout_s, follow_redirects=False)
        self._provider: tuple[float, Provider] | None = None
        self._jwks: tuple[float, jwt.PyJWKSet] | None = None
        self._lock = threading.Lock()

    # -- the provider's documents -------------------------------------------------------------

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            r = self._http.get(url, headers={"Accept": "application/json"})
            r.raise_for_status()
            data = r.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError("oidc_unavailable", UNAVAILABLE, status=502) from exc
        if not isinstance(data, dict):
            raise OidcError("oidc_unavailable", UNAVAILABLE, status=502)
        return data

    def provider(self) -> Provider:
        with self._lock:
            if self._provider and time.monotonic() - self._provider[0] < METADATA_TTL_S:
                return self._provider[1]
        doc = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        try:
            provider = Provider(str(doc["issuer"]).rstrip("/"), str(doc["authorization_endpoint"]),
                                str(doc["token_endpoint"]), str(doc["jwks_uri"]))
        except KeyError as exc:
            raise OidcError("oidc_unavailable", UNAVAILABLE, status=502) from exc
        if provider.issuer != self.issuer:  # OIDC Discovery 4.3: must match exactly
            raise OidcError("oidc_bad_issuer", BAD_TOKEN, status=502)
        with self._lock:
            self._provider = (time.monotonic(), provider)
        return provider

    def _key_set(self, *, refresh: bool = False) -> jwt.PyJWKSet:
        with self._lock:
            if not refresh and self._jwks and time.monotonic() - self._jwks[0] < METADATA_TTL_S:
                return self._jwks[1]
        try:
            keys = jwt.PyJWKSet.from_dict(self._get_json(self.provider().jwks_uri))
        except jwt.PyJWTError as exc:
            raise OidcError("oidc_unavailable", UNAVAILABLE, status=502) from exc
        with self._lock:
            self._jwks = (time.monotonic(), keys)
        return keys

    def _signing_key(self, kid: str | None) -> jwt.PyJWK:
        for refresh in (False, True):  # an unknown kid: the provider may have rotated keys
            keys = [k for k in self._key_set(refresh=refresh).keys
                    if k.public_key_use in (None, "sig")]
            if kid is not None:
                keys = [k for k in keys if k.key_id == kid]
            if len(keys) == 1:
                return keys[0]
        raise OidcError("oidc_bad_token", BAD_TOKEN)

    # -- the flow -----------------------------------------------------------------------------

    def begin(self, *, redirect_uri: str, next_path: str,
              scope: str = "openid profile") -> tuple[str, PendingSignIn]:
        """Where to send the browser, and what to remember until it comes back."""
        pending = PendingSignIn(state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
                                code_verifier=secrets.token_urlsafe(64),
                                redirect_uri=redirect_uri, next_path=next_path)
        params = {
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": scope, "state": pending.state, "nonce": pending.nonce,
            "code_challenge": pkce_challenge(pending.code_verifier),
            "code_challenge_method": "S256",
        }
        endpoint = self.provider().authorization_endpoint
        sep = "&" if "?" in endpoint else "?"
        return f"{endpoint}{sep}{urlencode(params)}", pending

    def finish(self, *, pending: PendingSignIn, code: str) -> dict[str, Any]:
        """Exchange the code and return the id_token's verified claims."""
        provider = self.provider()
        try:
            r = self._http.post(provider.token_endpoint, data={
                "grant_type": "authorization_code", "code": code,
                "redirect_uri": pending.redirect_uri, "code_verifier": pending.code_verifier,
            }, auth=(quote(self.client_id, safe=""), quote(self.client_secret, safe="")),
                headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise OidcError("oidc_unavailable", UNAVAILABLE, status=502) from exc
        if r.status_code != 200:
            raise OidcError("oidc_token_refused", BAD_TOKEN)
        try:
            id_token = r.json()["id_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise OidcError("oidc_bad_token", BAD_TOKEN) from exc
        if not isinstance(id_token, str):
            raise OidcError("oidc_bad_token", BAD_TOKEN)
        return self.verify_id_token(id_token, nonce=pending.nonce)

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise OidcError("oidc_bad_token", BAD_TOKEN) from exc
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise OidcError("oidc_bad_token", BAD_TOKEN)
        key = self._signing_key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token, key.key, algorithms=[alg], audience=self.client_id,
                issuer=self.issuer, leeway=LEEWAY_S,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        except jwt.PyJWTError as exc:
            raise OidcError("oidc_bad_token", BAD_TOKEN) from exc
        aud = claims.get("aud")
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != self.client_id:
            raise OidcError("oidc_bad_token", BAD_TOKEN)
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OidcError("oidc_bad_nonce", BAD_TOKEN)
        return claims


_clients: dict[tuple[str, str], OidcClient] = {}
_clients_lock = threading.Lock()
pending_sign_ins = PendingStore()


def client_for(*, issuer: str, client_id: str, client_secret: str) -> OidcClient:
    """One client per provider registration, so discovery and keys are fetched once an hour."""
    key = (issuer.rstrip("/"), client_id)
    with _clients_lock:
        client = _clients.get(key)
        if client is None or client.client_secret != client_secret:
            client = _clients[key] = OidcClient(issuer=issuer, client_id=client_id,
                                                client_secret=client_secret)
        return client
